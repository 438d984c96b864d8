// Every parse error names what was expected in words. The rule packs under
// rules/, cut short at every line and mid-line and mutated at seeded random
// places, must give diagnostics that never leak the parser's internals (a
// mangled X3 type such as N5boost6spirit2x36actionI...), and must not crash.
#include <doctest/doctest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "libpolicy/syntax/parser.h"

namespace policy::syntax {
namespace {

namespace fs = std::filesystem;

std::vector<std::pair<std::string, std::string>> PackFiles() {
  std::vector<std::pair<std::string, std::string>> files;
  for (const auto& entry :
       fs::recursive_directory_iterator(fs::path(POLICY_SOURCE_DIR) / "rules")) {
    if (entry.path().extension() != ".policy") continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    files.emplace_back(entry.path().filename().string(), text.str());
  }
  std::sort(files.begin(), files.end());
  return files;
}

// The parser's internals: X3 and Boost names, and Itanium-mangled type names.
// Quoted text ('...') is the input's own, so it is not searched.
bool LeaksInternals(const std::string& full) {
  std::string message;
  bool quoted = false;
  for (char c : full) {
    if (c == '\'') quoted = !quoted;
    if (!quoted) message += c;
  }
  for (const char* word : {"boost", "spirit", "x3", "N5", "_GLOBAL__N", "ZN", "::"})
    if (message.find(word) != std::string::npos) return true;
  // A mangled name: N or I, a length, then an identifier (N6policy, I4Rule).
  auto is_digit = [](char c) { return c >= '0' && c <= '9'; };
  auto is_alpha = [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
  };
  for (size_t i = 0; i + 2 < message.size(); ++i) {
    if (message[i] != 'N' && message[i] != 'I') continue;
    size_t j = i + 1;
    while (j < message.size() && is_digit(message[j])) ++j;
    if (j > i + 1 && message[i + 1] != '0' && j < message.size() && is_alpha(message[j]))
      return true;
  }
  return false;
}

struct Tally {
  size_t parsed = 0;
  size_t errors = 0;
  std::vector<std::string> leaks;
};

void ParseAndCheck(const std::string& name, const std::string& text, Tally& tally) {
  SourceFile source(name, text);
  ParseResult r = Parse(source);
  ++tally.parsed;
  for (const Diagnostic& d : r.diagnostics) {
    ++tally.errors;
    if (LeaksInternals(d.message) && tally.leaks.size() < 20)
      tally.leaks.push_back(name + ":" + std::to_string(d.line) + ":" + std::to_string(d.column) +
                            ": " + d.message);
  }
}

TEST_CASE("the leak check recognises the mangled names X3 used to print") {
  CHECK(LeaksInternals(
      "expected N5boost6spirit2x36actionIN6policy6syntax7grammar6RuleIdEEE, found 'x'"));
  CHECK(LeaksInternals("expected N6policy6syntax7grammar6NestedIS2_EE, found 'x'"));
  CHECK_FALSE(LeaksInternals("expected a rule id such as RDY-IMG-001, found 'x'"));
  CHECK_FALSE(LeaksInternals("expected ')', found 'rule'"));
}

TEST_CASE("a rule id that is not one is named in words") {
  SourceFile source("bad.policy", "rule x-1 {\n");
  ParseResult r = Parse(source);
  REQUIRE(!r.diagnostics.empty());
  CHECK(r.diagnostics[0].message == "expected a rule id such as RDY-IMG-001, found 'x'");
}

TEST_CASE("every prefix of the rule packs parses to words, never internals") {
  Tally tally;
  for (const auto& [name, text] : PackFiles()) {
    CAPTURE(name);
    // Cut at every line end, at every token of the first lines, and mid-line.
    for (size_t at = 0; at < text.size(); ++at) {
      bool line_end = text[at] == '\n';
      bool early = at < 600;
      bool mid_line = at > 0 && text[at - 1] == '\n' && at + 7 < text.size();
      if (line_end || early) ParseAndCheck(name, text.substr(0, at), tally);
      if (mid_line) ParseAndCheck(name, text.substr(0, at + 7), tally);
    }
  }
  CHECK(tally.parsed > 1000);
  CHECK(tally.errors > 1000);
  CHECK_MESSAGE(tally.leaks.empty(), (tally.leaks.empty() ? std::string() : tally.leaks.front()));
  for (const std::string& leak : tally.leaks) MESSAGE(leak);
}

TEST_CASE("seeded mutations of the rule packs parse to words, never internals") {
  std::mt19937 rng(20261207);
  const std::string replacements = "{}()[],.:=\"/#%-+*<>!? \nxX0_";
  Tally tally;
  for (const auto& [name, text] : PackFiles()) {
    CAPTURE(name);
    if (text.empty()) continue;
    for (int i = 0; i < 150; ++i) {
      std::string mutated = text;
      size_t at = rng() % mutated.size();
      switch (rng() % 3) {
        case 0:
          mutated.erase(at, 1 + rng() % 8);
          break;
        case 1:
          mutated[at] = replacements[rng() % replacements.size()];
          break;
        default:
          mutated.insert(at, 1, replacements[rng() % replacements.size()]);
          break;
      }
      ParseAndCheck(name, mutated, tally);
    }
  }
  CHECK(tally.errors > 500);
  CHECK_MESSAGE(tally.leaks.empty(), (tally.leaks.empty() ? std::string() : tally.leaks.front()));
  for (const std::string& leak : tally.leaks) MESSAGE(leak);
}

}  // namespace
}  // namespace policy::syntax
