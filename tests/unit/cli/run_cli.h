#pragma once
// Runs the built policy-check binary as a user would, in a given directory.
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace cli_test {

inline const std::string kData = POLICY_SOURCE_DIR "/tests/unit/cli/data";

struct Run {
  int code = -1;
  std::string out;
  std::string err;
};

inline std::string Slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// A fresh scratch directory per call, removed by the caller (or left in /tmp).
inline std::filesystem::path ScratchDir(const std::string& tag) {
  static std::atomic<int> counter{0};
  auto dir =
      std::filesystem::temp_directory_path() /
      ("policy-cli-" + tag + "-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

// `args` is shell text; standard input from `input`; run in `cwd`.
inline Run PolicyCheckIn(const std::string& cwd, const std::string& args,
                         const std::string& input = "") {
  namespace fs = std::filesystem;
  fs::path dir = ScratchDir("run");
  std::ofstream(dir / "in") << input;
  std::string command = "cd '" + cwd + "' && NO_COLOR= '" + POLICY_CHECK_PATH + "' " + args +
                        " <'" + (dir / "in").string() + "' >'" + (dir / "out").string() + "' 2>'" +
                        (dir / "err").string() + "'";
  int status = std::system(command.c_str());
  Run run;
  run.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  run.out = Slurp(dir / "out");
  run.err = Slurp(dir / "err");
  std::error_code ec;
  fs::remove_all(dir, ec);
  return run;
}

// A shell command's exit code and combined output.
inline Run Shell(const std::string& command) {
  namespace fs = std::filesystem;
  fs::path dir = ScratchDir("sh");
  int status = std::system(("(" + command + ") >'" + (dir / "out").string() + "' 2>&1").c_str());
  Run run;
  run.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  run.out = Slurp(dir / "out");
  std::error_code ec;
  fs::remove_all(dir, ec);
  return run;
}

inline bool Has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

}  // namespace cli_test
