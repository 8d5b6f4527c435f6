#include "web/pages/directory_format.h"

#include "core/text.h"
#include "core/time.h"
#include "demo/vocabulary.h"

#include <fmt/format.h>

#include <array>
#include <chrono>
#include <cctype>
#include <cmath>

namespace bespoke::web {
namespace {

constexpr std::array<std::string_view, 12> kMonths{"January", "February", "March",     "April",   "May",      "June",
                                                   "July",    "August",   "September", "October", "November", "December"};
constexpr std::array<std::string_view, 7> kDayNames{"Monday", "Tuesday",  "Wednesday", "Thursday",
                                                     "Friday", "Saturday", "Sunday"};

}  // namespace

std::string long_date(std::int32_t day) {
  const std::chrono::year_month_day ymd{std::chrono::sys_days{std::chrono::days{day}}};
  return fmt::format("{} {} {}", static_cast<unsigned>(ymd.day()), kMonths[static_cast<unsigned>(ymd.month()) - 1],
                     static_cast<int>(ymd.year()));
}

std::string long_date(std::string_view iso_date) {
  const auto day = core::parse_iso_date(iso_date.substr(0, 10));
  return day ? long_date(*day) : std::string();
}

std::string clock_text(int minute) {
  if (minute == 0 || minute == 24 * 60) return "midnight";
  if (minute == 12 * 60) return "midday";
  const int hour = minute / 60, min = minute % 60;
  const int twelve = hour % 12 == 0 ? 12 : hour % 12;
  const std::string_view suffix = hour < 12 ? "am" : "pm";
  return min == 0 ? fmt::format("{}{}", twelve, suffix) : fmt::format("{}:{:02}{}", twelve, min, suffix);
}

std::string clock_text(std::string_view hh_mm) {
  const auto minute = core::parse_clock_minutes(hh_mm);
  return minute ? clock_text(*minute) : std::string(hh_mm);
}

std::string_view day_name(std::size_t day) { return day < kDayNames.size() ? kDayNames[day] : std::string_view(); }

std::string distance_text(double metres) {
  if (!std::isfinite(metres) || metres < 50) return "Less than 0.1 km away";
  return fmt::format("{:.1f} km away", metres / 1000);
}

std::string pounds_text(double amount) {
  const auto pence = static_cast<std::int64_t>(std::llround(amount * 100));
  const std::string whole = core::format_thousands(pence / 100);
  return pence % 100 == 0 ? "£" + whole : fmt::format("£{}.{:02}", whole, pence % 100);
}

std::string language_name(std::string_view code) {
  for (const auto& language : demo::kLanguages) {
    if (language.code == code) return std::string(language.label);
  }
  return std::string(code);
}

std::string web_address(std::string_view url) {
  return url.starts_with("https://") || url.starts_with("http://") ? std::string(url) : std::string();
}

std::string form_encode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char ch : text) {
    const auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(ch);
    } else if (c == ' ') {
      out.push_back('+');
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

std::string query_string(const QueryPairs& pairs) {
  std::string out;
  for (const auto& [name, value] : pairs) {
    out += out.empty() ? '?' : '&';
    out += form_encode(name);
    out += '=';
    out += form_encode(value);
  }
  return out;
}

}  // namespace bespoke::web
