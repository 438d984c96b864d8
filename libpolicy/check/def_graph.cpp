#include "libpolicy/check/def_graph.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>
#include <vector>

namespace policy::check {
namespace {

using eval::CompiledDef;
using eval::Node;

void CollectCalls(const Node* n, std::vector<const CompiledDef*>& out) {
  if (n == nullptr) return;
  if (n->op == eval::NodeOp::kDefCall) out.push_back(n->def);
  for (const Node* a : n->args) CollectCalls(a, out);
}

struct Measure {
  size_t nesting = 0;
  size_t cost = 0;
};

// A finished def's measure from its body and its callees' (all finished).
// Recursion here follows one body's height, which the parser bounds.
Measure MeasureNode(const Node* n, const std::map<const CompiledDef*, Measure>& done) {
  if (n == nullptr) return {};
  Measure m{1, 1};
  size_t deepest = 0;
  for (const Node* a : n->args) {
    Measure child = MeasureNode(a, done);
    deepest = std::max(deepest, child.nesting);
    m.cost = std::min(m.cost + child.cost, kMaxDefCost + 1);
  }
  if (n->op == eval::NodeOp::kDefCall) {
    auto it = done.find(n->def);
    if (it != done.end()) {
      deepest = std::max(deepest, it->second.nesting);
      m.cost = std::min(m.cost + it->second.cost, kMaxDefCost + 1);
    }
  }
  m.nesting += deepest;
  return m;
}

class DefGraph {
 public:
  DefGraph(const DefOrigins& origin, Context& ctx) : origin_(origin), ctx_(ctx) {
    for (const auto& [def, where] : origin_) CollectCalls(def->body, calls_[def]);
  }

  void Check() {
    for (const auto& [def, where] : origin_)
      if (state_[def] == kNew) Walk(def);
  }

 private:
  enum State { kNew, kOpen, kDone, kInCycle };
  struct Frame {
    const CompiledDef* def;
    size_t next = 0;  // index of the next callee to look at
  };

  // Depth-first from `root`, as the recursive form would: a def that reaches
  // an open def (a cycle) reports it, and so does every def on the path back.
  void Walk(const CompiledDef* root) {
    std::vector<Frame> stack{{root}};
    state_[root] = kOpen;
    const CompiledDef* cycle_through = nullptr;  // set while unwinding a cycle
    while (!stack.empty()) {
      Frame& top = stack.back();
      if (cycle_through != nullptr) {
        ReportCycle(top.def, cycle_through);
        cycle_through = top.def;
        stack.pop_back();
        continue;
      }
      const std::vector<const CompiledDef*>& callees = calls_[top.def];
      if (top.next < callees.size()) {
        const CompiledDef* c = callees[top.next++];
        State& s = state_[c];
        if (s == kOpen) {
          cycle_through = c;
        } else if (s == kNew) {
          s = kOpen;
          stack.push_back({c});
        }
        continue;
      }
      Finish(top.def);
      stack.pop_back();
    }
  }

  void ReportCycle(const CompiledDef* d, const CompiledDef* through) {
    if (state_[d] != kInCycle) {
      auto [file, def] = origin_.at(d);
      ctx_.Error(*file, def->name.span, DiagCode::kDefCycle,
                 fmt::format("def '{}' calls itself through '{}': defs may not recurse", d->name,
                             through->name));
    }
    state_[d] = kInCycle;
  }

  void Finish(const CompiledDef* d) {
    state_[d] = kDone;
    bool callee_failed = false;
    for (const CompiledDef* c : calls_[d]) callee_failed = callee_failed || failed_.count(c) > 0;
    Measure m = MeasureNode(d->body, measured_);
    measured_[d] = m;
    if (callee_failed) {
      failed_.insert(d);  // reported where the bound was first crossed
      return;
    }
    auto [file, def] = origin_.at(d);
    if (m.nesting > kMaxDefNesting) {
      ctx_.Error(
          *file, def->name.span, DiagCode::kDefTooDeep,
          fmt::format("def '{}' nests calls more than {} levels deep", d->name, kMaxDefNesting),
          "flatten the chain of defs: each def may call others, but not thousands deep");
      failed_.insert(d);
    } else if (m.cost > kMaxDefCost) {
      ctx_.Error(*file, def->name.span, DiagCode::kDefTooCostly,
                 fmt::format("a call of def '{}' would evaluate more than {} expressions", d->name,
                             kMaxDefCost),
                 "each call of a def evaluates its body again: call an expensive def once and "
                 "bind its result with `let`");
      failed_.insert(d);
    }
  }

  const DefOrigins& origin_;
  Context& ctx_;
  std::map<const CompiledDef*, std::vector<const CompiledDef*>> calls_;
  std::map<const CompiledDef*, State> state_;
  std::map<const CompiledDef*, Measure> measured_;
  std::set<const CompiledDef*> failed_;
};

}  // namespace

void CheckDefGraph(const DefOrigins& origin, Context& ctx) { DefGraph(origin, ctx).Check(); }

}  // namespace policy::check
