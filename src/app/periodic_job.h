#pragma once
// A background job of the server: runs once at start-up, then every `every`,
// on its own thread, until destroyed (the destructor stops and joins it).
// Exceptions are the job's to catch and log; one escaping ends the program.
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <stop_token>
#include <thread>

namespace bespoke::app {

class PeriodicJob {
 public:
  PeriodicJob(std::chrono::seconds every, std::function<void()> run)
      : thread_([every, run = std::move(run)](std::stop_token stop) {
          std::mutex mutex;
          std::condition_variable_any wake;
          while (!stop.stop_requested()) {
            run();
            std::unique_lock lock(mutex);
            wake.wait_for(lock, stop, every, [] { return false; });
          }
        }) {}

 private:
  std::jthread thread_;
};

}  // namespace bespoke::app
