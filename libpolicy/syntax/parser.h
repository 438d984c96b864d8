#pragma once
// Parsing .policy text to an AST. X3-free header: the grammar lives in
// syntax/*.cpp only.
#include <memory>
#include <vector>

#include "libpolicy/diagnostic.h"
#include "libpolicy/source.h"
#include "libpolicy/syntax/ast.h"

namespace policy::syntax {

struct ParseResult {
  std::unique_ptr<Module> module;  // null when there were syntax errors
  std::vector<Diagnostic> diagnostics;
};

// Maximum nesting of brackets/parentheses/braces/quantifiers in a rule file,
// checked before the parser descends (`syntax.too_deep`).
inline constexpr int kMaxNesting = 256;

// Parses one file. Never throws. Diagnostics carry file/line/column from `source`.
ParseResult Parse(const SourceFile& source);

// Parses a standalone expression (used for --param values? no: for tests and the
// `explain` command). Diagnostics as for Parse.
struct ExprParseResult {
  ExprPtr expr;
  std::vector<Diagnostic> diagnostics;
};
ExprParseResult ParseExpression(const SourceFile& source);

}  // namespace policy::syntax
