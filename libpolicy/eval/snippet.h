#pragma once
// A finding's snippet (Finding::source_line) without a copy of a long line per
// finding. While an input is checked, a finding keeps its line itself when the
// line is short (every ordinary line), and a long line (minified JSON, a
// one-line compose file) is shared by all the findings on it. Finishing
// (run/finish.cpp) masks the secrets on a long line once, then cuts it to a
// window around each finding's column: the report never holds a long line per
// finding, and the text report never prints one.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace policy::eval {

// Lines up to this many bytes are shown whole; longer ones are cut to this
// many bytes around the finding's column, with "…" where text was left out.
inline constexpr std::size_t kSnippetMaxBytes = 240;
// Of the window, the bytes before the finding's column (where the line allows).
inline constexpr std::size_t kSnippetBeforeBytes = 80;

// Where a finding keeps its line until it is finished.
struct KeptLine {
  std::string short_line;                        // a line of at most kSnippetMaxBytes
  std::shared_ptr<const std::string> long_line;  // a longer one, shared
};

// Shares the long lines of one text among the findings on them: the same line
// (the same bytes of the same text) gives the same copy. The texts the lines
// point into must stay alive and unchanged until Forget().
class LineKeeper {
 public:
  KeptLine Keep(std::string_view line);
  // Called when the texts lines were kept from may go away (a new chunk).
  void Forget();

 private:
  const char* data_ = nullptr;
  std::size_t size_ = 0;
  std::shared_ptr<const std::string> line_;
};

// A secret written on a line, as run/finish.cpp collects them: masked with
// MaskSourceLine's rules wherever the line is shown.
struct LineSecret {
  uint32_t column = 0;  // code points, end exclusive; 0: unknown (every occurrence is masked)
  uint32_t end_column = 0;
  std::string text;
};

// A long line's window: `text` starts with "…" when text before it was left
// out, and ends with "…" when text after it was. `column` is where the
// finding's column is in `text` (secrets masked before it move it).
struct Snippet {
  std::string text;
  uint32_t column = 1;
};

// Cuts one long line for the findings on it, which come in column order: each
// cut walks on from the previous one, so N findings on a line of L bytes cost
// O(L + N * window), not O(N * L). The line is never masked whole: each window
// is widened to hold every secret it touches, then masked, so no part of a
// secret shows at its edges.
class LineCutter {
 public:
  LineCutter(std::shared_ptr<const std::string> line, std::vector<LineSecret> secrets);
  // The window around code-point `column` (1-based; past the end: the end).
  Snippet Cut(uint32_t column);

 private:
  struct Span {  // a secret written at known bytes [begin, end) of the line
    std::size_t begin, end;
    const std::string* text;
  };
  // Widens [begin, end) to hold every secret it touches; moves `at` to the
  // start of a secret it falls inside.
  void Widen(std::size_t& begin, std::size_t& end, std::size_t& at) const;
  // line[begin, end) with the secrets inside it masked.
  std::string Masked(std::size_t begin, std::size_t end) const;

  std::shared_ptr<const std::string> line_;
  std::vector<LineSecret> secrets_;
  std::vector<Span> spans_;                   // by begin
  std::vector<const std::string*> unplaced_;  // secrets without a usable span
  std::size_t byte_ = 0;  // a code point's offset, at or before the next column asked for
  uint32_t column_ = 1;   // its column
};

}  // namespace policy::eval
