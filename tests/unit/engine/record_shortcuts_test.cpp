// Work the engine does once per input, per record shape or per repeated value
// instead of per record must not change what is found: fields picked by name
// when JSON Lines records change their keys, rules whose `where` depends on the
// file alone, and bindings remembered by the values they read.
#include <doctest/doctest.h>

#include "case_support.h"
#include "libpolicy/engine.h"

namespace {

const char* const kRules = R"(
rule SHP-001 {
  title "id fields are short"
  on records
  for key, value in row
  where key matches /_id$/ and value != null
  require len(string(value)) < 4
  at value
}

rule SHP-002 {
  title "rows of 2024 files have a year"
  on records
  let label = capture(file, /(20[0-9][0-9])/, 1)
  where label != null
  require row.year == label
  at row.year
}

rule SHP-003 {
  title "codes are upper case, and quoted when they start with 0"
  on records
  for key, value in row
  where key matches /code$/
  where value != null
  require upper(value) == value and (not starts_with(value, "0") or is_quoted(value))
  at value
}

rule SHP-004 {
  title "rate fits the kind"
  on records
  where row.kind != null
  require (row.kind == "std" and row.rate == "15") or (row.kind == "low" and row.rate != "15")
  at row.rate
}
)";

const policy::Program& Program() {
  static const std::shared_ptr<const policy::Program> program =
      policy_test::CompileText(kRules).program;
  return *program;
}

policy::Report Check(std::string path, policy::RecordFormat format, std::string text,
                     unsigned jobs = 1) {
  policy::Input in{std::move(path), policy::InputKind::kRecords, std::move(text)};
  in.format = format;
  policy::CheckOptions settings;
  settings.jobs = jobs;
  return policy::Check(Program(), {in}, settings);
}

std::vector<std::pair<std::string, uint32_t>> Found(const policy::Report& r) {
  std::vector<std::pair<std::string, uint32_t>> out;
  for (const auto& f : r.findings) out.emplace_back(f.rule, f.line);
  return out;
}

// The program of one rule file's text, which must compile.
std::shared_ptr<const policy::Program> ProgramOf(const char* rules) {
  policy::CompileResult compiled = policy_test::CompileText(rules);
  REQUIRE(compiled.program != nullptr);
  return compiled.program;
}

// "RULE LINE:COLUMN MESSAGE" for each finding, in report order.
std::vector<std::string> Described(const policy::Report& r) {
  std::vector<std::string> out;
  for (const auto& f : r.findings)
    out.push_back(f.rule + " " + std::to_string(f.line) + ":" + std::to_string(f.column) + " " +
                  f.message);
  return out;
}

}  // namespace

TEST_CASE("record shapes: JSON Lines records that change their keys") {
  // Keys appear, vanish and change order from one record to the next.
  std::string text =
      "{\"a_id\": \"12345\", \"n\": 1}\n"
      "{\"a_id\": \"1\", \"n\": 1}\n"
      "{\"n\": 1, \"b_id\": \"123456\"}\n"
      "{\"b_id\": \"9\", \"a_id\": \"99999\"}\n"
      "{\"n\": 2}\n"
      "{\"a_id\": \"77777\", \"n\": 1}\n";
  policy::Report r = Check("rows.jsonl", policy::RecordFormat::kJsonLines, text);
  using Lines = std::vector<std::pair<std::string, uint32_t>>;
  CHECK(Found(r) == Lines{{"SHP-001", 1}, {"SHP-001", 3}, {"SHP-001", 4}, {"SHP-001", 6}});
  const policy::RuleCounters& c = r.by_rule.at("SHP-001");
  CHECK(c.evaluated == 6);  // the id fields
  CHECK(c.skipped == 5);    // the n fields
  CHECK(c.failed == 4);
}

TEST_CASE("record shapes: CSV columns picked by name on every row") {
  std::string text = "x_id,n,y_id\n1,2,3\n12345,2,3\n1,2,34567\n";
  policy::Report one = Check("rows.csv", policy::RecordFormat::kCsv, text, 1);
  policy::Report two = Check("rows.csv", policy::RecordFormat::kCsv, text, 2);
  using Lines = std::vector<std::pair<std::string, uint32_t>>;
  CHECK(Found(one) == Lines{{"SHP-001", 3}, {"SHP-001", 4}});
  CHECK(Found(two) == Found(one));
  CHECK(one.by_rule.at("SHP-001").evaluated == 6);
  CHECK(one.by_rule.at("SHP-001").skipped == 3);
}

