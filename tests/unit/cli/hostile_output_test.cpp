// Hostile inputs end to end (E5, E8): what the command prints cannot drive a
// terminal, and inputs that once took minutes or gigabytes finish with an
// answer or a located error. Big inputs are generated here.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "run_cli.h"

namespace fs = std::filesystem;
using cli_test::Has;

namespace {

const std::string kTerminal = POLICY_SOURCE_DIR "/tests/hostile/terminal";

// The bytes of the fixture's sequences that act on a terminal.
bool DrivesTerminal(const std::string& out) {
  return Has(out, "\x1b[2J") || Has(out, "\x1b]0;") || Has(out, "\x07") || Has(out, "\xc2\x9b") ||
         Has(out, "\xe2\x80\xae");
}

void Write(const fs::path& p, const std::string& text) {
  fs::create_directories(p.parent_path());
  std::ofstream(p) << text;
}

}  // namespace

TEST_CASE("hostile output: text and GitHub reports print terminal sequences as escapes") {
  for (const char* args : {"--color never compose.yaml", "--color always compose.yaml",
                           "-f github compose.yaml", "-v --color always compose.yaml"}) {
    CAPTURE(args);
    cli_test::Run run = cli_test::PolicyCheckIn(kTerminal, args);
    CHECK(run.code == 1);
    CHECK_FALSE(DrivesTerminal(run.out));
    CHECK_FALSE(DrivesTerminal(run.err));
    CHECK(Has(run.out, "service 'web\\x1B[2J\\x1B]0;pwned\\x07\\u202E'"));
  }
  cli_test::Run text = cli_test::PolicyCheckIn(kTerminal, "--color never compose.yaml");
  CHECK(Has(text.out, "    image: \"nginx:latest\"  # \\x9B hidden \\u202E\n"));
}

TEST_CASE("hostile output: an extends chain of 4 000 growing services is exit 2 at its line") {
  fs::path dir = cli_test::ScratchDir("extends");
  std::string yaml = "services:\n  s0:\n    image: nginx:1.25\n";
  for (int i = 1; i < 4'000; ++i) {
    yaml += "  s" + std::to_string(i) + ":\n    extends: s" + std::to_string(i - 1) +
            "\n    labels:\n      l" + std::to_string(i) + ": x\n";
  }
  Write(dir / "compose.yaml", yaml);
  cli_test::Run run = cli_test::PolicyCheckIn(dir.string(), "compose.yaml");
  CHECK(run.code == 2);
  CHECK_MESSAGE(Has(run.out + run.err,
                    ":14: error: extends: the services' bases would copy more "
                    "than 1000000 values"),
                run.out);
  fs::remove_all(dir);
}

TEST_CASE("hostile output: a 100 000-column CSV header with repeated names is checked") {
  fs::path dir = cli_test::ScratchDir("wide");
  std::string header, row;
  for (int i = 0; i < 100'000; ++i) {
    header += (i ? "," : "") + std::string("c") + std::to_string(i % 99'999);
    row += i ? ",1" : "1";
  }
  Write(dir / "wide.csv", header + "\n" + row + "\n");
  cli_test::Run run = cli_test::PolicyCheckIn(dir.string(), "-f json wide.csv");
  CHECK(run.code == 1);  // the repeated name is a SCHEMA finding
  CHECK(Has(run.out, "duplicate column name 'c0' (also column 1)"));
  fs::remove_all(dir);
}

TEST_CASE("hostile output: an exclude glob of many ** over a deep tree") {
  fs::path dir = cli_test::ScratchDir("deep");
  std::string deep = "a";
  for (int i = 0; i < 150; ++i) deep += "/b";
  const std::string compose = "services:\n  web:\n    image: nginx:latest\n";
  Write(dir / deep / "compose.yaml", compose);
  Write(dir / deep / "skip" / "compose.yaml", compose);
  std::string glob = "a";
  for (int i = 0; i < 30; ++i) glob += "/**/b";
  Write(dir / ".policy-check.yaml",
        "exclude: [\"" + glob + "/**/skip/*.yaml\", \"" + glob + "/**/nothing/**/x\"]\n");
  cli_test::Run run = cli_test::PolicyCheckIn(dir.string(), "-f json .");
  CHECK(run.code == 1);
  CHECK(Has(run.out, deep + "/compose.yaml"));
  CHECK_FALSE(Has(run.out, "skip/compose.yaml"));
  CHECK(Has(run.out, "\"files\": 1"));
  fs::remove_all(dir);
}
