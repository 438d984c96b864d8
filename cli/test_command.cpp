#include <algorithm>
#include <filesystem>
#include <fstream>
#include <ostream>
#include <set>
#include <sstream>

#include "cli/commands.h"
#include "cli/inputs.h"
#include "cli/pack_test.h"
#include "libpolicy/bounded_read.h"
#include "libpolicy/report/uri.h"

namespace policy::cli {
namespace fs = std::filesystem;
namespace {

constexpr const char* kExpectedSuffix = ".expected.json";

bool HasPolicyFiles(const fs::path& dir) {
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->path().extension() == ".policy") return true;
  }
  return false;
}

std::vector<std::string> SortedChildren(const std::string& dir) {
  std::vector<std::string> out;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    out.push_back(it->path().filename().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

// An expectations file (JSON), capped like a configuration file.
std::optional<std::string> ReadFile(const std::string& path) {
  BoundedRead read = ReadFileBounded(path, kMaxConfigBytes);
  if (!read.ok()) return std::nullopt;
  return std::move(read.text);
}

std::string Join(const std::string& dir, const std::string& name) {
  return dir.empty() || dir == "." ? name : dir + "/" + name;
}

// One fixture's outcome: for JUnit, a testcase of its pack's testsuite.
struct FixtureResult {
  std::string fixture;
  std::string differences;  // the lines the text report prints for it; empty: passed
};

struct PackResult {
  std::string pack;
  std::vector<FixtureResult> fixtures;
  std::string error;  // the pack could not run (its rules do not compile) or has no fixture
};

struct Tally {
  int passed = 0;
  int failed = 0;
  bool cannot_run = false;
  std::vector<PackResult> packs;
};

// `policy-check test -f junit`: one testsuite per pack, one testcase per
// fixture, a <failure> listing its differences; a pack that could not run or
// (--fail-on-empty) has no fixture is an <error>.
std::string FormatTestJunit(const Tally& tally) {
  std::string body;
  std::size_t tests = 0, failures = 0, errors = 0;
  for (const PackResult& p : tally.packs) {
    std::size_t pack_failures = 0;
    for (const FixtureResult& f : p.fixtures) pack_failures += f.differences.empty() ? 0 : 1;
    const std::size_t pack_errors = p.error.empty() ? 0 : 1;
    tests += p.fixtures.size() + pack_errors;
    failures += pack_failures;
    errors += pack_errors;
    body += "  <testsuite name=\"" + report::EscapeXml(p.pack) + "\" tests=\"" +
            std::to_string(p.fixtures.size() + pack_errors) + "\" failures=\"" +
            std::to_string(pack_failures) + "\" errors=\"" + std::to_string(pack_errors) + "\">\n";
    if (!p.error.empty()) {
      body += "    <testcase name=\"pack\" classname=\"" + report::EscapeXml(p.pack) +
              "\">\n      <error message=\"" + report::EscapeXml(p.error) +
              "\"/>\n    </testcase>\n";
    }
    for (const FixtureResult& f : p.fixtures) {
      body += "    <testcase name=\"" + report::EscapeXml(f.fixture) + "\" classname=\"" +
              report::EscapeXml(p.pack) + "\"";
      if (f.differences.empty()) {
        body += "/>\n";
        continue;
      }
      body += ">\n      <failure message=\"findings differ from the expectations\">" +
              report::EscapeXml(f.differences) + "</failure>\n    </testcase>\n";
    }
    body += "  </testsuite>\n";
  }
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"policy-check test\" "
         "tests=\"" +
         std::to_string(tests) + "\" failures=\"" + std::to_string(failures) + "\" errors=\"" +
         std::to_string(errors) + "\">\n" + body + "</testsuites>\n";
}

// One fixture with its expectations; prints its differences.
// `opt_in`: the fixture is for the pack's opt_in rules, which run alone.
void RunFixture(const Program& program, const std::set<std::string>& pack_rules,
                const std::string& fixture, const std::string& expected_path, bool opt_in,
                Streams& io, Tally& tally) {
  std::optional<std::string> expected_text = ReadFile(expected_path);
  std::string error;
  std::optional<std::vector<Expectation>> expected =
      expected_text ? ParseExpected(*expected_text, error) : std::nullopt;
  if (!expected) {
    io.err << expected_path << ": error: " << (expected_text ? error : "cannot read") << "\n";
    tally.cannot_run = true;
    return;
  }
  Input input;
  input.path = fixture;
  input.kind = FixtureKind(fixture);
  CheckOptions options;
  options.max_findings = 0;
  options.repo_root = FindRepoRoot();
  if (opt_in) options.only = {"opt_in"};
  Report report = Check(program, {input}, options);

  std::vector<Finding> actual;
  for (const Finding& f : report.findings) {
    if (f.suppressed == Suppression::kNone && (f.rule == "SCHEMA" || pack_rules.count(f.rule))) {
      actual.push_back(f);
    }
  }
  std::vector<Difference> diffs = CompareFindings(*expected, actual);
  std::ostringstream out;
  for (const Problem& p : report.problems) {
    out << fixture << ":" << p.line << ":" << p.column << ": input error: " << p.message << "\n";
  }
  for (const Difference& d : diffs) {
    out << fixture << ":" << d.line << ":" << d.column << ": "
        << (d.missing ? "missing " : "unexpected ") << d.rule;
    if (!d.missing) out << " (" << d.message << ")";
    out << "\n";
  }
  io.out << out.str();
  tally.packs.back().fixtures.push_back({fixture, out.str()});
  if (diffs.empty() && report.problems.empty()) {
    ++tally.passed;
  } else {
    ++tally.failed;
  }
}

// Every NAME.expected.json of `tests` with its input NAME.EXT.
void RunFixturesIn(const Program& program, const std::set<std::string>& pack_rules,
                   const std::string& tests, bool opt_in, Streams& io, Tally& tally) {
  std::vector<std::string> names = SortedChildren(tests);
  for (const std::string& name : names) {
    if (name.size() <= std::string(kExpectedSuffix).size() ||
        name.compare(name.size() - std::string(kExpectedSuffix).size(), std::string::npos,
                     kExpectedSuffix) != 0) {
      continue;
    }
    std::string stem = name.substr(0, name.size() - std::string(kExpectedSuffix).size());
    // The fixture is the one file named STEM.EXT beside the expectations.
    auto fixture = std::find_if(names.begin(), names.end(), [&](const std::string& n) {
      return n != name && n.rfind(stem + ".", 0) == 0 &&
             n.find('.', stem.size() + 1) == std::string::npos &&
             FixtureKind(n) != InputKind::kAuto;
    });
    if (fixture == names.end()) {
      std::string line = Join(tests, name) + ": no input named " + stem + ".EXT beside it\n";
      io.out << line;
      tally.packs.back().fixtures.push_back({Join(tests, name), line});
      ++tally.failed;
      continue;
    }
    RunFixture(program, pack_rules, Join(tests, *fixture), Join(tests, name), opt_in, io, tally);
  }
}

void RunPack(const std::string& pack, const Options& options, Streams& io, Tally& tally) {
  tally.packs.push_back({pack, {}, ""});
  CompileOptions copts;
  copts.builtin = false;
  copts.rule_paths = {pack};
  copts.params = options.params;
  CompileResult compiled = CompileAndReport(copts, options, io);
  if (!compiled.program) {
    tally.cannot_run = true;
    tally.packs.back().error = "the pack's rules do not compile";
    return;
  }
  std::set<std::string> pack_rules;
  for (const RuleInfo& r : ListRules(*compiled.program)) pack_rules.insert(r.id);

  // tests/ holds fixtures for the rules that run by default, tests/opt_in/ those
  // for the opt_in rules (which run only when asked for).
  std::string tests = Join(pack, "tests");
  RunFixturesIn(*compiled.program, pack_rules, tests, false, io, tally);
  std::error_code ec;
  if (fs::is_directory(Join(tests, "opt_in"), ec))
    RunFixturesIn(*compiled.program, pack_rules, Join(tests, "opt_in"), true, io, tally);
  // A pack without a single fixture passes vacuously; --fail-on-empty says it fails.
  if (options.fail_on_empty && tally.packs.back().fixtures.empty()) {
    io.out << pack << ": no fixture (NAME.expected.json beside NAME.EXT under tests/)\n";
    tally.packs.back().error = "no fixture";
    ++tally.failed;
  }
}

}  // namespace

int RunTest(const Options& options, Streams& io) {
  std::vector<std::string> roots = options.paths;
  if (roots.empty()) {
    std::error_code ec;
    if (!fs::is_directory(POLICY_RULES_DIR, ec)) {
      io.err << "policy-check: no rule packs at " << POLICY_RULES_DIR
             << "; name a pack directory\n";
      return 2;
    }
    roots.push_back(POLICY_RULES_DIR);
  }
  std::vector<std::string> packs;
  for (const std::string& raw : roots) {
    std::string root = CleanPath(raw);
    std::error_code ec;
    if (!fs::is_directory(root, ec)) {
      io.err << root << ": error: not a directory\n";
      return 2;
    }
    if (HasPolicyFiles(root)) {
      packs.push_back(root);
      continue;
    }
    std::size_t before = packs.size();
    for (const std::string& name : SortedChildren(root)) {
      std::string child = Join(root, name);
      if (fs::is_directory(child, ec) && HasPolicyFiles(child)) packs.push_back(child);
    }
    if (packs.size() == before) {
      io.err << root << ": error: no rule pack (a directory with .policy files) here\n";
      return 2;
    }
  }
  Tally tally;
  if (options.format == Format::kJunit) {
    // The text report goes to standard error, the JUnit document to -o or stdout.
    std::ostringstream text;
    Streams quiet{text, io.err, io.in, false, io.err_is_tty, io.no_color};
    for (const std::string& pack : packs) RunPack(pack, options, quiet, tally);
    io.err << text.str() << tally.passed << " passed, " << tally.failed << " failed\n";
    std::string xml = FormatTestJunit(tally);
    if (options.output.empty()) {
      io.out << xml;
    } else {
      std::ofstream file(options.output, std::ios::binary | std::ios::trunc);
      file << xml;
      file.close();
      if (!file) {
        io.err << "policy-check: cannot write '" << options.output << "'\n";
        return 2;
      }
    }
  } else {
    for (const std::string& pack : packs) RunPack(pack, options, io, tally);
    io.out << tally.passed << " passed, " << tally.failed << " failed\n";
  }
  if (tally.cannot_run) return 2;
  return tally.failed ? 1 : 0;
}

}  // namespace policy::cli
