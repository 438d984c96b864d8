// Hostile inputs through Check: each is a Report::problems entry naming the file
// and a line, never a crash or a hang, and the other inputs of the same call are
// still checked.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include "case_support.h"
#include "libpolicy/engine.h"

namespace fs = std::filesystem;
using policy_test::DescribeFindings;

namespace {

// One always-failing rule per target, so a good input of each kind proves it was checked.
// (An `x-` key on compose: any other key the Compose Specification does not define
// is a compile error.)
const char* kRules = R"(rule HOST-DOC-001 {
  title "Every document is reported"
  on document
  require doc.never == true
}

rule HOST-CMP-001 {
  title "Every service is reported"
  on compose
  for name, svc in compose.services
  require svc["x-never"] == true
}

rule HOST-REC-001 {
  title "Every record is reported"
  on records
  require row.never == "x"
}
)";

class TempDir {
 public:
  TempDir() {
    std::random_device rd;
    path_ = fs::temp_directory_path() / ("policy-hostile-" + std::to_string(rd()));
    fs::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  std::string Write(const std::string& name, const std::string& text) const {
    const fs::path p = path_ / name;
    policy_test::WriteFile(p, text);
    return p.string();
  }

 private:
  fs::path path_;
};

std::string Repeat(const std::string& s, int n) {
  std::string out;
  out.reserve(s.size() * static_cast<std::size_t>(n));
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

std::string AliasBomb() {
  // Nine levels of ten aliases each: 10^9 values when expanded.
  std::string text = "x-a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n";
  for (int level = 1; level <= 9; ++level) {
    const std::string prev = "*a" + std::to_string(level - 1);
    text += "x-a" + std::to_string(level) + ": &a" + std::to_string(level) + " [";
    for (int i = 0; i < 10; ++i) text += (i ? ", " : "") + prev;
    text += "]\n";
  }
  text += "services:\n  web:\n    image: nginx:1\n    labels: *a9\n";
  return text;
}

std::string RandomBytes(std::size_t n) {
  std::mt19937 gen(20240701);  // fixed seed: the same bytes on every run
  std::uniform_int_distribution<int> byte(0, 255);
  std::string out(n, '\0');
  for (char& c : out) c = static_cast<char>(byte(gen));
  return out;
}

struct HostileCase {
  const char* name;  // file name (its extension sets the kind)
  std::string text;
};

std::vector<HostileCase> HostileCases() {
  return {
      {"malformed.yaml", "a: [1, 2\nb: {c: d\n  - e\n"},
      {"malformed.json", "{\n  \"a\": 1,,\n  \"b\": [\n}\n"},
      {"unterminated.csv", "id,never\n1,a\n2,\"open quote\n3,b\n"},
      {"invalid-utf8.yaml", "name: ok\nvalue: caf\xC3\x28\xFF\xFE\n"},
      {"invalid-utf8.json", "{\"name\": \"caf\xC3\x28\xFF\"}\n"},
      {"binary.json", RandomBytes(4096)},
      {"binary.yaml", RandomBytes(4096)},
      {"compose.yaml", AliasBomb()},
      {"deep.yaml", Repeat("[", 100000) + Repeat("]", 100000) + "\n"},
      {"deep-block.yaml",
       [] {
         std::string t;
         for (int i = 0; i < 100000; ++i) t += "- ";
         return t + "x\n";
       }()},
      {"deep.json", Repeat("[", 100000) + Repeat("]", 100000) + "\n"},
      {"deep-objects.json", Repeat("{\"a\":", 100000) + "1" + Repeat("}", 100000) + "\n"},
      {"duplicate-key.yaml", "a: 1\nb: 2\na: 3\n"},
  };
}

}  // namespace

TEST_CASE("hostile inputs are problems, and the other inputs are still checked") {
  const auto compiled = policy_test::CompileText(kRules);
  INFO(policy_test::DescribeDiagnostics(compiled.diagnostics));
  REQUIRE(compiled.program);
  TempDir dir;
  const std::string good_doc = dir.Write("good.yaml", "name: fine\n");
  const std::string good_compose =
      dir.Write("docker-compose.yml", "services:\n  api:\n    image: acme/api:1\n");
  const std::string good_csv = dir.Write("good.csv", "id,never\n1,a\n");

  for (const HostileCase& hc : HostileCases()) {
    SUBCASE(hc.name) {
      const std::string bad = dir.Write(hc.name, hc.text);
      std::vector<policy::Input> inputs;
      for (const std::string& p : {good_doc, bad, good_compose, good_csv}) {
        policy::Input in;
        in.path = p;
        inputs.push_back(in);
      }
      policy::CheckOptions options;
      options.jobs = 2;
      const policy::Report report = policy::Check(*compiled.program, inputs, options);
      INFO(DescribeFindings(report.findings));

      const auto problem = std::find_if(report.problems.begin(), report.problems.end(),
                                        [&](const policy::Problem& p) { return p.file == bad; });
      REQUIRE_MESSAGE(problem != report.problems.end(), "no problem reported for " << hc.name);
      CHECK(problem->line > 0);
      CHECK_FALSE(problem->message.empty());
      CHECK_FALSE(problem->warning);  // a named input that does not parse is an error
      for (const policy::Problem& p : report.problems) CHECK(p.file == bad);

      auto count = [&](const std::string& file, const char* rule) {
        return std::count_if(
            report.findings.begin(), report.findings.end(),
            [&](const policy::Finding& f) { return f.file == file && f.rule == rule; });
      };
      CHECK(count(good_doc, "HOST-DOC-001") == 1);
      CHECK(count(good_compose, "HOST-CMP-001") == 1);
      CHECK(count(good_csv, "HOST-REC-001") == 1);
    }
  }
}

TEST_CASE("hostile: the records before an unterminated quote keep their findings") {
  const auto compiled = policy_test::CompileText(kRules);
  REQUIRE(compiled.program);
  TempDir dir;
  const std::string bad = dir.Write("rows.csv", "id,never\n1,a\n2,b\n3,\"open\n4,c\n");
  policy::Input in;
  in.path = bad;
  const policy::Report report = policy::Check(*compiled.program, {in}, policy::CheckOptions{});
  INFO(DescribeFindings(report.findings));
  REQUIRE(report.problems.size() == 1);
  CHECK(report.problems[0].file == bad);
  CHECK(report.problems[0].line == 4);
  REQUIRE(report.findings.size() == 2);
  CHECK(report.findings[0].line == 2);
  CHECK(report.findings[1].line == 3);
}

TEST_CASE("hostile: a CSV cell that is not UTF-8 is a SCHEMA finding, not a problem") {
  const auto compiled = policy_test::CompileText(R"(rule HOST-UTF-001 {
  title "Names are present"
  on records
  require row.name != null
}
)");
  REQUIRE(compiled.program);
  TempDir dir;
  const std::string csv = dir.Write("names.csv", "id,name\n1,caf\xC3\x28\n2,ok\n");
  policy::Input in;
  in.path = csv;
  const policy::Report report = policy::Check(*compiled.program, {in}, policy::CheckOptions{});
  INFO(DescribeFindings(report.findings));
  CHECK(report.problems.empty());
  // The bad cell reads as null, so the rule fails at the record too.
  REQUIRE(report.findings.size() == 2);
  CHECK(report.findings[0].rule == "HOST-UTF-001");
  CHECK(report.findings[0].line == 2);
  CHECK(report.findings[0].column == 1);
  CHECK(report.findings[1].rule == "SCHEMA");
  CHECK(report.findings[1].kind == policy::FindingKind::kSchema);
  CHECK(report.findings[1].line == 2);
  CHECK(report.findings[1].column == 3);
}

