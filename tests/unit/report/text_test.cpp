#include <doctest/doctest.h>

#include "libpolicy/report.h"

namespace {

using policy::Finding;
using policy::Report;
using policy::report::Context;

Finding MakeFinding(std::string rule, policy::Severity severity, uint32_t line, uint32_t column) {
  Finding f;
  f.rule = std::move(rule);
  f.severity = severity;
  f.message = "image 'nginx:latest' is not pinned";
  f.file = "app/compose.yaml";
  f.line = line;
  f.column = column;
  f.end_line = line;
  f.end_column = column + 12;
  f.source_line = "    image: nginx:latest";
  return f;
}

}  // namespace

TEST_CASE("text: a finding is a location line, the source line and a caret") {
  Report r;
  r.findings.push_back(MakeFinding("RDY-IMG-001", policy::Severity::kError, 3, 12));
  CHECK(policy::report::FormatText(r, Context{}) ==
        "app/compose.yaml:3:12: error: image 'nginx:latest' is not pinned [RDY-IMG-001]\n"
        "      image: nginx:latest\n"
        "             ^~~~~~~~~~~~\n");
}

TEST_CASE("text: severity words, evaluation errors always error") {
  Report r;
  r.findings.push_back(MakeFinding("A-B-1", policy::Severity::kWarning, 1, 1));
  r.findings.push_back(MakeFinding("A-B-2", policy::Severity::kInfo, 2, 1));
  Finding e = MakeFinding("A-B-3", policy::Severity::kWarning, 3, 1);
  e.kind = policy::FindingKind::kEvaluationError;
  e.message = "division by zero";
  r.findings.push_back(e);
  std::string text = policy::report::FormatText(r, Context{});
  CHECK(text.find("app/compose.yaml:1:1: warning: ") != std::string::npos);
  CHECK(text.find("app/compose.yaml:2:1: info: ") != std::string::npos);
  CHECK(text.find("app/compose.yaml:3:1: error: division by zero [A-B-3]\n") != std::string::npos);
}

TEST_CASE("text: no snippet without a source line, and one caret when the end is elsewhere") {
  Report r;
  Finding f = MakeFinding("A-B-1", policy::Severity::kError, 3, 5);
  f.source_line.clear();
  r.findings.push_back(f);
  CHECK(policy::report::FormatText(r, Context{}) ==
        "app/compose.yaml:3:5: error: image 'nginx:latest' is not pinned [A-B-1]\n");
  Finding g = MakeFinding("A-B-1", policy::Severity::kError, 3, 5);
  g.end_line = 5;
  r.findings = {g};
  std::string text = policy::report::FormatText(r, Context{});
  CHECK(text.substr(text.rfind('\n', text.size() - 2) + 1) == "      ^\n");
}

TEST_CASE("text: suppressed findings are listed only when verbose") {
  Report r;
  Finding f = MakeFinding("A-B-1", policy::Severity::kError, 3, 12);
  f.suppressed = policy::Suppression::kInline;
  r.findings.push_back(f);
  CHECK(policy::report::FormatText(r, Context{}).empty());
  Context verbose;
  verbose.verbose = true;
  CHECK(policy::report::FormatText(r, verbose).find("[A-B-1] (suppressed)\n") != std::string::npos);
}

TEST_CASE("text: problems as file:line:col, unknown places left out") {
  Report r;
  r.problems.push_back({"data/x.csv", 7, 3, "unterminated quote", false});
  r.problems.push_back({"missing.yaml", 0, 0, "no such file or directory", false});
  r.problems.push_back({"tsconfig.json", 2, 1, "not valid JSON", true});
  CHECK(policy::report::FormatText(r, Context{}) ==
        "data/x.csv:7:3: error: unterminated quote\n"
        "missing.yaml: error: no such file or directory\n"
        "tsconfig.json:2:1: warning: not valid JSON\n");
}

TEST_CASE("text: colours only when asked") {
  Report r;
  r.findings.push_back(MakeFinding("A-B-1", policy::Severity::kWarning, 3, 12));
  CHECK(policy::report::FormatText(r, Context{}).find('\x1b') == std::string::npos);
  Context color;
  color.color = true;
  std::string text = policy::report::FormatText(r, color);
  CHECK(text.find("\x1b[1mapp/compose.yaml:3:12:\x1b[0m \x1b[1;35mwarning:\x1b[0m") == 0);
  CHECK(text.find("\n  \x1b[1;32m           ^~~") != std::string::npos);
}

