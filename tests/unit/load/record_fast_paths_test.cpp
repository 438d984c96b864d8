// The fast paths of record parsing against the general ones, on hand-picked and
// generated (mostly hostile) input: same values, types, locations, paths and
// errors.
#include <random>
#include <string>
#include <vector>

#include "helpers.h"
#include "libpolicy/load/csv_internal.h"
#include "libpolicy/load/json_internal.h"
#include "libpolicy/load/scalar_typing_internal.h"

namespace policy::load::test {
namespace {

// Everything a record value carries, as text.
void Dump(const Value& v, std::string& out) {
  const Loc& l = v.loc();
  out += std::string(TypeName(v.type())) + "@" + std::to_string(l.line) + ":" +
         std::to_string(l.column) + "-" + std::to_string(l.end_line) + ":" +
         std::to_string(l.end_column) + "/" + std::to_string(l.file) + " f" +
         std::to_string(v.flags()) + " " + RenderPath(v.path()) + " = ";
  switch (v.type()) {
    case Type::kDecimal:
      out += v.as_decimal().ToString();
      break;
    case Type::kString:
      out += "\"" + std::string(v.as_string()) + "\"";
      break;
    case Type::kMap:
      out += "{";
      for (const MapEntry& e : v.as_map()) {
        out += "[" + std::string(e.key) + "] ";
        Dump(e.value, out);
        out += ", ";
      }
      out += "}";
      break;
    case Type::kList:
      out += "[";
      for (const Value& item : v.as_list()) {
        Dump(item, out);
        out += ", ";
      }
      out += "]";
      break;
    default:
      out += ToJson(v);
  }
}

struct JsonOutcome {
  std::string text;  // the dump, or the error
  uint64_t shape = 0;
};

JsonOutcome General(JsonParser& parser, std::string_view line, uint32_t number, Arena& arena) {
  static PathNode root{nullptr, "row", -1};
  Value v;
  JsonError error;
  JsonOutcome out;
  if (!parser.ParseLine(line, number, &root, arena, &v, &error)) {
    out.text = "error " + std::to_string(error.line) + ":" + std::to_string(error.column) + " " +
               error.message;
  } else {
    Dump(v, out.text);
  }
  return out;
}

JsonOutcome Fast(JsonParser& parser, std::string_view line, uint32_t number, Arena& arena) {
  static PathNode root{nullptr, "row", -1};
  Value v;
  JsonError error;
  JsonOutcome out;
  if (!parser.ParseRecord(line, number, &root, arena, &v, &error, &out.shape)) {
    out.text = "error " + std::to_string(error.line) + ":" + std::to_string(error.column) + " " +
               error.message;
  } else {
    Dump(v, out.text);
  }
  return out;
}

// Compares both paths on every line; returns how many lines took the fast path.
size_t CompareJson(const std::vector<std::string>& lines, const LoadLimits& limits = {}) {
  JsonParser general(limits, false);
  JsonParser fast(limits, false);
  Arena arena;
  size_t fast_taken = 0;
  std::vector<std::pair<uint64_t, std::string>> keys_of_shape;
  for (size_t i = 0; i < lines.size(); ++i) {
    arena.Reset();
    auto line_number = static_cast<uint32_t>(7 + i);
    JsonOutcome a = General(general, lines[i], line_number, arena);
    JsonOutcome b = Fast(fast, lines[i], line_number, arena);
    INFO("line: ", lines[i]);
    CHECK(a.text == b.text);
    if (b.shape == 0) continue;
    ++fast_taken;
    // Same shape, same keys in the same order.
    Value v;
    JsonError error;
    PathNode root{nullptr, "row", -1};
    REQUIRE(general.Parse(lines[i], 1, 0, &root, 0, arena, &v, &error));
    std::string keys;
    for (const MapEntry& e : v.as_map()) keys += std::string(e.key) + '\0';
    bool known = false;
    for (const auto& [shape, k] : keys_of_shape) {
      if (shape != b.shape) continue;
      CHECK(k == keys);
      known = true;
    }
    if (!known) keys_of_shape.emplace_back(b.shape, keys);
  }
  return fast_taken;
}

TEST_CASE("jsonl fast path: hand-picked records read as the general parser reads them") {
  std::vector<std::string> lines = {
      R"({"a":"x","b":1,"c":true,"d":false,"e":null})",
      R"(  {  "a" : "x" ,	"b" :	-0.50 , "c":true}  )",
      "\r{\"a\":1,\"b\":2}\r",
      R"({})",
      R"( { } )",
      R"({"a":"é ü","b":"রূপসা ট্রেডার্স","c":"x"})",
      R"({"ключ":"значение","b":2})",
      R"({"a":"q\"uote","b":"\u00e9\ud83d\ude00","c":"tab\tnew\nline","d":"é\\"})",
      R"({"a\"b":1})",
      R"({"a":1,"a":2})",
      R"({"a":1,"b":2,"a":3})",
      R"({"a":01})",
      R"({"a":-})",
      R"({"a":1.})",
      R"({"a":.5})",
      R"({"a":1e5,"b":-2E-3,"c":1e+2,"d":1e})",
      R"({"a":123456789012345678,"b":1234567890123456789,"c":0.00000000000000000001})",
      R"({"a":123456789012345678901234567890123456789})",
      R"({"a":1234567890123456789012345678901234567890.5})",
      R"({"a":-0,"b":0,"c":0.0,"d":-0.000})",
      R"({"a":tru})",
      R"({"a":truex})",
      R"({"a":nul})",
      R"({"a":1 "b":2})",
      R"({"a":1,})",
      R"({"a":1}})",
      R"({"a":1} x)",
      R"({"a" 1})",
      R"({a:1})",
      R"({"a":[1,2],"b":{"c":"d"}})",
      R"({"a":{},"b":[]})",
      R"([1,2])",
      R"("just a string")",
      R"(42)",
      R"({"a":"unterminated)",
      R"({"a":"x",)",
      R"({"a":)",
      R"({"a")",
      R"({)",
      "{\"a\":\"ctrl\x01\"}",
      "{\"a\":\"bad \xC3\x28\"}",
      "{\"a\":\"bad \xE0\x80\x80\"}",
      "{\"a\":\"surrogate \xED\xA0\x80\"}",
      "{\"a\":\"trunc \xE2\x82\"}",
      "{\"a\":1,\xC3\xA9:2}",
      "{\"\xFF\":1}",
      R"({"a":"\x"})",
      R"({"a":"\u12"})",
      R"({"a":"\ud800"})",
      R"({"":1,"b":""})",
      R"({"a":"x"}   )",
  };
  // Long strings cross the 16-byte blocks at every offset.
  for (int len = 0; len < 40; ++len) {
    std::string s(static_cast<size_t>(len), 'x');
    lines.push_back(R"({"k":")" + s + R"(","é":")" + s + "é" + s + R"(","q":")" + s + R"(\""})");
  }
  CompareJson(lines);
  LoadLimits tight;
  tight.max_string_length = 3;
  CompareJson(lines, tight);
  tight.max_depth = 0;
  CompareJson(lines, tight);
}

