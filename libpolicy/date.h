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
  // nullopt unless it names a real day within 0001..9999.
  static std::optional<Date> FromYmd(int year, int month, int day);
  // Exactly `YYYY-MM-DD` naming a real day (no trimming; callers normalise first).
  static std::optional<Date> ParseIso(std::string_view text);
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
  explicit constexpr Date(int32_t days) : days_(days) {}
  int32_t days_ = 0;
};

}  // namespace policy
