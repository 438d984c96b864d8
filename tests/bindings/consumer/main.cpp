// Compiles an in-memory rule, checks an in-memory compose file and the JSON
// reporter: the installed headers and static library are complete and link.
#include <iostream>
#include <string>

#include "libpolicy/engine.h"
#include "libpolicy/report.h"

int main() {
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
  policy::report::Context ctx;
  ctx.tool_version = policy::Version();
  ctx.rules = policy::ListRules(*compiled.program);
  std::string json = policy::report::FormatJson(report, ctx);
  if (report.findings.size() != 1 || report.findings[0].line != 3 ||
      json.find("\"C-001\"") == std::string::npos) {
    std::cerr << "unexpected report:\n" << json;
    return 1;
  }
  std::cout << "consumer: ok (libpolicy " << policy::Version() << ")\n";
  return 0;
}
