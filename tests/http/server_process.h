#pragma once
// Starts the real `bespoke` program as a child process for black-box tests and
// talks HTTP to it over real sockets.
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <sys/types.h>

namespace bespoke::testing {

struct CommandResult {
  int exit_code = -1;
  std::string output;  // stdout and stderr together
};

// Runs `bespoke ARGS...` to completion.
CommandResult run_bespoke(const std::vector<std::string>& args, std::chrono::seconds timeout = std::chrono::seconds(300));

class ServerProcess {
 public:
  // Starts `bespoke serve --listen 127.0.0.1:0 --db DB EXTRA...` and waits for its "listening" line.
  ServerProcess(const std::string& db, const std::vector<std::string>& extra_flags = {});
  ~ServerProcess();
  ServerProcess(const ServerProcess&) = delete;
  ServerProcess& operator=(const ServerProcess&) = delete;

  [[nodiscard]] std::uint16_t port() const noexcept { return port_; }
  [[nodiscard]] pid_t pid() const noexcept { return pid_; }
  // Everything the server wrote to stderr so far.
  [[nodiscard]] std::string log() const;
  // Sends a signal and waits for the exit status (or -1 after the timeout, then kills).
  int stop(int signal_number, std::chrono::seconds timeout = std::chrono::seconds(30));
  [[nodiscard]] bool running();

 private:
  pid_t pid_ = -1;
  int stderr_fd_ = -1;
  std::uint16_t port_ = 0;
  std::thread reader_;
  mutable std::mutex mutex_;
  std::string log_;
  int exit_status_ = -1;
};

struct Reply {
  int status = 0;
  std::multimap<std::string, std::string> headers;  // names in lower case
  std::string body;
  [[nodiscard]] std::string header(const std::string& name) const;
};

// One request on a new connection.
Reply http(std::uint16_t port, const std::string& method, const std::string& target,
           const std::vector<std::pair<std::string, std::string>>& headers = {}, const std::string& body = {});

// A raw client for malformed and slow requests.
class RawConnection {
 public:
  explicit RawConnection(std::uint16_t port);
  ~RawConnection();
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  // False when the peer has closed the connection.
  bool send(const std::string& bytes);
  // Reads one HTTP response (status, headers, body by Content-Length); status 0 if the connection closed first.
  Reply read_reply(std::chrono::milliseconds timeout = std::chrono::milliseconds(10'000));
  // True when the server closes the connection within the timeout (reads and discards data).
  bool closed_within(std::chrono::milliseconds timeout);

 private:
  int fd_ = -1;
  std::string buffer_;
};

// Polls condition until it holds or the timeout passes (generous: CI is a loaded
// 2-core machine, sometimes under AddressSanitizer). Returns the last result.
bool eventually(const std::function<bool()>& condition,
                std::chrono::milliseconds timeout = std::chrono::milliseconds(10'000));

// A fresh, empty SQLite file path in a temporary folder removed at exit.
std::string temp_sqlite_path(const std::string& name);

}  // namespace bespoke::testing
