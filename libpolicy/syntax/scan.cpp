#include "libpolicy/syntax/scan.h"

#include <algorithm>
#include <array>

#include "libpolicy/utf8.h"

namespace policy::syntax {
namespace {

constexpr std::array<std::string_view, 37> kReserved = {
    "package", "import",  "param",  "def",    "schema",  "rule",    "for",   "let",
    "where",   "require", "unique", "mostly", "at",      "message", "title", "severity",
    "tags",    "on",      "remedy", "doc",    "if",      "then",    "else",  "all",
    "any",     "none",    "count",  "in",     "not",     "and",     "or",    "implies",
    "matches", "true",    "false",  "null",   "required"};

// Words that open a body extending as far right as it can: each is one more
// level of recursive descent until the enclosing bracket closes.
bool OpensBody(std::string_view w) {
  return w == "if" || w == "all" || w == "any" || w == "none" || w == "count";
}

// Words that start a clause or declaration: no expression spans across them,
// so bodies opened before them have ended.
bool StartsClause(std::string_view w) {
  static constexpr std::array<std::string_view, 19> kWords = {
      "package",  "import", "param",   "def",    "schema", "rule",    "for",
      "let",      "where",  "require", "unique", "at",     "message", "title",
      "severity", "tags",   "on",      "remedy", "mostly"};
  return std::find(kWords.begin(), kWords.end(), w) != kWords.end();
}

bool StartsTopLevel(std::string_view w) {
  return w == "package" || w == "import" || w == "param" || w == "def" || w == "schema" ||
         w == "rule";
}

class Scanner {
 public:
  Scanner(std::string_view text, int max_nesting) : text_(text), max_nesting_(max_nesting) {
    frames_.push_back({'\0', 0, false, 0});
  }

  PreScan Run() {
    while (!stopped_ && pos_ < text_.size()) {
      if (in_template_) {
        ScanTemplateText();
      } else {
        ScanCode();
      }
    }
    return std::move(result_);
  }

 private:
  struct Frame {
    char close;
    int bodies;  // `if`/quantifier bodies opened directly inside this frame
    bool hole;   // a `{...}` hole of a message template
    int level;   // what the frame itself adds to the depth: 1, or 0 for a body
  };

  void Issue(DiagCode code, std::string message, std::size_t begin, std::size_t end) {
    result_.issues.push_back(
        {code, std::move(message), static_cast<uint32_t>(begin), static_cast<uint32_t>(end)});
  }

  void Stop(DiagCode code, std::string message, std::size_t begin, std::size_t end) {
    Issue(code, std::move(message), begin, end);
    stopped_ = true;
  }

  void Deeper(std::size_t begin, std::size_t end) {
    if (++depth_ > max_nesting_) {
      Stop(DiagCode::kSyntaxTooDeep,
           "nesting deeper than " + std::to_string(max_nesting_) + " levels", begin, end);
    }
  }

  void Open(char close, bool hole, std::size_t at) {
    frames_.push_back({close, 0, hole, 1});
    Deeper(at, at + 1);
  }

  // The braces of a rule or schema body hold declarations, not expressions:
  // they are a frame (closing it ends its bodies) but not a level, so an
  // expression may nest as deep inside a rule as in a param.
  void OpenDeclarationBody() { frames_.push_back({'}', 0, false, 0}); }

  // Closes the innermost frame that `close` matches; a stray closer is left
  // for the parser to report.
  void Close(char close) {
    for (std::size_t k = frames_.size(); k-- > 1;) {
      if (frames_[k].close != close) continue;
      bool hole = frames_[k].hole;
      while (frames_.size() > k) {
        depth_ -= frames_.back().level + frames_.back().bodies;
        frames_.pop_back();
      }
      in_template_ = hole;
      return;
    }
  }

  void EndBodies() {
    depth_ -= frames_.back().bodies;
    frames_.back().bodies = 0;
  }

  // Checks the escape at pos_ and moves past it (or past a bad one).
  void ScanEscape() {
    std::string ignored;
    std::size_t end = DecodeEscape(text_, pos_, ignored);
    if (end == std::string_view::npos) {
      std::size_t bad_end = std::min(text_.size(), pos_ + 2);
      Issue(DiagCode::kSyntaxBadEscape, "invalid escape; use \\\" \\\\ \\n \\t or \\u{HEX}", pos_,
            bad_end);
      pos_ = bad_end;
    } else {
      pos_ = end;
    }
  }

  void ScanString() {
    std::size_t open = pos_++;
    while (pos_ < text_.size()) {
      char c = text_[pos_];
      if (c == '"') {
        ++pos_;
        return;
      }
      if (c == '\n' || c == '\r') break;
      if (c == '\\') {
        ScanEscape();
        continue;
      }
      ++pos_;
    }
    Stop(DiagCode::kSyntaxUnterminatedString, "unterminated string", open, open + 1);
  }

