#include "libpolicy/decimal.h"

#include <array>
#include <cstdint>

namespace policy {
namespace {

__extension__ typedef __int128 I128;
__extension__ typedef unsigned __int128 U128;

constexpr std::array<U128, 39> MakePowers() {
  std::array<U128, 39> p{};
  p[0] = 1;
  for (int i = 1; i < 39; ++i) p[i] = p[i - 1] * 10;
  return p;
}
constexpr std::array<U128, 39> kPow10 = MakePowers();
constexpr U128 kLimit = kPow10[38];  // coefficients stay below 10^38

U128 Magnitude(I128 v) {
  return v < 0 ? static_cast<U128>(0) - static_cast<U128>(v) : static_cast<U128>(v);
}

int DigitCount(U128 v) {
  int n = 1;
  while (n < 39 && v >= kPow10[n]) ++n;
  return n;
}

// An unsigned 256-bit integer: wide enough for any product of two coefficients
// and for any coefficient aligned to scale 38, so intermediate results are exact.
struct U256 {
  // Little-endian 64-bit limbs.
  std::array<uint64_t, 4> limb{};

  static U256 From(U128 v) {
    U256 r;
    r.limb[0] = static_cast<uint64_t>(v);
    r.limb[1] = static_cast<uint64_t>(v >> 64);
    return r;
  }
  bool FitsU128() const { return limb[2] == 0 && limb[3] == 0; }
  U128 Low() const { return (static_cast<U128>(limb[1]) << 64) | limb[0]; }
  bool IsZero() const { return (limb[0] | limb[1] | limb[2] | limb[3]) == 0; }

