#include "libpolicy/check/passes/inline_defs.h"

#include <map>
#include <tuple>
#include <vector>

namespace policy::check::passes {
namespace {

// The largest def body (in nodes, once its own calls are inlined) that replaces
// a call; larger ones stay calls, whose results the evaluator remembers.
constexpr size_t kMaxInlined = 16;
// Calls inlined within calls being inlined, at most.
constexpr int kMaxDepth = 16;
// The nodes all inlining of one rule may produce. Nested calls whose arguments
// differ at every level (`def g2(x) = g1(g1(x))`) escape the memo below and
// cost twice as much per level; past this budget the calls stay calls.
constexpr size_t kMaxInlineWork = size_t{1} << 18;

size_t CountNodes(const Node* n) {
  size_t count = 1;
  for (const Node* a : n->args) count += CountNodes(a);
  return count;
}

bool HasQuantifier(const Node* n) {
  if (n->op == NodeOp::kQuantifier) return true;
  for (const Node* a : n->args)
    if (HasQuantifier(a)) return true;
  return false;
}

size_t CountSlotReads(const Node* n, int slot) {
  size_t count = n->op == NodeOp::kSlot && n->read_slot() == slot ? 1 : 0;
  for (const Node* a : n->args) count += CountSlotReads(a, slot);
  return count;
}

// An argument cheap enough to be evaluated again wherever the def reads it: a
// name, a constant, a field (row.x, row[key]).
bool IsLeaf(const Node* n) {
  switch (n->op) {
    case NodeOp::kConst:
    case NodeOp::kSlot:
    case NodeOp::kRowField:
      return true;
    case NodeOp::kMember:
    case NodeOp::kIndex:
      for (const Node* a : n->args)
        if (a->op != NodeOp::kConst && a->op != NodeOp::kSlot) return false;
      return true;
    default:
      return false;
  }
}

class Inliner {
 public:
  explicit Inliner(Rewriter& rw) : rw_(rw) {}

  const Node* Inline(const Node* n) {
    if (n == nullptr) return nullptr;
    const Node* with_args = rw_.MapArgs(n, [&](const Node* a) { return Inline(a); });
    if (with_args->op == NodeOp::kDefCall) {
      if (const Node* body = InlineCall(with_args->called_def(), with_args->args)) return body;
    }
    return with_args;
  }

 private:
  // The call's replacement, or null to keep the call. Remembered by def,
  // arguments and depth (the result depends on nothing else), so that a def
  // calling another twice (`f(x) = g(x) + g(x)`) costs one inlining of g per
  // level, not one per path: linear, not exponential, in the nesting.
  const Node* InlineCall(const eval::CompiledDef& def, const std::vector<const Node*>& args) {
    Key key{&def, args, depth_};
    auto known = done_.find(key);
    if (known != done_.end()) return known->second;
    const Node* body = InlineOnce(def, args);
    done_.emplace(std::move(key), body);
    return body;
  }

  const Node* InlineOnce(const eval::CompiledDef& def, const std::vector<const Node*>& args) {
    if (work_ > kMaxInlineWork) return nullptr;
    if (def.body == nullptr || HasQuantifier(def.body) || ++depth_ > kMaxDepth) {
      --depth_;
      return nullptr;
    }
    std::map<int, const Node*> params;
    bool ok = true;
    for (size_t i = 0; i < args.size() && ok; ++i) {
      // A computed argument read twice would be computed twice: keep the call.
      ok = IsLeaf(args[i]) || CountSlotReads(def.body, static_cast<int>(i)) <= 1;
      params[static_cast<int>(i)] = args[i];
    }
    const Node* body = nullptr;
    if (ok) {
      body = Inline(rw_.Substitute(def.body, params));
      const size_t size = CountNodes(body);
      work_ += size;
      if (size > kMaxInlined) body = nullptr;
    }
    --depth_;
    return body;
  }

  struct Key {
    const eval::CompiledDef* def;
    std::vector<const Node*> args;
    int depth;
    bool operator<(const Key& o) const {
      return std::tie(def, depth, args) < std::tie(o.def, o.depth, o.args);
    }
  };

  Rewriter& rw_;
  int depth_ = 0;
  size_t work_ = 0;  // nodes produced by inlining so far (kMaxInlineWork)
  std::map<Key, const Node*> done_;
};

}  // namespace

const Node* InlineDefs(Rewriter& rw, const Node* n) { return Inliner(rw).Inline(n); }

void RunInlineDefs(eval::CompiledRule& rule, Context& ctx) {
  Rewriter rw(ctx, rule);
  Inliner inliner(rw);
  for (eval::CompiledClause& c : rule.clauses) c.expr = inliner.Inline(c.expr);
  rule.require = inliner.Inline(rule.require);
  rule.unique_within = inliner.Inline(rule.unique_within);
}

}  // namespace policy::check::passes
