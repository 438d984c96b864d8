#pragma once
// Diagnostics about rule files (and configuration): data, never exceptions.
#include <cstdint>
#include <string>
#include <vector>

namespace policy {

enum class Severity : uint8_t { kError, kWarning, kInfo };

// "error", "warning", "info".
const char* SeverityName(Severity s);

// A secondary place ("first defined here").
struct DiagnosticNote {
  std::string file;
  uint32_t line = 0;
  uint32_t column = 0;
  std::string message;
};

struct Diagnostic {
  // Stable, from the table of diagnostic_codes.def ("name.unknown_function"): made
  // with MakeDiagnostic or NameOf(DiagCode), never spelt out at a call site.
  std::string code;
  Severity severity = Severity::kError;
  std::string message;
  std::string file;         // as given when the source was loaded
  uint32_t line = 0;        // 1-based; 0 when the problem has no place
  uint32_t column = 0;      // 1-based, code points
  uint32_t end_column = 0;  // exclusive, on `line`; 0 when unknown
  std::string source_line;  // the text of `line`, for the caret display
  std::string help;         // "did you mean 'normalize_digits'?"
  std::vector<DiagnosticNote> notes;
};

// Orders by file, line, column, then code.
bool DiagnosticLess(const Diagnostic& a, const Diagnostic& b);

// `PATH:LINE:COL: error: MESSAGE`, the source line, a caret line, help and notes.
std::string FormatDiagnostic(const Diagnostic& d, bool color = false);

}  // namespace policy
