// Arbitrary bytes as a compose file, checked by the built-in readiness pack:
// loading, normalising, extends, and every RDY rule with its builtins on
// whatever shape the YAML takes.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <set>
#include <string>

#include "libpolicy/engine.h"

namespace {

const policy::Program& Program() {
  static const std::shared_ptr<const policy::Program> program = [] {
    policy::CompileOptions options;  // the embedded packs, as `policy-check` runs them
    return policy::Compile(options).program;
  }();
  return *program;
}

// Every rule by id: `only` also runs the opt_in ones.
const std::set<std::string>& AllRules() {
  static const std::set<std::string> ids = [] {
    std::set<std::string> out;
    for (const policy::RuleInfo& r : policy::ListRules(Program())) out.insert(r.id);
    return out;
  }();
  return ids;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  policy::CheckOptions options;
  options.jobs = 1;
  options.only = AllRules();
  policy::Input in{"compose.yaml", policy::InputKind::kCompose,
                   std::string(reinterpret_cast<const char*>(data), size)};
  (void)policy::Check(Program(), {in}, options);
  return 0;
}
