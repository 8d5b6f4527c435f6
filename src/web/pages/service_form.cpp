#include "web/pages/service_form.h"

#include "core/text.h"
#include "core/utf8.h"
#include "hsds/validate.h"
#include "places/postcode.h"

#include <algorithm>

namespace bespoke::web {
namespace {

constexpr std::size_t kMaxEmail = 254;
constexpr std::size_t kMaxUrl = 2000;
constexpr std::size_t kMaxAddressLine = 200;

// Textareas send CRLF line ends; one form of text is stored.
std::string without_carriage_returns(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char ch : text)
    if (ch != '\r') out.push_back(ch);
  return out;
}

std::string trimmed(std::string_view text) { return std::string(core::trim(text)); }

// A required or optional text answer: empty, unreadable or too long is an
// error. `missing` empty: the answer is optional.
void check_text(std::vector<core::Error>& errors, const std::string& field, const std::string& value,
                std::size_t max_chars, const std::string& missing, const std::string& what) {
  const auto fail = [&](std::string message) { errors.push_back(core::Error::invalid(field, std::move(message))); };
  if (!core::is_valid_utf8(value)) {
    fail("The " + what + " could not be read: type it again");
  } else if (value.empty()) {
    if (!missing.empty()) fail(missing);
  } else if (core::code_points(value) > max_chars) {
    const auto limit = core::format_thousands(static_cast<std::int64_t>(max_chars));
    fail("The " + what + " must be " + limit + " characters or fewer");
  }
}

bool is_web_address(std::string_view url) {
  const auto starts = [&](std::string_view scheme) {
    return url.size() > scheme.size() && core::iequals_ascii(url.substr(0, scheme.size()), scheme);
  };
  return (starts("https://") || starts("http://")) && url.size() <= kMaxUrl && hsds::is_absolute_uri(url) &&
         url.find_first_of(" \t\r\n") == std::string_view::npos;
}

std::optional<std::string> checked_email(std::vector<core::Error>& errors, const std::string& email) {
  if (email.empty()) return std::nullopt;
  if (email.size() > kMaxEmail || !core::is_email(email))
    errors.push_back(
        core::Error::invalid("email", "Enter an email address in the correct format, like name@example.org"));
  return email;
}

std::optional<std::string> checked_url(std::vector<core::Error>& errors, const std::string& url) {
  if (url.empty()) return std::nullopt;
  if (!is_web_address(url))
    errors.push_back(core::Error::invalid(
        "url", "Enter a web address starting with https:// or http://, like https://www.example.org"));
  return url;
}

// One day of the opening times: both empty is closed; the errors name the input.
std::optional<store::DailyOpening> checked_day(std::vector<core::Error>& errors, int day, const std::string& opens_text,
                                               const std::string& closes_text) {
  if (opens_text.empty() && closes_text.empty()) return std::nullopt;
  const std::string name(kDayNames.at(static_cast<std::size_t>(day)));
  const std::string label(kDayLabels.at(static_cast<std::size_t>(day)));
  const auto opens = parse_time(opens_text);
  const auto closes = parse_time(closes_text);
  const auto time_error = [&](const std::string& which, const std::string& text, const auto& parsed) {
    if (text.empty()) {
      errors.push_back(core::Error::invalid(name + "-" + which, "Enter the time the service " + which + " on " + label +
                                                                    ", or leave both times empty if it is closed"));
      return true;
    }
    if (!parsed) {
      errors.push_back(core::Error::invalid(name + "-" + which, "Enter the time the service " + which + " on " + label +
                                                                    " as hours and minutes, like 09:30"));
      return true;
    }
    return false;
  };
  const bool bad_opens = time_error("opens", opens_text, opens);
  const bool bad_closes = time_error("closes", closes_text, closes);
  if (bad_opens || bad_closes) return std::nullopt;
  // "HH:MM" compares as text in time order.
  if (*closes <= *opens) {
    errors.push_back(core::Error::invalid(name + "-closes", "The time the service closes on " + label +
                                                                " must be after the time it opens"));
    return std::nullopt;
  }
  return store::DailyOpening{day, *opens, *closes};
}

std::string postcode_or_error(std::vector<core::Error>& errors, const std::string& postcode) {
  if (postcode.empty()) return {};
  if (const auto normal = places::normalise_postcode(postcode)) return *normal;
  errors.push_back(core::Error::invalid("postcode", "Enter a real UK postcode, like SW1A 1AA"));
  return postcode;
}

}  // namespace

std::optional<std::string> parse_time(std::string_view text) {
  const auto colon = text.find(':');
  if (colon == std::string_view::npos || colon == 0 || colon > 2 || text.size() != colon + 3) return std::nullopt;
  int hours = 0;
  for (std::size_t i = 0; i < colon; ++i) {
    if (text[i] < '0' || text[i] > '9') return std::nullopt;
    hours = hours * 10 + (text[i] - '0');
  }
  const char m1 = text[colon + 1], m2 = text[colon + 2];
  if (m1 < '0' || m1 > '5' || m2 < '0' || m2 > '9' || hours > 23) return std::nullopt;
  std::string out = hours < 10 ? "0" : "";
  out += std::to_string(hours);
  out += ':';
  out += m1;
  out += m2;
  return out;
}

