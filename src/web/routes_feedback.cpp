#include "core/text.h"
#include "core/time.h"
#include "feedback/feedback.h"
#include "store/feedback_store.h"
#include "web/errors.h"
#include "web/json_input.h"
#include "web/auth/page_meta.h"
#include "web/routes.h"
#include "web/views.h"

#include <boost/json.hpp>
#include <kainjow/mustache.hpp>

#include <string>

namespace bespoke::web {
namespace {

using kainjow::mustache::data;

bool has_media_type(const Request& request, std::string_view type) {
  const auto ct = request.header("content-type");
  if (!ct) return false;
  return core::iequals_ascii(core::trim(ct->substr(0, ct->find(';'))), type);
}

// The form's view model: the answers so far and, after a failed check, the error.
data form_view(const feedback::FeedbackInput& input, const core::Error* error) {
  data view;
  data options{data::type::list};
  for (std::size_t i = 0; i < feedback::kSatisfactionCodes.size(); ++i) {
    const auto code = feedback::kSatisfactionCodes[i];
    data option;
    option.set("value", std::string(code));
    option.set("label", std::string(feedback::satisfaction_label(code)));
    option.set("id", i == 0 ? std::string("satisfaction") : "satisfaction-" + std::to_string(i + 1));
    option.set("checked", input.satisfaction == code);
    options.push_back(option);
  }
  view.set("options", options);
  view.set("comment", input.comment);
  view.set("page", input.page);
  view.set("max_comment_chars", std::to_string(feedback::kMaxCommentChars));
  if (error) {
    view.set("satisfaction_error", error->field == "satisfaction" ? data(error->message) : data(false));
    view.set("comment_error", error->field == "comment" ? data(error->message) : data(false));
    view.set("page_error", error->field == "page" ? data(error->message) : data(false));
  }
  return view;
}

Response feedback_form(const Views& views, const Caller& caller, int status, const feedback::FeedbackInput& input,
                       const core::Error* error) {
  PageMeta meta = page_meta(caller, "Give feedback on Bespoke");
  if (error) meta.errors.push_back({error->message, "#" + error->field});  // the layout shows the summary
  auto view = form_view(input, error);
  view.set("csrf_token", caller.csrf_token);
  return Response::html(status, views.page("feedback.mustache", view, meta));
}

std::string json_string_field(const boost::json::object& o, std::string_view name, core::Error& error) {
  const auto* v = o.if_contains(name);
  if (!v) return {};
  if (!v->is_string()) {
    error = core::Error::invalid("/" + std::string(name), std::string(name) + " must be a string");
    return {};
  }
  return std::string(v->as_string());
}

}  // namespace

void add_feedback_routes(Router& router, const Views& views, const ErrorPages& errors) {
  router.add("GET", "/feedback", policy::Action::read_public, [&views](const Request& request, RequestContext& ctx) {
    feedback::FeedbackInput input;
    input.page = request.query_param("from").value_or("");
    if (!input.page.starts_with("/")) input.page.clear();
    return feedback_form(views, ctx.caller(), 200, input, nullptr);
  });

  router.add("POST", "/feedback", policy::Action::submit_public, [&views, &errors](const Request& request, RequestContext& ctx) {
    if (!has_media_type(request, "application/x-www-form-urlencoded"))
      return errors.respond(request, ctx.caller(), 415, "Unsupported Media Type", "Send the form as application/x-www-form-urlencoded.");
    const auto fields = parse_form(request.body);
    if (!fields) return errors.respond(request, ctx.caller(), 400, "Bad Request", "The form could not be read.");
    feedback::FeedbackInput input;
    for (const auto& [name, value] : *fields) {
      if (name == "satisfaction") input.satisfaction = value;
      if (name == "comment") input.comment = value;
      if (name == "page") input.page = value;
    }
    auto checked = feedback::validate(input);
    if (!checked) {
      const core::Error error = checked.error();
      return feedback_form(views, ctx.caller(), 422, input, &error);
    }
    store::insert_feedback(ctx.db(), *checked, core::SystemTime{}.now());
    return Response::see_other("/feedback/thanks");
  });

  router.add("GET", "/feedback/thanks", policy::Action::read_public, [&views](const Request&, RequestContext& ctx) {
    const PageMeta meta = page_meta(ctx.caller(), "Thank you for your feedback");
    return Response::html(200, views.page("feedback_thanks.mustache", data{}, meta));
  });

  router.add("POST", "/api/v1/feedback", policy::Action::submit_public, [&errors](const Request& request, RequestContext& ctx) {
    if (!has_media_type(request, "application/json"))
      return errors.respond(request, ctx.caller(), 415, "Unsupported Media Type", "Send the body as application/json.");
    auto parsed = parse_json_body(request.body);
    if (!parsed) return Response::problem(400, "Bad Request", parsed.error().message, parsed.error().field);
    if (!parsed->is_object()) return Response::problem(422, "Unprocessable Content", "The body must be a JSON object.", "/");
    const auto& o = parsed->as_object();
    for (const auto& [key, value] : o) {
      if (key != "satisfaction" && key != "comment" && key != "page")
        return Response::problem(422, "Unprocessable Content", "Unknown field: " + std::string(key),
                                 "/" + std::string(key));
    }
    core::Error type_error;
    feedback::FeedbackInput input;
    input.satisfaction = json_string_field(o, "satisfaction", type_error);
    input.comment = json_string_field(o, "comment", type_error);
    input.page = json_string_field(o, "page", type_error);
    if (!type_error.message.empty()) return errors.respond(request, type_error);
    auto checked = feedback::validate(std::move(input));
    if (!checked) {
      core::Error e = checked.error();
      e.field = "/" + e.field;
      return errors.respond(request, e);
    }
    const auto stored = store::insert_feedback(ctx.db(), *checked, core::SystemTime{}.now());
    boost::json::object body{{"id", stored.public_id}, {"created_at", stored.created_at}};
    return Response::json(201, boost::json::serialize(body));
  });
}

}  // namespace bespoke::web
