// The YAML project's conformance suite (shared/corpus/yaml-test-suite) run through
// LoadYaml: every input marked `error` must be an input error with a line and a
// column, and every valid input with an `in.json` must load to that data.
//
// How loaded data is compared with in.json: in.json is read with our own JSON
// loader (numbers as exact decimals) and compared with Equal(), so a JSON number
// equals a YAML decimal of the same value (12 == 0o14 == 12.0), null only equals
// null, booleans only booleans, strings byte for byte, lists item by item and maps
// key by key in any order (JSON keys are strings; a YAML scalar key is compared
// by its text as written). A multi-document in.json holds one JSON value per YAML
// document, one after another; an empty in.json means a stream with no document.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "libpolicy/load/loaders.h"
#include "libpolicy/value.h"

namespace policy::load::test {
namespace {

namespace fs = std::filesystem;

// The environment's POLICY_SHARED_DIR wins over the build's: a worktree outside
// the project folder finds shared/ there.
fs::path SuiteDir() {
  const char* shared = std::getenv("POLICY_SHARED_DIR");
  return fs::path(shared != nullptr ? shared : POLICY_SHARED_DIR) / "corpus" / "yaml-test-suite";
}
const fs::path kSuite = SuiteDir();

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// The top-level JSON values of a text holding several one after another.
std::vector<std::string> SplitJsonValues(const std::string& text) {
  std::vector<std::string> values;
  std::size_t i = 0;
  auto is_space = [](char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; };
  while (true) {
    while (i < text.size() && is_space(text[i])) ++i;
    if (i >= text.size()) break;
    std::size_t start = i;
    int depth = 0;
    bool in_string = false;
    for (; i < text.size(); ++i) {
      char c = text[i];
      if (in_string) {
        if (c == '\\') {
          ++i;
        } else if (c == '"') {
          in_string = false;
          if (depth == 0) {
            ++i;
            break;
          }
        }
        continue;
      }
      if (c == '"') {
        in_string = true;
      } else if (c == '[' || c == '{') {
        ++depth;
      } else if (c == ']' || c == '}') {
        if (--depth == 0) {
          ++i;
          break;
        }
      } else if (depth == 0 && is_space(c)) {
        break;  // the end of a top-level number, true, false or null
      }
    }
    values.push_back(text.substr(start, i - start));
  }
  return values;
}

struct Case {
  std::string id;  // "2G84/01"
  fs::path dir;
  bool must_fail = false;
  bool has_json = false;
};

std::vector<Case> Cases() {
  std::vector<Case> cases;
  for (auto it = fs::recursive_directory_iterator(kSuite); it != fs::recursive_directory_iterator();
       ++it) {
    std::string name = it->path().filename().string();
    if (it.depth() == 0 && (name == "name" || name == "tags")) {  // indexes of symlinks
      it.disable_recursion_pending();
      continue;
    }
    if (name != "in.yaml") continue;
    Case c;
    c.dir = it->path().parent_path();
    c.id = fs::relative(c.dir, kSuite).generic_string();
    c.must_fail = fs::exists(c.dir / "error");
    c.has_json = fs::exists(c.dir / "in.json");
    cases.push_back(c);
  }
  std::sort(cases.begin(), cases.end(), [](const Case& a, const Case& b) { return a.id < b.id; });
  return cases;
}

// Empty when the case passes, else why not.
std::string Run(const Case& c) {
  LoadLimits limits;
  std::string yaml = ReadFile(c.dir / "in.yaml");
  DocumentsResult r = LoadYaml(yaml, c.id, limits, false);
  if (c.must_fail) {
    if (!r.error) return "accepted";
    if (r.error->line == 0 || r.error->column == 0) return "error without line:column";
    return {};
  }
  if (r.error) return "refused: " + r.error->message;
  if (!c.has_json) return {};
  std::vector<std::string> expected = SplitJsonValues(ReadFile(c.dir / "in.json"));
  if (expected.size() != r.documents.size()) {
    return std::to_string(r.documents.size()) + " documents, in.json has " +
           std::to_string(expected.size());
  }
  for (std::size_t i = 0; i < expected.size(); ++i) {
    DocumentsResult j = LoadJson(expected[i], "in.json", limits);
    if (j.error) return "in.json unreadable: " + j.error->message;
    const Value& want = j.documents[0]->root;
    const Value& got = r.documents[i]->root;
    if (!Equal(want, got)) return "loaded " + ToJson(got) + ", in.json has " + ToJson(want);
  }
  return {};
}

// Valid inputs the loader refuses on purpose: each is YAML a policy value cannot
// hold, refused with a message that says so (LANGUAGE.md section 3). The test
// fails when one of them starts loading or another valid input fails.
// Each maps to the part of the error message that says why. None of them has an
// in.json: JSON cannot write them either. 2JQS holds two empty (null) keys in
// one mapping, which a policy map (text keys) reads as one key written twice.
const std::map<std::string, std::string> kRefusedOnPurpose = {
    {"2JQS", "duplicate empty key"},        {"4FJ6", "a list used as a key"},
    {"6BFJ", "a list used as a key"},       {"6PBE", "a list used as a key"},
    {"9MMW", "a mapping used as a key"},    {"KK5P", "a list used as a key"},
    {"LX3P", "a list used as a key"},       {"M2N8/00", "a mapping used as a key"},
    {"M2N8/01", "a mapping used as a key"}, {"M5DY", "a list used as a key"},
    {"Q9WF", "a mapping used as a key"},    {"RZP5", "a list used as a key"},
    {"SBG9", "a list used as a key"},       {"V9D5", "a mapping used as a key"},
    {"X38W", "a list used as a key"},       {"XW4D", "a list used as a key"},
};

TEST_CASE("yaml suite: invalid inputs are errors, valid ones load to in.json") {
  REQUIRE_MESSAGE(fs::exists(kSuite), "missing " << kSuite);
  std::vector<Case> cases = Cases();
  int invalid = 0, invalid_rejected = 0, valid = 0, valid_loaded = 0, valid_json = 0,
      valid_json_equal = 0;
  std::set<std::string> failed_valid;
  for (const Case& c : cases) {
    std::string why = Run(c);
    if (c.must_fail) {
      ++invalid;
      if (why.empty()) ++invalid_rejected;
    } else {
      ++valid;
      if (c.has_json) ++valid_json;
      if (why.empty()) {
        ++valid_loaded;
        if (c.has_json) ++valid_json_equal;
      } else {
        failed_valid.insert(c.id);
      }
    }
    auto refusal = c.must_fail ? kRefusedOnPurpose.end() : kRefusedOnPurpose.find(c.id);
    bool expected_refusal = refusal != kRefusedOnPurpose.end();
    if (expected_refusal) {
      CHECK_MESSAGE(why.find(refusal->second) != std::string::npos, c.id << ": " << why);
    }
    if (!why.empty() && !expected_refusal) {
      const std::string line = c.id + (c.must_fail ? " (invalid): " : " (valid): ") + why;
      MESSAGE(line);
    }
  }
  std::cout << "yaml-test-suite: invalid rejected " << invalid_rejected << "/" << invalid
            << ", valid with in.json equal " << valid_json_equal << "/" << valid_json
            << ", valid loaded " << valid_loaded << "/" << valid << "\n";
  CHECK(invalid == 94);
  CHECK(invalid_rejected == invalid);
  CHECK(valid == 308);
  CHECK(valid_json == 279);
  CHECK(valid_json_equal == valid_json);
  std::set<std::string> expected_failures;
  for (const auto& [id, reason] : kRefusedOnPurpose) expected_failures.insert(id);
  CHECK(failed_valid == expected_failures);
}

}  // namespace
}  // namespace policy::load::test
