#include "web/site.h"

#include "web/routes.h"

namespace bespoke::web {

Site::Site(const std::filesystem::path& static_dir, AuthOptions auth_options)
    : statics_(static_dir),
      views_(statics_),
      errors_(views_),
      town_stats_(std::chrono::seconds(60)),
      auth_(std::move(auth_options), clock_),
      guard_(auth_, errors_),
      router_(guard_) {
  add_operational_routes(router_, metrics_);
  add_static_routes(router_, statics_, errors_);
  add_home_routes(router_, views_, town_stats_);
  add_feedback_routes(router_, views_, errors_);
  add_hsds_routes(router_, directory_);
  add_directory_api_routes(router_, directory_);
  add_directory_page_routes(router_, views_, errors_, directory_);
  add_account_routes(router_, views_, errors_, auth_, password_rules_);
  add_record_routes(router_, views_, errors_, auth_);
  add_care_team_routes(router_, views_, errors_, auth_);
  add_plan_record_routes(router_, views_, errors_, auth_);
  add_plan_routes(router_, views_, errors_, auth_, plan_catalogue_);
  add_referral_routes(router_, views_, errors_, auth_);
  add_reach_routes(router_, views_, auth_);
  add_admin_routes(router_, views_, errors_, auth_);
  add_provider_routes(router_, views_, errors_, auth_, directory_);
}

}  // namespace bespoke::web
