#pragma once
// Path globs: the configuration file's (`exclude`, `inputs[].path`) and the
// sources of indexes (`document("**/prometheus.y*ml")`, LANGUAGE.md 11.1).
#include <string>
#include <string_view>

namespace policy {

// Matches a `/`-separated relative path against a glob: `*` and `?` within one
// segment, `[abc]`/`[a-z]`/`[!x]` classes, `**` as a whole segment for any
// number of segments (also none), `{a,b}` alternatives (up to 4 groups expanding
// to at most 64 globs; more are matched as literal text). A glob without `/` matches
// the last segment at any depth, as .gitignore does ("*.csv" matches "data/x.csv").
bool GlobMatch(std::string_view glob, std::string_view path);

// GlobMatch adding to `steps` the segment comparisons it made: at most the
// glob's segments times (the path's + 1) per brace alternative (64 at most),
// whatever the number of `**`.
bool GlobMatchCounted(std::string_view glob, std::string_view path, std::size_t& steps);

// Whether a directory is covered entirely: the glob matches it, or the glob is
// `DIR/**` and DIR matches it; lets a walk skip the directory.
bool GlobCoversDirectory(std::string_view glob, std::string_view dir);

}  // namespace policy
