#pragma once
// libpolicy: compile readiness and compliance rules once, evaluate them many times.
//
// Rules are written in the policy language (docs: LANGUAGE.md). An Engine is
// built from rule sources in two steps:
//
//   policy::CompileOptions copts;
//   copts.builtin = false;
//   copts.rule_paths = {"policy/"};
//   copts.params = {{"bd.vat_rate", "7.5"}};
//   policy::CompileResult compiled = policy::Compile(copts);
//   for (const auto& d : compiled.diagnostics) std::cerr << policy::FormatDiagnostic(d);
//   if (!compiled.program) return 2;
//
//   policy::CheckOptions options;
//   policy::Input in{"docker-compose.yml", policy::InputKind::kCompose};
//   policy::Report report = policy::Check(*compiled.program, {in}, options);
//   for (const policy::Finding& f : report.findings) ...
//
// Thread-safety: a Program is immutable after Compile and may be shared by any
// number of threads; Check may be called concurrently on one Program. Check uses
// up to CheckOptions::jobs worker threads itself; its output does not depend on it.
// Nothing here throws or prints.
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "libpolicy/diagnostic.h"
#include "libpolicy/finding.h"

namespace policy {

class Program;

// One rule file given as text (tests, bindings, embedded packs).
struct RuleSource {
  std::string path;  // shown in diagnostics; imports resolve relative to it within `root`
  std::string text;
  std::string root;  // the rule root it was loaded from (imports may not leave it)
};

struct CompileOptions {
  bool builtin = true;                  // include the embedded rules/ packs
  std::vector<std::string> rule_paths;  // .policy files or directories (walked)
  std::vector<RuleSource> sources;      // in-memory rule files
  // --param overrides: full name -> YAML flow value text.
  std::vector<std::pair<std::string, std::string>> params;
  // Per-rule overrides from configuration: severity ("error"...) / enabled.
  std::map<std::string, std::string> severity_overrides;
  std::map<std::string, bool> enabled_overrides;
  // The built-in packs compiled: only those with a rule `on` one of these input
  // kinds ("compose", "records", "document", "dotenv"); empty: every pack. A front end
  // that knows its inputs before compiling (a pre-commit hook on one compose
  // file) leaves the record packs out: compiling them is most of a short run.
  std::set<std::string> builtin_kinds;
  // Internal, for tests only (the oracle test): false turns every acceleration
  // off (the passes of libpolicy/check/passes/passes.h, compile and run time),
  // so that evaluation takes the general path everywhere. The output is the
  // same either way; only the speed differs.
  bool accelerate = true;
  // Internal, for tests only: passes turned off by name (PassTable()); an
  // unknown name is a config.unknown_pass error.
  std::vector<std::string> disabled_passes;
};

struct RuleInfo {
  std::string id;
  std::string title;
  Severity severity = Severity::kError;
  std::vector<std::string> tags;
  std::string target;  // "compose", "records", "records(invoice)", "document", "dotenv"
  std::string remedy;
  std::string doc;
  std::string file;
  uint32_t line = 0;
  bool enabled = true;  // opt_in rules and rules_config can disable
};

struct ParamInfo {
  std::string name;   // full name
  std::string type;   // bool decimal string date list
  std::string value;  // current value rendered as text (after overrides)
  std::string file;
  uint32_t line = 0;
};

struct CompileResult {
  std::shared_ptr<const Program> program;  // null when any error diagnostic was produced
  std::vector<Diagnostic> diagnostics;     // errors and warnings, sorted by place
};

CompileResult Compile(const CompileOptions& options);

// The rules and params of a compiled program, ordered by id / name.
std::vector<RuleInfo> ListRules(const Program& program);
std::vector<ParamInfo> ListParams(const Program& program);

// kDotenv: a .env file (LANGUAGE.md section 11.6), one map of KEY -> value.
enum class InputKind : uint8_t { kAuto, kCompose, kRecords, kDocument, kDotenv };

// How a record input is written; kAuto: by extension (.csv, .tsv, .jsonl, .ndjson).
enum class RecordFormat : uint8_t { kAuto, kCsv, kTsv, kJsonLines };

// A partition of a CSV, TSV or JSON Lines file (partition.h): the bytes
// [begin, end) of it, whole records, the first on line `first_line` of the
// file. Line numbers, messages and fingerprints of the findings in it are those
// of the whole file's check.
struct RecordRange {
  uint64_t begin = 0;
  uint64_t end = 0;
  uint32_t first_line = 1;
  bool operator==(const RecordRange&) const = default;
};

struct Input {
  std::string path;  // as named (shown in findings); "-" or any name for in-memory text
  InputKind kind = InputKind::kAuto;
  std::optional<std::string> text = std::nullopt;  // in-memory content instead of reading `path`
  std::string schema = {};  // record schema name; empty: by file stem, else none
  bool named = true;        // named on the command line (vs. walked from a directory)
  char delimiter = 0;       // CSV delimiter; 0 = by extension (',' or '\t' for .tsv)
  // --compose-merge: more compose files merged over `path`, in order, as
  // `docker compose -f path -f merge[0] ...` would; each value keeps its own file and line.
  std::vector<std::string> merge = {};
  RecordFormat format = RecordFormat::kAuto;  // record inputs whose name says nothing
  // Check only this partition of a CSV, TSV or JSON Lines input (the CSV
  // header is still read from the file's start). Rules whose verdict spans
  // the whole input (`unique`, `mostly`) then see only the partition: see
  // WholeInputRules in partition.h.
  std::optional<RecordRange> range = std::nullopt;
  // Read only to build the indexes the rules read (LANGUAGE.md section 11),
  // not checked: no rule's finding, problem or summary of its own (the
  // index's findings, a key seen twice, are said as ever). When a run has
  // index-only inputs, they alone feed the indexes: the checked inputs are
  // then pieces of a larger run whose index sources are given whole
  // (partition.h, CheckPiece), so that nothing is indexed twice.
  bool index_only = false;
};

// Infers the kind from the file name (CLI.md "Inputs"); kAuto when unknown.
// An Input left at kAuto is planned by this name and then, for a YAML or JSON
// document, by its content: a top-level `services` mapping without
// `apiVersion`/`kind` makes it compose whatever its name (stack.yml).
InputKind InferKind(const std::string& path);

// A cheap look at a YAML text: whether it may be compose by content (a line
// `services:` at column 0 and none `apiVersion:`/`kind:`). Directory walks read
// such files whatever their name; Check decides exactly after parsing.
bool MayBeCompose(std::string_view text);

// What Check would make of one input, without checking it (`policy-check
// --list-files`): the kind it is checked as ("compose", "records", "document",
// "dotenv" or "unknown") and the record schema it binds to ("" when none). A YAML or JSON
// document whose kind comes from its name is read and parsed, as Check does, to
// tell whether its content makes it compose; `problem` says why an "unknown"
// input would not be checked.
struct InputDescription {
  std::string kind;
  std::string schema;
  std::string problem;
};
InputDescription DescribeInput(const Program& program, const Input& input);

// The dotenv files a compose project reads, found as docker compose finds them:
// the `.env` in the compose file's directory when it exists, then every
// `env_file:` of its services (a string, a list, or the long form `{path,
// required}`), relative to that directory, in order of first mention, each
// once. A named env_file that does not exist is a warning problem at its place
// in the compose file, unless the long form says `required: false`; a path
// holding `${...}` is left out (it depends on the environment). `compose` is
// an input of kind compose, or of kind kAuto whose name or content (as Check
// decides) makes it compose; anything else, or a file that does not parse,
// gives nothing (Check reports it). Front ends add the paths as kDotenv inputs.
struct EnvFileSet {
  std::vector<std::string> paths;  // as the compose path spells its directory
  std::vector<Problem> problems;
};
EnvFileSet ComposeEnvFiles(const Input& compose);

// The most worker threads any front end (CLI, C API, Python) accepts: more
// only exhausts the process's threads (std::system_error in a worker).
inline constexpr unsigned kMaxJobs = 4096;

struct CheckOptions {
  unsigned jobs = 0;  // worker threads; 0 = all cores; at most kMaxJobs
  // Listed findings per rule and input; the rest are counted. nullopt: 100 for
  // record inputs, unlimited otherwise. 0 = unlimited.
  std::optional<uint64_t> max_findings;
  std::set<std::string> only;  // rule ids or tags; also enables opt_in rules
  std::set<std::string> skip;  // rule ids or tags
  std::string repo_root;       // for fingerprints: paths are made relative to it ("" = cwd)
  // A run split into tasks (partition.h): record streams decide no `unique`
  // key, they write every key to Report::unique_keys for ResolveUniqueKeys.
  bool defer_unique = false;
};

Report Check(const Program& program, const std::vector<Input>& inputs, const CheckOptions& options);

// The rules a Check with `options` runs (each on the inputs of its target),
// in id order: the one answer to "which rules are on" (--only, --skip, opt-in
// and the configuration's enabled flags).
std::vector<RuleInfo> SelectedRules(const Program& program, const CheckOptions& options);

// The path globs of the documents the selected rules read beyond `on
// document` (which reads every document): `on document("GLOB")` targets and
// the `document("GLOB")` sources of the indexes they read (LANGUAGE.md
// section 11). A directory walk checks the documents matching one of them.
std::vector<std::string> DocumentGlobs(const Program& program, const CheckOptions& options);

// The library's version, "MAJOR.MINOR.PATCH", from project(... VERSION) in CMakeLists.txt.
const char* Version();

}  // namespace policy
