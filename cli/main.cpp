// policy-check: the command line around libpolicy (CLI.md).
#include <unistd.h>

#include <cstdlib>
#include <exception>
#include <iostream>

#include "cli/commands.h"
#include "cli/options.h"

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
      std::cout << policy::cli::UsageText();
      return 0;
    case Command::kVersion:
      std::cout << "policy-check " << policy::Version() << "\n";
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

}  // namespace

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  try {
    return Run(argc, argv);
  } catch (const std::exception& e) {
    std::cerr << "policy-check: internal error (this is a bug, please report it): " << e.what()
              << "\n";
  } catch (...) {
    std::cerr << "policy-check: internal error (this is a bug, please report it)\n";
  }
  return 3;
}
