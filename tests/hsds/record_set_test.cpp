#include "hsds/record_set.h"

#include <gtest/gtest.h>

#include <fmt/format.h>

namespace bespoke::hsds {
namespace {

Record phone(std::string id, std::string service, std::string number = "1") {
  Record r(entity("phone"));
  r.set("id", std::move(id));
  if (!service.empty()) r.set("service_id", std::move(service));
  r.set("number", std::move(number));
  return r;
}

std::vector<std::string> ids(const std::vector<const Record*>& records) {
  std::vector<std::string> out;
  for (const auto* r : records) out.push_back(r->id());
  return out;
}

TEST(RecordSet, AddFindAndCount) {
  RecordSet set;
  EXPECT_TRUE(set.empty());
  set.add(phone("p2", "s1"));
  set.add(phone("p1", "s1"));
  EXPECT_EQ(set.size(), 2u);
  EXPECT_EQ(set.size(entity("phone")), 2u);
  EXPECT_EQ(set.size(entity("service")), 0u);
  EXPECT_TRUE(set.contains(entity("phone"), "p1"));
  EXPECT_FALSE(set.contains(entity("service"), "p1"));
  EXPECT_EQ(ids(set.all(entity("phone"))), (std::vector<std::string>{"p1", "p2"}));
}

TEST(RecordSet, MergingSameIdKeepsOldFieldsAndReplacesPresentOnes) {
  RecordSet set;
  auto first = phone("p1", "s1", "111");
  first.set("description", "old");
  first.source = "a.json";
  set.add(first);
  Record second(entity("phone"));
  second.set("id", "p1");
  second.set("number", "222");
  second.set("contact_id", "c1");
  second.source = "b.json";
  const Record& merged = set.add(second);
  EXPECT_EQ(set.size(), 1u);
  EXPECT_EQ(merged.text("number"), "222");
  EXPECT_EQ(merged.text("description"), "old");
  EXPECT_EQ(merged.text("service_id"), "s1");
  EXPECT_EQ(merged.text("contact_id"), "c1");
  EXPECT_EQ(merged.source, "a.json");
}

TEST(RecordSet, ChildrenFollowLinksAndUpdates) {
  RecordSet set;
  set.add(phone("p3", "s1"));
  set.add(phone("p1", "s1"));
  set.add(phone("p2", "s2"));
  EXPECT_EQ(ids(set.children(entity("phone"), "service_id", "s1")), (std::vector<std::string>{"p1", "p3"}));
  // A merge that moves p3 to s2 is seen by the next call.
  set.add(phone("p3", "s2"));
  EXPECT_EQ(ids(set.children(entity("phone"), "service_id", "s1")), (std::vector<std::string>{"p1"}));
  EXPECT_EQ(ids(set.children(entity("phone"), "service_id", "s2")), (std::vector<std::string>{"p2", "p3"}));
  EXPECT_TRUE(set.remove(entity("phone"), "p2"));
  EXPECT_FALSE(set.remove(entity("phone"), "p2"));
  EXPECT_EQ(ids(set.children(entity("phone"), "service_id", "s2")), (std::vector<std::string>{"p3"}));
  EXPECT_TRUE(set.children(entity("phone"), "service_id", "nobody").empty());
}

TEST(RecordSet, AttributeChildrenMatchTheNamedEntityOrNone) {
  RecordSet set;
  auto attribute = [&](std::string id, std::string link_entity) {
    Record r(entity("attribute"));
    r.set("id", std::move(id));
    r.set("link_id", "x1");
    if (!link_entity.empty()) r.set("link_entity", std::move(link_entity));
    set.add(std::move(r));
  };
  attribute("a1", "service");
  attribute("a2", "location");
  attribute("a3", "");
  EXPECT_EQ(ids(set.children(entity("attribute"), "link_id", "x1", "service")),
            (std::vector<std::string>{"a1", "a3"}));
  EXPECT_EQ(ids(set.children(entity("attribute"), "link_id", "x1")), (std::vector<std::string>{"a1", "a2", "a3"}));
}

TEST(RecordSet, CopiesAreIndependentAndEqual) {
  RecordSet a;
  a.add(phone("p1", "s1"));
  (void)a.children(entity("phone"), "service_id", "s1");
  RecordSet b = a;
  EXPECT_EQ(a, b);
  b.add(phone("p2", "s1"));
  EXPECT_NE(a, b);
  EXPECT_EQ(a.children(entity("phone"), "service_id", "s1").size(), 1u);
  EXPECT_EQ(b.children(entity("phone"), "service_id", "s1").size(), 2u);
  RecordSet c = std::move(b);
  EXPECT_EQ(c.children(entity("phone"), "service_id", "s1").size(), 2u);
  a = c;
  EXPECT_EQ(a.children(entity("phone"), "service_id", "s1").size(), 2u);
}

TEST(RecordSet, ChildrenStayFastOnBigSets) {
  RecordSet set;
  constexpr int services = 10000;
  for (int i = 0; i < services; ++i) {
    set.add(phone(fmt::format("p{}a", i), fmt::format("s{}", i)));
    set.add(phone(fmt::format("p{}b", i), fmt::format("s{}", i)));
  }
  std::size_t found = 0;
  for (int i = 0; i < services; ++i) found += set.children(entity("phone"), "service_id", fmt::format("s{}", i)).size();
  EXPECT_EQ(found, 2u * services);  // O(n^2) would take minutes; this is milliseconds
}

}  // namespace
}  // namespace bespoke::hsds
