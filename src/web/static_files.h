#pragma once
// The built assets (web/build-assets.mjs OUTDIR), held in memory and served at
// /static/{path...} and /assets/{path...} (GOV.UK Frontend's CSS asks for
// /assets/fonts/... and /assets/images/...).
//
// OUTDIR/manifest.json maps logical names ("app.css") to file names
// ("app-0123456789.css"); pages ask url("app.css"). A file whose name carries a
// content hash (a "-" and 10 hex digits before the extension, optionally followed
// by "-v<N>", as GOV.UK's fonts do) is cached for a year as immutable; others for an hour.
#include "web/http.h"

#include <cstddef>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace bespoke::web {

class StaticFiles {
 public:
  struct File {
    std::string content;
    std::string content_type;
    std::string etag;           // strong: "\"<32 hex of SHA-256>\""
    std::string cache_control;  // immutable for hashed names
  };

  // No files: every url() falls back to /static/<logical name>, serve() finds nothing.
  StaticFiles() = default;

  // Loads every regular file under dir (manifest.json is read, not served; hidden
  // files and build leftovers are skipped). Throws std::runtime_error when dir does
  // not exist, a file cannot be read, or manifest.json is malformed.
  explicit StaticFiles(const std::filesystem::path& dir);

  // For tests: files by relative path ("app-0123456789.css", "fonts/x.woff2"),
  // "manifest.json" included if wanted.
  [[nodiscard]] static StaticFiles from_memory(const std::map<std::string, std::string>& files);

  // <folder of the executable>/static, where ./dev puts the assets.
  [[nodiscard]] static std::filesystem::path default_dir(const std::filesystem::path& executable);

  // "/static/app-0123456789.css" for "app.css"; "/static/<logical_name>" when the
  // manifest does not know the name (assets not built: pages still render).
  [[nodiscard]] std::string url(std::string_view logical_name) const;
  [[nodiscard]] bool has(std::string_view logical_name) const;

  // GET or HEAD of /static/... or /assets/... naming a known file: 200 with body,
  // Content-Type, ETag and Cache-Control, or 304 when If-None-Match matches.
  // Anything else (other methods, paths, unknown files, traversal): nullopt, so
  // the caller answers 404. For HEAD the body is included; the server drops it.
  [[nodiscard]] std::optional<Response> serve(const Request& request) const;

  [[nodiscard]] const File* find(std::string_view relative_path) const;
  [[nodiscard]] std::size_t size() const noexcept { return files_.size(); }
  [[nodiscard]] bool empty() const noexcept { return files_.empty(); }

  // Exposed for tests.
  [[nodiscard]] static std::string content_type_for(std::string_view file_name);
  [[nodiscard]] static bool is_content_hashed(std::string_view file_name);
  // The file path a request path names ("/static/a/b.css" -> "a/b.css"), or nullopt
  // when it is outside /static/ and /assets/ or is not a plain relative path
  // (empty segments, ".", "..", backslashes, control characters).
  [[nodiscard]] static std::optional<std::string> relative_path(std::string_view request_path);

 private:
  void add(std::string relative, std::string content);
  void load_manifest(std::string_view json_text);

  std::map<std::string, File, std::less<>> files_;
  std::map<std::string, std::string, std::less<>> manifest_;  // logical name -> relative path
};

}  // namespace bespoke::web
