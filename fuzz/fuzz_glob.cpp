// Arbitrary glob and path (split at the first newline): matching must stay
// within glob x path segment comparisons per brace alternative, however many
// `**` the glob holds.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "cli/glob.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  const std::size_t cut = in.find('\n');
  const std::string_view glob = in.substr(0, cut);
  const std::string_view path = cut == std::string_view::npos ? "" : in.substr(cut + 1);
  auto segments = [](std::string_view s) {
    std::size_t n = 1;
    for (char c : s) n += c == '/' ? 1 : 0;
    return n;
  };
  std::size_t steps = 0;
  (void)policy::cli::GlobMatchCounted(glob, path, steps);
  // Per `{a,b}` alternative: at most 64 of them (libpolicy/glob.h).
  if (steps > 64 * segments(glob) * (segments(path) + 1)) __builtin_trap();
  (void)policy::cli::GlobCoversDirectory(glob, path);
  return 0;
}
