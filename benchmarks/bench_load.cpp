// Compose loading: YAML to located Values (load::LoadYaml, with anchors, merge
// keys and the core-schema typing) and then NormalizeCompose, on the real
// awesome-compose files, the 39-service ERP file, and that file's services
// repeated to 390 and 3900 services. Inputs are in memory.
#include <benchmark/benchmark.h>

#include <string>
#include <string_view>
#include <vector>

#include "bench_common.h"
#include "libpolicy/load/loaders.h"

namespace policy::bench {
namespace {

struct Text {
  std::string path;
  std::string text;
};

// Loads and optionally normalises one file; the error message, or empty.
std::string LoadOne(const Text& in, bool normalize) {
  load::DocumentsResult result = load::LoadYaml(in.text, in.path, load::LoadLimits{}, true);
  if (result.error || result.documents.empty()) {
    return in.path + ": " + (result.error ? result.error->message : std::string("no document"));
  }
  if (normalize) load::NormalizeCompose(*result.documents.front());
  benchmark::DoNotOptimize(result.documents.front()->root);
  return {};
}

bool LoadOrSkip(benchmark::State& state, const Text& in, bool normalize) {
  const std::string error = LoadOne(in, normalize);
  if (error.empty()) return true;
  state.SkipWithError(error.c_str());
  return false;
}

// compose-39.yaml with its services section repeated `copies` times; the copies'
// service names get a suffix, their depends_on still name the originals.
std::string ScaledCompose(const std::string& base, int copies) {
  const std::size_t begin = base.find("\nservices:\n");
  const std::size_t end = base.find("\nnetworks:\n");
  if (begin == std::string::npos || end == std::string::npos) return base;
  const std::string head = base.substr(0, begin + 11);
  const std::string body = base.substr(begin + 11, end + 1 - (begin + 11));
  std::string out = head + body;
  for (int k = 1; k < copies; ++k) {
    std::size_t pos = 0;
    while (pos < body.size()) {
      std::size_t nl = body.find('\n', pos);
      if (nl == std::string::npos) nl = body.size();
      std::string_view line(body.data() + pos, nl - pos);
      // A service key: two spaces of indent, a name, a colon, nothing after it.
      if (line.size() > 3 && line[0] == ' ' && line[1] == ' ' && line[2] != ' ' &&
          line.back() == ':') {
        out.append(line.substr(0, line.size() - 1));
        out += '-';
        out += std::to_string(k);
        out += ':';
      } else {
        out.append(line);
      }
      out += '\n';
      pos = nl + 1;
    }
  }
  out.append(base.substr(end + 1));
  return out;
}

void BM_LoadCompose39(benchmark::State& state) {
  auto text = ReadFile(Compose39());
  if (!text) {
    state.SkipWithError("benchmarks/data/compose-39.yaml not found");
    return;
  }
  const Text in{Compose39().string(), std::move(*text)};
  const bool normalize = state.range(0) != 0;
  for (auto _ : state) {
    if (!LoadOrSkip(state, in, normalize)) return;
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * in.text.size()));
  state.SetLabel(normalize ? "LoadYaml+NormalizeCompose" : "LoadYaml only");
}
BENCHMARK(BM_LoadCompose39)->Arg(0)->Arg(1)->Unit(benchmark::kMicrosecond);

void BM_LoadComposeScaled(benchmark::State& state) {
  auto base = ReadFile(Compose39());
  if (!base) {
    state.SkipWithError("benchmarks/data/compose-39.yaml not found");
    return;
  }
  const int copies = static_cast<int>(state.range(0));
  const Text in{"compose-scaled.yaml", ScaledCompose(*base, copies)};
  for (auto _ : state) {
    if (!LoadOrSkip(state, in, true)) return;
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * in.text.size()));
  state.counters["services"] = 39.0 * copies;
  state.counters["services_per_s"] =
      benchmark::Counter(39.0 * copies, benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_LoadComposeScaled)->Arg(1)->Arg(10)->Arg(100)->Unit(benchmark::kMicrosecond);

// All of awesome-compose per iteration: many small files, as a repository walk sees them.
void BM_LoadCorpus(benchmark::State& state) {
  std::vector<Text> inputs;
  std::size_t bytes = 0;
  for (const auto& path : CorpusFiles()) {
    if (auto text = ReadFile(path)) {
      bytes += text->size();
      inputs.push_back({path.string(), std::move(*text)});
    }
  }
  if (inputs.empty()) {
    state.SkipWithError("corpus not found under ../shared/corpus/awesome-compose");
    return;
  }
  // A file the loader rejects is counted, not fatal: the corpus is real-world
  // input and the figure is still the cost of reading it.
  std::size_t failed = 0;
  for (auto _ : state) {
    failed = 0;
    for (const Text& in : inputs) failed += LoadOne(in, true).empty() ? 0 : 1;
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
  state.counters["files"] = static_cast<double>(inputs.size());
  state.counters["failed"] = static_cast<double>(failed);
}
BENCHMARK(BM_LoadCorpus)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace policy::bench
