#pragma once
// Inputs shared by the benchmark programs: where the committed corpus and the
// generated record files live, and how to read them into memory so that the
// timed loops measure the stage, not the disk.
#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "libpolicy/engine.h"

namespace policy::bench {

namespace fs = std::filesystem;

inline fs::path SourceDir() { return POLICY_SOURCE_DIR; }

// The generated invoices: $POLICY_BENCH_DATA when set (scripts/bench.sh sets it),
// else the build tree's bench-data/ that the `bench-data` target fills.
inline fs::path DataDir() {
  if (const char* env = std::getenv("POLICY_BENCH_DATA"); env != nullptr && *env != '\0')
    return env;
  return POLICY_BENCH_DATA_DIR;
}

inline std::optional<std::string> ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream ss;
  ss << in.rdbuf();
  return std::move(ss).str();
}

// Every *.policy file under `dir`, sorted by path, as in-memory sources with
// `dir` as their rule root.
inline std::vector<RuleSource> RuleSourcesIn(const fs::path& dir) {
  std::vector<fs::path> paths;
  std::error_code ec;
  for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (it->is_regular_file() && it->path().extension() == ".policy") paths.push_back(it->path());
  }
  std::sort(paths.begin(), paths.end());
  std::vector<RuleSource> sources;
  for (const fs::path& p : paths) {
    if (auto text = ReadFile(p)) sources.push_back({p.string(), std::move(*text), dir.string()});
  }
  return sources;
}

// The awesome-compose corpus (one compose.yaml per example), sorted.
inline std::vector<fs::path> CorpusFiles() {
  std::vector<fs::path> files;
  const fs::path root = fs::path(POLICY_SHARED_DIR) / "corpus" / "awesome-compose";
  std::error_code ec;
  for (fs::directory_iterator it(root, ec), end; !ec && it != end; it.increment(ec)) {
    for (const char* name :
         {"compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml"}) {
      if (fs::is_regular_file(it->path() / name)) files.push_back(it->path() / name);
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

inline fs::path Compose39() { return SourceDir() / "benchmarks" / "data" / "compose-39.yaml"; }

// bench-data/<10k|100k|1m>/invoices.<ext> for a row count of the sweep.
inline fs::path InvoicesFile(int64_t rows, const char* ext) {
  const char* dir = rows >= 1'000'000 ? "1m" : rows >= 100'000 ? "100k" : "10k";
  return DataDir() / dir / (std::string("invoices.") + ext);
}

inline constexpr const char* kNoDataMessage =
    "generated data missing: run `cmake --build BUILD --target bench-data` or scripts/bench.sh";

}  // namespace policy::bench
