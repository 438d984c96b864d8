#include "libpolicy/diagnostic.h"

#include <tuple>

#include "libpolicy/source.h"

namespace policy {

const char* SeverityName(Severity s) {
  switch (s) {
    case Severity::kError:
      return "error";
    case Severity::kWarning:
      return "warning";
    case Severity::kInfo:
      return "info";
  }
  return "error";
}

bool DiagnosticLess(const Diagnostic& a, const Diagnostic& b) {
  return std::tie(a.file, a.line, a.column, a.code, a.message) <
         std::tie(b.file, b.line, b.column, b.code, b.message);
}

std::string FormatDiagnostic(const Diagnostic& d, bool color) {
  const char* bold = color ? "\x1b[1m" : "";
  const char* red = color ? "\x1b[1;31m" : "";
  const char* magenta = color ? "\x1b[1;35m" : "";
  const char* green = color ? "\x1b[1;32m" : "";
  const char* reset = color ? "\x1b[0m" : "";
  std::string out = bold + d.file;
  if (d.line) out += ":" + std::to_string(d.line) + ":" + std::to_string(d.column);
  out += std::string(": ") + reset + (d.severity == Severity::kError ? red : magenta) +
         SeverityName(d.severity) + ":" + reset + " " + bold + d.message + reset + "\n";
  if (d.line && !d.source_line.empty()) {
    out += "  " + d.source_line + "\n  ";
    // The caret line copies tabs so it lines up under the source.
    uint32_t col = 1;
    std::size_t i = 0;
    for (; i < d.source_line.size() && col < d.column; ++i) {
      unsigned char c = static_cast<unsigned char>(d.source_line[i]);
      if ((c & 0xC0) == 0x80) continue;
      out += d.source_line[i] == '\t' ? '\t' : ' ';
      ++col;
    }
    uint32_t width = d.end_column > d.column ? d.end_column - d.column : 1;
    out += green;
    out += '^';
    for (uint32_t k = 1; k < width; ++k) out += '~';
    out += reset;
    out += "\n";
  }
  if (!d.help.empty()) out += "  help: " + d.help + "\n";
  for (const DiagnosticNote& n : d.notes) {
    out += bold + n.file;
    if (n.line) out += ":" + std::to_string(n.line) + ":" + std::to_string(n.column);
    out += std::string(": ") + reset + "note: " + n.message + "\n";
  }
  return out;
}

}  // namespace policy
