#include "store/database.h"
#include "store/migrations.h"
#include "web/metrics.h"
#include "web/routes.h"

#include <boost/json.hpp>

namespace bespoke::web {

void add_operational_routes(Router& router, Metrics& metrics) {
  RouteOptions cheap;
  cheap.inline_handler = true;  // never blocks: answered on the I/O thread

  router.add(
      "GET", "/healthz", policy::Action::read_public, [](const Request&, RequestContext&) { return Response::text(200, "ok\n"); }, cheap);

  router.add("GET", "/readyz", policy::Action::read_public, [](const Request&, RequestContext& ctx) {
    boost::json::object body;
    int status = 503;
    try {
      auto& db = ctx.db();
      if (!db.ping()) throw store::Failure(store::FailureKind::unavailable, "ping failed");
      const auto schema = store::schema_status(db);
      body["schema_version"] = schema.current;
      body["program_schema_version"] = schema.latest;
      if (schema.current > schema.latest) {
        body["status"] = "database schema is newer than this program";
      } else if (schema.current < schema.latest) {
        body["status"] = "migrations not applied";
      } else {
        body["status"] = "ready";
        status = 200;
      }
    } catch (const store::Failure&) {
      ctx.connection_failed();  // so that the next probe reconnects
      body["status"] = "database unreachable";
    }
    return Response::json(status, boost::json::serialize(body));
  });

  router.add(
      "GET", "/metrics", policy::Action::read_public,
      [&metrics](const Request&, RequestContext&) {
        return Response::text(200, metrics.render(), "text/plain; version=0.0.4; charset=utf-8");
      },
      cheap);
}

}  // namespace bespoke::web
