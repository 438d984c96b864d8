// Inputs the fuzz targets (fuzz/) found crashing, run the way each target runs
// them, so the ordinary tests keep them fixed. A new crash: copy the artifact
// into tests/fuzz_regressions/TARGET/ (TARGET without the fuzz_ prefix); this
// test picks up every file there. Targets outside the engine (reports, config,
// glob) get a named test case in their own layer's tests instead.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "libpolicy/engine.h"

namespace fs = std::filesystem;

namespace {

const fs::path kRegressions = fs::path(POLICY_SOURCE_DIR) / "tests" / "fuzz_regressions";

std::vector<fs::path> InputsOf(const std::string& target) {
  std::vector<fs::path> out;
  std::error_code ec;
  for (fs::directory_iterator it(kRegressions / target, ec), end; !ec && it != end;
       it.increment(ec)) {
    if (it->is_regular_file()) out.push_back(it->path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string Read(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

TEST_CASE("fuzz regressions: rule files compile to a program or diagnostics, and run") {
  const std::vector<fs::path> inputs = InputsOf("rules");
  CHECK_FALSE(inputs.empty());
  for (const fs::path& p : inputs) {
    CAPTURE(p.filename().string());
    // As fuzz/fuzz_rules.cpp does.
    policy::CompileOptions options;
    options.builtin = false;
    options.sources.push_back({"fuzz.policy", Read(p), "."});
    policy::CompileResult result = policy::Compile(options);
    CHECK((result.program != nullptr || !result.diagnostics.empty()));
    if (result.program != nullptr) {
      policy::Input in{"doc.json", policy::InputKind::kDocument,
                       std::string(R"({"a": [1, "x", null, {"b": true}]})")};
      (void)policy::Check(*result.program, {in}, {});
    }
  }
}
