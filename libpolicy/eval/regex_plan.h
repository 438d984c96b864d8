#pragma once
// What the evaluator can decide about a constant regex without running RE2.
//
// Identifier formats are written as anchored patterns of ASCII classes with
// counts (`^[0-9]{13}$`, `^01[3-9][0-9]{8}$`, `^([0-9]{9}|[0-9]{11})$`): such a
// pattern is matched by comparing the length and testing each byte against its
// class, which is exact and an order of magnitude cheaper than a regex call
// on a short string. A pattern that can only match non-ASCII text (a class of
// zero-width characters) never matches an ASCII subject; RE2's own prefilter
// (FilteredRE2) tells which patterns those are.
#include <bitset>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace policy::eval {

class RegexPlan {
 public:
  // The plan for `pattern` as RE2 compiles it with default options.
  static RegexPlan For(const std::string& pattern);

  // The result of a partial match of the pattern on `subject`, or nullopt when
  // only RE2 can tell.
  std::optional<bool> Match(std::string_view subject) const;

  bool is_simple() const { return simple_; }
  bool needs_non_ascii() const { return needs_non_ascii_; }

 private:
  struct Item {
    std::bitset<128> bytes;  // the ASCII bytes it matches
    uint32_t min = 1;
    uint32_t max = 1;     // kUnbounded for * and +
    bool digits = false;  // bytes is [0-9]: a run is tested 8 bytes at a time
  };
  using Sequence = std::vector<Item>;
  static constexpr uint32_t kUnbounded = UINT32_MAX;

  // The lengths a sequence matches: [min, max] (max kUnbounded for none).
  struct Bounds {
    uint64_t min = 0;
    uint64_t max = 0;
  };
  static Bounds BoundsOf(const Sequence& seq);
  static bool Matches(const Sequence& seq, const Bounds& bounds, std::string_view s);

  bool simple_ = false;
  bool needs_non_ascii_ = false;
  // simple_: the whole text is one of these sequences; in each, only the last
  // item may repeat a variable number of times.
  std::vector<Sequence> alternatives_;
  std::vector<Bounds> bounds_;  // per alternative
  friend class SimplePatternParser;
};

}  // namespace policy::eval
