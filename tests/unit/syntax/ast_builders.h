#pragma once
// Hand-built expected trees for parser tests: spans are left empty, since
// AST equality ignores them.
#include <string>
#include <utility>

#include "libpolicy/syntax/ast.h"
#include "libpolicy/syntax/parser.h"

namespace policy::syntax::testing {

inline ExprPtr Node(ExprKind kind, std::string text = {}) {
  auto e = std::make_unique<Expr>();
  e->kind = kind;
  e->text = std::move(text);
  return e;
}

inline ExprPtr N(std::string name) { return Node(ExprKind::kName, std::move(name)); }
inline ExprPtr Num(std::string text) { return Node(ExprKind::kNumber, std::move(text)); }
inline ExprPtr Str(std::string text) { return Node(ExprKind::kString, std::move(text)); }
inline ExprPtr Re(std::string text) { return Node(ExprKind::kRegex, std::move(text)); }
inline ExprPtr Bool(bool b) { return Node(ExprKind::kBool, b ? "true" : "false"); }
inline ExprPtr Null() { return Node(ExprKind::kNull); }

template <typename... Args>
ExprPtr WithArgs(ExprPtr e, Args... args) {
  (e->args.push_back(std::move(args)), ...);
  return e;
}

inline ExprPtr Bin(BinaryOp op, ExprPtr a, ExprPtr b) {
  auto e = WithArgs(Node(ExprKind::kBinary), std::move(a), std::move(b));
  e->op = op;
  return e;
}
inline ExprPtr Neg(ExprPtr a) { return WithArgs(Node(ExprKind::kNegate), std::move(a)); }
inline ExprPtr Not(ExprPtr a) { return WithArgs(Node(ExprKind::kNot), std::move(a)); }
inline ExprPtr Member(ExprPtr a, std::string name) {
  return WithArgs(Node(ExprKind::kMember, std::move(name)), std::move(a));
}
inline ExprPtr IndexOf(ExprPtr a, ExprPtr i) {
  return WithArgs(Node(ExprKind::kIndex), std::move(a), std::move(i));
}
template <typename... Args>
ExprPtr Call(std::string name, Args... args) {
  return WithArgs(Node(ExprKind::kCall, std::move(name)), std::move(args)...);
}
template <typename... Args>
ExprPtr List(Args... args) {
  return WithArgs(Node(ExprKind::kList), std::move(args)...);
}
template <typename... Args>
ExprPtr Map(Args... args) {
  return WithArgs(Node(ExprKind::kMap), std::move(args)...);
}
inline ExprPtr If(ExprPtr c, ExprPtr a, ExprPtr b) {
  return WithArgs(Node(ExprKind::kIf), std::move(c), std::move(a), std::move(b));
}
inline ExprPtr Quant(Quantifier q, std::vector<std::string> names, ExprPtr coll, ExprPtr body) {
  auto e = WithArgs(Node(ExprKind::kQuantifier), std::move(coll), std::move(body));
  e->quant = q;
  for (std::string& n : names) e->names.push_back({std::move(n), {}});
  return e;
}

// Parses `text` as a standalone expression; null on error.
inline ExprPtr ParseExpr(const std::string& text) {
  SourceFile source("expr.policy", text);
  return ParseExpression(source).expr;
}

// The single diagnostic of parsing `text` as a file (or of an expression).
inline std::vector<Diagnostic> FileErrors(const std::string& text) {
  SourceFile source("bad.policy", text);
  return Parse(source).diagnostics;
}

}  // namespace policy::syntax::testing
