// Memory bounded by design (issue 13 E4): findings past --max-findings are
// counted, not kept, on documents and compose files too; a finding on a long
// line keeps a window of it (secrets masked), not the whole line; an ordinary
// line is still shown whole.
#include <doctest/doctest.h>

#include <string>

#include "case_support.h"
#include "libpolicy/engine.h"
#include "libpolicy/report.h"

using policy_test::CompileText;
using policy_test::Memory;

namespace {

constexpr const char* kRules = R"(
rule MEM-IMG-001 {
  title "images are pinned"
  on compose
  for name, svc in compose.services
  require not (svc.image matches /:latest$/)
  at svc.image
}
rule MEM-SEC-001 {
  title "no hardcoded passwords"
  tags [secret]
  on compose
  for name, svc in compose.services
  for key, value in svc.environment
  where key matches /PASSWORD$/
  require value == null or is_interpolated(value)
  at value
}
rule MEM-DOC-001 {
  title "every element is ok"
  on document
  for x in doc
  require x.ok == true
  at x.ok
}
)";

// `n` services on one line, each with an unpinned image and a hardcoded password.
std::string OneLineCompose(int n) {
  std::string text = "{services: {";
  for (int i = 0; i < n; ++i) {
    if (i > 0) text += ", ";
    text += "s" + std::to_string(i) +
            ": {image: \"nginx:latest\", environment: {DB_PASSWORD: " + "\"SuperSecretValue" +
            std::to_string(i) + "\"}}";
  }
  return text + "}}\n";
}

// The bytes of `snippet` from code-point column `column` on (ASCII but a leading "…").
std::string From(const std::string& snippet, uint32_t column) {
  const bool mark = snippet.rfind("\xE2\x80\xA6", 0) == 0;
  return snippet.substr(mark ? column + 1 : column - 1);
}

policy::Report CheckOne(const policy::Input& input, std::optional<uint64_t> max_findings = {}) {
  static policy::CompileResult compiled = CompileText(kRules);
  REQUIRE(compiled.program);
  policy::CheckOptions options;
  options.jobs = 1;
  options.max_findings = max_findings;
  return policy::Check(*compiled.program, {input}, options);
}

}  // namespace

TEST_CASE("memory: a finding on a long line shows a window of it, secrets masked") {
  const std::string text = OneLineCompose(60);
  REQUIRE(text.size() > 4000);
  policy::Report report = CheckOne(Memory("one-line.yaml", policy::InputKind::kCompose, text));
  REQUIRE(report.findings.size() == 120);
  for (const policy::Finding& f : report.findings) {
    INFO(f.rule << " at column " << f.column << ": " << f.source_line);
    CHECK(f.line == 1);
    CHECK(f.source_line.size() <= 240 + 2 * 3);  // the window and its two "…"
    CHECK(f.source_line.find("SuperSecretValue") == std::string::npos);
    // The finding's column in the window is where its value is written.
    REQUIRE(f.source_column > 0);
    const std::string shown = From(f.source_line, f.source_column);
    if (f.rule == "MEM-IMG-001") CHECK(shown.rfind("\"nginx:latest\"", 0) == 0);
    if (f.rule == "MEM-SEC-001") CHECK(shown.rfind("\"Su****\"", 0) == 0);
  }
  CHECK(report.findings.back().source_line.rfind("\xE2\x80\xA6", 0) == 0);  // starts with "…"
}

TEST_CASE("memory: the text report puts the caret under the value in a cut line") {
  const std::string text = OneLineCompose(60);
  policy::Report report = CheckOne(Memory("one-line.yaml", policy::InputKind::kCompose, text));
  REQUIRE(!report.findings.empty());
  policy::Report last;
  last.findings.push_back(report.findings.back());  // far into the line
  const policy::Finding& f = last.findings.back();
  REQUIRE(f.source_column > 0);
  const std::string out = policy::report::FormatText(last, {});
  const std::size_t snippet = out.find("\n  ") + 3;
  const std::size_t caret_line = out.find('\n', snippet) + 1;
  const std::size_t caret_column = out.find('^', caret_line) - caret_line - 2 + 1;
  const std::size_t snippet_end = out.find('\n', snippet);
  CHECK(From(out.substr(snippet, snippet_end - snippet), static_cast<uint32_t>(caret_column))
            .rfind("\"Su****\"", 0) == 0);
}

TEST_CASE("memory: an ordinary line is shown whole, as before") {
  const std::string text =
      "services:\n  web:\n    image: nginx:latest\n    environment:\n"
      "      DB_PASSWORD: SuperSecretValue\n";
  policy::Report report = CheckOne(Memory("compose.yaml", policy::InputKind::kCompose, text));
  REQUIRE(report.findings.size() == 2);
  CHECK(report.findings[0].source_line == "    image: nginx:latest");
  CHECK(report.findings[0].source_column == 0);
  CHECK(report.findings[1].source_line == "      DB_PASSWORD: Su****");
}

TEST_CASE("memory: document findings past --max-findings are counted, not kept") {
  std::string text = "[";
  for (int i = 0; i < 10; ++i) text += std::string(i ? "," : "") + "{\"ok\":false}";
  text += "]";
  policy::Report report = CheckOne(Memory("items.json", policy::InputKind::kDocument, text), 3);
  CHECK(report.findings.size() == 3);
  CHECK(report.truncated == 7);
  CHECK(report.by_rule["MEM-DOC-001"].failed == 10);
  CHECK(report.by_rule["MEM-DOC-001"].listed == 3);
  policy::Report all = CheckOne(Memory("items.json", policy::InputKind::kDocument, text));
  CHECK(all.findings.size() == 10);  // documents list every finding by default
  CHECK(all.truncated == 0);
}

TEST_CASE("memory: compose findings past --max-findings are counted, not kept") {
  policy::Report report =
      CheckOne(Memory("one-line.yaml", policy::InputKind::kCompose, OneLineCompose(20)), 2);
  CHECK(report.findings.size() == 4);  // two per rule
  CHECK(report.by_rule["MEM-IMG-001"].failed == 20);
  CHECK(report.by_rule["MEM-SEC-001"].failed == 20);
  CHECK(report.truncated == 36);
}
