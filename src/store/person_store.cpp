#include "store/person_store.h"

#include "core/ids.h"
#include "store/accounts_store.h"
#include "store/audit_store.h"

#include <algorithm>
#include <array>
#include <chrono>
#include <utility>

namespace bespoke::store {
namespace {

// Writes the audit event for a change to the person's record, inside the
// caller's transaction. record_type is the record part the change belongs to.
void audit_change(Connection& db, std::int64_t resident_id, const Actor& actor, std::string action,
                  std::string record_type, std::string record_id, core::Timestamp now) {
  insert_audit_event(db,
                     event_about(db, resident_id, actor, std::move(action), std::move(record_type),
                                 std::move(record_id),
                                 actor.role == "self" ? "your own record" : "working on the plan with you"),
                     now);
}

std::string_view gender_code(plans::CarerGender g) {
  switch (g) {
    case plans::CarerGender::female: return "female";
    case plans::CarerGender::male: return "male";
    case plans::CarerGender::any: break;
  }
  return "any";
}
plans::CarerGender gender_of(std::string_view code) {
  if (code == "female") return plans::CarerGender::female;
  if (code == "male") return plans::CarerGender::male;
  return plans::CarerGender::any;
}
std::string_view travel_code(plans::TravelMode m) {
  switch (m) {
    case plans::TravelMode::bus: return "bus";
    case plans::TravelMode::car: return "car";
    case plans::TravelMode::none: return "none";
    case plans::TravelMode::walk: break;
  }
  return "walk";
}
plans::TravelMode travel_of(std::string_view code) {
  if (code == "bus") return plans::TravelMode::bus;
  if (code == "car") return plans::TravelMode::car;
  if (code == "none") return plans::TravelMode::none;
  return plans::TravelMode::walk;
}
std::string_view management_code(person::BudgetManagement m) {
  return person::kBudgetManagement[static_cast<std::size_t>(m)].code;
}
person::BudgetManagement management_of(std::string_view code) {
  for (std::size_t i = 0; i < person::kBudgetManagement.size(); ++i)
    if (person::kBudgetManagement[i].code == code) return static_cast<person::BudgetManagement>(i);
  return person::BudgetManagement::council_managed;
}

// Makes sure the person has a profile row to update.
void ensure_profile(Connection& db, std::int64_t resident_id) {
  const std::array<Value, 1> p{resident_id};
  db.execute("INSERT INTO person_profile (resident_id) VALUES ($1) ON CONFLICT (resident_id) DO NOTHING", p);
}

}  // namespace

std::string join_codes(const std::vector<std::string>& codes) {
  std::string out;
  for (const auto& c : codes) {
    if (!out.empty()) out += ' ';
    out += c;
  }
  return out;
}

std::vector<std::string> split_codes(std::string_view text) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < text.size()) {
    const auto space = text.find(' ', i);
    const auto end = space == std::string_view::npos ? text.size() : space;
    if (end > i) out.emplace_back(text.substr(i, end - i));
    i = end + 1;
  }
  return out;
}

Profile read_profile(Connection& db, std::int64_t resident_id) {
  const std::array<Value, 1> p{resident_id};
  Profile out;
  const auto rows = db.query(
      "SELECT please_call_me, communication, important_people, good_day, adjustments, about_me_at, languages, faith, "
      "carer_gender, times, travel, travel_minutes, interests, communication_needs, ruled_out_kinds, food, pets, "
      "anything_else, what_matters_at FROM person_profile WHERE resident_id = $1",
      p);
  if (!rows.empty()) {
    const auto& r = rows.front();
    out.about = {r.text(0), r.text(1), r.text(2), r.text(3), r.text(4)};
    out.about_me_at = r.optional_text(5);
    auto& m = out.matters;
    m.languages = split_codes(r.text(6));
    m.faith = r.text(7);
    m.carer_gender = gender_of(r.text(8));
    m.times = split_codes(r.text(9));
    m.travel = travel_of(r.text(10));
    m.travel_minutes = static_cast<int>(r.integer(11));
    m.interests = split_codes(r.text(12));
    m.communication = split_codes(r.text(13));
    m.ruled_out_kinds = split_codes(r.text(14));
    m.food = r.text(15);
    m.pets = r.text(16);
    m.anything_else = r.text(17);
    out.what_matters_at = r.optional_text(18);
  }
  if (!out.what_matters_at) {
    // Nothing said yet: start from what the record already knows.
    const auto facts = db.query("SELECT main_language, speaks_english, faith FROM resident WHERE id = $1", p);
    if (!facts.empty()) {
      const auto& f = facts.front();
      out.matters.languages = {f.text(0)};
      if (f.integer(1) == 1 && f.text(0) != "en") out.matters.languages.emplace_back("en");
      const auto faith = f.text(2);
      out.matters.faith = faith == "not_stated" ? "" : faith;
    }
  }
  return out;
}

