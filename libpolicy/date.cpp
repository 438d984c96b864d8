#include "libpolicy/date.h"

namespace policy {
namespace {

constexpr int kMaxYear = 9999;

YearMonthDay CivilFromDays(int32_t days) {
  const int z = days + 306;
  const int era = z / 146097;
  const int doe = z - era * 146097;
  const int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int mp = (5 * doy + 2) / 153;
  const int d = doy - (153 * mp + 2) / 5 + 1;
  const int m = mp < 10 ? mp + 3 : mp - 9;
  const int y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return {y, m, d};
}

const int32_t kMaxDays = Date::FromYmd(kMaxYear, 12, 31)->days();

bool IsAsciiLetter(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }

// Reads exactly `width` ASCII digits.
bool ReadDigits(std::string_view text, std::size_t pos, std::size_t width, int* out) {
  if (pos + width > text.size()) return false;
  int v = 0;
  for (std::size_t i = 0; i < width; ++i) {
    char c = text[pos + i];
    if (c < '0' || c > '9') return false;
    v = v * 10 + (c - '0');
  }
  *out = v;
  return true;
}

}  // namespace

bool Date::IsValidPattern(std::string_view pattern) {
  int years = 0, months = 0, days = 0;
  for (std::size_t i = 0; i < pattern.size();) {
    std::string_view rest = pattern.substr(i);
    if (rest.starts_with("YYYY")) {
      ++years;
      i += 4;
    } else if (rest.starts_with("MM")) {
      ++months;
      i += 2;
    } else if (rest.starts_with("DD")) {
      ++days;
      i += 2;
    } else if (IsAsciiLetter(pattern[i])) {
      return false;
    } else {
      ++i;
    }
  }
  return years == 1 && months == 1 && days == 1;
}

std::optional<Date> Date::Parse(std::string_view text, std::string_view pattern) {
  if (!IsValidPattern(pattern)) return std::nullopt;
  int year = 0, month = 0, day = 0;
  std::size_t t = 0;
  for (std::size_t p = 0; p < pattern.size();) {
    std::string_view rest = pattern.substr(p);
    if (rest.starts_with("YYYY")) {
      if (!ReadDigits(text, t, 4, &year)) return std::nullopt;
      t += 4;
      p += 4;
    } else if (rest.starts_with("MM") || rest.starts_with("DD")) {
      if (!ReadDigits(text, t, 2, rest[0] == 'M' ? &month : &day)) return std::nullopt;
      t += 2;
      p += 2;
    } else {
      if (t >= text.size() || text[t] != pattern[p]) return std::nullopt;
      ++t;
      ++p;
    }
  }
  if (t != text.size()) return std::nullopt;
  return FromYmd(year, month, day);
}

YearMonthDay Date::ToYmd() const { return CivilFromDays(days_); }

std::string Date::ToString() const {
  YearMonthDay ymd = ToYmd();
  char buf[11];
  buf[0] = static_cast<char>('0' + ymd.year / 1000);
  buf[1] = static_cast<char>('0' + ymd.year / 100 % 10);
  buf[2] = static_cast<char>('0' + ymd.year / 10 % 10);
  buf[3] = static_cast<char>('0' + ymd.year % 10);
  buf[4] = '-';
  buf[5] = static_cast<char>('0' + ymd.month / 10);
  buf[6] = static_cast<char>('0' + ymd.month % 10);
  buf[7] = '-';
  buf[8] = static_cast<char>('0' + ymd.day / 10);
  buf[9] = static_cast<char>('0' + ymd.day % 10);
  return std::string(buf, 10);
}

std::optional<Date> Date::AddDays(int64_t n) const {
  // Bound n first so the sum cannot overflow.
  if (n > kMaxDays || n < -kMaxDays) return std::nullopt;
  const int64_t r = static_cast<int64_t>(days_) + n;
  if (r < 0 || r > kMaxDays) return std::nullopt;
  return Date(static_cast<int32_t>(r));
}

}  // namespace policy
