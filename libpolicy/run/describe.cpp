// DescribeInput: the plan of input_plan.h, and the by-content decision of
// check_input.cpp, without running a rule.
#include <fstream>
#include <sstream>

#include "libpolicy/engine.h"
#include "libpolicy/eval/program.h"
#include "libpolicy/run/input_plan.h"

namespace policy {

InputDescription DescribeInput(const Program& program, const Input& input) {
  run::InputPlan plan = run::PlanInput(program, input);
  InputDescription out;
  if (plan.read_as == run::ReadAs::kUnknown) {
    out.kind = run::KindName(InputKind::kAuto);
    out.problem = plan.problem;
    return out;
  }
  if (plan.by_content) {
    std::string text;
    if (input.text) {
      text = *input.text;
    } else {
      std::ifstream f(input.path, std::ios::binary);
      std::ostringstream s;
      s << f.rdbuf();
      text = s.str();
    }
    // The same two steps as Check: a cheap look, then the parse that decides.
    if (run::MayBeComposeText(text)) {
      load::LoadLimits limits;
      load::DocumentsResult loaded = plan.json ? load::LoadJson(text, plan.display, limits)
                                               : load::LoadYaml(text, plan.display, limits, false);
      if (!loaded.error && loaded.documents.size() == 1 &&
          run::ComposeByContent(loaded.documents.front()->root))
        run::PlanAsCompose(plan);
    }
  }
  out.kind = run::KindName(plan.kind);
  if (plan.kind == InputKind::kRecords && plan.schema != nullptr) out.schema = plan.schema->name;
  return out;
}

}  // namespace policy
