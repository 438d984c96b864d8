// The bundled examples the demo and the README show: their results are pinned,
// so a change to a pack or the engine that moves them is seen.
#include <doctest/doctest.h>

#include "run_cli.h"

using cli_test::PolicyCheckIn;

namespace {
bool Has(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}
}  // namespace

TEST_CASE("examples: the ERP reference stack's readiness matrix") {
  auto r =
      PolicyCheckIn(POLICY_SOURCE_DIR, "-f markdown examples/erp/docker-compose.yml -c /dev/null");
  CHECK(r.code == 1);
  CHECK(Has(r.out, "Readiness: 13% (5/39 services ready)"));
  // The five services planted production-ready, and a broken one.
  for (const char* ready : {"prometheus", "audit", "configuration", "finance", "customer-portal"}) {
    CAPTURE(ready);
    CHECK(Has(r.out, std::string("| `") + ready +
                         "` | ✅ | ✅ | ✅ | ✅ | ✅ | ✅ | ✅ | ✅ | ✅ | ✅ | 100% | ✅ |"));
  }
  CHECK(Has(r.out, "| `traefik` | ❌ |"));
}

TEST_CASE("examples: the language demo gives the findings examples/README.md lists") {
  auto r = PolicyCheckIn(POLICY_SOURCE_DIR,
                         "--no-builtin --rules examples/rules examples/compose.yaml "
                         "examples/invoices.csv -c /dev/null");
  CHECK(r.code == 1);
  CHECK(Has(r.err, "18 errors, 3 warnings in 2 files"));
  CHECK(Has(r.out,
            "examples/compose.yaml:31:26: error: service 'postgres': POSTGRES_PASSWORD is "
            "hardcoded (er****)"));
  CHECK_FALSE(Has(r.out, "erp-admin-2024"));  // the planted password is never printed
}

TEST_CASE("examples: a compose project's env files give the findings examples/README.md lists") {
  auto r = PolicyCheckIn(POLICY_SOURCE_DIR,
                         "--only RDY-SEC-008 examples/dotenv/compose.yaml -c /dev/null");
  CHECK(r.code == 1);
  CHECK(Has(r.err, "3 errors, 0 warnings, 1 input warning in 4 files"));
  CHECK(Has(r.out,
            "examples/dotenv/config/api.env:4:16: error: STRIPE_API_KEY is a secret in "
            "clear (sk****)"));
  CHECK(Has(r.out, "examples/dotenv/config/api.env:5:16: error: SESSION_SECRET"));
  CHECK(Has(r.out, "examples/dotenv/config/db.env:3:19: error: POSTGRES_PASSWORD"));
  CHECK_FALSE(Has(r.out, "erp-db-2024"));
  CHECK_FALSE(Has(r.out, "sk_live"));
  // Walked, the template comes too, and passes.
  auto walked = PolicyCheckIn(POLICY_SOURCE_DIR, "--only RDY-SEC-008 examples/dotenv -c /dev/null");
  CHECK(Has(walked.err, "3 errors, 0 warnings, 1 input warning in 5 files"));
}

TEST_CASE("examples: the Bangladesh data samples") {
  auto r = PolicyCheckIn(POLICY_SOURCE_DIR, "examples/data -c /dev/null");
  CHECK(r.code == 1);
  CHECK(Has(r.err, "12 errors, 6 warnings in 3 files"));
}

TEST_CASE("examples: a compose file without findings is in the matrix, all ready") {
  auto dir = cli_test::ScratchDir("clean");
  std::ofstream(dir / "compose.yaml") << "services:\n  web:\n    image: nginx:1.25.3\n";
  auto r = PolicyCheckIn(dir.string(), "-f markdown --no-builtin --rules '" POLICY_SOURCE_DIR
                                       "/rules/readiness/images.policy' compose.yaml -c /dev/null");
  CHECK(r.code == 0);
  CHECK(Has(r.out, "Readiness: 100% (1/1 services ready)"));
  CHECK(Has(r.out, "| `web` | ✅ | 100% | ✅ |"));
  std::filesystem::remove_all(dir);
}
