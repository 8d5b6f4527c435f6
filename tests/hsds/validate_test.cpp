#include "hsds/validate.h"
#include "core/text.h"

#include <gtest/gtest.h>

namespace bespoke::hsds {
namespace {

constexpr const char* s1 = "11111111-1111-4111-8111-111111111111";
constexpr const char* o1 = "22222222-2222-4222-8222-222222222222";
constexpr const char* p1 = "33333333-3333-4333-8333-333333333333";
constexpr const char* l1 = "44444444-4444-4444-8444-444444444444";
constexpr const char* missing = "55555555-5555-4555-8555-555555555555";

Record service() {
  Record r(entity("service"));
  r.set("id", s1);
  r.set("name", "Food bank");
  r.set("status", "active");
  r.source = "s.json";
  return r;
}

std::vector<Issue> issues_of(const Record& r, const RecordSet& set = {}, const ExistsFn& exists = {}) {
  return validate_record(r, set, exists);
}

Issue warning(std::string path, std::string message) { return {std::move(path), std::move(message), Severity::warning}; }

TEST(Formats, Email) {
  EXPECT_TRUE(core::is_email("a@example.com"));
  EXPECT_TRUE(core::is_email("first.last+tag@sub.example.co.uk"));
  EXPECT_FALSE(core::is_email("email-example_com"));
  EXPECT_FALSE(core::is_email("a@b"));
  EXPECT_FALSE(core::is_email("@example.com"));
  EXPECT_FALSE(core::is_email("a@@example.com"));
  EXPECT_FALSE(core::is_email("a b@example.com"));
  EXPECT_FALSE(core::is_email("a@example..com"));
  EXPECT_FALSE(core::is_email("a@-example.com"));
}

TEST(Formats, Uri) {
  EXPECT_TRUE(is_absolute_uri("http://example.com"));
  EXPECT_TRUE(is_absolute_uri("https://example.com:8443/a?b#c"));
  EXPECT_TRUE(is_absolute_uri("mailto:someone@example.com"));
  EXPECT_TRUE(is_absolute_uri("tel:+44-1234-567890"));
  EXPECT_TRUE(is_absolute_uri("urn:isbn:0451450523"));
  EXPECT_FALSE(is_absolute_uri("example.com/counselling"));
  EXPECT_FALSE(is_absolute_uri("example_com"));
  EXPECT_FALSE(is_absolute_uri("http:/example.com"));
  EXPECT_FALSE(is_absolute_uri("https://"));
  EXPECT_FALSE(is_absolute_uri("http://exa mple.com"));
  EXPECT_FALSE(is_absolute_uri("1http://example.com"));
}

TEST(Formats, Date) {
  EXPECT_TRUE(is_date("2024-02-29"));
  EXPECT_TRUE(is_date("2000-02-29"));
  EXPECT_FALSE(is_date("1900-02-29"));
  EXPECT_FALSE(is_date("2023-02-29"));
  EXPECT_FALSE(is_date("2023-04-31"));
  EXPECT_FALSE(is_date("2023-13-01"));
  EXPECT_FALSE(is_date("2023-1-01"));
  EXPECT_FALSE(is_date("2023-01-01T00:00:00Z"));
}

TEST(Formats, Time) {
  EXPECT_TRUE(is_time("09:30"));
  EXPECT_TRUE(is_time("18:00:00"));
  EXPECT_TRUE(is_time("18:00:00.5Z"));
  EXPECT_TRUE(is_time("18:00+01:00"));
  EXPECT_FALSE(is_time("24:00"));
  EXPECT_FALSE(is_time("9:30"));
  EXPECT_FALSE(is_time("09:60"));
  EXPECT_FALSE(is_time("09:30 am"));
}

TEST(Formats, DateTime) {
  EXPECT_TRUE(is_date_time("2023-03-15T10:30:45.123Z"));
  EXPECT_TRUE(is_date_time("2023-03-15T10:30:45+01:00"));
  EXPECT_FALSE(is_date_time("2023-03-15T10:30:45"));  // RFC 3339 needs an offset
  EXPECT_FALSE(is_date_time("2023-03-15T10:30Z"));     // and seconds
  EXPECT_FALSE(is_date_time("2023-03-15 10:30:45Z"));
  EXPECT_FALSE(is_date_time("2023-02-30T10:30:45Z"));
}

TEST(Validate, AValidServiceHasNoIssues) { EXPECT_TRUE(issues_of(service()).empty()); }

TEST(Validate, RequiredFieldsPresentAndNotEmpty) {
  auto r = service();
  r.set("name", "");
  r.set("status", Value{});
  const std::vector<Issue> expected = {{"s.json/name", "name is required"}, {"s.json/status", "status is required"}};
  EXPECT_EQ(issues_of(r), expected);
}

TEST(Validate, UuidsForIdsAndForeignKeys) {
  // HSDS asks for UUIDs; any text tells records apart and links them, so
  // another id is a warning (and a reference is still followed).
  auto r = service();
  r.set("id", "svc-1");
  r.set("organization_id", "org 1");
  const std::vector<Issue> expected = {
      warning("s.json/id", "id \"svc-1\" is not a UUID"),
      warning("s.json/organization_id", "organization_id \"org 1\" is not a UUID"),
      warning("s.json/organization_id", "organization_id \"org 1\": there is no organization with that id")};
  EXPECT_EQ(issues_of(r), expected);
}

TEST(Validate, FormatsAndEnums) {
  auto r = service();
  r.set("email", "nobody");
  r.set("url", "www.example.com");
  r.set("assured_date", "2023-02-30");
  r.set("last_modified", "yesterday");
  r.set("status", "open");
  const auto issues = issues_of(r);
  ASSERT_EQ(issues.size(), 5u);
  EXPECT_EQ(issues[0], (Issue{"s.json/url", "url \"www.example.com\" is not an absolute URI"}));
  EXPECT_EQ(issues[1], (Issue{"s.json/email", "email \"nobody\" is not an email address"}));
  EXPECT_EQ(issues[2],
            (Issue{"s.json/status", "status \"open\" is not one of: active, inactive, defunct, temporarily closed"}));
  EXPECT_EQ(issues[3], (Issue{"s.json/assured_date", "assured_date \"2023-02-30\" is not a date (YYYY-MM-DD)"}));
  EXPECT_EQ(issues[4], (Issue{"s.json/last_modified", "last_modified \"yesterday\" is not an RFC 3339 date-time"}));
}

TEST(Validate, ScheduleTimes) {
  Record r(entity("schedule"));
  r.set("id", p1);
  r.set("opens_at", "9am");
  r.set("closes_at", "17:00");
  r.source = "sched.csv:2";
  const std::vector<Issue> expected = {{"sched.csv:2:opens_at", "opens_at \"9am\" is not a time (HH:MM or HH:MM:SS)"}};
  EXPECT_EQ(issues_of(r), expected);
}

TEST(Validate, CoordinatesAgesAndAmounts) {
  Record loc(entity("location"));
  loc.set("id", l1);
  loc.set("location_type", "physical");
  loc.set("latitude", 91.0);
  loc.set("longitude", -181.0);
  EXPECT_EQ(issues_of(loc).size(), 2u);
  loc.set("latitude", -90.0);
  loc.set("longitude", 180.0);
  EXPECT_TRUE(issues_of(loc).empty());

  auto r = service();
  r.set("minimum_age", 18.0);
  r.set("maximum_age", 12.0);
  EXPECT_EQ(issues_of(r), (std::vector<Issue>{warning("s.json/minimum_age", "minimum_age 18 is above maximum_age 12")}));
  r.set("minimum_age", -1.0);
  EXPECT_EQ(issues_of(r), (std::vector<Issue>{warning("s.json/minimum_age", "minimum_age must not be negative")}));

  Record cost(entity("cost_option"));
  cost.set("id", p1);
  cost.set("amount", -5.0);
  cost.source = "c";
  EXPECT_EQ(issues_of(cost), (std::vector<Issue>{warning("c/amount", "amount must not be negative")}));
}

TEST(Validate, WhatTheSchemasDoNotBoundIsAWarning) {
  // The HSDS 3.0/3.1 and ORUK location schemas make latitude and longitude
  // plain numbers (no minimum or maximum): a location off the Earth is stored
  // as given, with a warning.
  Record loc(entity("location"));
  loc.set("id", l1);
  loc.set("location_type", "physical");
  loc.set("latitude", 100.0);
  loc.source = "location.json";
  EXPECT_EQ(issues_of(loc),
            (std::vector<Issue>{warning("location.json/latitude", "latitude 100 is outside -90 to 90")}));
}

TEST(Validate, WhatTheDatabaseCannotHoldIsAnError) {
  auto svc = service();
  svc.set("status", "open");  // outside the enum (a CHECK)
  svc.set("email", 7.0);      // a number where text belongs
  const auto issues = issues_of(svc);
  ASSERT_EQ(issues.size(), 2u);
  for (const auto& i : issues) EXPECT_TRUE(i.is_error()) << i;
}

TEST(Validate, AnIdentifierSchemeStandsInForTheIdentifierType) {
  // The schemas require identifier_type but call it "a human-readable
  // equivalent of the identifier_scheme" (the validator's passing feed gives
  // the scheme only).
  Record identifier(entity("organization_identifier"));
  identifier.set("id", "reg-12345");
  identifier.set("identifier_scheme", "UK-CHTY");
  identifier.set("identifier", "1122334");
  identifier.source = "organization_list.json/contents/0/organization_identifiers/0";
  EXPECT_EQ(issues_of(identifier),
            (std::vector<Issue>{
                warning(identifier.source + "/id", "id \"reg-12345\" is not a UUID"),
                warning(identifier.source + "/identifier_type",
                        "identifier_type is required; the identifier_scheme \"UK-CHTY\" stands in for it")}));
  identifier.set("identifier_scheme", Value{});
  EXPECT_EQ(issues_of(identifier)[1], (Issue{identifier.source + "/identifier_type", "identifier_type is required"}));
}

TEST(Validate, ReferencesResolveInTheSetOrThroughTheCallback) {
  auto r = service();
  r.set("organization_id", o1);
  // A reference that resolves nowhere is a warning: the record is stored as
  // given (the schemas make no referential rules; a feed comes in pieces).
  EXPECT_EQ(issues_of(r),
            (std::vector<Issue>{warning("s.json/organization_id",
                                        std::string("organization_id \"") + o1 + "\": there is no organization with that id")}));
  RecordSet set;
  Record org(entity("organization"));
  org.set("id", o1);
  set.add(org);
  EXPECT_TRUE(issues_of(r, set).empty());
  std::vector<std::string> asked;
  const ExistsFn database = [&](const Entity& e, std::string_view id) {
    asked.push_back(std::string(e.name) + ":" + std::string(id));
    return id == o1;
  };
  EXPECT_TRUE(issues_of(r, {}, database).empty());
  EXPECT_EQ(asked, (std::vector<std::string>{std::string("organization:") + o1}));
}

TEST(Validate, AttributeLinkResolvesThroughItsNamedEntity) {
  Record a(entity("attribute"));
  a.set("id", p1);
  a.set("link_id", missing);
  a.set("link_entity", "service");
  a.source = "a";
  EXPECT_EQ(issues_of(a), (std::vector<Issue>{warning("a/link_id", std::string("link_id \"") + missing +
                                                                          "\": there is no service with that id")}));
  a.set("link_entity", "link_entity");  // not an entity: the attribute belongs to nothing we know
  EXPECT_EQ(issues_of(a), (std::vector<Issue>{warning("a/link_entity", "link_entity \"link_entity\" is not an HSDS "
                                                                          "entity, so the attribute belongs to no record")}));
  Record m(entity("metadata"));
  m.set("id", p1);
  m.set("resource_id", s1);
  m.set("resource_type", "location");
  for (const char* f : {"last_action_date", "last_action_type", "field_name", "previous_value", "replacement_value",
                        "updated_by"})
    m.set(f, "x");
  m.set("last_action_date", "2024-01-01");
  m.source = "m";
  RecordSet with_service;
  with_service.add(service());
  EXPECT_EQ(issues_of(m, with_service),
            (std::vector<Issue>{warning("m/resource_id", std::string("resource_id \"") + s1 +
                                                             "\": there is no location with that id")}));
  m.set("resource_type", "service");
  EXPECT_TRUE(issues_of(m, with_service).empty());
}

TEST(DropInvalid, DropsInvalidRecordsAndWhatTheyOwn) {
  RecordSet set;
  auto bad = service();
  bad.set("email", "nope");
  set.add(bad);
  Record phone(entity("phone"));
  phone.set("id", p1);
  phone.set("service_id", s1);
  phone.set("number", "1");
  phone.source = "s.json/phones/0";
  set.add(phone);
  Record language(entity("language"));
  language.set("id", l1);
  language.set("phone_id", p1);
  language.source = "s.json/phones/0/languages/0";
  set.add(language);
  Record org(entity("organization"));
  org.set("id", o1);
  org.set("name", "O");
  org.set("description", "d");
  set.add(org);

  const auto result = drop_invalid(set);
  EXPECT_EQ(result.dropped, 3u);
  EXPECT_EQ(set.size(), 1u);
  EXPECT_TRUE(set.contains(entity("organization"), o1));
  const std::vector<Issue> expected = {
      {"s.json/email", "email \"nope\" is not an email address"},
      {"s.json/phones/0", std::string("dropped with the service \"") + s1 + "\" it belongs to"},
      {"s.json/phones/0/languages/0", std::string("dropped with the phone \"") + p1 + "\" it belongs to"},
  };
  EXPECT_EQ(result.issues, expected);
  EXPECT_TRUE(validate(set).empty());
}

TEST(DropInvalid, KeepsRecordsWithWarningsOnlyAndReportsThemOnce) {
  RecordSet set;
  auto svc = service();
  svc.set("organization_id", missing);  // resolves nowhere: a warning
  set.add(svc);
  Record loc(entity("location"));
  loc.set("id", l1);
  loc.set("location_type", "physical");
  loc.set("latitude", 100.0);
  loc.source = "l";
  set.add(loc);
  Record bad(entity("location"));
  bad.set("id", p1);  // no location_type: an error
  bad.set("latitude", 100.0);
  bad.source = "b";
  set.add(bad);
  const auto result = drop_invalid(set);
  EXPECT_EQ(result.dropped, 1u);
  EXPECT_EQ(set.size(), 2u);
  const std::vector<Issue> expected = {
      {"b/location_type", "location_type is required"},
      warning("l/latitude", "latitude 100 is outside -90 to 90"),
      warning("s.json/organization_id", std::string("organization_id \"") + missing + "\": there is no organization with that id"),
  };
  EXPECT_EQ(result.issues, expected);
}

TEST(DropInvalid, ReferencesToDroppedRecordsAreWarnings) {
  RecordSet set;
  Record term(entity("taxonomy_term"));
  term.set("id", p1);
  term.set("name", "T");  // no description: invalid
  term.source = "t";
  set.add(term);
  Record a(entity("attribute"));
  a.set("id", l1);
  a.set("taxonomy_term_id", p1);
  a.source = "a";
  set.add(a);
  const auto result = drop_invalid(set);
  EXPECT_EQ(result.dropped, 1u);
  EXPECT_TRUE(set.contains(entity("attribute"), l1));
  ASSERT_EQ(result.issues.size(), 2u);
  EXPECT_TRUE(result.issues[0].is_error());
  EXPECT_EQ(result.issues[1], warning("a/taxonomy_term_id", std::string("taxonomy_term_id \"") + p1 +
                                                                "\": there is no taxonomy_term with that id"));
}

}  // namespace
}  // namespace bespoke::hsds
