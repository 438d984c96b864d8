// The Bangladesh pack (rules/bd/) as shipped: it compiles cleanly, every rule
// carries its metadata, every fixture under rules/bd/tests/ gives exactly its
// expected findings (as `policy-check test rules/bd` checks), and the benchmark
// generator's planted faults are found exactly, rule by rule.
#include <doctest/doctest.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "case_support.h"
#include "libpolicy/engine.h"

namespace fs = std::filesystem;
using nlohmann::json;
using policy_test::DescribeDiagnostics;
using policy_test::DescribeFindings;
using policy_test::ReadFile;
using policy_test::SourceDir;

namespace {

constexpr const char* kExpectedSuffix = ".expected.json";

const policy::Program& Pack() {
  static const policy::CompileResult compiled = [] {
    policy::CompileOptions options;
    options.builtin = false;
    options.rule_paths = {(SourceDir() / "rules" / "bd").string()};
    return policy::Compile(options);
  }();
  REQUIRE_MESSAGE(compiled.program, DescribeDiagnostics(compiled.diagnostics));
  return *compiled.program;
}

bool IsRecordFixture(const fs::path& p) {
  const std::string ext = p.extension().string();
  return ext == ".csv" || ext == ".tsv" || ext == ".jsonl" || ext == ".ndjson";
}

// (rule, line, column) triples; column 0 when the expectation leaves it open.
using Place = std::tuple<std::string, uint32_t, uint32_t>;

std::string Describe(const std::vector<Place>& places) {
  std::string out;
  for (const auto& [rule, line, column] : places) {
    out += "  " + rule + " " + std::to_string(line) + ":" + std::to_string(column) + "\n";
  }
  return out;
}

policy::Report CheckOne(const policy::Program& program, const fs::path& input) {
  policy::Input in;
  in.path = input.string();
  in.kind = policy::InputKind::kRecords;
  policy::CheckOptions options;
  options.max_findings = 0;  // every finding listed, as the expectations list them all
  options.repo_root = SourceDir().string();
  return policy::Check(program, {in}, options);
}

// Runs python3 with `args`; false when it is not installed or fails.
bool RunPython(const std::string& args) {
  return std::system(("python3 " + args + " > /dev/null 2>&1").c_str()) == 0;
}

std::string Quote(const fs::path& p) { return "'" + p.string() + "'"; }

}  // namespace

TEST_CASE("bd pack: compiles without diagnostics") {
  policy::CompileOptions options;
  options.builtin = false;
  options.rule_paths = {(SourceDir() / "rules" / "bd").string()};
  policy::CompileResult compiled = policy::Compile(options);
  CHECK_MESSAGE(compiled.program, DescribeDiagnostics(compiled.diagnostics));
  CHECK_MESSAGE(compiled.diagnostics.empty(), DescribeDiagnostics(compiled.diagnostics));
}

TEST_CASE("bd pack: the catalogue of RULES.md, each rule with its metadata") {
  const std::set<std::string> catalogue = {
      "BD-TIN-001", "BD-TIN-002", "BD-BIN-001", "BD-BIN-002", "BD-NID-001", "BD-NID-002",
      "BD-NID-003", "BD-MOB-001", "BD-MOB-002", "BD-PHN-001", "BD-VAT-001", "BD-VAT-002",
      "BD-VAT-003", "BD-FY-001",  "BD-FY-002",  "BD-INV-001", "BD-INV-002", "BD-TXT-001",
      "BD-RJK-001", "BD-VAT-004", "BD-PTY-001", "BD-BIN-003", "BD-REF-001", "BD-RET-001",
      "BD-SER-001", "BD-SER-002", "BD-CRN-001"};
  std::set<std::string> ids;
  for (const policy::RuleInfo& r : policy::ListRules(Pack())) {
    CAPTURE(r.id);
    ids.insert(r.id);
    CHECK(!r.title.empty());
    CHECK(!r.remedy.empty());
    CHECK(!r.doc.empty());
    CHECK(!r.tags.empty());
    // The rules that read several inputs are opt-in: they need those inputs.
    const bool cross = std::find(r.tags.begin(), r.tags.end(), "cross-input") != r.tags.end();
    CHECK(r.enabled == !cross);
    CHECK(r.target.rfind("records", 0) == 0);
  }
  CHECK(ids == catalogue);

  std::map<std::string, std::string> params;
  for (const policy::ParamInfo& p : policy::ListParams(Pack())) params[p.name] = p.type;
  const std::map<std::string, std::string> expected = {
      {"bd.vat_rate", "decimal"},           {"bd.vat_rate_table", "list"},
      {"bd.vat_inclusive", "bool"},         {"bd.vat_tolerance", "decimal"},
      {"bd.tin_legacy_ok", "bool"},         {"bd.bin_legacy_ok", "bool"},
      {"bd.plan_formats", "bool"},          {"bd.fy_start_month", "decimal"},
      {"bd.nid_max_birth_year", "decimal"}, {"bd.return_period_table", "list"},
      {"bd.return_tolerance", "decimal"},   {"bd.max_groups", "decimal"}};
  CHECK(params == expected);
}

