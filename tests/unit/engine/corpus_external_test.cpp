// The readiness pack over real compose files of 31 public projects (issue 13 B):
// tests/corpus/external/MANIFEST.tsv lists them (repository, commit, path,
// licence), POLICY_SHARED_DIR/corpus/compose-extra/OWNER+REPO/PATH holds them
// (not in this repository: fetched files are not committed). Every
// error-severity finding was reviewed by hand; tests/corpus/external/REVIEW.tsv
// keeps each one with its verdict. The pack must give exactly those findings,
// and at least 98% of them must be correct. Skipped when the files are absent.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "case_support.h"
#include "libpolicy/engine.h"

namespace fs = std::filesystem;

namespace {

using Key = std::tuple<std::string, uint32_t, uint32_t>;  // rule, line, column

// POLICY_COMPOSE_EXTRA, when set, names another copy of the files (a worktree has no ../shared).
fs::path ExtraDir() {
  if (const char* dir = std::getenv("POLICY_COMPOSE_EXTRA")) return dir;
  return fs::path(POLICY_SHARED_DIR) / "corpus" / "compose-extra";
}
fs::path ExternalDir() { return policy_test::SourceDir() / "tests" / "corpus" / "external"; }

std::vector<std::string> Fields(const std::string& line) {
  std::vector<std::string> out;
  std::stringstream in(line);
  std::string field;
  while (std::getline(in, field, '\t')) out.push_back(field);
  return out;
}

// MANIFEST.tsv: OWNER/REPO, commit, path, licence -> OWNER+REPO/PATH.
std::vector<std::string> ManifestFiles() {
  std::ifstream in(ExternalDir() / "MANIFEST.tsv");
  std::vector<std::string> out;
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::vector<std::string> f = Fields(line);
    if (f.size() < 4) continue;
    std::string repo = f[0];
    std::replace(repo.begin(), repo.end(), '/', '+');
    out.push_back(repo + "/" + f[2]);
  }
  return out;
}

struct Reviewed {
  std::map<std::string, std::multiset<Key>> by_file;
  int correct = 0;
  int total = 0;
};

Reviewed ReadReview() {
  Reviewed r;
  std::ifstream in(ExternalDir() / "REVIEW.tsv");
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#' || line.rfind("rule\t", 0) == 0) continue;
    std::vector<std::string> f = Fields(line);
    REQUIRE(f.size() >= 5);
    r.by_file[f[1]].emplace(f[0], static_cast<uint32_t>(std::stoul(f[2])),
                            static_cast<uint32_t>(std::stoul(f[3])));
    ++r.total;
    if (f[4] == "correct") ++r.correct;
  }
  return r;
}

std::string Describe(const std::multiset<Key>& keys) {
  std::string out;
  for (const auto& [rule, line, column] : keys)
    out += "  " + rule + " " + std::to_string(line) + ":" + std::to_string(column) + "\n";
  return out;
}

}  // namespace

TEST_CASE("corpus: the reviewed external corpus keeps at least 98% correct errors") {
  const std::vector<std::string> files = ManifestFiles();
  std::set<std::string> projects;
  for (const std::string& f : files) projects.insert(f.substr(0, f.find('/')));
  CHECK(files.size() >= 60);
  CHECK(projects.size() >= 30);
  const Reviewed review = ReadReview();
  REQUIRE(review.total > 0);
  CHECK(review.correct * 100 >= review.total * 98);
  for (const auto& entry : review.by_file) {
    INFO(entry.first);
    CHECK(std::find(files.begin(), files.end(), entry.first) != files.end());
  }
}

TEST_CASE("corpus: the readiness pack on the external corpus gives exactly the reviewed errors") {
  if (!fs::is_directory(ExtraDir())) {
    MESSAGE("skipped: no corpus at " << ExtraDir().string());
    return;
  }
  policy::CompileOptions copts;
  copts.builtin = false;
  copts.rule_paths = {(policy_test::SourceDir() / "rules" / "readiness").string()};
  policy::CompileResult compiled = policy::Compile(copts);
  INFO(policy_test::DescribeDiagnostics(compiled.diagnostics));
  REQUIRE(compiled.program != nullptr);
  const Reviewed review = ReadReview();

  for (const std::string& file : ManifestFiles()) {
    SUBCASE(file.c_str()) {
      const fs::path path = ExtraDir() / file;
      REQUIRE_MESSAGE(fs::exists(path), "missing " << path.string());
      policy::Input in;
      in.path = path.string();
      in.kind = policy::InputKind::kCompose;
      policy::CheckOptions options;
      options.max_findings = 0;
      options.jobs = 1;
      policy::Report report = policy::Check(*compiled.program, {in}, options);
      for (const policy::Problem& p : report.problems)
        FAIL_CHECK(p.file << ":" << p.line << ": " << p.message);
      std::multiset<Key> got;
      for (const policy::Finding& f : report.findings) {
        if (f.severity == policy::Severity::kError && f.kind == policy::FindingKind::kFinding)
          got.emplace(f.rule, f.line, f.column);
      }
      auto it = review.by_file.find(file);
      const std::multiset<Key> expected =
          it == review.by_file.end() ? std::multiset<Key>{} : it->second;
      std::multiset<Key> missing, unexpected;
      std::set_difference(expected.begin(), expected.end(), got.begin(), got.end(),
                          std::inserter(missing, missing.end()));
      std::set_difference(got.begin(), got.end(), expected.begin(), expected.end(),
                          std::inserter(unexpected, unexpected.end()));
      INFO(path.string(), "\nmissing:\n", Describe(missing), "unexpected:\n", Describe(unexpected));
      CHECK(missing.empty());
      CHECK(unexpected.empty());
    }
  }
}