ServiceAnswers read_service_answers(const FormFields& fields) {
  ServiceAnswers a;
  for (const auto& [name, value] : fields) {
    if (name == "name") a.name = trimmed(value);
    else if (name == "description") a.description = trimmed(without_carriage_returns(value));
    else if (name == "email") a.email = trimmed(value);
    else if (name == "url") a.url = trimmed(value);
    else if (name == "status") a.status = value;
    else if (name == "location") a.location_ids.push_back(value);
    for (std::size_t d = 0; d < kDayNames.size(); ++d) {
      if (name == std::string(kDayNames[d]) + "-opens") a.opens[d] = trimmed(value);
      if (name == std::string(kDayNames[d]) + "-closes") a.closes[d] = trimmed(value);
    }
  }
  return a;
}

ServiceAnswers service_answers(const store::ServiceDraft& draft) {
  ServiceAnswers a;
  a.name = draft.name;
  a.description = draft.description;
  a.email = draft.email.value_or("");
  a.url = draft.url.value_or("");
  a.status = draft.status;
  a.location_ids = draft.location_ids;
  for (const auto& o : draft.weekly) {
    if (o.day < 0 || o.day >= static_cast<int>(kDayNames.size())) continue;
    a.opens[static_cast<std::size_t>(o.day)] = o.opens_at;
    a.closes[static_cast<std::size_t>(o.day)] = o.closes_at;
  }
  return a;
}

ServiceCheck check_service(const ServiceAnswers& answers, std::span<const std::string> organisation_locations) {
  ServiceCheck out;
  auto& errors = out.errors;
  check_text(errors, "name", answers.name, kMaxServiceName, "Enter the name of the service", "name");
  check_text(errors, "description", answers.description, kMaxServiceDescription,
             "Enter a description of the service", "description");
  out.draft.name = answers.name;
  out.draft.description = answers.description;
  out.draft.email = checked_email(errors, answers.email);
  out.draft.url = checked_url(errors, answers.url);
  const bool known_status = std::any_of(kStatusOptions.begin(), kStatusOptions.end(),
                                        [&](const StatusOption& o) { return o.value == answers.status; });
  if (!known_status) errors.push_back(core::Error::invalid("status", "Choose whether the service is running"));
  out.draft.status = answers.status;
  for (const auto& id : answers.location_ids) {
    if (std::find(organisation_locations.begin(), organisation_locations.end(), id) == organisation_locations.end()) {
      errors.push_back(
          core::Error::invalid("location", "Choose places from the list of your organisation's locations"));
      break;
    }
    if (std::find(out.draft.location_ids.begin(), out.draft.location_ids.end(), id) == out.draft.location_ids.end())
      out.draft.location_ids.push_back(id);
  }
  for (int day = 0; day < static_cast<int>(kDayNames.size()); ++day) {
    const auto d = static_cast<std::size_t>(day);
    if (const auto opening = checked_day(errors, day, answers.opens[d], answers.closes[d]))
      out.draft.weekly.push_back(*opening);
  }
  return out;
}

LocationAnswers read_location_answers(const FormFields& fields) {
  LocationAnswers a;
  for (const auto& [name, value] : fields) {
    if (name == "name") a.name = trimmed(value);
    else if (name == "address_1") a.address_1 = trimmed(value);
    else if (name == "city") a.city = trimmed(value);
    else if (name == "county") a.county = trimmed(value);
    else if (name == "postcode") a.postcode = trimmed(value);
  }
  return a;
}

LocationAnswers location_answers(const store::LocationDraft& draft) {
  // A county that is only the town again was filled in for HSDS (check_location).
  const std::string county = draft.state_province == draft.city ? std::string() : draft.state_province;
  return {draft.name, draft.address_1, draft.city, county, draft.postal_code};
}

LocationCheck check_location(const LocationAnswers& answers) {
  LocationCheck out;
  auto& errors = out.errors;
  check_text(errors, "name", answers.name, kMaxServiceName, "Enter the name of the location", "name");
  // HSDS requires an address's first line, town and postcode together: all
  // three, or no address.
  const bool any = !answers.address_1.empty() || !answers.city.empty() || !answers.postcode.empty();
  const std::string unless = any ? ", or leave the address empty" : "";
  check_text(errors, "address_1", answers.address_1, kMaxAddressLine,
             any ? "Enter the first line of the address" + unless : "", "address");
  check_text(errors, "city", answers.city, kMaxAddressLine, any ? "Enter the town or city" + unless : "",
             "town or city");
  check_text(errors, "county", answers.county, kMaxAddressLine, "", "county");
  if (any && answers.postcode.empty())
    errors.push_back(core::Error::invalid("postcode", "Enter the postcode" + unless));
  out.draft.name = answers.name;
  out.draft.address_1 = answers.address_1;
  out.draft.city = answers.city;
  // HSDS requires state_province too; without a county the town stands in,
  // so that the address exports and imports again as it is.
  out.draft.state_province = answers.county.empty() ? answers.city : answers.county;
  out.draft.postal_code = postcode_or_error(errors, answers.postcode);
  return out;
}

}  // namespace bespoke::web
