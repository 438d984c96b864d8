#include "libpolicy/glob.h"

#include <vector>

namespace policy {
namespace {

std::vector<std::string_view> Split(std::string_view s) {
  std::vector<std::string_view> out;
  while (true) {
    std::size_t slash = s.find('/');
    std::string_view part = s.substr(0, slash);
    if (!part.empty() && part != ".") out.push_back(part);
    if (slash == std::string_view::npos) break;
    s.remove_prefix(slash + 1);
  }
  return out;
}

// `[...]` at glob[gi]; sets `end` past the `]`. False when the class never closes.
bool MatchClass(std::string_view glob, std::size_t gi, char c, bool& matched, std::size_t& end) {
  std::size_t i = gi + 1;
  bool negate = i < glob.size() && (glob[i] == '!' || glob[i] == '^');
  if (negate) ++i;
  bool hit = false;
  bool first = true;
  for (; i < glob.size() && (glob[i] != ']' || first); first = false) {
    char lo = glob[i];
    if (i + 2 < glob.size() && glob[i + 1] == '-' && glob[i + 2] != ']') {
      if (c >= lo && c <= glob[i + 2]) hit = true;
      i += 3;
    } else {
      if (c == lo) hit = true;
      ++i;
    }
  }
  if (i >= glob.size()) return false;
  end = i + 1;
  matched = hit != negate;
  return true;
}

// One segment: `*`, `?`, classes; backtracking on the last `*` only, which is
// enough for a single segment and linear in practice.
bool MatchSegment(std::string_view glob, std::string_view name) {
  std::size_t g = 0, n = 0, star_g = std::string_view::npos, star_n = 0;
  while (n < name.size()) {
    if (g < glob.size() && glob[g] == '*') {
      star_g = ++g;
      star_n = n;
      continue;
    }
    if (g < glob.size()) {
      bool ok = false;
      std::size_t next = g + 1;
      if (glob[g] == '[') {
        bool matched = false;
        if (MatchClass(glob, g, name[n], matched, next)) {
          ok = matched;
        } else {
          ok = name[n] == '[';
          next = g + 1;
        }
      } else {
        ok = glob[g] == '?' || glob[g] == name[n];
      }
      if (ok) {
        g = next;
        ++n;
        continue;
      }
    }
    if (star_g == std::string_view::npos) return false;
    g = star_g;
    n = ++star_n;
  }
  while (g < glob.size() && glob[g] == '*') ++g;
  return g == glob.size();
}

// Segments against segments as MatchSegment matches characters: `**` is the
// star, backtracking to the last `**` only. A later `**` can absorb whatever an
// earlier one would have, so that is enough. Each restart moves the path on by
// one, so it takes at most glob x (path + 1) segment comparisons: many `**`
// over a deep tree no longer try every split.
bool MatchSegments(const std::vector<std::string_view>& glob,
                   const std::vector<std::string_view>& path, std::size_t& steps) {
  std::size_t g = 0, p = 0, star_g = std::string_view::npos, star_p = 0;
  while (p < path.size()) {
    if (g < glob.size() && glob[g] == "**") {
      star_g = ++g;
      star_p = p;
      continue;
    }
    ++steps;
    if (g < glob.size() && MatchSegment(glob[g], path[p])) {
      ++g;
      ++p;
      continue;
    }
    if (star_g == std::string_view::npos) return false;
    g = star_g;
    p = ++star_p;
  }
  while (g < glob.size() && glob[g] == "**") ++g;
  return g == glob.size();
}

}  // namespace

bool GlobMatch(std::string_view glob, std::string_view path) {
  std::size_t steps = 0;
  return GlobMatchCounted(glob, path, steps);
}

namespace {

// The glob with its first `{a,b,...}` group replaced by each alternative in
// turn; empty when it has none (or an unclosed one, which matches literally).
std::vector<std::string> ExpandFirstBraces(std::string_view glob) {
  const std::size_t open = glob.find('{');
  if (open == std::string_view::npos) return {};
  const std::size_t close = glob.find('}', open);
  if (close == std::string_view::npos) return {};
  std::vector<std::string> out;
  const std::string_view inner = glob.substr(open + 1, close - open - 1);
  for (std::size_t at = 0;;) {
    const std::size_t comma = inner.find(',', at);
    const std::string_view alt =
        inner.substr(at, comma == std::string_view::npos ? inner.npos : comma - at);
    out.push_back(std::string(glob.substr(0, open)) + std::string(alt) +
                  std::string(glob.substr(close + 1)));
    if (comma == std::string_view::npos) break;
    at = comma + 1;
  }
  return out;
}

bool MatchExpanded(std::string_view glob, std::string_view path, std::size_t& steps, int depth);

constexpr std::size_t kMaxAlternatives = 64;

}  // namespace

// How many globs the `{a,b}` groups expand to (the product of their sizes),
// counted up to `limit` + 1.
std::size_t Alternatives(std::string_view glob, std::size_t limit) {
  std::size_t total = 1;
  for (std::size_t open = glob.find('{'); open != std::string_view::npos;
       open = glob.find('{', open + 1)) {
    const std::size_t close = glob.find('}', open);
    if (close == std::string_view::npos) break;
    std::size_t n = 1;
    for (std::size_t i = open + 1; i < close; ++i) n += glob[i] == ',' ? 1 : 0;
    total *= n;
    if (total > limit) return limit + 1;
    open = close;
  }
  return total;
}

bool GlobMatchCounted(std::string_view glob, std::string_view path, std::size_t& steps) {
  // A glob whose braces expand to more than kMaxAlternatives globs is matched
  // with its braces as literal text: the work stays bounded whatever it holds.
  const int depth = Alternatives(glob, kMaxAlternatives) > kMaxAlternatives ? 4 : 0;
  return MatchExpanded(glob, path, steps, depth);
}

namespace {

bool MatchExpanded(std::string_view glob, std::string_view path, std::size_t& steps, int depth) {
  // `{a,b}` alternatives (`**/{alerts,rules}*.yml`), nested up to a few groups:
  // a hostile glob cannot multiply the work without bound.
  constexpr int kMaxBraceGroups = 4;
  if (depth < kMaxBraceGroups) {
    const std::vector<std::string> alternatives = ExpandFirstBraces(glob);
    if (!alternatives.empty()) {
      for (const std::string& alt : alternatives)
        if (MatchExpanded(alt, path, steps, depth + 1)) return true;
      return false;
    }
  }
  std::vector<std::string_view> g = Split(glob);
  std::vector<std::string_view> p = Split(path);
  if (g.empty()) return false;
  if (glob.find('/') == std::string_view::npos && g.size() == 1 && g[0] != "**") {
    ++steps;
    return !p.empty() && MatchSegment(g[0], p.back());
  }
  return MatchSegments(g, p, steps);
}

}  // namespace

bool GlobCoversDirectory(std::string_view glob, std::string_view dir) {
  if (GlobMatch(glob, dir)) return true;
  while (!glob.empty() && glob.back() == '/') glob.remove_suffix(1);
  if (glob.size() >= 3 && glob.substr(glob.size() - 3) == "/**") {
    return GlobMatch(glob.substr(0, glob.size() - 3), dir);
  }
  return false;
}

}  // namespace policy
