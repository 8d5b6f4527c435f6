#include "web/pages/directory_search.h"

#include "core/text.h"
#include "demo/vocabulary.h"
#include "web/pages/home.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <set>

namespace bespoke::web {
namespace {

using kainjow::mustache::data;

constexpr std::array<std::string_view, 7> kKindCodes{"council",           "nhs",           "charity",
                                                     "community_led",     "social_enterprise",
                                                     "volunteer_group",   "private_company"};

// The inputs the form shows; an error about any other parameter is shown
// above the form's button with that parameter's name as its id.
constexpr std::array<std::string_view, 14> kFormFields{"q",           "need",          "postcode",  "neighbourhood",
                                                       "radius_km",   "kind",          "community_led",
                                                       "locally_owned", "cost",        "open_now",  "has_capacity",
                                                       "language",    "accessibility", "age"};
// The filters inside the "Filters" details: it opens when one is used or wrong.
constexpr std::array<std::string_view, 10> kFilterFields{"kind",     "community_led", "locally_owned", "cost",
                                                         "open_now", "has_capacity",  "language",      "accessibility",
                                                         "age",      "circumstance"};

std::optional<std::string> value_of(const QueryPairs& pairs, std::string_view name) {
  for (const auto& [n, v] : pairs)
    if (n == name) return v;
  return std::nullopt;
}

std::vector<std::string> values_of(const QueryPairs& pairs, std::string_view name) {
  std::vector<std::string> out;
  for (const auto& [n, v] : pairs)
    if (n == name) out.push_back(v);
  return out;
}

bool contains(const std::vector<std::string>& values, std::string_view value) {
  return std::find(values.begin(), values.end(), value) != values.end();
}

// A radius the form can drop when there is no place: a number the parser
// would accept (a wrong one is kept, so that the person is told).
bool acceptable_radius(const std::string& text) {
  double km = 0;
  const auto* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, km);
  return ec == std::errc{} && ptr == end && std::isfinite(km) && km > 0 && km <= kMaxRadiusKm;
}

// ---- Errors ----

std::string_view field_label(std::string_view field) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 14> labels{{
      {"q", "What you need help with"},
      {"query", "The web address"},
      {"community_led", "Community-led"},
      {"locally_owned", "Locally owned"},
      {"open_now", "Open now"},
      {"has_capacity", "Has places"},
      {"cost", "Cost"},
      {"page", "Page number"},
      {"per_page", "Results per page"},
      {"sort", "Sort order"},
      {"open_at", "Open at"},
      {"circumstance", "Circumstance"},
      {"lat", "Latitude"},
      {"lon", "Longitude"},
  }};
  for (const auto& [name, label] : labels)
    if (name == field) return label;
  return field;
}

// The parser's message in the page's words: GOV.UK style for the form's own
// inputs, the parser's text with a readable name for the rest.
std::string page_message(const core::Error& e) {
  const auto& f = e.field;
  if (f == "postcode")
    return e.message.find("we know") != std::string::npos
               ? "We could not find that postcode. Check it, or choose a neighbourhood"
               : "Enter a real postcode, like ZA1 2BD";
  if (f == "neighbourhood") return e.message;
  if (f == "radius_km") return "Choose a distance from the list";
  if (f == "kind") return "Select types of organisation from the list";
  if (f == "need") return "Select a need from the list";
  if (f == "language") return "Select a language from the list";
  if (f == "accessibility") return "Select accessibility features from the list";
  if (f == "age") return "Enter an age as a whole number from 0 to 130";
  if (f == "q" && e.message.find("at most") != std::string::npos)
    return fmt::format("What you need help with must be {} characters or fewer", kMaxSearchTextBytes);
  std::string message = e.message;
  if (message.starts_with(f + " ")) message = std::string(field_label(f)) + message.substr(f.size());
  return message;
}

