#include "web/static_files.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <string>

namespace bespoke::web {
namespace {

Request get(std::string path, std::string method = "GET") {
  Request r;
  r.method = std::move(method);
  r.path = path;
  r.target = std::move(path);
  return r;
}

StaticFiles sample() {
  return StaticFiles::from_memory({
      {"manifest.json", R"({"app.css": "app-0123456789.css", "app.js": "app-abcdef0123.js", "site.webmanifest": "site.webmanifest"})"},
      {"app-0123456789.css", "body{color:#0b0c0c}"},
      {"app-abcdef0123.js", "export {};"},
      {"site.webmanifest", "{\"icons\":[]}"},
      {"fonts/bold-b542beb274-v2.woff2", "font bytes"},
      {"images/favicon.ico", "ico bytes"},
  });
}

TEST(StaticFiles, UrlUsesTheManifestAndFallsBackToTheLogicalName) {
  const auto files = sample();
  EXPECT_EQ(files.url("app.css"), "/static/app-0123456789.css");
  EXPECT_EQ(files.url("app.js"), "/static/app-abcdef0123.js");
  EXPECT_TRUE(files.has("app.css"));
  EXPECT_FALSE(files.has("nope.css"));
  EXPECT_EQ(files.url("nope.css"), "/static/nope.css");
  EXPECT_EQ(StaticFiles().url("app.css"), "/static/app.css");
}

TEST(StaticFiles, ServesHashedFilesAsImmutableWithAStrongEtag) {
  const auto files = sample();
  const auto r = files.serve(get("/static/app-0123456789.css"));
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "body{color:#0b0c0c}");
  EXPECT_EQ(r->header("content-type"), "text/css; charset=utf-8");
  EXPECT_EQ(r->header("cache-control"), "public, max-age=31536000, immutable");
  const auto etag = r->header("etag");
  ASSERT_TRUE(etag);
  EXPECT_EQ(etag->size(), 34u);
  EXPECT_EQ(etag->front(), '"');
  EXPECT_EQ(etag->back(), '"');
  EXPECT_FALSE(etag->starts_with("W/"));

