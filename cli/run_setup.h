#pragma once
// What `check`, `rules` and `explain` share before running: the configuration
// file under the command line, and compilation with its rule settings.
#include <optional>
#include <stdexcept>

#include "cli/commands.h"
#include "cli/config.h"

namespace policy::cli {

// The library reported a failure of its own (a bug, out of memory): exit 3.
struct InternalError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

struct RunSetup {
  Options options;               // the command line with the configuration's defaults
  std::optional<Config> config;  // none when no file was given or found
  CompileOptions compile_options;
};

// Loads -c FILE or the discovered configuration; false after printing an error
// (exit 2).
bool PrepareRun(const Options& options, Streams& io, RunSetup& setup);

// Compiles, printing diagnostics; an unknown rules_config id is reported at its
// line in the configuration file. Null program: exit 2.
CompileResult CompileSetup(const RunSetup& setup, Streams& io);

}  // namespace policy::cli
