#include "http/browser_client.h"

#include "web/http.h"

#include <boost/json.hpp>

namespace bespoke::testing {

std::string hidden_input(const std::string& html, const std::string& name) {
  const std::string marker = "name=\"" + name + "\" value=\"";
  const auto at = html.find(marker);
  if (at == std::string::npos) return {};
  const auto start = at + marker.size();
  return html.substr(start, html.find('"', start) - start);
}

std::string my_record_id(BrowserClient& resident) {
  const auto json = boost::json::parse(resident.get("/my-information/download").body);
  for (const auto& t : json.at("tables").as_array())
    if (t.at("table") == "resident") return std::string(t.at("rows").as_array().at(0).at("public_id").as_string());
  return {};
}

std::string linked_organisation(BrowserClient& provider) {
  const auto account = provider.get("/account").body;
  const auto at = account.find("href=\"/organisations/");
  return at == std::string::npos ? std::string() : account.substr(at + 21, 36);
}

std::string form_encode(const Fields& fields) {
  std::string out;
  for (const auto& [k, v] : fields) {
    if (!out.empty()) out += '&';
    out += web::percent_encode(k) + "=" + web::percent_encode(v);
  }
  return out;
}

std::string BrowserClient::cookie(const std::string& name) const {
  const auto it = cookies_.find(name);
  return it == cookies_.end() ? std::string() : it->second;
}

void BrowserClient::remember(const Reply& reply) {
  const auto [first, last] = reply.headers.equal_range("set-cookie");
  for (auto it = first; it != last; ++it) {
    const auto& line = it->second;
    const auto eq = line.find('=');
    const auto end = line.find(';');
    const auto name = line.substr(0, eq);
    const auto value = line.substr(eq + 1, end == std::string::npos ? std::string::npos : end - eq - 1);
    if (line.find("Max-Age=0") != std::string::npos || value.empty()) cookies_.erase(name);
    else cookies_[name] = value;
  }
  const auto token = hidden_input(reply.body, "csrf_token");
  if (!token.empty()) csrf_ = token;
}

Reply BrowserClient::send(const std::string& method, const std::string& target, Fields headers,
                          const std::string& body) {
  std::string cookie_header;
  for (const auto& [k, v] : cookies_) cookie_header += (cookie_header.empty() ? "" : "; ") + k + "=" + v;
  if (!cookie_header.empty()) headers.emplace_back("Cookie", cookie_header);
  auto reply = http(port_, method, target, headers, body);
  remember(reply);
  return reply;
}

Reply BrowserClient::get(const std::string& target, Fields extra_headers) {
  return send("GET", target, std::move(extra_headers), {});
}

Reply BrowserClient::post_form(const std::string& target, Fields fields, bool with_csrf) {
  if (with_csrf) fields.emplace_back("csrf_token", csrf_);
  return send("POST", target, {{"Content-Type", "application/x-www-form-urlencoded"}}, form_encode(fields));
}

Reply BrowserClient::post_json(const std::string& target, const std::string& json, Fields extra_headers) {
  extra_headers.emplace_back("Content-Type", "application/json");
  return send("POST", target, std::move(extra_headers), json);
}

bool BrowserClient::sign_in(const std::string& email, const std::string& password) {
  get("/sign-in");
  const auto reply = post_form("/sign-in", {{"email", email}, {"password", password}});
  if (reply.status != 303 || !has_cookie("bespoke_session")) return false;
  get("/account");  // for the session's csrf_token
  return true;
}

}  // namespace bespoke::testing
