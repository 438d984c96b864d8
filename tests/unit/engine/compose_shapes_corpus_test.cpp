// The shapes the compiler checks compose member access against
// (check/compose_shapes.h) allow every key the normaliser writes, on real
// files: each awesome-compose file (POLICY_SHARED_DIR/corpus) and
// examples/compose.yaml is loaded twice, as written and normalised, and every
// key of the normalised file that its shape refuses must be one the file
// itself wrote (an invalid compose key), never one normalisation added.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "libpolicy/check/compose_shapes.h"
#include "libpolicy/load/loaders.h"

namespace {

namespace fs = std::filesystem;
using policy::Type;
using policy::Value;
using policy::check::ComposeShape;

struct Walk {
  std::vector<std::string> added;    // refused keys normalisation wrote: must be none
  std::vector<std::string> written;  // refused keys the file wrote
  size_t checked = 0;

  void Visit(const Value& v, const Value* raw, const ComposeShape* shape, const std::string& path) {
    if (shape == nullptr) return;
    if (v.is(Type::kMap)) {
      for (const policy::MapEntry& e : v.as_map()) {
        const Value* raw_child = raw != nullptr && raw->is(Type::kMap) ? raw->Find(e.key) : nullptr;
        const std::string child_path = path + "." + std::string(e.key);
        policy::check::MemberLookup found = policy::check::LookupMember(*shape, e.key);
        ++checked;
        if (found.unknown) {
          (raw_child != nullptr ? written : added).push_back(child_path);
          continue;
        }
        Visit(e.value, raw_child, found.shape, child_path);
      }
    } else if (v.is(Type::kList) && shape->items != nullptr) {
      auto items = v.as_list();
      for (size_t i = 0; i < items.size(); ++i) {
        const Value* raw_item = raw != nullptr && raw->is(Type::kList) && i < raw->as_list().size()
                                    ? &raw->as_list()[i]
                                    : nullptr;
        Visit(items[i], raw_item, shape->items, path + "[" + std::to_string(i) + "]");
      }
    }
  }
};

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

TEST_CASE("every key the compose normaliser writes is one the compile-time shapes allow") {
  const ComposeShape* root = policy::check::ComposeRootShape();
  REQUIRE(root != nullptr);
  std::vector<fs::path> files = {fs::path(POLICY_SOURCE_DIR) / "examples" / "compose.yaml"};
  const fs::path corpus = fs::path(POLICY_SHARED_DIR) / "corpus" / "awesome-compose";
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(corpus, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name == "compose.yaml" || name == "compose.yml" || name == "docker-compose.yml" ||
        name == "docker-compose.yaml")
      files.push_back(it->path());
  }
  Walk walk;
  size_t loaded = 0;
  for (const fs::path& file : files) {
    const std::string text = ReadFile(file);
    policy::load::DocumentsResult raw = policy::load::LoadYaml(text, file.string(), {}, true);
    policy::load::DocumentsResult normal = policy::load::LoadYaml(text, file.string(), {}, true);
    if (raw.error || normal.error || raw.documents.empty()) continue;
    if (policy::load::NormalizeCompose(*normal.documents[0])) continue;
    ++loaded;
    walk.Visit(normal.documents[0]->root, &raw.documents[0]->root, root, file.string());
  }
  INFO("loaded " << loaded << " files, checked " << walk.checked << " keys");
  for (const std::string& k : walk.written) MESSAGE("a key the file wrote is refused: " << k);
  CHECK(loaded >= 1);
  CHECK(walk.checked > 10);
  for (const std::string& k : walk.added) FAIL_CHECK("normalisation wrote a refused key: " << k);
}
