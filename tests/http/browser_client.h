#pragma once
// A cookie-keeping client for the HTTP tests, like a browser without
// JavaScript: it remembers cookies the server sets, reads the csrf_token of
// the last page it fetched, and posts forms with it.
#include "http/server_process.h"

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace bespoke::testing {

using Fields = std::vector<std::pair<std::string, std::string>>;

class BrowserClient {
 public:
  explicit BrowserClient(std::uint16_t port) : port_(port) {}

  Reply get(const std::string& target, Fields extra_headers = {});
  // A form post; unless with_csrf is false, the csrf_token of the last page is added.
  Reply post_form(const std::string& target, Fields fields, bool with_csrf = true);
  Reply post_json(const std::string& target, const std::string& json, Fields extra_headers = {});

  // GET /sign-in, then POST it; true when the server answered with a session.
  bool sign_in(const std::string& email, const std::string& password);

  [[nodiscard]] const std::string& csrf_token() const noexcept { return csrf_; }
  [[nodiscard]] bool has_cookie(const std::string& name) const { return cookies_.count(name) > 0; }
  [[nodiscard]] std::string cookie(const std::string& name) const;
  void set_cookie(const std::string& name, const std::string& value) { cookies_[name] = value; }
  void forget_cookies() { cookies_.clear(); }

 private:
  Reply send(const std::string& method, const std::string& target, Fields headers, const std::string& body);
  void remember(const Reply& reply);

  std::uint16_t port_;
  std::map<std::string, std::string> cookies_;
  std::string csrf_;
};

// The password of every demo account (bespoke demo), which sign in under serve --demo.
inline constexpr const char* kDemoPassword = "bespoke-demo";

// The organisation a signed-in provider's account page links to ("" when none).
[[nodiscard]] std::string linked_organisation(BrowserClient& provider);

// The public id of a signed-in resident's own record, from their data download ("" when none).
[[nodiscard]] std::string my_record_id(BrowserClient& resident);

// The value of the first hidden input called name in html ("" when none).
[[nodiscard]] std::string hidden_input(const std::string& html, const std::string& name);

// application/x-www-form-urlencoded text of the fields.
[[nodiscard]] std::string form_encode(const Fields& fields);

}  // namespace bespoke::testing
