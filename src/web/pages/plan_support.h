#pragma once
// What the co-produced plan's pages share (web/routes_plan*.cpp): opening the
// person's record for the caller (policy and audit in web/records.h), reading
// a posted form with repeated fields, and the person's needs as labels.
#include "accounts/consent.h"
#include "core/error.h"
#include "store/care_team_store.h"
#include "store/resident_store.h"
#include "web/auth/caller.h"
#include "web/auth/authenticator.h"
#include "web/errors.h"
#include "web/http.h"
#include "web/router.h"
#include "web/pages/form_fields.h"
#include "web/records.h"

#include <kainjow/mustache.hpp>

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace bespoke::web {

// The person whose record a page works on, and who is working on it.
struct PlanPerson {
  store::ResidentRecord record;
  store::Actor actor;     // the caller, and how they come to it ("self", "delegate", "coordinator")
  std::string base;       // "/plan/{id}"
  std::string name;       // "you" for the person themselves, else their name
  [[nodiscard]] bool own() const noexcept { return actor.role == "self"; }
  [[nodiscard]] bool coordinator() const noexcept { return actor.role == "coordinator"; }
};

// The parts of the record a page shows: a delegate needs each of them delegated.
using Parts = std::vector<accounts::RecordPart>;

// What each kind of page shows.
inline const Parts kAboutThem{accounts::RecordPart::what_matters};
inline const Parts kNeedsAndGoals{accounts::RecordPart::needs, accounts::RecordPart::plan};
inline const Parts kOverview{accounts::RecordPart::plan, accounts::RecordPart::budget};
inline const Parts kChoosing{accounts::RecordPart::plan, accounts::RecordPart::needs,
                             accounts::RecordPart::what_matters, accounts::RecordPart::budget};
inline const Parts kThePlan{accounts::RecordPart::plan, accounts::RecordPart::needs, accounts::RecordPart::budget};
inline const Parts kAssessment{accounts::RecordPart::needs, accounts::RecordPart::budget};

// The person named by the route's {id} when the caller may work on every one
// of `parts` of their record (each an audited read); nullopt answers 404,
// exactly as for no person.
[[nodiscard]] std::optional<PlanPerson> open_plan_person(store::Connection& db, const Caller& caller,
                                                         const Request& request, const Parts& parts, Use use,
                                                         core::Timestamp now);

// A posted form: every value of every field, in order.
class PostedForm {
 public:
  // nullopt when the body is not a form.
  [[nodiscard]] static std::optional<PostedForm> read(const Request& request);
  // The last value of a field, "" when absent.
  [[nodiscard]] std::string one(std::string_view name) const;
  [[nodiscard]] std::vector<std::string> all(std::string_view name) const;
  [[nodiscard]] bool has(std::string_view name) const;

 private:
  std::vector<std::pair<std::string, std::string>> fields_;
};

// What a plan route's handler is given.
struct PlanCall {
  const Request& request;
  RequestContext& ctx;
  const PlanPerson& who;
  const PostedForm& form;  // empty for a GET
  core::Timestamp now;
  [[nodiscard]] store::Connection& db() const { return ctx.db(); }
  [[nodiscard]] const Caller& caller() const { return ctx.caller(); }
};
using PlanHandler = std::function<Response(const PlanCall&)>;

// A route handler that opens the person named by {id} for `parts` (404 when
// the caller may not work on them), reads a posted form (400 when it cannot
// be read), and then calls `handler`.
[[nodiscard]] Handler plan_route(const ErrorPages& errors, const Authenticator& auth, Parts parts, Use use,
                                 PlanHandler handler);

// A plan page's view: heading, the plan's base path, whether it is the
// person's own or their coordinator's, their name, the form token.
[[nodiscard]] kainjow::mustache::data plan_view(const PlanPerson& who, const Caller& caller, std::string heading);
// "About me" for the person; "About: Ann Jones" for anyone else.
[[nodiscard]] std::string plan_title(const PlanPerson& who, std::string_view own_title, std::string_view other_title);

// The person's needs as choices (code, label), in the record's order.
[[nodiscard]] std::vector<Option> need_options(const store::ResidentRecord& record);
[[nodiscard]] std::vector<std::string> need_codes(const store::ResidentRecord& record);

// The 21 "Monday mornings" choices of WhatMatters::times and Helper::times.
[[nodiscard]] std::vector<Option> time_options();

}  // namespace bespoke::web
