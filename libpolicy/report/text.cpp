#include <algorithm>
#include <cmath>
#include <string>

#include "libpolicy/report.h"
#include "libpolicy/report/escape.h"

namespace policy::report {
namespace {

struct Palette {
  const char* bold = "";
  const char* error = "";
  const char* warning = "";
  const char* info = "";
  const char* caret = "";
  const char* reset = "";
};

Palette MakePalette(bool color) {
  if (!color) return {};
  return {"\x1b[1m", "\x1b[1;31m", "\x1b[1;35m", "\x1b[1;36m", "\x1b[1;32m", "\x1b[0m"};
}

const char* SeverityColor(const Palette& p, Severity s) {
  switch (s) {
    case Severity::kError:
      return p.error;
    case Severity::kWarning:
      return p.warning;
    case Severity::kInfo:
      return p.info;
  }
  return p.error;
}

// `file:line:col`, leaving out what is unknown (0). Here and below, text that
// comes from inputs (file names, messages quoting values, source lines) goes
// through TerminalSafe: it must not drive the terminal.
std::string Location(const std::string& file, uint32_t line, uint32_t column) {
  std::string out = TerminalSafe(file);
  if (line) {
    out += ":" + std::to_string(line);
    if (column) out += ":" + std::to_string(column);
  }
  return out;
}

std::string Headline(const Palette& p, const std::string& location, Severity severity,
                     const std::string& message) {
  return std::string(p.bold) + location + ":" + p.reset + " " + SeverityColor(p, severity) +
         SeverityName(severity) + ":" + p.reset + " " + TerminalSafe(message);
}

void AppendFinding(std::string& out, const Palette& p, const Finding& f) {
  std::string message = f.message + " [" + f.rule + "]";
  if (f.suppressed != Suppression::kNone) {
    message += std::string(" (") +
               (f.suppressed == Suppression::kInline ? "suppressed" : "baselined") + ")";
  }
  out += Headline(p, Location(f.file, f.line, f.column), EffectiveSeverity(f), message);
  out += "\n";
  if (f.line == 0 || f.source_line.empty()) return;
  uint32_t column = f.column ? f.column : 1;
  uint32_t end = f.end_line == f.line ? f.end_column : 0;
  if (f.source_column != 0) {  // a window of a long line: the same span, moved into it
    end = end > column ? f.source_column + (end - column) : 0;
    column = f.source_column;
  }
  // CaretLine measures escaped characters as wide as their escapes.
  out += "  " + TerminalSafe(f.source_line) + "\n";
  out += std::string("  ") + p.caret + CaretLine(f.source_line, column, end) + p.reset + "\n";
}

// "1 error" / "2 errors".
std::string Count(uint64_t n, const char* singular) {
  return std::to_string(n) + " " + singular + (n == 1 ? "" : "s");
}

}  // namespace

void WriteText(const Report& report, const Context& ctx,
               const std::function<bool(std::string_view)>& write) {
  constexpr std::size_t kPieceBytes = 1 << 20;
  Palette p = MakePalette(ctx.color);
  std::string out;
  for (const Finding& f : report.findings) {
    if (f.suppressed != Suppression::kNone && !ctx.verbose) continue;
    AppendFinding(out, p, f);
    if (out.size() >= kPieceBytes) {
      if (!write(out)) return;
      out.clear();
    }
  }
  for (const Problem& problem : report.problems) {
    out += Headline(p, Location(problem.file, problem.line, problem.column),
                    problem.warning ? Severity::kWarning : Severity::kError, problem.message);
    out += "\n";
  }
  if (!out.empty()) write(out);
}

std::string FormatText(const Report& report, const Context& ctx) {
  std::string out;
  WriteText(report, ctx, [&out](std::string_view piece) {
    out += piece;
    return true;
  });
  return out;
}

std::string FormatSummary(const Report& report, const Context& ctx) {
  Counts c = CountFindings(report);
  std::string out = Count(c.errors, "error");
  // An input that could not be read or parsed is an error of the run itself:
  // "0 errors" never ends a run that exits 2.
  const auto input_errors = static_cast<uint64_t>(std::count_if(
      report.problems.begin(), report.problems.end(), [](const Problem& p) { return !p.warning; }));
  if (input_errors) out += ", " + Count(input_errors, "input error");
  out += ", " + Count(c.warnings, "warning");
  // Inputs read but not judged, walked files that did not parse: said here too.
  const auto input_warnings = report.problems.size() - input_errors;
  if (input_warnings) out += ", " + Count(input_warnings, "input warning");
  if (c.infos) out += ", " + Count(c.infos, "info");
  if (c.suppressed) out += ", " + std::to_string(c.suppressed) + " suppressed";
  if (c.baselined) out += ", " + std::to_string(c.baselined) + " baselined";
  if (report.truncated) {
    out += ", " + std::to_string(report.truncated) + " not listed (--max-findings)";
  }
  auto ms = static_cast<uint64_t>(std::llround(ctx.elapsed_ms > 0 ? ctx.elapsed_ms : 0));
  out += " in " + Count(report.files, "file") + " (" + Count(report.rules_run, "rule") + ", " +
         std::to_string(ms) + " ms)\n";
  return out;
}

}  // namespace policy::report
