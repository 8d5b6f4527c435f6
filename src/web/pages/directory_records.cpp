#include "web/pages/directory_records.h"

#include "demo/vocabulary.h"
#include "web/pages/home.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace bespoke::web {

using kainjow::mustache::data;

std::string field_text(const hsds::Record& record, std::string_view field) {
  if (const auto text = record.text(field)) return std::string(*text);
  if (const auto number = record.number(field)) {
    return *number == std::floor(*number) && std::abs(*number) < 1e15 ? fmt::format("{}", static_cast<long long>(*number))
                                                                        : fmt::format("{}", *number);
  }
  return {};
}

std::vector<const hsds::Record*> children_of(const hsds::RecordSet& set, const hsds::Record& parent,
                                             std::string_view child_entity, std::string_view link) {
  return set.children(hsds::entity(child_entity), link, parent.id());
}

std::vector<const hsds::Record*> attached_terms(const hsds::RecordSet& set, const hsds::Record& record,
                                                std::string_view link_type) {
  static const auto& attribute = hsds::entity("attribute");
  static const auto& term = hsds::entity("taxonomy_term");
  std::vector<const hsds::Record*> out;
  for (const auto* a : set.children(attribute, "link_id", record.id(), record.entity->name)) {
    if (a->text("link_type") != link_type) continue;
    if (const auto* t = set.find(term, field_text(*a, "taxonomy_term_id"))) out.push_back(t);
  }
  std::sort(out.begin(), out.end(),
            [](const auto* a, const auto* b) { return field_text(*a, "name") < field_text(*b, "name"); });
  return out;
}

data term_names(const std::vector<const hsds::Record*>& terms) {
  data list{data::type::list};
  for (const auto* t : terms) list.push_back(data("name", field_text(*t, "name")));
  return list;
}

data organisation_facts(const hsds::RecordSet& set, const hsds::Record& organization) {
  data facts;
  facts.set("id", organization.id());
  facts.set("name", field_text(organization, "name"));
  const auto kinds = attached_terms(set, organization, demo::kProviderKindLink);
  facts.set("kind", kinds.empty() ? data(false) : data(provider_kind_label(field_text(*kinds.front(), "code"))));
  bool community_led = false, locally_owned = false;
  for (const auto* t : attached_terms(set, organization, demo::kOrganisationFeatureLink)) {
    const auto code = field_text(*t, "code");
    community_led = community_led || code == "community_led";
    locally_owned = locally_owned || code == "locally_owned";
  }
  facts.set("community_led", community_led);
  facts.set("locally_owned", locally_owned);
  return facts;
}

}  // namespace bespoke::web
