#include <chrono>
#include <fstream>
#include <iostream>

#include "cli/commands.h"
#include "cli/exit_code.h"
#include "cli/inputs.h"
#include "libpolicy/report.h"

namespace policy::cli {
namespace {

// Diagnostics go to stderr, so their colour follows stderr's terminal.
bool DiagnosticColor(const Options& options, const Streams& io) {
  return UseColor(options.color, io.err_is_tty, io.no_color);
}

bool WantDocuments(const std::vector<RuleInfo>& rules, const Options& options) {
  for (const RuleInfo& r : rules) {
    if (r.target == "document" && RuleActive(r, options)) return true;
  }
  return false;
}

// Writes to -o FILE or stdout; false (with a message) when FILE cannot be written.
bool Emit(const std::string& text, const Options& options, Streams& io) {
  if (options.output.empty()) {
    io.out << text;
    io.out.flush();
    return true;
  }
  std::ofstream file(options.output, std::ios::binary | std::ios::trunc);
  file << text;
  file.close();
  if (!file) {
    io.err << "policy-check: cannot write '" << options.output << "'\n";
    return false;
  }
  return true;
}

}  // namespace

CompileOptions CompileOptionsFrom(const Options& options) {
  CompileOptions copts;
  copts.builtin = options.builtin;
  copts.rule_paths = options.rules;
  copts.params = options.params;
  return copts;
}

CompileResult CompileAndReport(const CompileOptions& compile_options, const Options& options,
                               Streams& io) {
  CompileResult compiled = Compile(compile_options);
  bool color = DiagnosticColor(options, io);
  for (const Diagnostic& d : compiled.diagnostics) io.err << FormatDiagnostic(d, color);
  io.err.flush();
  return compiled;
}

int RunCheck(const Options& options, Streams& io) {
  auto start = std::chrono::steady_clock::now();
  CompileResult compiled = CompileAndReport(CompileOptionsFrom(options), options, io);
  if (!compiled.program) return 2;

  report::Context ctx;
  ctx.tool_version = Version();
  ctx.rules = ListRules(*compiled.program);
  ctx.verbose = options.verbose;
  ctx.color = options.format == Format::kText && options.output.empty() &&
              UseColor(options.color, io.out_is_tty, io.no_color);

  InputRequest request;
  request.paths = options.paths.empty() ? std::vector<std::string>{"."} : options.paths;
  request.kind = options.kind;
  request.delimiter = options.delimiter;
  request.want_documents = WantDocuments(ctx.rules, options);
  InputSet inputs = CollectInputs(request, io.in);

  CheckOptions check;
  check.jobs = options.jobs;
  check.max_findings = options.max_findings;
  check.only = options.only;
  check.skip = options.skip;
  check.repo_root = FindRepoRoot();
  Report report = Check(*compiled.program, inputs.inputs, check);
  report.problems.insert(report.problems.begin(), inputs.problems.begin(), inputs.problems.end());
  ctx.elapsed_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();

  std::string summary = options.quiet ? "" : report::FormatSummary(report, ctx);
  std::string text;
  if (options.format == Format::kJson) {
    text = report::FormatJson(report, ctx);
    io.err << summary;
  } else {
    // Text keeps its summary with the findings, the last line a person reads.
    text = report::FormatText(report, ctx) + summary;
  }
  if (!Emit(text, options, io)) return 2;
  return ExitCode(report, options.fail_on);
}

}  // namespace policy::cli
