// Arbitrary bytes as a compose file: an input error or a normalised document.
#include <cstddef>
#include <cstdint>
#include <string>

#include "libpolicy/load/loaders.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  policy::load::LoadLimits limits;
  limits.max_alias_nodes = 100'000;  // keep each run short; the bound is what is tested
  policy::load::DocumentsResult r = policy::load::LoadYaml(text, "fuzz.yaml", limits, false);
  for (auto& doc : r.documents) policy::load::NormalizeCompose(*doc);
  return 0;
}