TEST_CASE("jsonl fast path: the usual records take it and share shapes") {
  std::vector<std::string> lines;
  for (int i = 0; i < 50; ++i) {
    std::string line =
        R"({"id":")" + std::to_string(i) + R"(","n":)" + std::to_string(i * 7) + ".25";
    if (i % 3 != 0) line += R"(,"opt":"x")";
    line += R"(,"name":"é)" + std::to_string(i) + "\"}";
    lines.push_back(line);
  }
  CHECK(CompareJson(lines) == lines.size());
}

// Generated records: mostly well-formed flat objects, with hostile pieces and
// random byte damage mixed in.
TEST_CASE("jsonl fast path: generated records read as the general parser reads them") {
  std::mt19937 rng(12345);
  auto pick = [&](size_t n) { return static_cast<size_t>(rng() % n); };
  const std::vector<std::string> keys = {"\"id\"",  "\"name\"", "\"amount\"", "\"é\"",
                                         "\"a b\"", "\"\"",     "\"k\\\"q\"", "\"x\\u0041\""};
  const std::vector<std::string> values = {"\"plain\"",
                                           "\"é\"",
                                           "\"রূপসা\"",
                                           "\"\"",
                                           "\"esc\\n\\\"\"",
                                           "\"\\u00e9\"",
                                           "0",
                                           "-0",
                                           "12.50",
                                           "-3",
                                           "1e3",
                                           "2E-2",
                                           "0.1",
                                           "123456789012345678",
                                           "1234567890123456789",
                                           "99999999999999999999999999999999999999999",
                                           "true",
                                           "false",
                                           "null",
                                           "[]",
                                           "{}",
                                           "[1,{\"z\":2}]",
                                           "{\"in\":\"ner\"}",
                                           "01",
                                           "1.",
                                           "-",
                                           "tru",
                                           "\"\x01\"",
                                           "\"\xC3\""};
  const std::vector<std::string> blanks = {"", "", "", " ", "\t", "\r", "  "};
  std::vector<std::string> lines;
  for (int r = 0; r < 4000; ++r) {
    std::string line = blanks[pick(blanks.size())] + "{";
    size_t fields = pick(7);
    for (size_t f = 0; f < fields; ++f) {
      if (f != 0) line += blanks[pick(blanks.size())] + ",";
      line += blanks[pick(blanks.size())] + keys[pick(keys.size())] + blanks[pick(blanks.size())] +
              ":" + blanks[pick(blanks.size())] + values[pick(values.size())] +
              blanks[pick(blanks.size())];
    }
    line += "}" + blanks[pick(blanks.size())];
    if (pick(4) == 0 && !line.empty()) {
      // Damage: replace, insert or delete one byte.
      size_t at = pick(line.size());
      const std::string bytes = "{}[]\",:\\ 0-.e\xC3\xA9\x80\x01";
      switch (pick(3)) {
        case 0:
          line[at] = bytes[pick(bytes.size())];
          break;
        case 1:
          line.insert(line.begin() + static_cast<std::ptrdiff_t>(at), bytes[pick(bytes.size())]);
          break;
        default:
          line.erase(at, 1);
      }
    }
    lines.push_back(line);
  }
  size_t fast = CompareJson(lines);
  CHECK(fast > lines.size() / 10);
  LoadLimits tight;
  tight.max_string_length = 4;
  CompareJson(lines, tight);
}

