// Record splitting with no rules: load::OpenRecords cutting the file into
// chunks at record boundaries and a RecordParser turning each record into a
// located row, on the generated invoices (10k, 100k, 1M rows; CSV and JSON
// Lines). This is the floor under every `on records` check.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "bench_common.h"
#include "libpolicy/arena.h"
#include "libpolicy/load/loaders.h"

namespace policy::bench {
namespace {

void SplitFile(benchmark::State& state, load::RecordFormat format, const char* ext) {
  const fs::path path = InvoicesFile(state.range(0), ext);
  std::error_code ec;
  const auto bytes = fs::file_size(path, ec);
  if (ec) {
    state.SkipWithError(kNoDataMessage);
    return;
  }
  load::ChunkOptions options;
  options.format = format;
  uint64_t records = 0;
  uint64_t issues = 0;
  for (auto _ : state) {
    records = 0;
    issues = 0;
    std::unique_ptr<load::ChunkReader> reader = load::OpenRecords(path.string(), options);
    load::RecordParser parser(options, &reader->header(), path.string());
    load::RecordChunk chunk;
    load::Record rec;
    Arena arena;
    std::optional<load::InputError> error;
    while (reader->Next(chunk)) {
      parser.Reset(&chunk);
      while (parser.Next(rec, arena, error)) {
        ++records;
        issues += rec.issues.size();
        benchmark::DoNotOptimize(rec.row);
      }
      arena.Reset();
      if (error) break;
    }
    if (!error) error = reader->error();
    if (error) {
      state.SkipWithError(
          (path.string() + ":" + std::to_string(error->line) + ": " + error->message).c_str());
      return;
    }
  }
  if (records != static_cast<uint64_t>(state.range(0))) {
    state.SkipWithError(
        ("read " + std::to_string(records) + " records, expected " + std::to_string(state.range(0)))
            .c_str());
    return;
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations() * records));
  state.counters["issues"] = static_cast<double>(issues);
}

void BM_SplitCsv(benchmark::State& state) { SplitFile(state, load::RecordFormat::kCsv, "csv"); }
BENCHMARK(BM_SplitCsv)->Arg(10'000)->Arg(100'000)->Arg(1'000'000)->Unit(benchmark::kMillisecond);

void BM_SplitJsonLines(benchmark::State& state) {
  SplitFile(state, load::RecordFormat::kJsonLines, "jsonl");
}
BENCHMARK(BM_SplitJsonLines)
    ->Arg(10'000)
    ->Arg(100'000)
    ->Arg(1'000'000)
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace policy::bench
