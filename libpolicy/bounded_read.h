#pragma once
// The one way libpolicy and the CLI read a whole file or stream into memory:
// never more than a cap, so /dev/zero, a FIFO or a runaway file given as an
// input, a rule file, a configuration or a baseline stops with "larger than N
// bytes" after reading cap + 1 bytes instead of growing until the machine
// runs out of memory. The caps are documented in docs/CLI.md ("Size limits").
#include <cstdint>
#include <istream>
#include <string>

namespace policy {

// An input read whole (compose file, document, a JSON/YAML record array,
// standard input); the default of load::LoadLimits::max_file_size. A parsed
// document takes many times its size, so the cap is what a machine can hold
// parsed, not what a disk can hold. Named record files stream and have none.
inline constexpr uint64_t kMaxInputBytes = 256ull << 20;  // 256 MiB
// Caps of the other files read whole.
inline constexpr uint64_t kMaxRuleFileBytes = 16ull << 20;   // a rule file (.policy)
inline constexpr uint64_t kMaxConfigBytes = 16ull << 20;     // .policy-check.yaml, a compose .env
inline constexpr uint64_t kMaxBaselineBytes = 256ull << 20;  // --baseline

struct BoundedRead {
  enum class Status : uint8_t { kOk, kCannotOpen, kIsDirectory, kTooLarge, kReadError };
  Status status = Status::kOk;
  std::string text;  // the whole file when kOk; empty otherwise
  uint64_t cap = 0;  // the cap it was read with

  bool ok() const { return status == Status::kOk; }
  // What went wrong, for a message after "FILE: error: ": "cannot read the file",
  // "is a directory", "larger than 16777216 bytes".
  std::string Reason() const;
};

// Reads `path` whole, at most `max_bytes` bytes: a longer file (or a stream
// that does not end) is kTooLarge once byte max_bytes + 1 has been read.
BoundedRead ReadFileBounded(const std::string& path, uint64_t max_bytes);

// The same for an open stream (standard input), read to its end.
BoundedRead ReadStreamBounded(std::istream& in, uint64_t max_bytes);

}  // namespace policy
