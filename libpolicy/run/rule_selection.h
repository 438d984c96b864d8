#pragma once
// Which rules run, and on which input: decided once per Check from the
// program and --only/--skip, then per input from its plan. Reports (JUnit's
// test cases, the per-input summary) read the same answer.
#include <array>
#include <vector>

#include "libpolicy/engine.h"
#include "libpolicy/eval/program.h"
#include "libpolicy/run/input_plan.h"

namespace policy::run {

// The selected rules by target, in id order.
struct ActiveRules {
  std::vector<const eval::CompiledRule*> compose;
  std::vector<const eval::CompiledRule*> document;
  std::vector<const eval::CompiledRule*> records;
  std::vector<const eval::CompiledRule*> dotenv;
  uint64_t count = 0;

  // Every list, for what looks at all the active rules whatever their kind.
  std::array<const std::vector<const eval::CompiledRule*>*, 4> Lists() const {
    return {&compose, &document, &records, &dotenv};
  }
  std::array<std::vector<const eval::CompiledRule*>*, 4> Lists() {
    return {&compose, &document, &records, &dotenv};
  }

  // The rules that run on an input with this plan: its kind's, and for
  // records the untyped ones and those of the schema it binds to.
  std::vector<const eval::CompiledRule*> For(const InputPlan& plan) const;
};

// The rules --only/--skip and the configuration leave enabled. --only also
// enables opt-in rules it names.
ActiveRules SelectRules(const Program& program, const CheckOptions& options);

}  // namespace policy::run
