// LoadDotenv: a .env file as docker compose reads it (compose-go's dotenv
// parser), turned into one map document with every value located. Where
// compose-go would read on past something odd (text after a closing quote, a
// key with a space) this loader stops with an error at that place instead: a
// linter that guesses would judge a different file than compose runs.
#include <string>
#include <string_view>
#include <unordered_map>

#include "libpolicy/load/loaders.h"
#include "libpolicy/load/text_internal.h"

namespace policy::load {
namespace {

// compose-go's isSpace: blanks that are not a line break.
bool Blank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f'; }

bool KeyChar(char c) {
  const auto u = static_cast<unsigned char>(c);
  // Letters and digits of any script (UTF-8 is checked before parsing), and
  // the punctuation compose-go accepts in names.
  return u >= 0x80 || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
         c == '_' || c == '.' || c == '-' || c == '[' || c == ']';
}

// UTF-8 of a code point below 0x800 (an octal escape gives at most 0xFF).
void AppendSmallCodePoint(unsigned cp, std::string& out) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

// The escapes of a double-quoted value, as compose-go reads them: \a \b \f \n
// \r \t \v, \" and \\, an octal \0ddd (three octal digits, at most 0377), and
// \$ as $$ (compose's escaped dollar: the value holds no reference there).
// Any other backslash stays, with what follows it (\x07, \u12e4, \c).
std::string ExpandEscapes(std::string_view raw) {
  std::string out;
  out.reserve(raw.size());
  for (std::size_t i = 0; i < raw.size(); ++i) {
    if (raw[i] != '\\' || i + 1 == raw.size()) {
      out += raw[i];
      continue;
    }
    const char c = raw[i + 1];
    const char* simple = nullptr;
    switch (c) {
      case 'a':
        simple = "\a";
        break;
      case 'b':
        simple = "\b";
        break;
      case 'f':
        simple = "\f";
        break;
      case 'n':
        simple = "\n";
        break;
      case 'r':
        simple = "\r";
        break;
      case 't':
        simple = "\t";
        break;
      case 'v':
        simple = "\v";
        break;
      case '"':
        simple = "\"";
        break;
      case '\\':
        simple = "\\";
        break;
      case '$':
        simple = "$$";
        break;
      default:
        break;
    }
    if (simple != nullptr) {
      out += simple;
      ++i;
      continue;
    }
    if (c == '0') {
      // \0 and up to three digits; only exactly three octal ones are a byte.
      std::size_t end = i + 2;
      while (end < raw.size() && end < i + 5 && raw[end] >= '0' && raw[end] <= '9') ++end;
      const std::string_view digits = raw.substr(i + 2, end - (i + 2));
      unsigned value = 0;
      bool octal = digits.size() == 3;
      for (char d : digits) {
        octal = octal && d <= '7';
        value = value * 8 + static_cast<unsigned>(d - '0');
      }
      if (octal && value <= 0xFF) {
        AppendSmallCodePoint(value, out);
      } else {
        out += raw.substr(i, end - i);
      }
      i = end - 1;
      continue;
    }
    out += '\\';  // not an escape compose knows: the backslash stays
  }
  return out;
}

class DotenvParser {
 public:
  DotenvParser(std::string_view text, const std::string& file, const LoadLimits& limits,
               DotenvResult& result)
      : text_(text), file_(file), limits_(limits), result_(result) {}

  void Run() {
    doc_ = std::make_unique<Document>();
    doc_->files.push_back(file_);
    pos_ = line_start_ = BomLength(text_);
    while (!failed_ && SkipToStatement()) Statement();
    if (failed_) return;
    auto* entries = doc_->arena.AllocateArray<MapEntry>(entries_.size());
    for (std::size_t i = 0; i < entries_.size(); ++i) new (&entries[i]) MapEntry(entries_[i]);
    Value root = Value::Map(entries, static_cast<uint32_t>(entries_.size()));
    Loc loc;
    loc.line = 1;
    loc.column = 1;
    root.set_loc(loc);
    doc_->root = root;
    result_.document = std::move(doc_);
  }

 private:
  struct Seen {
    std::size_t index;  // in entries_
    uint32_t line;
  };

  // 1-based code-point column of `offset` on the current line.
  uint32_t ColumnOf(std::size_t offset) const {
    uint32_t column = 1;
    for (std::size_t i = line_start_; i < offset; ++i)
      if ((static_cast<unsigned char>(text_[i]) & 0xC0) != 0x80) ++column;
    return column;
  }

