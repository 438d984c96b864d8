#pragma once
// The subcommands of policy-check. Each returns the process exit code (CLI.md
// "Exit codes") and writes only to the streams it is given.
#include <iosfwd>

#include "cli/options.h"
#include "libpolicy/engine.h"

namespace policy::cli {

struct Streams {
  std::ostream& out;
  std::ostream& err;
  std::istream& in;
  bool out_is_tty = false;
  bool err_is_tty = false;
  const char* no_color = nullptr;  // the NO_COLOR environment variable
};

int RunCheck(const Options& options, Streams& io);
int RunRules(const Options& options, Streams& io);
int RunExplain(const Options& options, Streams& io);
int RunCompile(const Options& options, Streams& io);
int RunTest(const Options& options, Streams& io);

// Compiles with the rule options of the command line, printing every diagnostic
// to io.err; the result's program is null when compilation failed.
CompileResult CompileAndReport(const CompileOptions& compile_options, const Options& options,
                               Streams& io);

CompileOptions CompileOptionsFrom(const Options& options);

}  // namespace policy::cli
