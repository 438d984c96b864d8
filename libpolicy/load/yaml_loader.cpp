// LoadYaml: libfyaml's event parser drives a YamlBuilder that makes located Values.
//
// Why libfyaml: it implements YAML 1.2 as written (it passes the YAML project's
// conformance suite), where yaml-cpp 0.7 accepted 30 of the suite's 94 invalid
// inputs (an unterminated quoted scalar among them) and refused valid ones
// (README, dependencies). Why events and not its document API: events give exact
// byte marks, anchors by name, every document, and a chance to stop at our own
// limits (depth, alias expansion) before anything is built.
#include <libfyaml.h>

#include <memory>
#include <new>
#include <string>

#include "libpolicy/load/loaders.h"
#include "libpolicy/load/text_internal.h"
#include "libpolicy/load/yaml_builder_internal.h"

namespace policy::load {
namespace {

constexpr std::size_t kNoOffset = std::string_view::npos;

// libfyaml reports errors through a diagnostic object as formatted text
// ("<input>:LINE:COLUMN: error: MESSAGE", then the source line); we keep it all
// and read the first error from it.
struct DiagText {
  std::string text;
};

void CollectDiag(fy_diag*, void* user, const char* buf, size_t len) {
  auto* sink = static_cast<DiagText*>(user);
  if (sink->text.size() < 4096) sink->text.append(buf, len);
}

struct ParsedDiag {
  uint32_t line = 0;  // 1-based, as libfyaml prints them
  uint32_t column = 0;
  std::string message;
};

ParsedDiag ParseDiag(const std::string& text) {
  ParsedDiag d;
  static constexpr std::string_view kError = ": error: ";
  std::size_t at = text.find(kError);
  if (at == std::string::npos) return d;
  std::size_t end = text.find('\n', at);
  d.message =
      text.substr(at + kError.size(), end == std::string::npos ? end : end - at - kError.size());
  // Back over ":LINE:COLUMN" before the marker.
  auto number_before = [&](std::size_t stop, std::size_t* start) -> uint32_t {
    std::size_t i = stop;
    while (i > 0 && text[i - 1] >= '0' && text[i - 1] <= '9') --i;
    *start = i;
    if (i == stop || stop - i > 9) return 0;
    return static_cast<uint32_t>(std::stoul(text.substr(i, stop - i)));
  };
  std::size_t col_start = 0, line_start = 0;
  uint32_t column = number_before(at, &col_start);
  if (column == 0 || col_start == 0 || text[col_start - 1] != ':') return d;
  uint32_t line = number_before(col_start - 1, &line_start);
  if (line == 0) return d;
  d.line = line;
  d.column = column;
  return d;
}

// The byte offset of a 1-based line and code-point column (lines end at LF, CRLF
// or a lone CR, as YAML 1.2 and libfyaml count them); the text's size when past it.
std::size_t OffsetOf(std::string_view text, uint32_t line, uint32_t column) {
  std::size_t i = BomLength(text);
  for (uint32_t l = 1; l < line && i < text.size(); ++i) {
    if (text[i] == '\n' || (text[i] == '\r' && (i + 1 >= text.size() || text[i + 1] != '\n'))) ++l;
  }
  for (uint32_t c = 1; c < column && i < text.size(); ++c) {
    ++i;
    while (i < text.size() && (static_cast<unsigned char>(text[i]) & 0xC0u) == 0x80u) ++i;
  }
  return i;
}

struct ParserDeleter {
  void operator()(fy_parser* p) const { fy_parser_destroy(p); }
};
struct DiagDeleter {
  void operator()(fy_diag* d) const { fy_diag_destroy(d); }
};

// Frees one event when it goes out of scope, also when the builder throws.
class EventHolder {
 public:
  EventHolder(fy_parser* parser, fy_event* event) : parser_(parser), event_(event) {}
  ~EventHolder() { fy_parser_event_free(parser_, event_); }
  EventHolder(const EventHolder&) = delete;
  EventHolder& operator=(const EventHolder&) = delete;

