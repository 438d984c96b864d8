#include "libpolicy/check/lower.h"

#include <map>

namespace policy::check {

using eval::Node;
using eval::NodeOp;

namespace {

class Lowerer {
 public:
  explicit Lowerer(Context& ctx) : ctx_(ctx) {}

  const Node* Lower(const Node* n) {
    if (n == nullptr) return nullptr;
    auto it = done_.find(n);
    if (it != done_.end()) return it->second;
    std::vector<const Node*> args;
    bool changed = false;
    for (const Node* a : n->args) {
      args.push_back(Lower(a));
      changed = changed || args.back() != a;
    }
    const Node* out = changed ? Copy(n, args) : n;
    if (const Node* lowered = LowerOne(out)) out = lowered;
    done_[n] = out;
    return out;
  }

 private:
  const Node* Copy(const Node* n, const std::vector<const Node*>& args) {
    Node* copy = ctx_.NewNode(n->op);
    *copy = *n;
    copy->args = args;
    return copy;
  }

  static bool SameLeaf(const Node* a, const Node* b) {
    return a->op == b->op && (a->op == NodeOp::kSlot || a->op == NodeOp::kRowField) &&
           a->slot == b->slot;
  }

  // The presence tests of `and` (lowered children): x != null and then
  // trim(x) != "", possibly behind type(x) != "string" or.
  const Node* LowerPresent(const Node* n) {
    if (n->op != NodeOp::kAnd) return nullptr;
    const Node* set = n->args[0];
    const Node* rest = n->args[1];
    if (set->op != NodeOp::kIsNull || set->slot != 0) return nullptr;
    const Node* x = set->args[0];
    const Node* blank = rest;
    if (rest->op == NodeOp::kOr) {
      const Node* type = rest->args[0];
      if (type->op != NodeOp::kTypeIs || type->slot != static_cast<int>(Type::kString) ||
          type->slot2 != 0 || !SameLeaf(type->args[0], x))
        return nullptr;
      blank = rest->args[1];
    }
    if (blank->op != NodeOp::kTrimEmpty || blank->slot != 0 || !SameLeaf(blank->args[0], x))
      return nullptr;
    Node* p = ctx_.NewNode(NodeOp::kPresent);
    p->args = {x, n};
    p->slot = rest->op == NodeOp::kOr ? 1 : 0;  // behind `type(x) != "string" or`
    return p;
  }

  // A chain of `x != null` tests of names and typed fields joined by `and`
  // (guards before arithmetic): one node that reads the leaves in a loop.
  const Node* LowerNoneNull(const Node* n) {
    if (n->op != NodeOp::kAnd) return nullptr;
    std::vector<const Node*> leaves;
    for (const Node* side : n->args) {
      if (side->op == NodeOp::kNoneNull) {
        leaves.insert(leaves.end(), side->args.begin(), side->args.end());
      } else if (side->op == NodeOp::kIsNull && side->slot == 0 &&
                 (side->args[0]->op == NodeOp::kSlot || side->args[0]->op == NodeOp::kRowField)) {
        leaves.push_back(side->args[0]);
      } else {
        return nullptr;
      }
    }
    Node* none = ctx_.NewNode(NodeOp::kNoneNull);
    none->args = std::move(leaves);
    return none;
  }

  static bool IsNullConst(const Node* n) {
    return n->op == NodeOp::kConst && n->constant.is_null();
  }

