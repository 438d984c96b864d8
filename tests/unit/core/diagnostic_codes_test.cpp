// The table of diagnostic codes (libpolicy/diagnostic_codes.def): every code is
// unique, well formed and documented, and no other code is used in the sources.
#include "libpolicy/diagnostic_codes.h"

#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>

namespace {

namespace fs = std::filesystem;
using policy::AllDiagCodes;
using policy::DiagCode;
using policy::DiagCodeInfo;

// The text of a line up to a `//` comment that is not inside a string literal;
// "" for a line of a C block comment (the C API's header documents in those).
std::string WithoutComment(const std::string& line) {
  const std::size_t first = line.find_first_not_of(" \t");
  if (first != std::string::npos &&
      (line.compare(first, 2, "/*") == 0 || line.compare(first, 2, "* ") == 0))
    return "";
  bool in_string = false;
  for (std::size_t i = 0; i + 1 < line.size(); ++i) {
    if (line[i] == '\\' && in_string) {
      ++i;
    } else if (line[i] == '"') {
      in_string = !in_string;
    } else if (!in_string && line[i] == '/' && line[i + 1] == '/') {
      return line.substr(0, i);
    }
  }
  return line;
}

// The generated part of docs/DIAGNOSTICS.md: a summary table, then every code
// with its help, in table order.
std::string CodesMarkdown() {
  auto cell = [](std::string_view text) {
    std::string out;
    for (char c : text) out += c == '|' ? std::string("\\|") : std::string(1, c);
    return out;
  };
  std::string out = "| code | severity | message |\n|---|---|---|\n";
  for (const DiagCodeInfo& info : AllDiagCodes()) {
    out += "| `" + std::string(info.name) + "` | " + policy::SeverityName(info.severity) + " | " +
           cell(info.form) + " |\n";
  }
  for (const DiagCodeInfo& info : AllDiagCodes()) {
    out += "\n### `" + std::string(info.name) + "`\n\n";
    out += std::string(policy::SeverityName(info.severity)) + ": " + std::string(info.form) +
           "\n\n" + std::string(info.help) + "\n";
  }
  return out;
}

std::set<std::string> Areas() {
  std::set<std::string> areas;
  for (const DiagCodeInfo& info : AllDiagCodes()) {
    std::string name = info.name;
    areas.insert(name.substr(0, name.find('.')));
  }
  return areas;
}

}  // namespace

TEST_CASE("diagnostic codes: unique, area.name, with a message form and help") {
  const std::regex well_formed("[a-z]+\\.[a-z][a-z0-9]*(_[a-z0-9]+)*");
  std::set<std::string> names;
  std::size_t index = 0;
  REQUIRE(AllDiagCodes().size() >= 47);
  for (const DiagCodeInfo& info : AllDiagCodes()) {
    const std::string name = info.name;
    INFO(name);
    CHECK(static_cast<std::size_t>(info.code) == index++);  // InfoOf indexes by enum value
    CHECK(names.insert(name).second);
    CHECK(std::regex_match(name, well_formed));
    CHECK(info.form.size() >= 8);
    CHECK(info.help.size() >= 40);  // a few words at least: what it means and how to fix it
    CHECK(info.help.back() == '.');
    CHECK(std::string(policy::NameOf(info.code)) == name);
    CHECK(policy::FindDiagCode(name) == info.code);
  }
  CHECK_FALSE(policy::FindDiagCode("syntax").has_value());
  CHECK_FALSE(policy::FindDiagCode("syntax.expected ").has_value());
  CHECK_FALSE(policy::FindDiagCode("").has_value());
}

TEST_CASE("diagnostic codes: default severities and MakeDiagnostic") {
  CHECK(policy::InfoOf(DiagCode::kNameUnusedLet).severity == policy::Severity::kWarning);
  CHECK(policy::InfoOf(DiagCode::kSyntaxExpected).severity == policy::Severity::kError);
  policy::Diagnostic d = policy::MakeDiagnostic(DiagCode::kNameUnusedLet, "'x' is never used");
  CHECK(d.code == "name.unused_let");
  CHECK(d.severity == policy::Severity::kWarning);
  CHECK(d.message == "'x' is never used");
  CHECK(d.line == 0);
}