  void Fail(DiagCode code, uint32_t line, uint32_t column, std::string message) {
    result_.error = MakeError(code, file_, line, column, std::move(message));
    failed_ = true;
  }

  void NewLine(std::size_t lf) {
    ++line_;
    line_start_ = lf + 1;
  }

  // Skips blanks, line breaks and `#` comment lines; false at the end.
  bool SkipToStatement() {
    while (pos_ < text_.size()) {
      const char c = text_[pos_];
      if (c == '\n') {
        if (!CheckLineLength(pos_)) return false;
        NewLine(pos_++);
      } else if (Blank(c)) {
        ++pos_;
      } else if (c == '#') {
        const std::size_t lf = text_.find('\n', pos_);
        pos_ = lf == std::string_view::npos ? text_.size() : lf;
      } else {
        return true;
      }
    }
    CheckLineLength(text_.size());
    return false;
  }

  bool CheckLineLength(std::size_t line_end) {
    if (line_end - line_start_ <= limits_.max_line_length) return true;
    Fail(DiagCode::kInputTooLarge, line_, 1,
         "line longer than " + std::to_string(limits_.max_line_length) + " bytes");
    return false;
  }

  void Statement() {
    const uint32_t line = line_;
    const uint32_t column = ColumnOf(pos_);
    if (text_.substr(pos_, 6) == "export" && pos_ + 6 < text_.size() && Blank(text_[pos_ + 6])) {
      pos_ += 6;
      while (pos_ < text_.size() && Blank(text_[pos_])) ++pos_;
    }
    const std::size_t key_begin = pos_;
    std::size_t key_end = pos_;  // after the last non-blank character of the name
    bool blank_inside = false;
    while (pos_ < text_.size() && text_[pos_] != '=' && text_[pos_] != ':' && text_[pos_] != '\n') {
      const char c = text_[pos_];
      if (Blank(c)) {
        ++pos_;
        continue;
      }
      if (!KeyChar(c)) {
        std::string shown = c == '"' ? "'\"'" : "'" + std::string(1, c) + "'";
        Fail(DiagCode::kInputSyntax, line_, ColumnOf(pos_),
             "unexpected character " + shown +
                 " in a variable name: a line must be KEY=value, a bare KEY or a # comment");
        return;
      }
      if (key_end != pos_ && key_end != key_begin) blank_inside = true;
      key_end = ++pos_;
    }
    const std::string_view key = text_.substr(key_begin, key_end - key_begin);
    if (blank_inside) {
      Fail(DiagCode::kInputSyntax, line, column,
           "a variable name cannot contain a space ('" + std::string(key) + "')");
      return;
    }
    if (key.empty()) {
      // `=value`, or `export` with nothing after it on the line.
      const bool separator = pos_ < text_.size() && text_[pos_] != '\n';
      Fail(DiagCode::kInputSyntax, line, ColumnOf(pos_),
           separator ? "a line must be KEY=value: the name before '" + std::string(1, text_[pos_]) +
                           "' is empty"
                     : std::string("a line must be KEY=value: 'export' needs a name after it"));
      return;
    }
    Loc key_loc;
    key_loc.line = line;
    key_loc.column = ColumnOf(key_begin);
    key_loc.end_line = line;
    key_loc.end_column = ColumnOf(key_end);
    if (pos_ >= text_.size() || text_[pos_] == '\n') {
      // A bare KEY: compose takes its value from the environment it runs in.
      Value v;
      v.set_loc(key_loc);
      Add(key, v, key_loc);
      return;
    }
    ++pos_;  // '=' or ':' (compose-go also reads YAML-style KEY: value)
    while (pos_ < text_.size() && Blank(text_[pos_]) && text_[pos_] != '\n') ++pos_;
    if (pos_ < text_.size() && (text_[pos_] == '"' || text_[pos_] == '\'')) {
      Quoted(key, key_loc);
    } else {
      Unquoted(key, key_loc);
    }
  }

