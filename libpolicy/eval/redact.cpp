#include "libpolicy/eval/redact.h"

#include <cctype>
#include <vector>

namespace policy::eval {
namespace {

bool IsContinuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// Byte offset of each code point of `s`, plus s.size() at the end.
std::vector<std::size_t> CodePointOffsets(std::string_view s) {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (!IsContinuation(s[i])) out.push_back(i);
  }
  out.push_back(s.size());
  return out;
}

void ReplaceAll(std::string& s, std::string_view what, std::string_view with) {
  if (what.empty()) return;
  for (std::size_t pos = s.find(what); pos != std::string::npos;
       pos = s.find(what, pos + with.size()))
    s.replace(pos, what.size(), with);
}

}  // namespace

std::string Redact(std::string_view s) {
  const std::vector<std::size_t> cps = CodePointOffsets(s);
  if (cps.size() - 1 < 8) return "****";
  return std::string(s.substr(0, cps[2])) + "****";
}

std::string_view SecretPart(std::string_view value) {
  // ${NAME:-default} or ${NAME-default}, the default holding no reference of its own.
  if (value.size() < 5 || value.substr(0, 2) != "${" || value.back() != '}') return value;
  std::size_t i = 2;
  while (i < value.size() &&
         (std::isalnum(static_cast<unsigned char>(value[i])) || value[i] == '_'))
    ++i;
  if (i == 2) return value;
  if (value.substr(i, 2) == ":-") {
    i += 2;
  } else if (value.substr(i, 1) == "-") {
    i += 1;
  } else {
    return value;
  }
  std::string_view fallback = value.substr(i, value.size() - 1 - i);
  if (fallback.empty() || fallback.find('$') != std::string_view::npos ||
      fallback.find('}') != std::string_view::npos)
    return value;
  return fallback;
}

std::string MaskMessagePiece(std::string_view piece, std::string_view secret, bool is_the_secret) {
  std::string out(piece);
  if (is_the_secret) ReplaceAll(out, secret, Redact(secret));
  return out;
}

std::string MaskSourceLine(std::string_view line, uint32_t column, uint32_t end_column,
                           std::string_view secret) {
  std::string out(line);
  const std::vector<std::size_t> cps = CodePointOffsets(line);
  const std::size_t count = cps.size() - 1;
  if (column == 0 || end_column <= column || end_column - 1 > count) {
    ReplaceAll(out, secret, Redact(secret));
    return out;
  }
  const std::size_t begin = cps[column - 1];
  const std::size_t end = cps[end_column - 1];
  std::string span(line.substr(begin, end - begin));
  const std::string masked = Redact(secret);
  if (!secret.empty() && span.find(secret) != std::string::npos) {
    ReplaceAll(span, secret, masked);
  } else {
    span = masked;  // written with escapes or folded: nothing of it is shown
  }
  return out.replace(begin, end - begin, span);
}

}  // namespace policy::eval
