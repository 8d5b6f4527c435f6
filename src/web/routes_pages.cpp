#include "web/errors.h"
#include "web/pages/home.h"
#include "web/routes.h"
#include "web/static_files.h"
#include "web/town_stats_cache.h"
#include "web/views.h"

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

void add_home_routes(Router& router, const Views& views, TownStatsCache& stats) {
  router.add("GET", "/", [&views, &stats](const Request&, RequestContext& ctx) {
    return render_home(views, *stats.get(ctx.db()));
  });
}

}  // namespace bespoke::web
