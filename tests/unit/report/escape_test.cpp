// Terminal safety (E8): control characters and bidirectional overrides from
// inputs never reach a terminal or an Actions log as themselves.
#include "libpolicy/report/escape.h"

#include <doctest/doctest.h>

#include <string>

#include "libpolicy/report.h"

using policy::report::TerminalSafe;

namespace {

// Every byte a terminal acts on, absent from `text`.
bool HasNoControls(const std::string& text, bool line_breaks_allowed = false) {
  for (unsigned char c : text) {
    if (c == '\t' || (line_breaks_allowed && (c == '\n' || c == '\r'))) continue;
    if (c < 0x20 || c == 0x7F) return false;
  }
  // C1 controls as UTF-8 (C2 80..C2 9F) and the bidi overrides (E2 80 AA..AE, E2 81 A6..A9).
  for (std::size_t i = 0; i + 1 < text.size(); ++i) {
    auto a = static_cast<unsigned char>(text[i]), b = static_cast<unsigned char>(text[i + 1]);
    if (a == 0xC2 && b >= 0x80 && b <= 0x9F) return false;
    if (i + 2 < text.size() && a == 0xE2) {
      auto c = static_cast<unsigned char>(text[i + 2]);
      if ((b == 0x80 && c >= 0xAA && c <= 0xAE) || (b == 0x81 && c >= 0xA6 && c <= 0xA9))
        return false;
    }
  }
  return true;
}

policy::Finding Hostile() {
  policy::Finding f;
  f.rule = "X-1";
  f.severity = policy::Severity::kError;
  f.file = "evil\x1b]0;pwned\x07.yaml";
  f.line = 2;
  f.column = 12;
  f.end_line = 2;
  f.end_column = 17;
  f.message = "value 'a\x1b[2Jb' \xE2\x80\xAEtxt.exe\r\nfake.yaml:1:1: error: forged";
  f.source_line = "    name: \x1b[31mred";
  return f;
}

}  // namespace

TEST_CASE("escape: controls, DEL, C1, bidi and separators are written as escapes") {
  CHECK(TerminalSafe("plain text, 100% ASCII") == "plain text, 100% ASCII");
  CHECK(TerminalSafe("a\x1b[31mb") == "a\\x1B[31mb");
  CHECK(TerminalSafe(std::string("nul\0!", 5)) == "nul\\x00!");
  CHECK(TerminalSafe("cr\rlf\n") == "cr\\x0Dlf\\x0A");
  CHECK(TerminalSafe("cr\rlf\n", /*keep_line_breaks=*/true) == "cr\rlf\n");
  CHECK(TerminalSafe("tab\tkept") == "tab\tkept");
  CHECK(TerminalSafe("del\x7f") == "del\\x7F");
  CHECK(TerminalSafe("csi\xC2\x9B") == "csi\\x9B");          // U+009B, the 8-bit CSI
  CHECK(TerminalSafe("rlo\xE2\x80\xAEx") == "rlo\\u202Ex");  // RIGHT-TO-LEFT OVERRIDE
  CHECK(TerminalSafe("fsi\xE2\x81\xA8x") == "fsi\\u2068x");  // FIRST STRONG ISOLATE
  CHECK(TerminalSafe("ls\xE2\x80\xA8x") == "ls\\u2028x");    // LINE SEPARATOR
  CHECK(TerminalSafe("\xD8\x9C") == "\\u061C");              // ARABIC LETTER MARK
  // Printable non-ASCII is kept as written.
  CHECK(TerminalSafe("\xE0\xA6\xB0\xE0\xA6\xBE\xE0\xA6\xB8 caf\xC3\xA9 \xF0\x9F\x90\xB3") ==
        "\xE0\xA6\xB0\xE0\xA6\xBE\xE0\xA6\xB8 caf\xC3\xA9 \xF0\x9F\x90\xB3");
  // Bytes that are not UTF-8 are shown as bytes (a lone 0x9B is CSI to 8-bit terminals).
  CHECK(TerminalSafe("a\x9b"
                     "b") == "a\\x9Bb");
  CHECK(TerminalSafe("\xC3") == "\\xC3");
  CHECK(TerminalSafe("\xE2\x80") == "\\xE2\\x80");
  CHECK(TerminalSafe("\xC0\xAF") == "\\xC0\\xAF");           // overlong '/'
  CHECK(TerminalSafe("\xED\xA0\x80") == "\\xED\\xA0\\x80");  // a surrogate
}

