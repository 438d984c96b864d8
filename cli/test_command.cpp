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

struct Tally {
  int passed = 0;
  int failed = 0;
  bool cannot_run = false;
};

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
  for (const Problem& p : report.problems) {
    io.out << fixture << ":" << p.line << ":" << p.column << ": input error: " << p.message << "\n";
  }
  for (const Difference& d : diffs) {
    io.out << fixture << ":" << d.line << ":" << d.column << ": "
           << (d.missing ? "missing " : "unexpected ") << d.rule;
    if (!d.missing) io.out << " (" << d.message << ")";
    io.out << "\n";
  }
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
      io.out << Join(tests, name) << ": no input named " << stem << ".EXT beside it\n";
      ++tally.failed;
      continue;
    }
    RunFixture(program, pack_rules, Join(tests, *fixture), Join(tests, name), opt_in, io, tally);
  }
}

void RunPack(const std::string& pack, const Options& options, Streams& io, Tally& tally) {
  CompileOptions copts;
  copts.builtin = false;
  copts.rule_paths = {pack};
  copts.params = options.params;
  CompileResult compiled = CompileAndReport(copts, options, io);
  if (!compiled.program) {
    tally.cannot_run = true;
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
  for (const std::string& pack : packs) RunPack(pack, options, io, tally);
  io.out << tally.passed << " passed, " << tally.failed << " failed\n";
  if (tally.cannot_run) return 2;
  return tally.failed ? 1 : 0;
}

}  // namespace policy::cli
