// Checks a compose file against the rules in a directory and prints the findings.
// Usage: example_cpp RULES_DIR COMPOSE_FILE
#include <iostream>

#include "libpolicy/engine.h"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: example_cpp RULES_DIR COMPOSE_FILE\n";
    return 2;
  }
  // Compile once; a Program is immutable and may be shared by threads.
  policy::CompileOptions copts;
  copts.builtin = false;  // only our rules, not the built-in packs
  copts.rule_paths = {argv[1]};
  policy::CompileResult compiled = policy::Compile(copts);
  for (const policy::Diagnostic& d : compiled.diagnostics) std::cerr << policy::FormatDiagnostic(d);
  if (!compiled.program) return 2;

  // Check as many inputs as you like with it.
  policy::Input input;
  input.path = argv[2];
  input.kind = policy::InputKind::kCompose;
  policy::Report report = policy::Check(*compiled.program, {input}, policy::CheckOptions{});
  for (const policy::Problem& p : report.problems) std::cerr << p.file << ": " << p.message << '\n';
  for (const policy::Finding& f : report.findings)
    std::cout << f.file << ':' << f.line << ':' << f.column << ": "
              << policy::SeverityName(f.severity) << ": " << f.message << " [" << f.rule << "]\n";
  if (!report.problems.empty()) return 2;
  return report.findings.empty() ? 0 : 1;
}
