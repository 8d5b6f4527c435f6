#pragma once
// The site's routes, added to the one Router table by area. main composes them.
#include "web/router.h"

namespace bespoke::accounts {
class PasswordRules;
}

namespace bespoke::web {

class Authenticator;
class ErrorPages;
class LiveDirectory;
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

// GET /hsds/...: the Open Referral UK (HSDS 3.0 UK profile) API, public and read-only.
void add_hsds_routes(Router& router, LiveDirectory& directory);

// GET /api/v1/services (our richer directory search) and /api/v1/openapi.json.
void add_directory_api_routes(Router& router, LiveDirectory& directory);

// GET /services (the search page), /services/{id}, /organisations/{id}.
void add_directory_page_routes(Router& router, const Views& views, const ErrorPages& errors, LiveDirectory& directory);

// Register, confirm, sign in and out, reset a password, /account, API tokens,
// GET /api/v1/me, and (with --demo) the demo's outbox.
void add_account_routes(Router& router, const Views& views, const ErrorPages& errors, const Authenticator& auth,
                        const accounts::PasswordRules& password_rules);

// GET /my-information, /people, /people/{id}; sharing (consent); who has
// looked (the audit log); everything held about me (page and JSON).
void add_record_routes(Router& router, const Views& views, const ErrorPages& errors, const Authenticator& auth);

// Who acts for a resident and who coordinates their care: /my-information/helpers
// (a resident's delegations) and /caseload (a coordinator's caseload, with the
// lawful basis for each person, and delegations for those who lack capacity).
void add_care_team_routes(Router& router, const Views& views, const ErrorPages& errors, const Authenticator& auth);

// The person's own record for planning (routes_plan_record.cpp): About me,
// what matters, needs and goals, helpers; the coordinator's assessment and budget.
void add_plan_record_routes(Router& router, const Views& views, const ErrorPages& errors, const Authenticator& auth);

// Referrals as a provider sees them, and its spare places (routes_referrals.cpp).
void add_referral_routes(Router& router, const Views& views, const ErrorPages& errors, const Authenticator& auth);

// The co-produced plan (routes_plan.cpp): options, my plan, agreement, sign-off, versions.
class PlanCatalogue;
void add_plan_routes(Router& router, const Views& views, const ErrorPages& errors, const Authenticator& auth,
                     PlanCatalogue& catalogues);

// Nobody left behind (routes_reach.cpp): the commissioner's reach report,
// GET /reports/reach and /reports/reach.csv; a coordinator's outreach list,
// GET /caseload/outreach.
void add_reach_routes(Router& router, const Views& views, const Authenticator& auth);

// /admin/accounts: find accounts, give and remove roles, erase a person's data.
void add_admin_routes(Router& router, const Views& views, const ErrorPages& errors, const Authenticator& auth);
void add_provider_routes(Router& router, const Views& views, const ErrorPages& errors, const Authenticator& auth, LiveDirectory& directory);

}  // namespace bespoke::web
