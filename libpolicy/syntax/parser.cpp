// The parse driver: pre-scan, then the X3 grammar one top-level item at a
// time, turning every error into a Diagnostic and resuming at the next
// top-level keyword so one mistake does not hide the others.
#include "libpolicy/syntax/parser.h"

#include <algorithm>
#include <exception>

#include "libpolicy/syntax/grammar.h"

namespace policy::syntax {
namespace {

namespace x3 = boost::spirit::x3;
using grammar::Iterator;

Diagnostic MakeDiagnostic(const SourceFile& source, const SyntaxIssue& issue) {
  Diagnostic d;
  d.code = NameOf(issue.code);
  d.severity = Severity::kError;
  d.message = issue.message;
  d.file = source.path();
  LineColumn begin = source.Position(issue.begin);
  LineColumn end = source.Position(std::max(issue.end, issue.begin));
  d.line = begin.line;
  d.column = begin.column;
  std::string_view line = source.Line(begin.line);
  if (end.line == begin.line && end.column > begin.column) {
    d.end_column = end.column;
  } else if (end.line != begin.line) {
    d.end_column = CountCodePoints(line) + 1;
  } else {
    d.end_column = begin.column + 1;
  }
  d.source_line = std::string(line);
  return d;
}

// The offset where the next token starts, skipping whitespace and comments.
uint32_t NextToken(std::string_view text, uint32_t at) {
  grammar::Skipper skipper;
  const char* it = text.data() + at;
  const char* last = text.data() + text.size();
  while (skipper.parse(it, last, x3::unused, x3::unused, x3::unused)) {
  }
  return static_cast<uint32_t>(it - text.data());
}

// The end of the token at `at`: a word, a number, or one code point.
uint32_t TokenEnd(std::string_view text, uint32_t at) {
  if (at >= text.size()) return at;
  std::size_t i = at;
  if (IsIdentChar(text[i])) {
    while (i < text.size() && IsIdentChar(text[i])) ++i;
  } else {
    ++i;
    while (i < text.size() && (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80) ++i;
  }
  return static_cast<uint32_t>(i);
}

// X3 names a parser it has no description for by its (mangled) C++ type.
// grammar.h describes every parser the grammar uses; should one slip through,
// its name must still never reach a user.
bool IsParserInternals(const std::string& what) {
  return what.empty() || what.find("boost") != std::string::npos ||
         what.find("spirit") != std::string::npos || what.find("::") != std::string::npos ||
         (what.size() > 1 && what[0] == 'N' && IsDigit(what[1]));
}

std::string Found(std::string_view text, uint32_t begin, uint32_t end) {
  if (begin >= text.size()) return "the end of the file";
  return "'" + std::string(text.substr(begin, end - begin)) + "'";
}

class Driver {
 public:
  explicit Driver(const SourceFile& source)
      : source_(source),
        text_(source.text()),
        skipper_context_(skipper_),
        context_(state_ref_, skipper_context_) {
    state_.base = text_.data();
  }

  ParseResult ParseFile() {
    ParseResult result;
    PreScan scan = ScanSource(text_, kMaxNesting);
    if (!scan.issues.empty()) {
      for (const SyntaxIssue& issue : scan.issues) Report(issue);
      result.diagnostics = std::move(diagnostics_);
      return result;
    }
    auto module = std::make_unique<Module>();
    state_.module = module.get();
    const char* it = text_.data();
    const char* last = text_.data() + text_.size();
    for (;;) {
      uint32_t start = NextToken(text_, Offset(it));
      if (start >= text_.size()) break;
      it = text_.data() + start;
      uint32_t error_at = 0;
      if (Guarded(
              [&] {
                if (!grammar::declaration.parse(it, last, context_, x3::unused, x3::unused)) {
                  uint32_t at = NextToken(text_, Offset(it));
                  uint32_t end = TokenEnd(text_, at);
                  grammar::Fail(
                      DiagCode::kSyntaxUnexpected,
                      "expected a declaration (rule, def, param, schema or import), found " +
                          Found(text_, at, end),
                      at, end);
                }
              },
              error_at)) {
        continue;
      }
      // Resume at the first top-level keyword after the error that lies
      // beyond the start of the failed item, so every pass makes progress.
      uint32_t floor = std::max(error_at, start + 1);
      auto next = std::lower_bound(scan.resume_points.begin(), scan.resume_points.end(), floor);
      if (next == scan.resume_points.end()) break;
      it = text_.data() + *next;
    }
    if (diagnostics_.empty()) result.module = std::move(module);
    result.diagnostics = std::move(diagnostics_);
    return result;
  }

  ExprParseResult ParseExpression() {
    ExprParseResult result;
    PreScan scan = ScanSource(text_, kMaxNesting);
    if (!scan.issues.empty()) {
      for (const SyntaxIssue& issue : scan.issues) Report(issue);
      result.diagnostics = std::move(diagnostics_);
      return result;
    }
    Module module;
    state_.module = &module;
    const char* it = text_.data();
    const char* last = text_.data() + text_.size();
    ExprPtr expr;
    uint32_t error_at = 0;
    Guarded(
        [&] {
          if (!grammar::expression.parse(it, last, context_, x3::unused, expr)) {
            uint32_t at = NextToken(text_, Offset(it));
            throw x3::expectation_failure<Iterator>(text_.data() + at, "an expression");
          }
          uint32_t at = NextToken(text_, Offset(it));
          if (at < text_.size()) {
            uint32_t end = TokenEnd(text_, at);
            grammar::Fail(DiagCode::kSyntaxUnexpected,
                          "unexpected " + Found(text_, at, end) + " after the expression", at, end);
          }
        },
        error_at);
    if (diagnostics_.empty()) result.expr = std::move(expr);
    result.diagnostics = std::move(diagnostics_);
    return result;
  }

 private:
  uint32_t Offset(const char* p) const { return static_cast<uint32_t>(p - text_.data()); }

  void Report(const SyntaxIssue& issue) { diagnostics_.push_back(MakeDiagnostic(source_, issue)); }

  // Runs `parse`; on a syntax error records it, sets `error_at` and returns
  // false. Nothing thrown by the grammar leaves the parser.
  template <typename F>
  bool Guarded(F parse, uint32_t& error_at) {
    SyntaxIssue issue;
    try {
      parse();
      return true;
    } catch (const grammar::SyntaxError& e) {
      issue = e.issue;
    } catch (const x3::expectation_failure<Iterator>& e) {
      uint32_t at = NextToken(text_, Offset(e.where()));
      uint32_t end = TokenEnd(text_, at);
      std::string found = Found(text_, at, end);
      issue = {DiagCode::kSyntaxExpected,
               IsParserInternals(e.which()) ? "unexpected " + found
                                            : "expected " + e.which() + ", found " + found,
               at, end};
    } catch (const std::exception& e) {
      // Only allocation failure can get here; report it rather than crash.
      issue = {DiagCode::kSyntaxInternal, std::string("the parser failed: ") + e.what(), 0, 0};
    }
    error_at = issue.begin;
    Report(issue);
    return false;
  }

  const SourceFile& source_;
  const std::string& text_;
  grammar::ParseState state_;
  std::reference_wrapper<grammar::ParseState> state_ref_{state_};
  const grammar::Skipper skipper_{};
  x3::context<x3::skipper_tag, const grammar::Skipper, x3::unused_type> skipper_context_;
  grammar::Context context_;
  std::vector<Diagnostic> diagnostics_;
};

}  // namespace

ParseResult Parse(const SourceFile& source) { return Driver(source).ParseFile(); }

ExprParseResult ParseExpression(const SourceFile& source) {
  return Driver(source).ParseExpression();
}

}  // namespace policy::syntax