// The first error of each field, in the order found.
std::vector<const core::Error*> first_per_field(const std::vector<core::Error>& errors) {
  std::vector<const core::Error*> out;
  std::set<std::string> seen;
  for (const auto& e : errors)
    if (seen.insert(e.field).second) out.push_back(&e);
  return out;
}

data field_error(const std::vector<core::Error>& errors, std::string_view field) {
  for (const auto& e : errors)
    if (e.field == field) return data(page_message(e));
  return data(false);
}

// ---- The form ----

std::string with_count(std::string label, std::optional<std::uint32_t> count) {
  if (count) label += fmt::format(" ({})", core::format_thousands(*count));
  return label;
}

std::optional<std::uint32_t> term_count(const directory::FacetCounts* facets, directory::TermIndex term) {
  if (!facets) return std::nullopt;
  for (const auto& [index, n] : facets->terms)
    if (index == term) return n;
  return 0;
}

// The terms of one taxonomy, by name.
std::vector<directory::TermIndex> terms_of(const directory::Taxonomy& taxonomy, std::string_view taxonomy_name) {
  std::vector<directory::TermIndex> out;
  const auto terms = taxonomy.terms();
  for (std::size_t i = 0; i < terms.size(); ++i)
    if (taxonomy.taxonomies()[terms[i].taxonomy].name == taxonomy_name) out.push_back(static_cast<directory::TermIndex>(i));
  std::sort(out.begin(), out.end(),
            [&](auto a, auto b) { return taxonomy.term(a).name < taxonomy.term(b).name; });
  return out;
}

data option(std::string value, std::string label, bool selected) {
  data o;
  o.set("value", std::move(value));
  o.set("label", std::move(label));
  o.set("selected", selected);
  return o;
}

data checkbox(std::string_view name, std::size_t index, std::string value, std::string label, bool checked) {
  data c;
  c.set("id", index == 0 ? std::string(name) : fmt::format("{}-{}", name, index + 1));
  c.set("name", std::string(name));
  c.set("value", std::move(value));
  c.set("label", std::move(label));
  c.set("checked", checked);
  return c;
}

data need_options(const SearchPageInput& in, const directory::FacetCounts* facets) {
  const auto chosen = value_of(in.asked, "need").value_or("");
  data list{data::type::list};
  list.push_back(option("", "Any need", chosen.empty()));
  for (const auto t : terms_of(in.taxonomy, demo::kNeedTaxonomy)) {
    const auto& term = in.taxonomy.term(t);
    list.push_back(option(term.code, with_count(term.name, term_count(facets, t)), term.code == chosen));
  }
  return list;
}

data neighbourhood_options(const SearchPageInput& in) {
  const auto chosen = value_of(in.asked, "neighbourhood").value_or("");
  data list{data::type::list};
  list.push_back(option("", "Choose a neighbourhood", chosen.empty()));
  for (const auto& n : in.neighbourhoods) list.push_back(option(n.code, n.name, n.code == chosen));
  return list;
}

data radius_options(const SearchPageInput& in) {
  auto chosen = value_of(in.asked, "radius_km");
  if (!chosen && in.asked.empty()) chosen = "5";  // the blank form's suggestion
  data list{data::type::list};
  list.push_back(option("", "Any distance", !chosen));
  bool shown = !chosen;
  for (const int km : kRadiusChoicesKm) {
    const auto value = std::to_string(km);
    shown = shown || value == chosen;
    list.push_back(option(value, fmt::format("Within {} km", km), value == chosen));
  }
  if (!shown && acceptable_radius(*chosen)) list.push_back(option(*chosen, "Within " + *chosen + " km", true));
  return list;
}

data kind_checkboxes(const SearchPageInput& in, const directory::FacetCounts* facets) {
  const auto chosen = values_of(in.asked, "kind");
  data list{data::type::list};
  for (std::size_t i = 0; i < kKindCodes.size(); ++i) {
    const auto label = with_count(provider_kind_label(kKindCodes[i]),
                                  facets ? std::optional(facets->provider_kind[i]) : std::nullopt);
    list.push_back(checkbox("kind", i, std::string(kKindCodes[i]), label, contains(chosen, kKindCodes[i])));
  }
  return list;
}

