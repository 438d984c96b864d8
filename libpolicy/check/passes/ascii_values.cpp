#include "libpolicy/check/passes/ascii_values.h"

namespace policy::check::passes {
namespace {

bool IsConst(const Node* n) { return n->op == NodeOp::kConst; }

// `n` simplified under the assumption that slot `value` holds an ASCII string.
const Node* AssumeAscii(Rewriter& rw, const Node* n, int value) {
  if (n == nullptr) return nullptr;
  auto reads_value = [&](const Node* a) {
    return a->op == NodeOp::kSlot && a->read_slot() == value;
  };
  if (n->op == NodeOp::kBuiltin && n->args.size() == 1 && reads_value(n->args[0])) {
    switch (n->callee().traits.on_ascii) {
      case eval::OnAscii::kFalse:
        return rw.Constant(Value::Bool(false));
      case eval::OnAscii::kTrue:
        return rw.Constant(Value::Bool(true));
      case eval::OnAscii::kSame:
        return n->args[0];
      case eval::OnAscii::kUnknown:
        break;
    }
    if (eval::Lowers(&n->callee(), eval::Lowering::kTypeName))
      return rw.Constant(Value::String(TypeName(Type::kString)));
  }
  if (n->op == NodeOp::kBinary && n->binary == syntax::BinaryOp::kMatches &&
      reads_value(n->args[0]) && n->args[1]->op == NodeOp::kConst &&
      n->args[1]->regex_plan() != nullptr && n->args[1]->regex_plan()->needs_non_ascii())
    return rw.Constant(Value::Bool(false));
  if (n->op == NodeOp::kBinary &&
      (n->binary == syntax::BinaryOp::kEq || n->binary == syntax::BinaryOp::kNe) &&
      ((reads_value(n->args[0]) && IsConst(n->args[1]) && n->args[1]->constant.is_null()) ||
       (reads_value(n->args[1]) && IsConst(n->args[0]) && n->args[0]->constant.is_null())))
    return rw.Constant(Value::Bool(n->binary == syntax::BinaryOp::kNe));
  return rw.MapArgs(n, [&](const Node* a) { return AssumeAscii(rw, a, value); });
}

}  // namespace

void RunAsciiValues(eval::CompiledRule& rule, Context& ctx) {
  Rewriter rw(ctx, rule);
  // The last `for k, v`: do its bindings pass whenever v is an ASCII string?
  for (size_t i = rule.clauses.size(); i-- > 0;) {
    eval::CompiledClause& c = rule.clauses[i];
    if (c.op != eval::ClauseOp::kFor) continue;
    if (c.slot2 < 0 || rule.is_unique || rule.mostly || rule.require == nullptr) return;
    std::map<int, const Node*> assumed;
    bool passes = true;
    for (size_t k = i + 1; k < rule.clauses.size() && passes; ++k) {
      const eval::CompiledClause& next = rule.clauses[k];
      const Node* e = AssumeAscii(rw, rw.Substitute(next.expr, assumed), c.slot2);
      if (next.op == eval::ClauseOp::kLet) {
        if (e->op == NodeOp::kConst) assumed[next.slot] = e;
      } else {
        passes = IsConstBool(e, true);
      }
    }
    const Node* r =
        passes ? AssumeAscii(rw, rw.Substitute(rule.require, assumed), c.slot2) : nullptr;
    c.ascii_value_passes = IsConstBool(r, true);
    return;
  }
}

}  // namespace policy::check::passes
