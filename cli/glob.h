#pragma once
// Path globs of the configuration file (`exclude`, `inputs[].path`).
#include <string>
#include <string_view>

namespace policy::cli {

// Matches a `/`-separated relative path against a glob: `*` and `?` within one
// segment, `[abc]`/`[a-z]`/`[!x]` classes, `**` as a whole segment for any
// number of segments (also none). A glob without `/` matches the last segment
// at any depth, as .gitignore does ("*.csv" matches "data/x.csv").
bool GlobMatch(std::string_view glob, std::string_view path);

// GlobMatch adding to `steps` the segment comparisons it made: at most the
// glob's segments times (the path's + 1), whatever the number of `**`.
bool GlobMatchCounted(std::string_view glob, std::string_view path, std::size_t& steps);

// Whether a directory is covered entirely: the glob matches it, or the glob is
// `DIR/**` and DIR matches it; lets a walk skip the directory.
bool GlobCoversDirectory(std::string_view glob, std::string_view dir);

}  // namespace policy::cli