// ---- CSV ---------------------------------------------------------------------

std::string DumpScan(const CsvRecordScan& scan, const std::vector<CsvCell>& cells) {
  std::string out = std::to_string(scan.content_end) + "/" + std::to_string(scan.next) + "/" +
                    std::to_string(scan.lines) + "/" + std::to_string(scan.terminated) + "/" +
                    std::to_string(scan.unterminated_quote) + ":";
  for (const CsvCell& c : cells) {
    out += " [" + std::to_string(c.begin) + "," + std::to_string(c.end) + ") " +
           std::to_string(c.line) + ":" + std::to_string(c.column) + "-" +
           std::to_string(c.end_line) + ":" + std::to_string(c.end_column) + (c.quoted ? "q" : "") +
           (c.escapes ? "e" : "") + (c.bad_utf8 ? "b" : "") + (c.junk ? "j" : "");
  }
  return out;
}

// Scans every record of `text` both ways; returns how many took the fast path.
size_t CompareCsv(const std::string& text, char delimiter = ',') {
  CsvScanner scanner(delimiter);
  std::vector<CsvCell> general_cells;
  std::vector<CsvCell> fast_cells;
  size_t pos = 0;
  size_t fast = 0;
  uint32_t line = 3;
  while (pos < text.size()) {
    CsvRecordScan general = scanner.Scan(text, pos, line, general_cells);
    CsvRecordScan plain;
    // A stale cell from before must not leak into the fast path's result.
    fast_cells.assign(3, CsvCell{1, 2, 3, 4, 5, 6, true, true, true, true});
    if (scanner.ScanPlain(text, pos, line, fast_cells, &plain)) {
      ++fast;
      INFO("record at ", pos, ": ", text.substr(pos, general.next - pos));
      CHECK(DumpScan(plain, fast_cells) == DumpScan(general, general_cells));
    }
    if (general.unterminated_quote || general.next <= pos) break;
    pos = general.next;
    line += general.lines;
  }
  return fast;
}

