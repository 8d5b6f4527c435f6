#include "web/errors.h"
#include "web/pages/home.h"
#include "web/routes.h"
#include "web/static_files.h"
#include "web/town_stats_cache.h"
#include "web/views.h"

#include <memory>
#include <mutex>
#include <optional>

namespace bespoke::web {

void add_static_routes(Router& router, const StaticFiles& statics, const ErrorPages& errors) {
  RouteOptions cheap;
  cheap.inline_handler = true;  // served from memory
  auto serve = [&statics, &errors](const Request& request, RequestContext&) {
    if (auto r = statics.serve(request)) return std::move(*r);
    return errors.respond(request, 404, "Page not found", "There is no file at this address.");
  };
  router.add("GET", "/static/{path...}", serve, cheap);
  router.add("GET", "/assets/{path...}", serve, cheap);
}

namespace {

// The home page rendered once per set of figures: a hit is a copy of a string,
// answered on the I/O thread without waiting for a worker.
class RenderedHome {
 public:
  RenderedHome(const Views& views, TownStatsCache& stats) : views_(views), stats_(stats) {}

  std::optional<Response> from_memory() {
    const auto fresh = stats_.peek_fresh();
    if (!fresh) return std::nullopt;
    std::lock_guard lock(mutex_);
    if (rendered_for_ != fresh) return std::nullopt;
    return page_;
  }

  Response render(store::Connection& db) {
    const auto stats = stats_.get(db);
    Response page = render_home(views_, *stats);
    std::lock_guard lock(mutex_);
    rendered_for_ = stats;
    page_ = page;
    return page;
  }

 private:
  const Views& views_;
  TownStatsCache& stats_;
  std::mutex mutex_;
  std::shared_ptr<const store::TownStats> rendered_for_;  // guarded by mutex_
  Response page_;                                         // guarded by mutex_
};

}  // namespace

void add_home_routes(Router& router, const Views& views, TownStatsCache& stats) {
  auto home = std::make_shared<RenderedHome>(views, stats);
  RouteOptions options;
  options.from_memory = [home](const Request&) { return home->from_memory(); };
  router.add(
      "GET", "/", [home](const Request&, RequestContext& ctx) { return home->render(ctx.db()); }, options);
}

}  // namespace bespoke::web