// Community-led, locally owned, free, open now, has places: one checkbox each.
data feature_checkboxes(const SearchPageInput& in, const directory::FacetCounts* facets) {
  struct Feature {
    std::string_view name, value, label;
    std::optional<std::uint32_t> count;
  };
  std::optional<std::uint32_t> none;
  const Feature features[] = {
      {"community_led", "true", "Community-led (run by local people)", facets ? std::optional(facets->community_led.yes) : none},
      {"locally_owned", "true", "Locally owned", facets ? std::optional(facets->locally_owned.yes) : none},
      {"cost", "free", "Free", facets ? std::optional(facets->cost[1]) : none},
      {"open_now", "true", "Open now", facets ? facets->open_now : none},
      {"has_capacity", "true", "Has places available", facets ? std::optional(facets->has_capacity.yes) : none},
  };
  data list{data::type::list};
  for (const auto& f : features) {
    const auto asked = value_of(in.asked, f.name);
    list.push_back(checkbox(f.name, 0, std::string(f.value), with_count(std::string(f.label), f.count),
                            asked && (*asked == f.value || (f.value == "true" && (*asked == "1" || *asked == "yes")))));
  }
  return list;
}

data language_options(const SearchPageInput& in, const directory::FacetCounts* facets) {
  const auto chosen = value_of(in.asked, "language").value_or("");
  std::vector<std::string> codes;
  for (const auto& l : demo::kLanguages) codes.emplace_back(l.code);
  if (facets) {
    for (const auto& [code, n] : facets->languages) {
      std::string text(code.data(), code[2] ? 3 : 2);
      if (!contains(codes, text)) codes.push_back(std::move(text));
    }
  }
  std::sort(codes.begin(), codes.end(), [](const auto& a, const auto& b) { return language_name(a) < language_name(b); });
  data list{data::type::list};
  list.push_back(option("", "Any language", chosen.empty()));
  for (const auto& code : codes) list.push_back(option(code, language_name(code), code == chosen));
  return list;
}

data accessibility_checkboxes(const SearchPageInput& in, const directory::FacetCounts* facets) {
  const auto chosen = values_of(in.asked, "accessibility");
  data list{data::type::list};
  std::size_t i = 0;
  for (const auto t : terms_of(in.taxonomy, demo::kAccessibilityTaxonomy)) {
    const auto& term = in.taxonomy.term(t);
    list.push_back(checkbox("accessibility", i++, term.code, with_count(term.name, term_count(facets, t)),
                            contains(chosen, term.code)));
  }
  return list;
}

bool filters_used(const SearchPageInput& in) {
  for (const auto field : kFilterFields) {
    if (value_of(in.asked, field)) return true;
    for (const auto& e : in.errors)
      if (e.field == field) return true;
  }
  return false;
}

void set_form(data& view, const SearchPageInput& in, const directory::FacetCounts* facets) {
  view.set("q", value_of(in.asked, "q").value_or(""));
  view.set("postcode", value_of(in.asked, "postcode").value_or(""));
  view.set("age", value_of(in.asked, "age").value_or(""));
  view.set("max_q", std::to_string(kMaxSearchTextBytes));
  view.set("needs", need_options(in, facets));
  view.set("has_neighbourhoods", !in.neighbourhoods.empty());
  view.set("neighbourhoods", neighbourhood_options(in));
  view.set("radius", radius_options(in));
  view.set("kinds", kind_checkboxes(in, facets));
  view.set("features", feature_checkboxes(in, facets));
  view.set("languages", language_options(in, facets));
  view.set("accessibility", accessibility_checkboxes(in, facets));
  view.set("filters_open", filters_used(in));
  for (const auto field : kFormFields) view.set(std::string(field) + "_error", field_error(in.errors, field));
  data features_errors{data::type::list};
  data other_errors{data::type::list};
  for (const auto* e : first_per_field(in.errors)) {
    data item;
    item.set("id", e->field);
    item.set("message", page_message(*e));
    const bool feature = e->field == "community_led" || e->field == "locally_owned" || e->field == "cost" ||
                         e->field == "open_now" || e->field == "has_capacity";
    if (feature) features_errors.push_back(item);
    else if (std::find(kFormFields.begin(), kFormFields.end(), e->field) == kFormFields.end()) other_errors.push_back(item);
  }
  view.set("has_feature_errors", !features_errors.is_empty_list());
  view.set("feature_errors", features_errors);
  view.set("other_errors", other_errors);
}

