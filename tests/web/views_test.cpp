#include "web/views.h"

#include "store/town_stats.h"
#include "web/auth/caller.h"
#include "web/pages/home.h"
#include "web/static_files.h"

#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

namespace bespoke::web {
namespace {

namespace mustache = kainjow::mustache;

StaticFiles assets() {
  return StaticFiles::from_memory({
      {"manifest.json", R"({"app.css": "app-0123456789.css", "app.js": "app-abcdef0123.js",
                            "images/favicon.ico": "images/favicon.ico"})"},
      {"app-0123456789.css", "body{}"},
      {"app-abcdef0123.js", "export {};"},
  });
}

store::TownStats town(std::string place = "Ashby Wold") {
  store::TownStats s;
  s.has_town = true;
  s.place_name = std::move(place);
  s.scale = "town";
  s.seed = 1;
  s.residents = 50123;
  s.households = 21987;
  s.organisations = 1004;
  s.services = 3012;
  s.volunteers = 4321;
  s.neighbourhoods = 31;
  s.organisations_by_kind = {{"council", 1},          {"nhs", 12},           {"charity", 310},
                             {"community_led", 150},   {"social_enterprise", 90}, {"volunteer_group", 241},
                             {"private_company", 200}};
  s.locally_owned_organisations = 777;
  for (int d = 1; d <= 10; ++d) {
    s.by_decile[static_cast<std::size_t>(d - 1)] = store::DecileFigures{d, d == 3 ? 7 : 2 + d % 3, 1000L * d + 234};
  }
  return s;
}

bool contains(const std::string& haystack, std::string_view needle) { return haystack.find(needle) != std::string::npos; }

class ViewsTest : public ::testing::Test {
 protected:
  StaticFiles files_ = assets();
  Views views_{files_};
};

TEST_F(ViewsTest, LayoutHasLangSkipLinkBannerAndHashedAssets) {
  PageMeta meta;
  meta.title = "Home";
  const std::string html = views_.page("home", home_view(town()), meta);
  EXPECT_TRUE(html.starts_with("<!DOCTYPE html>"));
  EXPECT_TRUE(contains(html, "<html lang=\"en\" class=\"govuk-template\">"));
  EXPECT_TRUE(contains(html, "<title>Home – Bespoke</title>"));
  EXPECT_TRUE(contains(html, "<body class=\"govuk-template__body\">"));
  EXPECT_TRUE(contains(html, "<a href=\"#main-content\" class=\"govuk-skip-link\""));
  EXPECT_TRUE(contains(html, "id=\"main-content\""));
  EXPECT_TRUE(contains(html, "govuk-phase-banner"));
  EXPECT_TRUE(contains(html, ">Beta<"));
  EXPECT_TRUE(contains(html, "href=\"/feedback\""));
  EXPECT_TRUE(contains(html, "<link rel=\"stylesheet\" href=\"/static/app-0123456789.css\">"));
  EXPECT_TRUE(contains(html, "<script type=\"module\" src=\"/static/app-abcdef0123.js\"></script>"));
  EXPECT_TRUE(contains(html, "Open data and source"));
  EXPECT_TRUE(contains(html, ">Bespoke</a>"));

  // No inline script: every <script> has a src (the CSP is script-src 'self').
  int scripts = 0;
  for (std::size_t at = html.find("<script"); at != std::string::npos; at = html.find("<script", at + 1)) {
    ++scripts;
    const std::string tag = html.substr(at, html.find('>', at) - at + 1);
    EXPECT_TRUE(contains(tag, " src=\"")) << tag;
  }
  EXPECT_FALSE(contains(html, "<SCRIPT"));
  EXPECT_EQ(scripts, 1);
  EXPECT_FALSE(contains(html, " onload="));
  EXPECT_FALSE(contains(html, " onclick="));
}

TEST_F(ViewsTest, LangAndErrorSummaryComeFromPageMeta) {
  PageMeta meta;
  meta.title = "Rhowch eich cod post";
  meta.lang = "cy";
  meta.errors = {{"Enter your postcode", "#postcode"}, {"Something <odd>", ""}};
  const std::string html = views_.page("error", mustache::data{}, meta);
  EXPECT_TRUE(contains(html, "<html lang=\"cy\""));
  EXPECT_TRUE(contains(html, "<title>Error: Rhowch eich cod post – Bespoke</title>"));
  EXPECT_TRUE(contains(html, "govuk-error-summary"));
  EXPECT_TRUE(contains(html, "<a href=\"#postcode\">Enter your postcode</a>"));
  EXPECT_TRUE(contains(html, "Something &lt;odd&gt;"));
}

TEST_F(ViewsTest, HomeShowsTheFiguresWithThousandsSeparators) {
  const std::string html = render_home(views_, town(), Caller::anonymous()).body;
  EXPECT_TRUE(contains(html, "50,123"));
  EXPECT_TRUE(contains(html, "21,987"));
  EXPECT_TRUE(contains(html, "1,004"));
  EXPECT_TRUE(contains(html, "3,012"));
  EXPECT_TRUE(contains(html, "4,321"));
  for (const char* label : {"Council", "NHS", "Charity", "Community-led organisation", "Social enterprise",
                            "Volunteer group", "Private company"}) {
    EXPECT_TRUE(contains(html, std::string(">") + label + "<")) << label;
  }
  EXPECT_TRUE(contains(html, "777 of the 1,004 organisations are locally owned"));
  EXPECT_TRUE(contains(html, "Ashby Wold"));
  // The chart (one bar per decile) and its table.
  EXPECT_TRUE(contains(html, "role=\"img\""));
  std::size_t bars = 0;
  for (std::size_t at = html.find("app-chart__bar"); at != std::string::npos; at = html.find("app-chart__bar", at + 1)) {
    ++bars;
  }
  EXPECT_EQ(bars, 10u);
  EXPECT_TRUE(contains(html, "Decile 1 (most deprived)"));
  EXPECT_TRUE(contains(html, "Decile 10 (least deprived)"));
  EXPECT_TRUE(contains(html, "10,234"));
  EXPECT_TRUE(contains(html, "Decile 3 has the most neighbourhoods: 7."));
  EXPECT_FALSE(contains(html, "No town has been generated yet"));
}

TEST_F(ViewsTest, ValuesAreEscaped) {
  const std::string html = render_home(views_, town("<script>alert('x')</script> & Co"), Caller::anonymous()).body;
  EXPECT_FALSE(contains(html, "<script>alert"));
  EXPECT_TRUE(contains(html, "&lt;script&gt;alert(&apos;x&apos;)&lt;/script&gt; &amp; Co"));  // mustache
  EXPECT_TRUE(contains(html, "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; Co"));    // the SVG title
}

TEST_F(ViewsTest, HomeWithoutATownSaysHowToMakeOne) {
  const auto response = render_home(views_, store::TownStats{}, Caller::anonymous());
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.header("content-type"), "text/html; charset=utf-8");
  EXPECT_TRUE(contains(response.body, "govuk-inset-text"));
  EXPECT_TRUE(contains(response.body, "No town has been generated yet"));
  EXPECT_TRUE(contains(response.body, "bespoke demo --scale town --seed 1"));
  EXPECT_FALSE(contains(response.body, "app-chart__svg"));  // no chart (the start button has an icon)
  EXPECT_TRUE(contains(response.body, "href=\"/services\""));  // the directory works without a town
}

