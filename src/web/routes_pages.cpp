#include "web/auth/caller.h"
#include "web/auth/cookies.h"
#include "web/errors.h"
#include "web/pages/home.h"
#include "web/routes.h"
#include "web/static_files.h"
#include "web/town_stats_cache.h"
#include "web/views.h"

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>

namespace bespoke::web {

// How old the home page's figures may be. Counting a nation's residents takes
// a quarter of a second; the page must answer in milliseconds.
constexpr std::chrono::seconds kHomeMaxAge{60};

void add_static_routes(Router& router, const StaticFiles& statics, const ErrorPages& errors) {
  RouteOptions cheap;
  cheap.inline_handler = true;  // served from memory
  auto serve = [&statics, &errors](const Request& request, RequestContext&) {
    if (auto r = statics.serve(request)) return std::move(*r);
    return errors.respond(request, 404, "Page not found", "There is no file at this address.");
  };
  router.add("GET", "/static/{path...}", policy::Action::read_public, serve, cheap);
  router.add("GET", "/assets/{path...}", policy::Action::read_public, serve, cheap);
}

namespace {

// The home page rendered once per set of figures: a hit is a copy of a string,
// answered on the I/O thread without waiting for a worker. When the page is
// stale, one request is let through to a worker to render it again while the
// others keep getting the stale page.
class RenderedHome {
 public:
  RenderedHome(const Views& views, TownStatsCache& stats, std::chrono::seconds max_age)
      : views_(views), stats_(stats), max_age_(max_age) {}

  std::optional<Response> from_memory() {
    std::shared_ptr<const Response> page;
    {
      std::lock_guard lock(mutex_);
      if (!page_) return std::nullopt;
      const auto now = Clock::now();
      // A claim that never finished (its request was refused, say) lapses.
      const bool refresh_claimed = refresh_claimed_at_ && now - *refresh_claimed_at_ < std::chrono::seconds(10);
      if (now - rendered_at_ >= max_age_ && !refresh_claimed) {
        refresh_claimed_at_ = now;
        return std::nullopt;  // this request renders the page again on a worker
      }
      page = page_;
    }
    return *page;
  }

  Response render(RequestContext& ctx) {
    // A signed-in caller's page names them: rendered for them, never cached.
    if (ctx.caller().signed_in()) return render_home(views_, *stats_.get(ctx.db()), ctx.caller());
    std::shared_ptr<const Response> page;
    try {
      page = std::make_shared<const Response>(render_home(views_, *stats_.get(ctx.db()), Caller::anonymous()));
    } catch (const store::Failure&) {
      // The database failed: a stale page is better than an error page.
      std::lock_guard lock(mutex_);
      refresh_claimed_at_.reset();
      if (!page_) throw;
      ctx.connection_failed();
      return *page_;
    }
    std::lock_guard lock(mutex_);
    page_ = page;
    rendered_at_ = Clock::now();
    refresh_claimed_at_.reset();
    return *page;
  }

 private:
  using Clock = std::chrono::steady_clock;
  const Views& views_;
  TownStatsCache& stats_;
  const std::chrono::seconds max_age_;
  std::mutex mutex_;
  std::shared_ptr<const Response> page_;               // guarded by mutex_
  Clock::time_point rendered_at_{};                    // guarded by mutex_
  std::optional<Clock::time_point> refresh_claimed_at_;  // guarded by mutex_
};

}  // namespace

void add_home_routes(Router& router, const Views& views, TownStatsCache& stats) {
  auto home = std::make_shared<RenderedHome>(views, stats, kHomeMaxAge);
  RouteOptions options;
  // The cached page is the anonymous one: a request with a session goes to a worker.
  options.from_memory = [home](const Request& request) -> std::optional<Response> {
    if (cookie_value(request, kSessionCookie)) return std::nullopt;
    return home->from_memory();
  };
  router.add(
      "GET", "/", policy::Action::read_public,
      [home](const Request&, RequestContext& ctx) { return home->render(ctx); }, options);
}

}  // namespace bespoke::web