void save_about_me(Connection& db, std::int64_t resident_id, const person::AboutMe& about, const Actor& actor,
                   core::Timestamp now) {
  Transaction tx(db, TxMode::write);
  ensure_profile(db, resident_id);
  const std::array<Value, 7> p{resident_id,           about.please_call_me, about.communication, about.important_people,
                               about.good_day,        about.adjustments,    core::to_iso8601(now)};
  db.execute(
      "UPDATE person_profile SET please_call_me = $2, communication = $3, important_people = $4, good_day = $5, "
      "adjustments = $6, about_me_at = $7 WHERE resident_id = $1",
      p);
  audit_change(db, resident_id, actor, "update_about_me", "what_matters", "about me", now);
  tx.commit();
}

void save_what_matters(Connection& db, std::int64_t resident_id, const person::WhatMatters& m, const Actor& actor,
                       core::Timestamp now) {
  Transaction tx(db, TxMode::write);
  ensure_profile(db, resident_id);
  const std::array<Value, 14> p{resident_id,
                                join_codes(m.languages),
                                m.faith,
                                std::string(gender_code(m.carer_gender)),
                                join_codes(m.times),
                                std::string(travel_code(m.travel)),
                                std::int64_t{m.travel_minutes},
                                join_codes(m.interests),
                                join_codes(m.communication),
                                join_codes(m.ruled_out_kinds),
                                m.food,
                                m.pets,
                                m.anything_else,
                                core::to_iso8601(now)};
  db.execute(
      "UPDATE person_profile SET languages = $2, faith = $3, carer_gender = $4, times = $5, travel = $6, "
      "travel_minutes = $7, interests = $8, communication_needs = $9, ruled_out_kinds = $10, food = $11, pets = $12, "
      "anything_else = $13, what_matters_at = $14 WHERE resident_id = $1",
      p);
  audit_change(db, resident_id, actor, "update_what_matters", "what_matters", "what matters", now);
  tx.commit();
}

std::vector<person::Goal> goals_of(Connection& db, std::int64_t resident_id) {
  const std::array<Value, 1> p{resident_id};
  std::vector<person::Goal> out;
  for (const auto& r : db.query("SELECT public_id, hope, how_we_know, need_code, achieved FROM person_goal "
                                "WHERE resident_id = $1 ORDER BY id",
                                p))
    out.push_back({r.text(0), r.text(1), r.text(2), r.text(3), r.integer(4) == 1});
  return out;
}

