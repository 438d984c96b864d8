#include "cli/explain_code.h"

namespace policy::cli {

std::string FormatCodeExplanation(const DiagCodeInfo& info) {
  std::string out = std::string(info.name) + " (" + SeverityName(info.severity) + ")\n\n";
  out += "  message: " + std::string(info.form) + "\n\n";
  out += std::string(info.help) + "\n";
  return out;
}

std::vector<std::string> AllCodeNames() {
  std::vector<std::string> out;
  for (const DiagCodeInfo& info : AllDiagCodes()) out.emplace_back(info.name);
  return out;
}

}  // namespace policy::cli
