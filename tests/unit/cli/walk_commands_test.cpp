// Walking as a user expects (git's ignore rules, --no-ignore, --list-files) and
// the subcommands' own formats (compile -f json, test -f junit, --fail-on-empty).
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "tests/unit/cli/run_cli.h"

namespace {

namespace fs = std::filesystem;
using cli_test::Has;
using cli_test::Run;

void Write(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

const char* kCompose = "services:\n  web:\n    image: nginx:latest\n";

// A work tree with ignored files beside checked ones.
fs::path GitTree() {
  fs::path dir = cli_test::ScratchDir("gitwalk");
  Write(dir / ".gitignore", "ignored/\ncompose.local.yaml\n*.tmp.csv\n");
  Write(dir / "compose.yaml", kCompose);
  Write(dir / "compose.local.yaml", kCompose);
  Write(dir / "ignored" / "compose.yaml", kCompose);
  Write(dir / "sub" / ".gitignore", "secret-compose.yaml\n");
  Write(dir / "sub" / "docker-compose.yml", kCompose);
  Write(dir / "sub" / "secret-compose.yaml", kCompose);
  Write(dir / "stack.yml", kCompose);  // compose by its content
  Write(dir / "values.yaml", "replicaCount: 1\n");
  Write(dir / "data" / "invoices.csv", "invoice_no,bin\n1,123\n");
  Write(dir / "data" / "old.tmp.csv", "invoice_no,bin\n1,123\n");
  return dir;
}

}  // namespace

TEST_CASE("walk: in a git work tree, ignored files are skipped unless --no-ignore or named") {
  fs::path dir = GitTree();
  Run git = cli_test::Shell("cd '" + dir.string() + "' && git init -q .");
  if (git.code != 0) {
    MESSAGE("skipped: git is not usable here: " << git.out);
    return;
  }
  Run listed = cli_test::PolicyCheckIn(dir.string(), "--list-files");
  CHECK_MESSAGE(listed.code == 0, listed.err);
  CHECK(listed.out ==
        "compose.yaml\tcompose\t\n"
        "data/invoices.csv\trecords\tinvoice\n"
        "stack.yml\tcompose\t\n"
        "sub/docker-compose.yml\tcompose\t\n");
  // A subdirectory named on the command line: its paths keep the name.
  CHECK(cli_test::PolicyCheckIn(dir.string(), "--list-files sub").out ==
        "sub/docker-compose.yml\tcompose\t\n");
  Run all = cli_test::PolicyCheckIn(dir.string(), "--list-files --no-ignore .");
  CHECK(all.out ==
        "compose.local.yaml\tcompose\t\n"
        "compose.yaml\tcompose\t\n"
        "data/invoices.csv\trecords\tinvoice\n"
        "data/old.tmp.csv\trecords\t\n"
        "ignored/compose.yaml\tcompose\t\n"
        "stack.yml\tcompose\t\n"
        "sub/docker-compose.yml\tcompose\t\n"
        "sub/secret-compose.yaml\tcompose\t\n");
  // Named files are always checked.
  CHECK(cli_test::PolicyCheckIn(dir.string(), "--list-files ignored/compose.yaml").out ==
        "ignored/compose.yaml\tcompose\t\n");
  // The check itself walks the same files.
  Run check = cli_test::PolicyCheckIn(dir.string(), "--only RDY-IMG-001 .");
  CHECK(check.code == 1);
  CHECK(Has(check.out, "compose.yaml"));
  CHECK_FALSE(Has(check.out, "ignored/"));
  fs::remove_all(dir);
}

TEST_CASE("walk: outside a git work tree nothing is ignored") {
  fs::path dir = GitTree();
  // GIT_CEILING_DIRECTORIES keeps git from finding a repository above the scratch directory.
  Run listed =
      cli_test::Shell("cd '" + dir.string() + "' && GIT_CEILING_DIRECTORIES='" +
                      dir.parent_path().string() + "' '" + POLICY_CHECK_PATH + "' --list-files");
  CHECK(listed.code == 0);
  CHECK(Has(listed.out, "ignored/compose.yaml\tcompose\t\n"));
  CHECK(Has(listed.out, "compose.local.yaml\tcompose\t\n"));
  fs::remove_all(dir);
}

TEST_CASE("list-files: a missing named input is an error, nothing is checked") {
  fs::path dir = GitTree();
  Run r = cli_test::PolicyCheckIn(dir.string(), "--list-files compose.yaml nope.yaml");
  CHECK(r.code == 2);
  CHECK(r.out == "compose.yaml\tcompose\t\n");
  CHECK(Has(r.err, "nope.yaml: error: no such file or directory"));
  CHECK_FALSE(Has(r.err, "RDY-"));
  fs::remove_all(dir);
}

TEST_CASE("compile -f json: diagnostics as data") {
  Run bad = cli_test::PolicyCheckIn(cli_test::kData, "compile -f json bad_rules");
  CHECK(bad.code == 2);
  auto doc = nlohmann::json::parse(bad.out);
  REQUIRE_FALSE(doc["diagnostics"].empty());
  CHECK(doc["diagnostics"][0]["severity"] == "error");
  CHECK(doc["diagnostics"][0]["file"].get<std::string>().find("broken.policy") !=
        std::string::npos);
  CHECK(doc["rules"] == 0);
  Run good = cli_test::PolicyCheckIn(cli_test::kData, "compile -f json rules");
  CHECK(good.code == 0);
  auto ok = nlohmann::json::parse(good.out);
  CHECK(ok["diagnostics"].empty());
  CHECK(ok["rules"].get<int>() > 0);
}

TEST_CASE("test -f junit and --fail-on-empty") {
  fs::path dir = cli_test::ScratchDir("packtest");
  std::string out = (dir / "tests.xml").string();
  Run r = cli_test::PolicyCheckIn(cli_test::kData, "test -f junit -o " + out + " failpack");
  CHECK(r.code == 1);
  CHECK(Has(r.err, "0 passed, 1 failed"));
  std::string xml = cli_test::Slurp(out);
  CHECK(Has(xml, "<testsuite name=\"failpack\" tests=\"1\" failures=\"1\" errors=\"0\">"));
  CHECK(Has(xml, "<testcase name=\"failpack/tests/compose-bad.yaml\" classname=\"failpack\">"));
  Run parsed = cli_test::Shell(
      "python3 -c \"import xml.etree.ElementTree as E; "
      "print(len(E.parse('" +
      out + "').getroot()))\"");
  CHECK(parsed.out == "1\n");

  // A pack with rules but no fixture passes, unless --fail-on-empty.
  Write(dir / "empty" / "x.policy", cli_test::Slurp(cli_test::kData + "/failpack/images.policy"));
  Run lax = cli_test::PolicyCheckIn(dir.string(), "test empty");
  CHECK(lax.code == 0);
  CHECK(Has(lax.out, "0 passed, 0 failed"));
  Run strict = cli_test::PolicyCheckIn(dir.string(), "test --fail-on-empty empty");
  CHECK(strict.code == 1);
  CHECK(Has(strict.out, "empty: no fixture"));
  Run junit = cli_test::PolicyCheckIn(dir.string(), "test --fail-on-empty -f junit empty");
  CHECK(junit.code == 1);
  CHECK(Has(junit.out, "<error message=\"no fixture\"/>"));
  fs::remove_all(dir);
}

TEST_CASE("help: SUBCOMMAND --help prints that subcommand's usage") {
  Run r = cli_test::PolicyCheckIn(cli_test::kData, "test --help");
  CHECK(r.code == 0);
  CHECK(r.out.rfind("Usage: policy-check test", 0) == 0);
  Run typo = cli_test::PolicyCheckIn(cli_test::kData, "tset");
  CHECK(typo.code == 2);
  CHECK(Has(typo.err, "did you mean 'test'?"));
}
