#pragma once
// Exact decimal numbers: a signed 128-bit coefficient and a scale of 0..38,
// value = coefficient / 10^scale. Never goes through double.
//
// Contract (LANGUAGE.md section 4): at most 38 significant digits; `+`/`-` keep
// the larger scale, `*` adds the scales, `/` is exact when the quotient fits and
// is otherwise rounded half-even to 28 significant digits, `%` truncates with
// the dividend's sign. Equality and ordering are by value (1.50 == 1.5).
// Trivially copyable, no heap.
#include <compare>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>

namespace policy {

// GCC's -Wpedantic rejects a bare __int128; __extension__ states that we mean it.
__extension__ using Int128 = __int128;

enum class DecimalStatus : uint8_t { kOk, kOverflow, kDivisionByZero, kInvalid };

enum class Rounding : uint8_t { kHalfAwayFromZero, kHalfEven };

class Decimal {
 public:
  static constexpr int kMaxDigits = 38;
  static constexpr int kMaxScale = 38;
  static constexpr int kDivisionDigits = 28;

  constexpr Decimal() = default;
  static Decimal FromInt(int64_t v) { return Decimal(static_cast<Int128>(v), 0); }
  // Internal: `coefficient` must have at most 38 digits, 0 <= scale <= 38.
  static constexpr Decimal FromParts(Int128 coefficient, int scale) {
    return Decimal(coefficient, scale);
  }

  // Parses `[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?` exactly, keeping the
  // written scale ("1.50" has scale 2). Returns nullopt for anything else, for more
  // than 38 significant digits, or for a scale outside 0..38 after the exponent
  // (a negative scale is normalised into the coefficient when it fits; trailing
  // fractional zeros are dropped when the written form would not fit, so the
  // value is always exact: tests/exactness/test_decimal.py).
  static std::optional<Decimal> Parse(std::string_view text);
  // Parse's reading of plain money text ([+-], 1 to 18 digits, one '.'), inline
  // for the record pipeline; false for anything else (Parse decides those).
  static bool ParsePlain(std::string_view s, Decimal* out) {
    const char* p = s.data();
    std::size_t n = s.size();
    bool negative = false;
    if (n != 0 && (p[0] == '-' || p[0] == '+')) {
      negative = p[0] == '-';
      ++p;
      --n;
    }
    if (n == 0 || n > 19) return false;
    uint64_t v = 0;
    int scale = 0;
    if (n <= 8 ? !ReadShortPlain(p, n, &v, &scale) : !ReadLongPlain(p, n, &v, &scale)) return false;
    // At most 18 digits: the signed value fits 64 bits, and widening it there
    // keeps the 128-bit coefficient in registers.
    const auto coefficient = static_cast<int64_t>(v);
    *out = Decimal(static_cast<Int128>(negative ? -coefficient : coefficient), scale);
    return true;
  }

  // Plain notation with the scale: "15.00", "-0.3", "1000". Never exponents.
  std::string ToString() const;
  // ToString() into `out`, which has room for kMaxFormatted bytes; returns the length.
  static constexpr int kMaxFormatted = 48;
  int Format(char* out) const;
  // Canonical text: trailing fractional zeros removed ("1.50" -> "1.5", "2.0" -> "2").
  std::string ToCanonicalString() const;

  Int128 coefficient() const { return coef_; }
  int scale() const { return scale_; }
  bool IsZero() const { return coef_ == 0; }
  bool IsNegative() const { return coef_ < 0; }
  bool IsInteger() const;                  // no fractional part (by value)
  std::optional<int64_t> ToInt64() const;  // when IsInteger() and it fits

  // Arithmetic. On error *out is unchanged and the status says why.
  static DecimalStatus Add(const Decimal& a, const Decimal& b, Decimal* out);
  static DecimalStatus Sub(const Decimal& a, const Decimal& b, Decimal* out);
  static DecimalStatus Mul(const Decimal& a, const Decimal& b, Decimal* out);
  static DecimalStatus Div(const Decimal& a, const Decimal& b, Decimal* out);
  static DecimalStatus Mod(const Decimal& a, const Decimal& b, Decimal* out);
  Decimal Negate() const { return Decimal(-coef_, scale_); }
  Decimal Abs() const { return coef_ < 0 ? Negate() : *this; }

