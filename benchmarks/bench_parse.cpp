// Rule files: parsing alone (syntax::Parse) and the whole Compile pipeline
// (parse, resolve, type-check, fold, compile regexes) on the committed rule
// sets and on generated files of 10 to 1000 rules, all from memory.
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "bench_common.h"
#include "libpolicy/source.h"
#include "libpolicy/syntax/parser.h"

namespace policy::bench {
namespace {

// A rule file of `rules` rules, half on records and half on compose, written
// like the real packs: defs, a param, lets, regexes, a quantifier, templates.
std::string SyntheticRules(int rules) {
  std::string text = R"(package synth

schema invoice {
  invoice_no   : string  required
  issue_date   : date    required
  fiscal_year  : string
  seller_bin   : string
  net_amount   : decimal required
  vat_rate     : decimal
  vat_amount   : decimal
}

param vat_rate: decimal = 15
def ident(s) = digits_only(normalize_digits(s))

)";
  for (int i = 0; i < rules; ++i) {
    const std::string id = "GEN-" + std::to_string(i) + (i % 2 == 0 ? "-REC" : "-CMP");
    if (i % 2 == 0) {
      text += "rule " + id + R"( {
  title "Generated record rule )" +
              std::to_string(i) + R"("
  severity warning
  tags [generated, area_data]
  on records(invoice)
  where row.net_amount != null and row.vat_amount != null
  let expected = round(row.net_amount * (row.vat_rate ?? vat_rate) / 100, 2)
  require row.vat_amount == expected or ident(row.seller_bin ?? "") matches /^[0-9]{13}$/
  at row.vat_amount
  message "line {line}: VAT {row.vat_amount}, expected {expected}"
}

)";
    } else {
      text += "rule " + id + R"( {
  title "Generated compose rule )" +
              std::to_string(i) + R"("
  on compose
  for name, svc in compose.services
  let img = parse_image(svc.image)
  where img != null and img.repository not in ["postgres", "redis"]
  require all p in svc.ports: p.published == null or p.host_ip == "127.0.0.1"
  message "service '{name}' ({img.repository}) publishes a port on every interface"
}

)";
    }
  }
  return text;
}

void BM_ParseSynthetic(benchmark::State& state) {
  const SourceFile source("synthetic.policy", SyntheticRules(static_cast<int>(state.range(0))));
  for (auto _ : state) {
    syntax::ParseResult result = syntax::Parse(source);
    if (!result.module) {
      state.SkipWithError(
          ("parse failed: " + FormatDiagnostic(result.diagnostics.front())).c_str());
      return;
    }
    benchmark::DoNotOptimize(result.module.get());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * source.text().size()));
  state.counters["rules"] = static_cast<double>(state.range(0));
}
BENCHMARK(BM_ParseSynthetic)->Arg(10)->Arg(100)->Arg(1000)->Unit(benchmark::kMicrosecond);

void CompileSources(benchmark::State& state, const std::vector<RuleSource>& sources, bool builtin) {
  if (sources.empty() && !builtin) {
    state.SkipWithError("no rule files found");
    return;
  }
  CompileOptions options;
  options.builtin = builtin;
  options.sources = sources;
  std::size_t bytes = 0;
  for (const RuleSource& s : sources) bytes += s.text.size();
  std::size_t rules = 0;
  for (auto _ : state) {
    CompileResult result = Compile(options);
    if (!result.program) {
      std::string why = result.diagnostics.empty() ? std::string("no program")
                                                   : FormatDiagnostic(result.diagnostics.front());
      state.SkipWithError(("compile failed: " + why).c_str());
      return;
    }
    rules = ListRules(*result.program).size();
    benchmark::DoNotOptimize(result.program.get());
  }
  if (rules == 0) {
    state.SkipWithError("no rules compiled (are the built-in packs empty?)");
    return;
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
  state.counters["rules"] = static_cast<double>(rules);
}

void BM_CompileBenchRules(benchmark::State& state) {
  CompileSources(state, RuleSourcesIn(SourceDir() / "benchmarks" / "rules"), false);
}
BENCHMARK(BM_CompileBenchRules)->Unit(benchmark::kMicrosecond);

void BM_CompileExamples(benchmark::State& state) {
  CompileSources(state, RuleSourcesIn(SourceDir() / "examples" / "rules"), false);
}
BENCHMARK(BM_CompileExamples)->Unit(benchmark::kMicrosecond);

// The embedded rules/ packs: what every `policy-check` run compiles first.
void BM_CompileBuiltinPacks(benchmark::State& state) { CompileSources(state, {}, true); }
BENCHMARK(BM_CompileBuiltinPacks)->Unit(benchmark::kMicrosecond);

void BM_CompileSynthetic(benchmark::State& state) {
  const auto rules = static_cast<int>(state.range(0));
  CompileSources(state, {{"synthetic.policy", SyntheticRules(rules), ""}}, false);
}
BENCHMARK(BM_CompileSynthetic)->Arg(10)->Arg(100)->Arg(1000)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace policy::bench
