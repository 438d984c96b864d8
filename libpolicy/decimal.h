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
  // (a negative scale is normalised into the coefficient when it fits).
  static std::optional<Decimal> Parse(std::string_view text);
  // Parse's reading of plain money text ([+-], 1 to 18 digits, one '.'), inline
  // for the record pipeline; false for anything else (Parse decides those).
  static bool ParsePlain(std::string_view s, Decimal* out) {
    std::size_t i = 0;
    bool negative = false;
    if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
      negative = s[0] == '-';
      i = 1;
    }
    if (i >= s.size() || s.size() - i > 19) return false;
    uint64_t v = 0;
    int digits = 0;
    int scale = -1;
    for (; i < s.size(); ++i) {
      const char c = s[i];
      if (c >= '0' && c <= '9') {
        v = v * 10 + static_cast<uint64_t>(c - '0');
        ++digits;
        if (scale >= 0) ++scale;
      } else if (c == '.' && scale < 0) {
        scale = 0;
      } else {
        return false;
      }
    }
    if (digits == 0 || digits > 18) return false;
    const auto coefficient = static_cast<Int128>(v);
    *out = Decimal(negative ? -coefficient : coefficient, scale < 0 ? 0 : scale);
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
  Int128 coef_ = 0;
  int8_t scale_ = 0;
};

}  // namespace policy
