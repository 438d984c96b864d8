// Arbitrary bytes as a CSV and as a JSON Lines input, through the whole record
// pipeline (schema typing, rules, unique, two workers).
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "libpolicy/engine.h"

namespace {

const char* kRules = R"(
schema invoice {
  invoice_no : string required
  issue_date : date
  amount     : decimal
  paid       : bool
}
rule FZ-001 {
  title "amount is positive"
  on records(invoice)
  where row.amount != null
  require row.amount > 0
}
rule FZ-002 {
  title "unique"
  on records(invoice)
  unique row.invoice_no
}
rule FZ-003 {
  title "fields by name"
  on records
  for k, v in row
  where k matches /no$/ and v != null
  require len(v) < 20 mostly 50%
}
)";

const policy::Program& Program() {
  static const std::shared_ptr<const policy::Program> program = [] {
    policy::CompileOptions options;
    options.builtin = false;
    options.sources.push_back({"fuzz.policy", kRules, "."});
    return policy::Compile(options).program;
  }();
  return *program;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  policy::CheckOptions options;
  options.jobs = 2;
  for (const char* name : {"invoices.csv", "invoices.jsonl"}) {
    policy::Input in{name, policy::InputKind::kRecords, text};
    (void)policy::Check(Program(), {in}, options);
  }
  return 0;
}