TEST_CASE("csv fast path: hand-picked records split as the general scanner splits them") {
  const std::string text =
      "a,b,c\n"
      "1,,3\r\n"
      ",,\n"
      "\n"
      "é,রূপসা ট্রেডার্স,x\n"
      "x\ry,z\r\n"
      "\r\n"
      "a,\"q\",b\n"
      "mid\"quote,b\n"
      "bad\xff,x\n"
      "bad \xC3\x28,x\n"
      "trunc \xE2\x82\n"
      "surrogate \xED\xA0\x80,x\n"
      "last,no newline\r";
  CHECK(CompareCsv(text) >= 6);
  CHECK(CompareCsv(text, ';') >= 6);
  CHECK(CompareCsv(text, '\t') >= 6);
  CHECK(CompareCsv("") == 0);
  CHECK(CompareCsv("x") == 1);
  CHECK(CompareCsv("\r") == 1);
}

TEST_CASE("csv fast path: records across 64-byte blocks, UTF-8 at every offset") {
  std::string text;
  for (int len = 0; len < 140; ++len) {
    std::string pad(static_cast<size_t>(len), 'x');
    text += pad + ",é" + pad + "ট,a" + pad + "\n";
    text += pad + "রূ," + pad + "\r\n";
    text += "," + pad + ",\n";
  }
  CHECK(CompareCsv(text) == 3 * 140);
  CHECK(CompareCsv(text.substr(0, text.size() - 1)) == 3 * 140);
}

TEST_CASE("csv fast path: generated records split as the general scanner splits them") {
  std::mt19937 rng(777);
  auto pick = [&](size_t n) { return static_cast<size_t>(rng() % n); };
  const std::vector<std::string> cells = {
      "",
      "x",
      "12.50",
      "é",
      "রূপসা ট্রেডার্স",
      "a b",
      "\r",
      "x\ry",
      "\"q\"",
      "\"a,b\"",
      "\"a\"\"b\"",
      "\"multi\nline\"",
      "m\"id",
      "\"x\"junk",
      "\xff",
      "\xC3",
      "\xE0\x80\x80",
      "\xF0\x9F\x98\x80",
      "\x80x",
      "long text that runs past one block of sixty-four bytes, on and on and on"};
  std::string text;
  for (int r = 0; r < 3000; ++r) {
    size_t n = 1 + pick(25);
    for (size_t c = 0; c < n; ++c) {
      if (c != 0) text += ',';
      text += cells[pick(cells.size())];
    }
    text += pick(5) == 0 ? "\r\n" : "\n";
    if (pick(40) == 0) text += "\n";
  }
  CHECK(CompareCsv(text) > 100);
  CHECK(CompareCsv(text, ';') > 100);
}

TEST_CASE("csv fast path: UTF-8 read a block at a time, edge sequences and every damage") {
  // Sequences at the edges of what the block check takes (E0 and ED second
  // bytes, the two-byte range, four-byte ones it leaves to the sequence reader),
  // shifted across every offset of a block so they straddle block boundaries.
  const std::vector<std::string> pieces = {
      "\xE0\xA0\x80", "\xE0\xBF\xBF", "\xED\x80\x80", "\xED\x9F\xBF",     "\xC2\x80",
      "\xDF\xBF",     "\xEF\xBF\xBF", "\xE1\x80\x80", "\xF0\x9F\x98\x80", "রূপসা ট্রেডার্স"};
  std::string text;
  for (int len = 0; len < 70; ++len) {
    for (const std::string& p : pieces) {
      const std::string pad(static_cast<size_t>(len), 'x');
      text += pad + p + "," + p + p + pad + p + ",a" + p + "\n";
    }
  }
  CHECK(CompareCsv(text) == 70 * pieces.size());
  CHECK(CompareCsv(text.substr(0, text.size() - 1)) == 70 * pieces.size());
  // Every byte of a plain row with Bengali text, at several alignments, replaced
  // by bytes that break (or keep) its UTF-8, and the row cut after every byte:
  // the fast path must take exactly the valid rows and split them as Scan does.
  const std::string row = "id-7,রূপসা ট্রেডার্স,12.50,আমার সোনার বাংলা,x\n";
  const std::string bytes[] = {"\x80", "\xBF", "\xA0", "\xC0", "\xC2", "\xE0",
                               "\xED", "\xF0", "\xFF", "a",    ","};
  for (int len : {0, 1, 2, 13, 40, 61, 62, 63}) {
    const std::string pad(static_cast<size_t>(len), 'y');
    const std::string base = pad + row + pad + row;
    for (size_t i = 0; i < base.size(); ++i) {
      for (const std::string& b : bytes) {
        std::string damaged = base;
        damaged.replace(i, 1, b);
        CompareCsv(damaged + row);
      }
      CompareCsv(base.substr(0, i));
    }
  }
}