TEST_CASE("record shapes: a where on the file name alone decides for the whole input") {
  std::string text = "year,n\n2024,1\n2023,2\n";
  policy::Report unlabeled = Check("rows.csv", policy::RecordFormat::kCsv, text);
  CHECK(unlabeled.findings.empty());
  CHECK(unlabeled.by_rule.at("SHP-002").skipped == 2);
  CHECK(unlabeled.by_rule.at("SHP-002").evaluated == 0);

  policy::Report labeled = Check("rows-2024.csv", policy::RecordFormat::kCsv, text);
  REQUIRE(labeled.findings.size() == 1);
  CHECK(labeled.findings[0].line == 3);
  CHECK(labeled.by_rule.at("SHP-002").evaluated == 2);
}

TEST_CASE("record shortcuts: repeated values are decided once, failures every time") {
  // Each value repeats many times; the failing ones must fail on every record,
  // whatever passed before with the same text but another quoting.
  std::string text = "code,kind,rate\n";
  for (int i = 0; i < 3000; ++i) {
    switch (i % 5) {
      case 0:
        text += "AB,std,15\n";
        break;
      case 1:
        text += "ab,std,15\n";
        break;  // SHP-003
      case 2:
        text += "\"01\",low,5\n";
        break;
      case 3:
        text += "01,low,15\n";
        break;  // SHP-003 (unquoted), SHP-004
      default:
        text += ",,\n";
        break;  // skipped by both
    }
  }
  for (unsigned jobs : {1u, 2u}) {
    policy::CheckOptions options;
    options.jobs = jobs;
    options.max_findings = 0;
    policy::Input in{"codes.csv", policy::InputKind::kRecords, text};
    policy::Report r = policy::Check(Program(), {in}, options);
    const policy::RuleCounters& code = r.by_rule.at("SHP-003");
    CHECK(code.evaluated == 2400);
    CHECK(code.skipped == 600 + 3000 * 2);  // empty codes; kind and rate by name
    CHECK(code.failed == 1200);
    const policy::RuleCounters& rate = r.by_rule.at("SHP-004");
    CHECK(rate.evaluated == 2400);
    CHECK(rate.skipped == 600);
    CHECK(rate.failed == 600);
    REQUIRE(r.findings.size() == 1800);
    uint32_t expected_line = 3;
    size_t code_findings = 0;
    for (const auto& f : r.findings)
      if (f.rule == "SHP-003") {
        CHECK(f.line == expected_line);
        expected_line += expected_line % 5 == 3 ? 2 : 3;  // rows 1 and 3 of each 5
        ++code_findings;
      }
    CHECK(code_findings == 1200);
  }
}

