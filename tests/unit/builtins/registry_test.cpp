#include <re2/re2.h>

#include <map>
#include <set>

#include "builtin_test_util.h"

using namespace policy;
using namespace policy::eval;

TEST_CASE("registry: every function of LANGUAGE.md section 8 is there, once") {
  const std::set<std::string_view> expected = {
      "type", "decimal", "string", "date", "len", "lower", "upper", "trim", "starts_with",
      "ends_with", "contains", "split", "join", "replace", "substr", "capture", "normalize_digits",
      "digits_only", "is_bengali", "is_nfc", "entropy", "redact", "is_interpolated",
      "interpolation_default", "abs", "min", "max", "round", "sum", "year", "month", "day",
      "fiscal_year", "fiscal_year_start", "fiscal_year_end", "keys", "values", "has", "sort",
      "unique", "parse_image",
      // compose_extra.cpp (the readiness pack's helpers)
      "bytes", "find_cycle", "leaves", "is_quoted", "services_at",
      // ports.cpp (RDY-NET-005 in one pass)
      "host_port_clashes",
      // prometheus.cpp (RDY-OBS-001/002)
      "scrape_targets", "alert_rules", "alert_jobs", "rule_files", "exposes_metrics"};
  std::set<std::string_view> seen;
  for (const Builtin& b : AllBuiltins()) {
    CHECK_MESSAGE(seen.insert(b.name).second, std::string(b.name));
    CHECK((b.fn != nullptr));
    CHECK(b.min_args >= 1);
    CHECK((b.max_args == kVariadic || b.max_args >= b.min_args));
  }
  CHECK(seen == expected);
  for (std::string_view name : expected) {
    const Builtin* b = FindBuiltin(name);
    REQUIRE_MESSAGE(b != nullptr, std::string(name));
    CHECK(b->name == name);
  }
  CHECK(FindBuiltin("today") == nullptr);
  CHECK(FindBuiltin("") == nullptr);
  CHECK(FindBuiltin("zzz") == nullptr);
}

TEST_CASE("registry: null policies follow LANGUAGE.md section 4") {
  for (const char* name :
       {"starts_with", "ends_with", "contains", "has", "is_bengali", "is_interpolated", "is_nfc"}) {
    CHECK_MESSAGE(FindBuiltin(name)->nulls == NullPolicy::kFalse, name);
    CHECK(FindBuiltin(name)->result == Type::kBool);
  }
  for (const char* name : {"type", "sum", "min", "max"}) {
    CHECK_MESSAGE(FindBuiltin(name)->nulls == NullPolicy::kCustom, name);
  }
  for (const char* name :
       {"lower", "trim", "round", "fiscal_year", "parse_image", "split", "date"}) {
    CHECK_MESSAGE(FindBuiltin(name)->nulls == NullPolicy::kPropagate, name);
  }
}

TEST_CASE("registry: regex arguments and result types") {
  CHECK(FindBuiltin("capture")->regex_arg == 1);
  CHECK(FindBuiltin("capture")->regex_only);
  CHECK(FindBuiltin("split")->regex_arg == 1);
  CHECK_FALSE(FindBuiltin("split")->regex_only);
  CHECK(FindBuiltin("replace")->regex_arg == 1);
  CHECK_FALSE(FindBuiltin("replace")->regex_only);
  CHECK(FindBuiltin("lower")->regex_arg == -1);
  CHECK(FindBuiltin("parse_image")->result == Type::kMap);
  CHECK(FindBuiltin("split")->result == Type::kList);
  CHECK(FindBuiltin("fiscal_year_end")->result == Type::kDate);
  CHECK(FindBuiltin("len")->result == Type::kDecimal);
  CHECK(FindBuiltin("type")->result == Type::kString);
  CHECK(FindBuiltin("max")->max_args == kVariadic);
  CHECK(FindBuiltin("date")->max_args == 2);
  CHECK(FindBuiltin("round")->max_args == 3);
}

TEST_CASE("value: regexes render as /source/") {
  RE2 re("^[0-9]+$");
  CHECK(ToText(Value::Regex(&re)) == "/^[0-9]+$/");
  CHECK(ToJson(Value::Regex(&re)) == "\"/^[0-9]+$/\"");
  RE2 same("^[0-9]+$");
  RE2 other("x");
  CHECK(Equal(Value::Regex(&re), Value::Regex(&same)));
  CHECK_FALSE(Equal(Value::Regex(&re), Value::Regex(&other)));
}

TEST_CASE("registry: each lowering is declared by exactly one builtin, the one it is made for") {
  std::map<Lowering, std::string_view> by_lowering;
  for (const Builtin& b : AllBuiltins()) {
    if (b.traits.lowering == Lowering::kNone) continue;
    CHECK_MESSAGE(by_lowering.emplace(b.traits.lowering, b.name).second, b.name);
  }
  CHECK(by_lowering == std::map<Lowering, std::string_view>{{Lowering::kTypeName, "type"},
                                                            {Lowering::kTrim, "trim"},
                                                            {Lowering::kRound, "round"}});
  CHECK(Lowers(FindBuiltin("type"), Lowering::kTypeName));
  CHECK_FALSE(Lowers(FindBuiltin("lower"), Lowering::kTrim));
  CHECK_FALSE(Lowers(nullptr, Lowering::kRound));
}
