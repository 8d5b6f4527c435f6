#pragma once
// Calendar dates for the demo place: day arithmetic in the proleptic Gregorian
// calendar, and the bank holidays of England and Wales (which services close
// on, or open on at special hours). No clock and no time zone: dates are local.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace bespoke::demo {

struct Date {
  int year = 0;
  int month = 1;
  int day = 1;
  friend bool operator==(const Date&, const Date&) = default;
  friend auto operator<=>(const Date&, const Date&) = default;
};

// Days since 1970-01-01 (negative before it), and back.
[[nodiscard]] std::int32_t days_since_epoch(const Date& d) noexcept;
[[nodiscard]] Date date_from_days(std::int32_t days) noexcept;
[[nodiscard]] Date add_days(const Date& d, int days) noexcept;
// 0 = Monday ... 6 = Sunday (the kDays order).
[[nodiscard]] int weekday(const Date& d) noexcept;
// "2026-01-31"
[[nodiscard]] std::string iso_date(const Date& d);

// Easter Sunday in the Gregorian calendar (the anonymous Gregorian computus).
[[nodiscard]] Date easter_sunday(int year) noexcept;

struct BankHoliday {
  Date date;
  std::string_view name;  // "Good Friday", "Boxing Day (substitute day)", ...
};

// The bank holidays of England and Wales in `year`, in date order, by the
// standing rules: New Year's Day, Good Friday, Easter Monday, the first and last
// Mondays of May, the last Monday of August, Christmas Day and Boxing Day, with
// a substitute weekday when one falls at a weekend. One-off changes by royal
// proclamation (2020's moved VE Day holiday, 2022's jubilee) are not known here.
[[nodiscard]] std::vector<BankHoliday> england_and_wales_bank_holidays(int year);

}  // namespace bespoke::demo