  void ScanTemplateText() {
    while (pos_ < text_.size()) {
      char c = text_[pos_];
      if (c == '"') {
        ++pos_;
        in_template_ = false;
        operand_end_ = true;
        return;
      }
      if (c == '\n' || c == '\r') break;
      if (c == '\\') {
        ScanEscape();
        continue;
      }
      if (c == '{' || c == '}') {
        if (pos_ + 1 < text_.size() && text_[pos_ + 1] == c) {
          pos_ += 2;
          continue;
        }
        if (c == '{') {
          in_template_ = false;
          operand_end_ = false;
          Open('}', true, pos_++);
          return;
        }
      }
      ++pos_;
    }
    Stop(DiagCode::kSyntaxUnterminatedString, "unterminated string", template_open_,
         template_open_ + 1);
  }

  void ScanRegex() {
    std::size_t open = pos_++;
    while (pos_ < text_.size()) {
      char c = text_[pos_];
      if (c == '\n' || c == '\r') break;
      if (c == '/') {
        ++pos_;
        operand_end_ = true;
        return;
      }
      if (c == '\\') {
        if (pos_ + 1 < text_.size() && text_[pos_ + 1] != '\n' && text_[pos_ + 1] != '\r') ++pos_;
      }
      ++pos_;
    }
    Stop(DiagCode::kSyntaxUnterminatedRegex, "unterminated regex literal", open, open + 1);
  }

  void ScanWord() {
    std::size_t begin = pos_;
    while (pos_ < text_.size() && IsIdentChar(text_[pos_])) ++pos_;
    std::string_view word = text_.substr(begin, pos_ - begin);
    bool member = after_dot_;
    after_dot_ = false;
    if (member || !IsReservedWord(word) || word == "true" || word == "false" || word == "null" ||
        word == "doc") {
      operand_end_ = true;
      return;
    }
    operand_end_ = false;
    if (OpensBody(word)) {
      ++frames_.back().bodies;
      Deeper(begin, pos_);
    } else if (StartsClause(word)) {
      EndBodies();
    }
    if (StartsTopLevel(word)) result_.resume_points.push_back(static_cast<uint32_t>(begin));
    if (word == "message") template_next_ = true;
    if (word == "rule" || word == "schema") body_next_ = true;
  }

  void ScanCode() {
    char c = text_[pos_];
    if (IsSpace(c)) {
      ++pos_;
      return;
    }
    if (c == '#') {
      while (pos_ < text_.size() && text_[pos_] != '\n') ++pos_;
      return;
    }
    bool template_next = template_next_;
    template_next_ = false;
    bool after_dot = after_dot_;
    after_dot_ = false;
    if (c == '"') {
      if (template_next) {
        template_open_ = pos_++;
        in_template_ = true;
        return;
      }
      ScanString();
      operand_end_ = true;
      return;
    }
    if (IsDigit(c)) {
      while (pos_ < text_.size() && (IsDigit(text_[pos_]) || text_[pos_] == '.')) ++pos_;
      operand_end_ = true;
      return;
    }
    if (IsIdentStart(c)) {
      after_dot_ = after_dot;
      ScanWord();
      return;
    }
    switch (c) {
      case '/':
        if (!operand_end_) {
          ScanRegex();
          return;
        }
        break;
      case '(':
        Open(')', false, pos_);
        break;
      case '[':
        Open(']', false, pos_);
        break;
      case '{':
        if (body_next_) {
          body_next_ = false;
          OpenDeclarationBody();
        } else {
          Open('}', false, pos_);
        }
        break;
      case ')':
      case ']':
      case '}':
        ++pos_;
        Close(c);
        operand_end_ = true;
        return;
      case '.':
        after_dot_ = true;
        break;
      default:
        break;
    }
    ++pos_;
    operand_end_ = false;
  }

  std::string_view text_;
  int max_nesting_;
  std::size_t pos_ = 0;
  std::vector<Frame> frames_;
  int depth_ = 0;
  bool stopped_ = false;
  bool in_template_ = false;
  bool template_next_ = false;
  bool body_next_ = false;  // after `rule`/`schema`, until their `{`
  bool operand_end_ = false;
  bool after_dot_ = false;
  std::size_t template_open_ = 0;
  PreScan result_;
};

}  // namespace

bool IsReservedWord(std::string_view word) {
  return std::find(kReserved.begin(), kReserved.end(), word) != kReserved.end();
}

std::size_t DecodeEscape(std::string_view text, std::size_t pos, std::string& out) {
  if (pos + 1 >= text.size()) return std::string_view::npos;
  switch (text[pos + 1]) {
    case '"':
      out += '"';
      return pos + 2;
    case '\\':
      out += '\\';
      return pos + 2;
    case 'n':
      out += '\n';
      return pos + 2;
    case 't':
      out += '\t';
      return pos + 2;
    case 'u':
      break;
    default:
      return std::string_view::npos;
  }
  std::size_t i = pos + 2;
  if (i >= text.size() || text[i] != '{') return std::string_view::npos;
  ++i;
  uint32_t cp = 0;
  int digits = 0;
  while (i < text.size() && HexDigitValue(text[i]) >= 0 && digits < 6) {
    cp = cp * 16 + static_cast<uint32_t>(HexDigitValue(text[i]));
    ++digits;
    ++i;
  }
  if (digits == 0 || i >= text.size() || text[i] != '}') return std::string_view::npos;
  if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return std::string_view::npos;
  AppendUtf8(cp, out);
  return i + 1;
}

PreScan ScanSource(std::string_view text, int max_nesting) {
  return Scanner(text, max_nesting).Run();
}

}  // namespace policy::syntax
