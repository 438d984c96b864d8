// Arbitrary bytes as a rule file: compiling must give a program or diagnostics.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "libpolicy/engine.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  policy::CompileOptions options;
  options.builtin = false;
  options.sources.push_back(
      {"fuzz.policy", std::string(reinterpret_cast<const char*>(data), size), "."});
  policy::CompileResult result = policy::Compile(options);
  for (const policy::Diagnostic& d : result.diagnostics) {
    // An internal error is a bug, and a message must never show the parser's
    // internals (X3 used to name what it expected by its mangled C++ type).
    // Quoted parts are the input's own text.
    std::string own;
    bool quoted = false;
    for (char c : d.message) {
      if (c == '\'') quoted = !quoted;
      if (!quoted) own += c;
    }
    if (d.code.rfind("internal", 0) == 0 || own.find("boost") != std::string::npos ||
        own.find("spirit") != std::string::npos)
      std::abort();
  }
  if (result.program != nullptr) {
    // Whatever compiled must also run, on a small document of every shape.
    policy::Input in{"doc.json", policy::InputKind::kDocument,
                     std::string(R"({"a": [1, "x", null, {"b": true}]})")};
    (void)policy::Check(*result.program, {in}, {});
  }
  return 0;
}
