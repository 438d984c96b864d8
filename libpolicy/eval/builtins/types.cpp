// type, decimal, string and date: the conversions of LANGUAGE.md section 4.
//
// decimal(s) and date(s) trim Unicode white space and normalise Unicode digits
// before parsing, exactly as schema conversion does; text that still does not
// parse gives null, not an error (a conversion is how a rule asks "is this a
// number?"). A value already of the target type is returned unchanged.
#include <string>

#include "libpolicy/eval/builtins/support.h"

namespace policy::eval {
namespace {

Value TypeOf(std::span<const Value> args, CallContext&) {
  // Type names are static strings, so the view outlives every arena.
  return Value::String(TypeName(args[0].type()));
}

// Trimmed, digit-normalised text; `storage` keeps it alive when it changed.
std::string_view Prepare(std::string_view s, std::string& storage) {
  std::string_view trimmed = TrimUnicode(s);
  if (NormalizeDigits(trimmed, storage)) return storage;
  return trimmed;
}

Value ToDecimal(std::span<const Value> args, CallContext& ctx) {
  const Value& x = args[0];
  if (x.is(Type::kDecimal)) return x;
  if (!x.is(Type::kString)) return Mismatch(ctx, "decimal", 0, "a string or a decimal", x);
  // Plain ASCII money text, as most cells hold (a rate read from a text field
  // on every record): what the full parse gives, without trimming or mapping
  // digits, as schema conversion reads it.
  if (Decimal plain; Decimal::ParsePlain(x.as_string(), &plain)) return Value::Number(plain);
  std::string storage;
  std::optional<Decimal> d = Decimal::Parse(Prepare(x.as_string(), storage));
  if (!d) return Value::Null();
  return Value::Number(*d);
}

Value ToString(std::span<const Value> args, CallContext& ctx) {
  const Value& x = args[0];
  if (x.is(Type::kString)) return x;
  if (x.is(Type::kDecimal)) {
    // Amounts are turned to text on every row (`trim(string(x)) != ""`): no heap.
    char* p = static_cast<char*>(ctx.arena.Allocate(Decimal::kMaxFormatted, 1));
    return Value::String({p, static_cast<std::size_t>(x.as_decimal().Format(p))});
  }
  std::string text;
  RenderText(x, text);
  return StringResult(ctx, text);
}

Value ToDate(std::span<const Value> args, CallContext& ctx) {
  const Value& x = args[0];
  std::string_view pattern = "YYYY-MM-DD";
  if (args.size() == 2) {
    if (!args[1].is(Type::kString)) return Mismatch(ctx, "date", 1, "a string pattern", args[1]);
    pattern = args[1].as_string();
    if (!Date::IsValidPattern(pattern)) {
      return Invalid(
          ctx, "date",
          "pattern \"" + std::string(pattern) + "\" must hold YYYY, MM and DD once each");
    }
  }
  if (x.is(Type::kDate)) return x;
  if (!x.is(Type::kString)) return Mismatch(ctx, "date", 0, "a string or a date", x);
  std::string storage;
  std::optional<Date> d = Date::Parse(Prepare(x.as_string(), storage), pattern);
  if (!d) return Value::Null();
  return Value::OfDate(*d);
}

constexpr Builtin kTypeBuiltins[] = {
    {"type",
     1,
     1,
     NullPolicy::kCustom,
     Type::kString,
     &TypeOf,
     -1,
     false,
     {.lowering = Lowering::kTypeName}},
    {"decimal", 1, 1, NullPolicy::kPropagate, Type::kDecimal, &ToDecimal},
    {"string",
     1,
     1,
     NullPolicy::kPropagate,
     Type::kString,
     &ToString,
     -1,
     false,
     {.identity = IdentityWhen::kText}},
    {"date", 1, 2, NullPolicy::kPropagate, Type::kDate, &ToDate},
};

}  // namespace

std::span<const Builtin> TypeBuiltins() { return kTypeBuiltins; }

}  // namespace policy::eval
