#include "audit/audit.h"

#include "core/ids.h"

#include <sodium.h>

#include <array>

namespace bespoke::audit {
namespace {

void put(std::string& out, std::string_view field) {
  out += std::to_string(field.size());
  out += ':';
  out += field;
  out += ';';
}

void put(std::string& out, const std::optional<std::int64_t>& field) {
  put(out, field ? std::to_string(*field) : std::string("-"));
}

}  // namespace

std::string chain_hash(const Event& e) {
  core::ensure_sodium();
  std::string encoded;
  put(encoded, e.prev_hash);
  put(encoded, std::to_string(e.seq));
  put(encoded, e.at);
  put(encoded, e.actor_account_id);
  put(encoded, e.actor_role);
  put(encoded, e.action);
  put(encoded, e.subject_account_id);
  put(encoded, e.subject_resident_id);
  put(encoded, e.record_type);
  put(encoded, e.record_id);
  put(encoded, e.purpose);
  std::array<unsigned char, 32> digest{};
  crypto_generichash(digest.data(), digest.size(), reinterpret_cast<const unsigned char*>(encoded.data()),
                     encoded.size(), nullptr, 0);
  std::string hex(digest.size() * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), digest.data(), digest.size());
  hex.pop_back();
  return hex;
}

void link_after(const std::optional<Event>& previous, Event& event) {
  event.seq = previous ? previous->seq + 1 : 1;
  event.prev_hash = previous ? previous->hash : std::string(kGenesisHash);
  event.hash = chain_hash(event);
}

void ChainVerifier::add(const Event& event) {
  ++events_;
  if (!problem_.empty()) return;
  const auto at = "event " + std::to_string(event.seq) + ": ";
  if (event.seq != last_seq_ + 1) {
    problem_ = at + "expected seq " + std::to_string(last_seq_ + 1) + " (an event is missing)";
  } else if (event.prev_hash != last_hash_) {
    problem_ = at + "prev_hash does not match the hash of the event before it";
  } else if (event.hash != chain_hash(event)) {
    problem_ = at + "hash does not match its contents (the event was changed)";
  }
  last_seq_ = event.seq;
  last_hash_ = event.hash;
}

}  // namespace bespoke::audit
