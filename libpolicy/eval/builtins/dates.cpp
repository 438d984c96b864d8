// year, month, day and the fiscal-year functions.
//
// A fiscal year starting in month M (default 7, July to June, as in Bangladesh)
// is named by the calendar year it starts in: "2024-25" for 2024-07-01 to
// 2025-06-30, "1999-00" across the century. With M = 1 the fiscal year is the
// calendar year and is named "2024".
#include <fmt/format.h>

#include <string>

#include "libpolicy/eval/builtins/support.h"

namespace policy::eval {
namespace {

constexpr int64_t kDefaultStartMonth = 7;

Value Part(std::span<const Value> args, CallContext& ctx, const char* name) {
  const Value& d = args[0];
  if (!d.is(Type::kDate)) return Mismatch(ctx, name, 0, "a date", d);
  const YearMonthDay ymd = d.as_date().ToYmd();
  const int part = name[0] == 'y' ? ymd.year : (name[0] == 'm' ? ymd.month : ymd.day);
  return Value::Number(Decimal::FromInt(part));
}

Value Year(std::span<const Value> args, CallContext& ctx) { return Part(args, ctx, "year"); }
Value Month(std::span<const Value> args, CallContext& ctx) { return Part(args, ctx, "month"); }
Value Day(std::span<const Value> args, CallContext& ctx) { return Part(args, ctx, "day"); }

// The fiscal year's starting calendar year and start month of args[0], or false
// after reporting a bad argument.
bool FiscalYearOf(std::span<const Value> args, CallContext& ctx, const char* name, int* start_year,
                  int* start_month) {
  if (!args[0].is(Type::kDate)) {
    Mismatch(ctx, name, 0, "a date", args[0]);
    return false;
  }
  int64_t month = kDefaultStartMonth;
  if (args.size() == 2) {
    if (!args[1].is(Type::kDecimal)) {
      Mismatch(ctx, name, 1, "a decimal (the start month)", args[1]);
      return false;
    }
    if (!IntegerArg(args[1], 1, 12, &month)) {
      Invalid(
          ctx, name,
          "the start month must be an integer in 1..12, got " + args[1].as_decimal().ToString());
      return false;
    }
  }
  const YearMonthDay ymd = args[0].as_date().ToYmd();
  *start_month = static_cast<int>(month);
  *start_year = ymd.month >= month ? ymd.year : ymd.year - 1;
  return true;
}

Value FiscalYear(std::span<const Value> args, CallContext& ctx) {
  int year = 0, month = 0;
  if (!FiscalYearOf(args, ctx, "fiscal_year", &year, &month)) return Value::Null();
  const std::string label = month == 1 ? fmt::format("{:04d}", year)
                                       : fmt::format("{:04d}-{:02d}", year, (year + 1) % 100);
  return StringResult(ctx, label);
}

Value FiscalYearStart(std::span<const Value> args, CallContext& ctx) {
  int year = 0, month = 0;
  if (!FiscalYearOf(args, ctx, "fiscal_year_start", &year, &month)) return Value::Null();
  std::optional<Date> start = Date::FromYmd(year, month, 1);
  if (!start) return Invalid(ctx, "fiscal_year_start", "the fiscal year starts before 0001-01-01");
  return Value::OfDate(*start);
}

Value FiscalYearEnd(std::span<const Value> args, CallContext& ctx) {
  int year = 0, month = 0;
  if (!FiscalYearOf(args, ctx, "fiscal_year_end", &year, &month)) return Value::Null();
  // The day before the next fiscal year starts, computed without leaving 0001..9999.
  const int end_year = month == 1 ? year : year + 1;
  const int end_month = month == 1 ? 12 : month - 1;
  std::optional<Date> first_of_end_month = Date::FromYmd(end_year, end_month, 1);
  std::optional<Date> end;
  if (first_of_end_month) {
    for (int d = 31; d >= 28 && !end; --d) end = Date::FromYmd(end_year, end_month, d);
  }
  if (!end) return Invalid(ctx, "fiscal_year_end", "the fiscal year ends after 9999-12-31");
  return Value::OfDate(*end);
}

constexpr Builtin kDateBuiltins[] = {
    {"year", 1, 1, NullPolicy::kPropagate, Type::kDecimal, &Year},
    {"month", 1, 1, NullPolicy::kPropagate, Type::kDecimal, &Month},
    {"day", 1, 1, NullPolicy::kPropagate, Type::kDecimal, &Day},
    {"fiscal_year", 1, 2, NullPolicy::kPropagate, Type::kString, &FiscalYear},
    {"fiscal_year_start", 1, 2, NullPolicy::kPropagate, Type::kDate, &FiscalYearStart},
    {"fiscal_year_end", 1, 2, NullPolicy::kPropagate, Type::kDate, &FiscalYearEnd},
};

}  // namespace

std::span<const Builtin> DateBuiltins() { return kDateBuiltins; }

}  // namespace policy::eval
