// Partitions (partition.h): a record file split at record boundaries and
// checked piece by piece gives the whole file's findings, lines, messages and
// fingerprints included. The oracle is the whole file's own check.
#include "libpolicy/partition.h"

#include <doctest/doctest.h>

#include <filesystem>
#include <map>
#include <random>
#include <string>

#include "case_support.h"
#include "libpolicy/engine.h"

namespace {

const char* const kRules = R"(
rule PART-001 {
  title "n is small"
  on records
  where row.n != null
  require decimal(row.n) < 10
  at row.n
}
rule PART-002 {
  title "notes say no TODO"
  on records
  where row.note != null
  require not contains(row.note, "TODO")
  at row.note
}
)";

const char* const kWholeInputRules = R"(
rule PART-U {
  title "ids are unique"
  on records
  unique row.id
}
rule PART-M {
  title "n is mostly set"
  on records
  require row.n != null mostly 90%
}
rule PART-3 {
  title "id is set"
  on records
  require row.id != null
}
)";

const policy::Program& Program() {
  static const policy::CompileResult compiled = policy_test::CompileText(kRules);
  REQUIRE_MESSAGE(compiled.program, policy_test::DescribeDiagnostics(compiled.diagnostics));
  return *compiled.program;
}

struct Shape {
  bool crlf = false;
  bool bom = false;
  bool final_newline = true;
  bool json = false;
  char sep = ',';  // '\t': TSV, where a comma is text and a tab needs quotes
};

// Rows with findings here and there, quoted cells holding line breaks, escaped
// quotes and delimiters, and rows with a wrong cell count (SCHEMA findings).
std::string Generate(const Shape& shape, unsigned seed, int rows) {
  std::mt19937 rng(seed);
  const std::string nl = shape.crlf ? "\r\n" : "\n";
  std::string out = shape.bom ? "\xEF\xBB\xBF" : "";
  const std::string sep(1, shape.sep);
  if (!shape.json) out += "id" + sep + "n" + sep + "note" + nl;
  for (int i = 0; i < rows; ++i) {
    const int n = static_cast<int>(rng() % 14);
    std::string note;
    switch (rng() % 6) {
      case 0:
        note = "plain";
        break;
      case 1:
        note = "TODO later";
        break;
      case 2:
        note = "two" + nl + "lines, \"quoted\"";
        break;
      case 3:
        note = "a, \"TODO\"" + nl + nl + "three";
        break;
      default:
        note = "";
        break;
    }
    const bool last = i + 1 == rows;
    const std::string end = last && !shape.final_newline ? "" : nl;
    if (shape.json) {
      if (rng() % 17 == 0) {
        out += "{\"id\": " + std::to_string(i) + ", oops" + end;  // malformed: a problem
        continue;
      }
      std::string escaped;
      for (char c : note) {
        if (c == '"')
          escaped += "\\\"";
        else if (c == '\n')
          escaped += "\\n";
        else if (c == '\r')
          escaped += "\\r";
        else
          escaped += c;
      }
      out += "{\"id\": \"r" + std::to_string(i) + "\", \"n\": " + std::to_string(n) +
             ", \"note\": \"" + escaped + "\"}" + end;
      continue;
    }
    std::string cell = note;
    if (note.find_first_of("\"\r\n" + sep) != std::string::npos) {
      cell = "\"";
      for (char c : note) cell += c == '"' ? std::string("\"\"") : std::string(1, c);
      cell += "\"";
    }
    const bool short_row = rng() % 19 == 0;
    out += "r" + std::to_string(i) + sep + std::to_string(n) + (short_row ? "" : sep + cell) + end;
  }
  return out;
}

// The whole file's findings as a merge would give them: findings in
// partition order, each partition's ":N" repeat numbers counted again over
// the file.
std::vector<policy::Finding> Renumber(std::vector<policy::Finding> findings) {
  std::map<std::string, int> seen;
  for (policy::Finding& f : findings) {
    const std::string base = f.fingerprint.substr(0, f.fingerprint.find(':'));
    const int n = ++seen[f.file + '\0' + base];
    f.fingerprint = n == 1 ? base : base + ":" + std::to_string(n);
  }
  return findings;
}

std::string Describe(const policy::Finding& f) {
  return f.file + ":" + std::to_string(f.line) + ":" + std::to_string(f.column) + "-" +
         std::to_string(f.end_line) + ":" + std::to_string(f.end_column) + " " + f.rule + " " +
         f.message + " [" + f.path + "] " + f.fingerprint + " |" + f.source_line + "|";
}

