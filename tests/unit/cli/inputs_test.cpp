#include "cli/inputs.h"

#include <doctest/doctest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace fs = std::filesystem;

namespace {

// A scratch tree under the system temp directory, removed at the end.
struct Tree {
  fs::path root;
  Tree() {
    root = fs::temp_directory_path() / ("policy-cli-inputs-" + std::to_string(::getpid()));
    fs::remove_all(root);
    fs::create_directories(root);
  }
  ~Tree() {
    std::error_code ec;
    fs::remove_all(root, ec);
  }
  void File(const std::string& rel, const std::string& text = "x: 1\n") {
    fs::create_directories((root / rel).parent_path());
    std::ofstream(root / rel) << text;
  }
};

std::vector<std::string> Paths(const policy::cli::InputSet& set) {
  std::vector<std::string> out;
  for (const auto& i : set.inputs) out.push_back(i.path);
  return out;
}

}  // namespace

TEST_CASE("inputs: CleanPath drops ./ and doubled or trailing slashes") {
  using policy::cli::CleanPath;
  CHECK(CleanPath("./a/b.yaml") == "a/b.yaml");
  CHECK(CleanPath("././a") == "a");
  CHECK(CleanPath("dir//x.csv") == "dir/x.csv");
  CHECK(CleanPath("dir/") == "dir");
  CHECK(CleanPath(".") == ".");
  CHECK(CleanPath("./") == ".");
  CHECK(CleanPath("/") == "/");
}

TEST_CASE("inputs: directories are walked sorted, skipping what CLI.md skips") {
  Tree t;
  t.File("b/compose.yaml");
  t.File("a/docker-compose.prod.yml");
  t.File("a/invoices.csv");
  t.File("a/notes.txt");
  t.File("a/config.yaml");
  t.File("node_modules/compose.yaml");
  t.File(".git/compose.yaml");
  t.File("vendor/x/compose.yaml");
  t.File(".policy-check.yaml");
  t.File("pack/images.policy", "package p\n");
  t.File("pack/tests/compose.yaml");
  t.File("other/tests/compose.yaml");
  std::istringstream none;
  policy::cli::InputRequest request;
  request.paths = {t.root.string() + "/"};
  auto set = policy::cli::CollectInputs(request, none);
  std::string r = t.root.string();
  CHECK(Paths(set) == std::vector<std::string>{r + "/a/docker-compose.prod.yml",
                                               r + "/a/invoices.csv", r + "/b/compose.yaml",
                                               r + "/other/tests/compose.yaml"});
  CHECK(set.problems.empty());
  CHECK(std::none_of(set.inputs.begin(), set.inputs.end(), [](const auto& i) { return i.named; }));

  // Documents only when an `on document` rule is active.
  request.want_documents = true;
  auto with_docs = policy::cli::CollectInputs(request, none);
  CHECK(std::find(Paths(with_docs).begin(), Paths(with_docs).end(), r + "/a/config.yaml") !=
        Paths(with_docs).end());
}

TEST_CASE("inputs: a walk reads YAML that may be compose by content, whatever its name") {
  Tree t;
  t.File("stack.yml", "# prod\nservices:\n  web:\n    image: nginx\n");
  t.File("k8s.yaml", "apiVersion: v1\nkind: Service\nservices:\n  a: 1\n");
  t.File("config.yaml", "server:\n  services: 1\n");
  t.File("data.json", "{\"services\": {}}\n");
  std::istringstream none;
  policy::cli::InputRequest request;
  request.paths = {t.root.string()};
  auto set = policy::cli::CollectInputs(request, none);
  std::string r = t.root.string();
  CHECK(Paths(set) == std::vector<std::string>{r + "/stack.yml"});
  REQUIRE(set.inputs.size() == 1);
  // Left to the engine, which decides by the parsed content.
  CHECK(set.inputs[0].kind == policy::InputKind::kAuto);

  // A named one too: kept, its kind left to the engine.
  request.paths = {r + "/stack.yml"};
  auto named = policy::cli::CollectInputs(request, none);
  REQUIRE(named.inputs.size() == 1);
  CHECK(named.inputs[0].kind == policy::InputKind::kAuto);
}

TEST_CASE("inputs: named files are kept with --kind, missing ones are problems") {
  Tree t;
  t.File("data.txt");
  t.File("compose.yaml");
  std::istringstream none;
  policy::cli::InputRequest request;
  std::string r = t.root.string();
  request.paths = {r + "/data.txt", r + "/nope.yaml", r + "/compose.yaml"};
  auto set = policy::cli::CollectInputs(request, none);
  CHECK(Paths(set) == std::vector<std::string>{r + "/compose.yaml"});
  REQUIRE(set.problems.size() == 2);
  CHECK(set.problems[0].file == r + "/data.txt");
  CHECK(set.problems[1].file == r + "/nope.yaml");
  CHECK_FALSE(set.problems[1].warning);

  request.kind = policy::InputKind::kRecords;
  auto forced = policy::cli::CollectInputs(request, none);
  REQUIRE(forced.inputs.size() == 2);
  CHECK(forced.inputs[0].kind == policy::InputKind::kRecords);
  CHECK(forced.inputs[0].named);
}

TEST_CASE("inputs: '-' reads standard input and needs --kind") {
  std::istringstream in("services: {}\n");
  policy::cli::InputRequest request;
  request.paths = {"-"};
  auto no_kind = policy::cli::CollectInputs(request, in);
  CHECK(no_kind.inputs.empty());
  REQUIRE(no_kind.problems.size() == 1);
  request.kind = policy::InputKind::kCompose;
  auto set = policy::cli::CollectInputs(request, in);
  REQUIRE(set.inputs.size() == 1);
  CHECK(set.inputs[0].path == "-");
  CHECK(set.inputs[0].text == std::optional<std::string>("services: {}\n"));
}
