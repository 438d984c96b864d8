#include <chrono>
#include <filesystem>
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
// An active rule on every document (`on document`, not `on document("GLOB")`).
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

// A text or JSON report, streamed to `path` (standard output when empty) by
// `writer` (report::WriteText or WriteJson), then `tail`.
using PieceWriter = void (*)(const Report&, const report::Context&,
                             const std::function<bool(std::string_view)>&);
bool WriteStreamed(const std::string& path, PieceWriter writer, const Report& report,
                   const report::Context& ctx, const std::string& tail, Streams& io) {
  std::ofstream file;
  if (!path.empty()) file.open(path, std::ios::binary | std::ios::trunc);
  std::ostream& out = path.empty() ? io.out : file;
  writer(report, ctx, [&out](std::string_view piece) {
    out.write(piece.data(), static_cast<std::streamsize>(piece.size()));
    return static_cast<bool>(out);
  });
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

InputRequest MakeRequest(const RunSetup& setup, const std::vector<RuleInfo>& selected,
                         std::vector<std::string> document_globs) {
  const Options& options = setup.options;
  InputRequest request;
  request.paths = options.paths;
  if (request.paths.empty() && options.compose_merge.empty()) request.paths = {"."};
  request.kind = options.kind;
  request.delimiter = options.delimiter;
  request.want_documents = WantDocuments(selected);
  request.document_globs = std::move(document_globs);
  request.respect_gitignore = !options.no_ignore;
  request.env_files = !options.no_env_files;
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
  // The env files of each merged file come too, as for a compose file named alone.
  if (options.no_env_files) return true;
  std::set<std::string> known;
  for (const Input& in : inputs.inputs) known.insert(in.path);
  for (const std::string& file : options.compose_merge) {
    Input compose;
    compose.path = CleanPath(file);
    compose.kind = InputKind::kCompose;
    EnvFileSet env = ComposeEnvFiles(compose);
    for (Problem& p : env.problems) inputs.problems.push_back(std::move(p));
    for (const std::string& path : env.paths) {
      if (!known.insert(path).second) continue;
      Input dotenv;
      dotenv.path = path;
      dotenv.kind = InputKind::kDotenv;
      inputs.inputs.push_back(std::move(dotenv));
    }
  }
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
    // Code scanning, annotations and the merge-request widget place findings
    // by their path from the repository's root, whatever the current directory.
    case Format::kSarif:
      return report::FormatSarif(RebasedOn(report, repo_root), ctx);
    case Format::kJunit:
      return report::FormatJunit(report, ctx);
    case Format::kGithub:
      return report::FormatGithub(RebasedOn(report, repo_root), ctx);
    case Format::kMarkdown:
      return report::FormatMarkdown(report, ctx);
    case Format::kCodeQuality:
      return report::FormatCodeQuality(RebasedOn(report, repo_root), ctx);
  }
  return "";
}

std::optional<Severity> FailingSeverity(FailOn fail_on) {
  switch (fail_on) {
    case FailOn::kError:
      return Severity::kError;
    case FailOn::kWarning:
      return Severity::kWarning;
    case FailOn::kInfo:
      return Severity::kInfo;
    case FailOn::kNever:
      return std::nullopt;
  }
  return Severity::kError;
}

// A run that stops before checking (configuration, baseline or rules that do
// not load) still writes its SARIF file, the failure as notifications, so a
// CI upload step finds a file and shows why.
void WriteFailedRunSarif(const Options& options, const std::vector<Diagnostic>& diagnostics,
                         const std::string& log, Streams& io) {
  if (options.format != Format::kSarif) return;
  Report report;
  for (const Diagnostic& d : diagnostics) {
    if (d.severity != Severity::kError) continue;
    report.problems.push_back({d.file, d.line, d.column, d.message, false, d.code});
  }
  if (report.problems.empty()) {
    std::string message = log;
    while (!message.empty() && message.back() == '\n') message.pop_back();
    if (message.empty()) message = "policy-check stopped before checking";
    report.problems.push_back({"", 0, 0, message, false, ""});
  }
  report::Context ctx;
  ctx.tool_version = Version();
  WriteTo(options.output, report::FormatSarif(RebasedOn(report, FindRepoRoot()), ctx), io);
}

