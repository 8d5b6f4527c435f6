#include "web/pages/directory_service.h"

#include "core/text.h"
#include "core/time.h"
#include "demo/vocabulary.h"
#include "web/pages/directory_format.h"
#include "web/pages/directory_records.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <optional>
#include <utility>

namespace bespoke::web {
namespace {

using kainjow::mustache::data;
using hsds::Record;
using hsds::RecordSet;

data text_or_false(std::string text) { return text.empty() ? data(false) : data(std::move(text)); }

data list_of(std::vector<std::string> texts) {
  data list{data::type::list};
  for (auto& t : texts) list.push_back(data("text", std::move(t)));
  return list;
}

// ---- Who it is for ----

std::string ages_text(const Record& service) {
  const auto low = service.number("minimum_age");
  const auto high = service.number("maximum_age");
  const auto n = [](double v) { return fmt::format("{}", static_cast<long long>(std::llround(v))); };
  if (low && high) return fmt::format("Ages {} to {}", n(*low), n(*high));
  if (low) return fmt::format("Ages {} and over", n(*low));
  if (high) return fmt::format("Ages up to {}", n(*high));
  return "Any age";
}

data eligibility(const RecordSet& set, const Record& service) {
  data out;
  out.set("ages", ages_text(service));
  const auto circumstances = attached_terms(set, service, demo::kEligibilityLink);
  out.set("has_circumstances", !circumstances.empty());
  out.set("circumstances", term_names(circumstances));
  out.set("description", text_or_false(field_text(service, "eligibility_description")));
  return out;
}

// ---- How to get it ----

std::string phone_text(const Record& phone) {
  std::string text = field_text(phone, "number");
  if (const auto ext = field_text(phone, "extension"); !ext.empty()) text += " (extension " + ext + ")";
  return text;
}

data phones(const std::vector<const Record*>& records, bool skip_contacts) {
  data list{data::type::list};
  for (const auto* p : records) {
    if (skip_contacts && !field_text(*p, "contact_id").empty()) continue;  // listed under its contact
    data item;
    item.set("number", phone_text(*p));
    item.set("tel", field_text(*p, "number"));
    item.set("description", text_or_false(field_text(*p, "description")));
    list.push_back(item);
  }
  return list;
}

data contacts(const RecordSet& set, const Record& service) {
  data list{data::type::list};
  for (const auto* c : children_of(set, service, "contact", "service_id")) {
    data item;
    item.set("name", text_or_false(field_text(*c, "name")));
    std::string role = field_text(*c, "title");
    if (const auto dept = field_text(*c, "department"); !dept.empty()) role += role.empty() ? dept : ", " + dept;
    item.set("role", text_or_false(role));
    item.set("email", text_or_false(field_text(*c, "email")));
    item.set("phones", phones(children_of(set, *c, "phone", "contact_id"), false));
    list.push_back(item);
  }
  return list;
}

data how_to_get_it(const RecordSet& set, const Record& service) {
  data out;
  out.set("application_process", text_or_false(field_text(service, "application_process")));
  out.set("url", text_or_false(web_address(field_text(service, "url"))));
  out.set("email", text_or_false(field_text(service, "email")));
  out.set("phones", phones(children_of(set, service, "phone", "service_id"), true));
  out.set("contacts", contacts(set, service));
  return out;
}

// ---- Where ----

std::vector<std::string> address_lines(const RecordSet& set, const Record& location) {
  std::vector<std::string> lines;
  const auto addresses = children_of(set, location, "address", "location_id");
  if (addresses.empty()) return lines;
  for (const auto* field : {"address_1", "address_2", "city", "region", "postal_code"}) {
    if (auto text = field_text(*addresses.front(), field); !text.empty()) lines.push_back(std::move(text));
  }
  return lines;
}

std::vector<std::string> accessibility_of(const RecordSet& set, const Record& location) {
  std::vector<std::string> out;
  for (const auto* a : children_of(set, location, "accessibility", "location_id")) {
    auto text = field_text(*a, "description");
    if (text.empty()) text = field_text(*a, "accessibility");
    if (!text.empty()) out.push_back(std::move(text));
  }
  if (out.empty()) {  // only the attributes say so
    for (const auto* t : attached_terms(set, location, demo::kAccessibilityLink)) out.push_back(field_text(*t, "name"));
  }
  return out;
}

data sites(const RecordSet& set, const Record& service) {
  static const auto& location_entity = hsds::entity("location");
  data list{data::type::list};
  for (const auto* sal : children_of(set, service, "service_at_location", "service_id")) {
    const auto* location = set.find(location_entity, field_text(*sal, "location_id"));
    if (!location) continue;
    data site;
    site.set("name", text_or_false(field_text(*location, "name")));
    site.set("address", list_of(address_lines(set, *location)));
    auto features = accessibility_of(set, *location);
    site.set("has_accessibility", !features.empty());
    site.set("accessibility", list_of(std::move(features)));
    list.push_back(site);
  }
  return list;
}

// ---- Opening times ----

std::optional<std::size_t> weekday_index(std::string_view code) {
  for (std::size_t i = 0; i < demo::kDays.size(); ++i)
    if (demo::kDays[i] == code) return i;
  return std::nullopt;
}

std::string hours_text(const Record& schedule) {
  const auto opens = field_text(schedule, "opens_at"), closes = field_text(schedule, "closes_at");
  if (opens.empty() && closes.empty()) return "Open";
  return clock_text(std::string_view(opens)) + " to " + clock_text(std::string_view(closes));
}

data weekly_table(const std::vector<const Record*>& schedules) {
  std::array<std::vector<std::pair<std::string, std::string>>, 7> by_day;  // (opens_at, text)
  for (const auto* s : schedules) {
    if (field_text(*s, "freq") != "WEEKLY") continue;
    std::string_view days = s->text("byday").value_or("");
    while (!days.empty()) {
      const auto comma = days.find(',');
      const auto code = core::trim(days.substr(0, comma));
      days = comma == std::string_view::npos ? std::string_view() : days.substr(comma + 1);
      if (const auto day = weekday_index(code)) by_day[*day].emplace_back(field_text(*s, "opens_at"), hours_text(*s));
    }
  }
  data rows{data::type::list};
  for (std::size_t d = 0; d < by_day.size(); ++d) {
    auto& slots = by_day[d];
    std::sort(slots.begin(), slots.end());
    std::string hours;
    for (const auto& slot : slots) hours += (hours.empty() ? "" : ", ") + slot.second;
    data row;
    row.set("day", std::string(day_name(d)));
    row.set("hours", hours.empty() ? std::string("Closed") : hours);
    rows.push_back(row);
  }
  return rows;
}

struct Exception {
  std::int32_t first = 0;
  std::string text;
};

// "Closed for Christmas Day" -> "Christmas Day": the sentence already says closed.
std::string reason(std::string description) {
  for (const std::string_view lead : {"Closed for ", "Closed over ", "Closed on ", "Closed "}) {
    if (description.starts_with(lead)) return description.substr(lead.size());
  }
  return description;
}

// Exceptions more than this far ahead are not listed.
constexpr std::int32_t kExceptionHorizonDays = 366;

std::optional<Exception> exception_of(const Record& s, std::int32_t today) {
  if (!field_text(s, "freq").empty()) return std::nullopt;
  const auto first = core::parse_iso_date(field_text(s, "valid_from").substr(0, 10));
  if (!first) return std::nullopt;
  const auto last = core::parse_iso_date(field_text(s, "valid_to").substr(0, 10)).value_or(*first);
  if (last < today || *first > today + kExceptionHorizonDays) return std::nullopt;
  const std::string when = last == *first ? "on " + long_date(*first)
                                          : "from " + long_date(*first) + " to " + long_date(last);
  const bool closed = field_text(s, "opens_at").empty();
  std::string text = closed ? "Closed " + when : "Open " + hours_text(s) + " " + when;
  if (const auto why = reason(field_text(s, "description")); !why.empty()) text += " (" + why + ")";
  return Exception{*first, std::move(text)};
}

data opening_times(const RecordSet& set, const Record& service, std::int32_t today) {
  const auto schedules = children_of(set, service, "schedule", "service_id");
  std::vector<Exception> exceptions;
  bool weekly = false;
  for (const auto* s : schedules) {
    weekly = weekly || field_text(*s, "freq") == "WEEKLY";
    if (auto e = exception_of(*s, today)) exceptions.push_back(std::move(*e));
  }
  std::sort(exceptions.begin(), exceptions.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<std::string> texts;
  for (auto& e : exceptions) texts.push_back(std::move(e.text));
  data out;
  out.set("has_weekly", weekly);
  out.set("days", weekly_table(schedules));
  out.set("has_exceptions", !texts.empty());
  out.set("exceptions", list_of(std::move(texts)));
  return out;
}

// ---- Languages, cost, places ----

data languages(const RecordSet& set, const Record& service) {
  std::vector<std::string> names;
  for (const auto* l : children_of(set, service, "language", "service_id")) {
    auto name = field_text(*l, "name");
    if (name.empty()) name = language_name(field_text(*l, "code"));
    if (!name.empty() && std::find(names.begin(), names.end(), name) == names.end()) names.push_back(std::move(name));
  }
  std::sort(names.begin(), names.end());
  return list_of(std::move(names));
}

std::vector<std::string> costs(const RecordSet& set, const Record& service) {
  std::vector<std::string> out;
  for (const auto* c : children_of(set, service, "cost_option", "service_id")) {
    const auto amount = c->number("amount");
    const std::string base = !amount ? "Ask about the cost" : *amount <= 0 ? "Free" : pounds_text(*amount);
    std::string text = base;
    for (const auto* field : {"option", "amount_description"}) {
      const auto more = field_text(*c, field);
      if (!more.empty() && !core::iequals_ascii(more, base) && text.find(more) == std::string::npos) text += " – " + more;
    }
    out.push_back(std::move(text));
  }
  if (const auto fees = field_text(service, "fees_description"); !fees.empty()) out.push_back(fees);
  return out;
}

std::vector<std::string> capacities(const RecordSet& set, const Record& service) {
  static const auto& unit_entity = hsds::entity("unit");
  std::vector<std::string> out;
  for (const auto* c : children_of(set, service, "service_capacity", "service_id")) {
    const auto* unit = set.find(unit_entity, field_text(*c, "unit_id"));
    std::string unit_name = unit ? field_text(*unit, "name") : "";
    if (unit_name.empty()) unit_name = "places";
    const auto available = field_text(*c, "available");
    const auto maximum = field_text(*c, "maximum");
    std::string text = maximum.empty() ? fmt::format("{} {} available", available, unit_name)
                                       : fmt::format("{} of {} {} available", available, maximum, unit_name);
    if (const auto updated = long_date(field_text(*c, "updated")); !updated.empty()) text += " (updated " + updated + ")";
    out.push_back(std::move(text));
  }
  return out;
}

std::string_view status_warning(std::string_view status) {
  if (status == "inactive") return "This service is not running at the moment.";
  if (status == "defunct") return "This service has closed.";
  if (status == "temporarily closed") return "This service is temporarily closed.";
  return {};
}

}  // namespace

data service_view(const RecordSet& set, const Record& service, std::int32_t today) {
  static const auto& organization_entity = hsds::entity("organization");
  data view;
  view.set("id", service.id());
  view.set("name", field_text(service, "name"));
  view.set("description", text_or_false(field_text(service, "description")));
  view.set("alert", text_or_false(field_text(service, "alert")));
  view.set("status_warning", text_or_false(std::string(status_warning(field_text(service, "status")))));
  const auto* organization = set.find(organization_entity, field_text(service, "organization_id"));
  view.set("organisation", organization ? organisation_facts(set, *organization) : data(false));
  view.set("eligibility", eligibility(set, service));
  view.set("how", how_to_get_it(set, service));
  view.set("sites", sites(set, service));
  view.set("opening", opening_times(set, service, today));
  view.set("languages", languages(set, service));
  auto cost = costs(set, service);
  view.set("has_costs", !cost.empty());
  view.set("costs", list_of(std::move(cost)));
  auto places = capacities(set, service);
  view.set("has_capacity", !places.empty());
  view.set("capacity", list_of(std::move(places)));
  const auto needs = attached_terms(set, service, demo::kNeedLink);
  view.set("has_needs", !needs.empty());
  view.set("needs", term_names(needs));
  const auto types = attached_terms(set, service, demo::kServiceTypeLink);
  view.set("has_types", !types.empty());
  view.set("types", term_names(types));
  view.set("last_checked", text_or_false(long_date(field_text(service, "assured_date"))));
  return view;
}

}  // namespace bespoke::web
