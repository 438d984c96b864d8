#include "builtin_test_util.h"

using namespace policy;
using policy::eval::testing::Runner;

TEST_CASE("year, month and day") {
  Runner r;
  CHECK(r.Text("year", {r.D("2024-07-01")}) == "2024");
  CHECK(r.Text("month", {r.D("2024-07-01")}) == "7");
  CHECK(r.Text("day", {r.D("2024-07-31")}) == "31");
  CHECK(r.Text("year", {r.S("2024-07-01")}) == "error type.mismatch");
  CHECK(r.Text("day", {Value::Null()}) == "null");
}

TEST_CASE("fiscal_year runs July to June by default") {
  Runner r;
  CHECK(r.Text("fiscal_year", {r.D("2024-06-30")}) == "\"2023-24\"");
  CHECK(r.Text("fiscal_year", {r.D("2024-07-01")}) == "\"2024-25\"");
  CHECK(r.Text("fiscal_year", {r.D("2025-06-30")}) == "\"2024-25\"");
  CHECK(r.Text("fiscal_year", {r.D("1999-07-01")}) == "\"1999-00\"");
  CHECK(r.Text("fiscal_year", {r.D("2000-06-30")}) == "\"1999-00\"");
  CHECK(r.Text("fiscal_year", {r.D("0001-01-01")}) == "\"0000-01\"");
}

TEST_CASE("fiscal_year with another start month") {
  Runner r;
  CHECK(r.Text("fiscal_year", {r.D("2024-03-15"), r.N("1")}) == "\"2024\"");
  CHECK(r.Text("fiscal_year", {r.D("2024-12-31"), r.N("1")}) == "\"2024\"");
  CHECK(r.Text("fiscal_year", {r.D("2024-03-31"), r.N("4")}) == "\"2023-24\"");
  CHECK(r.Text("fiscal_year", {r.D("2024-04-01"), r.N("4")}) == "\"2024-25\"");
  CHECK(r.Text("fiscal_year", {r.D("2024-04-01"), r.N("7.0")}) == "\"2023-24\"");
  CHECK(r.Text("fiscal_year", {r.D("2024-04-01"), r.N("13")}) == "error value.invalid");
  CHECK(r.Text("fiscal_year", {r.D("2024-04-01"), r.N("0")}) == "error value.invalid");
  CHECK(r.Text("fiscal_year", {r.D("2024-04-01"), r.N("6.5")}) == "error value.invalid");
  CHECK(r.Text("fiscal_year", {r.D("2024-04-01"), r.S("7")}) == "error type.mismatch");
  CHECK(r.Text("fiscal_year", {r.S("2024-04-01")}) == "error type.mismatch");
}

TEST_CASE("fiscal_year_start and fiscal_year_end") {
  Runner r;
  CHECK(r.Text("fiscal_year_start", {r.D("2024-06-30")}) == "\"2023-07-01\"");
  CHECK(r.Text("fiscal_year_end", {r.D("2024-06-30")}) == "\"2024-06-30\"");
  CHECK(r.Text("fiscal_year_start", {r.D("2024-07-01")}) == "\"2024-07-01\"");
  CHECK(r.Text("fiscal_year_end", {r.D("2024-07-01")}) == "\"2025-06-30\"");
  CHECK(r.Text("fiscal_year_start", {r.D("2024-05-05"), r.N("1")}) == "\"2024-01-01\"");
  CHECK(r.Text("fiscal_year_end", {r.D("2024-05-05"), r.N("1")}) == "\"2024-12-31\"");
  CHECK(r.Text("fiscal_year_end", {r.D("2022-05-05"), r.N("3")}) == "\"2023-02-28\"");
  CHECK(r.Text("fiscal_year_end", {r.D("2024-01-05"), r.N("3")}) == "\"2024-02-29\"");
  CHECK(r.Text("fiscal_year_start", {r.D("0001-03-01")}) == "error value.invalid");
  CHECK(r.Text("fiscal_year_end", {r.D("9999-07-01")}) == "error value.invalid");
  CHECK(r.Text("fiscal_year_end", {r.D("9999-06-01")}) == "\"9999-06-30\"");
}
