#include "libpolicy/check/passes/fold.h"

namespace policy::check::passes {
namespace {

bool IsConst(const Node* n) { return n->op == NodeOp::kConst; }

// Operators whose result is a bool whenever they do not fail.
bool YieldsBool(const Node* n) {
  if (n->op == NodeOp::kNot) return true;
  if (n->op != NodeOp::kBinary) return false;
  switch (n->binary) {
    case syntax::BinaryOp::kEq:
    case syntax::BinaryOp::kNe:
    case syntax::BinaryOp::kLt:
    case syntax::BinaryOp::kLe:
    case syntax::BinaryOp::kGt:
    case syntax::BinaryOp::kGe:
    case syntax::BinaryOp::kMatches:
    case syntax::BinaryOp::kAnd:
    case syntax::BinaryOp::kOr:
    case syntax::BinaryOp::kImplies:
      return true;
    default:
      return false;
  }
}

// `n` where the typed field `field` is known not to be null: type(row.f)
// is its schema type's name, row.f == null is false.
const Node* AssumeFieldSet(Rewriter& rw, const Node* n, int field) {
  const eval::Schema* schema = rw.rule().schema;
  auto is_field = [&](const Node* a) {
    return a->op == NodeOp::kRowField && a->field_index() == field;
  };
  if (schema == nullptr || field < 0 || static_cast<size_t>(field) >= schema->fields.size())
    return n;
  if (n->op == NodeOp::kBuiltin && eval::Lowers(&n->callee(), eval::Lowering::kTypeName) &&
      n->args.size() == 1 && is_field(n->args[0]))
    return rw.Constant(Value::String(TypeName(schema->fields[static_cast<size_t>(field)].type)));
  if (n->op == NodeOp::kBinary &&
      (n->binary == syntax::BinaryOp::kEq || n->binary == syntax::BinaryOp::kNe) &&
      is_field(n->args[0]) && IsConst(n->args[1]) && n->args[1]->constant.is_null())
    return rw.Constant(Value::Bool(n->binary == syntax::BinaryOp::kNe));
  if (n->op == NodeOp::kQuantifier) return n;
  return rw.MapArgs(n, [&](const Node* a) { return AssumeFieldSet(rw, a, field); });
}

// `type(row.f) == "name"` (or !=) where the schema types f: a typed field is
// of its type or null, so any other name is decided.
const Node* TypeTestOfField(Rewriter& rw, const Node* n) {
  if (n->op != NodeOp::kBinary ||
      (n->binary != syntax::BinaryOp::kEq && n->binary != syntax::BinaryOp::kNe))
    return nullptr;
  const eval::Schema* schema = rw.rule().schema;
  const Node* call = n->args[0];
  const Node* name = n->args[1];
  if (call->op != NodeOp::kBuiltin || !eval::Lowers(&call->callee(), eval::Lowering::kTypeName) ||
      call->args.size() != 1 || call->args[0]->op != NodeOp::kRowField || schema == nullptr ||
      !IsConst(name) || !name->constant.is(Type::kString))
    return nullptr;
  const int field = call->args[0]->field_index();
  if (field < 0 || static_cast<size_t>(field) >= schema->fields.size()) return nullptr;
  const std::string_view want = name->constant.as_string();
  if (want == TypeName(schema->fields[static_cast<size_t>(field)].type) ||
      want == TypeName(Type::kNull))
    return nullptr;
  return rw.Constant(Value::Bool(n->binary == syntax::BinaryOp::kNe));
}

}  // namespace

const Node* Fold(Rewriter& rw, Node* n) {
  const eval::Schema* schema = rw.rule().schema;
  // row["name"] of a schema field: read the typed field, as the compiler
  // does for a literal name.
  if (n->op == NodeOp::kIndex && schema != nullptr && n->args[0]->op == NodeOp::kSlot &&
      n->args[0]->read_slot() == eval::kSlotSubject && IsConst(n->args[1]) &&
      n->args[1]->constant.is(Type::kString)) {
    int index = schema->Find(n->args[1]->constant.as_string());
    if (index >= 0) {
      Node* field = rw.ctx().NewNode(NodeOp::kRowField);
      field->set_field_index(index);
      field->name = std::string(n->args[1]->constant.as_string());
      return field;
    }
  }
  // Short circuits decided by a constant: exactly what evaluation would do.
  if (n->op == NodeOp::kBinary && IsConst(n->args[0]) && n->args[0]->constant.is(Type::kBool)) {
    const bool a = n->args[0]->constant.as_bool();
    if ((n->binary == syntax::BinaryOp::kAnd && !a) || (n->binary == syntax::BinaryOp::kOr && a) ||
        (n->binary == syntax::BinaryOp::kImplies && !a))
      return rw.Constant(Value::Bool(n->binary != syntax::BinaryOp::kAnd));
  }
  // `true and x` and `false or x` are x when x is a bool or fails.
  if (n->op == NodeOp::kBinary && IsConst(n->args[0]) && n->args[0]->constant.is(Type::kBool) &&
      YieldsBool(n->args[1]) &&
      ((n->binary == syntax::BinaryOp::kAnd && n->args[0]->constant.as_bool()) ||
       (n->binary == syntax::BinaryOp::kOr && !n->args[0]->constant.as_bool())))
    return n->args[1];
  // `row.f != null and x`: within x, the typed field f is of its schema type.
  if (n->op == NodeOp::kBinary && n->binary == syntax::BinaryOp::kAnd &&
      n->args[0]->op == NodeOp::kBinary && n->args[0]->binary == syntax::BinaryOp::kNe &&
      n->args[0]->args[0]->op == NodeOp::kRowField && IsConst(n->args[0]->args[1]) &&
      n->args[0]->args[1]->constant.is_null()) {
    const Node* rest = AssumeFieldSet(rw, n->args[1], n->args[0]->args[0]->field_index());
    if (rest != n->args[1]) {
      Node* copy = rw.ctx().NewNode(n->op);
      *copy = *n;
      copy->args = {n->args[0], rest};
      return Fold(rw, copy);
    }
  }
  // `x and true` is x, `x or false` is x, when x is a bool or fails.
  if (n->op == NodeOp::kBinary && IsConst(n->args[1]) && n->args[1]->constant.is(Type::kBool) &&
      YieldsBool(n->args[0]) &&
      ((n->binary == syntax::BinaryOp::kAnd && n->args[1]->constant.as_bool()) ||
       (n->binary == syntax::BinaryOp::kOr && !n->args[1]->constant.as_bool())))
    return n->args[0];
  if (n->op == NodeOp::kIf && IsConst(n->args[0]) && n->args[0]->constant.is(Type::kBool))
    return n->args[n->args[0]->constant.as_bool() ? 1 : 2];
  if (const Node* decided = TypeTestOfField(rw, n)) return decided;
  if (n->op == NodeOp::kRowField || n->op == NodeOp::kQuantifier) return n;
  for (const Node* a : n->args)
    if (!IsConst(a)) return n;
  return FoldConstant(n, rw.ctx());
}

}  // namespace policy::check::passes
