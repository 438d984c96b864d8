// Arbitrary bytes as `.policy-check.yaml`: a configuration or a located error.
#include <cstddef>
#include <cstdint>
#include <string>

#include "cli/config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  policy::cli::ConfigResult r = policy::cli::ParseConfig(text, "/fuzz/.policy-check.yaml");
  // Exactly one of the two.
  if (r.config.has_value() == !r.error.empty()) __builtin_trap();
  return 0;
}
