#include "libpolicy/eval/regex_plan.h"

#include <re2/filtered_re2.h>
#include <re2/re2.h>

#include <cstring>

#include "libpolicy/eval/builtins/support.h"

namespace policy::eval {

// Parses the subset `^ALT$`: alternatives of sequences of literals, ASCII
// classes and \d with {n}, {m,n}, ?, *, +, and groups (possibly (?:...))
// expanded into the alternatives. Anything else is left to RE2.
class SimplePatternParser {
 public:
  explicit SimplePatternParser(std::string_view body) : p_(body) {}

  // The text between ^ and $: one sequence (a top-level | would split the anchors).
  bool Parse(std::vector<RegexPlan::Sequence>* out) {
    if (!ParseSequence(out) || pos_ != p_.size()) return false;
    for (const RegexPlan::Sequence& seq : *out)
      for (size_t i = 0; i + 1 < seq.size(); ++i)
        if (seq[i].min != seq[i].max) return false;  // only the last item may vary
    return true;
  }

 private:
  static constexpr size_t kMaxAlternatives = 32;

  bool ParseAlternatives(std::vector<RegexPlan::Sequence>* out) {
    out->clear();
    for (;;) {
      std::vector<RegexPlan::Sequence> seqs;
      if (!ParseSequence(&seqs)) return false;
      out->insert(out->end(), seqs.begin(), seqs.end());
      if (out->size() > kMaxAlternatives) return false;
      if (pos_ < p_.size() && p_[pos_] == '|') {
        ++pos_;
        continue;
      }
      return true;
    }
  }

  bool ParseSequence(std::vector<RegexPlan::Sequence>* out) {
    out->assign(1, RegexPlan::Sequence());
    while (pos_ < p_.size() && p_[pos_] != '|' && p_[pos_] != ')') {
      if (p_[pos_] == '(') {
        ++pos_;
        if (p_.substr(pos_, 2) == "?:") {
          pos_ += 2;
        } else if (pos_ < p_.size() && p_[pos_] == '?') {
          return false;  // flags, named groups
        }
        std::vector<RegexPlan::Sequence> inner;
        if (!ParseAlternatives(&inner) || pos_ >= p_.size() || p_[pos_] != ')') return false;
        ++pos_;
        if (pos_ < p_.size() && std::strchr("{?*+", p_[pos_]) != nullptr) return false;
        std::vector<RegexPlan::Sequence> product;
        for (const RegexPlan::Sequence& head : *out)
          for (const RegexPlan::Sequence& tail : inner) {
            product.push_back(head);
            product.back().insert(product.back().end(), tail.begin(), tail.end());
          }
        if (product.size() > kMaxAlternatives) return false;
        *out = std::move(product);
        continue;
      }
      RegexPlan::Item item;
      if (!ParseAtom(&item.bytes) || !ParseQuantifier(&item.min, &item.max)) return false;
      for (RegexPlan::Sequence& seq : *out) seq.push_back(item);
    }
    return true;
  }

  bool ParseAtom(std::bitset<128>* bytes) {
    const unsigned char c = static_cast<unsigned char>(p_[pos_]);
    if (c >= 0x80) return false;
    if (c == '[') {
      ++pos_;
      return ParseClass(bytes);
    }
    if (c == '\\') return ParseEscape(bytes);
    if (std::strchr("^$.|()]{}?*+", c) != nullptr || c < 0x20) return false;
    bytes->set(c);
    ++pos_;
    return true;
  }

  // After '\\': \d or an escaped punctuation character.
  bool ParseEscape(std::bitset<128>* bytes) {
    if (pos_ + 1 >= p_.size()) return false;
    const char e = p_[pos_ + 1];
    pos_ += 2;
    if (e == 'd') {
      for (char d = '0'; d <= '9'; ++d) bytes->set(static_cast<size_t>(d));
      return true;
    }
    if (std::strchr("\\.-+()[]{}^$|?*/", e) == nullptr) return false;
    bytes->set(static_cast<size_t>(e));
    return true;
  }

  bool ParseClass(std::bitset<128>* bytes) {
    if (pos_ < p_.size() && p_[pos_] == '^') return false;  // negated classes hold non-ASCII
    bool first = true;
    while (pos_ < p_.size() && (p_[pos_] != ']' || first)) {
      first = false;
      std::bitset<128> one;
      const unsigned char c = static_cast<unsigned char>(p_[pos_]);
      if (c >= 0x80 || c == '[') return false;
      if (c == '\\') {
        if (!ParseEscape(&one)) return false;
        *bytes |= one;
        continue;
      }
      ++pos_;
      if (pos_ + 1 < p_.size() && p_[pos_] == '-' && p_[pos_ + 1] != ']') {
        const unsigned char hi = static_cast<unsigned char>(p_[pos_ + 1]);
        if (hi >= 0x80 || hi == '\\' || hi == '[' || hi < c) return false;
        for (unsigned x = c; x <= hi; ++x) bytes->set(x);
        pos_ += 2;
      } else {
        bytes->set(c);
      }
    }
    if (pos_ >= p_.size()) return false;
    ++pos_;  // ']'
    return bytes->any();
  }