 private:
  fy_parser* parser_;
  fy_event* event_;
};

std::size_t StartOf(fy_event* e) {
  const fy_mark* m = fy_event_start_mark(e);
  return m != nullptr ? m->input_pos : kNoOffset;
}
std::size_t EndOf(fy_event* e) {
  const fy_mark* m = fy_event_end_mark(e);
  return m != nullptr ? m->input_pos : kNoOffset;
}

std::string_view TokenText(fy_token* token) {
  if (token == nullptr) return {};
  size_t len = 0;
  const char* s = fy_token_get_text(token, &len);
  return s != nullptr ? std::string_view(s, len) : std::string_view{};
}

ScalarStyle StyleOf(fy_token* value) {
  switch (fy_token_scalar_style(value)) {
    case FYSS_SINGLE_QUOTED:
      return ScalarStyle::kSingleQuoted;
    case FYSS_DOUBLE_QUOTED:
      return ScalarStyle::kDoubleQuoted;
    case FYSS_LITERAL:
      return ScalarStyle::kLiteral;
    case FYSS_FOLDED:
      return ScalarStyle::kFolded;
    default:
      return ScalarStyle::kPlain;
  }
}

// The content of a single-quoted scalar from its raw text (between the quotes):
// `''` is one quote, and lines fold as YAML 1.2 section 7.3.2 says (white space
// around a line break is dropped; one break reads as a space, n + 1 breaks as n
// newlines). Done here rather than by fy_token_get_text: libfyaml 0.7.12 leaks
// its text buffer on long runs of `''` (found by fuzz_yaml).
void SingleQuotedContent(std::string_view raw, std::string& out) {
  out.clear();
  auto is_white = [](char c) { return c == ' ' || c == '\t'; };
  auto is_break = [](char c) { return c == '\n' || c == '\r'; };
  std::size_t i = 0;
  const std::size_t n = raw.size();
  bool first_line = true;
  while (true) {
    // One line's content: from i to the next break.
    std::size_t end = i;
    while (end < n && !is_break(raw[end])) ++end;
    std::size_t b = i, e = end;
    if (!first_line) {
      while (b < e && is_white(raw[b])) ++b;
    }
    if (end < n) {
      while (e > b && is_white(raw[e - 1])) --e;
    }
    for (std::size_t k = b; k < e; ++k) {
      out += raw[k];
      if (raw[k] == '\'' && k + 1 < e && raw[k + 1] == '\'') ++k;
    }
    if (end >= n) return;
    // Breaks and the blank lines after this one: one break is a space, n + 1 are n newlines.
    std::size_t breaks = 0;
    std::size_t p = end;
    while (true) {
      if (p < n && raw[p] == '\r' && p + 1 < n && raw[p + 1] == '\n') ++p;
      ++p;
      ++breaks;
      std::size_t q = p;
      while (q < n && is_white(raw[q])) ++q;
      if (q < n && is_break(raw[q])) {
        p = q;
        continue;
      }
      break;
    }
    if (breaks == 1) {
      out += ' ';
    } else {
      out.append(breaks - 1, '\n');
    }
    i = p;
    first_line = false;
  }
}

// Runs the parser over the whole text, handing documents to `result`.
class EventLoop {
 public:
  EventLoop(std::string_view text, const std::string& file, const LoadLimits& limits, bool single,
            DocumentsResult& result)
      : text_(text), file_(file), builder_(text, file, limits, single), result_(result) {}

  // Returns false when the parser stopped on a syntax error.
  bool Run(fy_parser* parser) {
    while (fy_event* e = fy_parser_parse(parser)) {
      EventHolder holder(parser, e);
      Handle(e);
    }
    return fy_parser_get_stream_error(parser) == 0;
  }

 private:
  void Handle(fy_event* e) {
    std::size_t start = StartOf(e);
    std::size_t next = kNoOffset;  // where the parser has got to after this event
    switch (e->type) {
      case FYET_DOCUMENT_START: {
        doc_ = std::make_unique<Document>();
        doc_->files.push_back(file_);
        builder_.StartDocument(doc_.get(),
                               e->document_start.document_start != nullptr ? start : kNoOffset);
        next = EndOf(e);
        break;
      }
      case FYET_DOCUMENT_END:
        if (doc_) {
          doc_->root = builder_.have_root() ? builder_.root() : Value::Null();
          result_.documents.push_back(std::move(doc_));
        }
        next = EndOf(e);
        break;
      case FYET_MAPPING_START:
      case FYET_SEQUENCE_START: {
        bool is_map = e->type == FYET_MAPPING_START;
        fy_token* anchor = is_map ? e->mapping_start.anchor : e->sequence_start.anchor;
        builder_.StartContainer(start, TokenText(anchor), is_map);
        next = start;  // a block sequence starts at its first `-`
        break;
      }
      case FYET_MAPPING_END:
      case FYET_SEQUENCE_END:
        builder_.EndContainer();
        next = start;  // a block's end is where the next token starts
        break;
      case FYET_SCALAR: {
        ScalarEvent s;
        s.begin = start;
        s.end = EndOf(e);
        s.style = StyleOf(e->scalar.value);
        s.tag = TokenText(e->scalar.tag);
        s.anchor = TokenText(e->scalar.anchor);
        if (s.style == ScalarStyle::kSingleQuoted && s.begin != kNoOffset && s.end != kNoOffset &&
            s.begin <= s.end && s.end <= text_.size()) {
          SingleQuotedContent(text_.substr(s.begin, s.end - s.begin), scratch_);
          s.value = scratch_;
        } else {
          s.value = TokenText(e->scalar.value);
        }
        builder_.Scalar(s);
        next = s.end;
        break;
      }
      case FYET_ALIAS:
        builder_.Alias(start, TokenText(e->alias.anchor));
        next = EndOf(e);
        break;
      default:
        break;
    }
    if (next != kNoOffset) builder_.SetCursor(next);
  }

