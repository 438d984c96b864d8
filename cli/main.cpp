// policy-check: the command line around libpolicy (CLI.md).
#include <unistd.h>

#include <cstdlib>
#include <exception>
#include <iostream>
#include <new>

#include "cli/commands.h"
#include "cli/options.h"
#include "cli/run_setup.h"
#include "policy_build_commit.h"

namespace {

int Run(int argc, char** argv) {
  using policy::cli::Command;
  std::vector<std::string> args(argv + 1, argv + argc);
  policy::cli::ParseResult parsed = policy::cli::ParseArgs(args);
  if (!parsed.error.empty()) {
    std::cerr << "policy-check: " << parsed.error << "\nTry 'policy-check --help'.\n";
    return 2;
  }
  const policy::cli::Options& options = parsed.options;
  policy::cli::Streams io{std::cout,
                          std::cerr,
                          std::cin,
                          isatty(STDOUT_FILENO) == 1,
                          isatty(STDERR_FILENO) == 1,
                          std::getenv("NO_COLOR")};
  switch (options.command) {
    case Command::kHelp:
      std::cout << policy::cli::UsageText(options.help_topic);
      return 0;
    case Command::kVersion:
      std::cout << "policy-check " << policy::Version() << " (commit " << POLICY_BUILD_COMMIT
                << ")\n";
      return 0;
    case Command::kRules:
      return policy::cli::RunRules(options, io);
    case Command::kExplain:
      return policy::cli::RunExplain(options, io);
    case Command::kCompile:
      return policy::cli::RunCompile(options, io);
    case Command::kTest:
      return policy::cli::RunTest(options, io);
    case Command::kCheck:
      return policy::cli::RunCheck(options, io);
  }
  return 3;
}

// Output that did not reach standard output (a full disk, /dev/full, a closed
// pipe) is a failed run, whatever the check found.
int CheckStdout(int code) {
  if (std::cout.flush()) return code;
  std::cerr << "policy-check: cannot write to standard output\n";
  return code == 3 ? 3 : 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  try {
    return CheckStdout(Run(argc, argv));
  } catch (const std::bad_alloc&) {
    std::cerr << "policy-check: internal error: out of memory\n";
  } catch (const policy::cli::InternalError& e) {
    std::cerr << "policy-check: internal error: " << e.what() << "\n";
  } catch (const std::exception& e) {
    std::cerr << "policy-check: internal error (this is a bug, please report it): " << e.what()
              << "\n";
  } catch (...) {
    std::cerr << "policy-check: internal error (this is a bug, please report it)\n";
  }
  return 3;
}
