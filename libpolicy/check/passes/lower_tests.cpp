#include "libpolicy/check/passes/lower_tests.h"

#include "libpolicy/check/passes/rewrite.h"

namespace policy::check::passes {
namespace {

bool IsNullConst(const Node* n) { return n->op == NodeOp::kConst && n->constant.is_null(); }

const Node* LowerOne(const Node* n, Context& ctx) {
  if (n->op != NodeOp::kBinary) return nullptr;
  using syntax::BinaryOp;
  if (n->binary == BinaryOp::kAnd || n->binary == BinaryOp::kOr) {
    Node* l = ctx.NewNode(n->binary == BinaryOp::kAnd ? NodeOp::kAnd : NodeOp::kOr);
    l->args = n->args;
    return l;
  }
  if (n->binary != BinaryOp::kEq && n->binary != BinaryOp::kNe) return nullptr;
  const bool eq = n->binary == BinaryOp::kEq;
  const Node* a = n->args[0];
  const Node* b = n->args[1];
  if (a->op == NodeOp::kBuiltin && eval::Lowers(&a->callee(), eval::Lowering::kTypeName) &&
      a->args.size() == 1 && b->op == NodeOp::kConst && b->constant.is(Type::kString)) {
    Node* t = ctx.NewNode(NodeOp::kTypeIs);
    t->args = {a->args[0]};
    int type = -1;  // a name no type has: never equal
    for (int k = 0; k <= static_cast<int>(Type::kRegex); ++k)
      if (TypeName(static_cast<Type>(k)) == b->constant.as_string()) type = k;
    t->set_type_test(type, eq);
    return t;
  }
  if ((a->op == NodeOp::kBuiltin || a->op == NodeOp::kIdentityWhen) &&
      eval::Lowers(&a->callee(), eval::Lowering::kTrim) && a->args.size() == 1 &&
      b->op == NodeOp::kConst && b->constant.is(Type::kString) && b->constant.as_string().empty()) {
    Node* t = ctx.NewNode(NodeOp::kTrimEmpty);
    t->args = {a->args[0], n};
    t->set_tests_equal(eq);
    return t;
  }
  if (IsNullConst(a) || IsNullConst(b)) {
    Node* t = ctx.NewNode(NodeOp::kIsNull);
    t->args = {IsNullConst(b) ? a : b};
    t->set_tests_equal(eq);
    return t;
  }
  return nullptr;
}

}  // namespace

void RunLowerTests(eval::CompiledRule& rule, Context& ctx) {
  LowerEvaluated(rule, ctx, [&](const Node* n) { return LowerOne(n, ctx); });
}

}  // namespace policy::check::passes
