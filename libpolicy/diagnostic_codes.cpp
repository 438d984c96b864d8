#include "libpolicy/diagnostic_codes.h"

namespace policy {

// InfoOf indexes the table by enum value: true as long as the .def is the only
// source of both, which these checks pin down at compile time.
static_assert(static_cast<std::size_t>(kDiagCodes[0].code) == 0);
static_assert(std::size(kDiagCodes) > 0 &&
              static_cast<std::size_t>(kDiagCodes[std::size(kDiagCodes) - 1].code) ==
                  std::size(kDiagCodes) - 1);

std::optional<DiagCode> FindDiagCode(std::string_view name) {
  // About sixty codes, looked up only by `explain` and tests: a scan is enough.
  for (const DiagCodeInfo& info : kDiagCodes) {
    if (name == info.name) return info.code;
  }
  return std::nullopt;
}

Diagnostic MakeDiagnostic(DiagCode code, std::string message) {
  Diagnostic d;
  d.code = NameOf(code);
  d.severity = InfoOf(code).severity;
  d.message = std::move(message);
  return d;
}

}  // namespace policy
