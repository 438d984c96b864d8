#include "libpolicy/check/passes/unroll_fors.h"

#include "libpolicy/check/passes/constant_lets.h"
#include "libpolicy/check/passes/inline_defs.h"

namespace policy::check::passes {
namespace {

// The largest constant collection a `for` is unrolled over.
constexpr size_t kMaxUnrolled = 64;

}  // namespace

void RunUnrollFors(eval::CompiledRule& rule, Context& ctx) {
  // Unrolled elements carry their own `require`; a `within` scope has no
  // unrolled form, so such rules keep their general `for`.
  if (rule.unique_within != nullptr) return;
  Rewriter rw(ctx, rule);
  const bool inline_defs = rule.passes.on(eval::Pass::kInlineDefs);
  // Substituted, calls may have become small enough to inline.
  auto finish = [&](const Node* n) { return inline_defs ? InlineDefs(rw, n) : n; };
  const std::map<int, const Node*> known =
      rule.passes.on(eval::Pass::kConstantLets) ? ConstantLets(rule) : std::map<int, const Node*>{};
  for (size_t i = rule.clauses.size(); i-- > 0;) {
    eval::CompiledClause& c = rule.clauses[i];
    if (c.op != eval::ClauseOp::kFor) continue;
    if (c.expr == nullptr || c.expr->op != NodeOp::kConst) return;
    const Value& coll = c.expr->constant;
    size_t size = coll.is(Type::kList)  ? coll.as_list().size()
                  : coll.is(Type::kMap) ? coll.as_map().size()
                                        : 0;
    if (size == 0 || size > kMaxUnrolled) return;
    for (size_t e = 0; e < size; ++e) {
      std::map<int, const Node*> element = known;
      if (coll.is(Type::kList)) {
        const Value& item = coll.as_list()[e];
        if (c.slot2 >= 0) {
          element[c.slot] = rw.Constant(Value::Number(Decimal::FromInt(static_cast<int64_t>(e))));
          element[c.slot2] = rw.Constant(item);
        } else {
          element[c.slot] = rw.Constant(item);
        }
      } else {
        const MapEntry& entry = coll.as_map()[e];
        element[c.slot] = rw.Constant(Value::String(entry.key).WithOriginOf(entry.value));
        if (c.slot2 >= 0) element[c.slot2] = rw.Constant(entry.value);
      }
      eval::Unrolled u;
      for (size_t k = i + 1; k < rule.clauses.size(); ++k)
        u.clauses.push_back(finish(rw.Substitute(rule.clauses[k].expr, element)));
      u.require = finish(rw.Substitute(rule.require, element));
      c.unrolled.push_back(std::move(u));
    }
    return;
  }
}

}  // namespace policy::check::passes
