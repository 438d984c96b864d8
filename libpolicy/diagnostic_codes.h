#pragma once
// The vocabulary of diagnostic codes: one enum value per stable code string,
// with its default severity, message form and help, all from the single table
// in diagnostic_codes.def. Call sites name a code by its enum value, so a typo
// is a compile error and `policy-check explain CODE` and docs/DIAGNOSTICS.md
// cannot miss a code. Diagnostic::code (and the C and Python APIs) keep the
// string, filled from this table.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "libpolicy/diagnostic.h"

namespace policy {

enum class DiagCode : uint16_t {
#define POLICY_DIAG_CODE(id, name, severity, form, help) id,
#include "libpolicy/diagnostic_codes.def"
#undef POLICY_DIAG_CODE
};

struct DiagCodeInfo {
  DiagCode code;
  const char* name;       // "syntax.expected": stable, never renamed
  Severity severity;      // the default; evaluation errors are always errors
  std::string_view form;  // "expected WHAT, found TOKEN"
  std::string_view help;  // what it means and how to fix it
};

inline constexpr DiagCodeInfo kDiagCodes[] = {
#define POLICY_DIAG_CODE(id, name, severity, form, help) \
  {DiagCode::id, name, Severity::severity, form, help},
#include "libpolicy/diagnostic_codes.def"
#undef POLICY_DIAG_CODE
};

// Every code, in table order.
inline constexpr std::span<const DiagCodeInfo> AllDiagCodes() { return kDiagCodes; }

// The table row of `code` (the table is in enum order, so this is an index).
inline constexpr const DiagCodeInfo& InfoOf(DiagCode code) {
  return kDiagCodes[static_cast<std::size_t>(code)];
}

// "syntax.expected" for DiagCode::kSyntaxExpected; static storage, never null.
inline constexpr const char* NameOf(DiagCode code) { return InfoOf(code).name; }

// The code whose stable string is `name`, nullopt when there is none.
std::optional<DiagCode> FindDiagCode(std::string_view name);

// A Diagnostic with `code`'s string and default severity and `message`; the
// caller fills the place.
Diagnostic MakeDiagnostic(DiagCode code, std::string message);

}  // namespace policy