void add_goal(Connection& db, std::int64_t resident_id, const person::Goal& goal, const Actor& actor,
              core::Timestamp now) {
  const auto id = goal.public_id.empty() ? core::random_uuid() : goal.public_id;
  const std::array<Value, 7> p{id,          resident_id, goal.hope, goal.how_we_know, goal.need_code,
                               std::int64_t{goal.achieved ? 1 : 0}, core::to_iso8601(now)};
  Transaction tx(db, TxMode::write);
  const auto row = db.query(
                         "INSERT INTO person_goal (public_id, resident_id, hope, how_we_know, need_code, achieved, "
                         "created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                         p)
                       .front()
                       .integer(0);
  audit_change(db, resident_id, actor, "add_goal", "plan", "goal " + std::to_string(row), now);
  tx.commit();
}

bool remove_goal(Connection& db, std::int64_t resident_id, std::string_view goal_id, const Actor& actor,
                 core::Timestamp now) {
  const std::array<Value, 2> p{resident_id, std::string(goal_id)};
  Transaction tx(db, TxMode::write);
  const auto gone = db.query("DELETE FROM person_goal WHERE resident_id = $1 AND public_id = $2 RETURNING id", p);
  if (gone.empty()) return false;
  audit_change(db, resident_id, actor, "remove_goal", "plan", "goal " + std::to_string(gone.front().integer(0)), now);
  tx.commit();
  return true;
}

std::vector<person::Helper> helpers_of(Connection& db, std::int64_t resident_id) {
  const std::array<Value, 1> p{resident_id};
  std::vector<person::Helper> out;
  for (const auto& r : db.query("SELECT public_id, name, relationship, helps_with, times, contact FROM informal_helper "
                                "WHERE resident_id = $1 ORDER BY id",
                                p))
    out.push_back({r.text(0), r.text(1), r.text(2), split_codes(r.text(3)), split_codes(r.text(4)), r.text(5)});
  return out;
}

void add_helper(Connection& db, std::int64_t resident_id, const person::Helper& helper, const Actor& actor,
                core::Timestamp now) {
  const auto id = helper.public_id.empty() ? core::random_uuid() : helper.public_id;
  const std::array<Value, 8> p{id,
                               resident_id,
                               helper.name,
                               helper.relationship,
                               join_codes(helper.helps_with),
                               join_codes(helper.times),
                               helper.contact,
                               core::to_iso8601(now)};
  Transaction tx(db, TxMode::write);
  const auto row = db.query(
                         "INSERT INTO informal_helper (public_id, resident_id, name, relationship, helps_with, times, "
                         "contact, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
                         p)
                       .front()
                       .integer(0);
  audit_change(db, resident_id, actor, "add_helper", "plan", "helper " + std::to_string(row), now);
  tx.commit();
}

bool remove_helper(Connection& db, std::int64_t resident_id, std::string_view helper_id, const Actor& actor,
                   core::Timestamp now) {
  const std::array<Value, 2> p{resident_id, std::string(helper_id)};
  Transaction tx(db, TxMode::write);
  const auto gone = db.query("DELETE FROM informal_helper WHERE resident_id = $1 AND public_id = $2 RETURNING id", p);
  if (gone.empty()) return false;
  audit_change(db, resident_id, actor, "remove_helper", "plan", "helper " + std::to_string(gone.front().integer(0)),
               now);
  tx.commit();
  return true;
}

std::optional<AssessmentRecord> latest_assessment(Connection& db, std::int64_t resident_id) {
  const std::array<Value, 1> p{resident_id};
  const auto rows = db.query(
      "SELECT c.id, a.display_name, c.assessed_at, c.from_impairment, c.impairment_notes, c.significant_impact, "
      "c.wellbeing_notes, c.fluctuating, c.fluctuating_notes, c.eligible, c.reasons FROM care_assessment c "
      "JOIN account a ON a.id = c.assessed_by_account_id WHERE c.resident_id = $1 "
      "ORDER BY c.assessed_at DESC, c.id DESC LIMIT 1",
      p);
  if (rows.empty()) return std::nullopt;
  const auto& r = rows.front();
  AssessmentRecord out;
  auto& a = out.assessment;
  a.assessed_by = r.text(1);
  a.assessed_at = r.text(2);
  a.from_impairment = r.integer(3) == 1;
  a.impairment_notes = r.text(4);
  a.significant_impact = r.integer(5) == 1;
  a.wellbeing_notes = r.text(6);
  a.fluctuating = r.integer(7) == 1;
  a.fluctuating_notes = r.text(8);
  out.decision.eligible = r.integer(9) == 1;
  const auto reasons = r.text(10);
  for (std::size_t i = 0; i < reasons.size();) {
    const auto nl = reasons.find('\n', i);
    const auto end = nl == std::string::npos ? reasons.size() : nl;
    if (end > i) out.decision.reasons.push_back(reasons.substr(i, end - i));
    i = end + 1;
  }
  const std::array<Value, 1> id{r.integer(0)};
  for (const auto& o : db.query("SELECT outcome, tests, why FROM care_assessment_outcome WHERE assessment_id = $1", id))
    for (std::size_t i = 0; i < person::kOutcomes.size(); ++i)
      if (person::kOutcomes[i].code == o.text(0))
        a.outcomes[i] = {static_cast<std::uint8_t>(o.integer(1)), o.text(2)};
  for (const auto& n : db.query(
           "SELECT need_code FROM care_assessment_need WHERE assessment_id = $1 ORDER BY need_code", id))
    a.eligible_needs.push_back(n.text(0));
  return out;
}

void record_assessment(Connection& db, std::int64_t resident_id, const person::Assessment& a,
                       const person::Decision& decision, const Actor& actor, core::Timestamp now) {
  std::string reasons;
  for (const auto& r : decision.reasons) reasons += (reasons.empty() ? "" : "\n") + r;
  const std::array<Value, 11> p{resident_id,
                                actor.account_id,
                                core::to_iso8601(now),
                                std::int64_t{a.from_impairment ? 1 : 0},
                                a.impairment_notes,
                                std::int64_t{a.significant_impact ? 1 : 0},
                                a.wellbeing_notes,
                                std::int64_t{a.fluctuating ? 1 : 0},
                                a.fluctuating_notes,
                                std::int64_t{decision.eligible ? 1 : 0},
                                reasons};
  Transaction tx(db, TxMode::write);
  const auto id = db.query(
                        "INSERT INTO care_assessment (resident_id, assessed_by_account_id, assessed_at, "
                        "from_impairment, impairment_notes, significant_impact, wellbeing_notes, fluctuating, "
                        "fluctuating_notes, eligible, reasons) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) "
                        "RETURNING id",
                        p)
                      .front()
                      .integer(0);
  for (std::size_t i = 0; i < person::kOutcomes.size(); ++i) {
    if (!a.outcomes[i].unable()) continue;
    const std::array<Value, 4> o{id, std::string(person::kOutcomes[i].code), std::int64_t{a.outcomes[i].tests},
                                 a.outcomes[i].why};
    db.execute("INSERT INTO care_assessment_outcome (assessment_id, outcome, tests, why) VALUES ($1, $2, $3, $4)", o);
  }
  for (const auto& need : a.eligible_needs) {
    const std::array<Value, 2> n{id, need};
    db.execute("INSERT INTO care_assessment_need (assessment_id, need_code) VALUES ($1, $2) ON CONFLICT DO NOTHING",
               n);
  }
  audit_change(db, resident_id, actor, "record_assessment", "needs", std::to_string(id), now);
  tx.commit();
}

std::optional<BudgetRecord> latest_budget(Connection& db, std::int64_t resident_id) {
  const std::array<Value, 1> p{resident_id};
  const auto rows = db.query(
      "SELECT b.weekly_pence, b.person_contribution_pence, b.management, b.direct_payment_pence, a.display_name, "
      "b.set_at FROM personal_budget b JOIN account a ON a.id = b.set_by_account_id WHERE b.resident_id = $1 "
      "ORDER BY b.set_at DESC, b.id DESC LIMIT 1",
      p);
  if (rows.empty()) return std::nullopt;
  const auto& r = rows.front();
  BudgetRecord out;
  out.budget.weekly = core::Pence{r.integer(0)};
  out.budget.person_contribution = core::Pence{r.integer(1)};
  out.budget.management = management_of(r.text(2));
  out.budget.direct_payment = core::Pence{r.integer(3)};
  out.set_by = r.text(4);
  out.set_at = r.text(5);
  return out;
}

void set_budget(Connection& db, std::int64_t resident_id, const person::Budget& b, const Actor& actor,
                core::Timestamp now) {
  const std::array<Value, 7> p{resident_id,
                               b.weekly.value,
                               b.person_contribution.value,
                               std::string(management_code(b.management)),
                               b.direct_payment.value,
                               actor.account_id,
                               core::to_iso8601(now)};
  Transaction tx(db, TxMode::write);
  const auto id = db.query(
                        "INSERT INTO personal_budget (resident_id, weekly_pence, person_contribution_pence, "
                        "management, direct_payment_pence, set_by_account_id, set_at) "
                        "VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                        p)
                      .front()
                      .integer(0);
  audit_change(db, resident_id, actor, "set_budget", "budget", std::to_string(id), now);
  tx.commit();
}

int age_on(std::string_view birth_date, core::Timestamp now) {
  // Birthdays turn at UK midnight, not UTC's.
  const std::chrono::year_month_day today{std::chrono::sys_days(std::chrono::days(core::to_uk_local(now).day))};
  const auto born_day = core::parse_iso_date(birth_date);
  if (!born_day) return 0;
  const std::chrono::year_month_day born{std::chrono::sys_days(std::chrono::days(*born_day))};
  int age = static_cast<int>(today.year()) - static_cast<int>(born.year());
  if (std::pair(unsigned(today.month()), unsigned(today.day())) < std::pair(unsigned(born.month()), unsigned(born.day())))
    --age;
  return age;
}

careplan::PersonFacts planning_facts(Connection& db, const ResidentRecord& record, core::Timestamp now) {
  careplan::PersonFacts facts;
  facts.home = resident_home(db, record.id).value_or(core::LatLon{});
  facts.age = age_on(record.birth_date, now);
  for (const auto& c : record.circumstances) facts.circumstances.push_back(c.code);
  const auto assessment = latest_assessment(db, record.id);
  for (const auto& n : record.needs) {
    const auto& eligible = assessment ? assessment->assessment.eligible_needs : std::vector<std::string>{};
    facts.needs.push_back({n.code, std::find(eligible.begin(), eligible.end(), n.code) != eligible.end()});
  }
  facts.matters = read_profile(db, record.id).matters;
  facts.helpers = helpers_of(db, record.id);
  if (const auto budget = latest_budget(db, record.id)) facts.budget = budget->budget;
  return facts;
}

}  // namespace bespoke::store
