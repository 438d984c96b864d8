// Arbitrary bytes as `unique` key logs (partition.h): they arrive from other
// processes, so splitting, resolving and building repeats from them must
// refuse what is not a log (std::invalid_argument) and never crash, read out
// of bounds or allocate what a record cannot be.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "libpolicy/engine.h"
#include "libpolicy/partition.h"

namespace {

const policy::Program& Program() {
  static const std::shared_ptr<const policy::Program> program = [] {
    policy::CompileOptions options;
    options.builtin = false;
    options.sources.push_back({"u.policy",
                               "schema sale { no : string }\n"
                               "rule U-1 { title \"t\" on records(sale) unique row.no }\n",
                               ""});
    return policy::Compile(options).program;
  }();
  if (!program) __builtin_trap();  // the target's own rules must compile
  return *program;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // Half the time behind a valid header, so the entries themselves are reached.
  std::string log(reinterpret_cast<const char*>(data), size);
  if (size > 0 && (data[0] & 1)) log = std::string("PUK1\x01\0\0\0\x01\0\0\0U", 13) + log;
  try {
    const std::vector<std::string> buckets = policy::SplitUniqueKeys(log, 3);
    const std::string repeats = policy::ResolveUniqueKeys({buckets[0], buckets[1], buckets[2]});
    policy::Input in;
    in.path = "U";
    in.kind = policy::InputKind::kRecords;
    in.schema = "sale";
    in.text = std::string("no\nA\nB\nA\n");
    (void)policy::UniqueRepeatFindings(Program(), in, {repeats, log}, {});
  } catch (const std::invalid_argument&) {
  }
  return 0;
}
