// Data-driven end-to-end cases: tests/cases/NAME/ holds rule files, inputs and
// expected.json (format in tests/cases/README.md). Each directory is one SUBCASE,
// so a failure names its case.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "case_support.h"
#include "libpolicy/diagnostic_codes.h"
#include "libpolicy/engine.h"

namespace fs = std::filesystem;
using nlohmann::json;
using policy_test::DescribeDiagnostics;
using policy_test::DescribeFindings;

namespace {

const char* kCasesDir = "tests/cases";

bool IsRuleFile(const fs::path& p) { return p.extension() == ".policy"; }

bool IsInputFile(const fs::path& p) {
  const std::string name = p.filename().string();
  return !IsRuleFile(p) && name != "expected.json" && name != "README.md" && name[0] != '.';
}

std::vector<fs::path> RuleFiles(const fs::path& dir) {
  std::vector<fs::path> out;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (e.is_regular_file() && IsRuleFile(e.path())) out.push_back(e.path());
  }
  return out;
}

policy::InputKind KindByName(const std::string& s) {
  if (s == "compose") return policy::InputKind::kCompose;
  if (s == "records") return policy::InputKind::kRecords;
  if (s == "document") return policy::InputKind::kDocument;
  FAIL_CHECK("unknown kind in expected.json: " << s);
  return policy::InputKind::kAuto;
}

std::string Str(const json& j, const char* key, const std::string& fallback = "") {
  auto it = j.find(key);
  return it == j.end() ? fallback : it->get<std::string>();
}