// Call sites name DiagCode values; a code string literal anywhere else in the
// sources is a code the table might not have. The files the run-layer rewrite
// owns still hold theirs until they are converted; their codes must be in the table.
TEST_CASE("diagnostic codes: the sources use no code outside the table") {
  const std::set<std::string> areas = Areas();
  const std::set<std::string> file_suffixes = {"yaml", "yml", "json", "jsonl", "ndjson",
                                               "csv",  "tsv", "md",   "txt",   "policy"};
  const std::set<std::string> pending = {};  // files not yet converted: none
  const std::regex literal("\"([a-z]+)\\.([a-z][a-z0-9_]*)\"");
  const std::regex evaluation_error("evaluation error \\(([a-z_.]+)\\)");
  const fs::path root(POLICY_SOURCE_DIR);
  std::size_t scanned = 0;
  for (const char* dir : {"libpolicy", "cli", "bindings"}) {
    for (const auto& entry : fs::recursive_directory_iterator(root / dir)) {
      const std::string ext = entry.path().extension().string();
      if (ext != ".cpp" && ext != ".h") continue;
      const std::string rel = entry.path().lexically_relative(root).generic_string();
      std::ifstream in(entry.path());
      std::string line;
      uint32_t number = 0;
      ++scanned;
      while (std::getline(in, line)) {
        ++number;
        const std::string code_text = WithoutComment(line);
        for (std::sregex_iterator it(code_text.begin(), code_text.end(), literal), end; it != end;
             ++it) {
          const std::string area = (*it)[1], name = (*it)[2];
          if (!areas.count(area) || file_suffixes.count(name)) continue;
          const std::string code = area + "." + name;
          INFO(rel << ":" << number << ": " << code);
          CHECK_MESSAGE(policy::FindDiagCode(code).has_value(), "not in the table");
          CHECK_MESSAGE(pending.count(rel) == 1, "use DiagCode, not a string literal");
        }
        for (std::sregex_iterator it(code_text.begin(), code_text.end(), evaluation_error), end;
             it != end; ++it) {
          INFO(rel << ":" << number);
          CHECK_MESSAGE(policy::FindDiagCode((*it)[1].str()).has_value(),
                        (*it)[1].str() << " is not in the table");
        }
      }
    }
  }
  CHECK(scanned > 100);
}

// docs/DIAGNOSTICS.md lists every code with its help between two markers; the
// text there is generated from the table, so it cannot drift. After changing
// the table, run test_core with POLICY_UPDATE_DOCS=1 to rewrite it.
TEST_CASE("diagnostic codes: docs/DIAGNOSTICS.md lists the table") {
  const std::string begin_marker = "<!-- BEGIN GENERATED CODES -->\n";
  const std::string end_marker = "<!-- END GENERATED CODES -->";
  const fs::path path = fs::path(POLICY_SOURCE_DIR) / "docs" / "DIAGNOSTICS.md";
  std::ifstream in(path, std::ios::binary);
  REQUIRE(in);
  std::stringstream buffer;
  buffer << in.rdbuf();
  std::string doc = buffer.str();
  const std::size_t begin = doc.find(begin_marker);
  const std::size_t end = doc.find(end_marker);
  REQUIRE(begin != std::string::npos);
  REQUIRE(end != std::string::npos);
  REQUIRE(begin < end);
  const std::size_t from = begin + begin_marker.size();
  const std::string expected = "\n" + CodesMarkdown() + "\n";
  if (std::getenv("POLICY_UPDATE_DOCS") != nullptr) {
    doc.replace(from, end - from, expected);
    std::ofstream(path, std::ios::binary) << doc;
  } else {
    CHECK_MESSAGE(doc.substr(from, end - from) == expected,
                  "docs/DIAGNOSTICS.md is out of date: run test_core with POLICY_UPDATE_DOCS=1");
  }
}