TEST_CASE("bd pack: every fixture gives exactly its expected findings") {
  const fs::path tests = SourceDir() / "rules" / "bd" / "tests";
  std::vector<fs::path> fixtures;
  for (const auto& e : fs::directory_iterator(tests)) {
    if (e.is_regular_file() && IsRecordFixture(e.path())) fixtures.push_back(e.path());
  }
  std::sort(fixtures.begin(), fixtures.end());
  REQUIRE(fixtures.size() >= 10);

  // The rules that read several inputs are judged on the data set below.
  std::set<std::string> pack_rules;
  for (const policy::RuleInfo& r : policy::ListRules(Pack()))
    if (std::find(r.tags.begin(), r.tags.end(), "cross-input") == r.tags.end())
      pack_rules.insert(r.id);
  // Per rule over all fixtures: did it fire somewhere, and pass somewhere?
  std::map<std::string, uint64_t> failed, passed;

  // One loop rather than SUBCASEs: the coverage check below needs every
  // fixture's counters in the same run.
  for (const fs::path& fixture : fixtures) {
    {
      INFO("fixture: ", fixture.filename().string());
      const fs::path expected_path =
          fixture.parent_path() / (fixture.stem().string() + kExpectedSuffix);
      REQUIRE_MESSAGE(fs::exists(expected_path), expected_path.string());
      json expected_json = json::parse(ReadFile(expected_path));
      std::vector<Place> expected;
      for (const json& e : expected_json) {
        expected.emplace_back(e.at("rule").get<std::string>(), e.at("line").get<uint32_t>(),
                              e.value("column", 0u));
      }
      policy::Report report = CheckOne(Pack(), fixture);
      CHECK_MESSAGE(report.problems.empty(), report.problems.front().message);
      std::vector<Place> actual;
      for (const policy::Finding& f : report.findings) {
        CHECK_MESSAGE(f.kind != policy::FindingKind::kEvaluationError, DescribeFindings({f}));
        actual.emplace_back(f.rule, f.line, f.column);
      }
      // Expectations without a column match any column on their line.
      for (std::size_t i = 0; i < expected.size(); ++i) {
        if (std::get<2>(expected[i]) != 0) continue;
        for (const Place& a : actual) {
          if (std::get<0>(a) == std::get<0>(expected[i]) &&
              std::get<1>(a) == std::get<1>(expected[i])) {
            std::get<2>(expected[i]) = std::get<2>(a);
            break;
          }
        }
      }
      std::sort(expected.begin(), expected.end());
      std::sort(actual.begin(), actual.end());
      CHECK_MESSAGE(actual == expected, "expected:\n"
                                            << Describe(expected) << "actual:\n"
                                            << DescribeFindings(report.findings));
      for (const auto& [rule, c] : report.by_rule) {
        failed[rule] += c.failed;
        passed[rule] += c.evaluated - std::min(c.evaluated, c.failed);
      }
    }
  }
  // RULES.md: each rule has an input where it fires and one where it must not.
  for (const std::string& rule : pack_rules) {
    CAPTURE(rule);
    CHECK(failed[rule] > 0);
    CHECK(passed[rule] > 0);
  }
}

