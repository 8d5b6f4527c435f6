// The directory's pages against the real server on the demo town, on SQLite
// and PostgreSQL: search (by text, need, postcode, neighbourhood, filters),
// a service, an organisation, errors as GOV.UK error summaries, 404s.
#include "http/server_process.h"
#include "http/test_env.h"
#include "web/pages/directory_format.h"

#include <boost/json.hpp>
#include <gtest/gtest.h>

#include <regex>

namespace bespoke::testing {
namespace {

class DirectoryPages : public ::testing::TestWithParam<Backend> {};

std::string param_name(const ::testing::TestParamInfo<Backend>& info) { return backend_name(info.param); }

bool has(const std::string& body, const std::string& text) { return body.find(text) != std::string::npos; }

// Every match of the regex's first group, in order.
std::vector<std::string> all_of(const std::string& body, const std::string& pattern) {
  std::vector<std::string> out;
  const std::regex re(pattern);
  for (auto it = std::sregex_iterator(body.begin(), body.end(), re); it != std::sregex_iterator(); ++it)
    out.push_back((*it)[1].str());
  return out;
}

std::string page_target(const web::QueryPairs& pairs) { return "/services" + web::query_string(pairs); }

// A postcode of the demo town that has services near it (from the JSON API).
std::string some_postcode(std::uint16_t port) {
  const auto r = http(port, "GET", "/api/v1/services?need=food&per_page=20");
  if (r.status != 200) return {};
  const auto body = boost::json::parse(r.body);  // kept alive for the loop
  for (const auto& hit : body.at("results").as_array()) {
    const auto* site = hit.as_object().if_contains("site");
    if (site && site->as_object().if_contains("postal_code")) return std::string(site->at("postal_code").as_string());
  }
  return {};
}

TEST_P(DirectoryPages, TheSearchPageShowsTheFormAndTheFirstPageOfServices) {
  BESPOKE_NEED(town_database(GetParam(), db_skip), db);
  ServerProcess server(db, {"--no-migrate"});
  const auto r = http(server.port(), "GET", "/services");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.header("content-type"), "text/html; charset=utf-8");
  for (const char* text : {"<h1 class=\"govuk-heading-l\">Find help near you</h1>", "What do you need help with?",
                           "name=\"postcode\"", "For example, ZA1 2BD", "name=\"neighbourhood\"", "Within 5 km",
                           "value=\"food\"", "name=\"kind\"", "value=\"charity\"", "name=\"open_now\"",
                           "name=\"has_capacity\"", "name=\"accessibility\"", "name=\"age\"", "services found",
                           "govuk-summary-card", "Last checked", "govuk-pagination", "href=\"/services?page=2\""}) {
    EXPECT_TRUE(has(r.body, text)) << "missing: " << text;
  }
  EXPECT_FALSE(has(r.body, "govuk-error-summary"));
  EXPECT_EQ(all_of(r.body, "href=\"/services/([0-9a-f-]{36})\"").size(), 20u) << "a page of 20 services";
  // Facet counts next to the filters: "Charity (123)".
  EXPECT_TRUE(std::regex_search(r.body, std::regex(R"(Charity \([0-9,]+\))"))) << "a count next to Charity";
}

TEST_P(DirectoryPages, SearchByNeedAndPostcodeShowsTheNearestWithDistances) {
  BESPOKE_NEED(town_database(GetParam(), db_skip), db);
  ServerProcess server(db, {"--no-migrate"});
  const auto postcode = some_postcode(server.port());
  ASSERT_FALSE(postcode.empty());
  // Typed as people type it: lower case, no space.
  std::string typed;
  for (const char c : postcode)
    if (c != ' ') typed.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  const auto r = http(server.port(), "GET", page_target({{"need", "food"}, {"postcode", typed}, {"radius_km", "20"}}));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(has(r.body, "services found") || has(r.body, "1 service found"));
  const auto distances = all_of(r.body, R"(data-distance>([0-9.]+) km away)");
  ASSERT_FALSE(distances.empty()) << "results show their distance";
  for (std::size_t i = 1; i < distances.size(); ++i)
    EXPECT_LE(std::stod(distances[i - 1]), std::stod(distances[i])) << "nearest first";
  EXPECT_TRUE(has(r.body, "value=\"" + typed + "\"")) << "the postcode stays in the form";
  EXPECT_TRUE(has(r.body, "<option value=\"food\" selected>")) << "the need stays chosen";
  EXPECT_TRUE(has(r.body, "<option value=\"20\" selected>"));
  EXPECT_TRUE(has(r.body, "Open now") || has(r.body, "Closed now"));
}

TEST_P(DirectoryPages, SearchAroundANeighbourhoodAndWithFilters) {
  BESPOKE_NEED(town_database(GetParam(), db_skip), db);
  ServerProcess server(db, {"--no-migrate"});
  const auto form = http(server.port(), "GET", "/services");
  const auto select_at = form.body.find("name=\"neighbourhood\"");
  ASSERT_NE(select_at, std::string::npos);
  const auto codes = all_of(form.body.substr(select_at, form.body.find("</select>", select_at) - select_at),
                            "<option value=\"([^\"]+)\"");
  ASSERT_FALSE(codes.empty());
  const auto near = http(server.port(), "GET", page_target({{"neighbourhood", codes.front()}, {"radius_km", "5"}}));
  ASSERT_EQ(near.status, 200) << near.body;
  EXPECT_TRUE(has(near.body, "km away"));
  EXPECT_TRUE(has(near.body, "<option value=\"" + codes.front() + "\" selected>"));

  const auto filtered = http(server.port(), "GET",
                             page_target({{"kind", "charity"}, {"kind", "community_led"}, {"cost", "free"},
                                          {"has_capacity", "true"}, {"age", "30"}, {"language", "en"},
                                          {"open_now", "true"}}));
  ASSERT_EQ(filtered.status, 200) << filtered.body;
  EXPECT_TRUE(has(filtered.body, "<details class=\"govuk-details\" open>")) << "the filters used are shown";
  EXPECT_TRUE(has(filtered.body, "value=\"charity\" checked"));
  EXPECT_TRUE(has(filtered.body, "value=\"community_led\" checked"));
  EXPECT_FALSE(has(filtered.body, "Closed now")) << "open now finds only open services";
  EXPECT_FALSE(has(filtered.body, "No places available"));
  EXPECT_FALSE(has(filtered.body, ">Paid<"));

  const auto nothing = http(server.port(), "GET", page_target({{"q", "zzzxqqy unfindable"}}));
  ASSERT_EQ(nothing.status, 200);
  EXPECT_TRUE(has(nothing.body, "0 services found"));
  EXPECT_TRUE(has(nothing.body, "No services match your search"));
}

TEST_P(DirectoryPages, BadQueriesGetAnErrorSummaryLinkingToTheField) {
  BESPOKE_NEED(town_database(GetParam(), db_skip), db);
  ServerProcess server(db, {"--no-migrate"});
  struct Case {
    std::string query;
    std::string field;
  };
  const std::vector<Case> cases{
      {"postcode=NOT+A+POSTCODE", "postcode"},
      {"postcode=ZZ99+9ZZ", "postcode"},
      {"postcode=ZA1+2BD&radius_km=9999", "radius_km"},
      {"radius_km=9999", "radius_km"},
      {"age=-1", "age"},
      {"age=abc", "age"},
      {"page=0", "page"},
      {"page=abc", "page"},
      {"kind=bogus", "kind"},
      {"need=bogus", "need"},
      {"language=123", "language"},
      {"accessibility=bogus", "accessibility"},
      {"open_now=maybe", "open_now"},
      {"neighbourhood=nowhere", "neighbourhood"},
      {"sort=sideways", "sort"},
      {"q=" + std::string(201, 'x'), "q"},
      {"q=" + std::string(7000, 'x'), "q"},
      {"q=%ZZ", "query"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.query.substr(0, 60));
    const auto r = http(server.port(), "GET", "/services?" + c.query);
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(r.header("content-type"), "text/html; charset=utf-8");
    EXPECT_TRUE(has(r.body, "govuk-error-summary"));
    EXPECT_TRUE(has(r.body, "<title>Error: Find help near you"));
    EXPECT_TRUE(has(r.body, "href=\"#" + c.field + "\"")) << "the summary links to the field";
    EXPECT_TRUE(has(r.body, "id=\"" + c.field + "\"")) << "the field is on the page";
    EXPECT_FALSE(has(r.body, "services found")) << "no results with a wrong query";
  }
  // Whatever was typed comes back escaped.
  const auto script = http(server.port(), "GET",
                           page_target({{"q", "<script>alert(1)</script>"}, {"postcode", "<b>NOT</b>"}}));
  EXPECT_EQ(script.status, 400);
  EXPECT_FALSE(has(script.body, "<script>alert(1)"));
  EXPECT_FALSE(has(script.body, "<b>NOT</b>"));
  EXPECT_TRUE(has(script.body, "value=\"&lt;script&gt;alert(1)&lt;/script&gt;\""));
  EXPECT_TRUE(has(script.body, "href=\"#postcode\""));
  // An address longer than the server takes (8 KiB) is refused before the page.
  EXPECT_EQ(http(server.port(), "GET", "/services?q=" + std::string(10'000, 'x')).status, 414);
  EXPECT_EQ(http(server.port(), "GET", "/healthz").status, 200);
}

TEST_P(DirectoryPages, PaginationKeepsTheQuery) {
  BESPOKE_NEED(town_database(GetParam(), db_skip), db);
  ServerProcess server(db, {"--no-migrate"});
  const auto first = http(server.port(), "GET", page_target({{"q", "advice"}, {"kind", "charity"}}));
  ASSERT_EQ(first.status, 200) << first.body;
  ASSERT_TRUE(has(first.body, "govuk-pagination")) << "enough results for two pages";
  EXPECT_TRUE(has(first.body, "href=\"/services?q=advice&amp;kind=charity&amp;page=2\""));
  const auto second = http(server.port(), "GET", page_target({{"q", "advice"}, {"kind", "charity"}, {"page", "2"}}));
  ASSERT_EQ(second.status, 200);
  EXPECT_TRUE(has(second.body, "aria-current=\"page\">2<"));
  EXPECT_TRUE(has(second.body, "href=\"/services?q=advice&amp;kind=charity\" rel=\"prev\""));
  const auto ids1 = all_of(first.body, "href=\"/services/([0-9a-f-]{36})\"");
  const auto ids2 = all_of(second.body, "href=\"/services/([0-9a-f-]{36})\"");
  ASSERT_FALSE(ids2.empty());
  EXPECT_EQ(std::find(ids1.begin(), ids1.end(), ids2.front()), ids1.end()) << "page 2 shows other services";
  const auto beyond = http(server.port(), "GET", page_target({{"q", "advice"}, {"page", "99999"}}));
  EXPECT_EQ(beyond.status, 200);
  EXPECT_TRUE(has(beyond.body, "There are no more results"));
}

TEST_P(DirectoryPages, AServicePageShowsHowToGetItAndItsOrganisationListsIt) {
  BESPOKE_NEED(town_database(GetParam(), db_skip), db);
  ServerProcess server(db, {"--no-migrate"});
  const auto search = http(server.port(), "GET", "/services?need=food");
  const auto ids = all_of(search.body, "href=\"/services/([0-9a-f-]{36})\"");
  ASSERT_FALSE(ids.empty());
  const auto page = http(server.port(), "GET", "/services/" + ids.front());
  ASSERT_EQ(page.status, 200) << page.body;
  for (const char* text : {"Who runs it", "Who it is for", "How to get it", "Languages", "Cost", "Where",
                           "Opening times", "<th scope=\"row\" class=\"govuk-table__header\">Monday</th>",
                           "Last checked ", "Helps with", "Food and essentials",
                           "View as open data (HSDS JSON)"}) {
    EXPECT_TRUE(has(page.body, text)) << "missing: " << text;
  }
  EXPECT_TRUE(has(page.body, "href=\"/hsds/services/" + ids.front() + "\""));
  EXPECT_TRUE(std::regex_search(page.body, std::regex(R"(Last checked [0-9]{1,2} [A-Z][a-z]+ 20[0-9]{2})")));
  // The same address gives the same page: it can be shared.
  EXPECT_EQ(http(server.port(), "GET", "/services/" + ids.front()).body.size(), page.body.size());

  const auto orgs = all_of(page.body, "href=\"/organisations/([0-9a-f-]{36})\"");
  ASSERT_FALSE(orgs.empty());
  const auto org = http(server.port(), "GET", "/organisations/" + orgs.front());
  ASSERT_EQ(org.status, 200) << org.body;
  EXPECT_TRUE(has(org.body, "Type of organisation"));
  EXPECT_TRUE(has(org.body, "Services ("));
  EXPECT_TRUE(has(org.body, "href=\"/services/" + ids.front() + "\"")) << "the organisation lists the service";
  EXPECT_TRUE(has(org.body, "href=\"/hsds/organizations/" + orgs.front() + "\""));
}

TEST_P(DirectoryPages, BankHolidayChangesAreListedApartFromTheWeeklyHours) {
  BESPOKE_NEED(town_database(GetParam(), db_skip), db);
  ServerProcess server(db, {"--no-migrate"});
  const auto ids = all_of(http(server.port(), "GET", "/services").body, "href=\"/services/([0-9a-f-]{36})\"");
  const std::regex change(R"(<li>(Closed|Open [^<]+) (on|from) [0-9]{1,2} [A-Z][a-z]+ 20[0-9]{2}[^<]*</li>)");
  int with_changes = 0;
  for (const auto& id : ids) {
    const auto page = http(server.port(), "GET", "/services/" + id);
    ASSERT_EQ(page.status, 200);
    if (!has(page.body, "Bank holidays and other changes")) continue;
    ++with_changes;
    EXPECT_TRUE(std::regex_search(page.body, change)) << id;
    EXPECT_FALSE(has(page.body, "(Closed for ")) << "the reason does not repeat 'Closed'";
  }
  EXPECT_GT(with_changes, 0) << "some of the first services have bank-holiday changes";
}

TEST_P(DirectoryPages, UnknownAndMalformedIdsArePageNotFound) {
  BESPOKE_NEED(town_database(GetParam(), db_skip), db);
  ServerProcess server(db, {"--no-migrate"});
  for (const char* target : {"/services/not-a-uuid", "/services/00000000-0000-4000-8000-000000000000",
                             "/services/%27%20OR%201%3D1", "/organisations/123",
                             "/organisations/00000000-0000-4000-8000-000000000000",
                             "/services/00000000-0000-4000-8000-00000000000G"}) {
    SCOPED_TRACE(target);
    const auto r = http(server.port(), "GET", target);
    EXPECT_EQ(r.status, 404);
    EXPECT_EQ(r.header("content-type"), "text/html; charset=utf-8");
    EXPECT_TRUE(has(r.body, "Page not found"));
  }
}

INSTANTIATE_TEST_SUITE_P(BothDrivers, DirectoryPages, ::testing::Values(Backend::sqlite, Backend::postgres),
                         param_name);

}  // namespace
}  // namespace bespoke::testing
