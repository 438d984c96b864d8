#pragma once
// The command line of policy-check (CLI.md "Invocation" and "Options"), parsed by
// hand into plain data; parsing neither prints nor exits.
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "libpolicy/engine.h"

namespace policy::cli {

enum class Command : uint8_t { kCheck, kRules, kCompile, kTest, kExplain, kHelp, kVersion };
enum class Format : uint8_t { kText, kJson, kSarif, kJunit, kGithub, kMarkdown, kCodeQuality };
enum class FailOn : uint8_t { kError, kWarning, kInfo, kNever };
enum class ColorMode : uint8_t { kAuto, kAlways, kNever };

struct Options {
  Command command = Command::kCheck;
  std::vector<std::string> paths;  // inputs; rule files for `compile`; packs for `test`
  std::string rule_id;             // `explain`: a rule id or a diagnostic code
  std::vector<std::string> rules;  // -r/--rules
  bool builtin = true;
  Format format = Format::kText;
  bool format_given = false;  // `rules` defaults to text whatever the check format
  std::string output;         // -o; empty: stdout
  InputKind kind = InputKind::kAuto;
  char delimiter = 0;
  FailOn fail_on = FailOn::kError;
  bool fail_on_given = false;  // --fail-on overrides the configuration's fail_on
  std::set<std::string> only;
  std::set<std::string> skip;
  std::vector<std::pair<std::string, std::string>> params;
  unsigned jobs = 0;
  std::optional<uint64_t> max_findings;
  ColorMode color = ColorMode::kAuto;
  bool quiet = false;
  bool verbose = false;
  std::string config;                      // -c; empty: discover .policy-check.yaml
  std::string baseline;                    // --baseline FILE
  std::string write_baseline;              // --write-baseline FILE
  std::vector<std::string> compose_merge;  // --compose-merge FILE...: one merged project
  bool no_ignore = false;                  // --no-ignore: walks include what git ignores
  bool no_env_files = false;             // --no-env-files: compose files bring no env files (hooks)
  bool list_files = false;               // --list-files: print the inputs, check nothing
  bool fail_on_empty = false;            // test --fail-on-empty: a pack without fixtures fails
  Command help_topic = Command::kCheck;  // kHelp: whose help (`SUBCOMMAND --help`)
};

struct ParseResult {
  Options options;
  std::string error;  // non-empty: a usage error (exit 2)
};

// `args` without the program name.
ParseResult ParseArgs(const std::vector<std::string>& args);

// The --help text: of the whole program for kCheck, else of one subcommand.
std::string UsageText(Command topic = Command::kCheck);

const char* FormatName(Format f);

// --color auto: on a terminal, unless NO_COLOR is set to anything but "".
bool UseColor(ColorMode mode, bool stdout_is_tty, const char* no_color_env);

}  // namespace policy::cli
