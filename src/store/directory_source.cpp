#include "store/directory_source.h"

#include "core/time.h"

#include <algorithm>
#include <bit>
#include <charconv>
#include <chrono>
#include <cmath>
#include <limits>
#include <map>
#include <optional>
#include <stdexcept>
#include <set>
#include <unordered_map>
#include <utility>

namespace bespoke::store {
namespace {

using directory::ServiceEntry;
using directory::TermIndex;
using directory::Uuid;
using directory::UuidHash;

constexpr std::size_t kMaxInList = 512;

// ---- Reading rows: a whole table, or the rows whose key is one of some ids ----

// Runs `select` ("SELECT ... FROM table", optionally with " WHERE cond") on
// every row of the table when `keys` is null, in one streamed scan in storage
// order (no ORDER BY: walking a TEXT primary key index fetches the rows in
// random order, far slower on a large file); callers must not depend on the
// order. Otherwise on the rows whose `key_column` is one of `keys`, in padded
// IN lists of kMaxInList.
template <class F>
void scan(Connection& c, const std::string& select, std::string_view key_column, const std::vector<std::string>* keys,
          F&& each) {
  const std::string glue = select.find(" WHERE ") == std::string::npos ? " WHERE " : " AND ";
  if (keys == nullptr) {
    c.for_each_row(select, {}, [&](const Row& row) { each(row); });
    return;
  }
  std::vector<Value> params;
  for (std::size_t first = 0; first < keys->size(); first += kMaxInList) {
    const std::size_t n = std::min(kMaxInList, keys->size() - first);
    const std::size_t padded = std::bit_ceil(n);
    params.clear();
    for (std::size_t i = 0; i < padded; ++i) params.emplace_back((*keys)[first + std::min(i, n - 1)]);
    std::string sql = select + glue;
    sql += key_column;
    sql += " IN (";
    for (std::size_t i = 1; i <= padded; ++i) {
      if (i > 1) sql += ", ";
      sql += '$';
      sql += std::to_string(i);
    }
    sql += ')';
    for (const auto& row : c.query(sql, params)) each(row);
  }
}

const std::string* text_at(const Row& row, std::size_t i) { return std::get_if<std::string>(&row.value(i)); }

std::string_view view_at(const Row& row, std::size_t i) {
  const auto* s = text_at(row, i);
  return s ? std::string_view(*s) : std::string_view();
}

std::optional<Uuid> uuid_at(const Row& row, std::size_t i) {
  const auto* s = text_at(row, i);
  return s ? Uuid::parse(*s) : std::nullopt;
}

std::optional<double> number_at(const Row& row, std::size_t i) {
  const auto& v = row.value(i);
  if (const auto* d = std::get_if<double>(&v)) return *d;
  if (const auto* n = std::get_if<std::int64_t>(&v)) return static_cast<double>(*n);
  if (const auto* s = std::get_if<std::string>(&v)) {
    double d = 0;
    const auto [end, ec] = std::from_chars(s->data(), s->data() + s->size(), d);
    if (ec == std::errc{} && end == s->data() + s->size()) return d;
  }
  return std::nullopt;
}

// ---- Parsing HSDS values ----

// "HH:MM" or "HH:MM:SS" (anything after the minutes, such as seconds or a zone, is
// ignored) -> minutes after midnight, 0..1440.
std::optional<int> parse_time(std::string_view s) {
  if (s.size() < 5 || s[2] != ':') return std::nullopt;
  const auto digit = [&](std::size_t i) { return s[i] >= '0' && s[i] <= '9' ? s[i] - '0' : -1; };
  const int h1 = digit(0), h2 = digit(1), m1 = digit(3), m2 = digit(4);
  if (h1 < 0 || h2 < 0 || m1 < 0 || m2 < 0) return std::nullopt;
  const int h = h1 * 10 + h2;
  const int m = m1 * 10 + m2;
  if (m > 59 || h > 24 || (h == 24 && m != 0)) return std::nullopt;
  if (s.size() > 5 && s[5] != ':' && s[5] != 'Z' && s[5] != '+' && s[5] != '-' && s[5] != '.') return std::nullopt;
  return h * 60 + m;
}

// "YYYY-MM-DD" (a longer date-time is cut at the date) -> days since 1970-01-01.
std::optional<std::int32_t> parse_date(std::string_view s) {
  if (s.size() < 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  int y = 0, m = 0, d = 0;
  const auto num = [&](std::size_t at, std::size_t len, int& out) {
    const auto [end, ec] = std::from_chars(s.data() + at, s.data() + at + len, out);
    return ec == std::errc{} && end == s.data() + at + len;
  };
  if (!num(0, 4, y) || !num(5, 2, m) || !num(8, 2, d)) return std::nullopt;
  const std::chrono::year_month_day ymd{std::chrono::year{y}, std::chrono::month{static_cast<unsigned>(m)},
                                        std::chrono::day{static_cast<unsigned>(d)}};
  if (!ymd.ok()) return std::nullopt;
  return static_cast<std::int32_t>(std::chrono::sys_days{ymd}.time_since_epoch().count());
}

// "MO" ... "SU" -> 0 ... 6.
std::optional<std::uint8_t> parse_day(std::string_view s) {
  static constexpr std::string_view kDays[] = {"MO", "TU", "WE", "TH", "FR", "SA", "SU"};
  for (std::uint8_t i = 0; i < 7; ++i)
    if (s == kDays[i]) return i;
  return std::nullopt;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

void add_weekly(ServiceEntry& e, std::string_view byday, std::optional<std::int32_t> dtstart, int opens, int closes) {
  std::vector<std::uint8_t> days;
  if (trim(byday).empty()) {
    // RFC 5545: a weekly rule without BYDAY repeats on DTSTART's weekday.
    if (!dtstart) return;
    const std::chrono::weekday wd{std::chrono::sys_days{std::chrono::days{*dtstart}}};
    days.push_back(static_cast<std::uint8_t>((wd.c_encoding() + 6) % 7));
  }
  while (!byday.empty()) {
    const auto comma = byday.find(',');
    const auto token = trim(byday.substr(0, comma));
    byday = comma == std::string_view::npos ? std::string_view() : byday.substr(comma + 1);
    if (const auto d = parse_day(token)) days.push_back(*d);  // "1MO" (monthly forms) is not weekly
  }
  for (const auto day : days) {
    if (opens == closes) {
      if (opens == 0) e.weekly.push_back({day, 0, 1440});  // 00:00-00:00: all day
      continue;
    }
    if (closes == 0) closes = 1440;
    if (closes > opens) {
      e.weekly.push_back({day, static_cast<std::uint16_t>(opens), static_cast<std::uint16_t>(closes)});
    } else {  // past midnight: the rest of this day and the start of the next
      e.weekly.push_back({day, static_cast<std::uint16_t>(opens), 1440});
      e.weekly.push_back({static_cast<std::uint8_t>((day + 1) % 7), 0, static_cast<std::uint16_t>(closes)});
    }
  }
}

std::optional<std::array<char, 3>> language_code(std::string_view code) {
  code = trim(code);
  const auto dash = code.find_first_of("-_");
  if (dash != std::string_view::npos) code = code.substr(0, dash);
  if (code.size() < 2 || code.size() > 3) return std::nullopt;
  std::array<char, 3> out{};
  for (std::size_t i = 0; i < code.size(); ++i) {
    char ch = code[i];
    if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
    if (ch < 'a' || ch > 'z') return std::nullopt;
    out[i] = ch;
  }
  return out;
}

std::optional<directory::ProviderKind> provider_kind(std::string_view code) {
  using directory::ProviderKind;
  static constexpr std::pair<std::string_view, ProviderKind> kKinds[] = {
      {"council", ProviderKind::council},
      {"nhs", ProviderKind::nhs},
      {"charity", ProviderKind::charity},
      {"community_led", ProviderKind::community_led},
      {"social_enterprise", ProviderKind::social_enterprise},
      {"volunteer_group", ProviderKind::volunteer_group},
      {"private_company", ProviderKind::private_company},
  };
  for (const auto& [c, k] : kKinds)
    if (c == code) return k;
  return std::nullopt;
}

template <class T>
void sort_unique(std::vector<T>& v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
}

std::optional<std::int32_t> clamp_to_int32(double d) {
  if (!std::isfinite(d)) return std::nullopt;
  d = std::round(d);
  d = std::clamp(d, static_cast<double>(std::numeric_limits<std::int32_t>::min()),
                 static_cast<double>(std::numeric_limits<std::int32_t>::max()));
  return static_cast<std::int32_t>(d);
}

// ---- Building the entries ----

struct OrgInfo {
  std::string name;
  directory::ProviderKind kind = directory::ProviderKind::unknown;
  bool community_led = false;
  bool locally_owned = false;
  bool kind_set = false;
  std::string kind_attribute{};  // the id of the attribute `kind` is from
};

struct LocationInfo {
  std::optional<double> latitude;
  std::optional<double> longitude;
  std::vector<TermIndex> accessibility;
};

struct SalInfo {
  Uuid id;
  std::size_t service = 0;  // entry index
  Uuid location;
};

struct CostSeen {
  bool free = false;
  bool paid = false;
};

struct CapacitySum {
  double available = 0;
  double maximum = 0;
  bool any = false;
  bool any_maximum = false;
};

class EntryBuilder {
 public:
  EntryBuilder(Connection& c, const directory::Taxonomy& taxonomy, const std::vector<std::string>* service_ids)
      : c_(c), taxonomy_(taxonomy), only_(service_ids) {}

  std::vector<ServiceEntry> build() {
    read_services();
    if (entries_.empty()) return {};
    read_service_at_locations();
    read_locations();
    read_organizations();
    read_attributes();
    read_languages();
    read_costs();
    read_schedules();
    read_capacities();
    finish();
    return std::move(entries_);
  }

 private:
  // The keys of a by-id read, or null for a whole-table scan.
  const std::vector<std::string>* keys(const std::vector<std::string>& ids) const {
    return only_ == nullptr ? nullptr : &ids;
  }

  void read_services() {
    std::vector<std::pair<Uuid, std::optional<Uuid>>> org_of;
    scan(c_, "SELECT id, organization_id, status, name, description, minimum_age, maximum_age, last_modified FROM service", "id",
         only_, [&](const Row& row) {
           const auto id = uuid_at(row, 0);
           if (!id) return;
           ServiceEntry e;
           e.id = *id;
           e.active = view_at(row, 2) == "active";
           e.name = view_at(row, 3);
           e.description = view_at(row, 4);
           if (const auto a = number_at(row, 5); a && std::isfinite(*a))
             e.minimum_age = static_cast<std::uint8_t>(std::ceil(std::clamp(*a, 0.0, 130.0)));
           if (const auto a = number_at(row, 6); a && std::isfinite(*a))
             e.maximum_age = static_cast<std::uint8_t>(std::floor(std::clamp(*a, 0.0, 130.0)));
           if (const auto modified = core::parse_rfc3339(view_at(row, 7)))
             e.last_modified = modified->time_since_epoch().count();
           const auto org = uuid_at(row, 1);
           if (org) e.organization_id = *org;
           org_of.emplace_back(*id, org);
           entries_.push_back(std::move(e));
         });
    std::sort(entries_.begin(), entries_.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
    entries_.erase(std::unique(entries_.begin(), entries_.end(), [](const auto& a, const auto& b) { return a.id == b.id; }),
                   entries_.end());
    service_index_.reserve(entries_.size());
    for (std::size_t i = 0; i < entries_.size(); ++i) service_index_.emplace(entries_[i].id, i);
    has_org_.assign(entries_.size(), false);
    for (const auto& [id, org] : org_of) {
      if (!org) continue;
      has_org_[service_index_.at(id)] = true;
      if (only_ != nullptr) org_ids_.push_back(org->text());
    }
    if (only_ != nullptr) {
      for (const auto& e : entries_) service_ids_.push_back(e.id.text());
      sort_unique(org_ids_);
    }
  }

  void read_service_at_locations() {
    scan(c_, "SELECT id, service_id, location_id FROM service_at_location", "service_id", keys(service_ids_),
         [&](const Row& row) {
           const auto id = uuid_at(row, 0);
           const auto service = uuid_at(row, 1);
           const auto location = uuid_at(row, 2);
           if (!id || !service || !location) return;
           const auto it = service_index_.find(*service);
           if (it == service_index_.end()) return;
           sal_index_.emplace(*id, sals_.size());
           sals_.push_back({*id, it->second, *location});
           if (only_ != nullptr) {
             sal_ids_.push_back(id->text());
             location_ids_.push_back(location->text());
           }
         });
    sort_unique(location_ids_);
  }

  void read_locations() {
    scan(c_, "SELECT id, latitude, longitude FROM location", "id", keys(location_ids_), [&](const Row& row) {
      const auto id = uuid_at(row, 0);
      if (!id) return;
      LocationInfo info;
      info.latitude = number_at(row, 1);
      info.longitude = number_at(row, 2);
      locations_.insert_or_assign(*id, std::move(info));
    });
  }

  void read_organizations() {
    scan(c_, "SELECT id, name FROM organization", "id", keys(org_ids_), [&](const Row& row) {
      const auto id = uuid_at(row, 0);
      if (!id) return;
      orgs_.insert_or_assign(*id, OrgInfo{std::string(view_at(row, 1))});
    });
  }

  void read_attributes() {
    std::vector<std::string> owners;
    if (only_ != nullptr) {
      owners = service_ids_;
      owners.insert(owners.end(), org_ids_.begin(), org_ids_.end());
      owners.insert(owners.end(), location_ids_.begin(), location_ids_.end());
      sort_unique(owners);
    }
    const auto& terms = taxonomy_.terms();
    scan(c_,
         "SELECT id, link_id, link_entity, link_type, taxonomy_term_id FROM attribute WHERE taxonomy_term_id IS NOT NULL",
         "link_id", keys(owners), [&](const Row& row) {
           const auto link = uuid_at(row, 1);
           const auto term_id = uuid_at(row, 4);
           if (!link || !term_id) return;
           const auto term = taxonomy_.find(*term_id);
           if (!term) return;
           const auto entity = view_at(row, 2);
           const auto type = view_at(row, 3);
           const bool any = entity.empty();
           if (any || entity == "service") {
             if (const auto it = service_index_.find(*link); it != service_index_.end()) {
               auto& e = entries_[it->second];
               (type == "eligibility" ? e.eligible_circumstances : e.terms).push_back(*term);
               return;
             }
           }
           if (any || entity == "organization") {
             if (const auto it = orgs_.find(*link); it != orgs_.end()) {
               const auto& code = terms[*term].code;
               if (type == "provider_kind") {
                 // Several: the attribute with the greatest id wins, whatever the read order.
                 const auto attribute_id = view_at(row, 0);
                 if (const auto k = provider_kind(code);
                     k && (!it->second.kind_set || attribute_id >= it->second.kind_attribute)) {
                   it->second.kind = *k;
                   it->second.kind_set = true;
                   it->second.kind_attribute = attribute_id;
                 }
               } else if (type == "organisation_feature") {
                 if (code == "community_led") it->second.community_led = true;
                 if (code == "locally_owned") it->second.locally_owned = true;
               }
               return;
             }
           }
           if ((any || entity == "location") && type == "accessibility") {
             if (const auto it = locations_.find(*link); it != locations_.end()) it->second.accessibility.push_back(*term);
           }
         });
  }

  // The entry a row belongs to through service_id (column i), else through
  // service_at_location_id (column j, when given).
  ServiceEntry* owner(const Row& row, std::size_t i, std::optional<std::size_t> j = std::nullopt) {
    if (const auto s = uuid_at(row, i)) {
      const auto it = service_index_.find(*s);
      return it == service_index_.end() ? nullptr : &entries_[it->second];
    }
    if (j) {
      if (const auto sal = uuid_at(row, *j)) {
        const auto it = sal_index_.find(*sal);
        if (it != sal_index_.end()) return &entries_[sals_[it->second].service];
      }
    }
    return nullptr;
  }

  void read_languages() {
    scan(c_, "SELECT id, service_id, code FROM language WHERE service_id IS NOT NULL", "service_id",
         keys(service_ids_), [&](const Row& row) {
           auto* e = owner(row, 1);
           if (!e) return;
           if (const auto code = language_code(view_at(row, 2))) e->languages.push_back(*code);
         });
  }

  void read_costs() {
    costs_.assign(entries_.size(), CostSeen{});
    scan(c_, "SELECT id, service_id, amount FROM cost_option WHERE amount IS NOT NULL", "service_id",
         keys(service_ids_), [&](const Row& row) {
           auto* e = owner(row, 1);
           const auto amount = number_at(row, 2);
           if (!e || !amount) return;
           auto& seen = costs_[static_cast<std::size_t>(e - entries_.data())];
           if (*amount == 0) seen.free = true;
           if (*amount > 0) seen.paid = true;
         });
  }

  void read_schedules() {
    const std::string select =
        "SELECT id, service_id, service_at_location_id, freq, byday, opens_at, closes_at, valid_from, valid_to,"
        " dtstart FROM schedule";
    const auto each = [&](const Row& row) {
      auto* e = owner(row, 1, 2);
      if (!e) return;
      const auto freq = view_at(row, 3);
      const auto opens = parse_time(view_at(row, 5));
      const auto closes = parse_time(view_at(row, 6));
      if (freq == "WEEKLY") {
        if (opens && closes) add_weekly(*e, view_at(row, 4), parse_date(view_at(row, 9)), *opens, *closes);
        return;
      }
      if (!freq.empty()) return;  // MONTHLY: not a weekly pattern nor a dated exception
      const auto from = parse_date(view_at(row, 7));
      if (!from) return;
      const auto to = parse_date(view_at(row, 8)).value_or(*from);
      directory::DatedOpening d;
      d.first_day = *from;
      d.last_day = std::max(*from, to);
      if (opens) {
        d.closed = false;
        d.opens = static_cast<std::uint16_t>(*opens);
        int c = closes.value_or(1440);
        if (c <= *opens) c = 1440;
        d.closes = static_cast<std::uint16_t>(c);
      }
      e->dated.push_back(d);
    };
    if (only_ == nullptr) {
      scan(c_, select, "", nullptr, each);
    } else {
      scan(c_, select, "service_id", &service_ids_, each);
      // A service_at_location's own schedules, when they carry no service_id.
      scan(c_, select + " WHERE service_id IS NULL", "service_at_location_id", &sal_ids_, each);
    }
  }

  void read_capacities() {
    // Summed in order of id, so the (floating-point) sums do not depend on the read order.
    struct CapacityRow {
      std::string id;
      std::size_t entry = 0;
      std::optional<double> available, maximum;
    };
    std::vector<CapacityRow> rows;
    scan(c_, "SELECT id, service_id, available, maximum FROM service_capacity", "service_id", keys(service_ids_),
         [&](const Row& row) {
           auto* e = owner(row, 1);
           if (!e) return;
           rows.push_back({std::string(view_at(row, 0)), static_cast<std::size_t>(e - entries_.data()),
                           number_at(row, 2), number_at(row, 3)});
         });
    std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
    std::vector<CapacitySum> sums(entries_.size());
    for (const auto& r : rows) {
      auto& s = sums[r.entry];
      if (r.available) {
        s.available += *r.available;
        s.any = true;
      }
      if (r.maximum) {
        s.maximum += *r.maximum;
        s.any_maximum = true;
      }
    }
    for (std::size_t i = 0; i < entries_.size(); ++i) {
      if (sums[i].any) entries_[i].capacity_available = clamp_to_int32(sums[i].available);
      if (sums[i].any_maximum) entries_[i].capacity_maximum = clamp_to_int32(sums[i].maximum);
    }
  }

  void finish() {
    for (const auto& sal : sals_) {
      auto& e = entries_[sal.service];
      const auto it = locations_.find(sal.location);
      if (it == locations_.end()) continue;
      const auto& loc = it->second;
      e.terms.insert(e.terms.end(), loc.accessibility.begin(), loc.accessibility.end());
      if (loc.latitude && loc.longitude) e.sites.push_back({sal.id, sal.location, *loc.latitude, *loc.longitude});
    }
    for (std::size_t i = 0; i < entries_.size(); ++i) {
      auto& e = entries_[i];
      if (has_org_[i]) {
        if (const auto it = orgs_.find(e.organization_id); it != orgs_.end()) {
          e.organization_name = it->second.name;
          e.provider_kind = it->second.kind;
          e.community_led = it->second.community_led;
          e.locally_owned = it->second.locally_owned;
        }
      }
      const auto& cost = costs_[i];
      e.cost = cost.free ? directory::Cost::free : cost.paid ? directory::Cost::paid : directory::Cost::unknown;
      sort_unique(e.terms);
      sort_unique(e.eligible_circumstances);
      sort_unique(e.languages);
      std::sort(e.weekly.begin(), e.weekly.end(), [](const auto& a, const auto& b) {
        return std::tie(a.day, a.opens, a.closes) < std::tie(b.day, b.opens, b.closes);
      });
      e.weekly.erase(std::unique(e.weekly.begin(), e.weekly.end()), e.weekly.end());
      std::sort(e.dated.begin(), e.dated.end(), [](const auto& a, const auto& b) {
        return std::tie(a.first_day, a.last_day, a.closed, a.opens, a.closes) <
               std::tie(b.first_day, b.last_day, b.closed, b.opens, b.closes);
      });
      e.dated.erase(std::unique(e.dated.begin(), e.dated.end()), e.dated.end());
      std::sort(e.sites.begin(), e.sites.end(),
                [](const auto& a, const auto& b) { return a.service_at_location_id < b.service_at_location_id; });
    }
  }

  Connection& c_;
  const directory::Taxonomy& taxonomy_;
  const std::vector<std::string>* only_;  // null: every service

  std::vector<ServiceEntry> entries_;
  std::unordered_map<Uuid, std::size_t, UuidHash> service_index_;
  std::vector<bool> has_org_;
  std::vector<SalInfo> sals_;
  std::unordered_map<Uuid, std::size_t, UuidHash> sal_index_;
  std::unordered_map<Uuid, LocationInfo, UuidHash> locations_;
  std::unordered_map<Uuid, OrgInfo, UuidHash> orgs_;
  std::vector<CostSeen> costs_;
  // Keys of the by-id reads (empty for whole-table scans).
  std::vector<std::string> service_ids_, org_ids_, sal_ids_, location_ids_;
};

}  // namespace

directory::Taxonomy load_taxonomy(Connection& c) {
  directory::Taxonomy tax;
  struct TaxRow {
    Uuid id;
    std::string name;
  };
  std::vector<TaxRow> taxonomies;
  c.for_each_row("SELECT id, name FROM taxonomy", {}, [&](const Row& row) {
    if (const auto id = uuid_at(row, 0)) taxonomies.push_back({*id, row.text(1)});
  });
  std::sort(taxonomies.begin(), taxonomies.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  std::unordered_map<std::string, std::uint32_t> by_name;
  for (auto& t : taxonomies) {
    const auto index = tax.add_taxonomy({t.id, t.name});
    by_name.emplace(t.name, index);
  }

  struct TermRow {
    Uuid id;
    std::optional<Uuid> taxonomy_id;
    std::string taxonomy_name;
    std::string code;
    std::string name;
    std::optional<Uuid> parent;
  };
  std::vector<TermRow> rows;
  c.for_each_row("SELECT id, taxonomy_id, taxonomy, code, name, parent_id FROM taxonomy_term", {}, [&](const Row& row) {
    const auto id = uuid_at(row, 0);
    if (!id) return;
    rows.push_back({*id, uuid_at(row, 1), row.text(2), row.text(3), row.text(4), uuid_at(row, 5)});
  });
  std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return a.id < b.id; });
  std::unordered_map<Uuid, std::size_t, UuidHash> row_of;
  for (std::size_t i = 0; i < rows.size(); ++i) row_of.emplace(rows[i].id, i);

  std::optional<std::uint32_t> placeholder;
  const auto taxonomy_of = [&](const TermRow& t) -> std::uint32_t {
    if (t.taxonomy_id) {
      if (const auto i = tax.find_taxonomy(*t.taxonomy_id)) return *i;
    }
    if (const auto it = by_name.find(t.taxonomy_name); !t.taxonomy_name.empty() && it != by_name.end()) return it->second;
    if (!placeholder) placeholder = tax.add_taxonomy({Uuid{}, ""});
    return *placeholder;
  };

  // Parents first: walk up from each term to a term already added (or a root),
  // then add the path top-down. A walk that meets its own path found a cycle:
  // the last term on it becomes top-level.
  enum : std::uint8_t { kNew, kOnPath, kAdded };
  std::vector<std::uint8_t> state(rows.size(), kNew);
  std::vector<std::optional<TermIndex>> index(rows.size());
  std::vector<std::size_t> path;
  for (std::size_t start = 0; start < rows.size(); ++start) {
    path.clear();
    std::optional<std::size_t> at = start;
    while (at && state[*at] == kNew) {
      state[*at] = kOnPath;
      path.push_back(*at);
      const auto& p = rows[*at].parent;
      const auto it = p ? row_of.find(*p) : row_of.end();
      at = it == row_of.end() ? std::nullopt : std::optional<std::size_t>(it->second);
    }
    const bool cycle = at && state[*at] == kOnPath;
    for (auto it = path.rbegin(); it != path.rend(); ++it) {
      const std::size_t r = *it;
      std::optional<TermIndex> parent;
      const bool cut = cycle && it == path.rbegin();
      if (!cut && rows[r].parent) {
        if (const auto p = row_of.find(*rows[r].parent); p != row_of.end() && state[p->second] == kAdded)
          parent = index[p->second];
      }
      auto& t = rows[r];
      index[r] = tax.add_term({t.id, taxonomy_of(t), std::move(t.code), std::move(t.name), parent});
      state[r] = kAdded;
    }
  }
  return tax;
}

std::vector<directory::ServiceEntry> load_service_entries(Connection& c, const directory::Taxonomy& taxonomy) {
  return EntryBuilder(c, taxonomy, nullptr).build();
}

std::vector<directory::ServiceEntry> load_service_entries(Connection& c, const directory::Taxonomy& taxonomy,
                                                          std::span<const std::string> service_ids) {
  std::vector<std::string> ids(service_ids.begin(), service_ids.end());
  sort_unique(ids);
  if (ids.empty()) return {};
  return EntryBuilder(c, taxonomy, &ids).build();
}

AffectedServices services_affected(Connection& c, std::span<const Change> changes) {
  AffectedServices out;
  std::map<std::string, std::vector<std::string>, std::less<>> by_entity;
  for (const auto& ch : changes) {
    if (ch.entity == "*" || ch.entity == "taxonomy" || ch.entity == "taxonomy_term") {
      out.full_rebuild = true;
      return out;
    }
    by_entity[ch.entity].push_back(ch.record_id);
  }
  for (auto& [entity, ids] : by_entity) sort_unique(ids);

  std::vector<std::string> orgs, locations;
  const auto ids_of = [&](std::string_view entity) -> const std::vector<std::string>& {
    static const std::vector<std::string> none;
    const auto it = by_entity.find(entity);
    return it == by_entity.end() ? none : it->second;
  };
  const auto collect = [&](const std::string& select, std::string_view key, const std::vector<std::string>& keys,
                           std::vector<std::string>& into) {
    if (keys.empty()) return;
    scan(c, select, key, &keys, [&](const Row& row) {
      if (const auto* s = text_at(row, 0)) into.push_back(*s);
    });
  };
  std::vector<std::string> direct(ids_of("service"));
  orgs = ids_of("organization");
  locations = ids_of("location");
  std::vector<std::string> sals(ids_of("service_at_location"));

  for (const char* table : {"service_at_location", "language", "cost_option", "service_capacity"})
    collect(std::string("SELECT service_id FROM ") + table + " WHERE service_id IS NOT NULL", "id", ids_of(table),
            direct);
  if (const auto& schedules = ids_of("schedule"); !schedules.empty()) {
    collect("SELECT service_id FROM schedule WHERE service_id IS NOT NULL", "id", schedules, direct);
    collect("SELECT service_at_location_id FROM schedule WHERE service_id IS NULL", "id", schedules, sals);
  }
  if (const auto& attributes = ids_of("attribute"); !attributes.empty()) {
    scan(c, "SELECT link_id, link_entity FROM attribute", "id", &attributes, [&](const Row& row) {
      const auto* link = text_at(row, 0);
      if (!link) return;
      const auto entity = view_at(row, 1);
      if (entity.empty() || entity == "service") direct.push_back(*link);
      if (entity.empty() || entity == "organization") orgs.push_back(*link);
      if (entity.empty() || entity == "location") locations.push_back(*link);
    });
  }
  sort_unique(sals);
  sort_unique(orgs);
  sort_unique(locations);
  collect("SELECT service_id FROM service_at_location WHERE service_id IS NOT NULL", "id", sals, direct);
  collect("SELECT id FROM service WHERE organization_id IS NOT NULL", "organization_id", orgs, direct);
  collect("SELECT service_id FROM service_at_location WHERE service_id IS NOT NULL", "location_id", locations, direct);

  // An attribute without link_entity may name anything: keep only real services.
  // Ids named by a "service" change are kept even when deleted.
  std::set<std::string> named(ids_of("service").begin(), ids_of("service").end());
  sort_unique(direct);
  std::vector<std::string> unknown;
  for (auto& id : direct)
    if (!named.contains(id)) unknown.push_back(id);
  collect("SELECT id FROM service", "id", unknown, out.service_ids);
  for (auto& id : named) out.service_ids.push_back(id);
  sort_unique(out.service_ids);
  return out;
}

}  // namespace bespoke::store