TEST_CASE("record shortcuts: a for over a constant collection, unrolled per element") {
  // Constant lets are read as constants, and the for over them is compiled once
  // per element: row[field] becomes a schema-field read where the schema has the
  // field, a lookup by name where it does not; the messages still see the names.
  std::shared_ptr<const policy::Program> program = ProgramOf(R"P(
schema item {
  name : string
  qty  : decimal
}

rule UNR-001 {
  title "listed fields are filled"
  on records(item)
  let wanted = {"name": "the name", "qty": "the quantity", "note": "a note"}
  for field, what in wanted
  where field != "note" or row.qty != null
  require row[field] != null and trim(string(row[field])) != ""
  at row[field]
  message "{field} is missing: give {what}"
}

rule UNR-002 {
  title "positions"
  on records
  where file == "sizes.csv"
  for i, limit in [3, 5]
  where i == 0 or row.kind == "big"
  require decimal(row.size) <= limit
  message "size {row.size} is over {limit} (limit {i})"
}
)P");
  std::string items = "name,qty,note\nbolt,2,x\n,3,\n \t,,y\n";
  std::string sizes = "kind,size\nbig,4\nsmall,4\nbig,6\nsmall,2\n";
  for (unsigned jobs : {1u, 2u}) {
    policy::CheckOptions settings;
    settings.jobs = jobs;
    policy::Report r =
        policy::Check(*program,
                      {policy::Input{"items.csv", policy::InputKind::kRecords, items},
                       policy::Input{"sizes.csv", policy::InputKind::kRecords, sizes}},
                      settings);
    std::vector<std::string> messages = Described(r);
    CHECK(messages == std::vector<std::string>{
                          "UNR-001 3:1 name is missing: give the name",
                          "UNR-001 3:4 note is missing: give a note",
                          "UNR-001 4:1 name is missing: give the name",
                          "UNR-001 4:4 qty is missing: give the quantity",
                          "UNR-002 2:1 size 4 is over 3 (limit 0)",
                          "UNR-002 3:1 size 4 is over 3 (limit 0)",
                          "UNR-002 4:1 size 6 is over 3 (limit 0)",
                          "UNR-002 4:1 size 6 is over 5 (limit 1)",
                      });
    const policy::RuleCounters& fields = r.by_rule.at("UNR-001");
    CHECK(fields.evaluated == 8);  // name and qty on 3 rows, note where qty is set
    CHECK(fields.skipped == 1);
    CHECK(fields.failed == 4);
    const policy::RuleCounters& limits = r.by_rule.at("UNR-002");
    CHECK(limits.evaluated == 6);
    CHECK(limits.skipped == 3 + 2);  // the rows of items.csv, and small kinds at i == 1
  }
}

TEST_CASE("record shortcuts: inlined defs and typed fields in an unrolled for") {
  // `filled` is inlined at its call, `type(row.qty)` is decided by the schema,
  // and a for with nothing but `require` after it evaluates passing elements
  // without binding them: failures and errors must still come out whole.
  std::shared_ptr<const policy::Program> program = ProgramOf(R"P(
schema part {
  code : string
  qty  : decimal
  due  : date
}

def filled(v) = v != null and (type(v) != "string" or trim(v) != "")

rule INL-001 {
  title "parts are complete"
  on records(part)
  for field in ["code", "qty", "due"]
  require filled(row[field]) and (type(row.qty) != "string")
  at row[field]
  message "{field} is empty"
}

rule INL-002 {
  title "quantities are positive"
  on records(part)
  for field in ["qty"]
  require row[field] / (row.qty - 1) > 0
  at row[field]
  message "{field} {row[field]} is not positive"
}
)P");
  std::string parts = "code,qty,due\nA1,2,2024-01-31\n  ,3,\nB2,1,2024-02-01\n";
  for (unsigned jobs : {1u, 2u}) {
    policy::CheckOptions settings;
    settings.jobs = jobs;
    policy::Report r = policy::Check(
        *program, {policy::Input{"parts.csv", policy::InputKind::kRecords, parts}}, settings);
    std::vector<std::string> messages = Described(r);
    CHECK(messages ==
          std::vector<std::string>{
              "INL-001 3:1 code is empty",
              "INL-001 3:6 due is empty",
              "INL-002 4:1 evaluation error (decimal.division_by_zero): division by zero",
          });
    const policy::RuleCounters& complete = r.by_rule.at("INL-001");
    CHECK(complete.evaluated == 9);
    CHECK(complete.failed == 2);
    const policy::RuleCounters& positive = r.by_rule.at("INL-002");
    CHECK(positive.evaluated == 3);
    CHECK(positive.failed == 0);
    CHECK(positive.errors == 1);
  }
}

