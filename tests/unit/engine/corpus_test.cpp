// The readiness pack over real compose files: awesome-compose (CC0), 39 files in
// POLICY_SHARED_DIR/corpus/awesome-compose/DIR/. Every finding was reviewed; the
// expected ones are kept per directory in tests/corpus/expected/DIR.json as
// [{"rule", "line", "column"}], compared exactly. Skipped when the corpus is absent.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <tuple>
#include <vector>

#include "case_support.h"
#include "libpolicy/engine.h"

namespace fs = std::filesystem;
using policy_test::ReadFile;

namespace {

using Key = std::tuple<std::string, uint32_t, uint32_t>;  // rule, line, column

fs::path CorpusDir() { return fs::path(POLICY_SHARED_DIR) / "corpus" / "awesome-compose"; }
fs::path ExpectedDir() { return policy_test::SourceDir() / "tests" / "corpus" / "expected"; }

// DIR -> its compose file, for every directory that has one.
std::map<std::string, fs::path> CorpusFiles() {
  std::map<std::string, fs::path> out;
  for (const auto& entry : fs::directory_iterator(CorpusDir())) {
    if (!entry.is_directory()) continue;
    for (const char* name :
         {"compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml"}) {
      if (fs::exists(entry.path() / name)) {
        out[entry.path().filename().string()] = entry.path() / name;
        break;
      }
    }
  }
  return out;
}

std::string Describe(const std::vector<Key>& keys) {
  std::string out;
  for (const auto& [rule, line, column] : keys) {
    out += "  " + rule + " " + std::to_string(line) + ":" + std::to_string(column) + "\n";
  }
  return out;
}

}  // namespace

TEST_CASE("corpus: the readiness pack on awesome-compose gives exactly the reviewed findings") {
  if (!fs::is_directory(CorpusDir())) {
    MESSAGE("skipped: no corpus at " << CorpusDir().string());
    return;
  }
  policy::CompileOptions copts;
  copts.builtin = false;
  copts.rule_paths = {(policy_test::SourceDir() / "rules" / "readiness").string()};
  policy::CompileResult compiled = policy::Compile(copts);
  INFO(policy_test::DescribeDiagnostics(compiled.diagnostics));
  REQUIRE(compiled.program != nullptr);

  const std::map<std::string, fs::path> files = CorpusFiles();
  CHECK(files.size() == 39);
  std::vector<policy::Input> inputs;
  std::map<std::string, std::string> dir_of;  // input path -> DIR
  for (const auto& [dir, path] : files) {
    policy::Input in;
    in.path = path.string();
    in.kind = policy::InputKind::kCompose;
    inputs.push_back(in);
    dir_of[in.path] = dir;
  }
  policy::CheckOptions options;
  options.max_findings = 0;
  policy::Report report = policy::Check(*compiled.program, inputs, options);
  for (const policy::Problem& p : report.problems)
    FAIL_CHECK(p.file << ":" << p.line << ": " << p.message);
  CHECK(report.files == files.size());

  std::map<std::string, std::vector<Key>> actual;
  for (const policy::Finding& f : report.findings) {
    INFO(f.file << ":" << f.line << ":" << f.column << " " << f.rule << " " << f.message);
    CHECK(f.kind == policy::FindingKind::kFinding);
    CHECK(f.line >= 1);
    CHECK(f.column >= 1);
    actual[dir_of.at(f.file)].emplace_back(f.rule, f.line, f.column);
  }
  for (const auto& entry : files) {
    // Not a structured binding: clang 14 cannot capture one in INFO's lambda.
    const std::string& dir = entry.first;
    const fs::path& path = entry.second;
    SUBCASE(dir.c_str()) {
      const fs::path expected_path = ExpectedDir() / (dir + ".json");
      REQUIRE_MESSAGE(fs::exists(expected_path), "no " << expected_path.string());
      std::vector<Key> expected;
      for (const auto& item : nlohmann::json::parse(ReadFile(expected_path))) {
        expected.emplace_back(item.at("rule").get<std::string>(), item.at("line").get<uint32_t>(),
                              item.at("column").get<uint32_t>());
      }
      std::vector<Key> got = actual[dir];
      std::sort(expected.begin(), expected.end());
      std::sort(got.begin(), got.end());
      std::vector<Key> missing, unexpected;
      std::set_difference(expected.begin(), expected.end(), got.begin(), got.end(),
                          std::back_inserter(missing));
      std::set_difference(got.begin(), got.end(), expected.begin(), expected.end(),
                          std::back_inserter(unexpected));
      INFO(path.string(), "\nmissing:\n", Describe(missing), "unexpected:\n", Describe(unexpected));
      CHECK(missing.empty());
      CHECK(unexpected.empty());
    }
  }
}