// The case's inputs, in file-name order unless expected.json lists them.
std::vector<std::string> InputNames(const fs::path& dir, const json& expected) {
  std::vector<std::string> names;
  if (expected.contains("inputs")) {
    for (const auto& n : expected["inputs"]) names.push_back(n.get<std::string>());
    return names;
  }
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.is_regular_file() && IsInputFile(e.path())) names.push_back(e.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

void CheckDiagnostics(const std::vector<policy::Diagnostic>& actual, const json& expected) {
  const std::string dump = DescribeDiagnostics(actual);
  INFO("actual diagnostics:\n" << dump);
  // REQUIRE would end every later SUBCASE too, so a mismatch checks and returns.
  CHECK(actual.size() == expected.size());
  if (actual.size() != expected.size()) return;
  for (std::size_t i = 0; i < actual.size(); ++i) {
    const policy::Diagnostic& d = actual[i];
    const json& e = expected[i];
    INFO("diagnostic #" << i);
    // Codes are stable (libpolicy/diagnostic_codes.def): every expected diagnostic
    // names one the table has, compared exactly.
    CHECK_MESSAGE(e.contains("code"), "expected diagnostic #" << i << " has no \"code\"");
    if (e.contains("code")) {
      const std::string code = e["code"];
      CHECK_MESSAGE(policy::FindDiagCode(code).has_value(), "no code " << code << " in the table");
      CHECK(d.code == code);
    }
    CHECK(std::string(policy::SeverityName(d.severity)) == Str(e, "severity", "error"));
    if (e.contains("line")) CHECK(d.line == e["line"].get<uint32_t>());
    if (e.contains("column")) CHECK(d.column == e["column"].get<uint32_t>());
    if (e.contains("file")) {
      const std::string file = e["file"];
      const bool ends_with = d.file.size() >= file.size() &&
                             d.file.compare(d.file.size() - file.size(), file.size(), file) == 0;
      CHECK_MESSAGE(ends_with, "file " << d.file << " does not end with " << file);
    }
    if (e.contains("message_contains")) {
      const std::string part = e["message_contains"];
      CHECK_MESSAGE(d.message.find(part) != std::string::npos,
                    "message '" << d.message << "' lacks '" << part << "'");
    }
    if (e.contains("notes")) {
      CHECK(d.notes.size() == e["notes"].size());
      for (std::size_t n = 0; n < std::min(d.notes.size(), e["notes"].size()); ++n) {
        CHECK(d.notes[n].line == e["notes"][n].at("line").get<uint32_t>());
        if (e["notes"][n].contains("column"))
          CHECK(d.notes[n].column == e["notes"][n]["column"].get<uint32_t>());
      }
    }
    if (e.contains("help_contains")) {
      const std::string part = e["help_contains"];
      // The suggestion may sit in the help or in the message itself.
      const bool found =
          d.help.find(part) != std::string::npos || d.message.find(part) != std::string::npos;
      CHECK_MESSAGE(found, "help '" << d.help << "' lacks '" << part << "'");
    }
  }
}

void CheckFindings(const std::vector<policy::Finding>& actual, const json& expected,
                   const std::string& case_dir, const std::vector<std::string>& inputs) {
  const std::string dump = DescribeFindings(actual);
  INFO("actual findings:\n" << dump);
  INFO("expected findings:\n" << expected.dump(1));
  CHECK(actual.size() == expected.size());
  if (actual.size() != expected.size()) return;
  for (std::size_t i = 0; i < actual.size(); ++i) {
    const policy::Finding& f = actual[i];
    const json& e = expected[i];
    INFO("finding #" << i);
    std::string file;
    if (e.contains("file")) {
      file = case_dir + "/" + e["file"].get<std::string>();
    } else {
      CHECK_MESSAGE(inputs.size() == 1, "expected finding needs a \"file\" with several inputs");
      if (!inputs.empty()) file = case_dir + "/" + inputs[0];
    }
    CHECK(f.file == file);
    CHECK(f.line == e.at("line").get<uint32_t>());
    CHECK(f.column == e.at("column").get<uint32_t>());
    CHECK(f.rule == e.at("rule").get<std::string>());
    CHECK(std::string(policy::FindingKindName(f.kind)) == Str(e, "kind", "finding"));
    if (e.contains("message")) CHECK(f.message == e["message"].get<std::string>());
    if (e.contains("message_contains")) {
      for (const auto& part : e["message_contains"]) {
        CHECK_MESSAGE(f.message.find(part.get<std::string>()) != std::string::npos,
                      "message '" << f.message << "' lacks '" << part.get<std::string>() << "'");
      }
    }
    if (e.contains("path")) CHECK(f.path == e["path"].get<std::string>());
    if (e.contains("severity")) {
      CHECK(std::string(policy::SeverityName(f.severity)) == e["severity"].get<std::string>());
    }
    if (e.contains("source_line")) CHECK(f.source_line == e["source_line"].get<std::string>());
    if (e.contains("suppressed")) {
      const char* how = policy::SuppressionName(f.suppressed);
      CHECK(std::string(how == nullptr ? "null" : how) == e["suppressed"].get<std::string>());
    }
  }
}

void CheckCounters(const std::map<std::string, policy::RuleCounters>& actual,
                   const json& expected) {
  for (const auto& item : expected.items()) {
    // Named, not structured bindings: Clang 14 cannot capture those in doctest's lambdas.
    const std::string rule = item.key();
    const json& counters = item.value();
    INFO("by_rule " << rule);
    auto it = actual.find(rule);
    CHECK_MESSAGE(it != actual.end(), "no counters for " << rule);
    if (it == actual.end()) continue;
    const policy::RuleCounters& c = it->second;
    if (counters.contains("evaluated")) CHECK(c.evaluated == counters["evaluated"].get<uint64_t>());
    if (counters.contains("skipped")) CHECK(c.skipped == counters["skipped"].get<uint64_t>());
    if (counters.contains("failed")) CHECK(c.failed == counters["failed"].get<uint64_t>());
    if (counters.contains("errors")) CHECK(c.errors == counters["errors"].get<uint64_t>());
    if (counters.contains("listed")) CHECK(c.listed == counters["listed"].get<uint64_t>());
  }
}

void RunCase(const std::string& name) {
  const std::string case_dir = std::string(kCasesDir) + "/" + name;
  const fs::path dir(case_dir);
  const json expected = json::parse(policy_test::ReadFile(dir / "expected.json"));

  policy::CompileOptions copts;
  copts.builtin = false;
  const std::vector<fs::path> rule_files = RuleFiles(dir);
  if (rule_files.size() == 1 && rule_files[0].filename() == "rules.policy") {
    copts.sources.push_back(
        {case_dir + "/rules.policy", policy_test::ReadFile(dir / "rules.policy"), case_dir});
  } else {
    copts.rule_paths = {case_dir};
  }
  if (expected.contains("params")) {
    for (const auto& [k, v] : expected["params"].items())
      copts.params.emplace_back(k, v.get<std::string>());
  }
  const policy::CompileResult compiled = policy::Compile(copts);
  CheckDiagnostics(compiled.diagnostics, expected.value("diagnostics", json::array()));

  bool has_error = false;
  for (const auto& d : compiled.diagnostics) has_error |= d.severity == policy::Severity::kError;
  CHECK(has_error == !compiled.program);
  if (!compiled.program) {
    CHECK_MESSAGE(!expected.contains("findings"), "case expects findings but did not compile");
    return;
  }

  const std::vector<std::string> inputs = InputNames(dir, expected);
  std::vector<policy::Input> in;
  for (const std::string& input : inputs) {
    policy::Input one;
    one.path = case_dir + "/" + input;
    if (expected.contains("schema")) one.schema = expected["schema"].value(input, "");
    if (expected.contains("kinds") && expected["kinds"].contains(input)) {
      one.kind = KindByName(expected["kinds"][input]);
    }
    in.push_back(one);
  }
  policy::CheckOptions options;
  options.jobs = 1;
  const policy::Report report = policy::Check(*compiled.program, in, options);

  // POLICY_CASES_DUMP=1 prints what the engine produced, to write or review a case.
  if (std::getenv("POLICY_CASES_DUMP") != nullptr) {
    MESSAGE(name << ":\n" << DescribeFindings(report.findings));
  }

  // Problems: by default none; otherwise each listed (file, and line when given).
  const json problems = expected.value("problems", json::array());
  {
    std::string dump;
    for (const auto& p : report.problems) {
      dump += p.file + ":" + std::to_string(p.line) + ":" + std::to_string(p.column) + ": " +
              p.message + "\n";
    }
    INFO("problems:\n" << dump);
    CHECK(report.problems.size() == problems.size());
    for (std::size_t i = 0; i < std::min(problems.size(), report.problems.size()); ++i) {
      CHECK(report.problems[i].file == case_dir + "/" + problems[i].at("file").get<std::string>());
      if (problems[i].contains("line"))
        CHECK(report.problems[i].line == problems[i]["line"].get<uint32_t>());
    }
  }

  CheckFindings(report.findings, expected.value("findings", json::array()), case_dir, inputs);
  CheckCounters(report.by_rule, expected.value("by_rule", json::object()));

  // Secrets must not leak anywhere a finding is shown.
  for (const auto& secret : expected.value("forbidden", json::array())) {
    const std::string s = secret.get<std::string>();
    for (const policy::Finding& f : report.findings) {
      CHECK_MESSAGE(f.message.find(s) == std::string::npos, "secret in message: " << f.message);
      CHECK_MESSAGE(f.source_line.find(s) == std::string::npos,
                    "secret in source line: " << f.source_line);
      CHECK_MESSAGE(f.path.find(s) == std::string::npos, "secret in path: " << f.path);
    }
  }
}

std::vector<std::string> CaseNames() {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(kCasesDir)) {
    if (e.is_directory() && fs::exists(e.path() / "expected.json")) {
      names.push_back(e.path().filename().string());
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

}  // namespace

TEST_CASE("data-driven cases in tests/cases") {
  // Case paths, findings' file names and fingerprints are all relative to the repository root.
  fs::current_path(policy_test::SourceDir());
  const std::vector<std::string> names = CaseNames();
  REQUIRE(names.size() >= 40);
  for (const std::string& name : names) {
    SUBCASE(name.c_str()) { RunCase(name); }
  }
}
