#pragma once
// A person's own record (0007_person_and_plans.sql): About me and what
// matters, goals, informal helpers, the Care Act assessment and the personal
// budget. Every change writes its audit event about the person in the same
// transaction; reads are audited by the caller (web/records.h).
#include "core/time.h"
#include "careplan/request.h"
#include "person/record.h"
#include "store/care_team_store.h"
#include "store/database.h"
#include "store/resident_store.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace bespoke::store {

struct Profile {
  person::AboutMe about;
  person::WhatMatters matters;
  std::optional<std::string> about_me_at;      // nullopt: not written yet
  std::optional<std::string> what_matters_at;
};

// The person's profile; defaults (what matters seeded from the record's main
// language and faith) when they have written nothing yet.
[[nodiscard]] Profile read_profile(Connection& db, std::int64_t resident_id);
void save_about_me(Connection& db, std::int64_t resident_id, const person::AboutMe& about, const Actor& actor,
                   core::Timestamp now);
void save_what_matters(Connection& db, std::int64_t resident_id, const person::WhatMatters& matters,
                       const Actor& actor, core::Timestamp now);

[[nodiscard]] std::vector<person::Goal> goals_of(Connection& db, std::int64_t resident_id);
void add_goal(Connection& db, std::int64_t resident_id, const person::Goal& goal, const Actor& actor,
              core::Timestamp now);
// False when the person has no goal with that id.
bool remove_goal(Connection& db, std::int64_t resident_id, std::string_view goal_id, const Actor& actor,
                 core::Timestamp now);

[[nodiscard]] std::vector<person::Helper> helpers_of(Connection& db, std::int64_t resident_id);
void add_helper(Connection& db, std::int64_t resident_id, const person::Helper& helper, const Actor& actor,
                core::Timestamp now);
bool remove_helper(Connection& db, std::int64_t resident_id, std::string_view helper_id, const Actor& actor,
                   core::Timestamp now);

struct AssessmentRecord {
  person::Assessment assessment;  // assessed_by (the coordinator's name) and assessed_at filled in
  person::Decision decision;
};
[[nodiscard]] std::optional<AssessmentRecord> latest_assessment(Connection& db, std::int64_t resident_id);
// A new assessment, the decision stored with it; earlier ones stay.
void record_assessment(Connection& db, std::int64_t resident_id, const person::Assessment& assessment,
                       const person::Decision& decision, const Actor& actor, core::Timestamp now);

struct BudgetRecord {
  person::Budget budget;
  std::string set_by;
  std::string set_at;
};
[[nodiscard]] std::optional<BudgetRecord> latest_budget(Connection& db, std::int64_t resident_id);
void set_budget(Connection& db, std::int64_t resident_id, const person::Budget& budget, const Actor& actor,
                core::Timestamp now);

// Everything the plan engine needs about the person, from their record: home,
// age on `now`, circumstances, needs (eligible as the latest assessment
// decided), what matters, helpers and budget.
[[nodiscard]] careplan::PersonFacts planning_facts(Connection& db, const ResidentRecord& record, core::Timestamp now);

// Age in whole years on the day of `now` (0 for a date that is not one).
[[nodiscard]] int age_on(std::string_view birth_date, core::Timestamp now);

// Space-separated lists as stored, and back.
[[nodiscard]] std::string join_codes(const std::vector<std::string>& codes);
[[nodiscard]] std::vector<std::string> split_codes(std::string_view text);

}  // namespace bespoke::store
