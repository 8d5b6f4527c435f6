#pragma once
// The site's routes, added to the one Router table by area. main composes them.
#include "web/router.h"

namespace bespoke::web {

class ErrorPages;
class Metrics;
class StaticFiles;
class TownStatsCache;
class Views;

// GET /healthz (process alive), /readyz (database reachable, schema current), /metrics.
void add_operational_routes(Router& router, Metrics& metrics);

// GET /static/{path...} and /assets/{path...}: built assets with ETag and caching.
void add_static_routes(Router& router, const StaticFiles& statics, const ErrorPages& errors);

// GET /: what Bespoke is, and the demo town's figures.
void add_home_routes(Router& router, const Views& views, TownStatsCache& stats);

// GET/POST /feedback (form) and POST /api/v1/feedback (JSON).
void add_feedback_routes(Router& router, const Views& views, const ErrorPages& errors);

}  // namespace bespoke::web