TEST_CASE("record shortcuts: ASCII values of a text rule pass without evaluation") {
  // TXT-like rules fold to true for ASCII text, so ASCII cells are only
  // counted; everything else is evaluated, and a rule that does not fold (a
  // length check) evaluates every cell.
  std::shared_ptr<const policy::Program> program = ProgramOf(R"P(
rule ASC-001 {
  title "text is NFC, ids hold no zero-width characters"
  on records
  for key, value in row
  where type(value) == "string"
  let nfc_ok = not is_bengali(value) or is_nfc(value)
  let zw_ok = not (value matches /[\x{200B}-\x{200D}\x{FEFF}]/) or not (key matches /_id$/)
  require nfc_ok and zw_ok
  at value
  message "{key}: {if not nfc_ok then "not NFC" else "zero-width character"}"
}

rule ASC-002 {
  title "values are short"
  on records
  for key, value in row
  where value != null
  require len(normalize_digits(value)) < 3
  at value
}
)P");
  // Row 2: ASCII only. Row 3: a decomposed Bengali vowel sign (U+09C7 U+09BE,
  // not NFC) in `name`, a zero-width space in `a_id`. Row 4: composed Bengali
  // (NFC) and a zero-width joiner outside an id field.
  std::string text =
      "name,a_id,note\n"
      "ab,x1,ok\n"
      "\xe0\xa6\x95\xe0\xa7\x87\xe0\xa6\xbe,x\xe2\x80\x8b"
      "1,ok\n"
      "\xe0\xa6\x95\xe0\xa7\x8b,x1,a\xe2\x80\x8d"
      "b\n";
  for (unsigned jobs : {1u, 2u}) {
    policy::CheckOptions settings;
    settings.jobs = jobs;
    policy::Report r = policy::Check(
        *program, {policy::Input{"rows.csv", policy::InputKind::kRecords, text}}, settings);
    std::vector<std::string> found = Described(r);
    CHECK(found == std::vector<std::string>{
                       "ASC-001 3:1 name: not NFC",
                       "ASC-002 3:1 values are short: len(normalize_digits(value)) (3) < 3 (3)",
                       "ASC-001 3:5 a_id: zero-width character",
                       "ASC-002 3:5 values are short: len(normalize_digits(value)) (3) < 3 (3)",
                       "ASC-002 4:7 values are short: len(normalize_digits(value)) (3) < 3 (3)",
                   });
    CHECK(r.by_rule.at("ASC-001").evaluated == 9);
    CHECK(r.by_rule.at("ASC-001").failed == 2);
    CHECK(r.by_rule.at("ASC-002").evaluated == 9);
    CHECK(r.by_rule.at("ASC-002").failed == 3);
  }
  // Values of other types are skipped by the where's type test alone.
  std::string lines =
      "{\"name\": 5, \"a_id\": null, \"note\": \"x\"}\n"
      "{\"name\": true, \"a_id\": \"x\xe2\x80\x8b\", \"note\": [1]}\n";
  policy::Report j = policy::Check(
      *program, {policy::Input{"rows.jsonl", policy::InputKind::kRecords, lines}}, {});
  CHECK(j.by_rule.at("ASC-001").evaluated == 2);
  CHECK(j.by_rule.at("ASC-001").skipped == 4);
  CHECK(j.by_rule.at("ASC-001").failed == 1);
}

TEST_CASE("record shortcuts: trim(x) != \"\" answered for text, evaluated in full otherwise") {
  std::shared_ptr<const policy::Program> program = ProgramOf(R"P(
rule TRM-001 {
  title "notes are not blank"
  on records
  require trim(row.note) != "" and not (trim(row.code) == "")
  at row.note
}
)P");
  std::string text =
      "{\"note\": \"a\", \"code\": \"x\"}\n"
      "{\"note\": \" \\t\", \"code\": \"x\"}\n"
      "{\"note\": null, \"code\": \"x\"}\n"
      "{\"note\": 5, \"code\": \"x\"}\n"
      "{\"note\": \"b\", \"code\": \"\\u2003\"}\n";
  policy::Report r = policy::Check(
      *program, {policy::Input{"notes.jsonl", policy::InputKind::kRecords, text}}, {});
  std::vector<std::string> found;
  for (const auto& f : r.findings) found.push_back(std::to_string(f.line) + " " + f.message);
  CHECK(
      found ==
      std::vector<std::string>{
          "2 notes are not blank: trim(row.note) != \"\" and not (trim(row.code) == \"\") is false",
          "4 evaluation error (type.mismatch): trim(): argument 1 must be a string, got decimal",
          "5 notes are not blank: trim(row.note) != \"\" and not (trim(row.code) == \"\") is false",
      });
  CHECK(r.by_rule.at("TRM-001").evaluated == 5);
  CHECK(r.by_rule.at("TRM-001").errors == 1);
}

