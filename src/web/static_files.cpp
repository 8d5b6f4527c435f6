#include "web/static_files.h"

#include "core/ids.h"

#include "core/text.h"

#include <boost/json.hpp>
#include <sodium.h>

#include <algorithm>
#include <array>
#include <fstream>
#include <iterator>
#include <sstream>
#include <stdexcept>
#include <system_error>
#include <utility>
#include <vector>

namespace bespoke::web {
namespace {

constexpr std::string_view kImmutable = "public, max-age=31536000, immutable";
constexpr std::string_view kShortLived = "public, max-age=3600";
constexpr std::string_view kManifest = "manifest.json";

bool is_hex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }

std::string strong_etag(std::string_view content) {
  std::array<unsigned char, crypto_hash_sha256_BYTES> digest{};
  crypto_hash_sha256(digest.data(), reinterpret_cast<const unsigned char*>(content.data()), content.size());
  char hex[33];  // the first 16 bytes of the digest are plenty for an ETag
  sodium_bin2hex(hex, sizeof hex, digest.data(), 16);
  std::string tag = "\"";
  tag += hex;
  tag += '"';
  return tag;
}

// RFC 9110 13.1.2: If-None-Match uses the weak comparison.
bool none_match_hits(std::string_view header, std::string_view etag) {
  if (core::trim(header) == "*") return true;
  while (!header.empty()) {
    const auto comma = header.find(',');
    std::string_view item = core::trim(header.substr(0, comma));
    if (item.starts_with("W/")) item.remove_prefix(2);
    if (item == etag) return true;
    if (comma == std::string_view::npos) break;
    header.remove_prefix(comma + 1);
  }
  return false;
}

std::string_view base_name(std::string_view path) {
  const auto slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

bool skipped_when_loading(std::string_view relative) {
  const auto name = base_name(relative);
  return name.starts_with('.') || name.find(".tmp-") != std::string_view::npos;
}

}  // namespace

StaticFiles::StaticFiles(const std::filesystem::path& dir) {
  core::ensure_sodium();
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) {
    throw std::runtime_error("static files: " + dir.string() + " is not a folder (run: node web/build-assets.mjs " +
                             dir.string() + ")");
  }
  std::vector<std::pair<std::string, std::filesystem::path>> found;
  for (auto it = std::filesystem::recursive_directory_iterator(dir); it != std::filesystem::recursive_directory_iterator();
       ++it) {
    if (!it->is_regular_file()) continue;
    std::string relative = std::filesystem::relative(it->path(), dir).generic_string();
    if (skipped_when_loading(relative)) continue;
    found.emplace_back(std::move(relative), it->path());
  }
  for (auto& [relative, full] : found) {
    std::ifstream in(full, std::ios::binary);
    std::string content{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    if (in.bad()) throw std::runtime_error("static files: cannot read " + full.string());
    if (relative == kManifest) {
      load_manifest(content);
    } else {
      add(std::move(relative), std::move(content));
    }
  }
}

StaticFiles StaticFiles::from_memory(const std::map<std::string, std::string>& files) {
  core::ensure_sodium();
  StaticFiles result;
  for (const auto& [relative, content] : files) {
    if (relative == kManifest) {
      result.load_manifest(content);
    } else {
      result.add(relative, content);
    }
  }
  return result;
}

std::filesystem::path StaticFiles::default_dir(const std::filesystem::path& executable) {
  return executable.parent_path() / "static";
}

void StaticFiles::add(std::string relative, std::string content) {
  File file;
  file.content_type = content_type_for(relative);
  file.cache_control = std::string(is_content_hashed(base_name(relative)) ? kImmutable : kShortLived);
  file.etag = strong_etag(content);
  file.content = std::move(content);
  files_.insert_or_assign(std::move(relative), std::move(file));
}

void StaticFiles::load_manifest(std::string_view json_text) {
  boost::system::error_code ec;
  const boost::json::value value = boost::json::parse(json_text, ec);
  if (ec || !value.is_object()) throw std::runtime_error("static files: manifest.json is not a JSON object");
  for (const auto& [key, target] : value.get_object()) {
    if (!target.is_string()) throw std::runtime_error("static files: manifest.json values must be strings");
    manifest_.insert_or_assign(std::string(key), std::string(target.get_string()));
  }
}

std::string StaticFiles::url(std::string_view logical_name) const {
  const auto it = manifest_.find(logical_name);
  std::string result = "/static/";
  result += it == manifest_.end() ? logical_name : std::string_view(it->second);
  return result;
}

bool StaticFiles::has(std::string_view logical_name) const {
  const auto it = manifest_.find(logical_name);
  return it != manifest_.end() && files_.contains(it->second);
}

const StaticFiles::File* StaticFiles::find(std::string_view relative_path) const {
  const auto it = files_.find(relative_path);
  return it == files_.end() ? nullptr : &it->second;
}

std::optional<std::string> StaticFiles::relative_path(std::string_view request_path) {
  std::string_view rest;
  for (std::string_view prefix : {std::string_view("/static/"), std::string_view("/assets/")}) {
    if (request_path.starts_with(prefix)) {
      rest = request_path.substr(prefix.size());
      break;
    }
  }
  if (rest.empty()) return std::nullopt;
  for (const char c : rest) {
    const auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f || c == '\\' || c == ':') return std::nullopt;
  }
  std::string_view segments = rest;
  while (true) {
    const auto slash = segments.find('/');
    const std::string_view segment = segments.substr(0, slash);
    if (segment.empty() || segment == "." || segment == ".." || segment.starts_with('.')) return std::nullopt;
    if (slash == std::string_view::npos) break;
    segments.remove_prefix(slash + 1);
  }
  return std::string(rest);
}

