// Arbitrary bytes as a JSON document.
#include <cstddef>
#include <cstdint>
#include <string>

#include "libpolicy/load/loaders.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  (void)policy::load::LoadJson(text, "fuzz.json", policy::load::LoadLimits{});
  return 0;
}