// ---- Results ----

std::string cost_text(directory::Cost cost) {
  switch (cost) {
    case directory::Cost::free: return "Free";
    case directory::Cost::paid: return "Paid";
    case directory::Cost::unknown: break;
  }
  return "Cost not published";
}

std::string capacity_text(const store::ServiceSummary& s) {
  if (!s.capacity_available) return "Places not published";
  if (*s.capacity_available <= 0) return "No places available";
  return *s.capacity_available == 1 ? "1 place available"
                                    : fmt::format("{} places available", core::format_thousands(*s.capacity_available));
}

std::string site_text(const directory::Hit& hit, const store::ServiceSummary& summary) {
  if (!hit.site || summary.sites.empty()) return {};
  const auto location_id = hit.site->location_id.text();
  for (const auto& s : summary.sites) {
    if (s.location_id != location_id) continue;
    std::string text;
    for (const auto* part : {&s.name, &s.address_1, &s.city, &s.postal_code}) {
      if (part->empty() || text.find(*part) != std::string::npos) continue;
      text += text.empty() ? *part : ", " + *part;
    }
    return text;
  }
  return {};
}

data result_item(const directory::Hit& hit, const store::ServiceSummary& s) {
  data item;
  item.set("id", s.id);
  item.set("name", s.name);
  item.set("description", s.description);
  item.set("organisation_id", s.organization_id);
  item.set("organisation_name", s.organization_name);
  const auto kind = static_cast<std::size_t>(hit.provider_kind);
  item.set("kind", kind < kKindCodes.size() ? data(provider_kind_label(kKindCodes[kind])) : data(false));
  item.set("community_led", hit.community_led);
  item.set("locally_owned", hit.locally_owned);
  item.set("distance", hit.distance_m ? data(distance_text(*hit.distance_m)) : data(false));
  item.set("where", site_text(hit, s));
  item.set("has_open_now", hit.open_now.has_value());
  item.set("open_now", hit.open_now.value_or(false));
  item.set("cost", cost_text(hit.cost));
  item.set("capacity", capacity_text(s));
  const auto checked = long_date(s.assured_date);
  item.set("last_checked", checked.empty() ? data(false) : data(checked));
  return item;
}

data result_items(const SearchPageInput& in) {
  data list{data::type::list};
  std::size_t s = 0;
  for (const auto& hit : in.results->hits) {
    if (s >= in.summaries.size()) break;
    if (in.summaries[s].id != hit.id.text()) continue;  // deleted since the index saw it
    list.push_back(result_item(hit, in.summaries[s++]));
  }
  return list;
}

std::string page_href(const QueryPairs& asked, std::uint32_t page) {
  QueryPairs pairs;
  for (const auto& p : asked)
    if (p.first != "page") pairs.push_back(p);
  if (page > 1) pairs.emplace_back("page", std::to_string(page));
  return "/services" + query_string(pairs);
}

