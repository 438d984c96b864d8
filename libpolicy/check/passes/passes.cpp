#include "libpolicy/check/passes/passes.h"

#include <array>

#include "libpolicy/check/passes/ascii_values.h"
#include "libpolicy/check/passes/constant_lets.h"
#include "libpolicy/check/passes/identity_chains.h"
#include "libpolicy/check/passes/inline_defs.h"
#include "libpolicy/check/passes/input_prefix.h"
#include "libpolicy/check/passes/key_filters.h"
#include "libpolicy/check/passes/lower_tests.h"
#include "libpolicy/check/passes/memo_point.h"
#include "libpolicy/check/passes/presence_tests.h"
#include "libpolicy/check/passes/unroll_fors.h"

namespace policy::check {
namespace {

using eval::Pass;
using L = PassLayer;

// In the order the compiler runs them: the specialisations first (they fold
// what constants decide), then the analyses (which read only the general node
// forms), then the lowering to dedicated nodes. `identity_chains` comes before
// `lower_tests`, and `lower_tests` before `presence_tests`, which matches the
// nodes it makes.
constexpr std::array kTable = {
    PassInfo{Pass::kInlineDefs, "inline_defs", L::kSpecialize,
             "calls of small defs replaced by their bodies", &passes::RunInlineDefs},
    PassInfo{Pass::kConstantLets, "constant_lets", L::kSpecialize,
             "a let bound to a constant read as that constant", &passes::RunConstantLets},
    PassInfo{Pass::kFold, "fold", L::kSpecialize,
             "what constants decide folded, wherever a pass rewrites a node", nullptr},
    PassInfo{Pass::kAsciiValues, "ascii_values", L::kSpecialize,
             "the last `for k, v` marked when ASCII text values always pass",
             &passes::RunAsciiValues},
    PassInfo{Pass::kUnrollFors, "unroll_fors", L::kSpecialize,
             "the last `for` over a small constant collection unrolled", &passes::RunUnrollFors},
    PassInfo{Pass::kKeyFilters, "key_filters", L::kAnalyse,
             "a where's lead that reads only the key hoisted as the for's key filter",
             &passes::RunKeyFilters},
    PassInfo{Pass::kInputPrefix, "input_prefix", L::kAnalyse,
             "leading clauses that read only the input, decided once per input",
             &passes::RunInputPrefix},
    PassInfo{Pass::kMemoPoint, "memo_point", L::kAnalyse,
             "the clause from which a binding depends on a few scalar values",
             &passes::RunMemoPoint},
    PassInfo{Pass::kIdentityChains, "identity_chains", L::kLower,
             "text builtins that may return their argument skip the call",
             &passes::RunIdentityChains},
    PassInfo{Pass::kLowerTests, "lower_tests", L::kLower,
             "and, or, == null, type(x) ==, trim(x) == \"\" as dedicated nodes",
             &passes::RunLowerTests},
    PassInfo{Pass::kPresenceTests, "presence_tests", L::kLower,
             "presence tests and chains of != null as one node each", &passes::RunPresenceTests},
    PassInfo{Pass::kRegexPlans, "regex_plans", L::kExpressions,
             "regex literals decided without RE2 when the pattern allows", nullptr},
    PassInfo{Pass::kMemo, "memo", L::kRunner, "binding outcomes remembered by their memo inputs",
             nullptr},
    PassInfo{Pass::kDecimalLane, "decimal_lane", L::kEvaluator,
             "decimal arithmetic and round() without a Value per step", nullptr},
    PassInfo{Pass::kPresenceLane, "presence_lane", L::kRunner,
             "unrolled presence tests read straight from the typed row", nullptr},
    PassInfo{Pass::kAsciiShortcuts, "ascii_shortcuts", L::kBuiltins,
             "ASCII text (Value::kAscii) decides is_bengali and is_nfc at once", nullptr},
    PassInfo{Pass::kShapePlans, "shape_plans", L::kPipeline,
             "per record shape: the rules that apply and the fields that pass", nullptr},
    PassInfo{Pass::kDormantRules, "dormant_rules", L::kPipeline,
             "rules whose input prefix is false skip every record of the input", nullptr},
    PassInfo{Pass::kKeyVerdicts, "key_verdicts", L::kRunner,
             "key filter verdicts remembered by key text", nullptr},
    PassInfo{Pass::kPlainBindings, "plain_bindings", L::kRunner,
             "a field or element that passes decided without a binding", nullptr},
    PassInfo{Pass::kMatchMemo, "match_memo", L::kEvaluator,
             "recent `matches` results on short strings", nullptr},
    PassInfo{Pass::kDefMemo, "def_memo", L::kEvaluator,
             "recent results of one- and two-argument defs", nullptr},
    PassInfo{Pass::kFieldSlots, "field_slots", L::kEvaluator,
             "record field indexes by shape and name", nullptr},
    PassInfo{Pass::kFlatIndexes, "flat_indexes", L::kIndexes,
             "index keys in a flat open-addressing table, not a node map", nullptr},
    PassInfo{Pass::kIndexProjection, "index_projection", L::kIndexes,
             "index entries keep only the fields rules read", nullptr},
    PassInfo{Pass::kHasOnlyIndexes, "has_only_indexes", L::kPipeline,
             "keys of an index read by `has` only added without reading the record again", nullptr},
    PassInfo{Pass::kNeededIndexes, "needed_indexes", L::kIndexes,
             "only the indexes read by rules that have an input are built", nullptr},
    PassInfo{Pass::kFlatGroups, "flat_groups", L::kGroups,
             "group keys in a flat table; min and max values kept only when they win", nullptr},
    PassInfo{Pass::kDistinctGrowth, "distinct_growth", L::kGroups,
             "count_distinct sets grow from a small table into a KeySet", nullptr},
    PassInfo{Pass::kSharedAggregateArgs, "shared_aggregate_args", L::kGroups,
             "aggregate arguments written the same evaluated once per binding", nullptr},
    PassInfo{Pass::kDenseDistinct, "dense_distinct", L::kGroups,
             "count_distinct of whole numbers in a bit set, not as key strings", nullptr},
    PassInfo{Pass::kPrefixOnce, "prefix_once", L::kRunner,
             "a record input's input prefix evaluated once, its lets kept for every record",
             nullptr},
};
static_assert(kTable.size() == static_cast<size_t>(Pass::kCount), "one row per pass");

}  // namespace

std::span<const PassInfo> PassTable() { return kTable; }

const PassInfo* FindPass(std::string_view name) {
  for (const PassInfo& p : kTable)
    if (p.name == name) return &p;
  return nullptr;
}

std::string_view LayerName(PassLayer layer) {
  switch (layer) {
    case PassLayer::kSpecialize:
      return "specialize";
    case PassLayer::kAnalyse:
      return "analyse";
    case PassLayer::kLower:
      return "lower";
    case PassLayer::kExpressions:
      return "expressions";
    case PassLayer::kRunner:
      return "runner";
    case PassLayer::kEvaluator:
      return "evaluator";
    case PassLayer::kBuiltins:
      return "builtins";
    case PassLayer::kPipeline:
      return "pipeline";
    case PassLayer::kIndexes:
      return "indexes";
    case PassLayer::kGroups:
      return "groups";
  }
  return "?";
}

void RunCompilePasses(eval::CompiledRule& rule, Context& ctx) {
  for (const PassInfo& p : kTable)
    if (p.run != nullptr && rule.passes.on(p.id)) p.run(rule, ctx);
}

}  // namespace policy::check
