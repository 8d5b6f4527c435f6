#include "web/pages/directory_organisation.h"

#include "web/pages/directory_format.h"
#include "web/pages/directory_records.h"

namespace bespoke::web {
namespace {

using kainjow::mustache::data;

data text_or_false(std::string text) { return text.empty() ? data(false) : data(std::move(text)); }

// The org-ids ("GB-CHC-1234567": the register's prefix and the number).
data identifiers(const hsds::RecordSet& set, const hsds::Record& organization) {
  data list{data::type::list};
  for (const auto* i : children_of(set, organization, "organization_identifier", "organization_id")) {
    list.push_back(data("identifier", field_text(*i, "identifier")));
  }
  return list;
}

data service_list(std::span<const store::ServiceSummary> services) {
  data list{data::type::list};
  for (const auto& s : services) {
    data item;
    item.set("id", s.id);
    item.set("name", s.name);
    item.set("description", text_or_false(s.description));
    item.set("not_active", s.status != "active");
    list.push_back(item);
  }
  return list;
}

}  // namespace

data organisation_view(const hsds::RecordSet& set, const hsds::Record& organization,
                       std::span<const store::ServiceSummary> services) {
  data view = organisation_facts(set, organization);
  view.set("description", text_or_false(field_text(organization, "description")));
  view.set("website", text_or_false(web_address(field_text(organization, "website"))));
  view.set("email", text_or_false(field_text(organization, "email")));
  const auto ids = identifiers(set, organization);
  view.set("has_identifiers", ids.is_non_empty_list());
  view.set("identifiers", ids);
  view.set("services", service_list(services));
  view.set("services_count", services.size() == 1 ? std::string("1 service") : std::to_string(services.size()) + " services");
  return view;
}

}  // namespace bespoke::web
