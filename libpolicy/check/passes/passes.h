#pragma once
// The accelerations, as one table of named passes (eval/passes.h has their
// ids). Compile-time passes rewrite a rule after it compiles, in the table's
// order; run-time passes are listed too, with the layer that applies them, and
// read their flag from CompiledRule::passes (or Program::passes). Every pass
// keeps the output exactly as the general evaluation gives it; the oracle test
// (tests/unit/engine/oracle_test.cpp) checks that with every pass off.
//
// CompileOptions::accelerate = false (internal, tests only) turns them all off;
// CompileOptions::disabled_passes turns some off by name.
#include <span>
#include <string_view>

#include "libpolicy/check/context.h"
#include "libpolicy/eval/passes.h"

namespace policy::check {

enum class PassLayer : uint8_t {
  kSpecialize,   // compile time, rewrites after the rule compiles (check/passes/)
  kAnalyse,      // compile time, finds what the runner may skip or remember
  kLower,        // compile time, dedicated nodes for what runs on every record
  kExpressions,  // compile time, as each expression compiles (check/expressions.cpp)
  kRunner,       // run time, eval/runner.cpp
  kEvaluator,    // run time, eval/evaluator.cpp
  kBuiltins,     // run time, inside builtins (CallContext::ascii_shortcuts)
  kPipeline,     // run time, the record pipeline (reads Program::passes)
  kIndexes,      // run time, version 2 index tables (CompiledIndex::passes, run/index_build)
  kGroups,       // run time, version 2 group tables (the grouped CompiledRule::passes)
};

struct PassInfo {
  eval::Pass id;
  std::string_view name;  // for CompileOptions::disabled_passes and messages
  PassLayer layer;
  std::string_view what;
  // Compile-time passes with a walk of their own: rewrites `rule`. Null for
  // run-time passes and for `fold` and `regex_plans`, applied as nodes are
  // rewritten or compiled.
  void (*run)(eval::CompiledRule& rule, Context& ctx);
};

// Every pass, compile-time ones in the order they run.
std::span<const PassInfo> PassTable();

// The pass named `name`, or null.
const PassInfo* FindPass(std::string_view name);

std::string_view LayerName(PassLayer layer);

// Runs the compile-time passes on for `rule` (rule.passes), in order.
void RunCompilePasses(eval::CompiledRule& rule, Context& ctx);

}  // namespace policy::check
