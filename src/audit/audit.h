#pragma once
// The audit log of special-category data: who read or changed whose
// information, when and why. Events form a hash chain: each event's hash covers
// the previous event's hash and its own fields, so changing, inserting or
// removing an event anywhere breaks every hash after it. The store appends
// (store/audit_store.h); `bespoke audit verify` checks the chain.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace bespoke::audit {

// The prev_hash of the first event.
inline constexpr std::string_view kGenesisHash = "0000000000000000000000000000000000000000000000000000000000000000";

struct Event {
  std::int64_t seq = 0;  // 1, 2, 3, ... without gaps
  std::string at;        // ISO 8601 UTC
  std::optional<std::int64_t> actor_account_id;  // nullopt: the system
  std::string actor_role;                        // the capacity they acted in ("coordinator", "self", "system")
  std::string action;                            // "read", "export", "grant_consent", "erase", ...
  std::optional<std::int64_t> subject_account_id;
  std::optional<std::int64_t> subject_resident_id;
  std::string record_type;                       // "needs", "consent", "account", ...
  std::string record_id;
  std::string purpose;
  std::string prev_hash;
  std::string hash;
};

// BLAKE2b-256 over prev_hash and every field but hash, each length-prefixed
// (so no two different events encode alike), as 64 lower-case hex digits.
[[nodiscard]] std::string chain_hash(const Event& event);

// Fills seq, prev_hash and hash to follow `previous` (nullopt: the first event).
void link_after(const std::optional<Event>& previous, Event& event);

// Checks events in seq order, one at a time, so the log need not fit in memory.
class ChainVerifier {
 public:
  void add(const Event& event);
  [[nodiscard]] bool ok() const noexcept { return problem_.empty(); }
  [[nodiscard]] std::int64_t events() const noexcept { return events_; }
  // The first problem found, naming its seq; empty when the chain is whole.
  [[nodiscard]] const std::string& problem() const noexcept { return problem_; }

 private:
  std::int64_t events_ = 0;
  std::int64_t last_seq_ = 0;
  std::string last_hash_{kGenesisHash};
  std::string problem_;
};

}  // namespace bespoke::audit