  // Rounds to `digits` fractional digits (-38..38); the result has scale max(digits, 0).
  DecimalStatus Round(int digits, Rounding mode, Decimal* out) const;

  friend std::strong_ordering operator<=>(const Decimal& a, const Decimal& b);
  friend bool operator==(const Decimal& a, const Decimal& b) { return (a <=> b) == 0; }

 private:
  constexpr Decimal(Int128 c, int s) : coef_(c), scale_(static_cast<int8_t>(s)) {}

  // ParsePlain's digits and point, p[0, n) with 1 <= n <= 8: the whole text in
  // one 64-bit word, checked and converted without a branch per character
  // (money amounts are nearly all this short).
  static bool ReadShortPlain(const char* p, std::size_t n, uint64_t* value, int* scale) {
    uint64_t w;
    if (n >= 4) {
      // Two overlapping 4-byte loads; the shared bytes are equal, so OR joins them.
      uint32_t lo, hi;
      std::memcpy(&lo, p, 4);
      std::memcpy(&hi, p + n - 4, 4);
      w = lo | (static_cast<uint64_t>(hi) << (8 * (n - 4)));
    } else {
      w = static_cast<uint64_t>(static_cast<unsigned char>(p[0])) |
          static_cast<uint64_t>(static_cast<unsigned char>(p[n / 2])) << (8 * (n / 2)) |
          static_cast<uint64_t>(static_cast<unsigned char>(p[n - 1])) << (8 * (n - 1));
    }
    constexpr uint64_t kOnes = 0x0101010101010101;
    constexpr uint64_t kHigh = 0x8080808080808080;
    // Byte k of the word is character k (little-endian). Right-aligned, with
    // leading '0' bytes, it is eight characters whose first is the most
    // significant; ^ '0' turns the digits into their values and '.' into 0x1E.
    uint64_t x = (w << (8 * (8 - n))) ^ (0x30 * kOnes);
    x &= ~uint64_t{0} << (8 * (8 - n));  // the leading '0's are value 0
    const uint64_t y = x ^ (0x1E * kOnes);
    const uint64_t points = ~(((y & ~kHigh) + ~kHigh) | y) & kHigh;  // exact per byte
    if ((points & (points - 1)) != 0 || (points != 0 && n == 1)) return false;
    *scale = 0;
    if (points != 0) {
      // Drop the point: the characters before it move one byte up.
      const int k = __builtin_ctzll(points) >> 3;
      const uint64_t below = (uint64_t{1} << (8 * k)) - 1;
      const uint64_t above = ~below << 8;
      x = (x & above) | ((x & below) << 8);
      *scale = 7 - k;
    }
    if ((((x + 0x76 * kOnes) | x) & kHigh) != 0) return false;  // a byte above 9
    x = (x * 10 + (x >> 8)) & 0x00FF00FF00FF00FF;
    x = (x * 100 + (x >> 16)) & 0x0000FFFF0000FFFF;
    *value = (x * 10000 + (x >> 32)) & 0xFFFFFFFF;
    return true;
  }

  // ParsePlain's digits and point, p[0, n) with 9 <= n <= 19.
  static bool ReadLongPlain(const char* p, std::size_t n, uint64_t* value, int* scale) {
    uint64_t v = 0;
    std::size_t point = n;
    for (std::size_t i = 0; i < n; ++i) {
      const unsigned d = static_cast<unsigned char>(p[i]) - unsigned{'0'};
      if (d <= 9) {
        v = v * 10 + d;
      } else if (p[i] == '.' && point == n) {
        point = i;
      } else {
        return false;
      }
    }
    const std::size_t digits = point == n ? n : n - 1;
    if (digits > 18) return false;
    *value = v;
    *scale = point == n ? 0 : static_cast<int>(n - 1 - point);
    return true;
  }
  Int128 coef_ = 0;
  int8_t scale_ = 0;
};

}  // namespace policy