  std::string_view text_;
  const std::string& file_;
  YamlBuilder builder_;
  DocumentsResult& result_;
  std::unique_ptr<Document> doc_;
  std::string scratch_;  // a single-quoted scalar's content, until the builder copies it
};

// The parser's first error, located: an unterminated quoted scalar at its quote.
InputError SyntaxError(std::string_view text, const std::string& file, const DiagText& diag) {
  ParsedDiag d = ParseDiag(diag.text);
  if (d.message.empty()) d.message = "the parser cannot make sense of this input";
  if (d.line != 0 && d.message.find("without closing quote") != std::string::npos) {
    std::size_t at = OffsetOf(text, d.line, d.column);
    if (at > 0 && at <= text.size() && (text[at - 1] == '"' || text[at - 1] == '\'') &&
        d.column > 1) {
      --d.column;
    }
  }
  if (d.line == 0) d.line = d.column = 1;
  return MakeError(DiagCode::kInputSyntax, file, d.line, d.column,
                   "YAML syntax error: " + d.message);
}

}  // namespace

DocumentsResult LoadYaml(std::string_view text, const std::string& file, const LoadLimits& limits,
                         bool single) {
  DocumentsResult result;
  if (Result<void> checked = CheckInputText(text, file, limits, true); !checked) {
    result.error = checked.error();
    return result;
  }
  DiagText diag_text;
  fy_diag_cfg diag_cfg;
  fy_diag_cfg_default(&diag_cfg);
  diag_cfg.fp = nullptr;
  diag_cfg.output_fn = CollectDiag;
  diag_cfg.user = &diag_text;
  diag_cfg.level = FYET_ERROR;
  diag_cfg.colorize = false;
  std::unique_ptr<fy_diag, DiagDeleter> diag(fy_diag_create(&diag_cfg));
  fy_parse_cfg cfg{};
  // Our own depth bound (LoadLimits) stops the event stream before libfyaml's
  // fixed one would; YAML 1.2 unless a %YAML directive says otherwise.
  cfg.flags = static_cast<fy_parse_cfg_flags>(FYPCF_QUIET | FYPCF_DEFAULT_VERSION_1_2 |
                                              FYPCF_JSON_NONE | FYPCF_DISABLE_DEPTH_LIMIT);
  cfg.diag = diag.get();
  std::unique_ptr<fy_parser, ParserDeleter> parser(fy_parser_create(&cfg));
  if (!diag || !parser || fy_parser_set_string(parser.get(), text.data(), text.size()) != 0) {
    result.error = MakeError(DiagCode::kInternal, file, 0, 0, "cannot start the YAML parser");
    return result;
  }
  try {
    EventLoop loop(text, file, limits, single, result);
    if (!loop.Run(parser.get())) result.error = SyntaxError(text, file, diag_text);
  } catch (const YamlAbort& abort) {
    result.error = abort.error;
  } catch (const std::bad_alloc&) {
    result.error = MakeError(DiagCode::kInternal, file, 0, 0, "out of memory while reading YAML");
  }
  if (result.error) {
    result.documents.clear();
    return result;
  }
  if (single && result.documents.empty()) {
    auto doc = std::make_unique<Document>();
    doc->files.push_back(file);
    result.documents.push_back(std::move(doc));
  }
  return result;
}

}  // namespace policy::load
