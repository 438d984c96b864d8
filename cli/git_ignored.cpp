#include "cli/git_ignored.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <vector>

extern char** environ;

namespace policy::cli {
namespace {

// Runs `argv` (found on PATH) with stdin and stderr on /dev/null; its standard
// output, or nullopt when it could not start or did not exit 0.
std::optional<std::string> Capture(const std::vector<std::string>& args) {
  int pipe_fds[2];
  if (pipe2(pipe_fds, O_CLOEXEC) != 0) return std::nullopt;
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, "/dev/null", O_WRONLY, 0);
  std::vector<char*> argv;
  for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  pid_t pid = 0;
  int spawned = posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(pipe_fds[1]);
  if (spawned != 0) {
    close(pipe_fds[0]);
    return std::nullopt;
  }
  std::string out;
  char buf[65536];
  for (;;) {
    ssize_t n = read(pipe_fds[0], buf, sizeof buf);
    if (n > 0) {
      out.append(buf, static_cast<size_t>(n));
    } else if (n == 0 || errno != EINTR) {
      break;
    }
  }
  close(pipe_fds[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) return std::nullopt;
  return out;
}

}  // namespace

std::optional<std::set<std::string>> GitIgnoredUnder(const std::string& dir) {
  std::optional<std::string> out =
      Capture({"git", "-C", dir.empty() ? "." : dir, "ls-files", "-z", "--others", "--ignored",
               "--exclude-standard", "--directory"});
  if (!out) return std::nullopt;
  std::set<std::string> paths;
  for (size_t at = 0; at < out->size();) {
    size_t end = out->find('\0', at);
    if (end == std::string::npos) end = out->size();
    if (end > at) paths.insert(out->substr(at, end - at));
    at = end + 1;
  }
  return paths;
}

bool IsGitIgnored(const std::set<std::string>& ignored, const std::string& rel) {
  if (ignored.empty()) return false;
  if (ignored.count(rel)) return true;
  // Every directory above it: "a/b/c.yaml" is ignored under "a/" or "a/b/".
  for (size_t slash = rel.find('/'); slash != std::string::npos; slash = rel.find('/', slash + 1))
    if (ignored.count(rel.substr(0, slash + 1))) return true;
  return false;
}

}  // namespace policy::cli
