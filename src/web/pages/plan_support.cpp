#include "web/pages/plan_support.h"

#include "core/utf8.h"
#include "person/record.h"

#include <algorithm>

namespace bespoke::web {

std::optional<PlanPerson> open_plan_person(store::Connection& db, const Caller& caller, const Request& request,
                                           const Parts& parts, Use use, core::Timestamp now) {
  const auto public_id = request.param("id").value_or("");
  if (public_id.size() > 64 || parts.empty()) return std::nullopt;
  const auto resident_id = store::resident_id_of(db, public_id);
  if (!resident_id) return std::nullopt;
  RecordRead read;
  for (const auto part : parts) {
    read = work_on_record(db, caller, *resident_id, part, use, now);
    if (!read.record) return std::nullopt;
  }
  PlanPerson out;
  out.actor = {caller.subject.account_id, read.role};
  out.base = "/plan/" + read.record->public_id;
  out.name = read.role == "self" ? std::string("you") : read.record->given_name + " " + read.record->family_name;
  out.record = std::move(*read.record);
  return out;
}

std::optional<PostedForm> PostedForm::read(const Request& request) {
  auto pairs = parse_form(request.body);
  if (!pairs) return std::nullopt;
  PostedForm form;
  for (auto& [name, value] : *pairs) {
    // Text that is not UTF-8 is unreadable: dropped, so the field's check reports it as missing.
    if (!core::is_valid_utf8(value)) continue;
    form.fields_.emplace_back(std::move(name), std::move(value));
  }
  return form;
}

std::string PostedForm::one(std::string_view name) const {
  for (auto it = fields_.rbegin(); it != fields_.rend(); ++it)
    if (it->first == name) return it->second;
  return {};
}

std::vector<std::string> PostedForm::all(std::string_view name) const {
  std::vector<std::string> out;
  for (const auto& [n, v] : fields_)
    if (n == name && std::find(out.begin(), out.end(), v) == out.end()) out.push_back(v);
  return out;
}

bool PostedForm::has(std::string_view name) const {
  return std::any_of(fields_.begin(), fields_.end(), [&](const auto& f) { return f.first == name; });
}

kainjow::mustache::data plan_view(const PlanPerson& who, const Caller& caller, std::string heading) {
  kainjow::mustache::data view;
  view.set("heading", std::move(heading));
  view.set("base", who.base);
  view.set("own", who.own());
  view.set("coordinator", who.coordinator());
  view.set("name", who.name);
  view.set("csrf_token", caller.csrf_token);
  return view;
}

std::string plan_title(const PlanPerson& who, std::string_view own_title, std::string_view other_title) {
  return who.own() ? std::string(own_title) : std::string(other_title) + ": " + who.name;
}

std::vector<Option> need_options(const store::ResidentRecord& record) {
  std::vector<Option> out;
  for (const auto& n : record.needs) out.emplace_back(n.code, n.label);
  return out;
}

std::vector<std::string> need_codes(const store::ResidentRecord& record) {
  std::vector<std::string> out;
  for (const auto& n : record.needs) out.push_back(n.code);
  return out;
}

std::vector<Option> time_options() {
  std::vector<Option> out;
  for (std::size_t d = 0; d < person::kDayNames.size(); ++d)
    for (const auto& part : person::kDayParts) {
      std::string label(person::kDayNames[d]);
      label += " ";
      std::string lower(part.label);
      lower[0] = static_cast<char>(lower[0] - 'A' + 'a');
      out.emplace_back(std::to_string(d) + ":" + std::string(part.code), label + lower);
    }
  return out;
}

}  // namespace bespoke::web

namespace bespoke::web {

Handler plan_route(const ErrorPages& errors, const Authenticator& auth, Parts parts, Use use, PlanHandler handler) {
  return [&errors, &auth, parts = std::move(parts), use, handler = std::move(handler)](const Request& request,
                                                                                       RequestContext& ctx) {
    const auto now = auth.now();
    const auto who = open_plan_person(ctx.db(), ctx.caller(), request, parts, use, now);
    if (!who) return errors.not_found(request, ctx.caller());
    std::optional<PostedForm> form = PostedForm{};
    if (request.method == "POST") form = PostedForm::read(request);
    if (!form) return errors.respond(request, ctx.caller(), 400, "Bad Request", "The form could not be read.");
    return handler(PlanCall{request, ctx, *who, *form, now});
  };
}

}  // namespace bespoke::web
