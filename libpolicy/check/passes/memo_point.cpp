#include "libpolicy/check/passes/memo_point.h"

namespace policy::check::passes {
namespace {

// Collects what `n` reads from outside: names bound before the memo point
// (`before`) and record fields. False when it reads the row as a whole, or the
// line, which would make every record different, or calls an impure builtin.
bool CollectMemoInputs(const eval::Node* n, const std::vector<bool>& before,
                       std::vector<const eval::Node*>& inputs) {
  if (n == nullptr) return true;
  auto add = [&](const eval::Node* input, auto same) {
    for (const eval::Node* have : inputs)
      if (have->op == input->op && same(have)) return;
    inputs.push_back(input);
  };
  switch (n->op) {
    case eval::NodeOp::kSlot:
      if (n->read_slot() == eval::kSlotSubject || n->read_slot() == eval::kSlotLine) return false;
      if (static_cast<size_t>(n->read_slot()) < before.size() &&
          before[static_cast<size_t>(n->read_slot())])
        add(n, [&](const eval::Node* h) { return h->read_slot() == n->read_slot(); });
      return true;  // else bound inside the suffix (let, for, quantifier)
    case eval::NodeOp::kRowField:
      add(n, [&](const eval::Node* h) { return h->field_index() == n->field_index(); });
      return true;
    case eval::NodeOp::kMember:
      if (n->args[0]->op == eval::NodeOp::kSlot && n->args[0]->read_slot() == eval::kSlotSubject) {
        add(n, [&](const eval::Node* h) {
          return h->args[0]->op == eval::NodeOp::kSlot && h->name == n->name;
        });
        return true;
      }
      break;
    case eval::NodeOp::kBuiltin:
      if (!n->callee().traits.pure) return false;
      break;
    default:
      break;
  }
  for (const eval::Node* a : n->args)
    if (!CollectMemoInputs(a, before, inputs)) return false;
  return true;
}

// Whether evaluating `n` can cost more than a memo lookup (a hash and a probe):
// a builtin worth memoising, a def call, a regex, a quantifier or a collection
// built. Comparisons and arithmetic of fields and constants (`row.rate in
// rates`) do not.
bool CostsMoreThanLookup(const eval::Node* n) {
  if (n == nullptr) return false;
  switch (n->op) {
    case eval::NodeOp::kBuiltin:
      if (n->callee().traits.cost == eval::Cost::kWorthMemo) return true;
      break;
    case eval::NodeOp::kDefCall:
    case eval::NodeOp::kQuantifier:
    case eval::NodeOp::kList:
    case eval::NodeOp::kMap:
      return true;
    case eval::NodeOp::kBinary:
      if (n->binary == syntax::BinaryOp::kMatches) return true;
      break;
    default:
      break;
  }
  for (const eval::Node* a : n->args)
    if (CostsMoreThanLookup(a)) return true;
  return false;
}

}  // namespace

void RunMemoPoint(eval::CompiledRule& rule, Context& ctx) {
  if (rule.is_unique || rule.mostly || rule.require == nullptr) return;
  const size_t n = rule.clauses.size();
  std::vector<bool> before(static_cast<size_t>(rule.num_slots), false);
  before[eval::kSlotFile] = true;
  for (size_t m = 0; m <= n; ++m) {
    if (m > 0) {
      const eval::CompiledClause& c = rule.clauses[m - 1];
      if (c.slot >= 0) before[static_cast<size_t>(c.slot)] = true;
      if (c.slot2 >= 0) before[static_cast<size_t>(c.slot2)] = true;
    }
    // Never at a `where`: it binds nothing, is cheaper than a lookup, and the
    // memo then sees only bindings that get as far as the real work.
    if (m < n && rule.clauses[m].op == eval::ClauseOp::kWhere) continue;
    std::vector<const eval::Node*> inputs;
    bool ok = CollectMemoInputs(rule.require, before, inputs);
    for (size_t i = m; ok && i < n; ++i)
      ok = CollectMemoInputs(rule.clauses[i].expr, before, inputs);
    if (!ok) continue;
    bool costly = CostsMoreThanLookup(rule.require);
    for (size_t i = m; !costly && i < n; ++i) costly = CostsMoreThanLookup(rule.clauses[i].expr);
    if (!costly) return;
    rule.memo_from = m;
    rule.memo_inputs = std::move(inputs);
    rule.memo_id = ctx.program.num_memo_rules++;
    return;
  }
}

}  // namespace policy::check::passes
