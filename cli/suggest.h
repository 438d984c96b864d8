#pragma once
// "Did you mean": the candidates closest to a mistyped word, for `explain`.
#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace policy::cli {

// Levenshtein distance over bytes (ids and codes are ASCII).
std::size_t EditDistance(std::string_view a, std::string_view b);

// Up to `limit` candidates within a third of the word's length (at least 2
// edits) of `word`, closest first, then alphabetically; none when nothing is close.
std::vector<std::string> ClosestWords(std::string_view word,
                                      const std::vector<std::string>& candidates,
                                      std::size_t limit = 3);

}  // namespace policy::cli
