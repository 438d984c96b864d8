// RDY-SEC-008 and the dotenv loader over 27 real env files of 16 public
// projects (issue 15): tests/corpus/dotenv/MANIFEST.tsv lists them (repository,
// commit, path, licence); $POLICY_DOTENV_CORPUS, else
// POLICY_SHARED_DIR/corpus/dotenv, holds them as OWNER+REPO/PATH (fetched files
// are not committed). Every file must load without a problem, the rule must
// give exactly the findings of REVIEW.tsv (each reviewed by hand), and at least
// 95% of them must be correct. Skipped when the files are absent.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "case_support.h"
#include "libpolicy/engine.h"

namespace fs = std::filesystem;

namespace {

using Key = std::tuple<std::string, uint32_t, uint32_t>;  // file, line, column

fs::path CorpusDir() {
  if (const char* dir = std::getenv("POLICY_DOTENV_CORPUS")) return dir;
  return fs::path(POLICY_SHARED_DIR) / "corpus" / "dotenv";
}
fs::path ListsDir() { return policy_test::SourceDir() / "tests" / "corpus" / "dotenv"; }

std::vector<std::string> Fields(const std::string& line) {
  std::vector<std::string> out;
  std::stringstream in(line);
  std::string field;
  while (std::getline(in, field, '\t')) out.push_back(field);
  return out;
}

// Rows of a TSV file after its header, without # comment lines.
std::vector<std::vector<std::string>> Rows(const fs::path& path) {
  std::ifstream in(path);
  std::vector<std::vector<std::string>> out;
  std::string line;
  bool header = true;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    if (header) {
      header = false;
      continue;
    }
    out.push_back(Fields(line));
  }
  return out;
}

}  // namespace

TEST_CASE("dotenv corpus: every real file loads, RDY-SEC-008 gives the reviewed findings") {
  const auto manifest = Rows(ListsDir() / "MANIFEST.tsv");
  REQUIRE(manifest.size() >= 15);
  if (!fs::exists(CorpusDir())) {
    MESSAGE("skipped: no dotenv corpus at " << CorpusDir().string()
                                            << " (set POLICY_DOTENV_CORPUS)");
    return;
  }
  policy::CompileOptions options;
  options.builtin = false;
  options.rule_paths = {(policy_test::SourceDir() / "rules" / "readiness").string()};
  policy::CompileResult compiled = policy::Compile(options);
  REQUIRE(compiled.program != nullptr);

  std::vector<policy::Input> inputs;
  std::set<std::string> repos;
  for (const auto& row : manifest) {
    REQUIRE(row.size() == 4);
    REQUIRE(row[1].size() == 40);  // a full commit
    repos.insert(row[0]);
    std::string dir = row[0];
    std::replace(dir.begin(), dir.end(), '/', '+');
    policy::Input in;
    in.path = dir + "/" + row[2];
    in.kind = policy::InputKind::kDotenv;
    in.text = policy_test::ReadFile(CorpusDir() / in.path);
    REQUIRE_MESSAGE(!in.text->empty(), in.path);
    inputs.push_back(std::move(in));
  }
  CHECK(repos.size() >= 10);
  policy::CheckOptions check;
  check.jobs = 1;
  check.only = {"RDY-SEC-008"};
  policy::Report report = policy::Check(*compiled.program, inputs, check);
  for (const policy::Problem& p : report.problems) FAIL_CHECK(p.file << ": " << p.message);

  std::vector<Key> actual;
  for (const policy::Finding& f : report.findings) actual.emplace_back(f.file, f.line, f.column);
  std::sort(actual.begin(), actual.end());
  std::vector<Key> reviewed;
  uint32_t correct = 0;
  for (const auto& row : Rows(ListsDir() / "REVIEW.tsv")) {
    REQUIRE(row.size() == 6);
    CHECK(row[0] == "RDY-SEC-008");
    reviewed.emplace_back(row[1], static_cast<uint32_t>(std::stoul(row[2])),
                          static_cast<uint32_t>(std::stoul(row[3])));
    CHECK((row[4] == "correct" || row[4] == "wrong"));
    correct += row[4] == "correct" ? 1 : 0;
  }
  std::sort(reviewed.begin(), reviewed.end());
  CHECK(actual == reviewed);
  REQUIRE_FALSE(reviewed.empty());
  CHECK(correct * 100 >= reviewed.size() * 95);
}