std::string Describe(const policy::Problem& p) {
  return p.file + ":" + std::to_string(p.line) + ":" + std::to_string(p.column) + " " + p.message;
}

// Checks `in` whole and by partitions of each size; the concatenation must equal the whole.
void ExpectSameByPartitions(const policy::Input& in, const std::vector<uint64_t>& sizes) {
  policy::CheckOptions options;
  options.max_findings = 0;  // every finding listed: --max-findings applies per piece
  options.jobs = 2;
  const policy::Report whole = policy::Check(Program(), {in}, options);
  std::string whole_problems_text;
  for (const policy::Problem& p : whole.problems) whole_problems_text += Describe(p) + "\n";
  REQUIRE_MESSAGE(!whole.findings.empty(), whole_problems_text);
  for (uint64_t size : sizes) {
    CAPTURE(size);
    const policy::Partitions parts = policy::SplitRecords(Program(), in, size);
    REQUIRE(parts.problem.empty());
    REQUIRE(parts.splittable);
    if (size < 2000) CHECK(parts.ranges.size() > 3);
    std::vector<policy::Finding> findings;
    std::vector<std::string> problems;
    std::map<std::string, uint64_t> failed;
    uint64_t covered = 0;
    for (const policy::RecordRange& range : parts.ranges) {
      CHECK(range.begin == covered);
      covered = range.end;
      policy::Input piece = in;
      piece.range = range;
      policy::Report r = policy::Check(Program(), {piece}, options);
      for (policy::Finding& f : r.findings) findings.push_back(std::move(f));
      for (const policy::Problem& p : r.problems) problems.push_back(Describe(p));
      for (const auto& [id, c] : r.by_rule) failed[id] += c.failed;
    }
    findings = Renumber(std::move(findings));
    REQUIRE(findings.size() == whole.findings.size());
    for (size_t i = 0; i < findings.size(); ++i) {
      CAPTURE(i);
      CHECK(Describe(findings[i]) == Describe(whole.findings[i]));
    }
    std::vector<std::string> whole_problems;
    for (const policy::Problem& p : whole.problems) whole_problems.push_back(Describe(p));
    CHECK(problems == whole_problems);
    for (const auto& [id, c] : whole.by_rule) CHECK(failed[id] == c.failed);
  }
}

}  // namespace

TEST_CASE("partitions: CSV pieces give the whole file's findings (quoted line breaks, CRLF, BOM)") {
  int seed = 1;
  for (bool crlf : {false, true})
    for (bool bom : {false, true})
      for (bool final_newline : {true, false}) {
        CAPTURE(crlf);
        CAPTURE(bom);
        CAPTURE(final_newline);
        policy::Input in{"gen.csv", policy::InputKind::kRecords,
                         Generate({crlf, bom, final_newline, false}, seed++, 300)};
        ExpectSameByPartitions(in, {1, 97, 512, 4096});
      }
}

TEST_CASE("partitions: TSV pieces (tabs in quoted cells) give the whole file's findings") {
  Shape shape;
  shape.crlf = true;
  shape.sep = '\t';
  std::string text = Generate(shape, 5, 300);
  // A tab inside a quoted cell, next to a quoted line break: neither ends a cell or record.
  text += "x\t12\t\"a\tTODO\r\nb\"\r\n";
  policy::Input in{"gen.tsv", policy::InputKind::kRecords, text};
  ExpectSameByPartitions(in, {1, 450, 2048});
}

TEST_CASE("partitions: JSON Lines pieces, malformed lines included, give the whole file's answer") {
  for (bool crlf : {false, true}) {
    CAPTURE(crlf);
    policy::Input in{"gen.jsonl", policy::InputKind::kRecords,
                     Generate({crlf, false, false, true}, 7, 300)};
    ExpectSameByPartitions(in, {1, 200, 3000});
  }
}

