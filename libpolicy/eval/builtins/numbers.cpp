// abs, min, max, round and sum over exact decimals.
//
// Null handling: a null argument, or a null element of a list argument, makes the
// result null ("every other function given a null operand returns null", and
// sum's own rule); the functions check this themselves as well, so they behave
// the same whether or not the evaluator has applied the table's NullPolicy.
// Results are fresh numbers without a location: LANGUAGE.md section 5 gives a
// location only to the string functions it lists.
#include <fmt/format.h>

#include <optional>
#include <string>
#include <string_view>

#include "libpolicy/eval/builtins/support.h"

namespace policy::eval {
namespace {

constexpr int kMaxRoundDigits = 38;

std::string Describe(const Value& v) { return std::string(TypeName(v.type())); }

Value Abs(std::span<const Value> args, CallContext& ctx) {
  const Value& x = args[0];
  if (x.is_null()) return Value::Null();
  if (!x.is(Type::kDecimal))
    return ctx.Fail(DiagCode::kTypeMismatch, "abs needs a decimal, got " + Describe(x));
  // |coefficient| < 10^38 on both sides of zero, so negation cannot overflow.
  return Value::Number(x.as_decimal().Abs());
}

// min and max: either two or more decimals, or a single list of decimals. The
// first of several equal values wins, so the scale of the result is predictable.
Value Extreme(std::span<const Value> args, CallContext& ctx, bool want_max) {
  const char* name = want_max ? "max" : "min";
  std::span<const Value> items = args;
  if (args.size() == 1) {
    if (args[0].is_null()) return Value::Null();
    if (!args[0].is(Type::kList)) {
      return ctx.Fail(
          DiagCode::kTypeMismatch,
          fmt::format("{} of one argument needs a list, got {}", name, Describe(args[0])));
    }
    items = args[0].as_list();
    // Like SQL's MIN/MAX: no elements, no extreme.
    if (items.empty()) return Value::Null();
  }
  const Decimal* best = nullptr;
  bool saw_null = false;
  for (const Value& item : items) {
    if (item.is_null()) {
      saw_null = true;
      continue;
    }
    if (!item.is(Type::kDecimal)) {
      return ctx.Fail(DiagCode::kTypeMismatch,
                      fmt::format("{} needs decimals, got {}", name, Describe(item)));
    }
    const Decimal& d = item.as_decimal();
    if (best == nullptr || (want_max ? d > *best : d < *best)) best = &d;
  }
  // Type errors are reported even when a null is present; otherwise null wins.
  if (saw_null) return Value::Null();
  return Value::Number(*best);
}

Value Min(std::span<const Value> args, CallContext& ctx) { return Extreme(args, ctx, false); }
Value Max(std::span<const Value> args, CallContext& ctx) { return Extreme(args, ctx, true); }

std::optional<Rounding> ParseRounding(std::string_view mode) {
  if (mode == "half_even") return Rounding::kHalfEven;
  if (mode == "half_away_from_zero") return Rounding::kHalfAwayFromZero;
  return std::nullopt;
}

Value Round(std::span<const Value> args, CallContext& ctx) {
  for (const Value& a : args) {
    if (a.is_null()) return Value::Null();
  }
  const Value& x = args[0];
  const Value& n = args[1];
  if (!x.is(Type::kDecimal))
    return ctx.Fail(DiagCode::kTypeMismatch, "round needs a decimal, got " + Describe(x));
  if (!n.is(Type::kDecimal)) {
    return ctx.Fail(DiagCode::kTypeMismatch,
                    "round's digit count must be a decimal, got " + Describe(n));
  }
  const std::optional<int64_t> digits = n.as_decimal().ToInt64();
  if (!digits || *digits < -kMaxRoundDigits || *digits > kMaxRoundDigits) {
    return ctx.Fail(
        DiagCode::kValueInvalid,
        "round's digit count must be an integer in -38..38, got " + n.as_decimal().ToString());
  }
  Rounding mode = Rounding::kHalfAwayFromZero;
  if (args.size() == 3) {
    if (!args[2].is(Type::kString)) {
      return ctx.Fail(DiagCode::kTypeMismatch,
                      "round's mode must be a string, got " + Describe(args[2]));
    }
    const std::optional<Rounding> parsed = ParseRounding(args[2].as_string());
    if (!parsed) {
      return ctx.Fail(
          DiagCode::kValueInvalid,
          fmt::format("round's mode must be \"half_even\" or \"half_away_from_zero\", got \"{}\"",
                      args[2].as_string()));
    }
    mode = *parsed;
  }
  Decimal out;
  const DecimalStatus status = x.as_decimal().Round(static_cast<int>(*digits), mode, &out);
  if (status != DecimalStatus::kOk) {
    return ctx.Fail(DecimalErrorCode(status), fmt::format("round({}, {}) does not fit 38 digits",
                                                          x.as_decimal().ToString(), *digits));
  }
  return Value::Number(out);
}

Value Sum(std::span<const Value> args, CallContext& ctx) {
  const Value& list = args[0];
  if (list.is_null()) return Value::Null();
  if (!list.is(Type::kList))
    return ctx.Fail(DiagCode::kTypeMismatch, "sum needs a list, got " + Describe(list));
  Decimal total;
  bool saw_null = false;
  for (const Value& item : list.as_list()) {
    if (item.is_null()) {
      saw_null = true;
      continue;
    }
    if (!item.is(Type::kDecimal)) {
      return ctx.Fail(DiagCode::kTypeMismatch,
                      "sum needs a list of decimals, got an element of type " + Describe(item));
    }
    if (saw_null) continue;  // the result is null; keep checking the types only
    Decimal next;
    const DecimalStatus status = Decimal::Add(total, item.as_decimal(), &next);
    if (status != DecimalStatus::kOk) {
      return ctx.Fail(DecimalErrorCode(status),
                      fmt::format("sum overflows adding {} to {}", item.as_decimal().ToString(),
                                  total.ToString()));
    }
    total = next;
  }
  if (saw_null) return Value::Null();
  return Value::Number(total);
}

constexpr Builtin kNumberBuiltins[] = {
    {"abs", 1, 1, NullPolicy::kPropagate, Type::kDecimal, &Abs},
    {"max", 1, kVariadic, NullPolicy::kCustom, Type::kDecimal, &Max},
    {"min", 1, kVariadic, NullPolicy::kCustom, Type::kDecimal, &Min},
    {"round",
     2,
     3,
     NullPolicy::kPropagate,
     Type::kDecimal,
     &Round,
     -1,
     false,
     {.lowering = Lowering::kRound}},
    {"sum", 1, 1, NullPolicy::kCustom, Type::kDecimal, &Sum},
};

}  // namespace

std::span<const Builtin> NumberBuiltins() { return kNumberBuiltins; }

}  // namespace policy::eval
