#pragma once
// Checking one input by its plan: reading it, loading its documents or
// streaming its records, and running the rules that apply.
#include "libpolicy/engine.h"
#include "libpolicy/run/input_plan.h"
#include "libpolicy/run/input_result.h"
#include "libpolicy/run/rule_selection.h"

namespace policy::run {

InputResult CheckInput(const Program& program, const ActiveRules& rules, const Input& input,
                       const InputPlan& plan, const Settings& settings);

}  // namespace policy::run