TEST_CASE("hostile: a missing input is a problem, the others are checked") {
  const auto compiled = policy_test::CompileText(kRules);
  REQUIRE(compiled.program);
  TempDir dir;
  const std::string good = dir.Write("good.yaml", "name: fine\n");
  policy::Input missing;
  missing.path = (fs::temp_directory_path() / "policy-hostile-does-not-exist.yaml").string();
  policy::Input present;
  present.path = good;
  const policy::Report report =
      policy::Check(*compiled.program, {missing, present}, policy::CheckOptions{});
  REQUIRE(report.problems.size() == 1);
  CHECK(report.problems[0].file == missing.path);
  CHECK(report.findings.size() == 1);
}

TEST_CASE("hostile: a rule whose work explodes stops at the step budget, as an error finding") {
  // All pairs of an 8000-element list: 64 million bindings of the inner body,
  // more than the budget of one binding allows. The rule ends with one
  // evaluation error instead of running for minutes.
  policy::CompileOptions options;
  options.builtin = false;
  options.sources.push_back({"s.policy", R"(rule STP-001 {
  title "pairs"
  on records
  require all a in row.xs: all b in row.xs: a + b >= 0
}
)",
                             "."});
  policy::CompileResult compiled = policy::Compile(options);
  REQUIRE(compiled.program != nullptr);
  std::string xs;
  for (int i = 0; i < 8000; ++i) xs += (i ? "," : "") + std::to_string(i);
  std::string text = "{\"xs\": [" + xs + "]}\n{\"xs\": [1, 2]}\n";
  policy::Report r = policy::Check(
      *compiled.program, {policy::Input{"pairs.jsonl", policy::InputKind::kRecords, text}}, {});
  REQUIRE(r.findings.size() == 1);
  CHECK(r.findings[0].line == 1);
  CHECK(r.findings[0].message.find("limit.steps") != std::string::npos);
  CHECK(r.by_rule.at("STP-001").errors == 1);
  CHECK(r.by_rule.at("STP-001").evaluated == 2);  // the small list is checked normally
}