TEST_CASE("partitions: a file on disk, and a CR-only file, split and check alike") {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("policy_partition_" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::string text = Generate({true, true, false, false}, 11, 400);
  policy_test::WriteFile(dir / "invoices.csv", text);
  ExpectSameByPartitions(policy::Input{(dir / "invoices.csv").string()}, {1, 333, 5000});
  // Old Mac line breaks: every CR LF of the text becomes a lone CR.
  std::string cr;
  for (size_t i = 0; i < text.size(); ++i)
    if (!(text[i] == '\n' && i > 0 && text[i - 1] == '\r')) cr += text[i];
  policy_test::WriteFile(dir / "old.csv", cr);
  ExpectSameByPartitions(policy::Input{(dir / "old.csv").string()}, {1, 777});
  std::filesystem::remove_all(dir);
}

TEST_CASE("partitions: a quote never closed stops the input in the last piece, as whole") {
  std::string text = Generate({}, 9, 200);
  text += "zz,13,\"never closed\nr1,12,TODO\n";
  policy::Input in{"open.csv", policy::InputKind::kRecords, text};
  ExpectSameByPartitions(in, {1, 700});
  const policy::Report whole = policy::Check(Program(), {in}, {});
  REQUIRE(!whole.problems.empty());
  CHECK(whole.problems.back().message.find("unterminated") != std::string::npos);
}

TEST_CASE("partitions: a header issue is the first partition's alone") {
  // A duplicate column name is a SCHEMA finding at line 1, once, however split.
  std::string text = "id,n,n\n";
  for (int i = 0; i < 200; ++i)
    text += "r" + std::to_string(i) + "," + std::to_string(i % 13) + ",x\n";
  policy::Input in{"dup.csv", policy::InputKind::kRecords, text};
  ExpectSameByPartitions(in, {1, 300});
  policy::CheckOptions options;
  const policy::Report whole = policy::Check(Program(), {in}, options);
  REQUIRE(!whole.findings.empty());
  CHECK(whole.findings[0].rule == "SCHEMA");
  CHECK(whole.findings[0].line == 1);
}

TEST_CASE("partitions: the cuts are record boundaries, first lines exact") {
  const std::string text = "id,n,note\na,1,\"x\ny\"\nb,2,z\n\"c\nd\",3,w\n";
  policy::Input in{"t.csv", policy::InputKind::kRecords, text};
  const policy::Partitions parts = policy::SplitRecords(Program(), in, 1);
  REQUIRE(parts.ranges.size() == 4);
  CHECK(parts.ranges[0] == policy::RecordRange{0, 10, 1});   // the header alone
  CHECK(parts.ranges[1] == policy::RecordRange{10, 20, 2});  // a,1,"x\ny"
  CHECK(parts.ranges[2] == policy::RecordRange{20, 26, 4});
  CHECK(parts.ranges[3] == policy::RecordRange{26, 36, 5});
  // Smaller than the target, or 0: one range.
  CHECK(policy::SplitRecords(Program(), in, 0).ranges.size() == 1);
  CHECK(policy::SplitRecords(Program(), in, 1000).ranges ==
        std::vector<policy::RecordRange>{{0, 36, 1}});
}

TEST_CASE("partitions: a range past the file's end is a problem naming the file and the range") {
  policy::Input in{"t.csv", policy::InputKind::kRecords, std::string("id,n\na,1\n")};
  in.range = policy::RecordRange{5, 90, 2};
  const policy::Report r = policy::Check(Program(), {in}, {});
  REQUIRE(r.problems.size() == 1);
  CHECK(r.problems[0].file == "t.csv");
  CHECK(r.problems[0].message.find("byte range 5-90") != std::string::npos);
  // A range inside the header.
  in.range = policy::RecordRange{2, 9, 1};
  const policy::Report h = policy::Check(Program(), {in}, {});
  REQUIRE(h.problems.size() == 1);
  CHECK(h.problems[0].message.find("after the header") != std::string::npos);
  // A file that cannot be opened.
  const policy::Partitions missing =
      policy::SplitRecords(Program(), policy::Input{"/nonexistent/x.csv"}, 10);
  CHECK(missing.ranges.empty());
  CHECK(missing.problem.find("/nonexistent/x.csv") != std::string::npos);
}

TEST_CASE("partitions: a range on a document input is a problem, not a silent whole-file check") {
  policy::Input in{"rows.json", policy::InputKind::kRecords, std::string("[{\"n\": 12}]")};
  in.range = policy::RecordRange{0, 5, 1};
  const policy::Report r = policy::Check(Program(), {in}, {});
  REQUIRE(r.problems.size() == 1);
  CHECK(r.findings.empty());
  CHECK(r.problems[0].message.find("CSV, TSV and JSON Lines") != std::string::npos);
}

TEST_CASE("partitions: WholeInputRules names the selected unique rules (mostly travels)") {
  const auto compiled = policy_test::CompileText(kWholeInputRules);
  REQUIRE(compiled.program);
  CHECK(policy::WholeInputRules(*compiled.program, {}) == std::vector<std::string>{"PART-U"});
  policy::CheckOptions skip;
  skip.skip = {"PART-U"};
  CHECK(policy::WholeInputRules(*compiled.program, skip).empty());
  CHECK(policy::WholeInputRules(Program(), {}).empty());
}
