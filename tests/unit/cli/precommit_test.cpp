// The hooks with real clients: git, Debian's pre-commit framework, a scratch
// repository (tests/precommit/run_e2e.sh does the work; this runs it in ctest).
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "tests/unit/cli/run_cli.h"

TEST_CASE("pre-commit: a commit with a hardcoded password is refused, the fix accepted") {
  cli_test::Run r =
      cli_test::Shell("bash '" POLICY_SOURCE_DIR "/tests/precommit/run_e2e.sh' '" POLICY_SOURCE_DIR
                      "' '" POLICY_CHECK_PATH "'");
  if (r.code == 77) {
    MESSAGE("skipped in part: " << r.out);
    return;
  }
  CHECK_MESSAGE(r.code == 0, r.out);
  CHECK(cli_test::Has(r.out, "ok: hooks/pre-commit refused"));
  CHECK(cli_test::Has(r.out, "ok: pre-commit try-repo accepted"));
  const std::string tag = std::string("v") + POLICY_PROJECT_VERSION;
  CHECK(cli_test::Has(r.out, "ok: README snippet at " + tag + " refused"));
  CHECK(cli_test::Has(r.out, "ok: README snippet at " + tag + " accepted"));
  CHECK(cli_test::Has(r.out, "ok: try-repo --ref " + tag + " policy-check-system refused"));
}

TEST_CASE("pre-commit: the policy-check hook says it builds before it starts building") {
  namespace fs = std::filesystem;
  // A copy of the hook in a scratch checkout, and a cmake that fails at once:
  // the message must come before the build does anything.
  fs::path dir = cli_test::ScratchDir("hook-build");
  fs::create_directories(dir / "hooks");
  fs::create_directories(dir / "bin");
  fs::copy_file(POLICY_SOURCE_DIR "/hooks/policy-check-hook", dir / "hooks" / "policy-check-hook");
  std::ofstream(dir / "bin" / "cmake") << "#!/bin/sh\necho cmake-ran >&2\nexit 1\n";
  fs::permissions(dir / "bin" / "cmake", fs::perms::owner_all);
  cli_test::Run r = cli_test::Shell("cd '" + dir.string() + "' && env -u POLICY_CHECK PATH='" +
                                    (dir / "bin").string() +
                                    ":/usr/bin:/bin' bash hooks/policy-check-hook compose.yaml");
  CHECK(r.code == 2);
  CHECK(cli_test::Has(r.out, "building one from source in " + (dir / "build-hook").string()));
  CHECK(cli_test::Has(r.out, "the build failed"));
  CHECK(cli_test::Has(cli_test::Slurp(dir / "build-hook.log"), "cmake-ran"));
  fs::remove_all(dir);
}
