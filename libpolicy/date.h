#pragma once
// Calendar dates in 0001-01-01 .. 9999-12-31 (proleptic Gregorian), as a day number.
// Trivially copyable; ordered naturally.
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace policy {

struct YearMonthDay {
  int year;
  int month;  // 1..12
  int day;    // 1..31
};

class Date {
 public:
  constexpr Date() = default;
  // nullopt unless it names a real day within 0001..9999. Inline, as ParseIso.
  static std::optional<Date> FromYmd(int year, int month, int day) {
    if (year < 1 || year > 9999 || month < 1 || month > 12 || day < 1) return std::nullopt;
    const bool leap = IsLeapYear(year);
    const int last = kMonthDays[month - 1] + (month == 2 && leap ? 1 : 0);
    if (day > last) return std::nullopt;
    const int before = year - 1;  // whole years since 0001-01-01
    return Date(before * 365 + before / 4 - before / 100 + before / 400 +
                kDaysBeforeMonth[month - 1] + (month > 2 && leap ? 1 : 0) + day - 1);
  }
  // Exactly `YYYY-MM-DD` naming a real day (no trimming; callers normalise first).
  // Inline: schema typing calls it for every date cell.
  static std::optional<Date> ParseIso(std::string_view text) {
    if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
    const auto* u = reinterpret_cast<const unsigned char*>(text.data());
    // (c - '0') | ('9' - c) is negative exactly when c is not a digit: one test
    // for all eight instead of a branch each.
    int bad = 0;
    for (int i : {0, 1, 2, 3, 5, 6, 8, 9}) bad |= (u[i] - '0') | ('9' - u[i]);
    if (bad < 0) return std::nullopt;
    auto digit = [u](int i) { return u[i] - '0'; };
    return FromYmd(digit(0) * 1000 + digit(1) * 100 + digit(2) * 10 + digit(3),
                   digit(5) * 10 + digit(6), digit(8) * 10 + digit(9));
  }
  // `pattern` is made of YYYY, MM, DD and literal separators ("DD/MM/YYYY").
  // Returns nullopt when the text does not follow it or names no real day.
  static std::optional<Date> Parse(std::string_view text, std::string_view pattern);
  // True when `pattern` holds YYYY, MM and DD once each, separated by non-letters.
  static bool IsValidPattern(std::string_view pattern);

  YearMonthDay ToYmd() const;
  std::string ToString() const;           // YYYY-MM-DD
  int32_t days() const { return days_; }  // days since 0001-01-01
  // nullopt when the result leaves 0001..9999.
  std::optional<Date> AddDays(int64_t n) const;

  friend constexpr auto operator<=>(const Date&, const Date&) = default;

 private:
  static constexpr int kMonthDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  static constexpr int kDaysBeforeMonth[12] = {0,   31,  59,  90,  120, 151,
                                               181, 212, 243, 273, 304, 334};
  static constexpr bool IsLeapYear(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

  explicit constexpr Date(int32_t days) : days_(days) {}
  int32_t days_ = 0;
};

}  // namespace policy
