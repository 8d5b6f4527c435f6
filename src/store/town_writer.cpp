#include "store/town_writer.h"

#include "core/ids.h"
#include "demo/reference.h"
#include "hsds/model.h"
#include "hsds/record_set.h"
#include "hsds/taxonomy_files.h"
#include "store/bulk_insert.h"
#include "store/hsds_store.h"

#include <fmt/format.h>

#include <array>
#include <optional>
#include <stdexcept>

namespace bespoke::store {
namespace {

using demo::kCircumstances;
using demo::kLanguages;
using demo::kNeeds;

// Every table the town owns, children before parents, so that deleting in this
// order leaves no dangling reference at any step. The HSDS directory tables
// are all the demo's; taxonomies and units are shared vocabularies (upserted,
// never deleted), and the postcode table is shared with real postcodes (only
// the demo's, those with a neighbourhood, are deleted).
constexpr std::array<std::string_view, 31> kTownTables{
    // HSDS 3.1 records (0003_hsds_directory.sql)
    "attribute", "metadata", "language", "phone", "contact", "schedule", "service_area", "cost_option", "funding",
    "required_document", "service_capacity", "url", "accessibility", "address", "service_at_location", "service",
    "program", "location", "organization_identifier", "organization",
    // the place and its people (0001_town.sql)
    "volunteer_availability", "volunteer_check", "volunteer_skill", "volunteer", "resident_circumstance",
    "resident_need", "resident", "household", "neighbourhood", "town", "place"};
// What people wrote and were given (0007_person_and_plans.sql): children first.
constexpr std::array<std::string_view, 14> kPersonTables{
    "referral", "plan_review", "plan_decision", "plan_participant", "plan_gap", "plan_line", "plan_version", "care_assessment_need",
    "care_assessment_outcome", "care_assessment", "personal_budget", "informal_helper", "person_goal",
    "person_profile"};
constexpr std::size_t kFirstPlaceTable = 20;  // postcodes are deleted before the place's tables
static_assert(kTownTables[kFirstPlaceTable] == "volunteer_availability");

Value text(std::string_view s) { return Value{std::string(s)}; }
Value integer(std::int64_t v) { return Value{v}; }
Value real(double v) { return Value{v}; }
Value flag(bool b) { return Value{std::int64_t{b ? 1 : 0}}; }
Value optional_text(std::string_view s) { return s.empty() ? Value{} : Value{std::string(s)}; }

std::string hhmm(int minutes) { return fmt::format("{:02}:{:02}", minutes / 60, minutes % 60); }

std::string date_time(const demo::Date& d, int minute) {
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:00Z", d.year, d.month, d.day, minute / 60, minute % 60);
}

std::vector<std::string> cols(std::initializer_list<const char*> names) { return {names.begin(), names.end()}; }

// Rows per INSERT. SQLite resolves "$n" parameters by linear search when it
// prepares a statement, so very wide statements cost more to prepare than they
// save; a few hundred rows already make the per-statement overhead negligible.
constexpr std::size_t kRowsPerStatement = 256;

// Tags for PublicId::derive: the rows that belong to one record get ids derived
// from its id. Distinct per record kind, so no two rows share an id.
namespace tag {
// organisation
constexpr std::uint64_t identifier = 1, provider_kind = 2, feature = 3;  // feature + k
// location
constexpr std::uint64_t address = 1, location_phone = 2, accessibility = 10, accessibility_attribute = 20;
// service
constexpr std::uint64_t service_at_location = 1, cost_option = 3, capacity = 4, contact = 5, service_phone = 6,
                        service_type = 7, weekly = 10, language = 20, need = 40, eligibility = 56, exception = 100;
}  // namespace tag

std::string unit_id(std::string_view unit) { return core::uuid_for_name(fmt::format("unit:bespoke:{}", unit)); }

// "GB-CHC-1234567" -> "GB-CHC": the org-id list the identifier belongs to.
std::string_view org_id_list(std::string_view identifier) {
  const auto first = identifier.find('-');
  const auto second = first == std::string_view::npos ? first : identifier.find('-', first + 1);
  return second == std::string_view::npos ? identifier : identifier.substr(0, second);
}

hsds::Record taxonomy_record(std::string_view name, std::string_view description) {
  hsds::Record t(hsds::entity("taxonomy"));
  t.set("id", core::taxonomy_uuid(name));
  t.set("name", std::string(name));
  t.set("description", std::string(description));
  t.set("uri", fmt::format("https://bespoke.example/taxonomies/{}", name));
  t.set("version", std::string(demo::kGeneratorVersion));
  return t;
}

void add_terms(hsds::RecordSet& set, std::string_view taxonomy, std::string_view description,
               std::span<const std::pair<std::string_view, std::string_view>> codes) {
  set.add(taxonomy_record(taxonomy, description));
  const std::string taxonomy_id = core::taxonomy_uuid(taxonomy);
  for (const auto& [code, label] : codes) {
    hsds::Record t(hsds::entity("taxonomy_term"));
    t.set("id", core::taxonomy_term_uuid(taxonomy, code));
    t.set("code", std::string(code));
    t.set("name", std::string(label));
    t.set("description", std::string(label));
    t.set("taxonomy", std::string(taxonomy));
    t.set("taxonomy_id", taxonomy_id);
    t.set("language", std::string("en"));
    set.add(std::move(t));
  }
}

template <class Array>
std::vector<std::pair<std::string_view, std::string_view>> code_labels(const Array& vocabulary) {
  std::vector<std::pair<std::string_view, std::string_view>> out;
  for (const auto& v : vocabulary) out.emplace_back(v.code, v.label);
  return out;
}

// The demo's own vocabularies as HSDS taxonomies, Open Eligibility (the service
// types) and the capacity units: shared records, upserted.
hsds::RecordSet vocabulary_records() {
  hsds::RecordSet set;
  add_terms(set, demo::kProviderKindTaxonomy, "Kinds of provider: council, NHS, charity, community-led, ...",
            code_labels(demo::kProviderKinds));
  add_terms(set, demo::kOrganisationTaxonomy, "Features of an organisation: community-led, locally owned",
            code_labels(demo::kOrganisationFeatures));
  add_terms(set, demo::kNeedTaxonomy, "Needs a service meets", code_labels(kNeeds));
  add_terms(set, demo::kCircumstanceTaxonomy, "Circumstances that make someone eligible for a service",
            code_labels(kCircumstances));
  add_terms(set, demo::kAccessibilityTaxonomy, "Accessibility features of a location",
            code_labels(demo::kAccessibility));
  set.merge(hsds::read_open_eligibility(demo::open_eligibility_xml()).records);
  for (const auto unit : demo::kCapacityUnits) {
    hsds::Record u(hsds::entity("unit"));
    u.set("id", unit_id(unit));
    u.set("name", std::string(unit));
    u.set("scheme", std::string("bespoke"));
    set.add(std::move(u));
  }
  return set;
}

template <std::size_t N, class Array>
std::array<std::string, N> term_ids(std::string_view taxonomy, const Array& vocabulary) {
  std::array<std::string, N> ids;
  for (std::size_t i = 0; i < N; ++i) ids[i] = core::taxonomy_term_uuid(taxonomy, vocabulary[i].code);
  return ids;
}

// Term ids of every code the writer attaches, computed once.
struct TermIds {
  std::array<std::string, demo::kProviderKindCount> provider_kind =
      term_ids<demo::kProviderKindCount>(demo::kProviderKindTaxonomy, demo::kProviderKinds);
  std::array<std::string, 2> feature = term_ids<2>(demo::kOrganisationTaxonomy, demo::kOrganisationFeatures);
  std::array<std::string, demo::kNeedCount> need = term_ids<demo::kNeedCount>(demo::kNeedTaxonomy, kNeeds);
  std::array<std::string, kCircumstances.size()> circumstance =
      term_ids<kCircumstances.size()>(demo::kCircumstanceTaxonomy, kCircumstances);
  std::array<std::string, demo::kAccessibility.size()> accessibility =
      term_ids<demo::kAccessibility.size()>(demo::kAccessibilityTaxonomy, demo::kAccessibility);
  std::array<std::array<std::string, 3>, demo::kNeedCount> service_type = [] {
    std::array<std::array<std::string, 3>, demo::kNeedCount> ids;
    for (std::size_t n = 0; n < demo::kNeedCount; ++n)
      for (std::size_t k = 0; k < 3; ++k)
        ids[n][k] = core::taxonomy_term_uuid(demo::kServiceTypeTaxonomy, demo::kServiceTypes[n][k].open_eligibility_code);
    return ids;
  }();
  std::array<std::string, demo::kCapacityUnits.size()> unit = [] {
    std::array<std::string, demo::kCapacityUnits.size()> ids;
    for (std::size_t i = 0; i < ids.size(); ++i) ids[i] = unit_id(demo::kCapacityUnits[i]);
    return ids;
  }();

