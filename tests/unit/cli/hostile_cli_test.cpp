// The CLI's promises under hostile conditions: a broken rule file is a
// diagnostic and exit 2 (never a signal), and output that cannot be written
// (a full disk: /dev/full) is exit 2, never a silent exit 0.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "tests/unit/cli/run_cli.h"

namespace {

using cli_test::Has;
using cli_test::Run;

const std::string kBinary = std::string("'") + POLICY_CHECK_PATH + "'";
const std::string kRules = "--no-builtin -r rules ";

Run PolicyCheck(const std::string& args) { return cli_test::PolicyCheckIn(cli_test::kData, args); }

// `args` run from the fixtures directory with standard output on /dev/full.
Run ToFullDisk(const std::string& args) {
  return cli_test::Shell("cd '" + cli_test::kData + "' && " + kBinary + " " + args + " >/dev/full");
}

struct RuleFile {
  explicit RuleFile(const std::string& text) : dir(cli_test::ScratchDir("hostile")) {
    std::ofstream(dir / "rules.policy") << text;
    std::ofstream(dir / "compose.yaml") << "services:\n  web:\n    image: nginx:1.25\n";
  }
  ~RuleFile() {
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }
  Run Check() const {
    return cli_test::PolicyCheckIn(dir.string(), "--no-builtin -r rules.policy compose.yaml");
  }
  std::filesystem::path dir;
};

}  // namespace

TEST_CASE("cli: an unknown name in `where` is a diagnostic at its place, not a crash") {
  RuleFile rules(
      "rule X-A-001 {\n  title \"t\"\n  on compose\n  for k, v in compose.services\n"
      "  where v.image != nul\n  require true\n}\n");
  Run r = rules.Check();
  CHECK(r.code == 2);  // was 139 (SIGSEGV)
  CHECK(Has(r.err, "rules.policy:5:20: error: unknown name 'nul'"));
}

TEST_CASE("cli: a parse error names the expected thing in words") {
  RuleFile rules("rule x-1 {\n");
  Run r = rules.Check();
  CHECK(r.code == 2);
  CHECK(Has(r.err, "expected a rule id such as RDY-IMG-001, found 'x'"));
  CHECK_FALSE(Has(r.err, "boost"));
}

TEST_CASE("cli: a failed write to standard output or -o is exit 2") {
  // Findings in text, a JSON report of a clean input, a catalogue, the version.
  Run findings = ToFullDisk(kRules + "./inputs/bad/compose.yaml");
  CHECK(findings.code == 2);
  CHECK(Has(findings.out, "cannot write to standard output"));
  CHECK(ToFullDisk(kRules + "-f json inputs/good/compose.yaml").code == 2);
  CHECK(ToFullDisk("rules " + kRules).code == 2);
  CHECK(ToFullDisk("--version").code == 2);
  Run file = PolicyCheck(kRules + "-f json -o /dev/full inputs/good/compose.yaml");
  CHECK(file.code == 2);
  CHECK(Has(file.err, "cannot write '/dev/full'"));
  // The same runs with somewhere to write still succeed.
  CHECK(PolicyCheck(kRules + "-f json inputs/good/compose.yaml").code == 0);
  CHECK(PolicyCheck("--version").code == 0);
}

TEST_CASE("cli: --jobs is capped") {
  CHECK(PolicyCheck(kRules + "--jobs 100000 inputs/good/compose.yaml").code == 2);
  CHECK(PolicyCheck(kRules + "--jobs 4096 inputs/good/compose.yaml").code == 0);
}

#if !defined(__SANITIZE_ADDRESS__) && !defined(__SANITIZE_THREAD__)
// (The sanitizers reserve terabytes of address space: no ulimit -v under them.)
TEST_CASE("cli: an exhausted allocator is exit 3, an internal error") {
  namespace fs = std::filesystem;
  fs::path dir = cli_test::ScratchDir("oom");
  {
    // A 40 MB document whose tree needs far more than the 200 MB allowed below.
    std::ofstream json(dir / "big.json");
    json << "{\"a\": [";
    const std::string value(50, 'v');
    for (int i = 0; i < 600000; ++i)
      json << (i ? ", " : "") << "{\"k" << i << "\": \"" << value << "\"}";
    json << "]}\n";
  }
  const std::string args = "--no-builtin -r rules --jobs 1 -f json --kind document '" +
                           (dir / "big.json").string() + "'";
  Run starved = cli_test::Shell("cd '" + cli_test::kData + "' && ulimit -v 200000 && " + kBinary +
                                " " + args);
  CHECK(starved.code == 3);
  CHECK(Has(starved.out, "internal error"));
  Run fed = cli_test::Shell("cd '" + cli_test::kData + "' && " + kBinary + " " + args);
  CHECK(fed.code == 0);
  std::error_code ec;
  fs::remove_all(dir, ec);
}
#endif