  void Unquoted(std::string_view key, const Loc& key_loc) {
    const std::size_t begin = pos_;
    std::size_t lf = text_.find('\n', pos_);
    if (lf == std::string_view::npos) lf = text_.size();
    std::size_t end = lf;
    // An inline comment begins at " #"; a '#' not after a blank is text (a#b).
    const std::size_t comment = text_.substr(begin, lf - begin).find(" #");
    if (comment != std::string_view::npos) end = begin + comment;
    while (end > begin && (Blank(text_[end - 1]))) --end;
    pos_ = lf;
    if (!CheckLineLength(lf)) return;
    const std::string_view raw = text_.substr(begin, end - begin);
    Value v = MakeString(doc_->arena, raw);
    v.set_loc(SpanLoc(text_, begin, end, line_, ColumnOf(begin), 0));
    Add(key, v, key_loc);
  }

  void Quoted(std::string_view key, const Loc& key_loc) {
    const char quote = text_[pos_];
    const std::size_t open = pos_;
    const uint32_t open_line = line_;
    const uint32_t open_column = ColumnOf(open);
    std::string out;
    bool escape = false;
    std::size_t i = open + 1;
    for (; i < text_.size(); ++i) {
      const char c = text_[i];
      if (c == '\n') {
        if (!CheckLineLength(i)) return;
        NewLine(i);
      }
      if (c == quote && !escape) break;
      // As compose-go collects a quoted value: a backslash stays with the
      // character after it, but an escaped quote is the quote alone.
      if (escape) {
        escape = false;
        if (c != quote) out += '\\';
        out += c;
      } else if (c == '\\') {
        escape = true;
      } else {
        out += c;
      }
      if (out.size() > limits_.max_string_length) {
        Fail(DiagCode::kInputTooLarge, open_line, open_column,
             "string longer than " + std::to_string(limits_.max_string_length) + " bytes");
        return;
      }
    }
    if (i >= text_.size()) {
      Fail(DiagCode::kInputSyntax, open_line, open_column,
           std::string("unterminated quoted value: the ") + (quote == '"' ? "double" : "single") +
               " quote opened here is never closed");
      return;
    }
    pos_ = i + 1;
    // After the closing quote: blanks, then a comment or the end of the line.
    while (pos_ < text_.size() && Blank(text_[pos_])) ++pos_;
    if (pos_ < text_.size() && text_[pos_] != '\n' && text_[pos_] != '#') {
      Fail(DiagCode::kInputSyntax, line_, ColumnOf(pos_),
           "unexpected text after the closing quote (a comment starts with #)");
      return;
    }
    if (quote == '"') out = ExpandEscapes(out);
    Value v = MakeString(doc_->arena, out);
    const Loc loc = SpanLoc(text_, open, i + 1, open_line, open_column, 0);
    v.set_loc(loc);
    uint8_t flags = Value::kQuoted;
    if (loc.end_line != loc.line) flags |= Value::kMultiLine;
    v.set_flags(flags);
    Add(key, v, key_loc);
  }

  void Add(std::string_view key, Value value, const Loc& key_loc) {
    const uint32_t line = key_loc.line;
    auto* node = doc_->arena.AllocateArray<PathNode>(1);
    const std::string_view stored = doc_->arena.Copy(key);
    new (node) PathNode{nullptr, stored, -1};
    value.set_path(node);
    auto [it, fresh] = seen_.try_emplace(std::string(key), Seen{entries_.size(), line});
    if (fresh) {
      entries_.push_back(MapEntry{stored, value});
      return;
    }
    // compose reads the file top to bottom into a map: the later value wins.
    result_.warnings.push_back(
        MakeError(DiagCode::kInputDuplicateVariable, file_, line, key_loc.column,
                  "variable '" + std::string(key) + "' is set again (first at line " +
                      std::to_string(it->second.line) + "); docker compose uses this later value"));
    entries_[it->second.index].value = value;
    it->second.line = line;
  }

  std::string_view text_;
  const std::string& file_;
  const LoadLimits& limits_;
  DotenvResult& result_;
  std::unique_ptr<Document> doc_;
  std::vector<MapEntry> entries_;
  std::unordered_map<std::string, Seen> seen_;
  std::size_t pos_ = 0;
  std::size_t line_start_ = 0;
  uint32_t line_ = 1;
  bool failed_ = false;
};

}  // namespace

DotenvResult LoadDotenv(std::string_view text, const std::string& file, const LoadLimits& limits) {
  DotenvResult result;
  // NUL and other control bytes, and invalid UTF-8, mean a binary or mis-encoded file.
  if (Result<void> checked = CheckInputText(text, file, limits, true); !checked) {
    result.error = std::move(checked).error();
    return result;
  }
  DotenvParser(text, file, limits, result).Run();
  return result;
}

}  // namespace policy::load
