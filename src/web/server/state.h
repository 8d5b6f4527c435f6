#pragma once
// Internal to the server: what the listener and every session share. Built once
// by Server and passed by reference, so no part of the server is a global.
#include "web/access_log.h"
#include "web/metrics.h"
#include "web/router.h"
#include "web/server.h"
#include "web/server/worker_pool.h"

#include <boost/asio/ip/address.hpp>

#include <atomic>
#include <cstddef>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

namespace bespoke::web::detail {

class Session;

enum class Admission { admitted, server_full, address_full };

// Refused connections that may linger at once (listener.cpp); counted in the
// file descriptor margin (server.cpp).
inline constexpr int kMaxLingeringRefused = 64;

// The address a peer is counted under: an IPv4-mapped IPv6 address as the IPv4
// address it is, any other IPv6 address as its /64 prefix (one host or one
// site usually holds a whole /64, so counting single addresses caps nothing).
[[nodiscard]] boost::asio::ip::address address_key(const boost::asio::ip::address& address) noexcept;

// ::ffff:a.b.c.d as a.b.c.d; anything else unchanged.
[[nodiscard]] boost::asio::ip::address unmapped(const boost::asio::ip::address& address) noexcept;

// Counts open connections overall and per peer address (see address_key), and
// knows the live sessions so that shutdown can reach them. Thread-safe.
class ConnectionRegistry {
 public:
  ConnectionRegistry(std::size_t max_total, std::size_t max_per_address)
      : max_total_(max_total), max_per_address_(max_per_address) {}

  // Before the server accepts: the cap after clamping to the file descriptor limit.
  void set_max_total(std::size_t max_total);

  // On admitted, the caller must call release(address) exactly once later.
  [[nodiscard]] Admission admit(const boost::asio::ip::address& address);
  void release(const boost::asio::ip::address& address) noexcept;

  void add(Session* session, std::weak_ptr<Session> handle);
  void remove(Session* session) noexcept;
  [[nodiscard]] std::vector<std::shared_ptr<Session>> sessions() const;
  [[nodiscard]] std::size_t live() const;

 private:
  std::size_t max_total_;  // guarded by mutex_
  const std::size_t max_per_address_;
  mutable std::mutex mutex_;
  std::size_t total_ = 0;                                                 // guarded by mutex_
  std::unordered_map<boost::asio::ip::address, std::size_t> per_address_;  // guarded by mutex_
  std::unordered_map<Session*, std::weak_ptr<Session>> sessions_;         // guarded by mutex_
};

struct ServerState {
  ServerOptions options;
  const Router& router;
  ErrorResponder errors;
  Metrics& metrics;
  AccessLog log;
  ConnectionRegistry registry;
  std::unique_ptr<WorkerPool> pool;
  std::atomic<bool> stopping{false};
  // Refused connections still waiting for their client to close (see
  // listener.cpp): bounded, so refusals cannot pile up file descriptors.
  std::atomic<int> lingering_refused{0};
};

}  // namespace bespoke::web::detail
