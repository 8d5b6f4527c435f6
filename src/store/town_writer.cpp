#include "store/town_writer.h"

#include "store/bulk_insert.h"

#include <fmt/format.h>

#include <array>
#include <optional>

namespace bespoke::store {
namespace {

using demo::kCircumstances;
using demo::kLanguages;
using demo::kNeeds;

// Children before parents, so foreign keys hold at every step.
constexpr std::array<std::string_view, 22> kTownTables{
    "volunteer_availability", "volunteer_check", "volunteer_skill", "volunteer", "language",
    "service_capacity", "cost_option", "schedule", "eligibility_circumstance", "eligibility",
    "service_need", "service_at_location", "service", "location", "organization",
    "resident_circumstance", "resident_need", "resident", "household", "neighbourhood", "town", "place"};

Value text(std::string_view s) { return Value{std::string(s)}; }
Value integer(std::int64_t v) { return Value{v}; }
Value flag(bool b) { return Value{std::int64_t{b ? 1 : 0}}; }
Value optional_text(const std::string& s) { return s.empty() ? Value{} : Value{s}; }

std::string hhmm(int minutes) { return fmt::format("{:02}:{:02}", minutes / 60, minutes % 60); }

std::string iso_date(const demo::Date& d) { return fmt::format("{:04}-{:02}-{:02}", d.year, d.month, d.day); }

std::vector<std::string> cols(std::initializer_list<const char*> names) { return {names.begin(), names.end()}; }

// Rows per INSERT. SQLite resolves "$n" parameters by linear search when it
// prepares a statement, so very wide statements cost more to prepare than they
// save; a few hundred rows already make the per-statement overhead negligible.
constexpr std::size_t kRowsPerStatement = 256;

}  // namespace

struct TownWriter::Impl {
  Connection& db;
  std::string generated_at;
  std::optional<Transaction> tx;
  std::string town_name;
  std::int64_t schedule_id = 0, language_id = 0, availability_id = 0;

  BulkInserter household{db, "household",
                         cols({"id", "public_id", "neighbourhood_id", "household_type", "size", "tenure", "latitude",
                               "longitude"}), kRowsPerStatement};
  BulkInserter resident{db, "resident",
                        cols({"id", "public_id", "household_id", "neighbourhood_id", "given_name", "family_name", "sex",
                              "birth_date", "main_language", "speaks_english", "faith"}), kRowsPerStatement};
  BulkInserter resident_need{db, "resident_need", cols({"resident_id", "need_code"}), kRowsPerStatement};
  BulkInserter resident_circumstance{db, "resident_circumstance", cols({"resident_id", "circumstance_code"}), kRowsPerStatement};
  BulkInserter organization{db, "organization",
                            cols({"id", "public_id", "name", "description", "email", "website", "year_incorporated",
                                  "kind", "is_community_led", "is_locally_owned", "registration_id",
                                  "neighbourhood_id"}), kRowsPerStatement};
  BulkInserter location{db, "location",
                        cols({"id", "public_id", "organization_id", "location_type", "name", "address_1", "city",
                              "postal_code", "latitude", "longitude", "neighbourhood_id"}), kRowsPerStatement};
  BulkInserter service{db, "service", cols({"id", "public_id", "organization_id", "name", "description", "status"}), kRowsPerStatement};
  BulkInserter service_at_location{db, "service_at_location", cols({"id", "public_id", "service_id", "location_id"}), kRowsPerStatement};
  BulkInserter service_need{db, "service_need", cols({"service_id", "need_code"}), kRowsPerStatement};
  BulkInserter eligibility{db, "eligibility",
                           cols({"id", "public_id", "service_id", "description", "minimum_age", "maximum_age"}), kRowsPerStatement};
  BulkInserter eligibility_circumstance{db, "eligibility_circumstance", cols({"eligibility_id", "circumstance_code"}), kRowsPerStatement};
  BulkInserter schedule{db, "schedule",
                        cols({"id", "public_id", "service_id", "location_id", "freq", "byday", "opens_at",
                              "closes_at"}), kRowsPerStatement};
  BulkInserter cost_option{db, "cost_option",
                           cols({"id", "public_id", "service_id", "option", "currency", "amount_pence",
                                 "amount_description"}), kRowsPerStatement};
  BulkInserter service_capacity{db, "service_capacity",
                                cols({"id", "public_id", "service_id", "unit", "available", "maximum", "updated"}), kRowsPerStatement};
  BulkInserter language{db, "language", cols({"id", "public_id", "service_id", "name", "code"}), kRowsPerStatement};
  BulkInserter volunteer{db, "volunteer",
                         cols({"id", "public_id", "resident_id", "neighbourhood_id", "hours_per_month",
                               "max_travel_m"}), kRowsPerStatement};
  BulkInserter volunteer_skill{db, "volunteer_skill", cols({"volunteer_id", "skill"}), kRowsPerStatement};
  BulkInserter volunteer_check{db, "volunteer_check", cols({"volunteer_id", "check_type"}), kRowsPerStatement};
  BulkInserter volunteer_availability{db, "volunteer_availability",
                                      cols({"id", "volunteer_id", "byday", "starts_at", "ends_at"}), kRowsPerStatement};

