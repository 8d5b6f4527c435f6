#include "web/server/state.h"

namespace bespoke::web::detail {

boost::asio::ip::address unmapped(const boost::asio::ip::address& address) noexcept {
  if (address.is_v6() && address.to_v6().is_v4_mapped()) {
    return boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, address.to_v6());
  }
  return address;
}

boost::asio::ip::address address_key(const boost::asio::ip::address& address) noexcept {
  const auto plain = unmapped(address);
  if (!plain.is_v6()) return plain;
  auto bytes = plain.to_v6().to_bytes();
  for (std::size_t i = 8; i < bytes.size(); ++i) bytes[i] = 0;  // keep the /64 prefix; no scope id
  return boost::asio::ip::address_v6(bytes);
}

void ConnectionRegistry::set_max_total(std::size_t max_total) {
  std::lock_guard lock(mutex_);
  max_total_ = max_total;
}

Admission ConnectionRegistry::admit(const boost::asio::ip::address& peer) {
  const auto address = address_key(peer);
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

void ConnectionRegistry::release(const boost::asio::ip::address& peer) noexcept {
  const auto address = address_key(peer);
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
