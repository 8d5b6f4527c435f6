// Provider staff editing their organisation's services and locations against
// the real server, on SQLite and PostgreSQL: the forms, their errors, who may
// use them, and that search sees every change at once.
#include "http/browser_client.h"
#include "http/server_process.h"
#include "http/test_env.h"
#include "web/http.h"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <string>

namespace bespoke::testing {
namespace {

// The text after `marker` in html up to the next quote ("" when absent).
std::string after(const std::string& html, const std::string& marker, std::size_t from = 0) {
  const auto at = html.find(marker, from);
  if (at == std::string::npos) return {};
  const auto start = at + marker.size();
  return html.substr(start, html.find('"', start) - start);
}

// The ids of the services /api/v1/services finds for a query string.
std::vector<std::string> search(std::uint16_t port, const std::string& query) {
  const auto reply = http(port, "GET", "/api/v1/services?" + query);
  EXPECT_EQ(reply.status, 200) << reply.body.substr(0, 300);
  std::vector<std::string> ids;
  if (reply.status != 200) return ids;
  const auto parsed = boost::json::parse(reply.body);
  for (const auto& hit : parsed.at("results").as_array())
    ids.emplace_back(hit.at("id").as_string());
  return ids;
}

std::vector<std::string> search_text(std::uint16_t port, const std::string& text) {
  return search(port, "q=" + web::percent_encode(text));
}

Fields service_fields(const std::string& name, const std::string& location) {
  Fields f{{"name", name},
           {"description", "Knitting and a cup of tea, every week.\r\nAll welcome."},
           {"email", "knit@example.org"},
           {"url", "https://example.org/knitting"},
           {"status", "active"},
           {"monday-opens", "9:00"},
           {"monday-closes", "12:00"},
           {"tuesday-opens", "09:00"},
           {"tuesday-closes", "12:00"},
           {"saturday-opens", "10:30"},
           {"saturday-closes", "13:00"}};
  if (!location.empty()) f.emplace_back("location", location);
  return f;
}

class ProviderEdit : public ::testing::TestWithParam<Backend> {};

TEST_P(ProviderEdit, StaffAddEditAndRetireAServiceAndSearchSeesEachChangeAtOnce) {
  BESPOKE_NEED(writable_demo_town(GetParam(), db_skip), db);
  ServerProcess server(db, {"--demo"});
  BrowserClient provider(server.port()), other(server.port()), resident(server.port()), stranger(server.port());
  ASSERT_TRUE(provider.sign_in("provider1@demo.invalid", kDemoPassword));
  ASSERT_TRUE(other.sign_in("provider2@demo.invalid", kDemoPassword));
  ASSERT_TRUE(resident.sign_in("resident1@demo.invalid", kDemoPassword));
  const auto organisation = linked_organisation(provider);
  ASSERT_EQ(organisation.size(), 36u);
  const auto manage = "/organisations/" + organisation + "/manage";

  const auto page = provider.get(manage);
  ASSERT_EQ(page.status, 200);
  EXPECT_NE(page.body.find("Add a service"), std::string::npos);
  EXPECT_NE(page.body.find("Add a location"), std::string::npos);
  const auto form = provider.get("/organisations/" + organisation + "/services/new");
  ASSERT_EQ(form.status, 200);
  const auto location = after(form.body, "name=\"location\" type=\"checkbox\" value=\"");
  ASSERT_EQ(location.size(), 36u) << "the demo organisation has a location";

  // Added: found by search at once, with its hours and site.
  const auto added = provider.post_form("/organisations/" + organisation + "/services/new",
                                        service_fields("Zebrafinch knitting circle", location));
  ASSERT_EQ(added.status, 303) << added.body.substr(0, 2000);
  EXPECT_EQ(added.header("location"), manage);
  const auto found = search_text(server.port(), "Zebrafinch");
  ASSERT_EQ(found.size(), 1u);
  const auto service = found.front();
  const auto shown = provider.get("/services/" + service);
  EXPECT_EQ(shown.status, 200);
  EXPECT_NE(shown.body.find("10:30"), std::string::npos) << "Saturday's hours on the service's page";
  EXPECT_NE(provider.get(manage).body.find("/services/" + service + "/edit"), std::string::npos);
  const auto edit = provider.get("/services/" + service + "/edit");
  ASSERT_EQ(edit.status, 200);
  EXPECT_NE(edit.body.find("value=\"09:00\""), std::string::npos) << "9:00 was stored as 09:00";
  EXPECT_NE(edit.body.find("value=\"" + location + "\" checked"), std::string::npos);

  // Bad answers: 422, every field named, the answers kept, nothing changed.
  auto bad_fields = service_fields("", location);
  bad_fields.emplace_back("wednesday-opens", "25:00");
  bad_fields.emplace_back("wednesday-closes", "12:00");
  bad_fields.emplace_back("thursday-opens", "14:00");
  bad_fields.emplace_back("thursday-closes", "13:00");
  for (auto& [name, value] : bad_fields)
    if (name == "url") value = "ftp://example.org/files";
  const auto bad = provider.post_form("/services/" + service + "/edit", bad_fields);
  EXPECT_EQ(bad.status, 422);
  for (const char* field : {"#name", "#url", "#wednesday-opens", "#thursday-closes"})
    EXPECT_NE(bad.body.find("href=\"" + std::string(field) + "\""), std::string::npos) << field;
  EXPECT_NE(bad.body.find("govuk-error-summary"), std::string::npos);
  EXPECT_NE(bad.body.find("value=\"ftp://example.org/files\""), std::string::npos) << "the answer is kept";
  EXPECT_NE(bad.body.find("value=\"25:00\""), std::string::npos);
  EXPECT_EQ(search_text(server.port(), "Zebrafinch"), found);
  auto long_name = service_fields(std::string(201, 'x'), location);
  EXPECT_EQ(provider.post_form("/services/" + service + "/edit", long_name).status, 422);

  // Edited: the new name is found, the old one no longer.
  const auto edited =
      provider.post_form("/services/" + service + "/edit", service_fields("Quokka knitting circle", location));
  ASSERT_EQ(edited.status, 303) << edited.body.substr(0, 2000);
  EXPECT_EQ(search_text(server.port(), "Quokka"), found);
  EXPECT_TRUE(search_text(server.port(), "Zebrafinch").empty());

  // Another organisation's staff: as if it did not exist. Other roles: 403.
  other.get("/account");
  EXPECT_EQ(other.get("/services/" + service + "/edit").status, 404);
  EXPECT_EQ(other.post_form("/services/" + service + "/edit", service_fields("Hijacked", "")).status, 404);
  EXPECT_EQ(other.post_form("/services/" + service + "/retire", {}).status, 404);
  EXPECT_EQ(other.get(manage).status, 404);
  EXPECT_EQ(other.post_form("/organisations/" + organisation + "/services/new", service_fields("Other", "")).status,
            404);
  EXPECT_EQ(other.post_form("/locations/" + location + "/retire", {}).status, 404);
  resident.get("/account");
  EXPECT_EQ(resident.get("/services/" + service + "/edit").status, 403);
  EXPECT_EQ(resident.post_form("/services/" + service + "/retire", {}).status, 403);
  EXPECT_EQ(stranger.get(manage).status, 303);
  EXPECT_EQ(search_text(server.port(), "Quokka"), found) << "nothing they sent changed it";
  EXPECT_TRUE(search_text(server.port(), "Hijacked").empty());

  // Without the form's token nothing changes either.
  EXPECT_EQ(provider.post_form("/services/" + service + "/retire", {{"confirm", "yes"}}, false).status, 403);
  EXPECT_EQ(search_text(server.port(), "Quokka"), found);

  // Retired: out of search, its page says it is not running.
  provider.get(manage);
  const auto retired = provider.post_form("/services/" + service + "/retire", {});
  EXPECT_EQ(retired.status, 303);
  EXPECT_EQ(retired.header("location"), manage);
  EXPECT_TRUE(search_text(server.port(), "Quokka").empty());
  const auto after_retiring = provider.get("/services/" + service);
  EXPECT_EQ(after_retiring.status, 200);
  EXPECT_NE(after_retiring.body.find("not running"), std::string::npos);
  EXPECT_NE(provider.get(manage).body.find("Not running"), std::string::npos);
}

TEST_P(ProviderEdit, StaffAddAndRetireALocationWhosePostcodePutsItOnTheMap) {
  BESPOKE_NEED(writable_demo_town(GetParam(), db_skip), db);
  ServerProcess server(db, {"--demo"});
  BrowserClient provider(server.port());
  ASSERT_TRUE(provider.sign_in("provider1@demo.invalid", kDemoPassword));
  const auto organisation = linked_organisation(provider);
  ASSERT_EQ(organisation.size(), 36u);
  const auto manage = "/organisations/" + organisation + "/manage";

  // A postcode of the demo place: the organisation's own location's.
  const auto existing = after(provider.get(manage).body, "href=\"/locations/");
  ASSERT_GE(existing.size(), 36u);
  const auto existing_form = provider.get("/locations/" + existing.substr(0, 36) + "/edit");
  ASSERT_EQ(existing_form.status, 200);
  const auto postcode = after(existing_form.body, "name=\"postcode\" type=\"text\" autocomplete=\"postal-code\""
                                                  " spellcheck=\"false\" value=\"");
  ASSERT_FALSE(postcode.empty());
  std::string typed;  // as a person might type it
  for (const char c : postcode)
    if (c != ' ') typed += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));

