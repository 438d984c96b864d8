// Compiles an in-memory rule and checks an in-memory compose file through
// libpolicy::policy built as a subproject.
#include <iostream>
#include <string>

#include "libpolicy/engine.h"

// `argc` is unused on purpose: were the library's -Wall -Wextra -Werror to leak
// into its parent, this file would not compile.
int main(int argc, char** argv) {
  policy::CompileOptions copts;
  copts.builtin = false;
  copts.sources = {{"pin.policy",
                    "package c\n"
                    "rule C-001 {\n"
                    "  title \"Images name a tag\"\n"
                    "  on compose\n"
                    "  for name, svc in compose.services\n"
                    "  require svc.image matches /:[a-z0-9.]+$/\n"
                    "  at svc.image\n"
                    "}\n",
                    "."}};
  policy::CompileResult compiled = policy::Compile(copts);
  for (const auto& d : compiled.diagnostics) std::cerr << policy::FormatDiagnostic(d);
  if (!compiled.program) return 1;

  policy::Input in;
  in.path = "compose.yaml";
  in.kind = policy::InputKind::kCompose;
  in.text = "services:\n  web:\n    image: nginx\n  db:\n    image: postgres:16\n";
  policy::Report report = policy::Check(*compiled.program, {in}, policy::CheckOptions{});
  if (report.findings.size() != 1 || report.findings[0].rule != "C-001" ||
      report.findings[0].line != 3) {
    std::cerr << argv[0] << ": expected one C-001 finding on line 3, got " << report.findings.size()
              << " findings\n";
    return 1;
  }
  std::cout << "subproject consumer: ok (libpolicy " << policy::Version() << ")\n";
  return 0;
}
