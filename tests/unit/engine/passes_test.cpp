// The table of passes (libpolicy/check/passes/passes.h) and the switch that
// turns them off (CompileOptions::accelerate, disabled_passes).
#include "libpolicy/check/passes/passes.h"

#include <doctest/doctest.h>

#include <cstdint>
#include <functional>
#include <set>
#include <string>

#include "case_support.h"
#include "libpolicy/engine.h"
#include "libpolicy/eval/program.h"

using policy::eval::NodeOp;
using policy::eval::Pass;

namespace {

policy::CompileResult CompileBd(bool accelerate, std::vector<std::string> disabled = {}) {
  policy::CompileOptions options;
  options.builtin = false;
  options.rule_paths = {(policy_test::SourceDir() / "rules" / "bd").string()};
  options.accelerate = accelerate;
  options.disabled_passes = std::move(disabled);
  return policy::Compile(options);
}

// What the accelerations leave in a compiled program, counted.
struct Traces {
  int lowered_nodes = 0;  // NodeOp kAnd and after
  int regex_plans = 0;
  int key_filters = 0;
  int unrolled = 0;
  int ascii_values = 0;
  int input_prefixes = 0;
  int memo_points = 0;
};

Traces TracesOf(const policy::Program& program) {
  Traces t;
  std::set<const policy::eval::Node*> seen;
  std::function<void(const policy::eval::Node*)> visit = [&](const policy::eval::Node* n) {
    if (n == nullptr || !seen.insert(n).second) return;
    if (n->op >= NodeOp::kAnd) ++t.lowered_nodes;
    if (n->op == NodeOp::kConst && n->regex_plan() != nullptr) ++t.regex_plans;
    for (const policy::eval::Node* a : n->args) visit(a);
  };
  for (const policy::eval::CompiledRule& r : program.rules) {
    for (const policy::eval::CompiledClause& c : r.clauses) {
      visit(c.expr);
      t.key_filters += c.key_filter != nullptr;
      t.unrolled += !c.unrolled.empty();
      t.ascii_values += c.ascii_value_passes;
    }
    visit(r.require);
    t.input_prefixes += r.input_prefix > 0;
    t.memo_points += r.memo_from != SIZE_MAX;
  }
  return t;
}

}  // namespace

TEST_CASE("passes: one row per pass, names unique and found by name") {
  std::set<std::string> names;
  for (const policy::check::PassInfo& p : policy::check::PassTable()) {
    INFO(p.name);
    CHECK(names.insert(std::string(p.name)).second);
    CHECK(!p.what.empty());
    const policy::check::PassInfo* found = policy::check::FindPass(p.name);
    REQUIRE(found != nullptr);
    CHECK(found->id == p.id);
  }
  CHECK(names.size() == static_cast<size_t>(Pass::kCount));
  CHECK(policy::check::FindPass("no_such_pass") == nullptr);
}

TEST_CASE("passes: the bd pack shows every compile-time acceleration when on, none when off") {
  const policy::CompileResult on = CompileBd(true);
  const policy::CompileResult off = CompileBd(false);
  REQUIRE(on.program);
  REQUIRE(off.program);
  CHECK(on.program->accelerate);
  CHECK(on.program->passes.all());
  CHECK(!off.program->accelerate);
  CHECK(off.program->passes.none());
  for (const policy::eval::CompiledRule& r : off.program->rules) CHECK(r.passes.none());

  const Traces a = TracesOf(*on.program);
  CHECK(a.lowered_nodes > 0);
  CHECK(a.regex_plans > 0);
  CHECK(a.key_filters > 0);
  CHECK(a.unrolled > 0);
  CHECK(a.ascii_values > 0);
  CHECK(a.memo_points > 0);

  const Traces g = TracesOf(*off.program);
  CHECK(g.lowered_nodes == 0);
  CHECK(g.regex_plans == 0);
  CHECK(g.key_filters == 0);
  CHECK(g.unrolled == 0);
  CHECK(g.ascii_values == 0);
  CHECK(g.input_prefixes == 0);
  CHECK(g.memo_points == 0);
}

TEST_CASE("passes: disabled_passes turns off only the passes named") {
  const policy::CompileResult r = CompileBd(true, {"unroll_fors", "memo"});
  REQUIRE(r.program);
  CHECK(!r.program->passes.on(Pass::kUnrollFors));
  CHECK(!r.program->passes.on(Pass::kMemo));
  CHECK(r.program->passes.on(Pass::kKeyFilters));
  const Traces t = TracesOf(*r.program);
  CHECK(t.unrolled == 0);
  CHECK(t.key_filters > 0);
}

TEST_CASE("passes: an unknown pass name is a configuration error") {
  const policy::CompileResult r = CompileBd(true, {"unroll_loops"});
  CHECK(!r.program);
  REQUIRE(!r.diagnostics.empty());
  CHECK(r.diagnostics[0].code == "config.unknown_pass");
  CHECK(r.diagnostics[0].message.find("unroll_loops") != std::string::npos);
}

TEST_CASE("passes: inlining a def that calls another twice is linear in the nesting") {
  // f_i(x) = f_{i-1}(x) + f_{i-1}(x): inlined path by path, the calls below
  // the size limit would be expanded 2^depth times over.
  std::string text = "def f0(x) = x + 1\n";
  // 20 levels: def.too_costly stops a chain at 21 (10^7 evaluations).
  for (int i = 1; i < 20; ++i)
    text += "def f" + std::to_string(i) + "(x) = f" + std::to_string(i - 1) + "(x) + f" +
            std::to_string(i - 1) + "(x)\n";
  text += "rule DEEP-001 {\n  title \"deep\"\n  on document\n  require f19(doc.x) > 0\n}\n";
  const policy::CompileResult r = policy_test::CompileText(text);
  REQUIRE_MESSAGE(r.program, policy_test::DescribeDiagnostics(r.diagnostics));
  CHECK(r.program->nodes.size() < 2000);
}
