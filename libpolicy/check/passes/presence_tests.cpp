#include "libpolicy/check/passes/presence_tests.h"

#include "libpolicy/check/passes/rewrite.h"

namespace policy::check::passes {
namespace {

bool SameLeaf(const Node* a, const Node* b) {
  if (a->op != b->op) return false;
  if (a->op == NodeOp::kSlot) return a->read_slot() == b->read_slot();
  if (a->op == NodeOp::kRowField) return a->field_index() == b->field_index();
  return false;
}

// The presence tests of `and` (lowered children): x != null and then
// trim(x) != "", possibly behind type(x) != "string" or.
const Node* LowerPresent(const Node* n, Context& ctx) {
  if (n->op != NodeOp::kAnd) return nullptr;
  const Node* set = n->args[0];
  const Node* rest = n->args[1];
  if (set->op != NodeOp::kIsNull || set->tests_equal()) return nullptr;
  const Node* x = set->args[0];
  const Node* blank = rest;
  if (rest->op == NodeOp::kOr) {
    const Node* type = rest->args[0];
    if (type->op != NodeOp::kTypeIs || type->tested_type() != static_cast<int>(Type::kString) ||
        type->type_equal() || !SameLeaf(type->args[0], x))
      return nullptr;
    blank = rest->args[1];
  }
  if (blank->op != NodeOp::kTrimEmpty || blank->tests_equal() || !SameLeaf(blank->args[0], x))
    return nullptr;
  Node* p = ctx.NewNode(NodeOp::kPresent);
  p->args = {x, n};
  p->set_others_present(rest->op == NodeOp::kOr);  // behind `type(x) != "string" or`
  return p;
}

// A chain of `x != null` tests of names and typed fields joined by `and`: one
// node that reads the leaves in a loop.
const Node* LowerNoneNull(const Node* n, Context& ctx) {
  if (n->op != NodeOp::kAnd) return nullptr;
  std::vector<const Node*> leaves;
  for (const Node* side : n->args) {
    if (side->op == NodeOp::kNoneNull) {
      leaves.insert(leaves.end(), side->args.begin(), side->args.end());
    } else if (side->op == NodeOp::kIsNull && !side->tests_equal() &&
               (side->args[0]->op == NodeOp::kSlot || side->args[0]->op == NodeOp::kRowField)) {
      leaves.push_back(side->args[0]);
    } else {
      return nullptr;
    }
  }
  Node* none = ctx.NewNode(NodeOp::kNoneNull);
  none->args = std::move(leaves);
  return none;
}

// CompiledClause::unrolled_presence, when every element's require is a
// presence test of a typed field, or one `or` an exception (`present(row[f])
// or exempt`: the presence passes the element; its failure goes to the full
// test); empty otherwise.
std::vector<eval::CompiledClause::FieldPresence> PresenceOfFields(const eval::CompiledClause& c) {
  std::vector<eval::CompiledClause::FieldPresence> tests;
  for (const eval::Unrolled& u : c.unrolled) {
    const Node* r = u.require;
    if (r != nullptr && r->op == NodeOp::kOr && !r->args.empty()) r = r->args[0];
    if (r == nullptr || r->args.empty() || r->args[0]->op != NodeOp::kRowField) return {};
    eval::CompiledClause::FieldPresence t;
    t.field = r->args[0]->field_index();
    if (r->op == NodeOp::kIsNull && !r->tests_equal()) {
      t.blank_text_fails = false;
    } else if (r->op == NodeOp::kPresent) {
      t.blank_text_fails = true;
      t.others_pass = r->others_present();
    } else {
      return {};
    }
    tests.push_back(t);
  }
  return tests;
}

}  // namespace

void RunPresenceTests(eval::CompiledRule& rule, Context& ctx) {
  LowerEvaluated(rule, ctx, [&](const Node* n) -> const Node* {
    if (const Node* present = LowerPresent(n, ctx)) return present;
    return LowerNoneNull(n, ctx);
  });
  for (eval::CompiledClause& c : rule.clauses) c.unrolled_presence = PresenceOfFields(c);
}

}  // namespace policy::check::passes
