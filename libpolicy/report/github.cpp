// GitHub Actions workflow commands: annotations on the pull request's diff.
#include "libpolicy/report.h"
#include "libpolicy/report/escape.h"

namespace policy::report {
namespace {

// The message part: only %, CR and LF are special to the runner. Other control
// characters and bidirectional overrides are made visible first (TerminalSafe):
// the Actions log renders ANSI sequences, and the annotation shows the text.
std::string EscapeData(const std::string& s) {
  std::string out;
  for (char c : TerminalSafe(s, /*keep_line_breaks=*/true)) {
    switch (c) {
      case '%':
        out += "%25";
        break;
      case '\r':
        out += "%0D";
        break;
      case '\n':
        out += "%0A";
        break;
      default:
        out += c;
    }
  }
  return out;
}

// A property value: also `:` and `,`, which end the property list or a property.
std::string EscapeProperty(const std::string& s) {
  std::string out;
  for (char c : EscapeData(s)) {
    switch (c) {
      case ':':
        out += "%3A";
        break;
      case ',':
        out += "%2C";
        break;
      default:
        out += c;
    }
  }
  return out;
}

const char* Command(Severity s) {
  switch (s) {
    case Severity::kError:
      return "error";
    case Severity::kWarning:
      return "warning";
    case Severity::kInfo:
      return "notice";
  }
  return "error";
}

std::string Annotation(Severity severity, const std::string& file, uint32_t line, uint32_t column,
                       const std::string& title, const std::string& message) {
  std::string props;
  auto add = [&](const char* name, const std::string& value) {
    props += (props.empty() ? " " : ",") + std::string(name) + "=" + EscapeProperty(value);
  };
  if (!file.empty()) add("file", file);
  if (line) add("line", std::to_string(line));
  if (line && column) add("col", std::to_string(column));
  if (!title.empty()) add("title", title);
  return std::string("::") + Command(severity) + props + "::" + EscapeData(message) + "\n";
}

}  // namespace

std::string FormatGithub(const Report& report, const Context& ctx) {
  std::string out;
  for (const Finding& f : report.findings) {
    // Annotations cannot be marked suppressed; suppressed ones only with --verbose, as notices.
    if (f.suppressed != Suppression::kNone) {
      if (!ctx.verbose) continue;
      out += Annotation(Severity::kInfo, f.file, f.line, f.column, f.rule,
                        f.message + " (" + SuppressionName(f.suppressed) + ")");
      continue;
    }
    out += Annotation(EffectiveSeverity(f), f.file, f.line, f.column, f.rule, f.message);
  }
  for (const Problem& p : report.problems) {
    out += Annotation(p.warning ? Severity::kWarning : Severity::kError, p.file, p.line, p.column,
                      "policy-check", p.message);
  }
  return out;
}

}  // namespace policy::report