// ---- Schema typing -------------------------------------------------------------

TEST_CASE("Decimal::ParsePlain reads what it takes exactly as Decimal::Parse's general path") {
  std::vector<std::string> texts = {"0",   "-0",  "+0",  "12.50", "-3",    "+7.25", ".5",    "5.",
                                    "-.5", "-5.", ".",   "-",     "+",     "",      "1.2.3", "1e3",
                                    " 1",  "1 ",  "1,5", "--1",   "0.000", "007",   "١٢",    "12a"};
  std::string digits;
  for (int n = 1; n <= 21; ++n) {
    digits += static_cast<char>('0' + (n * 7) % 10);
    texts.push_back(digits);
    texts.push_back("-" + digits);
    texts.push_back("0." + digits);
    texts.push_back(digits + ".");
    if (digits.size() > 1)
      texts.push_back(digits.substr(0, digits.size() / 2) + "." + digits.substr(digits.size() / 2));
  }
  texts.push_back("999999999999999999");
  texts.push_back("-999999999999999999");
  texts.push_back("9999999999999999999");
  texts.push_back("99999999999999999.9");
  size_t taken = 0;
  for (const std::string& t : texts) {
    INFO("text: '", t, "'");
    Decimal fast;
    if (!Decimal::ParsePlain(t, &fast)) continue;
    ++taken;
    // An exponent of 0 changes nothing but keeps Parse off its plain fast path.
    std::optional<Decimal> d = Decimal::Parse(t + "e0");
    REQUIRE(d.has_value());
    CHECK(fast.coefficient() == d->coefficient());
    CHECK(fast.scale() == d->scale());
  }
  CHECK(taken > 60);
  Decimal d;
  CHECK(!Decimal::ParsePlain(" 1", &d));
  CHECK(!Decimal::ParsePlain("1e3", &d));
  CHECK(!Decimal::ParsePlain("1234567890123456789", &d));  // 19 digits: Decimal::Parse's
}

// Whether `t` is ParsePlain's form: [+-], then 1 to 19 characters that are
// digits and at most one '.', with 1 to 18 digits.
bool IsPlainMoney(std::string_view t) {
  if (!t.empty() && (t[0] == '+' || t[0] == '-')) t.remove_prefix(1);
  if (t.empty() || t.size() > 19) return false;
  int digits = 0;
  int points = 0;
  for (char c : t) {
    if (c >= '0' && c <= '9') {
      ++digits;
    } else if (c == '.') {
      ++points;
    } else {
      return false;
    }
  }
  return points <= 1 && digits >= 1 && digits <= 18;
}

