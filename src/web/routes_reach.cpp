// Nobody left behind: the commissioner's reach report (/reports/reach, and the
// same figures by decile as CSV at /reports/reach.csv), figures only and no
// one's record; and a coordinator's outreach list (/caseload/outreach): the
// people on their caseload assessed but without an agreed plan, most deprived
// neighbourhoods and most dependent people first. The list is drawn from each
// person's assessment, so each person's appearance on it is an audited read.
#include "store/reach_store.h"
#include "web/auth/authenticator.h"
#include "web/auth/caller.h"
#include "web/auth/page_meta.h"
#include "web/pages/reach_report.h"
#include "web/records.h"
#include "web/routes.h"
#include "web/views.h"

namespace bespoke::web {

void add_reach_routes(Router& router, const Views& views, const Authenticator& auth) {
  using policy::Action;

  router.add("GET", "/reports/reach", Action::read_reach_report,
             [&views, &auth](const Request&, RequestContext& ctx) {
               const auto neighbourhoods = store::reach_by_neighbourhood(ctx.db(), auth.now());
               const auto view =
                   reach_view(store::deciles_of(neighbourhoods), neighbourhoods, store::gaps_in_provision(ctx.db()));
               return views.html("reach_report.mustache", view, page_meta(ctx.caller(), "Who plans reach"));
             });

  router.add("GET", "/reports/reach.csv", Action::read_reach_report,
             [&auth](const Request&, RequestContext& ctx) {
               auto response = Response::text(200, reach_csv(store::reach_by_decile(ctx.db(), auth.now())),
                                              "text/csv; charset=utf-8");
               response.set_header("content-disposition", "attachment; filename=\"reach-by-decile.csv\"");
               return response;
             });

  router.add("GET", "/caseload/outreach", Action::manage_caseload,
             [&views, &auth](const Request&, RequestContext& ctx) {
               const auto& caller = ctx.caller();
               const auto now = auth.now();
               const auto people = store::outreach_list(ctx.db(), caller.subject.account_id, now);
               for (const auto& p : people)
                 audit_read(ctx.db(), caller, p.resident_id, "coordinator", "needs",
                            "outreach list; on the caseload: " + p.basis, now);
               return views.html("outreach.mustache", outreach_view(people),
                                 page_meta(caller, "Outreach: people without an agreed plan"));
             });
}

}  // namespace bespoke::web