std::optional<Response> StaticFiles::serve(const Request& request) const {
  if (request.method != "GET" && request.method != "HEAD") return std::nullopt;
  const auto relative = relative_path(request.path);
  if (!relative) return std::nullopt;
  const File* file = find(*relative);
  if (file == nullptr) return std::nullopt;

  Response response;
  response.set_header("etag", file->etag);
  response.set_header("cache-control", file->cache_control);
  if (const auto inm = request.header("if-none-match"); inm && none_match_hits(*inm, file->etag)) {
    response.status = 304;
    return response;
  }
  response.status = 200;
  response.set_header("content-type", file->content_type);
  response.set_header("x-content-type-options", "nosniff");
  response.body = file->content;
  return response;
}

std::string StaticFiles::content_type_for(std::string_view file_name) {
  const auto name = base_name(file_name);
  const auto dot = name.rfind('.');
  if (dot == std::string_view::npos) return "application/octet-stream";
  std::string ext(name.substr(dot + 1));
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  static const std::map<std::string, std::string, std::less<>> types{
      {"css", "text/css; charset=utf-8"},
      {"js", "text/javascript; charset=utf-8"},
      {"mjs", "text/javascript; charset=utf-8"},
      {"json", "application/json"},
      {"map", "application/json"},
      {"webmanifest", "application/manifest+json"},
      {"svg", "image/svg+xml"},
      {"png", "image/png"},
      {"jpg", "image/jpeg"},
      {"jpeg", "image/jpeg"},
      {"gif", "image/gif"},
      {"webp", "image/webp"},
      {"ico", "image/x-icon"},
      {"woff2", "font/woff2"},
      {"woff", "font/woff"},
      {"txt", "text/plain; charset=utf-8"},
      {"html", "text/html; charset=utf-8"},
  };
  const auto it = types.find(ext);
  return it == types.end() ? "application/octet-stream" : it->second;
}

bool StaticFiles::is_content_hashed(std::string_view file_name) {
  auto name = base_name(file_name);
  const auto dot = name.rfind('.');
  if (dot == std::string_view::npos) return false;
  name = name.substr(0, dot);
  // Optional "-v<digits>" suffix (GOV.UK's fonts: bold-b542beb274-v2.woff2).
  if (const auto v = name.rfind("-v"); v != std::string_view::npos && v + 2 < name.size() &&
                                       std::all_of(name.begin() + static_cast<std::ptrdiff_t>(v + 2), name.end(),
                                                   [](char c) { return c >= '0' && c <= '9'; })) {
    name = name.substr(0, v);
  }
  if (name.size() < 12) return false;
  const auto hash = name.substr(name.size() - 10);
  return name[name.size() - 11] == '-' && std::all_of(hash.begin(), hash.end(), is_hex);
}

}  // namespace bespoke::web