TEST_CASE("escape: every byte value alone comes out free of controls") {
  for (int b = 0; b < 256; ++b) {
    std::string one(1, static_cast<char>(b));
    CAPTURE(b);
    CHECK(HasNoControls(TerminalSafe(one)));
    CHECK(HasNoControls(TerminalSafe("\xC2" + one)));
    CHECK(HasNoControls(TerminalSafe("\xE2\x80" + one)));
    CHECK(HasNoControls(TerminalSafe("\xE2\x81" + one)));
  }
}

TEST_CASE("escape: the text report escapes file, message and source line, the caret follows") {
  policy::Report r;
  r.findings.push_back(Hostile());
  policy::report::Context ctx;
  ctx.color = true;  // our own colour codes stay; the input's are escaped
  std::string out = policy::report::FormatText(r, ctx);
  CHECK(out.find("evil\\x1B]0;pwned\\x07.yaml:2:12") != std::string::npos);
  CHECK(out.find("value 'a\\x1B[2Jb' \\u202Etxt.exe\\x0D\\x0Afake.yaml:1:1: error: forged") !=
        std::string::npos);
  ctx.color = false;
  out = policy::report::FormatText(r, ctx);
  std::size_t lines = 0;
  for (char c : out) lines += c == '\n' ? 1 : 0;
  CHECK(lines == 3);  // headline, source line, caret: nothing forged
  CHECK(HasNoControls(out, /*line_breaks_allowed=*/true));
  // Column 12 is the "[" after ESC: the escape is 4 columns wide, so the caret
  // stands under "[31mr" shifted by the 3 extra columns.
  CHECK(out.find("      name: \\x1B[31mred\n" + std::string(16, ' ') + "^~~~~\n") !=
        std::string::npos);

  policy::Problem problem{"bad\x1b[8m.yaml", 1, 1, "cannot parse \x1b[8mhidden", false};
  r.findings.clear();
  r.problems.push_back(problem);
  out = policy::report::FormatText(r, ctx);
  CHECK(out == "bad\\x1B[8m.yaml:1:1: error: cannot parse \\x1B[8mhidden\n");
}

TEST_CASE("escape: GitHub annotations escape controls, then %, CR and LF their own way") {
  policy::Report r;
  r.findings.push_back(Hostile());
  policy::report::Context ctx;
  std::string out = policy::report::FormatGithub(r, ctx);
  CHECK(out ==
        "::error file=evil\\x1B]0;pwned\\x07.yaml,line=2,col=12,title=X-1::value "
        "'a\\x1B[2Jb' \\u202Etxt.exe%0D%0Afake.yaml:1:1: error: forged\n");
  CHECK(HasNoControls(out.substr(0, out.size() - 1)));
}

TEST_CASE("escape: the caret counts an escape's columns") {
  using policy::report::CaretLine;
  CHECK(CaretLine("a\x1b"
                  "bc",
                  3, 4) == "     ^");  // "a\x1B" is 5 columns
  CHECK(CaretLine("\xE2\x80\xAE"
                  "x",
                  2, 3) == "      ^");  // "\u202E" is 6 columns
  CHECK(CaretLine("a\x1b"
                  "bc",
                  2, 3) == " ^~~~");  // the ESC itself, underlined
  CHECK(CaretLine("\tx", 2, 3) == "\t^");
}