TEST_CASE(
    "Decimal::ParsePlain on generated text: exactly the plain forms, read as Parse reads them") {
  std::mt19937 rng(2024);
  auto pick = [&](size_t n) { return static_cast<size_t>(rng() % n); };
  const std::string odd = "0123456789.-+eE /:\x80\xff";
  size_t taken = 0;
  for (int r = 0; r < 200000; ++r) {
    std::string t;
    const size_t len = pick(23);
    const size_t mode = pick(3);
    for (size_t k = 0; k < len; ++k) {
      if (mode == 0) {
        t += odd[pick(odd.size())];
      } else if (mode == 1) {
        t += pick(8) == 0 ? '.' : static_cast<char>('0' + pick(10));
      } else {
        t += pick(30) == 0 ? odd[pick(odd.size())] : static_cast<char>('0' + pick(10));
      }
    }
    if (!t.empty() && pick(4) == 0) t[0] = pick(2) == 0 ? '-' : '+';
    INFO("text: '", t, "'");
    Decimal fast;
    const bool took = Decimal::ParsePlain(t, &fast);
    REQUIRE(took == IsPlainMoney(t));
    if (!took) continue;
    ++taken;
    std::optional<Decimal> d = Decimal::Parse(t + "e0");
    REQUIRE(d.has_value());
    CHECK(fast.coefficient() == d->coefficient());
    CHECK(fast.scale() == d->scale());
  }
  CHECK(taken > 50000);
  // Every length and point position of the one-word path, and its neighbours.
  for (size_t len = 1; len <= 10; ++len) {
    for (size_t point = 0; point <= len; ++point) {
      std::string t;
      for (size_t k = 0; k < len; ++k) t += static_cast<char>('1' + (k * 3) % 9);
      if (point < len) t[point] = '.';
      for (const std::string& text : {t, "-" + t, "+" + t}) {
        INFO("text: '", text, "'");
        Decimal fast;
        REQUIRE(Decimal::ParsePlain(text, &fast) == IsPlainMoney(text));
        if (!IsPlainMoney(text)) continue;
        std::optional<Decimal> d = Decimal::Parse(text + "e0");
        REQUIRE(d.has_value());
        CHECK(fast.coefficient() == d->coefficient());
        CHECK(fast.scale() == d->scale());
      }
    }
  }
}

TEST_CASE("Date::ParseIso and FromYmd: every day of 0001..9999 both ways, and no other") {
  // ToYmd (the civil-from-days count) is the reference for the table-based count.
  int32_t days = 0;
  for (std::optional<Date> d = Date(); d; d = d->AddDays(1), ++days) {
    REQUIRE(d->days() == days);
    const std::string text = d->ToString();
    const YearMonthDay ymd = d->ToYmd();
    std::optional<Date> parsed = Date::ParseIso(text);
    std::optional<Date> built = Date::FromYmd(ymd.year, ymd.month, ymd.day);
    if (!parsed || parsed->days() != days || !built || built->days() != days) {
      FAIL("day ", days, " (", text, ") read back wrong");
    }
  }
  CHECK(days == 3652059);
  for (int year : {0, 1, 4, 100, 400, 1900, 2000, 2023, 2024, 9999, 10000}) {
    for (int month = -1; month <= 13; ++month) {
      for (int day = -1; day <= 32; ++day) {
        std::optional<Date> d = Date::FromYmd(year, month, day);
        bool real = false;
        if (d) {
          const YearMonthDay back = d->ToYmd();
          real = back.year == year && back.month == month && back.day == day;
          CHECK(real);
        }
        CAPTURE(year);
        CAPTURE(month);
        CAPTURE(day);
        const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        const int last = month == 2
                             ? (leap ? 29 : 28)
                             : (month == 4 || month == 6 || month == 9 || month == 11 ? 30 : 31);
        const bool expected =
            year >= 1 && year <= 9999 && month >= 1 && month <= 12 && day >= 1 && day <= last;
        CHECK(d.has_value() == expected);
      }
    }
  }
  // A byte that is not a digit where a digit belongs, or not the dash where a
  // dash does, is refused: every byte value at every position (ParseIso reads
  // the text as words, so no byte may carry into a neighbour's check).
  const std::string good = "2024-02-29";
  REQUIRE(Date::ParseIso(good).has_value());
  for (size_t i = 0; i < good.size(); ++i) {
    for (int c = 0; c < 256; ++c) {
      const bool dash = i == 4 || i == 7;
      if (dash ? c == '-' : (c >= '0' && c <= '9')) continue;
      std::string t = good;
      t[i] = static_cast<char>(c);
      INFO("text: '", t, "'");
      CHECK(!Date::ParseIso(t).has_value());
    }
  }
  CHECK(!Date::ParseIso("2023-02-29"));
  CHECK(!Date::ParseIso(" 2024-02-29"));
  CHECK(!Date::ParseIso("2024-02-29 "));
  CHECK(!Date::ParseIso("0000-01-01"));
  CHECK(Date::ParseIso("9999-12-31").has_value());
}

