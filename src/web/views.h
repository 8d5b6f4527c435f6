#pragma once
// HTML pages: a content template rendered, then wrapped in the GOV.UK layout.
//
// Templates (web/templates/*.mustache) are compiled into the binary and parsed once
// at start-up. kainjow's mustache::render is not const (it records errors in the
// template object), so rendering takes a parsed set of templates from a small pool
// (one per concurrent renderer, made on demand) and returns it afterwards: any
// number of worker threads may call page() and error_page() at once.
//
// Every {{value}} is HTML-escaped. {{{value}}} is only for our own vetted HTML
// (the layout's content, server-rendered SVG charts).
#include "core/embedded.h"
#include "web/http.h"

#include <kainjow/mustache.hpp>

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace bespoke::web {

class StaticFiles;

struct ErrorSummaryItem {
  std::string text;  // "Enter your postcode"
  std::string href;  // "#postcode" (the field's id); empty: no link
};

struct PageMeta {
  std::string title;  // the page's own title; the layout adds " – Bespoke"
  std::string lang = "en";
  // When not empty: "Error: " before the title and a GOV.UK error summary above the content.
  std::vector<ErrorSummaryItem> errors;
  // The header's account links: "Sign in", or the account's name and a sign-out
  // button (a form, so it carries the session's CSRF token). See page_meta().
  std::string account_name;  // empty: signed out
  std::string csrf_token;
};

class Views {
 public:
  // The embedded templates (web/templates). Throws std::runtime_error when a
  // template does not parse or layout.mustache / error.mustache is missing.
  explicit Views(const StaticFiles& assets);
  // Given templates (tests).
  Views(const std::vector<core::EmbeddedFile>& templates, const StaticFiles& assets);
  ~Views();
  Views(const Views&) = delete;
  Views& operator=(const Views&) = delete;

  // Renders template_name ("home" or "home.mustache") with content, then the layout
  // around it. Throws std::invalid_argument for an unknown template and
  // std::runtime_error when rendering fails (a bug in a template). Thread-safe.
  [[nodiscard]] std::string page(std::string_view template_name, const kainjow::mustache::data& content,
                                 const PageMeta& meta) const;

  // A GOV.UK error page ("Page not found" for 404 when title is the reason phrase). Thread-safe.
  [[nodiscard]] std::string error_page(int status, std::string_view title, std::string_view detail,
                                       std::string_view account_name = {}, std::string_view csrf_token = {}) const;

  // page() as a 200 (or given status) text/html response.
  [[nodiscard]] Response html(std::string_view template_name, const kainjow::mustache::data& content,
                              const PageMeta& meta, int status = 200) const;

  [[nodiscard]] const StaticFiles& assets() const noexcept { return assets_; }

  // How many parsed template sets exist (at most the peak number of concurrent renders).
  [[nodiscard]] std::size_t compiled_sets() const;

 private:
  struct Compiled;
  class Lease;

  std::unique_ptr<Compiled> compile() const;
  std::string render(Compiled& set, std::string_view name, const kainjow::mustache::data& data) const;

  const StaticFiles& assets_;
  std::map<std::string, std::string, std::less<>> sources_;  // name -> template text
  kainjow::mustache::data layout_constants_;                  // asset URLs, theme colour

  mutable std::mutex pool_mutex_;
  mutable std::vector<std::unique_ptr<Compiled>> pool_;  // idle sets, guarded by pool_mutex_
  mutable std::size_t created_ = 0;                      // guarded by pool_mutex_
};

}  // namespace bespoke::web
