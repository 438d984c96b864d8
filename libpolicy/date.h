#pragma once
// Calendar dates in 0001-01-01 .. 9999-12-31 (proleptic Gregorian), as a day number.
// Trivially copyable; ordered naturally.
#include <compare>
#include <cstdint>
#include <cstring>
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
    if (text.size() != 10) return std::nullopt;
    // "YYYY-MM-" as one little-endian word and "DD" as another: the eight digits
    // and two dashes checked, and the digits combined in pairs, a few word
    // operations each instead of a load, test and multiply per character.
    uint64_t w;
    uint16_t d;
    std::memcpy(&w, text.data(), 8);
    std::memcpy(&d, text.data() + 8, 2);
    constexpr uint64_t kDashes = 0xFF0000FF00000000;  // bytes 4 and 7
    if ((w & kDashes) != 0x2D00002D00000000) return std::nullopt;
    // ^ '0' makes a digit its value and anything else a byte above 9.
    const uint64_t x = (w ^ 0x3030303030303030) & ~kDashes;
    const uint64_t y = static_cast<uint64_t>(d ^ 0x3030u);
    constexpr uint64_t kHigh = 0x8080808080808080;
    if (((((x + 0x7676767676767676) | x) & kHigh) | (((y + 0x7676) | y) & 0x8080)) != 0)
      return std::nullopt;
    // Byte k becomes 10 * digit k + digit k+1 (at most 99: no carries).
    const uint64_t pairs = x * 10 + (x >> 8);
    const int year = static_cast<int>(pairs & 0xFF) * 100 + static_cast<int>((pairs >> 16) & 0xFF);
    const int month = static_cast<int>((pairs >> 40) & 0xFF);
    const int day = static_cast<int>(y & 0xFF) * 10 + static_cast<int>(y >> 8);
    return FromYmd(year, month, day);
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