// ---- Chunks --------------------------------------------------------------------

// Reads `text` in chunks of `chunk_bytes`; the line of every record, in order.
std::vector<uint32_t> RecordLines(const std::string& text, RecordFormat format,
                                  std::size_t chunk_bytes) {
  ChunkOptions options;
  options.format = format;
  options.chunk_bytes = chunk_bytes;
  auto reader = OpenRecords("in", options, text);
  RecordParser parser(options, &reader->header(), "in");
  RecordChunk chunk;
  Record rec;
  Arena arena;
  std::optional<InputError> error;
  std::vector<uint32_t> lines;
  while (!error && reader->Next(chunk)) {
    parser.Reset(&chunk);
    while (parser.Next(rec, arena, error)) lines.push_back(rec.line);
    arena.Reset();
  }
  CHECK(!error);
  CHECK(!reader->error());
  return lines;
}

// Reads `text` with two chunks taking turns, as the record pipeline recycles
// them: the bytes handed out, joined, must be the input after its header.
std::string ChunkBytes(const std::string& text, RecordFormat format, std::size_t chunk_bytes) {
  ChunkOptions options;
  options.format = format;
  options.chunk_bytes = chunk_bytes;
  auto reader = OpenRecords("in", options, text);
  RecordChunk chunks[2];
  std::string joined;
  for (int k = 0; reader->Next(chunks[k % 2]); ++k) joined += chunks[k % 2].text;
  CHECK(!reader->error());
  return joined;
}

TEST_CASE("chunks: recycled chunk buffers hand out exactly the input's bytes") {
  std::mt19937 rng(5);
  std::string body;
  for (int r = 0; r < 5000; ++r) {
    // Records from a few bytes to several blocks, so buffers grow and shrink.
    std::string pad(rng() % 7 == 0 ? rng() % 9000 : rng() % 60, static_cast<char>('a' + r % 26));
    body += pad + ",x,\"q\"\n";
  }
  for (std::size_t chunk : {std::size_t{64}, std::size_t{4096}, std::size_t{65536}}) {
    CAPTURE(chunk);
    CHECK(ChunkBytes("a,b,c\n" + body, RecordFormat::kCsv, chunk) == body);
    CHECK(ChunkBytes("\xEF\xBB\xBF"
                     "a,b,c\n" +
                         body,
                     RecordFormat::kCsv, chunk) == body);
    CHECK(ChunkBytes(body, RecordFormat::kJsonLines, chunk) == body);
  }
}

TEST_CASE("chunks: large inputs keep every record's line, whatever the chunk size") {
  std::mt19937 rng(99);
  std::string csv = "a,b,c\n";
  std::string jsonl;
  std::vector<uint32_t> csv_lines;
  std::vector<uint32_t> jsonl_lines;
  uint32_t csv_line = 2;
  uint32_t jsonl_line = 1;
  for (int r = 0; r < 20000; ++r) {
    std::string pad(rng() % 90, 'x');
    if (rng() % 7 == 0) {
      csv_lines.push_back(csv_line);
      csv += "\"q\n" + pad + "\",2,3\n";  // a line break inside a quoted cell
      csv_line += 2;
    } else {
      csv_lines.push_back(csv_line++);
      csv += pad + ",é,3\n";
    }
    if (rng() % 13 == 0) {
      csv += "\n";
      ++csv_line;
    }
    jsonl_lines.push_back(jsonl_line++);
    jsonl += R"({"a":")" + pad + R"(","b":2})" + "\n";
    if (rng() % 13 == 0) {
      jsonl += "  \n";
      ++jsonl_line;
    }
  }
  for (std::size_t chunk : {std::size_t{4096}, std::size_t{65536}, std::size_t{1} << 20}) {
    CAPTURE(chunk);
    CHECK(RecordLines(csv, RecordFormat::kCsv, chunk) == csv_lines);
    CHECK(RecordLines(jsonl, RecordFormat::kJsonLines, chunk) == jsonl_lines);
  }
}

}  // namespace
}  // namespace policy::load::test