  [[nodiscard]] const std::string& of_type(const demo::ServiceTypeInfo* type) const {
    const auto index = static_cast<std::size_t>(type - &demo::kServiceTypes[0][0]);
    if (index >= demo::kNeedCount * 3) throw std::logic_error("service type outside kServiceTypes");
    return service_type[index / 3][index % 3];
  }
  [[nodiscard]] const std::string& of_unit(std::string_view unit) const {
    for (std::size_t i = 0; i < demo::kCapacityUnits.size(); ++i)
      if (demo::kCapacityUnits[i] == unit) return this->unit[i];
    throw std::logic_error("capacity unit outside kCapacityUnits");
  }
};

// Where a neighbourhood is, for addresses.
struct Whereabouts {
  std::string town;
  std::string county;
};

}  // namespace

struct TownWriter::Impl {
  Connection& db;
  std::string generated_at;
  std::optional<Transaction> tx;
  TermIds terms;
  std::vector<Whereabouts> where;  // by neighbourhood id
  std::uint64_t chunk_prefix = 0;  // the chunk being written, numbered from 1
  std::int64_t availability_id = 0;

  BulkInserter household{db, "household",
                         cols({"id", "public_id", "neighbourhood_id", "household_type", "size", "tenure", "latitude",
                               "longitude"}), kRowsPerStatement};
  BulkInserter resident{db, "resident",
                        cols({"id", "public_id", "household_id", "neighbourhood_id", "given_name", "family_name", "sex",
                              "birth_date", "main_language", "speaks_english", "faith"}), kRowsPerStatement};
  BulkInserter resident_need{db, "resident_need", cols({"resident_id", "need_code"}), kRowsPerStatement};
  BulkInserter resident_circumstance{db, "resident_circumstance", cols({"resident_id", "circumstance_code"}), kRowsPerStatement};
  // HSDS
  BulkInserter organization{db, "organization",
                            cols({"id", "name", "description", "email", "website", "year_incorporated",
                                  "legal_status"}), kRowsPerStatement};
  BulkInserter organization_identifier{db, "organization_identifier",
                                       cols({"id", "organization_id", "identifier_scheme", "identifier_type",
                                             "identifier"}), kRowsPerStatement};
  BulkInserter location{db, "location",
                        cols({"id", "location_type", "organization_id", "name", "latitude", "longitude"}), kRowsPerStatement};
  BulkInserter address{db, "address",
                       cols({"id", "location_id", "address_1", "address_2", "city", "state_province", "postal_code",
                             "country", "address_type"}), kRowsPerStatement};
  BulkInserter accessibility{db, "accessibility", cols({"id", "location_id", "description"}), kRowsPerStatement};
  BulkInserter service{db, "service",
                       cols({"id", "organization_id", "name", "description", "url", "email", "status",
                             "fees_description", "eligibility_description", "minimum_age", "maximum_age",
                             "assured_date", "last_modified"}), kRowsPerStatement};
  BulkInserter service_at_location{db, "service_at_location", cols({"id", "service_id", "location_id"}), kRowsPerStatement};
  BulkInserter contact{db, "contact", cols({"id", "service_id", "title", "email"}), kRowsPerStatement};
  BulkInserter phone{db, "phone", cols({"id", "location_id", "service_id", "number", "type", "description"}), kRowsPerStatement};
  BulkInserter schedule{db, "schedule",
                        cols({"id", "service_id", "valid_from", "valid_to", "freq", "byday", "description", "opens_at",
                              "closes_at"}), kRowsPerStatement};
  BulkInserter cost_option{db, "cost_option",
                           cols({"id", "service_id", "option", "currency", "amount", "amount_description"}), kRowsPerStatement};
  BulkInserter service_capacity{db, "service_capacity",
                                cols({"id", "service_id", "unit_id", "available", "maximum", "updated"}), kRowsPerStatement};
  BulkInserter language{db, "language", cols({"id", "service_id", "name", "code"}), kRowsPerStatement};
  BulkInserter attribute{db, "attribute", cols({"id", "link_id", "taxonomy_term_id", "link_type", "link_entity"}),
                         kRowsPerStatement};
  // volunteers
  BulkInserter volunteer{db, "volunteer",
                         cols({"id", "public_id", "resident_id", "neighbourhood_id", "hours_per_month",
                               "max_travel_m"}), kRowsPerStatement};
  BulkInserter volunteer_skill{db, "volunteer_skill", cols({"volunteer_id", "skill"}), kRowsPerStatement};
  BulkInserter volunteer_check{db, "volunteer_check", cols({"volunteer_id", "check_type"}), kRowsPerStatement};
  BulkInserter volunteer_availability{db, "volunteer_availability",
                                      cols({"id", "volunteer_id", "byday", "starts_at", "ends_at"}), kRowsPerStatement};

