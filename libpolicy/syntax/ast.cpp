#include "libpolicy/syntax/ast.h"

namespace policy::syntax {
namespace {

bool SameExpr(const ExprPtr& a, const ExprPtr& b) {
  if (!a || !b) return !a && !b;
  return *a == *b;
}

}  // namespace

const char* BinaryOpText(BinaryOp op) {
  switch (op) {
    case BinaryOp::kCoalesce:
      return "??";
    case BinaryOp::kMul:
      return "*";
    case BinaryOp::kDiv:
      return "/";
    case BinaryOp::kMod:
      return "%";
    case BinaryOp::kAdd:
      return "+";
    case BinaryOp::kSub:
      return "-";
    case BinaryOp::kMatches:
      return "matches";
    case BinaryOp::kIn:
      return "in";
    case BinaryOp::kNotIn:
      return "not in";
    case BinaryOp::kLt:
      return "<";
    case BinaryOp::kLe:
      return "<=";
    case BinaryOp::kGt:
      return ">";
    case BinaryOp::kGe:
      return ">=";
    case BinaryOp::kEq:
      return "==";
    case BinaryOp::kNe:
      return "!=";
    case BinaryOp::kAnd:
      return "and";
    case BinaryOp::kOr:
      return "or";
    case BinaryOp::kImplies:
      return "implies";
    case BinaryOp::kHas:
      return "has";
  }
  return "?";
}

// `op` and `quant` only mean something for their own kinds, so they are
// compared only there: a tree built by hand need not set them elsewhere.
bool operator==(const Expr& a, const Expr& b) {
  if (a.kind != b.kind || a.text != b.text || a.names != b.names ||
      a.args.size() != b.args.size()) {
    return false;
  }
  if (a.kind == ExprKind::kBinary && a.op != b.op) return false;
  if (a.kind == ExprKind::kQuantifier && a.quant != b.quant) return false;
  for (std::size_t i = 0; i < a.args.size(); ++i) {
    if (!SameExpr(a.args[i], b.args[i])) return false;
  }
  return true;
}

bool operator==(const TemplatePart& a, const TemplatePart& b) {
  return a.literal == b.literal && SameExpr(a.expr, b.expr);
}

bool operator==(const Param& a, const Param& b) {
  return a.name == b.name && a.type == b.type && SameExpr(a.default_value, b.default_value);
}

bool operator==(const Def& a, const Def& b) {
  return a.name == b.name && a.params == b.params && SameExpr(a.body, b.body);
}

bool operator==(const Clause& a, const Clause& b) {
  return a.kind == b.kind && a.names == b.names && SameExpr(a.expr, b.expr) &&
         a.mostly_percent == b.mostly_percent && SameExpr(a.within, b.within);
}

bool operator==(const Index& a, const Index& b) {
  return a.name == b.name && a.source == b.source && a.for_names == b.for_names &&
         SameExpr(a.for_expr, b.for_expr) && SameExpr(a.key, b.key) && a.keep_all == b.keep_all &&
         a.optional == b.optional;
}

bool operator==(const Rule& a, const Rule& b) {
  return a.id == b.id && a.title == b.title && a.severity == b.severity && a.tags == b.tags &&
         a.target == b.target && a.remedy == b.remedy && a.doc == b.doc && a.query == b.query &&
         SameExpr(a.at, b.at) && a.message == b.message && a.repeated == b.repeated;
}

}  // namespace policy::syntax
