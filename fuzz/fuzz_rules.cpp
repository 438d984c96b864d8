// Arbitrary bytes as a rule file: compiling must give a program or diagnostics.
#include <cstddef>
#include <cstdint>
#include <string>

#include "libpolicy/engine.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  policy::CompileOptions options;
  options.builtin = false;
  options.sources.push_back(
      {"fuzz.policy", std::string(reinterpret_cast<const char*>(data), size), "."});
  policy::CompileResult result = policy::Compile(options);
  if (result.program != nullptr) {
    // Whatever compiled must also run, on a small document of every shape.
    policy::Input in{"doc.json", policy::InputKind::kDocument,
                     std::string(R"({"a": [1, "x", null, {"b": true}]})")};
    (void)policy::Check(*result.program, {in}, {});
  }
  return 0;
}
