// normalize_digits, digits_only, is_bengali, is_nfc, entropy, redact,
// is_interpolated and interpolation_default.
#include <unicode/normalizer2.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <unordered_map>

#include "libpolicy/eval/builtins/support.h"

namespace policy::eval {
namespace {

bool StringArg(std::span<const Value> args, CallContext& ctx, const char* name,
               std::string_view* out) {
  if (!args[0].is(Type::kString)) {
    Mismatch(ctx, name, 0, "a string", args[0]);
    return false;
  }
  *out = args[0].as_string();
  return true;
}

Value NormalizeDigitsFn(std::span<const Value> args, CallContext& ctx) {
  std::string_view s;
  if (!StringArg(args, ctx, "normalize_digits", &s)) return Value::Null();
  if (args[0].known_ascii()) return args[0];
  std::string out;
  if (!NormalizeDigits(s, out)) return args[0];
  return StringResult(ctx, out).WithOriginOf(args[0]);
}

// Separators people put inside phone numbers and ids; everything else (letters,
// '+', other punctuation) stays so that a pattern check still sees it.
bool IsDigitSeparator(char32_t cp) {
  switch (cp) {
    case U'-':
    case U'.':
    case U'/':
    case U'(':
    case U')':
    case 0x200B:
    case 0x200C:
    case 0x200D:
    case 0xFEFF:
      return true;
    default:
      return IsUnicodeSpace(cp);
  }
}

Value DigitsOnly(std::span<const Value> args, CallContext& ctx) {
  std::string_view s;
  if (!StringArg(args, ctx, "digits_only", &s)) return Value::Null();
  // Most values hold nothing to remove: return them as they are, without copying.
  std::size_t first = 0;
  for (std::size_t pos = 0; pos < s.size(); first = pos) {
    const unsigned char c = static_cast<unsigned char>(s[pos]);
    if (c < 0x80) {  // ASCII without a call: digits and letters are most of it
      if (c <= ' ' || c == '-' || c == '.' || c == '/' || c == '(' || c == ')') {
        if (IsDigitSeparator(c)) break;
      }
      ++pos;
      continue;
    }
    if (IsDigitSeparator(NextCodePoint(s, &pos))) break;
  }
  if (first >= s.size()) return args[0];
  char* out = static_cast<char*>(ctx.arena.Allocate(s.size(), 1));
  std::size_t n = first;
  std::copy(s.begin(), s.begin() + static_cast<std::ptrdiff_t>(first), out);
  for (std::size_t pos = first; pos < s.size();) {
    const std::size_t start = pos;
    if (!IsDigitSeparator(NextCodePoint(s, &pos))) {
      std::copy(s.begin() + static_cast<std::ptrdiff_t>(start),
                s.begin() + static_cast<std::ptrdiff_t>(pos), out + n);
      n += pos - start;
    }
  }
  return Value::String(std::string_view(out, n)).WithOriginOf(args[0]);
}

Value IsBengali(std::span<const Value> args, CallContext& ctx) {
  std::string_view s;
  if (!StringArg(args, ctx, "is_bengali", &s)) return Value::Null();
  if (ctx.ascii_shortcuts && IsAsciiString(args[0])) return Value::Bool(false);
  for (std::size_t pos = 0; pos < s.size();) {
    const char32_t cp = NextCodePoint(s, &pos);
    if (cp >= 0x0980 && cp <= 0x09FF) return Value::Bool(true);
  }
  return Value::Bool(false);
}

// ICU's NFC normaliser, looked up once: a C++ static is initialised once for
// all threads in a way every tool can see (ICU's own lazy set-up is not).
const icu::Normalizer2* NfcInstance() {
  static const icu::Normalizer2* const nfc = [] {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* n = icu::Normalizer2::getNFCInstance(status);
    return U_FAILURE(status) ? nullptr : n;
  }();
  return nfc;
}

Value IsNfc(std::span<const Value> args, CallContext& ctx) {
  std::string_view s;
  if (!StringArg(args, ctx, "is_nfc", &s)) return Value::Null();
  if (ctx.ascii_shortcuts && IsAsciiString(args[0])) return Value::Bool(true);  // ASCII is NFC
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfc = NfcInstance();
  if (nfc == nullptr) return Invalid(ctx, "is_nfc", "ICU normalisation data is unavailable");
  icu::UnicodeString u =
      icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), static_cast<int32_t>(s.size())));
  const UBool normalized = nfc->isNormalized(u, status);
  if (U_FAILURE(status)) return Invalid(ctx, "is_nfc", "ICU could not check the text");
  return Value::Bool(normalized != 0);
}

// Shannon entropy in bits per code point. The sum is computed in double (there is
// no exact logarithm) and rounded to 6 decimal places, far above the noise of
// the last floating-point bits, so the result is a stable exact decimal.
Value Entropy(std::span<const Value> args, CallContext& ctx) {
  std::string_view s;
  if (!StringArg(args, ctx, "entropy", &s)) return Value::Null();
  std::unordered_map<char32_t, int64_t> counts;
  int64_t total = 0;
  for (std::size_t pos = 0; pos < s.size(); ++total) ++counts[NextCodePoint(s, &pos)];
  double h = 0;
  for (const auto& [cp, n] : counts) {
    const double p = static_cast<double>(n) / static_cast<double>(total);
    h -= p * std::log2(p);
  }
  const auto micro = static_cast<int64_t>(std::llround(std::max(h, 0.0) * 1e6));
  return Value::Number(Decimal::FromParts(micro, 6));
}

