#include "libpolicy/report/escape.h"

#include <cstdio>

namespace policy::report {
namespace {

// Bidirectional formatting characters (Unicode TR9: embeddings, overrides,
// isolates, marks) and the separators some terminals take as line breaks.
bool IsBidiOrSeparator(char32_t c) {
  return c == 0x061C || c == 0x200E || c == 0x200F || (c >= 0x202A && c <= 0x202E) ||
         (c >= 0x2066 && c <= 0x2069) || c == 0x2028 || c == 0x2029;
}

std::string Hex(const char* format, unsigned value) {
  char buf[16];
  std::snprintf(buf, sizeof buf, format, value);
  return buf;
}

}  // namespace

TextUnit DecodeUnit(std::string_view text, std::size_t i) {
  const auto lead = static_cast<unsigned char>(text[i]);
  TextUnit invalid{lead, 1, false};
  if (lead < 0x80) return {lead, 1, true};
  std::size_t extra;
  char32_t c;
  if (lead >= 0xC2 && lead <= 0xDF) {
    extra = 1;
    c = lead & 0x1Fu;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    extra = 2;
    c = lead & 0x0Fu;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    extra = 3;
    c = lead & 0x07u;
  } else {
    return invalid;
  }
  if (i + extra >= text.size()) return invalid;  // the text ends inside the sequence
  for (std::size_t k = 1; k <= extra; ++k) {
    const auto b = static_cast<unsigned char>(text[i + k]);
    if ((b & 0xC0u) != 0x80u) return invalid;
    c = (c << 6) | (b & 0x3Fu);
  }
  // Overlong forms, surrogates and values past U+10FFFF are not UTF-8.
  static constexpr char32_t kMin[] = {0, 0x80, 0x800, 0x10000};
  if (c < kMin[extra] || (c >= 0xD800 && c <= 0xDFFF) || c > 0x10FFFF) return invalid;
  return {c, extra + 1, true};
}

std::string UnitEscape(const TextUnit& unit, bool keep_line_breaks) {
  const char32_t c = unit.code_point;
  if (!unit.valid) return Hex("\\x%02X", static_cast<unsigned>(c));
  if (c == '\t') return {};
  if ((c == '\n' || c == '\r') && keep_line_breaks) return {};
  if (c < 0x20 || (c >= 0x7F && c <= 0x9F)) return Hex("\\x%02X", static_cast<unsigned>(c));
  if (IsBidiOrSeparator(c)) return Hex("\\u%04X", static_cast<unsigned>(c));
  return {};
}

std::string TerminalSafe(std::string_view text, bool keep_line_breaks) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    const auto byte = static_cast<unsigned char>(text[i]);
    // Printable ASCII, the common case, needs no decoding.
    if (byte >= 0x20 && byte < 0x7F) {
      out += text[i++];
      continue;
    }
    const TextUnit unit = DecodeUnit(text, i);
    std::string escape = UnitEscape(unit, keep_line_breaks);
    if (escape.empty()) {
      out.append(text.substr(i, unit.length));
    } else {
      out += escape;
    }
    i += unit.length;
  }
  return out;
}

}  // namespace policy::report
