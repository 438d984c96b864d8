#include "cli/options.h"

#include <charconv>
#include <filesystem>
#include <map>
#include <string_view>

#include "cli/suggest.h"

namespace policy::cli {
namespace {

const std::map<std::string_view, Command> kSubcommands = {
    {"rules", Command::kRules},
    {"compile", Command::kCompile},
    {"test", Command::kTest},
    {"explain", Command::kExplain},
};

const std::map<std::string_view, Format> kFormats = {
    {"text", Format::kText},
    {"json", Format::kJson},
    {"sarif", Format::kSarif},
    {"junit", Format::kJunit},
    {"github", Format::kGithub},
    {"markdown", Format::kMarkdown},
    {"codequality", Format::kCodeQuality},
};

// Long and short spellings of every option that takes a value.
const std::map<std::string_view, std::string_view> kValueOptions = {
    {"-r", "--rules"},
    {"--rules", "--rules"},
    {"-f", "--format"},
    {"--format", "--format"},
    {"-o", "--output"},
    {"--output", "--output"},
    {"--kind", "--kind"},
    {"--delimiter", "--delimiter"},
    {"--fail-on", "--fail-on"},
    {"--only", "--only"},
    {"--skip", "--skip"},
    {"--param", "--param"},
    {"--jobs", "--jobs"},
    {"--max-findings", "--max-findings"},
    {"--color", "--color"},
    {"-c", "--config"},
    {"--config", "--config"},
    {"--baseline", "--baseline"},
    {"--write-baseline", "--write-baseline"},
};

std::optional<uint64_t> ParseCount(std::string_view s) {
  uint64_t n = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size()) return std::nullopt;
  return n;
}

void SplitIds(std::string_view list, std::set<std::string>& out) {
  while (!list.empty()) {
    std::size_t comma = list.find(',');
    std::string_view item = list.substr(0, comma);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (!item.empty()) out.emplace(item);
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
}

std::string BadValue(std::string_view option, std::string_view value, std::string_view expected) {
  return std::string("invalid value '") + std::string(value) + "' for " + std::string(option) +
         " (expected " + std::string(expected) + ")";
}

// Options that take no value.
const std::set<std::string_view> kFlags = {
    "--no-builtin",   "-q",
    "--quiet",        "-v",
    "--verbose",      "--no-ignore",
    "--list-files",   "--fail-on-empty",
    "--no-env-files", "--compose-merge",
};

// "unknown option '--fial-on'; did you mean '--fail-on'?"
std::string UnknownOption(const std::string& arg, const std::string& name) {
  std::vector<std::string> known = {"--help", "--version"};
  for (const auto& [spelling, canonical] : kValueOptions)
    if (spelling.rfind("--", 0) == 0) known.emplace_back(spelling);
  for (std::string_view flag : kFlags)
    if (flag.rfind("--", 0) == 0) known.emplace_back(flag);
  std::string error = "unknown option '" + arg + "'";
  std::vector<std::string> close = ClosestWords(name, known, 1);
  if (!close.empty()) error += "; did you mean '" + close.front() + "'?";
  return error;
}

// A first word that is no subcommand, names no file and is close to a
// subcommand's name is a typo of it (`policy-check tset`), not an input.
std::string UnknownSubcommand(const std::string& word) {
  if (word.empty() || word[0] == '-' || word.find_first_of("./") != std::string::npos) return "";
  std::error_code ec;
  if (std::filesystem::exists(word, ec)) return "";
  std::vector<std::string> names;
  for (const auto& [name, command] : kSubcommands) names.emplace_back(name);
  names.emplace_back("help");
  std::vector<std::string> close = ClosestWords(word, names, 1);
  if (close.empty()) return "";
  return "unknown subcommand '" + word + "'; did you mean '" + close.front() + "'?";
}

// Applies one option with its value; returns an error message or "".
std::string ApplyValue(Options& o, std::string_view name, std::string_view value) {
  if (name == "--rules") {
    o.rules.emplace_back(value);
  } else if (name == "--format") {
    auto it = kFormats.find(value);
    if (it == kFormats.end()) {
      return BadValue(name, value, "text, json, sarif, junit, github, markdown or codequality");
    }
    o.format = it->second;
    o.format_given = true;
  } else if (name == "--output") {
    if (value.empty()) return BadValue(name, value, "a file name");
    o.output = value;
  } else if (name == "--kind") {
    if (value == "compose") {
      o.kind = InputKind::kCompose;
    } else if (value == "records") {
      o.kind = InputKind::kRecords;
    } else if (value == "document") {
      o.kind = InputKind::kDocument;
    } else if (value == "dotenv") {
      o.kind = InputKind::kDotenv;
    } else {
      return BadValue(name, value, "compose, records, document or dotenv");
    }
  } else if (name == "--delimiter") {
    if (value == "\\t" || value == "tab") {
      o.delimiter = '\t';
    } else if (value.size() == 1 && static_cast<unsigned char>(value[0]) < 0x80 &&
               value[0] != '"' && value[0] != '\n' && value[0] != '\r') {
      o.delimiter = value[0];
    } else {
      return BadValue(name, value, "one ASCII character other than a quote or newline, or 'tab'");
    }
  } else if (name == "--fail-on") {
    static const std::map<std::string_view, FailOn> kLevels = {{"error", FailOn::kError},
                                                               {"warning", FailOn::kWarning},
                                                               {"info", FailOn::kInfo},
                                                               {"never", FailOn::kNever}};
    auto it = kLevels.find(value);
    if (it == kLevels.end()) return BadValue(name, value, "error, warning, info or never");
    o.fail_on = it->second;
    o.fail_on_given = true;
  } else if (name == "--config") {
    if (value.empty()) return BadValue(name, value, "a file name");
    o.config = value;
  } else if (name == "--baseline") {
    if (value.empty()) return BadValue(name, value, "a file name");
    o.baseline = value;
  } else if (name == "--write-baseline") {
    if (value.empty()) return BadValue(name, value, "a file name");
    o.write_baseline = value;
  } else if (name == "--only") {
    SplitIds(value, o.only);
  } else if (name == "--skip") {
    SplitIds(value, o.skip);
  } else if (name == "--param") {
    std::size_t eq = value.find('=');
    if (eq == std::string_view::npos || eq == 0) return BadValue(name, value, "NAME=VALUE");
    o.params.emplace_back(std::string(value.substr(0, eq)), std::string(value.substr(eq + 1)));
  } else if (name == "--jobs") {
    auto n = ParseCount(value);
    if (!n || *n > kMaxJobs) return BadValue(name, value, "a number of threads, 0 for all cores");
    o.jobs = static_cast<unsigned>(*n);
  } else if (name == "--max-findings") {
    auto n = ParseCount(value);
    if (!n) return BadValue(name, value, "a number, 0 for unlimited");
    o.max_findings = *n;
  } else if (name == "--color") {
    if (value == "auto") {
      o.color = ColorMode::kAuto;
    } else if (value == "always") {
      o.color = ColorMode::kAlways;
    } else if (value == "never") {
      o.color = ColorMode::kNever;
    } else {
      return BadValue(name, value, "auto, always or never");
    }
  }
  return "";
}

// What a subcommand accepts, checked once every argument is read.
std::string Validate(const Options& o) {
  if (o.command != Command::kCheck && (o.list_files || o.no_ignore || o.no_env_files)) {
    return std::string(o.list_files  ? "--list-files"
                       : o.no_ignore ? "--no-ignore"
                                     : "--no-env-files") +
           " is an option of the check (no subcommand)";
  }
  if (o.command != Command::kTest && o.fail_on_empty)
    return "--fail-on-empty is an option of 'test'";
  switch (o.command) {
    case Command::kCheck:
      if (!o.compose_merge.empty() && o.kind != InputKind::kAuto && o.kind != InputKind::kCompose) {
        return "--compose-merge merges compose files; --kind must be compose or absent";
      }
      return "";
    case Command::kRules:
      if (!o.paths.empty()) return "'rules' takes no paths (use --rules PATH)";
      if (o.format != Format::kText && o.format != Format::kJson && o.format != Format::kMarkdown) {
        return std::string("'rules' writes text, json or markdown, not '") + FormatName(o.format) +
               "'";
      }
      return "";
    case Command::kCompile:
      if (o.paths.empty()) return "'compile' needs at least one rule file or directory";
      if (o.format != Format::kText && o.format != Format::kJson) {
        return std::string("'compile' writes text or json, not '") + FormatName(o.format) + "'";
      }
      return "";
    case Command::kExplain:
      if (o.paths.size() != 1) return "'explain' needs exactly one rule id or diagnostic code";
      if (o.format != Format::kText && o.format != Format::kMarkdown) {
        return std::string("'explain' writes text or markdown, not '") + FormatName(o.format) + "'";
      }
      return "";
    case Command::kTest:
      if (o.format != Format::kText && o.format != Format::kJunit) {
        return std::string("'test' writes text or junit, not '") + FormatName(o.format) + "'";
      }
      return "";
    case Command::kHelp:
    case Command::kVersion:
      return "";
  }
  return "";
}

}  // namespace

ParseResult ParseArgs(const std::vector<std::string>& args) {
  ParseResult result;
  Options& o = result.options;
  std::size_t i = 0;
  if (!args.empty()) {
    auto it = kSubcommands.find(args[0]);
    if (it != kSubcommands.end()) {
      o.command = it->second;
      i = 1;
    } else if (args[0] == "help") {
      // `policy-check help [SUBCOMMAND]`, as git has it.
      o.help_topic = Command::kCheck;
      if (args.size() > 1) {
        auto topic = kSubcommands.find(args[1]);
        if (topic == kSubcommands.end()) {
          result.error = "no help for '" + args[1] + "' (rules, explain, compile or test)";
          return result;
        }
        o.help_topic = topic->second;
      }
      o.command = Command::kHelp;
      return result;
    } else if (std::string typo = UnknownSubcommand(args[0]); !typo.empty()) {
      result.error = std::move(typo);
      return result;
    }
  }
  bool options_ended = false;
  for (; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (options_ended || arg == "-" || arg.empty() || arg[0] != '-') {
      o.paths.push_back(arg);
      continue;
    }
    if (arg == "--") {
      options_ended = true;
      continue;
    }
    if (arg == "-h" || arg == "--help") {
      o.help_topic = o.command;
      o.command = Command::kHelp;
      return result;
    }
    if (arg == "--version") {
      o.command = Command::kVersion;
      return result;
    }
    // --name=value, -Xvalue (short options are one letter) or --name value.
    std::string name = arg;
    std::optional<std::string> value;
    if (arg.rfind("--", 0) == 0) {
      std::size_t eq = arg.find('=');
      if (eq != std::string::npos) {
        name = arg.substr(0, eq);
        value = arg.substr(eq + 1);
      }
    } else if (arg.size() > 2) {
      name = arg.substr(0, 2);
      value = arg.substr(2);
    }
    if (name != "--compose-merge" && kFlags.count(name)) {
      if (value) {
        result.error = "option '" + name + "' takes no value";
        return result;
      }
      if (name == "--no-builtin") o.builtin = false;
      if (name == "-q" || name == "--quiet") o.quiet = true;
      if (name == "-v" || name == "--verbose") o.verbose = true;
      if (name == "--no-ignore") o.no_ignore = true;
      if (name == "--no-env-files") o.no_env_files = true;
      if (name == "--list-files") o.list_files = true;
      if (name == "--fail-on-empty") o.fail_on_empty = true;
      continue;
    }
    if (name == "--compose-merge") {
      // Takes every following argument up to the next option (FILE...).
      if (value) o.compose_merge.push_back(*value);
      while (i + 1 < args.size() && (args[i + 1].empty() || args[i + 1][0] != '-')) {
        o.compose_merge.push_back(args[++i]);
      }
      if (o.compose_merge.empty()) {
        result.error = "option '--compose-merge' needs at least one compose file";
        return result;
      }
      continue;
    }
    auto spec = kValueOptions.find(name);
    if (spec == kValueOptions.end()) {
      result.error = UnknownOption(arg, name);
      return result;
    }
    if (!value) {
      if (i + 1 >= args.size()) {
        result.error = "option '" + name + "' needs a value";
        return result;
      }
      value = args[++i];
    }
    std::string error = ApplyValue(o, spec->second, *value);
    if (!error.empty()) {
      result.error = std::move(error);
      return result;
    }
  }
  result.error = Validate(o);
  if (result.error.empty() && o.command == Command::kExplain) {
    o.rule_id = o.paths.front();
    o.paths.clear();
  }
  return result;
}

const char* FormatName(Format f) {
  for (const auto& [name, format] : kFormats) {
    if (format == f) return name.data();
  }
  return "text";
}

bool UseColor(ColorMode mode, bool stdout_is_tty, const char* no_color_env) {
  switch (mode) {
    case ColorMode::kAlways:
      return true;
    case ColorMode::kNever:
      return false;
    case ColorMode::kAuto:
      return stdout_is_tty && (no_color_env == nullptr || *no_color_env == 0);
  }
  return false;
}

std::string UsageText(Command topic) {
  switch (topic) {
    case Command::kRules:
      return R"(Usage: policy-check rules [-f text|json|markdown] [-r PATH ...] [--no-builtin] [-c FILE]

Lists the loaded rules: id, severity, target, title and tags ('(disabled)' for
opt_in rules and rules the configuration turns off).

  -f, --format FMT   text (default), json or markdown (the table of docs/rule-catalogue.md)
  -r, --rules PATH   also load this rule file or directory (repeatable)
      --no-builtin   leave the built-in packs out
      --param N=V    override a param
  -c, --config FILE  configuration (default: the nearest .policy-check.yaml)
)";
    case Command::kExplain:
      return R"(Usage: policy-check explain RULE-ID|CODE [-f text|markdown] [-r PATH ...]

Shows a rule (title, severity, target, tags, why, remedy, params and an example
finding from its pack's fixtures) or a diagnostic code (severity, message, help).

  -f, --format FMT   text (default) or markdown (the rule's page, docs/rules/RULE-ID.md)
  -r, --rules PATH   also load this rule file or directory (repeatable)
      --no-builtin   leave the built-in packs out
)";
    case Command::kCompile:
      return R"(Usage: policy-check compile PATH ... [-f text|json]

Compiles rule files and directories (without the built-in packs) and prints the
diagnostics; exit 0 when they compile, 2 when not.

  -f, --format FMT   text (default) or json: {"diagnostics": [{code, severity,
                     message, file, line, column, help}], "rules": N}
      --param N=V    override a param
)";
    case Command::kTest:
      return R"(Usage: policy-check test [PATH ...] [-f text|junit] [--fail-on-empty]

Runs rule-pack tests: each NAME.expected.json under a pack's tests/ (and
tests/opt_in/) against its fixture NAME.EXT. PATH is a pack (a directory with
.policy files) or a directory of packs; default: the built-in rules/.

