#pragma once
// How the directory's pages write dates, times, distances, money and links:
// GOV.UK style ("3 November 2026", "9am to 5:30pm", "1.2 km away", "£5.50").
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace bespoke::web {

// Days since 1970-01-01 -> "3 November 2026".
[[nodiscard]] std::string long_date(std::int32_t day);
// "2026-11-03" -> "3 November 2026"; "" when not a date.
[[nodiscard]] std::string long_date(std::string_view iso_date);

// Minutes after midnight -> "9am", "5:30pm", "midday", "midnight" (0 or 1440).
[[nodiscard]] std::string clock_text(int minute);
// "HH:MM" or "HH:MM:SS" -> clock_text; the text itself when it is not a time.
[[nodiscard]] std::string clock_text(std::string_view hh_mm);

// "Monday" ... "Sunday" for 0 ... 6.
[[nodiscard]] std::string_view day_name(std::size_t day);

// Metres -> "1.2 km away" ("Less than 0.1 km away" under 50 metres).
[[nodiscard]] std::string distance_text(double metres);

// Pounds -> "£5", "£5.50", "£1,250".
[[nodiscard]] std::string pounds_text(double amount);

// An ISO 639 code -> its English name ("pl" -> "Polish"); the code when unknown.
[[nodiscard]] std::string language_name(std::string_view code);

// The address when it is http(s), else "": only those become links, so that
// imported data cannot smuggle in a javascript: URL.
[[nodiscard]] std::string web_address(std::string_view url);

// application/x-www-form-urlencoded: "a b&c" -> "a+b%26c".
[[nodiscard]] std::string form_encode(std::string_view text);

using QueryPairs = std::vector<std::pair<std::string, std::string>>;
// "?a=1&b=2" ("" when there are no pairs).
[[nodiscard]] std::string query_string(const QueryPairs& pairs);

}  // namespace bespoke::web
