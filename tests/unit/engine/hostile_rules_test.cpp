// Hostile rule files: a typo, an exponential or thousands-deep def chain are
// diagnostics at their place, never a crash or a compile that does not end.
#include <doctest/doctest.h>

#include <chrono>
#include <string>
#include <vector>

#include "case_support.h"
#include "libpolicy/engine.h"

using policy_test::CompileText;
using policy_test::DescribeDiagnostics;

namespace {

struct Place {
  uint32_t line = 0;
  uint32_t column = 0;
};

// The line and column (1-based, ASCII text) of the first `needle` in `text`.
Place Find(const std::string& text, const std::string& needle) {
  size_t at = text.find(needle);
  REQUIRE(at != std::string::npos);
  Place p{1, 1};
  for (size_t i = 0; i < at; ++i) {
    if (text[i] == '\n') {
      ++p.line;
      p.column = 1;
    } else {
      ++p.column;
    }
  }
  return p;
}

// A compose rule with `clauses` between its `on` and its end.
std::string ComposeRule(const std::string& clauses) {
  return "rule X-A-001 {\n  title \"t\"\n  on compose\n" + clauses + "}\n";
}

size_t ErrorCount(const policy::CompileResult& r) {
  size_t n = 0;
  for (const policy::Diagnostic& d : r.diagnostics) n += d.severity == policy::Severity::kError;
  return n;
}

// `text` must fail to compile with one error, `code`, at the first `needle`.
void ExpectOneError(const std::string& text, const std::string& code, const std::string& needle) {
  CAPTURE(text);
  policy::CompileResult r = CompileText(text);
  CAPTURE(DescribeDiagnostics(r.diagnostics));
  CHECK(r.program == nullptr);
  REQUIRE(ErrorCount(r) == 1);
  const policy::Diagnostic* error = nullptr;
  for (const policy::Diagnostic& d : r.diagnostics)
    if (d.severity == policy::Severity::kError) error = &d;
  Place want = Find(text, needle);
  CHECK(error->code == code);
  CHECK(error->line == want.line);
  CHECK(error->column == want.column);
}

// g0(x) = x + 1 and g_k(x) = g_{k-1}(g_{k-1}(x)): g_n(x) = x + 2^n, and every
// level doubles the work of evaluating (or inlining) a call.
std::string DoublingDefs(int levels) {
  std::string text = "def g0(x) = x + 1\n";
  for (int k = 1; k <= levels; ++k)
    text += "def g" + std::to_string(k) + "(x) = g" + std::to_string(k - 1) + "(g" +
            std::to_string(k - 1) + "(x))\n";
  return text;
}

// h0(x) = x + 1, h_k(x) = h_{k-1}(x) + 1: h_n(x) = x + n + 1, n + 1 calls deep.
// Declared from the deepest down, so a recursive walk of the call graph would
// descend the whole chain at once.
std::string ChainDefs(int levels) {
  std::string text;
  for (int k = levels; k >= 1; --k)
    text += "def h" + std::to_string(k) + "(x) = h" + std::to_string(k - 1) + "(x) + 1\n";
  return text + "def h0(x) = x + 1\n";
}

std::string DocumentRule(const std::string& require) {
  return "rule X-D-001 {\n  title \"t\"\n  on document\n  require " + require + "\n}\n";
}

// Findings of `rules` over the JSON document {"n": 1}.
size_t FindingsOnDocument(const policy::Program& program) {
  policy::Input input;
  input.path = "doc.json";
  input.kind = policy::InputKind::kDocument;
  input.text = "{\"n\": 1}";
  policy::Report report = policy::Check(program, {input}, {});
  CAPTURE(policy_test::DescribeFindings(report.findings));
  CHECK(report.problems.empty());
  return report.findings.size();
}

}  // namespace

