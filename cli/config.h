#pragma once
// The configuration file `.policy-check.yaml` (CLI.md "Configuration file").
// Loading checks keys and types; rule ids are checked against the compiled
// catalogue later (CheckRuleIds), since only compilation knows them.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "cli/options.h"
#include "libpolicy/engine.h"

namespace policy::cli {

struct InputBinding {
  std::string glob;  // relative to Config::dir
  InputKind kind = InputKind::kAuto;
  std::string schema;
};

struct RuleSetting {
  std::optional<std::string> severity;  // "error", "warning" or "info"
  std::optional<bool> enabled;
  uint32_t line = 0;  // 1-based line of the id, for "unknown rule id"
};

struct Config {
  std::string path;                // as found or given
  std::string dir;                 // its directory, absolute: paths and globs are relative to it
  std::vector<std::string> rules;  // made relative to the current directory
  std::optional<bool> builtin;
  std::vector<std::string> exclude;
  std::optional<FailOn> fail_on;
  std::vector<std::pair<std::string, std::string>> params;  // name -> YAML flow text
  std::map<std::string, RuleSetting> rules_config;
  std::vector<InputBinding> inputs;
};

struct ConfigResult {
  std::optional<Config> config;
  std::string error;  // "FILE:LINE:COL: error: ..." when loading failed
};

// Parses configuration text; `path` names it in errors and anchors its paths.
ConfigResult ParseConfig(const std::string& text, const std::string& path);

// Reads the file at `path`.
ConfigResult LoadConfig(const std::string& path);

// The nearest `.policy-check.yaml` from the current directory up; "" when none.
std::string DiscoverConfig();

// Errors for rules_config ids that are not in `rules`, one line each.
std::vector<std::string> CheckRuleIds(const Config& config, const std::vector<RuleInfo>& rules);

// The configuration under the command line: flags win, lists are added to.
void ApplyConfig(const Config& config, Options& options, CompileOptions& compile_options);

}  // namespace policy::cli
