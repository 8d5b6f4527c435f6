#include "web/server/state.h"

namespace bespoke::web::detail {

Admission ConnectionRegistry::admit(const boost::asio::ip::address& address) {
  std::lock_guard lock(mutex_);
  if (total_ >= max_total_) return Admission::server_full;
  std::size_t& mine = per_address_[address];
  if (mine >= max_per_address_) {
    if (mine == 0) per_address_.erase(address);
    return Admission::address_full;
  }
  ++mine;
  ++total_;
  return Admission::admitted;
}

void ConnectionRegistry::release(const boost::asio::ip::address& address) noexcept {
  std::lock_guard lock(mutex_);
  --total_;
  const auto it = per_address_.find(address);
  if (it != per_address_.end() && --it->second == 0) per_address_.erase(it);
}

void ConnectionRegistry::add(Session* session, std::weak_ptr<Session> handle) {
  std::lock_guard lock(mutex_);
  sessions_.emplace(session, std::move(handle));
}

void ConnectionRegistry::remove(Session* session) noexcept {
  std::lock_guard lock(mutex_);
  sessions_.erase(session);
}

std::vector<std::shared_ptr<Session>> ConnectionRegistry::sessions() const {
  std::vector<std::shared_ptr<Session>> out;
  std::lock_guard lock(mutex_);
  out.reserve(sessions_.size());
  for (const auto& [ptr, weak] : sessions_) {
    if (auto s = weak.lock()) out.push_back(std::move(s));
  }
  return out;
}

std::size_t ConnectionRegistry::live() const {
  std::lock_guard lock(mutex_);
  return sessions_.size();
}

}  // namespace bespoke::web::detail
