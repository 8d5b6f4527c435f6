#include "web/views.h"

#include "web/static_files.h"

#include <stdexcept>
#include <unordered_map>
#include <utility>

namespace bespoke::web::templates_embedded {
const std::vector<bespoke::core::EmbeddedFile>& embedded_files();
}

namespace bespoke::web {

namespace mustache = kainjow::mustache;

namespace {

constexpr std::string_view kSuffix = ".mustache";
constexpr std::string_view kLayout = "layout.mustache";
constexpr std::string_view kError = "error.mustache";
constexpr std::string_view kThemeColour = "#1d70b8";  // GOV.UK brand blue, as GOV.UK Frontend's template

std::string full_name(std::string_view name) {
  std::string result(name);
  if (!name.ends_with(kSuffix)) result += kSuffix;
  return result;
}

}  // namespace

struct Views::Compiled {
  std::unordered_map<std::string, mustache::mustache> templates;
};

// Borrows one parsed set of templates for one render; gives it back unless a
// render failed (kainjow keeps the error in the template, so that set is dropped).
class Views::Lease {
 public:
  explicit Lease(const Views& views) : views_(views) {
    {
      const std::lock_guard lock(views_.pool_mutex_);
      if (!views_.pool_.empty()) {
        set_ = std::move(views_.pool_.back());
        views_.pool_.pop_back();
        return;
      }
    }
    set_ = views_.compile();  // outside the lock: parsing takes a while
    const std::lock_guard lock(views_.pool_mutex_);
    ++views_.created_;
  }
  ~Lease() {
    if (!set_ || broken_) return;
    const std::lock_guard lock(views_.pool_mutex_);
    views_.pool_.push_back(std::move(set_));
  }
  Lease(const Lease&) = delete;
  Lease& operator=(const Lease&) = delete;

  Compiled& set() { return *set_; }
  void mark_broken() { broken_ = true; }

 private:
  const Views& views_;
  std::unique_ptr<Compiled> set_;
  bool broken_ = false;
};

Views::Views(const StaticFiles& assets) : Views(templates_embedded::embedded_files(), assets) {}

Views::Views(const std::vector<core::EmbeddedFile>& templates, const StaticFiles& assets) : assets_(assets) {
  for (const auto& file : templates) {
    if (file.name.ends_with(kSuffix)) sources_.emplace(std::string(file.name), std::string(file.text));
  }
  for (std::string_view required : {kLayout, kError}) {
    if (!sources_.contains(required)) throw std::runtime_error("views: template " + std::string(required) + " is missing");
  }
  layout_constants_.set("theme_colour", std::string(kThemeColour));
  layout_constants_.set("stylesheet_url", assets_.url("app.css"));
  layout_constants_.set("script_url", assets_.url("app.js"));
  layout_constants_.set("favicon_ico_url", assets_.url("images/favicon.ico"));
  layout_constants_.set("favicon_svg_url", assets_.url("images/favicon.svg"));
  layout_constants_.set("mask_icon_url", assets_.url("images/govuk-icon-mask.svg"));
  layout_constants_.set("apple_touch_icon_url", assets_.url("images/govuk-icon-180.png"));
  layout_constants_.set("webmanifest_url", assets_.url("site.webmanifest"));

  // Parse once now: a broken template stops start-up rather than a request.
  auto first = compile();
  const std::lock_guard lock(pool_mutex_);
  pool_.push_back(std::move(first));
  created_ = 1;
}

Views::~Views() = default;

std::unique_ptr<Views::Compiled> Views::compile() const {
  auto set = std::make_unique<Compiled>();
  for (const auto& [name, text] : sources_) {
    mustache::mustache parsed(text);
    if (!parsed.is_valid()) throw std::runtime_error("views: " + name + ": " + parsed.error_message());
    set->templates.emplace(name, std::move(parsed));
  }
  return set;
}

std::string Views::render(Compiled& set, std::string_view name, const mustache::data& data) const {
  const auto it = set.templates.find(std::string(name));
  if (it == set.templates.end()) throw std::invalid_argument("views: no template " + std::string(name));
  std::string out = it->second.render(data);
  if (!it->second.is_valid()) throw std::runtime_error("views: " + std::string(name) + ": " + it->second.error_message());
  return out;
}

std::string Views::page(std::string_view template_name, const mustache::data& content, const PageMeta& meta) const {
  const std::string name = full_name(template_name);
  if (!sources_.contains(name)) throw std::invalid_argument("views: no template " + name);

  mustache::data layout = layout_constants_;
  layout.set("lang", meta.lang.empty() ? std::string("en") : meta.lang);
  layout.set("title", meta.title);
  layout.set("has_errors", !meta.errors.empty());
  layout.set("signed_in", !meta.account_name.empty());
  layout.set("account_name", meta.account_name);
  layout.set("csrf_token", meta.csrf_token);
  mustache::data errors{mustache::data::type::list};
  for (const auto& e : meta.errors) {
    mustache::data item;
    item.set("text", e.text);
    item.set("href", e.href.empty() ? mustache::data(false) : mustache::data(e.href));
    errors.push_back(item);
  }
  layout.set("errors", errors);

  // Templates named "_*.mustache" are partials: {{> _fields}} in any page.
  mustache::data with_partials = content;
  for (const auto& [partial_name, text] : sources_)
    if (partial_name.starts_with('_'))
      with_partials.set(partial_name.substr(0, partial_name.size() - kSuffix.size()),
                        mustache::partial{[&text] { return text; }});

  Lease lease(*this);
  try {
    layout.set("content", render(lease.set(), name, with_partials));
    return render(lease.set(), kLayout, layout);
  } catch (...) {
    lease.mark_broken();
    throw;
  }
}

Response Views::html(std::string_view template_name, const mustache::data& content, const PageMeta& meta,
                     int status) const {
  return Response::html(status, page(template_name, content, meta));
}

std::string Views::error_page(int status, std::string_view title, std::string_view detail,
                              std::string_view account_name, std::string_view csrf_token) const {
  std::string heading(title);
  const std::string_view phrase = reason_phrase(status);
  if (heading.empty() || heading == phrase) {
    switch (status) {
      case 404: heading = "Page not found"; break;
      case 500: heading = "Sorry, there is a problem with the service"; break;
      case 503: heading = "Sorry, the service is unavailable"; break;
      default: heading = phrase.empty() ? std::string("Sorry, there is a problem") : std::string(phrase);
    }
  }
  mustache::data content;
  content.set("status", std::to_string(status));
  content.set("title", heading);
  content.set("detail", detail.empty() ? mustache::data(false) : mustache::data(std::string(detail)));
  content.set("not_found", status == 404 || status == 410);
  content.set("try_again", status == 503 || status == 500 || status == 502 || status == 504);
  PageMeta meta;
  meta.title = heading;
  meta.account_name = account_name;
  meta.csrf_token = csrf_token;
  return page(kError, content, meta);
}

std::size_t Views::compiled_sets() const {
  const std::lock_guard lock(pool_mutex_);
  return created_;
}

}  // namespace bespoke::web
