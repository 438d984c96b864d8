// The floor for CSV checking: one pass of RFC 4180 field splitting over a file,
// 1 MiB reads, quote-aware, counting records and fields and nothing else. No
// UTF-8 validation, no values, no locations, one thread. scripts/bench.sh times
// it beside policy-check so the table shows what the engine adds on top of
// reading the bytes.
//
//   raw_split FILE.csv    prints: records=N fields=M bytes=B seconds=S
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <vector>

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: raw_split FILE.csv\n");
    return 2;
  }
  const auto start = std::chrono::steady_clock::now();
  std::FILE* f = std::fopen(argv[1], "rb");
  if (f == nullptr) {
    std::perror(argv[1]);
    return 2;
  }
  std::vector<char> buf(1u << 20);
  uint64_t records = 0;
  uint64_t fields = 0;
  uint64_t bytes = 0;
  bool in_quotes = false;
  bool line_has_data = false;
  for (;;) {
    const std::size_t n = std::fread(buf.data(), 1, buf.size(), f);
    if (n == 0) break;
    bytes += n;
    for (std::size_t i = 0; i < n; ++i) {
      const char c = buf[i];
      if (in_quotes) {
        // A doubled quote inside a quoted field toggles twice and stays quoted.
        if (c == '"') in_quotes = false;
      } else if (c == '"') {
        in_quotes = true;
        line_has_data = true;
      } else if (c == ',') {
        ++fields;
        line_has_data = true;
      } else if (c == '\n') {
        if (line_has_data) {
          ++fields;
          ++records;
        }
        line_has_data = false;
      } else if (c != '\r') {
        line_has_data = true;
      }
    }
  }
  std::fclose(f);
  if (line_has_data) {
    ++fields;
    ++records;
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("records=%llu fields=%llu bytes=%llu seconds=%.3f\n",
              static_cast<unsigned long long>(records), static_cast<unsigned long long>(fields),
              static_cast<unsigned long long>(bytes), seconds);
  return 0;
}