TEST_CASE("hostile rules: an unknown name is a diagnostic at its place in every clause") {
  // Each used to reach the rule passes with a null expression (exit 139).
  const char* kNames[] = {"nul", "foo", "letnull"};
  for (const char* name : kNames) {
    ExpectOneError(ComposeRule("  for k, v in compose.services\n  where v.image != " +
                               std::string(name) + "\n  require true\n"),
                   "name.unknown", name);
  }
  // The diagnostic points at the name itself, not at the operator.
  std::string where =
      ComposeRule("  for k in compose.services\n  where nosuchname\n  require true\n");
  ExpectOneError(where, "name.unknown", "nosuchname");
  const std::string clauses[] = {
      "  for k, v in compose.services\n  let img = nosuchname\n  require img != null\n",
      "  for k, v in compose.services\n  require v != null\n  at nosuchname\n",
      "  for k, v in compose.services\n  require v != null\n  message \"{nosuchname}\"\n",
      "  for k, v in compose.services\n  require nosuchname mostly 50%\n",
      "  for k, v in nosuchname\n  require v != null\n",
      "  for k, v in compose.services\n  where all s in nosuchname: s != null\n  require true\n",
      "  for k, v in compose.services\n  where k == \"a\"\n  where v.image == nosuchname\n  "
      "require true\n",
  };
  for (const std::string& c : clauses) {
    std::string text = ComposeRule(c);
    policy::CompileResult r = CompileText(text);
    CAPTURE(text);
    CAPTURE(DescribeDiagnostics(r.diagnostics));
    CHECK(r.program == nullptr);
    REQUIRE(ErrorCount(r) == 1);
    Place want = Find(text, "nosuchname");
    CHECK(r.diagnostics[0].line == want.line);
    CHECK(r.diagnostics[0].column == want.column);
  }
  std::string unique =
      "rule X-R-001 {\n  title \"t\"\n  on records\n  where row.a != nosuchname\n  unique "
      "row.a\n}\n";
  ExpectOneError(unique, "name.unknown", "nosuchname");
  std::string def = "def f(x) = x + nosuchname\n" + DocumentRule("f(doc.n) == 2");
  ExpectOneError(def, "name.unknown", "nosuchname");
}

TEST_CASE("hostile rules: doubling defs compile at once and still evaluate exactly") {
  auto start = std::chrono::steady_clock::now();
  // Seven levels took longer than 20 s to inline; sixteen are 2^16 additions.
  std::string text = DoublingDefs(16) + DocumentRule("g7(doc.n) == 129 and g16(doc.n) == 65537");
  policy::CompileResult r = CompileText(text);
  CAPTURE(DescribeDiagnostics(r.diagnostics));
  REQUIRE(r.program != nullptr);
  CHECK(FindingsOnDocument(*r.program) == 0);
  std::string wrong = DoublingDefs(7) + DocumentRule("g7(doc.n) == 130");
  r = CompileText(wrong);
  REQUIRE(r.program != nullptr);
  CHECK(FindingsOnDocument(*r.program) == 1);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  CHECK(seconds < 30);  // generous: sanitizer builds on a busy machine
}

TEST_CASE("hostile rules: a def too costly to ever finish is a diagnostic at the def") {
  std::string text = DoublingDefs(40) + DocumentRule("g40(doc.n) > 0");
  policy::CompileResult r = CompileText(text);
  CAPTURE(DescribeDiagnostics(r.diagnostics));
  CHECK(r.program == nullptr);
  REQUIRE(ErrorCount(r) == 1);  // where the bound is crossed, not at every def above
  CHECK(r.diagnostics[0].code == "def.too_costly");
  CHECK(r.diagnostics[0].message.find("'g21'") != std::string::npos);
  CHECK(r.diagnostics[0].line == 22);
  CHECK(r.diagnostics[0].column == 5);
}

TEST_CASE("hostile rules: thousands of nested defs are a diagnostic, not a stack overflow") {
  std::string text = ChainDefs(5000) + DocumentRule("h5000(doc.n) > 0");
  policy::CompileResult r = CompileText(text);
  CAPTURE(DescribeDiagnostics(r.diagnostics).substr(0, 2000));
  CHECK(r.program == nullptr);
  REQUIRE(ErrorCount(r) == 1);
  CHECK(r.diagnostics[0].code == "def.too_deep");
  // Each level nests a call in a `+`: the bound (1024) is crossed at h512.
  CHECK(r.diagnostics[0].message.find("'h512'") != std::string::npos);
}

TEST_CASE("hostile rules: a long def chain within the bound evaluates at compile and run time") {
  // Constant arguments are folded at compile time, others at run time.
  std::string text =
      ChainDefs(400) + DocumentRule("h400(doc.n) == 402 and h400(1) == 402 and h300(doc.n) == 302");
  policy::CompileResult r = CompileText(text);
  CAPTURE(DescribeDiagnostics(r.diagnostics));
  REQUIRE(r.program != nullptr);
  CHECK(FindingsOnDocument(*r.program) == 0);
}

TEST_CASE("hostile rules: a def cycle is still reported on every def that reaches it") {
  std::string text = "def a(x) = b(x)\ndef b(x) = c(x)\ndef c(x) = a(x)\ndef d(x) = a(x)\n" +
                     DocumentRule("d(doc.n) > 0");
  policy::CompileResult r = CompileText(text);
  CAPTURE(DescribeDiagnostics(r.diagnostics));
  CHECK(r.program == nullptr);
  size_t cycles = 0;
  for (const policy::Diagnostic& d : r.diagnostics) cycles += d.code == "def.cycle";
  CHECK(cycles >= 3);
}
