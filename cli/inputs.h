#pragma once
// Which files a run checks (CLI.md "Inputs"): named paths, directories walked in
// sorted order, standard input.
#include <istream>
#include <string>
#include <vector>

#include "cli/config.h"
#include "libpolicy/engine.h"
#include "libpolicy/finding.h"

namespace policy::cli {

struct InputRequest {
  std::vector<std::string> paths;     // as named; "-" is standard input
  InputKind kind = InputKind::kAuto;  // --kind, for named inputs only
  char delimiter = 0;
  bool want_documents = false;  // an active rule is `on document`: walk documents too
  // Documents the active rules read by path (policy::DocumentGlobs): walked too.
  std::vector<std::string> document_globs;
  // From the configuration, relative to `base_dir` (absolute; "" = no configuration):
  // excluded named and walked paths, and kind/schema bindings (first match wins).
  std::string base_dir;
  std::vector<std::string> exclude;
  std::vector<InputBinding> bindings;
  std::string config_path;  // the configuration file itself is never an input
  // In a git work tree, walks skip what git ignores (.gitignore and the other
  // exclude files); named files are always checked. --no-ignore: false.
  bool respect_gitignore = true;
  // A compose file brings the env files compose reads for it (CLI.md "Inputs");
  // --no-env-files: false.
  bool env_files = true;
};

struct InputSet {
  std::vector<Input> inputs;
  std::vector<Problem> problems;  // named paths that are missing or unusable
};

// `stdin_stream` is read only when "-" is named.
InputSet CollectInputs(const InputRequest& request, std::istream& stdin_stream);

// `path` (relative to the current directory) relative to `base_dir`, with `/`;
// "" when it lies outside.
std::string RelativeToBase(const std::string& path, const std::string& base_dir);

// "./a/b" -> "a/b", "dir//x" -> "dir/x": the spelling findings use.
std::string CleanPath(const std::string& path);

// The nearest directory from the current one up that holds `.git`, else the
// current directory; absolute.
std::string FindRepoRoot();

}  // namespace policy::cli
