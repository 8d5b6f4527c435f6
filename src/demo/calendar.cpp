#include "demo/calendar.h"

#include <fmt/format.h>

namespace bespoke::demo {

// Howard Hinnant's days_from_civil / civil_from_days.
std::int32_t days_since_epoch(const Date& d) noexcept {
  const int y = d.year - (d.month <= 2 ? 1 : 0);
  const int era = (y >= 0 ? y : y - 399) / 400;
  const int yoe = y - era * 400;
  const int doy = (153 * (d.month + (d.month > 2 ? -3 : 9)) + 2) / 5 + d.day - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

Date date_from_days(std::int32_t days) noexcept {
  const int z = days + 719468;
  const int era = (z >= 0 ? z : z - 146096) / 146097;
  const int doe = z - era * 146097;
  const int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int mp = (5 * doy + 2) / 153;
  const int day = doy - (153 * mp + 2) / 5 + 1;
  const int month = mp < 10 ? mp + 3 : mp - 9;
  return {yoe + era * 400 + (month <= 2 ? 1 : 0), month, day};
}

Date add_days(const Date& d, int days) noexcept { return date_from_days(days_since_epoch(d) + days); }

int weekday(const Date& d) noexcept {
  const std::int32_t n = days_since_epoch(d);  // 1970-01-01 was a Thursday (3)
  return static_cast<int>(((n % 7) + 7 + 3) % 7);
}

std::string iso_date(const Date& d) { return fmt::format("{:04}-{:02}-{:02}", d.year, d.month, d.day); }

Date easter_sunday(int year) noexcept {
  const int a = year % 19;
  const int b = year / 100;
  const int c = year % 100;
  const int d = b / 4;
  const int e = b % 4;
  const int f = (b + 8) / 25;
  const int g = (b - f + 1) / 3;
  const int h = (19 * a + b - d - g + 15) % 30;
  const int i = c / 4;
  const int k = c % 4;
  const int l = (32 + 2 * e + 2 * i - h - k) % 7;
  const int m = (a + 11 * h + 22 * l) / 451;
  const int month = (h + l - 7 * m + 114) / 31;
  const int day = (h + l - 7 * m + 114) % 31 + 1;
  return {year, month, day};
}

namespace {

// The first Monday on or after d.
Date monday_on_or_after(const Date& d) noexcept { return add_days(d, (7 - weekday(d)) % 7); }

// The last Monday of the month.
Date last_monday(int year, int month) noexcept {
  const Date next_first = month == 12 ? Date{year + 1, 1, 1} : Date{year, month + 1, 1};
  const Date last = add_days(next_first, -1);
  return add_days(last, -weekday(last));
}

}  // namespace

std::vector<BankHoliday> england_and_wales_bank_holidays(int year) {
  std::vector<BankHoliday> out;
  const Date new_year{year, 1, 1};
  if (weekday(new_year) >= 5) {
    out.push_back({monday_on_or_after(new_year), "New Year's Day (substitute day)"});
  } else {
    out.push_back({new_year, "New Year's Day"});
  }
  const Date easter = easter_sunday(year);
  out.push_back({add_days(easter, -2), "Good Friday"});
  out.push_back({add_days(easter, 1), "Easter Monday"});
  out.push_back({monday_on_or_after({year, 5, 1}), "Early May bank holiday"});
  out.push_back({last_monday(year, 5), "Spring bank holiday"});
  out.push_back({last_monday(year, 8), "Summer bank holiday"});

  const Date christmas{year, 12, 25};
  const Date boxing{year, 12, 26};
  switch (weekday(christmas)) {
    case 4:  // Friday: Boxing Day is a Saturday, substituted on Monday 28th
      out.push_back({christmas, "Christmas Day"});
      out.push_back({{year, 12, 28}, "Boxing Day (substitute day)"});
      break;
    case 5:  // Saturday: both substituted, Monday 27th and Tuesday 28th
      out.push_back({{year, 12, 27}, "Christmas Day (substitute day)"});
      out.push_back({{year, 12, 28}, "Boxing Day (substitute day)"});
      break;
    case 6:  // Sunday: Boxing Day on Monday 26th, Christmas substituted on Tuesday 27th
      out.push_back({boxing, "Boxing Day"});
      out.push_back({{year, 12, 27}, "Christmas Day (substitute day)"});
      break;
    default:
      out.push_back({christmas, "Christmas Day"});
      out.push_back({boxing, "Boxing Day"});
      break;
  }
  return out;
}

}  // namespace bespoke::demo