  // Same content, same tag; other content, other tag.
  EXPECT_EQ(files.serve(get("/assets/app-0123456789.css"))->header("etag"), etag);
  EXPECT_NE(files.serve(get("/static/app-abcdef0123.js"))->header("etag"), etag);
}

TEST(StaticFiles, FontsUnderAssetsAreImmutableAndIconsShortLived) {
  const auto files = sample();
  const auto font = files.serve(get("/assets/fonts/bold-b542beb274-v2.woff2"));
  ASSERT_TRUE(font);
  EXPECT_EQ(font->header("content-type"), "font/woff2");
  EXPECT_EQ(font->header("cache-control"), "public, max-age=31536000, immutable");
  const auto icon = files.serve(get("/static/images/favicon.ico"));
  ASSERT_TRUE(icon);
  EXPECT_EQ(icon->header("content-type"), "image/x-icon");
  EXPECT_EQ(icon->header("cache-control"), "public, max-age=3600");
  EXPECT_EQ(files.serve(get("/static/site.webmanifest"))->header("content-type"), "application/manifest+json");
  EXPECT_EQ(files.serve(get("/static/app-abcdef0123.js"))->header("content-type"), "text/javascript; charset=utf-8");
}

TEST(StaticFiles, AnswersNotModifiedToAMatchingIfNoneMatch) {
  const auto files = sample();
  const std::string etag(*files.serve(get("/static/app-0123456789.css"))->header("etag"));

  for (const std::string& header : {etag, "W/" + etag, "\"other\", " + etag, std::string("*")}) {
    auto request = get("/static/app-0123456789.css");
    request.headers.emplace_back("if-none-match", header);
    const auto r = files.serve(request);
    ASSERT_TRUE(r) << header;
    EXPECT_EQ(r->status, 304) << header;
    EXPECT_TRUE(r->body.empty());
    EXPECT_EQ(r->header("etag"), etag);
    EXPECT_EQ(r->header("cache-control"), "public, max-age=31536000, immutable");
  }
  auto request = get("/static/app-0123456789.css");
  request.headers.emplace_back("if-none-match", "\"0000\"");
  EXPECT_EQ(files.serve(request)->status, 200);
}

TEST(StaticFiles, HeadIsServedOtherMethodsAreNot) {
  const auto files = sample();
  const auto head = files.serve(get("/static/app-0123456789.css", "HEAD"));
  ASSERT_TRUE(head);
  EXPECT_EQ(head->status, 200);
  EXPECT_FALSE(files.serve(get("/static/app-0123456789.css", "POST")));
  EXPECT_FALSE(files.serve(get("/static/app-0123456789.css", "DELETE")));
}

TEST(StaticFiles, RejectsUnknownFilesTraversalAndOddPaths) {
  const auto files = sample();
  for (const char* path : {"/static/missing.css", "/static/", "/static", "/assets/", "/app-0123456789.css",
                           "/other/app-0123456789.css", "/static/../app-0123456789.css",
                           "/static/fonts/../app-0123456789.css", "/static//app-0123456789.css",
                           "/static/./app-0123456789.css", "/static/fonts\\bold-b542beb274-v2.woff2",
                           "/static/manifest.json", "/static/.hidden", "/static/app-0123456789.css/",
                           "/static/c:/windows"}) {
    EXPECT_FALSE(files.serve(get(path))) << path;
  }
  EXPECT_FALSE(StaticFiles::relative_path(std::string("/static/a\0b", 11)));
  EXPECT_EQ(StaticFiles::relative_path("/assets/fonts/x.woff2"), "fonts/x.woff2");
}

TEST(StaticFiles, RecognisesContentHashedNames) {
  EXPECT_TRUE(StaticFiles::is_content_hashed("app-0123456789.css"));
  EXPECT_TRUE(StaticFiles::is_content_hashed("govuk-frontend-4e8b95d53d.js"));
  EXPECT_TRUE(StaticFiles::is_content_hashed("fonts/light-94a07e06a1-v2.woff2"));
  EXPECT_FALSE(StaticFiles::is_content_hashed("app.css"));
  EXPECT_FALSE(StaticFiles::is_content_hashed("favicon.ico"));
  EXPECT_FALSE(StaticFiles::is_content_hashed("app-012345678.css"));     // 9 digits
  EXPECT_FALSE(StaticFiles::is_content_hashed("app-0123456789AB.css"));  // not lower-case hex
  EXPECT_FALSE(StaticFiles::is_content_hashed("app0123456789.css"));
}

class StaticFilesOnDisk : public ::testing::Test {
 protected:
  void SetUp() override {
    std::random_device rd;
    root_ = std::filesystem::temp_directory_path() / ("bespoke-static-test-" + std::to_string(rd()));
    std::filesystem::create_directories(root_ / "static" / "fonts");
    write(root_ / "secret.txt", "do not serve");
    write(root_ / "static" / "manifest.json", R"({"app.css":"app-0123456789.css"})");
    write(root_ / "static" / "app-0123456789.css", "p{}");
    write(root_ / "static" / "fonts" / "x-0123456789.woff2", "font");
    write(root_ / "static" / ".hidden", "no");
    write(root_ / "static" / "app.css.tmp-123", "half written");
  }
  void TearDown() override { std::filesystem::remove_all(root_); }
  static void write(const std::filesystem::path& p, const std::string& text) { std::ofstream(p, std::ios::binary) << text; }

  std::filesystem::path root_;
};

TEST_F(StaticFilesOnDisk, LoadsTheFolderAndItsManifest) {
  const StaticFiles files(root_ / "static");
  EXPECT_EQ(files.size(), 2u);
  EXPECT_EQ(files.url("app.css"), "/static/app-0123456789.css");
  EXPECT_EQ(files.serve(get("/static/app-0123456789.css"))->body, "p{}");
  EXPECT_EQ(files.serve(get("/assets/fonts/x-0123456789.woff2"))->body, "font");
  EXPECT_FALSE(files.serve(get("/static/../secret.txt")));
  EXPECT_FALSE(files.serve(get("/static/.hidden")));
  EXPECT_FALSE(files.serve(get("/static/app.css.tmp-123")));
  EXPECT_FALSE(files.serve(get("/static/manifest.json")));
}

TEST_F(StaticFilesOnDisk, ThrowsForAMissingFolderOrABadManifest) {
  EXPECT_THROW(StaticFiles(root_ / "nope"), std::runtime_error);
  write(root_ / "static" / "manifest.json", "[1, 2");
  EXPECT_THROW(StaticFiles(root_ / "static"), std::runtime_error);
}

TEST(StaticFiles, DefaultFolderIsBesideTheExecutable) {
  EXPECT_EQ(StaticFiles::default_dir("/opt/bespoke/bin/bespoke"), std::filesystem::path("/opt/bespoke/bin/static"));
}

}  // namespace
}  // namespace bespoke::web
