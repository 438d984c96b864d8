// Findings' snippets: short lines kept whole, long lines shared, then cut to a
// window around the finding's column.
#include "libpolicy/eval/snippet.h"

#include <doctest/doctest.h>

#include <string>

#include "libpolicy/source.h"

using policy::eval::kSnippetMaxBytes;
using policy::eval::LineCutter;
using policy::eval::LineKeeper;

TEST_CASE("snippet: a short line is kept whole, never shared") {
  LineKeeper keeper;
  const std::string line(kSnippetMaxBytes, 'a');
  policy::eval::KeptLine kept = keeper.Keep(line);
  CHECK(kept.short_line == line);
  CHECK(kept.long_line == nullptr);
}

TEST_CASE("snippet: the findings on one long line share one copy of it") {
  LineKeeper keeper;
  const std::string text = std::string(1000, 'a') + "\n" + std::string(1000, 'b');
  const std::string_view first(text.data(), 1000);
  policy::eval::KeptLine a = keeper.Keep(first);
  policy::eval::KeptLine b = keeper.Keep(first);
  REQUIRE(a.long_line != nullptr);
  CHECK(a.short_line.empty());
  CHECK(a.long_line == b.long_line);  // the same copy
  CHECK(*a.long_line == std::string(1000, 'a'));
  policy::eval::KeptLine c = keeper.Keep(std::string_view(text).substr(1001));
  CHECK(c.long_line != a.long_line);
  CHECK(*c.long_line == std::string(1000, 'b'));
  keeper.Forget();
  CHECK(keeper.Keep(first).long_line != a.long_line);
}

namespace {

LineCutter Cutter(const std::string& line, std::vector<policy::eval::LineSecret> secrets = {}) {
  return LineCutter(std::make_shared<const std::string>(line), std::move(secrets));
}

const std::string kMark = "\xE2\x80\xA6";  // "…"

}  // namespace

TEST_CASE("snippet: a long line is cut around the column, with marks where text was left out") {
  std::string line;
  for (int i = 0; i < 200; ++i) line += "k" + std::to_string(i % 10) + "=v, ";  // 1200 bytes
  LineCutter cutter = Cutter(line);
  policy::eval::Snippet start = cutter.Cut(1);
  CHECK(start.column == 1);
  CHECK(start.text == line.substr(0, kSnippetMaxBytes) + kMark);

  policy::eval::Snippet middle = cutter.Cut(501);
  CHECK(middle.text == kMark + line.substr(420, kSnippetMaxBytes) + kMark);
  CHECK(middle.column == 82);  // "…" and the 80 bytes before column 501
  CHECK(middle.text.substr(3 + 80, 5) == line.substr(500, 5));

  // Near the end the window still holds kSnippetMaxBytes, ending with the line.
  policy::eval::Snippet end = cutter.Cut(1190);
  CHECK(end.text == kMark + line.substr(1200 - kSnippetMaxBytes));
  CHECK(end.column == 1 + (1189 - 960) + 1);

  // Out of column order still gives the same windows.
  CHECK(cutter.Cut(501).text == middle.text);
  CHECK(cutter.Cut(5000).text == end.text);  // past the end: the end
}

TEST_CASE("snippet: cuts fall between code points") {
  std::string line;
  for (int i = 0; i < 300; ++i) line += "\xE0\xA7\xA7";  // "১", 3 bytes, 900 in all
  policy::eval::Snippet s = Cutter(line).Cut(151);       // byte 450
  // 80 bytes before byte 450 start inside a code point: the window starts at
  // the next one, 78 bytes (26 code points) before the column.
  CHECK(s.text == kMark + line.substr(372, kSnippetMaxBytes) + kMark);
  CHECK(s.column == 1 + 26 + 1);
}

TEST_CASE("snippet: a window is widened to mask a secret at its edge whole") {
  std::string line(1200, 'x');
  const std::string placed = "TOPSECRETVALUE123";   // known columns, across the window's start
  const std::string unplaced = "HIDDENPASSWORD99";  // no columns, across the window's end
  line.replace(410, placed.size(), placed);
  line.replace(650, unplaced.size(), unplaced);
  line.replace(500, 5, "VALUE");
  LineCutter cutter =
      Cutter(line, {{411, static_cast<uint32_t>(411 + placed.size()), placed}, {0, 0, unplaced}});
  policy::eval::Snippet s = cutter.Cut(501);
  INFO(s.text);
  CHECK(s.text.find("TO****") != std::string::npos);
  CHECK(s.text.find("HI****") != std::string::npos);
  for (const std::string& piece : {std::string("SECRET"), std::string("VALUE123"),
                                   std::string("PASSWORD"), std::string("WORD99")})
    CHECK(s.text.find(piece) == std::string::npos);
  // The column is where the finding is in the masked text.
  CHECK(s.text.substr(s.column - 1 + 2, 5) == "VALUE");  // "…" is 3 bytes, 1 column
}

TEST_CASE("snippet: a finding inside a secret points at the secret's start") {
  std::string line(1000, 'x');
  line.replace(500, 16, "SuperSecretValue");
  policy::eval::Snippet s = Cutter(line, {{501, 517, "SuperSecretValue"}}).Cut(505);
  CHECK(s.text.find("Secret") == std::string::npos);
  CHECK(s.text.substr(s.column - 1 + 2, 6) == "Su****");
}
