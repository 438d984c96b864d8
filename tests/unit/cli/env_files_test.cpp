// A compose project's env files (CLI.md "Inputs"): the .env beside a compose
// file and its services' env_file: are checked with it, once each, also when
// git ignores them; dotenv files by name, --kind dotenv and kind: dotenv.
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

// Two compose projects sharing one env file, with every env_file form.
fs::path Project() {
  fs::path dir = cli_test::ScratchDir("envfiles");
  Write(dir / ".gitignore", ".env\nsecrets/\n");
  Write(dir / "compose.yaml",
        "services:\n"
        "  web:\n"
        "    image: nginx:1.25.3\n"
        "    env_file:\n"
        "      - ./config/web.env\n"
        "      - path: ./secrets/optional.env\n"
        "        required: false\n"
        "      - missing.env\n"
        "  db:\n"
        "    image: postgres:16.4\n"
        "    env_file: config/web.env\n");
  Write(dir / "sub" / "docker-compose.yml",
        "services:\n"
        "  api:\n"
        "    image: app:1.2.3\n"
        "    env_file: [../config/web.env, ../secrets/api.env, \"${ENV_FILE}\"]\n");
  Write(dir / ".env", "DB_PASSWORD=hunter2hunter2\n");
  Write(dir / "config" / "web.env", "API_TOKEN=abcdefghijkl\nLOG_LEVEL=info\n");
  Write(dir / "secrets" / "api.env", "STRIPE_SECRET_KEY=sk_live_abcdefghijklmnop\n");
  return dir;
}

}  // namespace

TEST_CASE("env files: a compose project's .env and env_file: are checked with it, once each") {
  fs::path dir = Project();
  Run git = cli_test::Shell("cd '" + dir.string() + "' && git init -q .");
  if (git.code != 0) {
    MESSAGE("skipped: git is not usable here: " << git.out);
    return;
  }
  // .env and secrets/ are ignored by git, and still listed: compose reads them.
  Run listed = cli_test::PolicyCheckIn(dir.string(), "--list-files");
  CHECK_MESSAGE(listed.code == 0, listed.err);
  CHECK(listed.out ==
        "compose.yaml\tcompose\t\n"
        "config/web.env\tdotenv\t\n"
        "sub/docker-compose.yml\tcompose\t\n"
        ".env\tdotenv\t\n"
        "secrets/api.env\tdotenv\t\n");
  // The missing env_file is a warning at its place; the optional one and the
  // ${ENV_FILE} reference say nothing.
  CHECK(Has(listed.err, "compose.yaml: warning: env_file 'missing.env' does not exist"));
  CHECK_FALSE(Has(listed.err, "optional.env"));
  CHECK_FALSE(Has(listed.err, "ENV_FILE"));

  // One compose file named: its own env files come with it, the other project's do not.
  CHECK(cli_test::PolicyCheckIn(dir.string(), "--list-files compose.yaml").out ==
        "compose.yaml\tcompose\t\n"
        ".env\tdotenv\t\n"
        "config/web.env\tdotenv\t\n");

  Run check = cli_test::PolicyCheckIn(dir.string(), "--only RDY-SEC-008 -f json .");
  CHECK(check.code == 1);
  nlohmann::json report = nlohmann::json::parse(check.out);
  std::vector<std::string> where;
  for (const auto& f : report["findings"])
    where.push_back(f["file"].get<std::string>() + ":" + std::to_string(f["line"].get<int>()));
  // Each file once, though two compose files name config/web.env.
  CHECK(where == std::vector<std::string>{".env:1", "config/web.env:1", "secrets/api.env:1"});
  CHECK_FALSE(Has(check.out, "hunter2"));
  CHECK_FALSE(Has(check.out, "abcdefghijkl"));
  CHECK_FALSE(Has(check.out, "sk_live_abcdef"));

  // --no-env-files (the pre-commit hooks): only what is named or walked.
  CHECK(cli_test::PolicyCheckIn(dir.string(), "--list-files --no-env-files compose.yaml").out ==
        "compose.yaml\tcompose\t\n");
  CHECK(
      cli_test::PolicyCheckIn(dir.string(), "--list-files --no-env-files compose.yaml .env").out ==
      "compose.yaml\tcompose\t\n"
      ".env\tdotenv\t\n");

  // --compose-merge: the env files of every merged file, each once.
  CHECK(cli_test::PolicyCheckIn(dir.string(),
                                "--list-files --compose-merge compose.yaml sub/docker-compose.yml")
            .out ==
        "compose.yaml\tcompose\t\n"
        ".env\tdotenv\t\n"
        "config/web.env\tdotenv\t\n"
        "secrets/api.env\tdotenv\t\n");

  // The configuration's exclude: still applies.
  Write(dir / ".policy-check.yaml", "exclude: [\".env\"]\n");
  Run excluded = cli_test::PolicyCheckIn(dir.string(), "--list-files compose.yaml");
  CHECK(excluded.out ==
        "compose.yaml\tcompose\t\n"
        "config/web.env\tdotenv\t\n");
  fs::remove_all(dir);
}

