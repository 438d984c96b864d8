#pragma once
// The command's globs are the library's (libpolicy/glob.h).
#include "libpolicy/glob.h"

namespace policy::cli {
using policy::GlobCoversDirectory;
using policy::GlobMatch;
using policy::GlobMatchCounted;
}  // namespace policy::cli