  // Divides in place by a small divisor, returning the remainder.
  uint64_t DivSmall(uint64_t d) {
    U128 rem = 0;
    for (int i = 3; i >= 0; --i) {
      U128 cur = (rem << 64) | limb[i];
      limb[i] = static_cast<uint64_t>(cur / d);
      rem = cur % d;
    }
    return static_cast<uint64_t>(rem);
  }
  // Multiplies in place by a small factor; returns false on overflow.
  bool MulSmall(uint64_t m) {
    U128 carry = 0;
    for (auto& l : limb) {
      U128 cur = static_cast<U128>(l) * m + carry;
      l = static_cast<uint64_t>(cur);
      carry = cur >> 64;
    }
    return carry == 0;
  }
  void AddSmall(uint64_t v) {
    U128 carry = v;
    for (auto& l : limb) {
      U128 cur = static_cast<U128>(l) + carry;
      l = static_cast<uint64_t>(cur);
      carry = cur >> 64;
      if (carry == 0) break;
    }
  }
};

int Compare(const U256& a, const U256& b) {
  for (int i = 3; i >= 0; --i) {
    if (a.limb[i] != b.limb[i]) return a.limb[i] < b.limb[i] ? -1 : 1;
  }
  return 0;
}

U256 Add(const U256& a, const U256& b) {
  U256 r;
  U128 carry = 0;
  for (int i = 0; i < 4; ++i) {
    U128 cur = static_cast<U128>(a.limb[i]) + b.limb[i] + carry;
    r.limb[i] = static_cast<uint64_t>(cur);
    carry = cur >> 64;
  }
  return r;
}

// a - b for a >= b.
U256 Sub(const U256& a, const U256& b) {
  U256 r;
  uint64_t borrow = 0;
  for (int i = 0; i < 4; ++i) {
    uint64_t x = a.limb[i];
    uint64_t y = b.limb[i];
    uint64_t d = x - y - borrow;
    borrow = (x < y || (x == y && borrow)) ? 1 : 0;
    r.limb[i] = d;
  }
  return r;
}

U256 Mul(U128 a, U128 b) {
  uint64_t a_lo = static_cast<uint64_t>(a), a_hi = static_cast<uint64_t>(a >> 64);
  uint64_t b_lo = static_cast<uint64_t>(b), b_hi = static_cast<uint64_t>(b >> 64);
  U256 r;
  auto add_at = [&r](int pos, U128 v) {
    for (int i = pos; i < 4 && v != 0; ++i) {
      U128 cur = static_cast<U128>(r.limb[i]) + static_cast<uint64_t>(v);
      r.limb[i] = static_cast<uint64_t>(cur);
      v = (v >> 64) + (cur >> 64);
    }
  };
  add_at(0, static_cast<U128>(a_lo) * b_lo);
  add_at(1, static_cast<U128>(a_lo) * b_hi);
  add_at(1, static_cast<U128>(a_hi) * b_lo);
  add_at(2, static_cast<U128>(a_hi) * b_hi);
  return r;
}

// `v` times 10^k (k <= 38): always fits, since v < 10^38 < 2^127.
U256 Scaled(U128 v, int k) { return Mul(v, kPow10[k]); }

// Turns an exact magnitude and scale (scale may exceed 38, the magnitude may have
// more than 38 digits) into a Decimal. `+`, `-` and `*` are exact (LANGUAGE.md
// section 4): trailing fractional zeros may go, but a result that would lose a
// non-zero digit to fit 38 digits or scale 38 is an overflow, never rounded.
DecimalStatus Normalize(U256 mag, int scale, bool negative, Decimal* out) {
  const U256 limit = U256::From(kLimit);
  while (scale > 0 && (scale > Decimal::kMaxScale || Compare(mag, limit) >= 0)) {
    if (mag.DivSmall(10) != 0) return DecimalStatus::kOverflow;
    --scale;
  }
  if (Compare(mag, limit) >= 0) return DecimalStatus::kOverflow;
  I128 coef = static_cast<I128>(mag.Low());
  *out = Decimal::FromParts(negative ? -coef : coef, scale);
  return DecimalStatus::kOk;
}

// a + b with signs, on aligned magnitudes.
DecimalStatus AddSigned(const Decimal& a, const Decimal& b, Decimal* out) {
  int scale = a.scale() > b.scale() ? a.scale() : b.scale();
  U256 ma = Scaled(Magnitude(a.coefficient()), scale - a.scale());
  U256 mb = Scaled(Magnitude(b.coefficient()), scale - b.scale());
  bool na = a.IsNegative();
  bool nb = b.IsNegative();
  if (na == nb) return Normalize(Add(ma, mb), scale, na, out);
  int c = Compare(ma, mb);
  if (c == 0) {
    *out = Decimal::FromParts(0, scale);
    return DecimalStatus::kOk;
  }
  if (c > 0) return Normalize(Sub(ma, mb), scale, na, out);
  return Normalize(Sub(mb, ma), scale, nb, out);
}

// (r * 10) mod m without overflow, for r < m < 2^127.
U128 MulTenMod(U128 r, U128 m, int* digit) {
  U128 acc = 0;
  int q = 0;
  for (int i = 0; i < 10; ++i) {
    acc += r;
    if (acc >= m) {
      acc -= m;
      ++q;
    }
  }
  if (digit != nullptr) *digit = q;
  return acc;
}

// Money-sized coefficients (|c| <= 10^18) aligned by at most 18 digits stay
// below 10^36 < 10^38: the exact result needs none of the 256-bit machinery.
constexpr I128 kSmall = static_cast<I128>(1000000000000000000LL);
bool Small(I128 c) { return c <= kSmall && c >= -kSmall; }

// The coefficient as a 64-bit integer, when it is one (amounts nearly always):
// 64-bit arithmetic with an overflow flag is several times cheaper than 128-bit.
bool Fits64(I128 c, int64_t* out) {
  *out = static_cast<int64_t>(c);
  return static_cast<I128>(*out) == c;
}

// k when d is 10^k (1 <= k <= 18), else 0.
int PowerOfTenExponent(int64_t d) {
  // p reaches 10^18 at most: one more step would overflow int64_t (UBSan found it).
  int64_t p = 1;
  for (int k = 1; k <= 18; ++k) {
    p *= 10;
    if (p > d) return 0;
    if (p == d) return k;
  }
  return 0;
}

}  // namespace

std::optional<Decimal> Decimal::Parse(std::string_view text) {
  if (Decimal plain; ParsePlain(text, &plain)) return plain;  // money as it is written
  std::size_t i = 0;
  const std::size_t n = text.size();
  bool negative = false;
  if (i < n && (text[i] == '+' || text[i] == '-')) {
    negative = text[i] == '-';
    ++i;
  }
  U128 coef = 0;
  int sig = 0;          // significant digits in coef
  int64_t pending = 0;  // zeros seen after the last nonzero significant digit
  int64_t frac_len = 0;
  std::size_t mantissa_digits = 0;
  bool seen_point = false;
  for (; i < n; ++i) {
    char c = text[i];
    if (c == '.') {
      if (seen_point) return std::nullopt;
      seen_point = true;
      continue;
    }
    if (c < '0' || c > '9') break;
    ++mantissa_digits;
    if (seen_point) ++frac_len;
    if (c == '0') {
      if (coef != 0) ++pending;  // leading zeros are not significant
      continue;
    }
    if (sig + pending + 1 > kMaxDigits) return std::nullopt;
    // Every digit appended to a non-zero coefficient adds one significant digit.
    for (; pending > 0; --pending) {
      coef *= 10;
      ++sig;
    }
    coef = coef * 10 + static_cast<unsigned>(c - '0');
    ++sig;
  }
  if (mantissa_digits == 0) return std::nullopt;
  int64_t exponent = 0;
  if (i < n && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    bool exp_negative = false;
    if (i < n && (text[i] == '+' || text[i] == '-')) {
      exp_negative = text[i] == '-';
      ++i;
    }
    std::size_t exp_digits = 0;
    for (; i < n && text[i] >= '0' && text[i] <= '9'; ++i, ++exp_digits) {
      // Saturate: anything this large is out of range whatever the mantissa.
      if (exponent < 1000000) exponent = exponent * 10 + (text[i] - '0');
    }
    if (exp_digits == 0) return std::nullopt;
    if (exp_negative) exponent = -exponent;
  }
  if (i != n) return std::nullopt;

  const int64_t written_scale = frac_len - exponent;
  if (coef == 0) {
    int64_t s = written_scale < 0 ? 0 : (written_scale > kMaxScale ? kMaxScale : written_scale);
    return Decimal(0, static_cast<int>(s));
  }
  // The value is coef * 10^(pending - written_scale). Keep the written scale when
  // it fits; otherwise drop trailing zeros, which is exact.
  int64_t scale = written_scale < 0 ? 0 : written_scale;
  if (scale > kMaxScale) scale = kMaxScale;
  int64_t room = kMaxDigits - sig - pending + written_scale;
  if (scale > room) scale = room;
  int64_t lowest = written_scale - pending;
  if (scale < 0 || scale < lowest) return std::nullopt;
  int64_t zeros = pending + scale - written_scale;  // 0 <= zeros, sig + zeros <= 38
  for (int64_t z = 0; z < zeros; ++z) coef *= 10;
  I128 c = static_cast<I128>(coef);
  return Decimal(negative ? -c : c, static_cast<int>(scale));
}

int Decimal::Format(char* out) const {
  U128 mag = Magnitude(coef_);
  char buf[48];
  int len = 0;
  // 128-bit division is a library call per digit: most amounts fit 64 bits.
  if (mag <= UINT64_MAX) {
    uint64_t small = static_cast<uint64_t>(mag);
    do {
      buf[len++] = static_cast<char>('0' + static_cast<int>(small % 10));
      small /= 10;
    } while (small != 0);
  } else {
    do {
      buf[len++] = static_cast<char>('0' + static_cast<int>(mag % 10));
      mag /= 10;
    } while (mag != 0);
  }
  while (len < scale_ + 1) buf[len++] = '0';
  int n = 0;
  if (coef_ < 0) out[n++] = '-';
  for (int i = len - 1; i >= 0; --i) {
    out[n++] = buf[i];
    if (i == scale_ && i != 0) out[n++] = '.';
  }
  return n;
}

std::string Decimal::ToString() const {
  char buf[kMaxFormatted];
  return std::string(buf, static_cast<std::size_t>(Format(buf)));
}

std::string Decimal::ToCanonicalString() const {
  std::string s = ToString();
  if (scale_ == 0) return s;
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  return s;
}

bool Decimal::IsInteger() const { return scale_ == 0 || Magnitude(coef_) % kPow10[scale_] == 0; }

std::optional<int64_t> Decimal::ToInt64() const {
  if (scale_ == 0 && coef_ <= INT64_MAX && coef_ >= INT64_MIN) return static_cast<int64_t>(coef_);
  if (!IsInteger()) return std::nullopt;
  I128 v = coef_ / static_cast<I128>(kPow10[scale_]);
  if (v > INT64_MAX || v < INT64_MIN) return std::nullopt;
  return static_cast<int64_t>(v);
}

DecimalStatus Decimal::Add(const Decimal& a, const Decimal& b, Decimal* out) {
  int64_t x, y, sum;
  if (a.scale_ == b.scale_ && Fits64(a.coef_, &x) && Fits64(b.coef_, &y) &&
      !__builtin_add_overflow(x, y, &sum)) {
    *out = Decimal(sum, a.scale_);
    return DecimalStatus::kOk;
  }
  const int scale = a.scale_ > b.scale_ ? a.scale_ : b.scale_;
  if (Small(a.coef_) && Small(b.coef_) && scale - a.scale_ <= 18 && scale - b.scale_ <= 18) {
    *out = Decimal(a.coef_ * static_cast<I128>(kPow10[scale - a.scale_]) +
                       b.coef_ * static_cast<I128>(kPow10[scale - b.scale_]),
                   scale);
    return DecimalStatus::kOk;
  }
  return AddSigned(a, b, out);
}

DecimalStatus Decimal::Sub(const Decimal& a, const Decimal& b, Decimal* out) {
  // Coefficients stay below 10^38 in magnitude: negating one is exact.
  return Add(a, b.Negate(), out);
}

DecimalStatus Decimal::Mul(const Decimal& a, const Decimal& b, Decimal* out) {
  int64_t x, y, small_product;
  if (a.scale_ + b.scale_ <= kMaxScale && Fits64(a.coef_, &x) && Fits64(b.coef_, &y) &&
      !__builtin_mul_overflow(x, y, &small_product)) {
    *out = Decimal(small_product, a.scale_ + b.scale_);
    return DecimalStatus::kOk;
  }
  // Both below 10^18: the product is below 10^36, exact at the summed scale.
  if (Small(a.coef_) && Small(b.coef_) && a.scale_ + b.scale_ <= kMaxScale) {
    *out = Decimal(a.coef_ * b.coef_, a.scale_ + b.scale_);
    return DecimalStatus::kOk;
  }
  U256 product = ::policy::Mul(Magnitude(a.coef_), Magnitude(b.coef_));
  bool negative = (a.coef_ < 0) != (b.coef_ < 0) && !product.IsZero();
  return Normalize(product, a.scale_ + b.scale_, negative, out);
}

DecimalStatus Decimal::Div(const Decimal& a, const Decimal& b, Decimal* out) {
  if (b.coef_ == 0) return DecimalStatus::kDivisionByZero;
  const bool negative = (a.coef_ < 0) != (b.coef_ < 0);
  const int preferred = a.scale_ > b.scale_ ? a.scale_ - b.scale_ : 0;
  if (a.coef_ == 0) {
    *out = Decimal(0, preferred);
    return DecimalStatus::kOk;
  }
  // x / 100 for percentages, in 64 bits: the point moves, then the trailing
  // zeros beyond the preferred scale go (as in the general case below).
  int64_t x, y;
  if (b.scale_ == 0 && Fits64(a.coef_, &x) && Fits64(b.coef_, &y) && y > 0 && x != INT64_MIN) {
    if (const int k = PowerOfTenExponent(y); k != 0 && a.scale_ + k <= kMaxScale) {
      uint64_t mag = static_cast<uint64_t>(x < 0 ? -x : x);
      int scale = a.scale_ + k;
      while (scale > preferred && mag % 10 == 0) {
        mag /= 10;
        --scale;
      }
      const auto coefficient = static_cast<int64_t>(mag);
      *out = Decimal(x < 0 ? -coefficient : coefficient, scale);
      return DecimalStatus::kOk;
    }
  }
  const U128 divisor = Magnitude(b.coef_);
  // Dividing by a power of ten (x / 100 for percentages) only moves the point.
  for (int k = 0; k <= kMaxDigits && kPow10[k] <= divisor; ++k) {
    if (kPow10[k] != divisor) continue;
    int scale = a.scale_ + k - b.scale_;
    U128 mag = Magnitude(a.coef_);
    if (scale < 0) break;  // the general path widens the coefficient
    while (scale > preferred &&
           (mag <= UINT64_MAX ? static_cast<uint64_t>(mag) % 10 == 0 : mag % 10 == 0)) {
      mag /= 10;
      --scale;
    }
    if (scale > kMaxScale) break;  // the general path rounds
    *out = Decimal(negative ? -static_cast<I128>(mag) : static_cast<I128>(mag), scale);
    return DecimalStatus::kOk;
  }
  // The quotient is (A / B) * 10^shift. Its digits come from long division of
  // A by B: the integer part, then fractional digits one at a time.
  const int shift = b.scale_ - a.scale_;
  U128 q0 = Magnitude(a.coef_) / divisor;
  U128 rem = Magnitude(a.coef_) % divisor;
  std::array<int8_t, 160> digits{};
  int len = 0;
  int first_sig = -1;
  if (q0 != 0) {
    char tmp[40];
    int t = 0;
    for (U128 v = q0; v != 0; v /= 10) tmp[t++] = static_cast<char>(v % 10);
    while (t > 0) digits[len++] = static_cast<int8_t>(tmp[--t]);
    first_sig = 0;
  }
  const int int_len = len;            // digits before the point of A / B
  const int point = int_len + shift;  // digits before the point of the quotient
  // Enough digits to round at 28 significant digits or at scale 38 (plus a
  // guard digit); the remainder is the sticky part beyond them.
  while (rem != 0 && len < static_cast<int>(digits.size())) {
    bool enough_sig = first_sig >= 0 && len - first_sig >= kMaxDigits + 2;
    bool enough_scale = len - point >= kMaxScale + 2;
    if (enough_sig || enough_scale) break;
    int d = 0;
    rem = MulTenMod(rem, divisor, &d);
    if (d != 0 && first_sig < 0) first_sig = len;
    digits[len++] = static_cast<int8_t>(d);
  }
  auto digit_at = [&](int idx) -> int { return idx < len ? digits[idx] : 0; };

  if (rem == 0) {
    // Exact: the scale needed, widened toward the preferred scale when it fits.
    int scale = len - point;
    int end = len;  // one past the last digit used
    if (scale < 0) {
      end = point;
      scale = 0;
    }
    while (scale > preferred && end > 0 && digit_at(end - 1) == 0 && end > point) {
      --end;
      --scale;
    }
    int sig_digits = end - first_sig;
    if (sig_digits <= kMaxDigits && scale <= kMaxScale) {
      U128 coef = 0;
      for (int idx = first_sig; idx < end; ++idx)
        coef = coef * 10 + static_cast<unsigned>(digit_at(idx));
      while (scale < preferred && scale < kMaxScale && DigitCount(coef) < kMaxDigits) {
        coef *= 10;
        ++scale;
      }
      I128 c = static_cast<I128>(coef);
      *out = Decimal(negative ? -c : c, scale);
      return DecimalStatus::kOk;
    }
  }
  // Inexact (or too long): half-even at 28 significant digits, the scale kept
  // within 0..38 (a large quotient keeps its whole integer part).
  if (first_sig < 0) {
    // Every digit down to scale 39 is zero: the quotient rounds to zero.
    *out = Decimal(0, kMaxScale);
    return DecimalStatus::kOk;
  }
  const int msd_exp = point - 1 - first_sig;  // quotient in [10^msd_exp, 10^(msd_exp+1))
  if (msd_exp >= kMaxDigits) return DecimalStatus::kOverflow;
  int scale = kDivisionDigits - 1 - msd_exp;
  if (scale < 0) scale = 0;
  if (scale > kMaxScale) scale = kMaxScale;
  const int end = point + scale;  // digits [0, end) are kept
  U128 coef = 0;
  for (int idx = first_sig < end ? first_sig : end; idx < end; ++idx) {
    if (idx >= 0) coef = coef * 10 + static_cast<unsigned>(digit_at(idx));
  }
  int round_digit = end >= 0 ? digit_at(end) : 0;
  bool sticky = rem != 0;
  for (int idx = end + 1; idx < len && !sticky; ++idx) sticky = idx >= 0 && digits[idx] != 0;
  if (round_digit > 5 || (round_digit == 5 && (sticky || (coef & 1) != 0))) ++coef;
  if (coef >= kLimit) {
    if (scale == 0) return DecimalStatus::kOverflow;
    coef /= 10;  // exactly 10^38: drop a zero
    --scale;
  }
  I128 c = static_cast<I128>(coef);
  *out = Decimal(negative ? -c : c, scale);
  return DecimalStatus::kOk;
}

DecimalStatus Decimal::Mod(const Decimal& a, const Decimal& b, Decimal* out) {
  if (b.coef_ == 0) return DecimalStatus::kDivisionByZero;
  const int scale = a.scale_ > b.scale_ ? a.scale_ : b.scale_;
  const U128 ma = Magnitude(a.coef_);
  const U128 mb = Magnitude(b.coef_);
  U256 wa = Scaled(ma, scale - a.scale_);
  U256 wb = Scaled(mb, scale - b.scale_);
  U128 r;
  if (!wb.FitsU128()) {
    // |b| aligned exceeds anything a can be: the remainder is a itself.
    r = wa.Low();
  } else if (wa.FitsU128()) {
    r = wa.Low() % wb.Low();
  } else {
    // Only a was scaled up: (ma * 10^k) mod mb by repeated multiplication.
    const U128 m = wb.Low();
    r = ma % m;
    for (int k = scale - a.scale_; k > 0; --k) r = MulTenMod(r, m, nullptr);
  }
  I128 c = static_cast<I128>(r);
  *out = Decimal(a.coef_ < 0 ? -c : c, scale);
  return DecimalStatus::kOk;
}

namespace {

// Rounds a 64-bit magnitude by 10^kDrop: the divisor a constant, so the
// division is a multiplication (money rounds a few digits: 4 to 2 places).
template <int kDrop>
uint64_t RoundDown64(uint64_t mag, Rounding mode) {
  constexpr uint64_t kDiv = [] {
    uint64_t d = 1;
    for (int i = 0; i < kDrop; ++i) d *= 10;
    return d;
  }();
  const uint64_t q = mag / kDiv;
  const uint64_t r = mag % kDiv;
  const bool up = mode == Rounding::kHalfAwayFromZero
                      ? r >= kDiv / 2
                      : r > kDiv / 2 || (r == kDiv / 2 && (q & 1) != 0);
  return q + (up ? 1 : 0);
}

}  // namespace

DecimalStatus Decimal::Round(int digits, Rounding mode, Decimal* out) const {
  if (digits < -kMaxScale || digits > kMaxScale) return DecimalStatus::kInvalid;
  int64_t x;
  if (digits >= 0 && digits < scale_ && scale_ - digits <= 4 && Fits64(coef_, &x) &&
      x != INT64_MIN) {
    const uint64_t mag = static_cast<uint64_t>(x < 0 ? -x : x);
    uint64_t q = 0;
    switch (scale_ - digits) {
      case 1:
        q = RoundDown64<1>(mag, mode);
        break;
      case 2:
        q = RoundDown64<2>(mag, mode);
        break;
      case 3:
        q = RoundDown64<3>(mag, mode);
        break;
      default:
        q = RoundDown64<4>(mag, mode);
        break;
    }
    const auto c = static_cast<int64_t>(q);  // below |x|: no overflow
    *out = Decimal(x < 0 ? -c : c, digits);
    return DecimalStatus::kOk;
  }
  const U128 mag = Magnitude(coef_);
  const int target = digits < 0 ? 0 : digits;
  if (digits >= scale_) {
    int k = digits - scale_;
    U256 wide = Scaled(mag, k);
    if (!wide.FitsU128() || wide.Low() >= kLimit) return DecimalStatus::kOverflow;
    I128 c = static_cast<I128>(wide.Low());
    *out = Decimal(coef_ < 0 ? -c : c, target);
    return DecimalStatus::kOk;
  }
  const int drop = scale_ - digits;  // 1..76
  U128 q = 0;
  bool up = false;
  if (drop <= 38) {
    const U128 div = kPow10[drop];
    U128 r = 0;
    if (mag <= UINT64_MAX && drop <= 19) {  // a 64-bit division, not a library call
      q = static_cast<uint64_t>(mag) / static_cast<uint64_t>(div);
      r = static_cast<uint64_t>(mag) % static_cast<uint64_t>(div);
    } else {
      q = mag / div;
      r = mag % div;
    }
    const U128 half = div / 2;
    if (mode == Rounding::kHalfAwayFromZero) {
      up = r >= half;
    } else {
      up = r > half || (r == half && (q & 1) != 0);
    }
  }
  // drop > 38: |x| < 10^38 / 10^39, far below half a unit: rounds to zero.
  if (up) ++q;
  // For negative digits the rounded value is q * 10^-digits at scale 0.
  U256 wide = Scaled(q, digits < 0 ? -digits : 0);
  if (!wide.FitsU128() || wide.Low() >= kLimit) return DecimalStatus::kOverflow;
  I128 c = static_cast<I128>(wide.Low());
  *out = Decimal(coef_ < 0 ? -c : c, target);
  return DecimalStatus::kOk;
}

std::strong_ordering operator<=>(const Decimal& a, const Decimal& b) {
  if (a.scale_ == b.scale_) return a.coef_ <=> b.coef_;
  const int top = a.scale_ > b.scale_ ? a.scale_ : b.scale_;
  if (Small(a.coef_) && Small(b.coef_) && top - a.scale_ <= 18 && top - b.scale_ <= 18) {
    const I128 x = a.coef_ * static_cast<I128>(kPow10[top - a.scale_]);
    const I128 y = b.coef_ * static_cast<I128>(kPow10[top - b.scale_]);
    return x < y   ? std::strong_ordering::less
           : x > y ? std::strong_ordering::greater
                   : std::strong_ordering::equal;
  }
  const bool na = a.coef_ < 0;
  const bool nb = b.coef_ < 0;
  if (na != nb) return na ? std::strong_ordering::less : std::strong_ordering::greater;
  const int scale = a.scale_ > b.scale_ ? a.scale_ : b.scale_;
  U256 wa = Scaled(Magnitude(a.coef_), scale - a.scale_);
  U256 wb = Scaled(Magnitude(b.coef_), scale - b.scale_);
  int c = Compare(wa, wb);
  if (na) c = -c;
  if (c < 0) return std::strong_ordering::less;
  if (c > 0) return std::strong_ordering::greater;
  return std::strong_ordering::equal;
}

}  // namespace policy