// The input kinds of a run that names only files, each of a kind its name (or
// --kind) tells; empty when that is not known before reading (a directory,
// standard input, configuration bindings). A document may be compose by content.
std::set<std::string> NamedInputKinds(const Options& options) {
  std::set<std::string> kinds;
  if (!options.compose_merge.empty()) kinds.insert("compose");
  if (options.paths.empty() && options.compose_merge.empty()) return {};
  for (const std::string& path : options.paths) {
    std::error_code ec;
    if (path == "-" || !std::filesystem::is_regular_file(path, ec)) return {};
    switch (options.kind != InputKind::kAuto ? options.kind : InferKind(path)) {
      case InputKind::kCompose:
        // A compose project's env files are checked with it (CLI.md "Inputs").
        kinds.insert({"compose", "dotenv"});
        break;
      case InputKind::kRecords:
        kinds.insert("records");
        break;
      case InputKind::kDocument:
        kinds.insert({"compose", "document", "dotenv"});
        break;
      case InputKind::kDotenv:
        kinds.insert("dotenv");
        break;
      case InputKind::kAuto:
        return {};
    }
  }
  return kinds;
}

// A run on named files compiles only the built-in packs with rules for their
// kinds (a hook on a compose file skips the record packs, a third of its time).
// Not when the command line or configuration names rules or params a left-out
// pack may hold: those must stay known.
void CompileOnlyNeededPacks(RunSetup& setup) {
  const Options& o = setup.options;
  if (!setup.compile_options.builtin || !o.only.empty() || !o.skip.empty() ||
      !setup.compile_options.params.empty() || !setup.compile_options.severity_overrides.empty() ||
      !setup.compile_options.enabled_overrides.empty() ||
      (setup.config && !setup.config->inputs.empty()))
    return;
  setup.compile_options.builtin_kinds = NamedInputKinds(o);
}

// --list-files: `PATH<TAB>KIND<TAB>SCHEMA` per input, as Check would take it.
// Inputs that could not be collected are reported as a check would: exit 2.
int ListFiles(const Program& program, const InputSet& inputs, Streams& io) {
  for (const Input& input : inputs.inputs) {
    InputDescription d = DescribeInput(program, input);
    io.out << CleanPath(input.path) << "\t" << d.kind << "\t" << d.schema << "\n";
  }
  io.out.flush();
  bool failed = false;
  for (const Problem& p : inputs.problems) {
    io.err << p.file << ": " << (p.warning ? "warning: " : "error: ") << p.message << "\n";
    failed = failed || !p.warning;
  }
  return failed ? 2 : 0;
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
  // Until the check runs, errors are also kept for a SARIF file of the failure.
  std::ostringstream early_log;
  Streams early{
      io.out,        command_line.format == Format::kSarif ? early_log : io.err, io.in,
      io.out_is_tty, io.err_is_tty && command_line.format != Format::kSarif,     io.no_color};
  auto fail_early = [&](const Options& options, const std::vector<Diagnostic>& diagnostics) {
    io.err << early_log.str();
    WriteFailedRunSarif(options, diagnostics, early_log.str(), io);
    return 2;
  };
  RunSetup setup;
  if (!PrepareRun(command_line, early, setup)) return fail_early(command_line, {});
  const Options& options = setup.options;
  Baseline baseline;
  if (!options.baseline.empty() && !ReadBaseline(options.baseline, baseline, early))
    return fail_early(options, {});
  CompileOnlyNeededPacks(setup);
  CompileResult compiled = CompileSetup(setup, early);
  if (!compiled.program) return fail_early(options, compiled.diagnostics);
  if (!SelectionKnown(options, ListRules(*compiled.program), early)) return fail_early(options, {});
  io.err << early_log.str();  // warnings of a compilation that succeeded

  report::Context ctx;
  ctx.tool_version = Version();
  ctx.rules = ListRules(*compiled.program);
  ctx.verbose = options.verbose;
  ctx.fail_at = FailingSeverity(options.fail_on);
  ctx.color = options.format == Format::kText && options.output.empty() &&
              UseColor(options.color, io.out_is_tty, io.no_color);

  CheckOptions check;
  check.jobs = options.jobs;
  check.max_findings = options.max_findings;
  check.only = options.only;
  check.skip = options.skip;
  check.repo_root = FindRepoRoot();

  InputSet inputs = CollectInputs(MakeRequest(setup, SelectedRules(*compiled.program, check),
                                              DocumentGlobs(*compiled.program, check)),
                                  io.in);
  AddMergedProject(options, inputs);
  if (options.list_files) return ListFiles(*compiled.program, inputs, io);
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
  if (options.format == Format::kText || options.format == Format::kJson) {
    // Written in pieces: a million findings never become one more string.
    std::string tail;
    if (options.format == Format::kText) {
      if (options.verbose) tail = FormatUnusedSuppressions(report);
      if (summary_last) tail += summary;
    }
    if (!WriteStreamed(options.output,
                       options.format == Format::kText ? &report::WriteText : &report::WriteJson,
                       report, ctx, tail, io))
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