TEST_F(ViewsTest, ErrorPageIsAGovukErrorPage) {
  const std::string html = views_.error_page(404, "Not Found", "There is no page at /nope.");
  EXPECT_TRUE(contains(html, "<title>Page not found – Bespoke</title>"));
  EXPECT_TRUE(contains(html, "<h1 class=\"govuk-heading-l\">Page not found</h1>"));
  EXPECT_TRUE(contains(html, "There is no page at /nope."));
  EXPECT_TRUE(contains(html, "If you typed the web address, check it is correct."));
  EXPECT_TRUE(contains(html, "skip-link"));

  const std::string custom = views_.error_page(409, "That place has gone", "<b>sorry</b>");
  EXPECT_TRUE(contains(custom, ">That place has gone</h1>"));
  EXPECT_TRUE(contains(custom, "&lt;b&gt;sorry&lt;/b&gt;"));
  EXPECT_TRUE(contains(views_.error_page(503, "Service Unavailable", ""), "Sorry, the service is unavailable"));
}

TEST_F(ViewsTest, UnknownTemplatesAreABug) {
  EXPECT_THROW((void)views_.page("nope", mustache::data{}, PageMeta{}), std::invalid_argument);
}

TEST(Views, BrokenTemplatesStopStartUp) {
  const auto files = assets();
  const std::vector<core::EmbeddedFile> missing_layout{{"error.mustache", "x"}};
  EXPECT_THROW(Views(missing_layout, files), std::runtime_error);
  const std::vector<core::EmbeddedFile> unclosed{
      {"layout.mustache", "{{{content}}}"}, {"error.mustache", "x"}, {"bad.mustache", "{{#open}}never closed"}};
  EXPECT_THROW(Views(unclosed, files), std::runtime_error);
}

TEST_F(ViewsTest, RendersConcurrentlyFromSeveralThreads) {
  const std::string expected_home = render_home(views_, town(), Caller::anonymous()).body;
  const std::string expected_error = views_.error_page(404, "Not Found", "gone");
  constexpr int kThreads = 8;
  constexpr int kRounds = 150;
  std::atomic<int> mismatches{0};
  std::atomic<bool> go{false};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      while (!go.load()) std::this_thread::yield();
      const auto stats = town();
      for (int i = 0; i < kRounds; ++i) {
        if ((i + t) % 2 == 0) {
          if (render_home(views_, stats, Caller::anonymous()).body != expected_home) ++mismatches;
        } else {
          if (views_.error_page(404, "Not Found", "gone") != expected_error) ++mismatches;
        }
      }
    });
  }
  go = true;
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(mismatches.load(), 0);
  EXPECT_GE(views_.compiled_sets(), 1u);
  EXPECT_LE(views_.compiled_sets(), static_cast<std::size_t>(kThreads) + 1);
}

}  // namespace
}  // namespace bespoke::web