// rules/bd/tests/dataset/ is one data set of several files: the party
// master, invoices in two half-year files, the returns and the credit notes.
// The cross-input rules (opt-in) run on all of it at once.
TEST_CASE("bd pack: the cross-input rules on a data set give exactly its expected findings") {
  const fs::path dir = SourceDir() / "rules" / "bd" / "tests" / "dataset";
  std::vector<policy::Input> inputs;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.is_regular_file() && IsRecordFixture(e.path())) {
      policy::Input in;
      in.path = e.path().string();
      inputs.push_back(in);
    }
  std::sort(inputs.begin(), inputs.end(),
            [](const policy::Input& a, const policy::Input& b) { return a.path < b.path; });
  REQUIRE(inputs.size() == 5);
  std::set<std::string> cross;
  for (const policy::RuleInfo& r : policy::ListRules(Pack()))
    if (std::find(r.tags.begin(), r.tags.end(), "cross-input") != r.tags.end()) cross.insert(r.id);
  CHECK(cross == std::set<std::string>{"BD-CRN-001", "BD-REF-001", "BD-RET-001", "BD-SER-001",
                                       "BD-SER-002"});
  for (unsigned jobs : {1u, 2u}) {
    CAPTURE(jobs);
    policy::CheckOptions options;
    options.only = {"cross-input"};
    options.max_findings = 0;
    options.jobs = jobs;
    const policy::Report report = policy::Check(Pack(), inputs, options);
    CHECK_MESSAGE(report.problems.empty(), report.problems.front().message);
    std::vector<std::tuple<std::string, std::string, uint32_t, uint32_t>> expected, actual;
    for (const json& e : json::parse(ReadFile(dir / "expected.json")))
      expected.emplace_back(e.at("file").get<std::string>(), e.at("rule").get<std::string>(),
                            e.at("line").get<uint32_t>(), e.at("column").get<uint32_t>());
    for (const policy::Finding& f : report.findings) {
      CHECK_MESSAGE(f.kind != policy::FindingKind::kEvaluationError, DescribeFindings({f}));
      actual.emplace_back(fs::path(f.file).filename().string(), f.rule, f.line, f.column);
    }
    CHECK_MESSAGE(actual == expected, DescribeFindings(report.findings));
    // Each rule fires here and passes here.
    for (const std::string& rule : cross) {
      CAPTURE(rule);
      const policy::RuleCounters& c = report.by_rule.at(rule);
      CHECK(c.failed > 0);
      CHECK(c.evaluated > c.failed);
    }
  }
}

TEST_CASE("bd pack: the benchmark generator's planted faults are found exactly") {
  if (!RunPython("--version")) {
    MESSAGE("python3 not found: generator test skipped");
    return;
  }
  const fs::path dir =
      fs::temp_directory_path() /
      ("bd_gen_" + std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()));
  fs::create_directories(dir);
  const fs::path script = SourceDir() / "benchmarks" / "gen_bd_invoices.py";

  for (const bool jsonl : {false, true}) {
    SUBCASE(jsonl ? "jsonl" : "csv") {
      // The stem binds the output to the invoice schema.
      const fs::path out = dir / (jsonl ? "invoices.jsonl" : "invoices.csv");
      const fs::path counts = dir / (jsonl ? "counts-jsonl.json" : "counts-csv.json");
      // A high fault rate so that every fault kind is planted at this small N.
      const std::string args = Quote(script) + " 3000 " + Quote(out) + (jsonl ? " --jsonl" : "") +
                               " --seed 7 --fault-rate 0.1 --faults-json " + Quote(counts);
      REQUIRE(RunPython(args));
      const std::string first = ReadFile(out);
      REQUIRE(RunPython(args));
      CHECK_MESSAGE(ReadFile(out) == first, "the same seed must give the same bytes");

      json expected = json::parse(ReadFile(counts));
      REQUIRE(expected.at("rows").get<uint64_t>() == 3000);
      policy::Report report = CheckOne(Pack(), out);
      CHECK(report.problems.empty());
      const json& findings = expected.at("findings");
      // Named, not structured bindings: Clang 14 cannot capture those in doctest's lambdas.
      for (const auto& item : findings.items()) {
        const std::string rule = item.key();
        const json& n = item.value();
        CAPTURE(rule);
        CHECK(n.get<uint64_t>() > 0);
        auto it = report.by_rule.find(rule);
        REQUIRE(it != report.by_rule.end());
        CHECK(it->second.failed == n.get<uint64_t>());
      }
      // Everything else is clean: no other rule fails, nothing errs, no SCHEMA.
      for (const auto& entry : report.by_rule) {
        const std::string& rule = entry.first;
        const policy::RuleCounters& c = entry.second;
        CAPTURE(rule);
        CHECK(c.errors == 0);
        if (!findings.contains(rule)) CHECK(c.failed == 0);
      }
    }
  }
  std::error_code ec;
  fs::remove_all(dir, ec);
}
