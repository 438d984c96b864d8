// action.yml: its script run as the GitHub runner runs it, with INPUT_*
// variables and $GITHUB_OUTPUT, and the action's inputs all passed to it.
#include <doctest/doctest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "tests/unit/cli/run_cli.h"

namespace {

namespace fs = std::filesystem;
using cli_test::Has;
using cli_test::Run;

struct ActionRun {
  Run run;
  std::string output;  // $GITHUB_OUTPUT
};

// `env` is shell text: NAME='value' ... ; runs in tests/unit/cli/data.
ActionRun RunAction(const fs::path& dir, const std::string& env) {
  fs::path out = dir / "github_output";
  fs::remove(out);
  std::string command = "cd '" + cli_test::kData + "' && env -i PATH=\"$PATH\" HOME=\"$HOME\" " +
                        "POLICY_CHECK='" + POLICY_CHECK_PATH + "' GITHUB_OUTPUT='" + out.string() +
                        "' " + env + " '" POLICY_SOURCE_DIR "/scripts/action.sh'";
  ActionRun r;
  r.run = cli_test::Shell(command);
  r.output = cli_test::Slurp(out);
  return r;
}

}  // namespace

TEST_CASE("action: the script runs policy-check with the runner's INPUT_* variables") {
  fs::path dir = cli_test::ScratchDir("action");
  const std::string sarif = (dir / "out" / "report.sarif").string();
  const std::string inputs =
      "INPUT_PATHS='inputs/bad/compose.yaml\ninputs/warn/compose.yaml' "
      "INPUT_ARGS='--no-builtin -r rules' INPUT_SARIF_FILE='" +
      sarif + "' ";

  ActionRun found = RunAction(dir, inputs + "INPUT_FORMAT=sarif INPUT_FAIL_ON=error");
  CHECK_MESSAGE(found.run.code == 1, found.run.out);
  CHECK(found.output == "sarif-file=" + sarif + "\n");
  auto doc = nlohmann::json::parse(cli_test::Slurp(sarif));
  CHECK(doc["runs"][0]["results"].size() == 2);

  ActionRun never = RunAction(dir, inputs + "INPUT_FORMAT=sarif INPUT_FAIL_ON=never");
  CHECK(never.run.code == 0);

  ActionRun annotations = RunAction(dir, inputs + "INPUT_FORMAT=github INPUT_FAIL_ON=warning");
  CHECK(annotations.run.code == 1);
  CHECK(Has(annotations.run.out, "::warning file=tests/unit/cli/data/inputs/warn/compose.yaml"));
  CHECK(annotations.output == "sarif-file=\n");

  // Rules that do not compile: exit 2, and still a SARIF file to upload.
  fs::remove(sarif);
  ActionRun broken = RunAction(dir,
                               "INPUT_PATHS=inputs INPUT_ARGS='--no-builtin -r bad_rules' "
                               "INPUT_SARIF_FILE='" +
                                   sarif + "'");
  CHECK(broken.run.code == 2);
  CHECK(fs::exists(sarif));
  CHECK(broken.output == "sarif-file=" + sarif + "\n");
  fs::remove_all(dir);
}

TEST_CASE("action: action.yml passes every input to the script as INPUT_*") {
  Run r = cli_test::Shell(
      "python3 - <<'PY'\n"
      "import yaml\n"
      "a = yaml.safe_load(open('" POLICY_SOURCE_DIR
      "/action.yml'))\n"
      "step = a['runs']['steps'][0]\n"
      "assert a['runs']['using'] == 'composite'\n"
      "for name in a['inputs']:\n"
      "    var = 'INPUT_' + name.upper().replace('-', '_')\n"
      "    assert step['env'][var] == '${{ inputs.%s }}' % name, var\n"
      "assert 'scripts/action.sh' in step['run']\n"
      "assert a['outputs']['sarif-file']['value'] == '${{ steps.run.outputs.sarif-file }}'\n"
      "print('ok')\n"
      "PY\n");
  CHECK_MESSAGE(r.out == "ok\n", r.out);
}
