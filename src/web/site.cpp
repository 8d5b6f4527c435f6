#include "web/site.h"

#include "web/routes.h"

namespace bespoke::web {

Site::Site(const std::filesystem::path& static_dir)
    : statics_(static_dir), views_(statics_), errors_(views_), town_stats_(std::chrono::seconds(60)) {
  add_operational_routes(router_, metrics_);
  add_static_routes(router_, statics_, errors_);
  add_home_routes(router_, views_, town_stats_);
  add_feedback_routes(router_, views_, errors_);
  add_hsds_routes(router_, directory_);
  add_directory_api_routes(router_, directory_);
  add_directory_page_routes(router_, views_, errors_, directory_);
}

}  // namespace bespoke::web