// GOV.UK pagination: previous, 1 ... current - 1, current, current + 1 ... last, next.
data pagination(const QueryPairs& asked, std::uint32_t page, std::uint32_t pages) {
  data nav;
  nav.set("previous", page > 1 && page <= pages ? data(page_href(asked, page - 1)) : data(false));
  nav.set("next", page < pages ? data(page_href(asked, page + 1)) : data(false));
  std::set<std::uint32_t> shown{1, pages};
  for (auto n = std::max<std::uint32_t>(page, 2) - 1; n <= page + 1 && n <= pages; ++n) shown.insert(n);
  data items{data::type::list};
  std::uint32_t previous = 0;
  for (const auto n : shown) {
    if (previous != 0 && n > previous + 1) {
      data gap;
      gap.set("ellipsis", true);
      items.push_back(gap);
    }
    data item;
    item.set("number", std::to_string(n));
    item.set("href", page_href(asked, n));
    item.set("current", n == page);
    item.set("ellipsis", false);
    items.push_back(item);
    previous = n;
  }
  nav.set("items", items);
  return nav;
}

void set_results(data& view, const SearchPageInput& in) {
  const auto& results = *in.results;
  const auto& query = *in.query;
  view.set("searched", true);
  view.set("count_text", results.total == 1 ? std::string("1 service found")
                                            : core::format_thousands(static_cast<std::int64_t>(results.total)) +
                                                  " services found");
  view.set("results", result_items(in));
  view.set("no_results", results.total == 0);
  const auto per_page = std::max<std::uint32_t>(query.per_page, 1);
  const auto pages = static_cast<std::uint32_t>(
      std::min<std::size_t>((results.total + per_page - 1) / per_page, kMaxPage));
  view.set("past_the_end", results.total > 0 && results.hits.empty());
  view.set("first_page_href", page_href(in.asked, 1));
  view.set("has_pagination", pages > 1);
  if (pages > 1) view.set("pagination", pagination(in.asked, query.page, pages));
  if (pages > 1)
    view.set("page_text", fmt::format("Page {} of {}", core::format_thousands(query.page), core::format_thousands(pages)));
}

}  // namespace

SearchRequest prepare_search(const Request& request, store::Connection& db) {
  SearchRequest out;
  out.for_parser = request;
  const auto pairs = parse_form(request.query);
  if (!pairs) return out;  // the parser reports the malformed escape
  for (const auto& [name, value] : *pairs)
    if (!value.empty()) out.asked.emplace_back(name, value);

  QueryPairs for_parser;
  const auto neighbourhood = value_of(out.asked, "neighbourhood");
  const bool has_postcode = value_of(out.asked, "postcode").has_value();
  if (neighbourhood) {
    if (has_postcode) {
      out.errors.push_back(core::Error::invalid("neighbourhood", "Enter a postcode or choose a neighbourhood, not both"));
    } else if (neighbourhood->size() > 64) {
      out.errors.push_back(core::Error::invalid("neighbourhood", "Choose a neighbourhood from the list"));
    } else if (const auto place = store::find_neighbourhood(db, *neighbourhood)) {
      for_parser.emplace_back("lat", fmt::format("{:.6f}", place->latitude));
      for_parser.emplace_back("lon", fmt::format("{:.6f}", place->longitude));
    } else {
      out.errors.push_back(core::Error::invalid("neighbourhood", "Choose a neighbourhood from the list"));
    }
  }
  const bool has_place = has_postcode || !for_parser.empty() || value_of(out.asked, "lat") || value_of(out.asked, "lon");
  for (const auto& [name, value] : out.asked) {
    if (name == "neighbourhood") continue;
    if (name == "radius_km" && !has_place && acceptable_radius(value)) continue;  // the select's default
    for_parser.emplace_back(name, value);
  }
  out.for_parser.query = query_string(for_parser).substr(std::min<std::size_t>(1, for_parser.size()));
  return out;
}

data search_view(const SearchPageInput& in) {
  data view;
  const bool searched = in.errors.empty() && in.results && in.query;
  set_form(view, in, searched ? &in.results->facets : nullptr);
  view.set("searched", false);
  if (searched) set_results(view, in);
  return view;
}

std::vector<ErrorSummaryItem> search_error_summary(const std::vector<core::Error>& errors) {
  std::vector<ErrorSummaryItem> out;
  for (const auto* e : first_per_field(errors)) out.push_back({page_message(*e), "#" + e->field});
  return out;
}

}  // namespace bespoke::web
