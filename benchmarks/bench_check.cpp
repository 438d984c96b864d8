// Whole checks through the public API, with the rules of benchmarks/rules
// compiled once: the 39-service ERP compose file, the awesome-compose corpus,
// and 10k / 100k / 1M generated invoices (CSV and JSON Lines) with one worker
// and with all cores. The record runs also check themselves: each rule's
// `failed` count must equal the faults gen_invoices.py planted (counts.json),
// so a fast wrong answer shows up as an error, not as a good figure.
#include <benchmark/benchmark.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "bench_common.h"

namespace policy::bench {
namespace {

// The benchmark rules, compiled on first use; null (and the diagnostic in
// `error`) when they do not compile.
const Program* BenchProgram(std::string& error) {
  static const CompileResult compiled = [] {
    CompileOptions options;
    options.builtin = false;
    options.sources = RuleSourcesIn(SourceDir() / "benchmarks" / "rules");
    return Compile(options);
  }();
  if (!compiled.program) {
    error = compiled.diagnostics.empty() ? std::string("benchmark rules did not compile")
                                         : FormatDiagnostic(compiled.diagnostics.front());
  }
  return compiled.program.get();
}

Input MakeInput(const fs::path& path, InputKind kind, std::string schema = {}) {
  Input in;
  in.path = path.string();
  in.kind = kind;
  in.schema = std::move(schema);
  return in;
}

// Runs Check over `inputs` in the timed loop; returns the last report.
// An input problem skips the benchmark unless `problems_ok` (real-world corpora
// may hold files the loader rightly rejects; they are counted instead).
std::optional<Report> RunCheck(benchmark::State& state, const std::vector<Input>& inputs,
                               unsigned jobs, bool problems_ok = false) {
  std::string error;
  const Program* program = BenchProgram(error);
  if (program == nullptr) {
    state.SkipWithError(error.c_str());
    return std::nullopt;
  }
  CheckOptions options;
  options.jobs = jobs;
  options.repo_root = SourceDir().string();
  Report report;
  for (auto _ : state) {
    report = Check(*program, inputs, options);
    benchmark::DoNotOptimize(report.findings.data());
  }
  state.counters["problems"] = static_cast<double>(report.problems.size());
  if (!report.problems.empty() && !problems_ok) {
    const Problem& p = report.problems.front();
    state.SkipWithError((p.file + ":" + std::to_string(p.line) + ": " + p.message).c_str());
    return std::nullopt;
  }
  uint64_t failed = 0;
  for (const auto& [rule, counters] : report.by_rule) failed += counters.failed;
  state.counters["failed"] = static_cast<double>(failed);
  state.counters["listed"] = static_cast<double>(report.findings.size());
  state.counters["jobs"] = jobs;
  return report;
}

void BM_CheckCompose39(benchmark::State& state) {
  RunCheck(state, {MakeInput(Compose39(), InputKind::kCompose)},
           static_cast<unsigned>(state.range(0)));
}
BENCHMARK(BM_CheckCompose39)->Arg(1)->Unit(benchmark::kMicrosecond)->UseRealTime();

void BM_CheckCorpus(benchmark::State& state) {
  std::vector<Input> inputs;
  for (const auto& path : CorpusFiles()) inputs.push_back(MakeInput(path, InputKind::kCompose));
  if (inputs.empty()) {
    state.SkipWithError("corpus not found under ../shared/corpus/awesome-compose");
    return;
  }
  RunCheck(state, inputs, static_cast<unsigned>(state.range(0)), true);
  state.counters["files"] = static_cast<double>(inputs.size());
}
BENCHMARK(BM_CheckCorpus)->Arg(1)->Arg(0)->Unit(benchmark::kMillisecond)->UseRealTime();

// Compares each rule's failure count with what the generator planted.
std::string CompareWithCounts(const Report& report, const fs::path& counts_path) {
  auto text = ReadFile(counts_path);
  if (!text) return "missing " + counts_path.string();
  const nlohmann::json counts = nlohmann::json::parse(*text, nullptr, false);
  if (counts.is_discarded() || !counts.contains("expected_findings"))
    return "unreadable " + counts_path.string();
  std::string mismatches;
  for (const auto& [rule, expected] : counts["expected_findings"].items()) {
    auto it = report.by_rule.find(rule);
    const uint64_t got = it == report.by_rule.end() ? 0 : it->second.failed;
    if (got != expected.get<uint64_t>()) {
      mismatches += " " + rule + " failed " + std::to_string(got) + " (expected " +
                    std::to_string(expected.get<uint64_t>()) + ")";
    }
  }
  for (const auto& [rule, counters] : report.by_rule) {
    if (counters.errors != 0)
      mismatches += " " + rule + " had " + std::to_string(counters.errors) + " evaluation errors";
  }
  if (auto schema = report.by_rule.find("SCHEMA");
      schema != report.by_rule.end() && schema->second.failed != 0) {
    mismatches += " SCHEMA failed " + std::to_string(schema->second.failed);
  }
  return mismatches;
}

void CheckInvoices(benchmark::State& state, const char* ext) {
  const fs::path path = InvoicesFile(state.range(0), ext);
  std::error_code ec;
  const auto bytes = fs::file_size(path, ec);
  if (ec) {
    state.SkipWithError(kNoDataMessage);
    return;
  }
  auto report = RunCheck(state, {MakeInput(path, InputKind::kRecords, "invoice")},
                         static_cast<unsigned>(state.range(1)));
  if (!report) return;
  const std::string mismatches = CompareWithCounts(*report, path.parent_path() / "counts.json");
  if (!mismatches.empty()) {
    state.SkipWithError(("findings differ from counts.json:" + mismatches).c_str());
    return;
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * state.range(0)));
}

void BM_CheckInvoicesCsv(benchmark::State& state) { CheckInvoices(state, "csv"); }
BENCHMARK(BM_CheckInvoicesCsv)
    ->ArgNames({"rows", "jobs"})
    ->ArgsProduct({{10'000, 100'000, 1'000'000}, {1, 0}})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

void BM_CheckInvoicesJsonLines(benchmark::State& state) { CheckInvoices(state, "jsonl"); }
BENCHMARK(BM_CheckInvoicesJsonLines)
    ->ArgNames({"rows", "jobs"})
    ->ArgsProduct({{10'000, 100'000, 1'000'000}, {1, 0}})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
}  // namespace policy::bench
