// The numbers builtins: abs, min, max, round, sum (LANGUAGE.md section 8).
#include <doctest/doctest.h>

#include <initializer_list>
#include <string>
#include <vector>

#include "libpolicy/eval/builtins/registry.h"

namespace policy::eval {
namespace {

const Builtin& Get(std::string_view name) {
  for (const Builtin& b : NumberBuiltins()) {
    if (b.name == name) return b;
  }
  FAIL("no builtin named " << std::string(name));
  return NumberBuiltins()[0];
}

Value Num(std::string_view text) {
  std::optional<Decimal> d = Decimal::Parse(text);
  REQUIRE(d.has_value());
  return Value::Number(*d);
}

// Runs a builtin on `args`; the outcome as text: the rendered value, "null", or
// "error CODE".
struct Call {
  Arena arena;
  CallContext ctx{arena};
  std::string Run(std::string_view name, std::vector<Value> args) {
    ctx.error = EvalError{};
    const Value r = Get(name).fn(args, ctx);
    if (ctx.error.set()) {
      CHECK(r.is_null());
      CHECK_FALSE(ctx.error.message.empty());
      return std::string("error ") + ctx.error.code;
    }
    if (r.is_null()) return "null";
    REQUIRE(r.is(Type::kDecimal));
    CHECK_FALSE(r.loc().known());
    return r.as_decimal().ToString();
  }
};

// The list storage must outlive the Value that points at it.
struct ListOf {
  std::vector<Value> items;
  explicit ListOf(std::vector<Value> v) : items(std::move(v)) {}
  Value value() const { return Value::List(items.data(), static_cast<uint32_t>(items.size())); }
};

const std::string k38Nines(38, '9');

TEST_CASE("the numbers table declares arity, null policy and result type") {
  CHECK(NumberBuiltins().size() == 5);
  for (std::string_view name : {"abs", "min", "max", "round", "sum"}) {
    const Builtin& b = Get(name);
    CHECK(b.result == Type::kDecimal);
    // sum, min and max look inside lists for nulls themselves.
    const bool custom = name == "min" || name == "max" || name == "sum";
    CHECK(b.nulls == (custom ? NullPolicy::kCustom : NullPolicy::kPropagate));
    CHECK(b.regex_arg == -1);
    CHECK(static_cast<bool>(b.fn));
  }
  CHECK(Get("abs").min_args == 1);
  CHECK(Get("abs").max_args == 1);
  CHECK(Get("min").min_args == 1);
  CHECK(Get("max").max_args == kVariadic);
  CHECK(Get("round").min_args == 2);
  CHECK(Get("round").max_args == 3);
  CHECK(Get("sum").max_args == 1);
}

TEST_CASE("abs") {
  Call c;
  CHECK(c.Run("abs", {Num("-2.50")}) == "2.50");
  CHECK(c.Run("abs", {Num("3")}) == "3");
  CHECK(c.Run("abs", {Num("-" + k38Nines)}) == k38Nines);
  CHECK(c.Run("abs", {Value::Null()}) == "null");
  CHECK(c.Run("abs", {Value::String("-1")}) == "error type.mismatch");
  CHECK(c.ctx.error.message.find("string") != std::string::npos);
}

TEST_CASE("abs drops the argument's location") {
  Call c;
  Value located = Num("-4");
  Loc loc;
  loc.line = 3;
  loc.column = 7;
  located.set_loc(loc);
  CHECK(c.Run("abs", {located}) == "4");
}

TEST_CASE("min and max of several decimals") {
  Call c;
  CHECK(c.Run("min", {Num("3"), Num("-1.5"), Num("2")}) == "-1.5");
  CHECK(c.Run("max", {Num("3"), Num("-1.5"), Num("2")}) == "3");
  CHECK(c.Run("max", {Num("0.1"), Num("0.10000000000000000000000000000000000001")}) ==
        "0.10000000000000000000000000000000000001");
  // Equal by value: the first one wins, with its scale.
  CHECK(c.Run("max", {Num("1.50"), Num("1.5")}) == "1.50");
  CHECK(c.Run("min", {Num("2"), Num("2.000")}) == "2");
  CHECK(c.Run("min", {Num("1"), Value::Null()}) == "null");
  CHECK(c.Run("min", {Num("1"), Value::String("0")}) == "error type.mismatch");
  CHECK(c.Run("max", {Value::Null(), Value::Bool(true)}) == "error type.mismatch");
}

TEST_CASE("min and max of one list") {
  Call c;
  ListOf values({Num("4"), Num("-7"), Num("11.25")});
  CHECK(c.Run("min", {values.value()}) == "-7");
  CHECK(c.Run("max", {values.value()}) == "11.25");
  ListOf one({Num("5.0")});
  CHECK(c.Run("max", {one.value()}) == "5.0");
  ListOf empty({});
  CHECK(c.Run("min", {empty.value()}) == "null");
  CHECK(c.Run("max", {empty.value()}) == "null");
  ListOf with_null({Num("1"), Value::Null(), Num("2")});
  CHECK(c.Run("max", {with_null.value()}) == "null");
  ListOf mixed({Num("1"), Value::String("2")});
  CHECK(c.Run("min", {mixed.value()}) == "error type.mismatch");
  CHECK(c.Run("min", {Value::Null()}) == "null");
  // One argument must be a list; a list among several arguments is not a decimal.
  CHECK(c.Run("max", {Num("3")}) == "error type.mismatch");
  CHECK(c.Run("max", {Num("3"), values.value()}) == "error type.mismatch");
}

TEST_CASE("round half away from zero by default") {
  Call c;
  CHECK(c.Run("round", {Num("2.345"), Num("2")}) == "2.35");
  CHECK(c.Run("round", {Num("-2.345"), Num("2")}) == "-2.35");
  CHECK(c.Run("round", {Num("15"), Num("2")}) == "15.00");
  CHECK(c.Run("round", {Num("1250"), Num("-2")}) == "1300");
  CHECK(c.Run("round", {Num("0.5"), Num("0")}) == "1");
  CHECK(c.Run("round", {Num("7.5"), Num("0.0")}) == "8");
  CHECK(c.Run("round", {Num("2.345"), Num("2"), Value::String("half_away_from_zero")}) == "2.35");
}

TEST_CASE("round half_even") {
  Call c;
  CHECK(c.Run("round", {Num("2.345"), Num("2"), Value::String("half_even")}) == "2.34");
  CHECK(c.Run("round", {Num("2.355"), Num("2"), Value::String("half_even")}) == "2.36");
  CHECK(c.Run("round", {Num("-0.5"), Num("0"), Value::String("half_even")}) == "0");
  CHECK(c.Run("round", {Num("2500"), Num("-3"), Value::String("half_even")}) == "2000");
}

TEST_CASE("the VAT example of LANGUAGE.md rounds to the paisa") {
  // round(row.net_amount * vat_rate / 100, 2) with net 100.07 and rate 15.
  Decimal product;
  Decimal quotient;
  REQUIRE(Decimal::Mul(*Decimal::Parse("100.07"), Decimal::FromInt(15), &product) ==
          DecimalStatus::kOk);
  REQUIRE(Decimal::Div(product, Decimal::FromInt(100), &quotient) == DecimalStatus::kOk);
  Call c;
  CHECK(c.Run("round", {Value::Number(quotient), Num("2")}) == "15.01");
}

TEST_CASE("round rejects bad digit counts and modes") {
  Call c;
  CHECK(c.Run("round", {Num("1"), Num("2.5")}) == "error value.invalid");
  CHECK(c.Run("round", {Num("1"), Num("39")}) == "error value.invalid");
  CHECK(c.Run("round", {Num("1"), Num("-39")}) == "error value.invalid");
  CHECK(c.Run("round", {Num("1"), Num("99999999999999999999")}) == "error value.invalid");
  CHECK(c.Run("round", {Num("1"), Num("38")}) == "error decimal.overflow");
  CHECK(c.Run("round", {Num(k38Nines), Num("-1")}) == "error decimal.overflow");
  CHECK(c.Run("round", {Num("1"), Value::String("2")}) == "error type.mismatch");
  CHECK(c.Run("round", {Value::String("1.5"), Num("0")}) == "error type.mismatch");
  CHECK(c.Run("round", {Num("1"), Num("0"), Value::String("HALF_EVEN")}) == "error value.invalid");
  CHECK(c.ctx.error.message.find("HALF_EVEN") != std::string::npos);
  CHECK(c.Run("round", {Num("1"), Num("0"), Num("1")}) == "error type.mismatch");
}

TEST_CASE("round of null is null") {
  Call c;
  CHECK(c.Run("round", {Value::Null(), Num("2")}) == "null");
  CHECK(c.Run("round", {Num("1"), Value::Null()}) == "null");
  CHECK(c.Run("round", {Num("1"), Num("2"), Value::Null()}) == "null");
}

TEST_CASE("sum") {
  Call c;
  ListOf amounts({Num("0.1"), Num("0.2"), Num("1.50")});
  CHECK(c.Run("sum", {amounts.value()}) == "1.80");
  ListOf empty({});
  CHECK(c.Run("sum", {empty.value()}) == "0");
  ListOf negatives({Num("-5"), Num("2.25")});
  CHECK(c.Run("sum", {negatives.value()}) == "-2.75");
  ListOf with_null({Num("1"), Value::Null()});
  CHECK(c.Run("sum", {with_null.value()}) == "null");
  CHECK(c.Run("sum", {Value::Null()}) == "null");
}

TEST_CASE("sum reports wrong types and overflow") {
  Call c;
  ListOf strings({Num("1"), Value::String("2")});
  CHECK(c.Run("sum", {strings.value()}) == "error type.mismatch");
  // A type error is not hidden behind an earlier null.
  ListOf null_then_bool({Value::Null(), Value::Bool(false)});
  CHECK(c.Run("sum", {null_then_bool.value()}) == "error type.mismatch");
  CHECK(c.Run("sum", {Num("3")}) == "error type.mismatch");
  ListOf huge({Num(k38Nines), Num("1")});
  CHECK(c.Run("sum", {huge.value()}) == "error decimal.overflow");
  CHECK(c.ctx.error.message.find("overflow") != std::string::npos);
}

}  // namespace
}  // namespace policy::eval