  -f, --format FMT   text (default) or junit (one testsuite per pack, one testcase
                     per fixture)
  -o, --output FILE  write the report to FILE
      --fail-on-empty  a pack with no fixture fails (exit 1)
      --param N=V    override a param
)";
    case Command::kCheck:
    case Command::kHelp:
    case Command::kVersion:
      break;
  }
  return R"(Usage:
  policy-check [OPTIONS] [PATH ...]           check files and directories (default: .)
  policy-check rules [-f text|json|markdown]  list the loaded rules
  policy-check explain RULE-ID|CODE           show a rule (title, doc, remedy, params) or a
                                              diagnostic code (severity, message, help)
  policy-check compile PATH ...               compile rule files, print diagnostics
  policy-check test [PATH ...]                run rule-pack tests (default: rules/)
  policy-check SUBCOMMAND --help              help on one subcommand

Options:
  -r, --rules PATH        rule file or directory (repeatable)
      --no-builtin        leave the built-in packs out
  -c, --config FILE       configuration (default: the nearest .policy-check.yaml
                          from the current directory up)
  -f, --format FMT        text (default), json, sarif, junit, github, markdown
                          or codequality (GitLab)
  -o, --output FILE       write the report to FILE
      --kind KIND         compose, records or document for every named input
                          (required for '-', standard input)
      --compose-merge FILE...  merge these compose files as one project
                          (docker compose -f A -f B ...)
      --delimiter C       CSV delimiter (one character, or 'tab')
      --no-ignore         in a git work tree, also walk what git ignores
                          (named files are always checked)
      --no-env-files      leave out the env files compose files read (.env
                          beside them, env_file:) unless named or walked
      --list-files        print each input that would be checked as
                          PATH<TAB>KIND<TAB>SCHEMA; check nothing
      --fail-on LEVEL     error (default), warning, info or never
      --only IDS          run only these rule ids or tags (comma-separated;
                          also runs opt_in rules)
      --skip IDS          skip these rule ids or tags (comma-separated)
      --param NAME=VALUE  override a param (repeatable)
      --baseline FILE     findings whose fingerprints are in FILE are baselined
      --write-baseline FILE  record the current findings' fingerprints; exit 0
      --jobs N            worker threads (default 0: all cores)
      --max-findings N    findings listed per rule and input (0: unlimited)
      --color WHEN        auto (default), always or never; auto honours NO_COLOR
  -q, --quiet             no summary line
  -v, --verbose           also list suppressed and baselined findings and
                          unused suppressions
      --version           print the version
  -h, --help              print this help

Options take their value as '--opt value' or '--opt=value'; '--' ends the options.

Exit codes: 0 no finding at or above --fail-on, 1 findings, 2 usage, configuration,
rule or input error, 3 internal error.
)";
}

}  // namespace policy::cli