TEST_CASE("env files: dotenv inputs by name, --kind dotenv, and their errors") {
  fs::path dir = cli_test::ScratchDir("dotenvkind");
  Write(dir / ".env.production", "SECRET_KEY=0123456789abcdef\n");
  Write(dir / ".env.example", "SECRET_KEY=changeme\nDB_PASSWORD=password\n");
  Write(dir / "vars.txt", "API_KEY=abcdefghij0123\n");
  Write(dir / "broken" / ".env", "A=1\nB=\"never closed\n");
  Write(dir / "walked" / "app.env", "this is not a dotenv line\n");
  Run listed = cli_test::PolicyCheckIn(dir.string(), "--list-files --no-ignore .");
  CHECK(listed.out ==
        ".env.example\tdotenv\t\n"
        ".env.production\tdotenv\t\n"
        "broken/.env\tdotenv\t\n"
        "walked/app.env\tdotenv\t\n");
  // A template's placeholders pass; the real file's secret does not.
  Run check =
      cli_test::PolicyCheckIn(dir.string(), "--only RDY-SEC-008 .env.production .env.example");
  CHECK(check.code == 1);
  CHECK(Has(check.out, ".env.production:1:12: error: SECRET_KEY is a secret in clear (01****)"));
  CHECK_FALSE(Has(check.out, ".env.example:"));
  // --kind dotenv reads any name.
  Run forced = cli_test::PolicyCheckIn(dir.string(), "--only RDY-SEC-008 --kind dotenv vars.txt");
  CHECK(forced.code == 1);
  CHECK(Has(forced.out, "vars.txt:1:9: error: API_KEY is a secret in clear"));
  // A named file that does not parse: an input error at the quote (exit 2).
  Run broken = cli_test::PolicyCheckIn(dir.string(), "broken/.env");
  CHECK(broken.code == 2);
  CHECK(Has(broken.out + broken.err, "broken/.env:2:3: error: unterminated quoted value"));
  // Walked, it is only a warning: templates (.env.j2) share the name.
  Run walked = cli_test::PolicyCheckIn(dir.string(), "--no-ignore walked");
  CHECK(walked.code == 0);
  CHECK(Has(walked.out + walked.err,
            "walked/app.env:1:1: warning: a variable name cannot contain a space"));
  fs::remove_all(dir);
}

TEST_CASE("env files: the readiness matrix counts an env file's findings against its services") {
  fs::path dir = cli_test::ScratchDir("envmatrix");
  Write(dir / "compose.yaml",
        "services:\n"
        "  api:\n"
        "    image: app:1.2.3\n"
        "    env_file: api.env\n"
        "  web:\n"
        "    image: nginx:1.25.3\n");
  Write(dir / "api.env", "API_TOKEN=abcdefghijkl0123\n");
  Run r = cli_test::PolicyCheckIn(dir.string(),
                                  "--only RDY-SEC-008 -f markdown compose.yaml -c /dev/null");
  CHECK(r.code == 1);
  // Columns: image, health, secrets, ...; api reads the file, web does not.
  CHECK(Has(r.out, "| `api` | ✅ | ✅ | ❌ |"));
  CHECK(Has(r.out, "| `web` | ✅ | ✅ | ✅ |"));
  CHECK(Has(r.out, "Readiness: 50% (1/2 services ready)"));
  CHECK(Has(r.out, "- `api.env`: 1 error, 0 warnings"));
  fs::remove_all(dir);
}