  const Node* LowerOne(const Node* n) {
    if (n->op == NodeOp::kBuiltin && n->args.size() == 1) {
      static const std::pair<const eval::Builtin*, eval::IdentityWhen> kIdentities[] = {
          {eval::FindBuiltin("string"), eval::IdentityWhen::kText},
          {eval::FindBuiltin("normalize_digits"), eval::IdentityWhen::kAsciiText},
          {eval::FindBuiltin("digits_only"), eval::IdentityWhen::kAsciiWithoutSeparators},
          {eval::FindBuiltin("trim"), eval::IdentityWhen::kVisibleAsciiEnds},
      };
      for (const auto& [builtin, when] : kIdentities) {
        if (n->builtin != builtin) continue;
        const Node* inner = n->args[0];
        Node* t = ctx_.NewNode(NodeOp::kIdentityWhen);
        if (inner->op == NodeOp::kIdentityWhen) {
          // One node for the chain: its argument is evaluated once, then each stage.
          *t = *inner;
          t->stages.emplace_back(builtin, static_cast<uint8_t>(when));
          return t;
        }
        *t = *n;
        t->op = NodeOp::kIdentityWhen;
        t->slot = static_cast<int>(when);
        return t;
      }
      return nullptr;
    }
    if (n->op != NodeOp::kBinary) return nullptr;
    using syntax::BinaryOp;
    if (n->binary == BinaryOp::kAnd || n->binary == BinaryOp::kOr) {
      Node* l = ctx_.NewNode(n->binary == BinaryOp::kAnd ? NodeOp::kAnd : NodeOp::kOr);
      l->args = n->args;
      if (const Node* present = LowerPresent(l)) return present;
      if (const Node* none_null = LowerNoneNull(l)) return none_null;
      return l;
    }
    if (n->binary != BinaryOp::kEq && n->binary != BinaryOp::kNe) return nullptr;
    const bool eq = n->binary == BinaryOp::kEq;
    static const eval::Builtin* const type_of = eval::FindBuiltin("type");
    const Node* a = n->args[0];
    const Node* b = n->args[1];
    if (a->op == NodeOp::kBuiltin && a->builtin == type_of && a->args.size() == 1 &&
        b->op == NodeOp::kConst && b->constant.is(Type::kString)) {
      Node* t = ctx_.NewNode(NodeOp::kTypeIs);
      t->args = {a->args[0]};
      t->slot = -1;
      for (int k = 0; k <= static_cast<int>(Type::kRegex); ++k)
        if (TypeName(static_cast<Type>(k)) == b->constant.as_string()) t->slot = k;
      t->slot2 = eq ? 1 : 0;
      return t;
    }
    static const eval::Builtin* const trim = eval::FindBuiltin("trim");
    if ((a->op == NodeOp::kBuiltin || a->op == NodeOp::kIdentityWhen) && a->builtin == trim &&
        a->args.size() == 1 && b->op == NodeOp::kConst && b->constant.is(Type::kString) &&
        b->constant.as_string().empty()) {
      Node* t = ctx_.NewNode(NodeOp::kTrimEmpty);
      t->args = {a->args[0], n};
      t->slot = eq ? 1 : 0;
      return t;
    }
    if (IsNullConst(a) || IsNullConst(b)) {
      Node* t = ctx_.NewNode(NodeOp::kIsNull);
      t->args = {IsNullConst(b) ? a : b};
      t->slot = eq ? 1 : 0;
      return t;
    }
    return nullptr;
  }

  Context& ctx_;
  std::map<const Node*, const Node*> done_;
};

}  // namespace

// CompiledClause::unrolled_presence, when every element's require is a
// presence test of a typed field, or one `or` an exception (`present(row[f])
// or exempt`: the presence passes the element; its failure goes to the full
// test); empty otherwise.
std::vector<eval::CompiledClause::FieldPresence> PresenceTests(const eval::CompiledClause& c) {
  std::vector<eval::CompiledClause::FieldPresence> tests;
  for (const eval::Unrolled& u : c.unrolled) {
    const Node* r = u.require;
    if (r != nullptr && r->op == NodeOp::kOr && !r->args.empty()) r = r->args[0];
    if (r == nullptr || r->args.empty() || r->args[0]->op != NodeOp::kRowField) return {};
    eval::CompiledClause::FieldPresence t;
    t.field = r->args[0]->slot;
    if (r->op == NodeOp::kIsNull && r->slot == 0) {
      t.blank_text_fails = false;
    } else if (r->op == NodeOp::kPresent) {
      t.blank_text_fails = true;
      t.others_pass = r->slot == 1;
    } else {
      return {};
    }
    tests.push_back(t);
  }
  return tests;
}

void LowerRule(eval::CompiledRule& rule, Context& ctx) {
  Lowerer lower(ctx);
  for (eval::CompiledClause& c : rule.clauses) {
    c.expr = lower.Lower(c.expr);
    c.key_filter = lower.Lower(c.key_filter);
    c.where_rest = lower.Lower(c.where_rest);
    for (eval::Unrolled& u : c.unrolled) {
      for (const Node*& e : u.clauses) e = lower.Lower(e);
      u.require = lower.Lower(u.require);
    }
    c.unrolled_presence = PresenceTests(c);
  }
  rule.require = lower.Lower(rule.require);
}

}  // namespace policy::check