  const auto new_location = "/organisations/" + organisation + "/locations/new";
  provider.get(new_location);
  const auto bad = provider.post_form(new_location, {{"name", "Wombat Annexe"}, {"postcode", "not a postcode"}});
  EXPECT_EQ(bad.status, 422);
  EXPECT_NE(bad.body.find("href=\"#postcode\""), std::string::npos);
  EXPECT_NE(bad.body.find("href=\"#address_1\""), std::string::npos) << "an address needs its first line";
  EXPECT_EQ(provider.get(manage).body.find("Wombat Annexe"), std::string::npos) << "nothing was added";

  const auto added = provider.post_form(
      new_location, {{"name", "Wombat Annexe"}, {"address_1", "1 High Street"}, {"city", "Town"}, {"postcode", typed}});
  ASSERT_EQ(added.status, 303) << added.body.substr(0, 2000);
  const auto listing = provider.get(manage).body;
  const auto row = listing.find("Wombat Annexe");
  ASSERT_NE(row, std::string::npos);
  EXPECT_NE(listing.find(postcode, row), std::string::npos) << "the postcode, normalised";
  const auto annexe = after(listing, "href=\"/locations/", row).substr(0, 36);
  ASSERT_EQ(annexe.size(), 36u);

  // A service there is found near the postcode, at the annexe.
  provider.get("/organisations/" + organisation + "/services/new");
  const auto service_added = provider.post_form("/organisations/" + organisation + "/services/new",
                                                service_fields("Wombat repair cafe", annexe));
  ASSERT_EQ(service_added.status, 303);
  const auto near = http(server.port(), "GET", "/api/v1/services?q=Wombat&postcode=" + web::percent_encode(postcode));
  ASSERT_EQ(near.status, 200) << near.body.substr(0, 300);
  const auto hits = boost::json::parse(near.body).at("results").as_array();
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits.at(0).at("site").at("location_id").as_string(), annexe);
  const auto service = std::string(hits.at(0).at("id").as_string());

  // Retired: no service lists it, the location stays.
  provider.get("/locations/" + annexe + "/edit");
  EXPECT_EQ(provider.post_form("/locations/" + annexe + "/retire", {}).status, 303);
  const auto hsds = http(server.port(), "GET", "/hsds/services/" + service);
  ASSERT_EQ(hsds.status, 200);
  EXPECT_EQ(hsds.body.find(annexe), std::string::npos) << "the service no longer lists the annexe";
  EXPECT_EQ(provider.get("/locations/" + annexe + "/edit").status, 200);
  EXPECT_TRUE(search(server.port(), "q=Wombat&postcode=" + web::percent_encode(postcode)).empty())
      << "at no place now, so not near one";
  EXPECT_EQ(search_text(server.port(), "Wombat"), std::vector<std::string>{service}) << "but still running";
}

INSTANTIATE_TEST_SUITE_P(BothDrivers, ProviderEdit, ::testing::Values(Backend::sqlite, Backend::postgres),
                         [](const auto& info) { return std::string(backend_name(info.param)); });

}  // namespace
}  // namespace bespoke::testing