Value Redact(std::span<const Value> args, CallContext& ctx) {
  std::string_view s;
  if (!StringArg(args, ctx, "redact", &s)) return Value::Null();
  std::size_t count = 0;
  std::size_t prefix_end = 0;
  for (std::size_t pos = 0; pos < s.size(); ++count) {
    NextCodePoint(s, &pos);
    if (count == 1) prefix_end = pos;
  }
  if (count < 8) return Value::String("****");
  std::string out(s.substr(0, prefix_end));
  out += "****";
  return StringResult(ctx, out);
}

// A compose variable reference: `$NAME`, or `${NAME...}` up to its matching
// brace (defaults may hold references of their own). `$$` is an escaped dollar.
struct Reference {
  std::string_view modifier;  // ":-", "-", ":?", "?", ":+", "+" or empty
  std::string_view operand;   // the text after the modifier
};

bool IsNameStart(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; }
bool IsNameChar(char c) { return IsNameStart(c) || (c >= '0' && c <= '9'); }

// Finds the first reference in `s`; false when there is none.
bool FirstReference(std::string_view s, Reference* ref) {
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '$' || i + 1 >= s.size()) continue;
    const char next = s[i + 1];
    if (next == '$') {
      ++i;  // escaped
      continue;
    }
    if (IsNameStart(next)) {
      *ref = Reference{};
      return true;
    }
    if (next != '{') continue;
    std::size_t j = i + 2;
    if (j >= s.size() || !IsNameStart(s[j])) continue;
    while (j < s.size() && IsNameChar(s[j])) ++j;
    std::size_t mod_end = j;
    if (j < s.size() && s[j] == ':' && j + 1 < s.size() &&
        (s[j + 1] == '-' || s[j + 1] == '?' || s[j + 1] == '+')) {
      mod_end = j + 2;
    } else if (j < s.size() && (s[j] == '-' || s[j] == '?' || s[j] == '+')) {
      mod_end = j + 1;
    }
    if (mod_end == j && (j >= s.size() || s[j] != '}')) continue;  // not a reference
    // The operand runs to the brace that closes this reference.
    int depth = 1;
    std::size_t k = mod_end;
    for (; k < s.size(); ++k) {
      if (s[k] == '$' && k + 1 < s.size() && s[k + 1] == '$') {
        ++k;
      } else if (s[k] == '$' && k + 1 < s.size() && s[k + 1] == '{') {
        ++depth;
        ++k;
      } else if (s[k] == '}' && --depth == 0) {
        break;
      }
    }
    if (k >= s.size()) continue;  // unterminated: compose rejects it, it is no reference
    ref->modifier = s.substr(j, mod_end - j);
    ref->operand = s.substr(mod_end, k - mod_end);
    return true;
  }
  return false;
}

Value IsInterpolated(std::span<const Value> args, CallContext& ctx) {
  std::string_view s;
  if (!StringArg(args, ctx, "is_interpolated", &s)) return Value::Null();
  Reference ref;
  return Value::Bool(FirstReference(s, &ref));
}

Value InterpolationDefault(std::span<const Value> args, CallContext& ctx) {
  std::string_view s;
  if (!StringArg(args, ctx, "interpolation_default", &s)) return Value::Null();
  Reference ref;
  if (!FirstReference(s, &ref) || (ref.modifier != ":-" && ref.modifier != "-"))
    return Value::Null();
  return Value::String(ref.operand);
}

constexpr Builtin kTextBuiltins[] = {
    {"normalize_digits",
     1,
     1,
     NullPolicy::kPropagate,
     Type::kString,
     &NormalizeDigitsFn,
     -1,
     false,
     {.on_ascii = OnAscii::kSame, .identity = IdentityWhen::kAsciiText}},
    {"digits_only",
     1,
     1,
     NullPolicy::kPropagate,
     Type::kString,
     &DigitsOnly,
     -1,
     false,
     {.identity = IdentityWhen::kAsciiWithoutSeparators}},
    {"is_bengali",
     1,
     1,
     NullPolicy::kFalse,
     Type::kBool,
     &IsBengali,
     -1,
     false,
     {.on_ascii = OnAscii::kFalse}},
    {"is_nfc",
     1,
     1,
     NullPolicy::kFalse,
     Type::kBool,
     &IsNfc,
     -1,
     false,
     {.on_ascii = OnAscii::kTrue}},
    {"entropy", 1, 1, NullPolicy::kPropagate, Type::kDecimal, &Entropy},
    {"redact", 1, 1, NullPolicy::kPropagate, Type::kString, &Redact},
    {"is_interpolated", 1, 1, NullPolicy::kFalse, Type::kBool, &IsInterpolated},
    {"interpolation_default", 1, 1, NullPolicy::kPropagate, Type::kString, &InterpolationDefault},
};

}  // namespace

std::span<const Builtin> TextBuiltins() { return kTextBuiltins; }

}  // namespace policy::eval
