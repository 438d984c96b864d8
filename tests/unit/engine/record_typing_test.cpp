// Schema typing reads the common cells (plain money text, ISO dates, strings)
// on a fast path: what it makes of any cell must be what the decimal() and
// date() builtins make of the same text, on CSV and JSON Lines alike.
#include <doctest/doctest.h>

#include <algorithm>
#include <random>
#include <string>
#include <vector>

#include "case_support.h"
#include "libpolicy/engine.h"

namespace {

const char* const kRules = R"(
schema typed {
  amount      : decimal
  amount_text : string
  day         : date
  day_text    : string
}

rule TYP-001 {
  title "a typed decimal is the decimal of its text"
  on records(typed)
  require string(row.amount) == string(decimal(row.amount_text))
  at row.amount
}

rule TYP-002 {
  title "a typed date is the date of its text"
  on records(typed)
  require string(row.day) == string(date(row.day_text))
  at row.day
}
)";

const policy::Program& Program() {
  static const std::shared_ptr<const policy::Program> program =
      policy_test::CompileText(kRules).program;
  return *program;
}

policy::Report Check(std::string path, std::string text, unsigned jobs) {
  policy::Input in{std::move(path), policy::InputKind::kRecords, std::move(text)};
  in.schema = "typed";
  policy::CheckOptions settings;
  settings.jobs = jobs;
  settings.max_findings = 0;
  return policy::Check(Program(), {in}, settings);
}

// Cell texts the fast paths take, nearly take, or must leave to the builtins.
std::vector<std::string> AmountTexts() {
  std::vector<std::string> out = {"0",
                                  "-0",
                                  "+7.25",
                                  "12.50",
                                  ".5",
                                  "5.",
                                  "-.5",
                                  "1.2.3",
                                  "1e3",
                                  " 1",
                                  "1 ",
                                  "1,5",
                                  "--1",
                                  "007",
                                  "12a",
                                  "0.000",
                                  "99999999.99",
                                  "123456789012345678",
                                  "1234567890123456789",
                                  "-12345678.9",
                                  "+.",
                                  "."};
  std::mt19937 rng(31);
  for (int r = 0; r < 400; ++r) {
    std::string t;
    const size_t len = 1 + rng() % 12;
    for (size_t k = 0; k < len; ++k)
      t += rng() % 6 == 0 ? '.' : static_cast<char>('0' + rng() % 10);
    if (rng() % 3 == 0) t = "-" + t;
    out.push_back(t);
  }
  return out;
}

std::vector<std::string> DayTexts() {
  return {"2024-02-29",  "2023-02-29", "1900-02-29", "2000-02-29", "0001-01-01", "9999-12-31",
          "0000-01-01",  "2024-13-01", "2024-00-10", "2024-04-31", "2024-1-01",  " 2024-01-01",
          "2024-01-01 ", "2024/01/01", "20240101",   "2024-01-0a", "2024-12-31", "1999-03-01"};
}

std::string Csv() {
  std::string text = "amount,amount_text,day,day_text\n";
  const std::vector<std::string> amounts = AmountTexts();
  const std::vector<std::string> days = DayTexts();
  for (size_t i = 0; i < amounts.size(); ++i) {
    const std::string& day = days[i % days.size()];
    text += "\"" + amounts[i] + "\",\"" + amounts[i] + "\"," + day + "," + day + "\n";
    if (amounts[i].find(',') != std::string::npos) continue;  // would be two cells
    text += amounts[i] + "," + amounts[i] + ",\"" + day + "\",\"" + day + "\"\n";
  }
  return text;
}

std::string JsonLines() {
  std::string text;
  const std::vector<std::string> amounts = AmountTexts();
  const std::vector<std::string> days = DayTexts();
  for (size_t i = 0; i < amounts.size(); ++i) {
    const std::string& day = days[i % days.size()];
    text += R"({"amount":")" + amounts[i] + R"(","amount_text":")" + amounts[i] + R"(","day":")" +
            day + R"(","day_text":")" + day + "\"}\n";
    // Another shape, with a key that is no field's: the typed row is more
    // than the fields.
    text += R"({"extra":1,"day_text":")" + day + R"(","day":")" + day + R"(","amount":")" +
            amounts[i] + R"(","amount_text":")" + amounts[i] + "\"}\n";
  }
  return text;
}

}  // namespace

TEST_CASE("schema typing: the fast paths type cells as the builtins read their text") {
  for (unsigned jobs : {1u, 2u}) {
    CAPTURE(jobs);
    for (const auto& input : {std::pair<std::string, std::string>{"t.csv", Csv()},
                              std::pair<std::string, std::string>{"t.jsonl", JsonLines()}}) {
      // Plain names, not a structured binding: Clang 14 cannot capture those.
      const std::string& path = input.first;
      const std::string& text = input.second;
      CAPTURE(path);
      // A record per line, less the CSV header.
      const auto rows = static_cast<uint64_t>(std::count(text.begin(), text.end(), '\n')) -
                        (path.ends_with(".csv") ? 1 : 0);
      policy::Report report = Check(path, text, jobs);
      for (const auto& f : report.findings) {
        INFO(f.rule, " ", f.line, ":", f.column, " ", f.message);
        CHECK(f.rule == "SCHEMA");
      }
      CHECK(report.by_rule.at("TYP-001").evaluated == rows);
      CHECK(report.by_rule.at("TYP-002").evaluated == rows);
      CHECK(report.by_rule.at("TYP-001").failed == 0);
      CHECK(report.by_rule.at("TYP-002").failed == 0);
    }
  }
}
