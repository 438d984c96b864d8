#pragma once
// The files git ignores under a directory (.gitignore, .git/info/exclude and the
// user's global excludes), asked of git itself: `git ls-files --others
// --ignored --exclude-standard --directory`. A subprocess rather than libgit2:
// git's own answer for every rule (negations, nested files, core.excludesFile)
// with no library to link into the binary, for one fork per walked directory.
#include <optional>
#include <set>
#include <string>

namespace policy::cli {

// Paths relative to `dir` that git ignores: files, and directories with a
// trailing '/' (everything under them is ignored). nullopt when `dir` is not in
// a git work tree or git is not installed: then nothing is ignored.
std::optional<std::set<std::string>> GitIgnoredUnder(const std::string& dir);

// Whether `rel` (relative to the same directory, '/'-separated) is ignored by
// `ignored`: listed itself, or under a listed directory.
bool IsGitIgnored(const std::set<std::string>& ignored, const std::string& rel);

}  // namespace policy::cli
