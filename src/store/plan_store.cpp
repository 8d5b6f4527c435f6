#include "store/plan_store.h"

#include "store/accounts_store.h"
#include "store/audit_store.h"

#include <fmt/format.h>

#include <array>
#include <chrono>

namespace bespoke::store {
namespace {

constexpr const char* kVersionColumns =
    "v.id, v.version, v.kind, v.created_at, COALESCE(a.display_name, 'Bespoke'), v.created_by_role, "
    "v.budget_weekly_pence, v.person_contribution_pence, v.budget_management, v.direct_payment_pence, "
    "v.direct_payment_needs, v.advice_meeting, v.advice_preventing, v.advocate_present, v.advocate_name "
    "FROM plan_version v LEFT JOIN account a ON a.id = v.created_by_account_id ";

PlanVersion version_of(const Row& r) {
  PlanVersion v;
  v.id = r.integer(0);
  v.version = r.integer(1);
  v.content.kind = r.text(2) == "default_plan" ? careplan::Kind::default_plan : careplan::Kind::coproduced;
  v.created_at = r.text(3);
  v.created_by = r.text(4);
  v.created_by_role = r.text(5);
  auto& c = v.content;
  c.budget_weekly = core::Pence{r.integer(6)};
  c.person_contribution = core::Pence{r.integer(7)};
  c.budget_management = r.text(8);
  c.direct_payment_weekly = core::Pence{r.integer(9)};
  c.direct_payment_needs = r.text(10);
  c.advice_meeting = r.text(11);
  c.advice_preventing = r.text(12);
  c.advocate_present = r.integer(13) == 1;
  c.advocate_name = r.text(14);
  return v;
}

void read_decisions(Connection& db, PlanVersion& v) {
  const std::array<Value, 1> p{v.id};
  for (const auto& r : db.query("SELECT d.kind, a.display_name, d.role, d.person_present, d.at FROM plan_decision d "
                                "JOIN account a ON a.id = d.account_id WHERE d.plan_version_id = $1",
                                p)) {
    PlanDecisionRecord d{r.text(1), r.text(2), r.integer(3) == 1, r.text(4)};
    if (r.text(0) == "agreed") v.agreed = std::move(d);
    else v.signed_off = std::move(d);
  }
}

void read_parts(Connection& db, PlanVersion& v) {
  const std::array<Value, 1> p{v.id};
  for (const auto& r : db.query(
           "SELECT need_code, need_label, eligible, source, ref, title, provider, when_text, weekly_cost_pence, "
           "fallback_ref, fallback_title, explanation, needs_fallback FROM plan_line WHERE plan_version_id = $1 ORDER BY position",
           p)) {
    careplan::Line l;
    l.need_code = r.text(0);
    l.need_label = r.text(1);
    l.eligible = r.integer(2) == 1;
    l.source = careplan::parse_source(r.text(3)).value_or(careplan::Source::own_idea);
    l.ref = r.text(4);
    l.title = r.text(5);
    l.provider = r.text(6);
    l.when = r.text(7);
    l.weekly_cost = core::Pence{r.integer(8)};
    l.fallback_ref = r.text(9);
    l.fallback_title = r.text(10);
    l.explanation = r.text(11);
    l.needs_fallback = r.integer(12) == 1;
    v.content.lines.push_back(std::move(l));
  }
  for (const auto& r : db.query("SELECT need_code, need_label, eligible, reason FROM plan_gap "
                                "WHERE plan_version_id = $1 ORDER BY position",
                                p))
    v.content.gaps.push_back({r.text(0), r.text(1), r.integer(2) == 1, r.text(3)});
  for (const auto& r : db.query(
           "SELECT name, role FROM plan_participant WHERE plan_version_id = $1 ORDER BY position", p))
    v.content.participants.push_back({r.text(0), r.text(1)});
  read_decisions(db, v);
}

std::optional<PlanVersion> read_version(Connection& db, std::int64_t resident_id, std::optional<std::int64_t> number) {
  std::vector<Row> rows;
  if (number) {
    const std::array<Value, 2> p{resident_id, *number};
    rows = db.query(std::string("SELECT ") + kVersionColumns + "WHERE v.resident_id = $1 AND v.version = $2", p);
  } else {
    const std::array<Value, 1> p{resident_id};
    rows = db.query(std::string("SELECT ") + kVersionColumns +
                        "WHERE v.resident_id = $1 ORDER BY v.version DESC LIMIT 1",
                    p);
  }
  if (rows.empty()) return std::nullopt;
  auto v = version_of(rows.front());
  read_parts(db, v);
  return v;
}

void audit_plan(Connection& db, std::int64_t resident_id, const Actor& actor, std::string action,
                std::string record_id, core::Timestamp now) {
  insert_audit_event(db,
                     event_about(db, resident_id, actor, std::move(action), "plan", std::move(record_id),
                                 actor.role == "self" ? "your own plan" : "care and support planning"),
                     now);
}

// A lock per person's plan (PostgreSQL), so two saves cannot both see the same
// latest version; SQLite's write transaction already excludes them.
std::int64_t plan_lock(std::int64_t resident_id) { return 0x706c616e00000000LL ^ resident_id; }

}  // namespace

std::optional<PlanVersion> latest_plan(Connection& db, std::int64_t resident_id) {
  return read_version(db, resident_id, std::nullopt);
}

std::optional<PlanVersion> plan_version(Connection& db, std::int64_t resident_id, std::int64_t version) {
  return read_version(db, resident_id, version);
}

std::vector<PlanVersion> plan_history(Connection& db, std::int64_t resident_id) {
  const std::array<Value, 1> p{resident_id};
  std::vector<PlanVersion> out;
  for (const auto& r :
       db.query(std::string("SELECT ") + kVersionColumns + "WHERE v.resident_id = $1 ORDER BY v.version DESC", p))
    out.push_back(version_of(r));
  for (auto& v : out) read_decisions(db, v);
  return out;
}

SaveResult save_plan_version(Connection& db, std::int64_t resident_id, std::int64_t based_on,
                             const careplan::Content& c, const Actor& actor, core::Timestamp now) {
  Transaction tx(db, TxMode::write);
  db.lock_until_transaction_end(plan_lock(resident_id));
  const std::array<Value, 1> who{resident_id};
  const auto latest = db.query("SELECT COALESCE(MAX(version), 0) FROM plan_version WHERE resident_id = $1", who)
                          .front()
                          .integer(0);
  if (latest != based_on) {
    auto current = read_version(db, resident_id, std::nullopt);
    tx.commit();
    return StaleVersion{std::move(current)};
  }
  const std::int64_t number = latest + 1;
  const std::array<Value, 15> p{resident_id,
                                number,
                                std::string(c.kind == careplan::Kind::default_plan ? "default_plan" : "coproduced"),
                                core::to_iso8601(now),
                                actor.account_id != 0 ? Value{actor.account_id} : Value{},
                                actor.role,
                                c.budget_weekly.value,
                                c.person_contribution.value,
                                c.budget_management,
                                c.direct_payment_weekly.value,
                                c.direct_payment_needs,
                                c.advice_meeting,
                                c.advice_preventing,
                                std::int64_t{c.advocate_present ? 1 : 0},
                                c.advocate_name};
  const auto id =
      db.query(
            "INSERT INTO plan_version (resident_id, version, kind, created_at, created_by_account_id, created_by_role, "
            "budget_weekly_pence, person_contribution_pence, budget_management, direct_payment_pence, "
            "direct_payment_needs, advice_meeting, advice_preventing, advocate_present, advocate_name) "
            "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id",
            p)
          .front()
          .integer(0);
  std::int64_t position = 0;
  for (const auto& l : c.lines) {
    const std::array<Value, 15> row{id,
                                    position++,
                                    l.need_code,
                                    l.need_label,
                                    std::int64_t{l.eligible ? 1 : 0},
                                    std::string(careplan::source_name(l.source)),
                                    l.ref,
                                    l.title,
                                    l.provider,
                                    l.when,
                                    l.weekly_cost.value,
                                    l.fallback_ref,
                                    l.fallback_title,
                                    l.explanation,
                                    std::int64_t{l.needs_fallback ? 1 : 0}};
    db.execute(
        "INSERT INTO plan_line (plan_version_id, position, need_code, need_label, eligible, source, ref, title, "
        "provider, when_text, weekly_cost_pence, fallback_ref, fallback_title, explanation, needs_fallback) "
        "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)",
        row);
  }
  position = 0;
  for (const auto& g : c.gaps) {
    const std::array<Value, 6> row{id, position++, g.need_code, g.need_label, std::int64_t{g.eligible ? 1 : 0},
                                   g.reason};
    db.execute(
        "INSERT INTO plan_gap (plan_version_id, position, need_code, need_label, eligible, reason) "
        "VALUES ($1, $2, $3, $4, $5, $6)",
        row);
  }
  position = 0;
  for (const auto& person : c.participants) {
    const std::array<Value, 4> row{id, position++, person.name, person.role};
    db.execute("INSERT INTO plan_participant (plan_version_id, position, name, role) VALUES ($1, $2, $3, $4)", row);
  }
  audit_plan(db, resident_id, actor, c.kind == careplan::Kind::default_plan ? "propose_default_plan" : "save_plan",
             "version " + std::to_string(number), now);
  tx.commit();
  return number;
}

namespace {

DecisionOutcome decide_plan(Connection& db, std::int64_t resident_id, std::int64_t version, const Actor& actor,
                            bool person_present, std::string_view kind, core::Timestamp now) {
  Transaction tx(db, TxMode::write);
  db.lock_until_transaction_end(plan_lock(resident_id));
  const std::array<Value, 1> who{resident_id};
  const auto latest =
      db.query("SELECT id, version FROM plan_version WHERE resident_id = $1 ORDER BY version DESC LIMIT 1", who);
  if (latest.empty() || latest.front().integer(1) != version) return DecisionOutcome::not_latest;
  const std::array<Value, 2> on{latest.front().integer(0), std::string(kind)};
  if (db.scalar("SELECT 1 FROM plan_decision WHERE plan_version_id = $1 AND kind = $2", on))
    return DecisionOutcome::already;
  if (kind == "signed_off") {
    const std::array<Value, 1> v{latest.front().integer(0)};
    if (!db.scalar("SELECT 1 FROM plan_decision WHERE plan_version_id = $1 AND kind = 'agreed'", v))
      return DecisionOutcome::not_agreed;
  }
  const std::array<Value, 6> p{latest.front().integer(0), std::string(kind), actor.account_id, actor.role,
                               std::int64_t{person_present ? 1 : 0}, core::to_iso8601(now)};
  db.execute(
      "INSERT INTO plan_decision (plan_version_id, kind, account_id, role, person_present, at) "
      "VALUES ($1, $2, $3, $4, $5, $6)",
      p);
  audit_plan(db, resident_id, actor, kind == "agreed" ? "agree_plan" : "sign_off_plan",
             "version " + std::to_string(version), now);
  tx.commit();
  return DecisionOutcome::done;
}

}  // namespace

DecisionOutcome agree_plan(Connection& db, std::int64_t resident_id, std::int64_t version, const Actor& actor,
                           bool person_present, core::Timestamp now) {
  return decide_plan(db, resident_id, version, actor, person_present || actor.role == "self", "agreed", now);
}

DecisionOutcome sign_off_plan(Connection& db, std::int64_t resident_id, std::int64_t version, const Actor& actor,
                              core::Timestamp now) {
  return decide_plan(db, resident_id, version, actor, false, "signed_off", now);
}

namespace {

// Review dates are UK local days, as the pages show them: a timestamp's day,
// and a stored "YYYY-MM-DD" as it is.
std::optional<std::int32_t> day_of(const std::optional<std::string>& iso) {
  if (!iso) return std::nullopt;
  if (iso->size() == 10) return core::parse_iso_date(*iso);
  const auto t = core::parse_iso8601(*iso);
  if (!t) return std::nullopt;
  return core::to_uk_local(*t).day;
}

std::string uk_date(core::Timestamp now) {
  const std::chrono::year_month_day d{std::chrono::sys_days(std::chrono::days(core::to_uk_local(now).day))};
  return fmt::format("{:04}-{:02}-{:02}", static_cast<int>(d.year()), static_cast<unsigned>(d.month()),
                     static_cast<unsigned>(d.day()));
}

}  // namespace

ReviewState review_state(Connection& db, std::int64_t resident_id) {
  const std::array<Value, 1> p{resident_id};
  ReviewState out;
  const auto started = db.query(
      "SELECT MIN(CASE WHEN d.kind = 'signed_off' THEN d.at END), MIN(CASE WHEN d.kind = 'agreed' THEN d.at END) "
      "FROM plan_decision d JOIN plan_version v ON v.id = d.plan_version_id WHERE v.resident_id = $1",
      p);
  if (!started.empty()) {
    out.started = day_of(started.front().optional_text(0));
    if (!out.started) out.started = day_of(started.front().optional_text(1));
  }
  const auto held = db.query(
      "SELECT on_day, notes, at FROM plan_review WHERE resident_id = $1 AND kind = 'held' ORDER BY at DESC, id DESC "
      "LIMIT 1",
      p);
  if (!held.empty()) {
    out.last_held = day_of(held.front().optional_text(0));
    out.last_notes = held.front().text(1);
  }
  // A request counts when it came after the last review held (by the moment, so
  // one made later on the same day is not lost).
  const std::array<Value, 2> since{resident_id, held.empty() ? std::string() : held.front().text(2)};
  const auto asked = db.query(
      "SELECT MIN(on_day) FROM plan_review WHERE resident_id = $1 AND kind = 'requested' AND at > $2", since);
  if (!asked.empty()) out.requested_on = day_of(asked.front().optional_text(0));
  return out;
}

bool request_review(Connection& db, std::int64_t resident_id, const Actor& actor, core::Timestamp now) {
  Transaction tx(db, TxMode::write);
  db.lock_until_transaction_end(plan_lock(resident_id));
  if (review_state(db, resident_id).requested_on) return false;
  const auto at = core::to_iso8601(now);
  const std::array<Value, 4> p{resident_id, uk_date(now), actor.account_id, at};
  db.execute("INSERT INTO plan_review (resident_id, kind, on_day, notes, account_id, at) "
             "VALUES ($1, 'requested', $2, '', $3, $4)",
             p);
  audit_plan(db, resident_id, actor, "request_review", "review", now);
  tx.commit();
  return true;
}

void record_review(Connection& db, std::int64_t resident_id, std::string_view notes, const Actor& actor,
                   core::Timestamp now) {
  const auto at = core::to_iso8601(now);
  const std::array<Value, 5> p{resident_id, uk_date(now), std::string(notes), actor.account_id, at};
  Transaction tx(db, TxMode::write);
  db.execute("INSERT INTO plan_review (resident_id, kind, on_day, notes, account_id, at) "
             "VALUES ($1, 'held', $2, $3, $4, $5)",
             p);
  audit_plan(db, resident_id, actor, "hold_review", "review", now);
  tx.commit();
}

}  // namespace bespoke::store
