#include <chrono>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>

#include "cli/baseline.h"
#include "cli/commands.h"
#include "cli/exit_code.h"
#include "cli/inputs.h"
#include "cli/report_views.h"
#include "cli/run_setup.h"
#include "cli/suggest.h"
#include "libpolicy/bounded_read.h"
#include "libpolicy/report.h"

namespace policy::cli {
namespace {

// Walked YAML and JSON files are documents only when a document rule runs.
bool WantDocuments(const std::vector<RuleInfo>& selected) {
  for (const RuleInfo& r : selected)
    if (r.target == "document") return true;
  return false;
}

// An id or tag of --only or --skip (the configuration's included) that no
// loaded rule has would select nothing and pass in silence: a usage error,
// with the closest known names.
bool SelectionKnown(const Options& options, const std::vector<RuleInfo>& rules, Streams& io) {
  std::set<std::string> known;
  for (const RuleInfo& r : rules) {
    known.insert(r.id);
    known.insert(r.tags.begin(), r.tags.end());
  }
  const std::vector<std::string> candidates(known.begin(), known.end());
  bool ok = true;
  for (const auto& [flag, names] : {std::pair{"--only", &options.only}, {"--skip", &options.skip}})
    for (const std::string& name : *names) {
      if (known.count(name)) continue;
      io.err << "policy-check: " << flag << " names '" << name
             << "', which is neither the id nor a tag of any loaded rule";
      std::vector<std::string> close = ClosestWords(name, candidates);
      if (!close.empty()) io.err << "; did you mean '" << close.front() << "'?";
      io.err << "\n";
      ok = false;
    }
  return ok;
}

// Writes `text` to `path` (or stdout for ""); false (with a message) on failure.
bool WriteTo(const std::string& path, const std::string& text, Streams& io) {
  if (path.empty()) {
    io.out << text;
    io.out.flush();
    return true;
  }
  std::ofstream file(path, std::ios::binary | std::ios::trunc);
  file << text;
  file.close();
  if (!file) {
    io.err << "policy-check: cannot write '" << path << "'\n";
    return false;
  }
  return true;
}

// The text report, streamed to `path` (standard output when empty), then
// `tail` (the summary on a terminal).
bool WriteText(const std::string& path, const Report& report, const report::Context& ctx,
               bool verbose, const std::string& tail, Streams& io) {
  std::ofstream file;
  if (!path.empty()) file.open(path, std::ios::binary | std::ios::trunc);
  std::ostream& out = path.empty() ? io.out : file;
  report::WriteText(report, ctx, [&out](std::string_view piece) {
    out.write(piece.data(), static_cast<std::streamsize>(piece.size()));
    return static_cast<bool>(out);
  });
  if (verbose) out << FormatUnusedSuppressions(report);
  out << tail;
  out.flush();
  if (path.empty()) return true;  // standard output's errors are main()'s to report
  file.close();
  if (!file) {
    io.err << "policy-check: cannot write '" << path << "'\n";
    return false;
  }
  return true;
}

bool ReadBaseline(const std::string& path, Baseline& out, Streams& io) {
  BoundedRead read = ReadFileBounded(path, kMaxBaselineBytes);
  if (read.status == BoundedRead::Status::kTooLarge) {
    io.err << path << ": error: the baseline file is " << read.Reason() << "\n";
    return false;
  }
  if (!read.ok()) {
    io.err << path << ": error: cannot read the baseline file\n";
    return false;
  }
  std::string error;
  std::optional<Baseline> parsed = ParseBaseline(read.text, error);
  if (!parsed) {
    io.err << path << ": error: " << error << "\n";
    return false;
  }
  out = std::move(*parsed);
  return true;
}

InputRequest MakeRequest(const RunSetup& setup, const std::vector<RuleInfo>& selected) {
  const Options& options = setup.options;
  InputRequest request;
  request.paths = options.paths;
  if (request.paths.empty() && options.compose_merge.empty()) request.paths = {"."};
  request.kind = options.kind;
  request.delimiter = options.delimiter;
  request.want_documents = WantDocuments(selected);
  if (setup.config) {
    request.base_dir = setup.config->dir;
    request.exclude = setup.config->exclude;
    request.bindings = setup.config->inputs;
    request.config_path = setup.config->path;
  }
  return request;
}

// --compose-merge A B C: one input A with B and C merged over it.
bool AddMergedProject(const Options& options, InputSet& inputs) {
  if (options.compose_merge.empty()) return true;
  Input project;
  project.path = CleanPath(options.compose_merge.front());
  project.kind = InputKind::kCompose;
  for (std::size_t i = 1; i < options.compose_merge.size(); ++i) {
    project.merge.push_back(CleanPath(options.compose_merge[i]));
  }
  inputs.inputs.insert(inputs.inputs.begin(), std::move(project));
  return true;
}

std::string FormatReport(const Report& report, const report::Context& ctx, const Options& options,
                         const std::string& repo_root) {
  switch (options.format) {
    case Format::kText: {
      std::string text = report::FormatText(report, ctx);
      if (options.verbose) text += FormatUnusedSuppressions(report);
      return text;
    }
    case Format::kJson:
      return report::FormatJson(report, ctx);
    case Format::kSarif:
      return report::FormatSarif(RebasedOn(report, repo_root), ctx);
    case Format::kJunit:
      return report::FormatJunit(report, ctx);
    case Format::kGithub:
      return report::FormatGithub(report, ctx);
    case Format::kMarkdown:
      return report::FormatMarkdown(report, ctx);
  }
  return "";
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
  bool color = UseColor(options.color, io.err_is_tty, io.no_color);
  for (const Diagnostic& d : compiled.diagnostics) io.err << FormatDiagnostic(d, color);
  io.err.flush();
  return compiled;
}

int RunCheck(const Options& command_line, Streams& io) {
  auto start = std::chrono::steady_clock::now();
  RunSetup setup;
  if (!PrepareRun(command_line, io, setup)) return 2;
  const Options& options = setup.options;
  Baseline baseline;
  if (!options.baseline.empty() && !ReadBaseline(options.baseline, baseline, io)) return 2;
  CompileResult compiled = CompileSetup(setup, io);
  if (!compiled.program) return 2;
  if (!SelectionKnown(options, ListRules(*compiled.program), io)) return 2;

  report::Context ctx;
  ctx.tool_version = Version();
  ctx.rules = ListRules(*compiled.program);
  ctx.verbose = options.verbose;
  ctx.color = options.format == Format::kText && options.output.empty() &&
              UseColor(options.color, io.out_is_tty, io.no_color);

  CheckOptions check;
  check.jobs = options.jobs;
  check.max_findings = options.max_findings;
  check.only = options.only;
  check.skip = options.skip;
  check.repo_root = FindRepoRoot();

  InputSet inputs =
      CollectInputs(MakeRequest(setup, SelectedRules(*compiled.program, check)), io.in);
  AddMergedProject(options, inputs);
  Report report = Check(*compiled.program, inputs.inputs, check);
  report.problems.insert(report.problems.begin(), inputs.problems.begin(), inputs.problems.end());
  if (!baseline.empty()) ApplyBaseline(baseline, report);
  ctx.elapsed_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();

  std::string summary = options.quiet ? "" : report::FormatSummary(report, ctx);
  const bool summary_last =
      options.format == Format::kText && options.output.empty() && io.out_is_tty;
  if (!summary_last) {
    io.err << summary;
    io.err.flush();
  }
  if (options.format == Format::kText) {
    // Written in pieces: a million findings never become one more string.
    if (!WriteText(options.output, report, ctx, options.verbose, summary_last ? summary : "", io))
      return 2;
  } else if (!WriteTo(options.output, FormatReport(report, ctx, options, check.repo_root), io)) {
    return 2;
  }
  int code = ExitCode(report, options.fail_on);
  if (!options.write_baseline.empty()) {
    if (!WriteTo(options.write_baseline, FormatBaseline(report, check.repo_root), io)) return 2;
    if (!options.quiet)
      io.err << "policy-check: baseline written to " << options.write_baseline << "\n";
    return code == 2 ? 2 : 0;
  }
  return code;
}

}  // namespace policy::cli
