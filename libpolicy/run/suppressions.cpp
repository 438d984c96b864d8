#include "libpolicy/run/suppressions.h"

#include <algorithm>

namespace policy::run {
namespace {

constexpr std::string_view kMarker = "policy-check:";

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

size_t Indent(std::string_view line) {
  size_t i = 0;
  while (i < line.size() && line[i] == ' ') ++i;
  return i;
}

// Offset of the comment's '#' on a YAML line, outside quotes; npos when none.
size_t CommentStart(std::string_view line) {
  char quote = 0;
  for (size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (quote) {
      if (c == quote) quote = 0;
      continue;
    }
    if (c == '"' || c == '\'') {
      if (i == 0 || line[i - 1] == ' ' || line[i - 1] == ':' || line[i - 1] == '[' ||
          line[i - 1] == ',' || line[i - 1] == '-')
        quote = c;
      continue;
    }
    if (c == '#' && (i == 0 || line[i - 1] == ' ' || line[i - 1] == '\t')) return i;
  }
  return std::string_view::npos;
}

// True when the line's value opens a block scalar (`key: |`, `- >-`, `key: |2`).
bool OpensBlockScalar(std::string_view content) {
  content = Trim(content);
  size_t i = content.size();
  while (i > 0 && (content[i - 1] == '+' || content[i - 1] == '-' ||
                   (content[i - 1] >= '0' && content[i - 1] <= '9')))
    --i;
  if (i == 0 || (content[i - 1] != '|' && content[i - 1] != '>')) return false;
  if (i == 1) return true;
  char before = content[i - 2];
  return before == ' ' || before == ':';
}

void ParseDirective(std::string_view comment, uint32_t line, uint32_t column,
                    std::vector<Directive>& out) {
  comment.remove_prefix(1);  // '#'
  comment = Trim(comment);
  if (comment.substr(0, kMarker.size()) != kMarker) return;
  comment = Trim(comment.substr(kMarker.size()));
  Directive d;
  d.line = line;
  d.column = column;
  if (comment.substr(0, 11) == "ignore-file") {
    d.whole_file = true;
    comment.remove_prefix(11);
  } else if (comment.substr(0, 6) == "ignore") {
    comment.remove_prefix(6);
  } else {
    return;
  }
  if (!comment.empty() && comment.front() != ' ' && comment.front() != '\t') return;
  std::string_view ids = comment;
  if (size_t dash = comment.find("--"); dash != std::string_view::npos) {
    ids = comment.substr(0, dash);
    d.reason = std::string(Trim(comment.substr(dash + 2)));
  }
  std::string current;
  for (char c : ids) {
    if (c == ',' || c == ' ' || c == '\t') {
      if (!current.empty()) d.ids.push_back(current);
      current.clear();
    } else {
      current += c;
    }
  }
  if (!current.empty()) d.ids.push_back(current);
  if (!d.ids.empty()) out.push_back(std::move(d));
}

}  // namespace

std::vector<Directive> ParseDirectives(std::string_view text) {
  std::vector<Directive> out;
  if (text.find(kMarker) == std::string_view::npos) return out;
  uint32_t line_no = 0;
  bool in_block = false;
  size_t block_indent = 0;  // indentation of the line that opened the block
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    ++line_no;
    pos = end + 1;
    std::string_view trimmed = Trim(line);
    if (in_block) {
      if (trimmed.empty() || Indent(line) > block_indent) {
        if (end == text.size()) break;
        continue;
      }
      in_block = false;
    }
    size_t hash = CommentStart(line);
    std::string_view content = hash == std::string_view::npos ? line : line.substr(0, hash);
    if (hash != std::string_view::npos) {
      // Columns count code points; directives are ASCII, the text before may not be.
      uint32_t column = 1;
      for (size_t i = 0; i < hash; ++i)
        if ((static_cast<unsigned char>(line[i]) & 0xC0) != 0x80) ++column;
      ParseDirective(line.substr(hash), line_no, column, out);
    }
    if (OpensBlockScalar(content)) {
      in_block = true;
      block_indent = Indent(line);
      if (Trim(content).substr(0, 1) == "-") block_indent = Indent(line);
    }
    if (end == text.size()) break;
  }
  return out;
}

Directive* FindDirective(std::vector<Directive>& directives, const std::string& rule,
                         const std::vector<std::string>& tags, uint32_t line) {
  for (Directive& d : directives) {
    if (!d.whole_file && d.line != line && d.line + 1 != line) continue;
    for (const std::string& id : d.ids) {
      if (id == rule || std::find(tags.begin(), tags.end(), id) != tags.end()) return &d;
    }
  }
  return nullptr;
}

}  // namespace policy::run
