// The hooks with real clients: git, Debian's pre-commit framework, a scratch
// repository (tests/precommit/run_e2e.sh does the work; this runs it in ctest).
#include <doctest/doctest.h>

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
  CHECK(cli_test::Has(r.out, "ok: README snippet at v0.2.0 refused"));
  CHECK(cli_test::Has(r.out, "ok: README snippet at v0.2.0 accepted"));
  CHECK(cli_test::Has(r.out, "ok: try-repo --ref v0.2.0 policy-check-system refused"));
}