  // In foreign-key order: a table is flushed before any of its children are added.
  std::array<BulkInserter*, 19> all() {
    return {&household,   &resident,     &resident_need,   &resident_circumstance, &organization,
            &location,    &service,      &service_at_location, &service_need,      &eligibility,
            &eligibility_circumstance, &schedule, &cost_option, &service_capacity, &language,
            &volunteer,   &volunteer_skill, &volunteer_check, &volunteer_availability};
  }

  Impl(Connection& c, std::string at) : db(c), generated_at(std::move(at)) {}
};

TownWriter::TownWriter(Connection& db, std::string generated_at)
    : impl_(std::make_unique<Impl>(db, std::move(generated_at))) {}

TownWriter::~TownWriter() = default;

std::int64_t TownWriter::rows_written() const noexcept {
  std::int64_t n = 0;
  for (auto* ins : impl_->all()) n += ins->rows_written();
  return n;
}

void TownWriter::begin(const demo::Place& place) {
  Impl& m = *impl_;
  m.tx.emplace(m.db, TxMode::write);
  for (const auto table : kTownTables) m.db.execute(fmt::format("DELETE FROM {}", table));

  // Many rows with explicit ids: the driver makes that fast (SQLite defers the
  // indexes) and, in finish(), safe for later inserts (PostgreSQL's identities).
  m.db.begin_bulk_load(kTownTables);

  // Vocabularies are shared with later modules: upsert, never delete.
  for (const auto& n : kNeeds)
    m.db.execute("INSERT INTO need (code, label) VALUES ($1, $2) ON CONFLICT (code) DO UPDATE SET label = excluded.label",
                 std::array<Value, 2>{text(n.code), text(n.label)});
  for (const auto& k : demo::kProviderKinds)
    m.db.execute(
        "INSERT INTO provider_kind (code, label) VALUES ($1, $2) ON CONFLICT (code) DO UPDATE SET label = excluded.label",
        std::array<Value, 2>{text(k.code), text(k.label)});
  for (const auto& c : kCircumstances)
    m.db.execute(
        "INSERT INTO circumstance (code, label) VALUES ($1, $2) ON CONFLICT (code) DO UPDATE SET label = excluded.label",
        std::array<Value, 2>{text(c.code), text(c.label)});

  m.db.execute(
      "INSERT INTO place (id, name, scale, seed, generated_at, generator_version, reference_date)"
      " VALUES (1, $1, $2, $3, $4, $5, $6)",
      std::array<Value, 6>{text(place.name), text(place.scale), integer(static_cast<std::int64_t>(place.seed)),
                           text(m.generated_at), text(place.generator_version), text(iso_date(place.reference_date))});
  {
    BulkInserter towns(m.db, "town", cols({"id", "public_id", "name", "latitude", "longitude"}));
    for (const auto& t : place.towns)
      towns.add({integer(t.id), text(t.public_id.text()), text(t.name), Value{t.centre.lat}, Value{t.centre.lon}});
    towns.flush();
  }
  {
    BulkInserter nbs(m.db, "neighbourhood",
                     cols({"id", "public_id", "town_id", "code", "name", "latitude", "longitude",
                           "deprivation_decile"}));
    for (const auto& n : place.neighbourhoods)
      nbs.add({integer(n.id), text(n.public_id.text()), integer(n.town_id), text(n.code), text(n.name),
               Value{n.centroid.lat}, Value{n.centroid.lon}, integer(n.deprivation_decile)});
    nbs.flush();
  }
  if (!place.towns.empty()) m.town_name = place.towns.front().name;
}

void TownWriter::write(const demo::Chunk& c) {
  Impl& m = *impl_;
  if (!m.tx) throw std::logic_error("TownWriter::write before begin");

  for (const auto& h : c.households)
    m.household.add({integer(h.id), text(h.public_id.text()), integer(h.neighbourhood_id),
                     text(demo::kHouseholdTypes[static_cast<std::size_t>(h.type)]), integer(h.size),
                     text(demo::kTenures[static_cast<std::size_t>(h.tenure)]), Value{h.location.lat},
                     Value{h.location.lon}});
  m.household.flush();

  for (const auto& r : c.residents)
    m.resident.add({integer(r.id), text(r.public_id.text()), integer(r.household_id), integer(r.neighbourhood_id),
                    text(r.given_name), text(r.family_name), text(r.sex == demo::Sex::female ? "female" : "male"),
                    text(iso_date(r.birth_date)), text(kLanguages[r.main_language].code), flag(r.speaks_english),
                    text(demo::kFaiths[r.faith].code)});
  m.resident.flush();
  for (const auto& r : c.residents) {
    for (std::size_t n = 0; n < kNeeds.size(); ++n)
      if ((r.needs >> n) & 1U) m.resident_need.add({integer(r.id), text(kNeeds[n].code)});
    for (std::size_t k = 0; k < kCircumstances.size(); ++k)
      if ((r.circumstances >> k) & 1U) m.resident_circumstance.add({integer(r.id), text(kCircumstances[k].code)});
  }
  m.resident_need.flush();
  m.resident_circumstance.flush();

  for (const auto& o : c.organisations)
    m.organization.add({integer(o.id), text(o.public_id.text()), text(o.name), text(o.description),
                        optional_text(o.email), optional_text(o.website), integer(o.year_founded),
                        text(demo::code(o.kind)), flag(o.community_led), flag(o.locally_owned),
                        optional_text(o.registration_id), integer(o.neighbourhood_id)});
  m.organization.flush();
  // One location per organisation, sharing its id.
  for (const auto& o : c.organisations)
    m.location.add({integer(o.id), text(o.location_public_id.text()), integer(o.id), text("physical"), text(o.name),
                    text(o.address), text(m.town_name), text(o.postcode), Value{o.location.lat}, Value{o.location.lon},
                    integer(o.neighbourhood_id)});
  m.location.flush();

  for (const auto& s : c.services)
    m.service.add({integer(s.id), text(s.public_id.text()), integer(s.organisation_id), text(s.name),
                   text(s.description), text("active")});
  m.service.flush();

  for (const auto& s : c.services) {
    const Value sid = integer(s.id);
    // Rows that belong to one service take its id where there is exactly one of them.
    m.service_at_location.add({sid, text(s.public_id.derive(1).text()), sid, integer(s.organisation_id)});
    for (std::size_t n = 0; n < kNeeds.size(); ++n)
      if ((s.needs_met >> n) & 1U) m.service_need.add({sid, text(kNeeds[n].code)});
    const std::string who = s.maximum_age >= 120 ? fmt::format("Aged {} and over", s.minimum_age)
                                                 : fmt::format("Aged {} to {}", s.minimum_age, s.maximum_age);
    m.eligibility.add({sid, text(s.public_id.derive(2).text()), sid, text(s.minimum_age == 0 && s.maximum_age >= 120 ? "Everyone" : who),
                       integer(s.minimum_age), integer(s.maximum_age)});
    for (std::size_t k = 0; k < kCircumstances.size(); ++k)
      if ((s.eligible_circumstances >> k) & 1U) m.eligibility_circumstance.add({sid, text(kCircumstances[k].code)});
    for (std::size_t i = 0; i < s.schedule.size(); ++i) {
      const auto& w = s.schedule[i];
      m.schedule.add({integer(++m.schedule_id), text(s.public_id.derive(10 + i).text()), sid,
                      integer(s.organisation_id), text("WEEKLY"), text(demo::kDays[w.day]), text(hhmm(w.opens_at)),
                      text(hhmm(w.closes_at))});
    }
    m.cost_option.add({sid, text(s.public_id.derive(3).text()), sid, text(s.cost_pence == 0 ? "Free" : "Per session"),
                       text("GBP"), integer(s.cost_pence),
                       s.cost_pence == 0 ? Value{} : Value{fmt::format("£{}.{:02} a session", s.cost_pence / 100, s.cost_pence % 100)}});
    m.service_capacity.add({sid, text(s.public_id.derive(4).text()), sid, text(s.capacity_unit),
                            integer(s.capacity_available), integer(s.capacity_maximum), text(m.generated_at)});
    for (std::size_t l = 0; l < kLanguages.size(); ++l)
      if ((s.languages >> l) & 1U)
        m.language.add({integer(++m.language_id), text(s.public_id.derive(20 + l).text()), sid,
                        text(kLanguages[l].label), text(kLanguages[l].code)});
  }
  for (auto* ins : {&m.service_at_location, &m.service_need, &m.eligibility, &m.eligibility_circumstance, &m.schedule,
                    &m.cost_option, &m.service_capacity, &m.language})
    ins->flush();

  for (const auto& v : c.volunteers)
    m.volunteer.add({integer(v.id), text(v.public_id.text()), integer(v.resident_id), integer(v.neighbourhood_id),
                     integer(v.hours_per_month), integer(v.max_travel_m)});
  m.volunteer.flush();
  for (const auto& v : c.volunteers) {
    for (std::size_t k = 0; k < demo::kSkills.size(); ++k)
      if ((v.skills >> k) & 1U) m.volunteer_skill.add({integer(v.id), text(demo::kSkills[k].code)});
    for (std::size_t k = 0; k < demo::kChecks.size(); ++k)
      if ((v.checks >> k) & 1U) m.volunteer_check.add({integer(v.id), text(demo::kChecks[k].code)});
    for (const auto& w : v.availability)
      m.volunteer_availability.add({integer(++m.availability_id), integer(v.id), text(demo::kDays[w.day]),
                                    text(hhmm(w.opens_at)), text(hhmm(w.closes_at))});
  }
  m.volunteer_skill.flush();
  m.volunteer_check.flush();
  m.volunteer_availability.flush();
}

void TownWriter::finish(const demo::Totals&) {
  Impl& m = *impl_;
  if (!m.tx) throw std::logic_error("TownWriter::finish before begin");
  for (auto* ins : m.all()) ins->flush();
  m.db.end_bulk_load();
  m.tx->commit();
  m.tx.reset();
}

}  // namespace bespoke::store
