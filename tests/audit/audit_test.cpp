#include "audit/audit.h"

#include <gtest/gtest.h>

#include <vector>

namespace bespoke::audit {
namespace {

std::vector<Event> chain(int n) {
  std::vector<Event> events;
  std::optional<Event> last;
  for (int i = 0; i < n; ++i) {
    Event e;
    e.at = "2026-11-29T10:00:0" + std::to_string(i) + "Z";
    e.actor_account_id = 7;
    e.actor_role = "coordinator";
    e.action = "read";
    e.subject_resident_id = 42;
    e.record_type = "needs";
    e.record_id = "42";
    e.purpose = "care coordination";
    link_after(last, e);
    events.push_back(e);
    last = e;
  }
  return events;
}

std::string verify(const std::vector<Event>& events) {
  ChainVerifier v;
  for (const auto& e : events) v.add(e);
  return v.problem();
}

TEST(AuditChain, LinksEachEventToTheOneBefore) {
  const auto events = chain(3);
  EXPECT_EQ(events[0].seq, 1);
  EXPECT_EQ(events[0].prev_hash, kGenesisHash);
  EXPECT_EQ(events[1].prev_hash, events[0].hash);
  EXPECT_EQ(events[2].seq, 3);
  EXPECT_EQ(events[0].hash.size(), 64u);
  EXPECT_NE(events[0].hash, events[1].hash);
  EXPECT_EQ(verify(events), "");
}

TEST(AuditChain, EveryFieldIsCovered) {
  const auto base = chain(1).front();
  auto changed = [&](auto&& change) {
    Event e = base;
    change(e);
    return chain_hash(e) != base.hash;
  };
  EXPECT_TRUE(changed([](Event& e) { e.at = "2026-11-29T10:00:01Z"; }));
  EXPECT_TRUE(changed([](Event& e) { e.actor_account_id = 8; }));
  EXPECT_TRUE(changed([](Event& e) { e.actor_account_id.reset(); }));
  EXPECT_TRUE(changed([](Event& e) { e.actor_role = "delegate"; }));
  EXPECT_TRUE(changed([](Event& e) { e.action = "export"; }));
  EXPECT_TRUE(changed([](Event& e) { e.subject_account_id = 1; }));
  EXPECT_TRUE(changed([](Event& e) { e.subject_resident_id = 43; }));
  EXPECT_TRUE(changed([](Event& e) { e.record_type = "plan"; }));
  EXPECT_TRUE(changed([](Event& e) { e.record_id = "43"; }));
  EXPECT_TRUE(changed([](Event& e) { e.purpose = "curiosity"; }));
  EXPECT_TRUE(changed([](Event& e) { e.seq = 2; }));
  EXPECT_TRUE(changed([](Event& e) { e.prev_hash = std::string(64, '1'); }));
  // Length prefixes: moving text from one field to the next is a change too.
  EXPECT_TRUE(changed([](Event& e) {
    e.record_type = "needs4";
    e.record_id = "2";
  }));
}

TEST(AuditChain, FindsAChangedRemovedOrInsertedEvent) {
  auto events = chain(5);
  auto edited = events;
  edited[2].purpose = "nothing to see";
  EXPECT_NE(verify(edited).find("event 3"), std::string::npos) << verify(edited);

  auto rehashed = edited;  // a forger who recomputes the hash breaks the next link
  rehashed[2].hash = chain_hash(rehashed[2]);
  EXPECT_NE(verify(rehashed).find("event 4"), std::string::npos) << verify(rehashed);

  auto removed = events;
  removed.erase(removed.begin() + 1);
  EXPECT_NE(verify(removed).find("missing"), std::string::npos) << verify(removed);

  auto truncated_front = events;
  truncated_front.erase(truncated_front.begin());
  EXPECT_FALSE(verify(truncated_front).empty());
}

}  // namespace
}  // namespace bespoke::audit
