// Hostile trees and globs (E5, E6): a walk and rule imports stay inside the
// tree they were given, whatever its symbolic links say; `exclude` globs with
// many `**` over a deep path do bounded work.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "cli/glob.h"
#include "cli/inputs.h"
#include "run_cli.h"

namespace fs = std::filesystem;

namespace {

void Write(const fs::path& p, const std::string& text) {
  fs::create_directories(p.parent_path());
  std::ofstream(p) << text;
}

// The matcher the walk used before: every split of the path at every `**`.
// Exponential in the number of `**`, so only for small cases.
bool Reference(const std::vector<std::string>& g, std::size_t gi, const std::vector<std::string>& p,
               std::size_t pi) {
  if (gi == g.size()) return pi == p.size();
  if (g[gi] == "**") {
    for (std::size_t k = pi; k <= p.size(); ++k)
      if (Reference(g, gi + 1, p, k)) return true;
    return false;
  }
  if (pi == p.size()) return false;
  const bool one = g[gi] == "*" || g[gi] == p[pi];
  return one && Reference(g, gi + 1, p, pi + 1);
}

std::string Join(const std::vector<std::string>& parts) {
  std::string out;
  for (const std::string& s : parts) out += (out.empty() ? "" : "/") + s;
  return out;
}

}  // namespace

TEST_CASE("hostile glob: many ** over a deep path take at most glob x path steps") {
  std::string glob = "a";
  for (int i = 0; i < 40; ++i) glob += "/**/b";
  glob += "/z";  // never there: every split would be tried before
  std::string path = "a";
  for (int i = 0; i < 300; ++i) path += "/b";
  std::size_t steps = 0;
  CHECK_FALSE(policy::cli::GlobMatchCounted(glob, path, steps));
  CHECK(steps <= 82u * 302u);
  steps = 0;
  CHECK(policy::cli::GlobMatchCounted(glob, path + "/z", steps));
  CHECK(steps <= 82u * 303u);
  CHECK(policy::cli::GlobCoversDirectory(glob.substr(0, glob.size() - 2) + "/**", path));
}

TEST_CASE("hostile glob: the same answers as trying every split") {
  std::mt19937 rng(6);
  const char* glob_parts[] = {"a", "b", "*", "**"};
  const char* path_parts[] = {"a", "b", "c"};
  for (int round = 0; round < 3000; ++round) {
    std::vector<std::string> g(1 + rng() % 6), p(rng() % 7);
    for (auto& s : g) s = glob_parts[rng() % 4];
    for (auto& s : p) s = path_parts[rng() % 3];
    if (g.size() == 1 && g[0] != "**") g.insert(g.begin(), "**");  // no last-segment shortcut
    CAPTURE(Join(g));
    CAPTURE(Join(p));
    CHECK(policy::cli::GlobMatch(Join(g), Join(p)) == Reference(g, 0, p, 0));
  }
}

TEST_CASE("hostile walk: a symbolic link out of the walked directory is not read") {
  fs::path dir = cli_test::ScratchDir("walk");
  Write(dir / "outside" / "secret.csv", "name\nTOP-SECRET-LINE\n");
  Write(dir / "tree" / "data" / "real.csv", "name\nok\n");
  fs::create_symlink(dir / "outside" / "secret.csv", dir / "tree" / "data" / "leak.csv");
  fs::create_symlink("real.csv", dir / "tree" / "data" / "alias.csv");  // inside: kept
  fs::create_symlink(dir / "outside", dir / "tree" / "linked-dir");     // never walked

  std::istringstream none;
  policy::cli::InputRequest request;
  request.paths = {(dir / "tree").string()};
  policy::cli::InputSet set = policy::cli::CollectInputs(request, none);
  std::vector<std::string> paths;
  for (const auto& input : set.inputs) paths.push_back(input.path);
  const std::string t = (dir / "tree").string();
  CHECK(paths == std::vector<std::string>{t + "/data/alias.csv", t + "/data/real.csv"});
  REQUIRE(set.problems.size() == 1);
  CHECK(set.problems[0].file == t + "/data/leak.csv");
  CHECK(set.problems[0].warning);
  CHECK(set.problems[0].message.find("outside the walked directory") != std::string::npos);

  // End to end: the target's text appears nowhere, and a warning keeps exit 0.
  Write(dir / "tree" / "rules" / "r.policy",
        "rule T-REC-001 {\n  title \"t\"\n  on records\n  require row.name == \"ok\"\n}\n");
  cli_test::Run run = cli_test::PolicyCheckIn(
      dir.string(), "--no-builtin -r tree/rules/r.policy -f json tree/data");
  CHECK(run.code == 0);
  CHECK_FALSE(cli_test::Has(run.out + run.err, "TOP-SECRET-LINE"));
  CHECK(cli_test::Has(run.out, "leak.csv"));
  fs::remove_all(dir);
}

TEST_CASE("hostile imports: a symbolic link cannot take an import out of the rule root") {
  fs::path dir = cli_test::ScratchDir("imports");
  const std::string rule =
      "rule IMP-%s-001 {\n  title \"t\"\n  on document\n  require doc.a == 1\n}\n";
  auto rule_named = [&](const std::string& id) {
    std::string text = rule;
    text.replace(text.find("%s"), 2, id);
    return text;
  };
  Write(dir / "outside" / "lib.policy", "package outside\n" + rule_named("OUT"));
  Write(dir / "root" / "ok" / "lib.policy", "package inside\n" + rule_named("IN"));
  fs::create_symlink(dir / "outside" / "lib.policy", dir / "root" / "lib.policy");
  fs::create_symlink(dir / "outside", dir / "root" / "sub");
  fs::create_symlink("ok/lib.policy", dir / "root" / "near.policy");  // stays inside

  Write(dir / "root" / "main.policy", "import \"lib.policy\"\n" + rule_named("MAIN"));
  cli_test::Run file_link = cli_test::PolicyCheckIn(dir.string(), "compile root/main.policy");
  CHECK(file_link.code == 2);
  CHECK(cli_test::Has(file_link.out + file_link.err, "leaves the rule root"));

  Write(dir / "root" / "main.policy", "import \"sub/lib.policy\"\n" + rule_named("MAIN"));
  cli_test::Run dir_link = cli_test::PolicyCheckIn(dir.string(), "compile root/main.policy");
  CHECK(dir_link.code == 2);
  CHECK(cli_test::Has(dir_link.out + dir_link.err, "leaves the rule root"));

  Write(dir / "root" / "main.policy", "import \"near.policy\"\n" + rule_named("MAIN"));
  cli_test::Run inside = cli_test::PolicyCheckIn(dir.string(), "compile root/main.policy");
  CHECK_MESSAGE(inside.code == 0, (inside.out + inside.err));
  fs::remove_all(dir);
}
