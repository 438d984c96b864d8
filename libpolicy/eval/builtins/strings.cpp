// len, lower, upper, trim, starts_with, ends_with, contains, split, join,
// replace, substr and capture.
//
// Strings are UTF-8 and counted in code points. trim, substr, capture and split
// return views into their subject (no copy): the subject lives at least as long
// as the call's arena. Results named in LANGUAGE.md section 5 carry the origin of
// the subject so findings about them point at the input.
#include <re2/re2.h>
#include <unicode/locid.h>
#include <unicode/unistr.h>

#include <string>
#include <vector>

#include "libpolicy/eval/builtins/support.h"

namespace policy::eval {
namespace {

Value Len(std::span<const Value> args, CallContext& ctx) {
  const Value& x = args[0];
  switch (x.type()) {
    case Type::kString: {
      int64_t n = 0;
      for (std::size_t pos = 0; pos < x.as_string().size(); ++n) NextCodePoint(x.as_string(), &pos);
      return Value::Number(Decimal::FromInt(n));
    }
    case Type::kList:
      return Value::Number(Decimal::FromInt(static_cast<int64_t>(x.as_list().size())));
    case Type::kMap:
      return Value::Number(Decimal::FromInt(static_cast<int64_t>(x.as_map().size())));
    default:
      return Mismatch(ctx, "len", 0, "a string, list or map", x);
  }
}

bool IsAscii(std::string_view s) {
  for (char c : s) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

// Full Unicode case mapping with the root locale, so results do not depend on
// the machine's locale.
Value ChangeCase(std::span<const Value> args, CallContext& ctx, bool upper) {
  const Value& x = args[0];
  const char* name = upper ? "upper" : "lower";
  if (!x.is(Type::kString)) return Mismatch(ctx, name, 0, "a string", x);
  std::string_view s = x.as_string();
  std::string out;
  if (IsAscii(s)) {
    out.assign(s);
    for (char& c : out) {
      if (upper && c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
      if (!upper && c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
  } else {
    icu::UnicodeString u =
        icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), static_cast<int32_t>(s.size())));
    if (upper) {
      u.toUpper(icu::Locale::getRoot());
    } else {
      u.toLower(icu::Locale::getRoot());
    }
    u.toUTF8String(out);
  }
  if (out == s) return x;
  return StringResult(ctx, out).WithOriginOf(x);
}

Value Lower(std::span<const Value> args, CallContext& ctx) { return ChangeCase(args, ctx, false); }
Value Upper(std::span<const Value> args, CallContext& ctx) { return ChangeCase(args, ctx, true); }

Value Trim(std::span<const Value> args, CallContext& ctx) {
  const Value& x = args[0];
  if (!x.is(Type::kString)) return Mismatch(ctx, "trim", 0, "a string", x);
  return Value::String(TrimUnicode(x.as_string())).WithOriginOf(x);
}

// starts_with, ends_with, contains: false for a null subject (the evaluator's
// kFalse) and, like `null in "s"`, for a null needle.
enum class Position { kStart, kEnd, kAnywhere };

Value StringTest(std::span<const Value> args, CallContext& ctx, const char* name, Position where) {
  const Value& s = args[0];
  const Value& part = args[1];
  if (s.is_null() || part.is_null()) return Value::Bool(false);
  if (where == Position::kAnywhere && s.is(Type::kList)) {
    for (const Value& item : s.as_list()) {
      if (Equal(item, part)) return Value::Bool(true);
    }
    return Value::Bool(false);
  }
  if (!s.is(Type::kString)) {
    return Mismatch(ctx, name, 0, where == Position::kAnywhere ? "a string or a list" : "a string",
                    s);
  }
  if (!part.is(Type::kString)) return Mismatch(ctx, name, 1, "a string", part);
  std::string_view hay = s.as_string();
  std::string_view needle = part.as_string();
  switch (where) {
    case Position::kStart:
      return Value::Bool(hay.starts_with(needle));
    case Position::kEnd:
      return Value::Bool(hay.ends_with(needle));
    case Position::kAnywhere:
      break;
  }
  return Value::Bool(hay.find(needle) != std::string_view::npos);
}

Value StartsWith(std::span<const Value> args, CallContext& ctx) {
  return StringTest(args, ctx, "starts_with", Position::kStart);
}
Value EndsWith(std::span<const Value> args, CallContext& ctx) {
  return StringTest(args, ctx, "ends_with", Position::kEnd);
}
Value Contains(std::span<const Value> args, CallContext& ctx) {
  return StringTest(args, ctx, "contains", Position::kAnywhere);
}

// split(s, sep): a string separator splits at every occurrence; a regex splits
// at every non-empty match (an empty match does not split). split("", sep) is [""].
Value Split(std::span<const Value> args, CallContext& ctx) {
  const Value& x = args[0];
  const Value& sep = args[1];
  if (!x.is(Type::kString)) return Mismatch(ctx, "split", 0, "a string", x);
  std::string_view s = x.as_string();
  std::vector<Value> parts;
  auto add = [&](std::string_view piece) { parts.push_back(Value::String(piece).WithOriginOf(x)); };
  if (sep.is(Type::kString)) {
    std::string_view needle = sep.as_string();
    if (needle.empty()) return Invalid(ctx, "split", "the separator is empty");
    std::size_t start = 0;
    for (std::size_t hit = s.find(needle); hit != std::string_view::npos;
         hit = s.find(needle, start)) {
      add(s.substr(start, hit - start));
      start = hit + needle.size();
    }
    add(s.substr(start));
  } else if (sep.is(Type::kRegex) && sep.as_regex() != nullptr) {
    const re2::RE2& re = *sep.as_regex();
    re2::StringPiece text(s.data(), s.size());
    std::size_t start = 0;  // start of the current piece
    std::size_t search = 0;
    re2::StringPiece m;
    while (search <= s.size() && re.Match(text, search, s.size(), re2::RE2::UNANCHORED, &m, 1)) {
      const auto at = static_cast<std::size_t>(m.data() - s.data());
      if (m.empty()) {
        // Skip one code point so the search always advances.
        if (at >= s.size()) break;
        std::size_t next = at;
        NextCodePoint(s, &next);
        search = next;
        continue;
      }
      add(s.substr(start, at - start));
      start = at + m.size();
      search = start;
    }
    add(s.substr(start));
  } else {
    return Mismatch(ctx, "split", 1, "a string or a regex", sep);
  }
  return MakeList(ctx.arena, parts);
}

// join(list, sep): strings as they are, decimals, dates and bools as rendered;
// a null element makes the result null.
Value Join(std::span<const Value> args, CallContext& ctx) {
  const Value& list = args[0];
  const Value& sep = args[1];
  if (!list.is(Type::kList)) return Mismatch(ctx, "join", 0, "a list", list);
  if (!sep.is(Type::kString)) return Mismatch(ctx, "join", 1, "a string", sep);
  std::string out;
  bool first = true;
  for (const Value& item : list.as_list()) {
    if (item.is_null()) return Value::Null();
    if (item.is(Type::kList) || item.is(Type::kMap) || item.is(Type::kRegex)) {
      return Invalid(ctx, "join",
                     "elements must be strings, decimals, dates or bools, got a " +
                         std::string(TypeName(item.type())),
                     DiagCode::kTypeMismatch);
    }
    if (!first) out += sep.as_string();
    first = false;
    RenderText(item, out);
  }
  return StringResult(ctx, out);
}

// replace(s, old, new): a string `old` replaces every occurrence literally; a
// regex replaces every match, with \0..\9 in `new` naming groups (RE2 syntax).
Value Replace(std::span<const Value> args, CallContext& ctx) {
  const Value& x = args[0];
  const Value& old = args[1];
  const Value& with = args[2];
  if (!x.is(Type::kString)) return Mismatch(ctx, "replace", 0, "a string", x);
  if (!with.is(Type::kString)) return Mismatch(ctx, "replace", 2, "a string", with);
  std::string_view s = x.as_string();
  std::string out;
  if (old.is(Type::kString)) {
    std::string_view needle = old.as_string();
    if (needle.empty()) return Invalid(ctx, "replace", "the text to replace is empty");
    std::size_t start = 0;
    for (std::size_t hit = s.find(needle); hit != std::string_view::npos;
         hit = s.find(needle, start)) {
      out.append(s.substr(start, hit - start));
      out.append(with.as_string());
      start = hit + needle.size();
    }
    out.append(s.substr(start));
  } else if (old.is(Type::kRegex) && old.as_regex() != nullptr) {
    const re2::RE2& re = *old.as_regex();
    re2::StringPiece rewrite(with.as_string().data(), with.as_string().size());
    std::string why;
    // Checked first: RE2 would otherwise log a bad rewrite to stderr.
    if (!re.CheckRewriteString(rewrite, &why)) {
      return Invalid(ctx, "replace",
                     "invalid replacement \"" + std::string(with.as_string()) + "\": " + why,
                     DiagCode::kRegexReplace);
    }
    out.assign(s);
    re2::RE2::GlobalReplace(&out, re, rewrite);
  } else {
    return Mismatch(ctx, "replace", 1, "a string or a regex", old);
  }
  if (out == s) return x;
  return StringResult(ctx, out);
}

// substr(s, start[, len]): code points from `start` (0-based); a range past the
// end is clipped, so substr("abc", 5, 2) is "".
Value Substr(std::span<const Value> args, CallContext& ctx) {
  const Value& x = args[0];
  if (!x.is(Type::kString)) return Mismatch(ctx, "substr", 0, "a string", x);
  int64_t start = 0;
  int64_t count = INT64_MAX;
  if (!args[1].is(Type::kDecimal)) return Mismatch(ctx, "substr", 1, "a decimal", args[1]);
  if (!IntegerArg(args[1], 0, INT64_MAX, &start)) {
    return Invalid(ctx, "substr",
                   "start must be an integer >= 0, got " + args[1].as_decimal().ToString());
  }
  if (args.size() == 3) {
    if (!args[2].is(Type::kDecimal)) return Mismatch(ctx, "substr", 2, "a decimal", args[2]);
    if (!IntegerArg(args[2], 0, INT64_MAX, &count)) {
      return Invalid(ctx, "substr",
                     "length must be an integer >= 0, got " + args[2].as_decimal().ToString());
    }
  }
  std::string_view s = x.as_string();
  std::size_t pos = 0;
  for (int64_t i = 0; i < start && pos < s.size(); ++i) NextCodePoint(s, &pos);
  const std::size_t begin = pos;
  for (int64_t i = 0; i < count && pos < s.size(); ++i) NextCodePoint(s, &pos);
  return Value::String(s.substr(begin, pos - begin)).WithOriginOf(x);
}

// capture(s, re, group): the text of a group (a number, or a name) of the first
// match; null when nothing matches or the group took no part in the match.
Value Capture(std::span<const Value> args, CallContext& ctx) {
  const Value& x = args[0];
  const Value& re_value = args[1];
  const Value& group = args[2];
  if (!x.is(Type::kString)) return Mismatch(ctx, "capture", 0, "a string", x);
  if (!re_value.is(Type::kRegex) || re_value.as_regex() == nullptr) {
    return Mismatch(ctx, "capture", 1, "a regex", re_value);
  }
  const re2::RE2& re = *re_value.as_regex();
  const int groups = re.NumberOfCapturingGroups();
  int index = 0;
  if (group.is(Type::kDecimal)) {
    int64_t n = 0;
    if (!IntegerArg(group, 0, groups, &n)) {
      return Invalid(ctx, "capture",
                     "group " + group.as_decimal().ToString() + " does not exist (the regex has " +
                         std::to_string(groups) + ")");
    }
    index = static_cast<int>(n);
  } else if (group.is(Type::kString)) {
    const auto& names = re.NamedCapturingGroups();
    auto it = names.find(std::string(group.as_string()));
    if (it == names.end()) {
      return Invalid(ctx, "capture",
                     "the regex has no group named \"" + std::string(group.as_string()) + "\"");
    }
    index = it->second;
  } else {
    return Mismatch(ctx, "capture", 2, "a group number or name", group);
  }
  std::string_view s = x.as_string();
  std::vector<re2::StringPiece> matches(static_cast<std::size_t>(index) + 1);
  if (!re.Match(re2::StringPiece(s.data(), s.size()), 0, s.size(), re2::RE2::UNANCHORED,
                matches.data(), index + 1)) {
    return Value::Null();
  }
  const re2::StringPiece& m = matches[static_cast<std::size_t>(index)];
  if (m.data() == nullptr) return Value::Null();
  const auto offset = static_cast<std::size_t>(m.data() - s.data());
  return Value::String(s.substr(offset, m.size())).WithOriginOf(x);
}

constexpr Builtin kStringBuiltins[] = {
    {"len", 1, 1, NullPolicy::kPropagate, Type::kDecimal, &Len},
    {"lower", 1, 1, NullPolicy::kPropagate, Type::kString, &Lower},
    {"upper", 1, 1, NullPolicy::kPropagate, Type::kString, &Upper},
    {"trim",
     1,
     1,
     NullPolicy::kPropagate,
     Type::kString,
     &Trim,
     -1,
     false,
     {.identity = IdentityWhen::kVisibleAsciiEnds, .lowering = Lowering::kTrim}},
    {"starts_with", 2, 2, NullPolicy::kFalse, Type::kBool, &StartsWith},
    {"ends_with", 2, 2, NullPolicy::kFalse, Type::kBool, &EndsWith},
    {"contains", 2, 2, NullPolicy::kFalse, Type::kBool, &Contains},
    {"split", 2, 2, NullPolicy::kPropagate, Type::kList, &Split, 1, false},
    {"join", 2, 2, NullPolicy::kPropagate, Type::kString, &Join},
    {"replace", 3, 3, NullPolicy::kPropagate, Type::kString, &Replace, 1, false},
    {"substr", 2, 3, NullPolicy::kPropagate, Type::kString, &Substr},
    {"capture", 3, 3, NullPolicy::kPropagate, Type::kString, &Capture, 1, true},
};

}  // namespace

std::span<const Builtin> StringBuiltins() { return kStringBuiltins; }

}  // namespace policy::eval
