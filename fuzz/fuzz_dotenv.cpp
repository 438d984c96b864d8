// Arbitrary bytes as a .env file: the loader, then the readiness pack's
// RDY-SEC-008 on what it loaded (the loader's values are what the rule, the
// redaction and the snippets read).
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>

#include "libpolicy/engine.h"
#include "libpolicy/load/loaders.h"

namespace {

const policy::Program* Pack() {
  static const std::shared_ptr<const policy::Program> program = [] {
    policy::CompileOptions options;
    options.builtin_kinds = {"dotenv"};
    return policy::Compile(options).program;
  }();
  return program.get();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  // The loader reads a string_view: give it one that ends where the buffer
  // does (no terminating NUL), so a read one past the end is an ASan report.
  std::unique_ptr<char[]> exact(new char[size]);
  if (size != 0) std::memcpy(exact.get(), data, size);
  policy::load::LoadLimits limits;
  limits.max_line_length = 4096;  // small limits reach their checks within a short input
  limits.max_string_length = 1024;
  (void)policy::load::LoadDotenv(std::string_view(exact.get(), size), "fuzz.env", limits);
  if (const policy::Program* program = Pack()) {
    policy::Input in{"fuzz.env", policy::InputKind::kDotenv, text};
    policy::CheckOptions options;
    options.jobs = 1;
    (void)policy::Check(*program, {in}, options);
  }
  return 0;
}