  // In foreign-key order: a table is flushed before any of its children are added.
  std::array<BulkInserter*, 22> all() {
    return {&household,        &resident,     &resident_need,       &resident_circumstance, &organization,
            &organization_identifier, &location, &address,          &accessibility,         &service,
            &service_at_location, &contact,   &phone,               &schedule,              &cost_option,
            &service_capacity, &language,     &attribute,           &volunteer,             &volunteer_skill,
            &volunteer_check,  &volunteer_availability};
  }

  void add_attribute(const demo::PublicId& owner, std::uint64_t derive_tag, const std::string& link_id,
                     const std::string& term_id, std::string_view link_type, std::string_view link_entity) {
    attribute.add({text(child_id(owner, derive_tag)), text(link_id), text(term_id), text(link_type),
                   text(link_entity)});
  }

  // The id of a row that belongs to `owner` (its schedule, its attributes, ...):
  // derived from the owner's id, so the same seed gives the same ids, but with
  // the chunk's number in its first 32 bits, as time-ordered UUIDs have a
  // timestamp there. Rows then reach each table's primary-key index in nearly
  // ascending order: SQLite appends to the index's last pages instead of
  // touching pages all over an index far larger than its cache (at nation scale
  // millions of schedule and attribute rows), and PostgreSQL's B-trees stay
  // compact. The other 90 bits are as random as the owner's.
  [[nodiscard]] std::string child_id(const demo::PublicId& owner, std::uint64_t derive_tag) const {
    const demo::PublicId d = owner.derive(derive_tag);
    return core::uuid_from_bits((chunk_prefix << 32) | (d.high & 0xFFFF'FFFFULL), d.low);
  }

  void write_organisations(const demo::Chunk& c);
  void write_services(const demo::Chunk& c);

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
  // People's own records and plans point at the residents being replaced.
  for (const auto table : kPersonTables) m.db.execute(fmt::format("DELETE FROM {}", table));
  for (std::size_t i = 0; i < kTownTables.size(); ++i) {
    // The demo's postcodes point at its neighbourhoods: they go first.
    if (i == kFirstPlaceTable) m.db.execute("DELETE FROM postcode WHERE neighbourhood_id IS NOT NULL");
    m.db.execute(fmt::format("DELETE FROM {}", kTownTables[i]));
  }

  // Vocabularies are shared with later modules: upsert, never delete. Written
  // before the bulk load, whose foreign keys may be checked row by row.
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
  upsert_records(m.db, vocabulary_records());

  // Many rows with explicit ids: the driver makes that fast (SQLite defers the
  // indexes) and, in finish(), safe for later inserts (PostgreSQL's identities).
  std::vector<std::string_view> bulk(kTownTables.begin(), kTownTables.end());
  bulk.push_back("postcode");
  m.db.begin_bulk_load(bulk);

  m.db.execute(
      "INSERT INTO place (id, name, scale, seed, generated_at, generator_version, reference_date)"
      " VALUES (1, $1, $2, $3, $4, $5, $6)",
      std::array<Value, 6>{text(place.name), text(place.scale), integer(static_cast<std::int64_t>(place.seed)),
                           text(m.generated_at), text(place.generator_version), text(demo::iso_date(place.reference_date))});
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
    m.where.assign(place.neighbourhoods.size() + 1, {});
    for (const auto& n : place.neighbourhoods) {
      nbs.add({integer(n.id), text(n.public_id.text()), integer(n.town_id), text(n.code), text(n.name),
               Value{n.centroid.lat}, Value{n.centroid.lon}, integer(n.deprivation_decile)});
      const auto& town = place.towns.at(static_cast<std::size_t>(n.town_id - 1));
      m.where.at(static_cast<std::size_t>(n.id)) = {town.name, town.county};
    }
    nbs.flush();
  }
  {
    // Real postcodes (an ONSPD import) may be there too; the demo's never clash
    // with them, but replace any left by an earlier place that had no neighbourhood.
    BulkInserter postcodes(m.db, "postcode",
                           cols({"postcode", "latitude", "longitude", "area_code", "neighbourhood_id",
                                 "deprivation_decile"}),
                           kRowsPerStatement,
                           "ON CONFLICT (postcode) DO UPDATE SET latitude = excluded.latitude, longitude = "
                           "excluded.longitude, area_code = excluded.area_code, neighbourhood_id = "
                           "excluded.neighbourhood_id, deprivation_decile = excluded.deprivation_decile");
    for (const auto& p : place.postcodes) {
      const auto& nb = place.neighbourhoods.at(static_cast<std::size_t>(p.neighbourhood_id - 1));
      postcodes.add({text(p.code), real(p.location.lat), real(p.location.lon), text(nb.code),
                     integer(p.neighbourhood_id), integer(p.deprivation_decile)});
    }
    postcodes.flush();
  }
}

void TownWriter::Impl::write_organisations(const demo::Chunk& c) {
  for (const auto& o : c.organisations)
    organization.add({text(o.public_id.text()), text(o.name), text(o.description), optional_text(o.email),
                      optional_text(o.website), real(o.year_founded), optional_text(o.legal_status)});
  organization.flush();

  for (const auto& o : c.organisations) {
    const std::string id = o.public_id.text();
    if (!o.registration_id.empty())
      organization_identifier.add({text(child_id(o.public_id, tag::identifier)), text(id), text("org-id"),
                                   text(org_id_list(o.registration_id)), text(o.registration_id)});
    add_attribute(o.public_id, tag::provider_kind, id, terms.provider_kind[static_cast<std::size_t>(o.kind)],
                  demo::kProviderKindLink, "organization");
    if (o.community_led)
      add_attribute(o.public_id, tag::feature, id, terms.feature[0], demo::kOrganisationFeatureLink, "organization");
    if (o.locally_owned)
      add_attribute(o.public_id, tag::feature + 1, id, terms.feature[1], demo::kOrganisationFeatureLink, "organization");
    // One location per organisation.
    location.add({text(o.location_public_id.text()), text("physical"), text(id), text(o.name), real(o.location.lat),
                  real(o.location.lon)});
  }
  organization_identifier.flush();
  location.flush();

  for (const auto& o : c.organisations) {
    const std::string loc = o.location_public_id.text();
    const Whereabouts& w = where.at(static_cast<std::size_t>(o.neighbourhood_id));
    address.add({text(child_id(o.location_public_id, tag::address)), text(loc), text(o.address), Value{},
                 text(w.town), text(w.county), text(o.postcode), text("GB"), text("physical")});
    phone.add({text(child_id(o.location_public_id, tag::location_phone)), text(loc), Value{}, text(o.phone),
               text("voice"), Value{}});
    for (std::size_t k = 0; k < demo::kAccessibility.size(); ++k) {
      if (((o.accessibility >> k) & 1U) == 0) continue;
      accessibility.add({text(child_id(o.location_public_id, tag::accessibility + k)), text(loc),
                         text(demo::kAccessibility[k].label)});
      add_attribute(o.location_public_id, tag::accessibility_attribute + k, loc, terms.accessibility[k],
                    demo::kAccessibilityLink, "location");
    }
  }
  address.flush();
  accessibility.flush();
}

void TownWriter::Impl::write_services(const demo::Chunk& c) {
  // Chunk-local: the organisations of this chunk, by final id.
  const std::int64_t first_org = c.organisations.empty() ? 0 : c.organisations.front().id;
  auto org = [&](std::int64_t id) -> const demo::Organisation& {
    return c.organisations.at(static_cast<std::size_t>(id - first_org));
  };

  for (const auto& s : c.services) {
    const bool min_limit = s.minimum_age > 0;
    const bool max_limit = s.maximum_age < 120;
    const std::string who = !min_limit && !max_limit ? std::string()
                            : !max_limit             ? fmt::format("Aged {} and over", s.minimum_age)
                            : !min_limit             ? fmt::format("Aged up to {}", s.maximum_age)
                                                     : fmt::format("Aged {} to {}", s.minimum_age, s.maximum_age);
    service.add({text(s.public_id.text()), text(org(s.organisation_id).public_id.text()), text(s.name),
                 text(s.description), optional_text(s.url), optional_text(s.email),
                 text(demo::kServiceStatuses[static_cast<std::size_t>(s.status)]),
                 s.cost_pence == 0 ? Value{} : Value{fmt::format("£{}.{:02} a session", s.cost_pence / 100, s.cost_pence % 100)},
                 optional_text(who), min_limit ? real(s.minimum_age) : Value{}, max_limit ? real(s.maximum_age) : Value{},
                 text(demo::iso_date(s.assured_date)), text(date_time(s.last_modified, s.last_modified_minute))});
  }
  service.flush();

  for (const auto& s : c.services) {
    const std::string sid = s.public_id.text();
    const demo::Organisation& o = org(s.organisation_id);
    service_at_location.add({text(child_id(s.public_id, tag::service_at_location)), text(sid),
                             text(o.location_public_id.text())});
    contact.add({text(child_id(s.public_id, tag::contact)), text(sid), text(s.contact_title), text(s.contact_email)});
    if (!s.phone.empty())
      phone.add({text(child_id(s.public_id, tag::service_phone)), Value{}, text(sid), text(s.phone), text("voice"),
                 text("Freephone helpline")});

    // Weekly hours: one row per distinct opening time, with the days that share it.
    std::array<bool, 7> done{};
    for (std::size_t i = 0; i < s.schedule.size(); ++i) {
      if (done[i]) continue;
      const auto& w = s.schedule[i];
      std::string days(demo::kDays[w.day]);
      for (std::size_t j = i + 1; j < s.schedule.size(); ++j) {
        const auto& x = s.schedule[j];
        if (!done[j] && x.opens_at == w.opens_at && x.closes_at == w.closes_at) {
          done[j] = true;
          days += ',';
          days += demo::kDays[x.day];
        }
      }
      schedule.add({text(child_id(s.public_id, tag::weekly + i)), text(sid), Value{}, Value{}, text("WEEKLY"),
                    text(days), Value{}, text(hhmm(w.opens_at)), text(hhmm(w.closes_at))});
    }
    for (std::size_t i = 0; i < s.exceptions.size(); ++i) {
      const auto& e = s.exceptions[i];
      schedule.add({text(child_id(s.public_id, tag::exception + i)), text(sid), text(demo::iso_date(e.from)),
                    text(demo::iso_date(e.to)), Value{}, Value{}, text(e.description),
                    e.closed() ? Value{} : text(hhmm(e.opens_at)), e.closed() ? Value{} : text(hhmm(e.closes_at))});
    }

    cost_option.add({text(child_id(s.public_id, tag::cost_option)), text(sid),
                     text(s.cost_pence == 0 ? "Free" : "Per session"), text("GBP"),
                     real(static_cast<double>(s.cost_pence) / 100.0),
                     s.cost_pence == 0 ? Value{} : Value{fmt::format("£{}.{:02} a session", s.cost_pence / 100, s.cost_pence % 100)}});
    service_capacity.add({text(child_id(s.public_id, tag::capacity)), text(sid), text(terms.of_unit(s.capacity_unit)),
                          real(s.capacity_available), real(s.capacity_maximum),
                          text(date_time(s.last_modified, s.last_modified_minute))});
    for (std::size_t l = 0; l < kLanguages.size(); ++l)
      if ((s.languages >> l) & 1U)
        language.add({text(child_id(s.public_id, tag::language + l)), text(sid), text(kLanguages[l].label),
                      text(kLanguages[l].code)});

    add_attribute(s.public_id, tag::service_type, sid, terms.of_type(s.type), demo::kServiceTypeLink, "service");
    for (std::size_t n = 0; n < kNeeds.size(); ++n)
      if ((s.needs_met >> n) & 1U)
        add_attribute(s.public_id, tag::need + n, sid, terms.need[n], demo::kNeedLink, "service");
    for (std::size_t k = 0; k < kCircumstances.size(); ++k)
      if ((s.eligible_circumstances >> k) & 1U)
        add_attribute(s.public_id, tag::eligibility + k, sid, terms.circumstance[k], demo::kEligibilityLink, "service");
  }
  for (auto* ins : {&service_at_location, &contact, &phone, &schedule, &cost_option, &service_capacity, &language,
                    &attribute})
    ins->flush();
}

void TownWriter::write(const demo::Chunk& c) {
  Impl& m = *impl_;
  if (!m.tx) throw std::logic_error("TownWriter::write before begin");
  m.chunk_prefix = c.index + 1;

  for (const auto& h : c.households)
    m.household.add({integer(h.id), text(h.public_id.text()), integer(h.neighbourhood_id),
                     text(demo::kHouseholdTypes[static_cast<std::size_t>(h.type)]), integer(h.size),
                     text(demo::kTenures[static_cast<std::size_t>(h.tenure)]), Value{h.location.lat},
                     Value{h.location.lon}});
  m.household.flush();

  for (const auto& r : c.residents)
    m.resident.add({integer(r.id), text(r.public_id.text()), integer(r.household_id), integer(r.neighbourhood_id),
                    text(r.given_name), text(r.family_name), text(r.sex == demo::Sex::female ? "female" : "male"),
                    text(demo::iso_date(r.birth_date)), text(kLanguages[r.main_language].code), flag(r.speaks_english),
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

  m.write_organisations(c);
  m.write_services(c);

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
  // Every search index rebuilds from the new directory.
  record_change(m.db, "*", "*", m.generated_at);
  m.tx->commit();
  m.tx.reset();
}

}  // namespace bespoke::store