TEST_CASE("record shortcuts: builtins that return text unchanged skip the call, nothing else") {
  std::shared_ptr<const policy::Program> program = ProgramOf(R"P(
rule IDN-001 {
  title "normalised values"
  on records
  let got = digits_only(normalize_digits(trim(string(row.x))))
  require got == row.want
  message "{row.x} gives {got}"
}
)P");
  std::string text =
      "{\"x\": \"1234\", \"want\": \"1234\"}\n"
      "{\"x\": \" 12-34 \", \"want\": \"1234\"}\n"
      "{\"x\": \"\xe0\xa7\xa7\xe0\xa7\xa8.3\", \"want\": \"123\"}\n"
      "{\"x\": 12.50, \"want\": \"1250\"}\n"
      "{\"x\": \"a b\", \"want\": \"ab\"}\n"
      "{\"x\": null, \"want\": null}\n"
      "{\"x\": \"(017) 1\", \"want\": \"x\"}\n";
  policy::Report r = policy::Check(
      *program, {policy::Input{"values.jsonl", policy::InputKind::kRecords, text}}, {});
  std::vector<std::string> found;
  for (const auto& f : r.findings) found.push_back(std::to_string(f.line) + " " + f.message);
  CHECK(found == std::vector<std::string>{"7 (017) 1 gives 0171"});
  CHECK(r.by_rule.at("IDN-001").evaluated == 7);
}

TEST_CASE("record shortcuts: conditions that are not bools are evaluation errors, named") {
  std::shared_ptr<const policy::Program> program = ProgramOf(R"P(
rule BOO-001 {
  title "where on text"
  on records
  where row.s
  require true
}

rule BOO-002 {
  title "and on a number"
  on records
  require row.flag and row.n
}

rule BOO-003 {
  title "not on text"
  on records
  require not row.s
}

rule BOO-004 {
  title "require on text"
  on records
  require row.s
}

rule BOO-005 {
  title "or decided early"
  on records
  require row.flag or row.n
}
)P");
  std::string text = "{\"s\": \"x\", \"n\": 1, \"flag\": true}\n";
  policy::Report r =
      policy::Check(*program, {policy::Input{"b.jsonl", policy::InputKind::kRecords, text}}, {});
  std::vector<std::string> found;
  for (const auto& f : r.findings) found.push_back(f.rule + " " + f.message);
  CHECK(found == std::vector<std::string>{
                     "BOO-001 evaluation error (type.not_bool): `where` needs a bool, got string",
                     "BOO-002 evaluation error (type.not_bool): 'and' needs a bool, got decimal",
                     "BOO-003 evaluation error (type.not_bool): 'not' needs a bool, got string",
                     "BOO-004 evaluation error (type.not_bool): `require` needs a bool, got string",
                 });
  CHECK(r.by_rule.at("BOO-002").errors == 1);
  CHECK(r.by_rule.at("BOO-002").evaluated == 1);
  CHECK(r.by_rule.at("BOO-005").evaluated == 1);
  CHECK(r.by_rule.at("BOO-005").errors == 0);
}

TEST_CASE("record shortcuts: presence tests on one value answered at once, in full otherwise") {
  std::shared_ptr<const policy::Program> program = ProgramOf(R"P(
rule PRS-001 {
  title "note is present"
  on records
  require row.note != null and (type(row.note) != "string" or trim(row.note) != "")
}

rule PRS-002 {
  title "note is present text"
  on records
  require row.note != null and trim(row.note) != ""
}
)P");
  std::string text =
      "{\"note\": \"a\"}\n"
      "{\"note\": \" \\u3000\"}\n"
      "{\"note\": null}\n"
      "{\"note\": 5}\n"
      "{\"note\": [1]}\n"
      "{\"other\": 1}\n";
  policy::Report r = policy::Check(
      *program, {policy::Input{"notes.jsonl", policy::InputKind::kRecords, text}}, {});
  std::vector<std::string> found;
  for (const auto& f : r.findings) found.push_back(f.rule + " " + std::to_string(f.line));
  CHECK(found == std::vector<std::string>{"PRS-001 2", "PRS-002 2", "PRS-001 3", "PRS-002 3",
                                          "PRS-002 4", "PRS-002 5", "PRS-001 6", "PRS-002 6"});
  CHECK(r.by_rule.at("PRS-001").failed == 3);
  CHECK(r.by_rule.at("PRS-002").failed == 3);
  CHECK(r.by_rule.at("PRS-002").errors == 2);  // trim() of a number and of a list
}
