#include "core/time.h"

#include <fmt/format.h>

#include <charconv>

namespace bespoke::core {

Timestamp SystemTime::now() const { return std::chrono::floor<std::chrono::seconds>(Clock::now()); }

std::string to_iso8601(Timestamp t) {
  const auto day = std::chrono::floor<std::chrono::days>(t);
  const std::chrono::year_month_day ymd{day};
  const std::chrono::hh_mm_ss hms{t - day};
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", static_cast<int>(ymd.year()),
                     static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()), hms.hours().count(),
                     hms.minutes().count(), hms.seconds().count());
}

std::optional<Timestamp> parse_iso8601(std::string_view s) {
  if (s.size() != 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':' || s[19] != 'Z')
    return std::nullopt;
  auto number = [&](std::size_t pos, std::size_t len, int& out) {
    const char* first = s.data() + pos;
    auto [ptr, ec] = std::from_chars(first, first + len, out);
    return ec == std::errc{} && ptr == first + len;
  };
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, se = 0;
  if (!number(0, 4, y) || !number(5, 2, mo) || !number(8, 2, d) || !number(11, 2, h) || !number(14, 2, mi) ||
      !number(17, 2, se))
    return std::nullopt;
  const std::chrono::year_month_day ymd{std::chrono::year{y}, std::chrono::month{static_cast<unsigned>(mo)},
                                        std::chrono::day{static_cast<unsigned>(d)}};
  if (!ymd.ok() || h > 23 || mi > 59 || se > 59) return std::nullopt;
  return Timestamp{std::chrono::sys_days{ymd}} + std::chrono::hours{h} + std::chrono::minutes{mi} +
         std::chrono::seconds{se};
}

std::optional<Timestamp> parse_rfc3339(std::string_view s) {
  const auto date = parse_iso_date(s.substr(0, std::min<std::size_t>(s.size(), 10)));
  if (!date) return std::nullopt;
  const Timestamp midnight{std::chrono::days{*date}};
  if (s.size() == 10) return midnight;
  if (s.size() < 20 || (s[10] != 'T' && s[10] != 't' && s[10] != ' ')) return std::nullopt;
  const auto clock = parse_clock_minutes(s.substr(11, 8));
  if (!clock) return std::nullopt;
  const int seconds = (s[17] - '0') * 10 + (s[18] - '0');
  std::size_t i = 19;
  if (s[i] == '.') {
    ++i;
    const std::size_t digits = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    if (i == digits) return std::nullopt;
  }
  if (i >= s.size()) return std::nullopt;
  int offset_minutes = 0;
  if (s[i] == 'Z' || s[i] == 'z') {
    ++i;
  } else if (s[i] == '+' || s[i] == '-') {
    const auto offset = parse_clock_minutes(s.substr(i + 1, 5));
    if (!offset || s.size() - i - 1 < 5) return std::nullopt;
    offset_minutes = s[i] == '+' ? *offset : -*offset;
    i += 6;
  } else {
    return std::nullopt;
  }
  if (i != s.size()) return std::nullopt;
  return midnight + std::chrono::minutes{*clock - offset_minutes} + std::chrono::seconds{seconds};
}

namespace {

// 01:00 UTC on the last Sunday of `month` in `year`.
Timestamp last_sunday_1am_utc(int year, unsigned month) {
  using namespace std::chrono;
  const sys_days last{year_month_day_last{std::chrono::year{year}, month_day_last{std::chrono::month{month}}}};
  const auto back = (weekday{last} - Sunday).count();  // days since the Sunday before (0 if it is one)
  return Timestamp{last - days{back}} + hours{1};
}

}  // namespace

UkLocalTime to_uk_local(Timestamp t) noexcept {
  using namespace std::chrono;
  const int year = static_cast<int>(year_month_day{floor<days>(t)}.year());
  const bool summer = t >= last_sunday_1am_utc(year, 3) && t < last_sunday_1am_utc(year, 10);
  const auto local = t + hours{summer ? 1 : 0};
  const auto day = floor<days>(local);
  return {static_cast<std::int32_t>(day.time_since_epoch().count()),
          static_cast<std::int32_t>(duration_cast<minutes>(local - day).count())};
}

std::optional<std::int32_t> parse_iso_date(std::string_view s) noexcept {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
  int y = 0;
  unsigned mo = 0, d = 0;
  auto ok = [&](std::size_t pos, std::size_t len, auto& out) {
    const char* first = s.data() + pos;
    auto [ptr, ec] = std::from_chars(first, first + len, out);
    return ec == std::errc{} && ptr == first + len;
  };
  if (!ok(0, 4, y) || !ok(5, 2, mo) || !ok(8, 2, d)) return std::nullopt;
  const std::chrono::year_month_day ymd{std::chrono::year{y}, std::chrono::month{mo}, std::chrono::day{d}};
  if (!ymd.ok()) return std::nullopt;
  return static_cast<std::int32_t>(std::chrono::sys_days{ymd}.time_since_epoch().count());
}

std::optional<std::int32_t> parse_clock_minutes(std::string_view s) noexcept {
  if ((s.size() != 5 && s.size() != 8) || s[2] != ':' || (s.size() == 8 && s[5] != ':')) return std::nullopt;
  auto two = [&](std::size_t pos) -> int {
    const char a = s[pos], b = s[pos + 1];
    if (a < '0' || a > '9' || b < '0' || b > '9') return -1;
    return (a - '0') * 10 + (b - '0');
  };
  const int h = two(0), m = two(3), sec = s.size() == 8 ? two(6) : 0;
  if (h < 0 || h > 23 || m < 0 || m > 59 || sec < 0 || sec > 59) return std::nullopt;
  return h * 60 + m;
}

}  // namespace bespoke::core
