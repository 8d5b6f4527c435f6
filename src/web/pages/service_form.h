#pragma once
// The forms provider staff fill in for their organisation's services and
// locations: the answers as typed, and their checking into what the store
// writes. Pure functions, no I/O: the caller loads the organisation's
// locations and looks the postcode up.
//
// Every error's field is the id of the input it is about (the GOV.UK error
// summary links to it), and errors come in the order of the form's fields.
#include "core/error.h"
#include "store/directory_edit_store.h"

#include <array>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace bespoke::web {

using FormFields = std::vector<std::pair<std::string, std::string>>;

// The days of the opening-times part, Monday first (store::DailyOpening::day
// indexes them): the inputs are "<name>-opens" and "<name>-closes".
inline constexpr std::array<std::string_view, 7> kDayNames{"monday", "tuesday",  "wednesday", "thursday",
                                                           "friday", "saturday", "sunday"};
inline constexpr std::array<std::string_view, 7> kDayLabels{"Monday", "Tuesday",  "Wednesday", "Thursday",
                                                            "Friday", "Saturday", "Sunday"};

inline constexpr std::size_t kMaxServiceName = 200;          // characters
inline constexpr std::size_t kMaxServiceDescription = 2000;  // characters

// The statuses the form offers (HSDS 3.1 service.status values) and their
// labels; "defunct" is not offered: a service that ends is "inactive", so its
// page stays.
struct StatusOption {
  std::string_view value;
  std::string_view label;
  std::string_view hint;
};
inline constexpr std::array<StatusOption, 3> kStatusOptions{{
    {"active", "Running", "Found by search"},
    {"temporarily closed", "Temporarily closed", "Keeps its page, but search does not find it until it runs again"},
    {"inactive", "Not running", "Keeps its page, marked as not running; search does not find it"},
}};

// A service's answers as typed, to check or to show again after an error.
struct ServiceAnswers {
  std::string name;
  std::string description;
  std::string email;
  std::string url;
  std::string status;
  std::vector<std::string> location_ids;
  std::array<std::string, 7> opens;
  std::array<std::string, 7> closes;
};

[[nodiscard]] ServiceAnswers read_service_answers(const FormFields& fields);
// A stored service's fields as the form shows them.
[[nodiscard]] ServiceAnswers service_answers(const store::ServiceDraft& draft);

struct ServiceCheck {
  store::ServiceDraft draft;        // what to store; meaningful when errors is empty
  std::vector<core::Error> errors;  // field: the input's id ("name", "monday-opens")
};

// Checks the answers. organisation_locations: the ids the service may be
// delivered at (the organisation's locations).
[[nodiscard]] ServiceCheck check_service(const ServiceAnswers& answers,
                                         std::span<const std::string> organisation_locations);

// "9:05" or "09:05" -> "09:05"; nullopt for anything else.
[[nodiscard]] std::optional<std::string> parse_time(std::string_view text);

// A location's answers as typed.
struct LocationAnswers {
  std::string name;
  std::string address_1;
  std::string city;
  std::string county;
  std::string postcode;
};

[[nodiscard]] LocationAnswers read_location_answers(const FormFields& fields);
[[nodiscard]] LocationAnswers location_answers(const store::LocationDraft& draft);

struct LocationCheck {
  store::LocationDraft draft;  // postal_code normalised; coordinates not set (the caller looks them up)
  std::vector<core::Error> errors;
};

[[nodiscard]] LocationCheck check_location(const LocationAnswers& answers);

}  // namespace bespoke::web