  bool ParseNumber(uint32_t* out) {
    size_t start = pos_;
    uint32_t n = 0;
    while (pos_ < p_.size() && p_[pos_] >= '0' && p_[pos_] <= '9' && pos_ - start < 4)
      n = n * 10 + static_cast<uint32_t>(p_[pos_++] - '0');
    *out = n;
    return pos_ > start && pos_ < p_.size() && !(p_[pos_] >= '0' && p_[pos_] <= '9');
  }

  bool ParseQuantifier(uint32_t* min, uint32_t* max) {
    *min = *max = 1;
    if (pos_ >= p_.size()) return true;
    switch (p_[pos_]) {
      case '?':
        *min = 0;
        ++pos_;
        break;
      case '*':
        *min = 0;
        *max = RegexPlan::kUnbounded;
        ++pos_;
        break;
      case '+':
        *max = RegexPlan::kUnbounded;
        ++pos_;
        break;
      case '{':
        ++pos_;
        if (!ParseNumber(min)) return false;
        *max = *min;
        if (p_[pos_] == ',') {
          ++pos_;
          if (pos_ < p_.size() && p_[pos_] == '}') {
            *max = RegexPlan::kUnbounded;
          } else if (!ParseNumber(max) || *max < *min) {
            return false;
          }
        }
        if (pos_ >= p_.size() || p_[pos_] != '}') return false;
        ++pos_;
        break;
      default:
        return true;
    }
    // Lazy or possessive forms change nothing for a whole-text match, but stay rare: RE2.
    return pos_ >= p_.size() || std::strchr("?*+{", p_[pos_]) == nullptr;
  }

  std::string_view p_;
  size_t pos_ = 0;
};

namespace {

// True when every match of `pattern` holds a non-ASCII byte: RE2's prefilter
// needs at least one of its atoms, and every atom has such a byte.
bool NeedsNonAscii(const std::string& pattern) {
  re2::FilteredRE2 filter(1);
  RE2::Options options;
  options.set_log_errors(false);
  int id = 0;
  if (filter.Add(pattern, options, &id) != RE2::NoError) return false;
  std::vector<std::string> atoms;
  filter.Compile(&atoms);
  if (atoms.empty()) return false;
  for (const std::string& atom : atoms)
    if (IsAsciiText(atom)) return false;
  std::vector<int> potential;
  filter.AllPotentials({}, &potential);  // what may match with no atom present
  return potential.empty();
}

}  // namespace

RegexPlan RegexPlan::For(const std::string& pattern) {
  RegexPlan plan;
  if (pattern.size() >= 2 && pattern.front() == '^' && pattern.back() == '$' &&
      pattern[pattern.size() - 2] != '\\') {
    SimplePatternParser parser(std::string_view(pattern).substr(1, pattern.size() - 2));
    plan.simple_ = parser.Parse(&plan.alternatives_);
    if (!plan.simple_) plan.alternatives_.clear();
    std::bitset<128> digits;
    for (char c = '0'; c <= '9'; ++c) digits.set(static_cast<size_t>(c));
    for (Sequence& seq : plan.alternatives_) {
      for (Item& item : seq) item.digits = item.bytes == digits;
      plan.bounds_.push_back(BoundsOf(seq));
    }
  }
  if (!plan.simple_) plan.needs_non_ascii_ = NeedsNonAscii(pattern);
  return plan;
}

RegexPlan::Bounds RegexPlan::BoundsOf(const Sequence& seq) {
  Bounds b;
  for (const Item& item : seq) {
    b.min += item.min;
    b.max = item.max == kUnbounded || b.max == kUnbounded ? kUnbounded : b.max + item.max;
  }
  return b;
}

bool RegexPlan::Matches(const Sequence& seq, const Bounds& bounds, std::string_view s) {
  if (s.size() < bounds.min || (bounds.max != kUnbounded && s.size() > bounds.max)) return false;
  size_t pos = 0;
  for (size_t i = 0; i < seq.size(); ++i) {
    const Item& item = seq[i];
    const size_t count = i + 1 == seq.size() ? s.size() - pos : item.min;
    if (item.digits) {
      if (!IsAsciiDigits(s.substr(pos, count))) return false;
      pos += count;
      continue;
    }
    for (size_t k = 0; k < count; ++k, ++pos) {
      const unsigned char c = static_cast<unsigned char>(s[pos]);
      if (c >= 0x80 || !item.bytes.test(c)) return false;
    }
  }
  return pos == s.size();
}

std::optional<bool> RegexPlan::Match(std::string_view subject) const {
  if (simple_) {
    for (size_t i = 0; i < alternatives_.size(); ++i)
      if (Matches(alternatives_[i], bounds_[i], subject)) return true;
    return false;
  }
  if (needs_non_ascii_ && IsAsciiText(subject)) return false;
  return std::nullopt;
}

}  // namespace policy::eval