TEST_CASE("caret: tabs are kept, multibyte characters count once, wide ones twice") {
  using policy::report::CaretLine;
  CHECK(CaretLine("abc", 1, 0) == "^");
  CHECK(CaretLine("abc", 2, 4) == " ^~");
  CHECK(CaretLine("\tkey: v", 7, 8) == "\t     ^");
  // "é" is two bytes, one column.
  CHECK(CaretLine("café: latest", 7, 13) == "      ^~~~~~");
  // CJK characters take two columns each, before and inside the span.
  CHECK(CaretLine("名前: 値", 5, 6) == "      ^~");
  // A Bengali vowel sign combines with its consonant: no column of its own.
  CHECK(CaretLine("\xE0\xA6\x95\xE0\xA6\xBF x", 4, 0) == "  ^");
  // A column past the end of the line still gets its caret.
  CHECK(CaretLine("ab", 5, 0) == "    ^");
  // The span stops at the end of the line (a masked secret is shorter than it was).
  CHECK(CaretLine("pw: ab****", 5, 40) == "    ^~~~~~");
  // Invalid UTF-8 bytes are printed as escapes ("\xFF"), four columns each.
  CHECK(CaretLine("\xFF\xFEx", 3, 0) == "        ^");
}

TEST_CASE("summary: plural and singular words, optional parts only when non-zero") {
  using policy::report::FormatSummary;
  Report r;
  r.files = 1;
  r.rules_run = 1;
  Context ctx;
  ctx.elapsed_ms = 4.4;
  CHECK(FormatSummary(r, ctx) == "0 errors, 0 warnings in 1 file (1 rule, 4 ms)\n");
  r.files = 3;
  r.rules_run = 12;
  r.findings.push_back(MakeFinding("A-B-1", policy::Severity::kError, 1, 1));
  r.findings.push_back(MakeFinding("A-B-2", policy::Severity::kWarning, 2, 1));
  CHECK(FormatSummary(r, ctx) == "1 error, 1 warning in 3 files (12 rules, 4 ms)\n");
  Finding info = MakeFinding("A-B-3", policy::Severity::kInfo, 3, 1);
  r.findings.push_back(info);
  r.findings.push_back(info);
  Finding suppressed = MakeFinding("A-B-4", policy::Severity::kError, 4, 1);
  suppressed.suppressed = policy::Suppression::kInline;
  r.findings.push_back(suppressed);
  Finding baselined = suppressed;
  baselined.suppressed = policy::Suppression::kBaseline;
  r.findings.push_back(baselined);
  r.findings.push_back(baselined);
  r.truncated = 7;
  CHECK(FormatSummary(r, ctx) ==
        "1 error, 1 warning, 2 infos, 1 suppressed, 2 baselined, 7 not listed (--max-findings) "
        "in 3 files (12 rules, 4 ms)\n");
}

TEST_CASE("counts: SCHEMA and evaluation errors are errors whatever their severity") {
  Report r;
  Finding schema = MakeFinding("SCHEMA", policy::Severity::kWarning, 1, 1);
  schema.kind = policy::FindingKind::kSchema;
  Finding eval = MakeFinding("A-B-1", policy::Severity::kInfo, 2, 1);
  eval.kind = policy::FindingKind::kEvaluationError;
  r.findings = {schema, eval};
  policy::report::Counts c = policy::report::CountFindings(r);
  CHECK(c.errors == 2);
  CHECK(c.warnings == 0);
  CHECK(c.infos == 0);
  CHECK(c.findings == 2);
}

TEST_CASE("text: a window of a long line puts the caret at source_column, not column") {
  Report r;
  Finding f = MakeFinding("RDY-IMG-001", policy::Severity::kError, 1, 5012);
  f.end_column = 5012 + 14;
  f.source_line = "\xE2\x80\xA6s7: {image: \"nginx:latest\", privileged: true}\xE2\x80\xA6";
  f.source_column = 14;  // "…" and 12 characters before the value
  r.findings.push_back(f);
  CHECK(policy::report::FormatText(r, Context{}) ==
        "app/compose.yaml:1:5012: error: image 'nginx:latest' is not pinned [RDY-IMG-001]\n"
        "  \xE2\x80\xA6s7: {image: \"nginx:latest\", privileged: true}\xE2\x80\xA6\n"
        "               ^~~~~~~~~~~~~~\n");
}

TEST_CASE("text: WriteText gives the same text as FormatText, in pieces") {
  Report r;
  for (uint32_t i = 1; i <= 20000; ++i)
    r.findings.push_back(MakeFinding("RDY-IMG-001", policy::Severity::kError, i, 12));
  r.problems.push_back({"app/other.yaml", 0, 0, "cannot read the file", false});
  std::string joined;
  int pieces = 0;
  policy::report::WriteText(r, Context{}, [&](std::string_view piece) {
    joined += piece;
    ++pieces;
    return true;
  });
  CHECK(pieces > 1);  // about 2.6 MB in pieces of 1 MB
  CHECK(joined == policy::report::FormatText(r, Context{}));
  CHECK(joined.size() > (2u << 20));
  // A writer that fails stops the writing.
  int calls = 0;
  policy::report::WriteText(r, Context{}, [&](std::string_view) {
    ++calls;
    return false;
  });
  CHECK(calls == 1);
}
