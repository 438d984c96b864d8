// The record pipeline's shortcuts must find what the general evaluation finds:
// decimal expressions computed without Values, presence tests read from the
// typed row, strings the loader marked ASCII, and the memo's table under many
// keys. Each case states what the language says, not what the code does.
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "case_support.h"
#include "libpolicy/engine.h"

namespace {

const char* const kRules = R"(
schema item {
  net  : decimal
  rate : decimal
  vat  : decimal
  note : string
  code : string
}

def present(v) = v != null and (type(v) != "string" or trim(v) != "")

rule LANE-VAT {
  title "vat is rate percent of net, to the paisa"
  on records(item)
  require row.vat == round(row.net * (row.rate ?? 15) / 100, 2)
  at row.vat
}

rule LANE-DIV {
  title "net per rate point is not negative"
  on records(item)
  where row.net != null
  require row.net / row.rate >= 0
  at row.net
}

rule LANE-PRESENT {
  title "net and note are filled in"
  on records(item)
  for field in ["net", "note"]
  require present(row[field])
  at row[field]
}

rule LANE-ASCII {
  title "notes stay ASCII after the a-to-Bengali swap"
  on records(item)
  where row.note != null
  require not is_bengali(replace(row.note, "a", "অ"))
  at row.note
}

rule LANE-NFC {
  title "text is NFC"
  on records
  for key, value in row
  where type(value) == "string"
  require is_nfc(value)
  at value
}

rule LANE-GUARD {
  title "guarded total"
  on records(item)
  let n = row.net
  where n != null and row.rate != null and row.vat != null
  require n + row.vat > row.rate
  at row.vat
}

rule LANE-FIELDS {
  title "code and note fields are short, and never x"
  on records
  for key, value in row
  where key matches /^(code|note)$/ and value != null
  require len(value) < 3 and (value != "x" or value + 0 > 0)
  at value
}

rule LANE-CODE {
  title "codes are upper case"
  on records(item)
  where row.code != null
  require upper(row.code) == row.code
  at row.code
}
)";

const policy::Program& Program() {
  static const std::shared_ptr<const policy::Program> program = [] {
    policy::CompileResult compiled = policy_test::CompileText(kRules);
    INFO(policy_test::DescribeDiagnostics(compiled.diagnostics));
    REQUIRE(compiled.program != nullptr);
    return compiled.program;
  }();
  return *program;
}

policy::Report Check(const std::string& text, unsigned jobs = 1) {
  policy::Input in{"items.csv", policy::InputKind::kRecords, text};
  in.format = policy::RecordFormat::kCsv;
  policy::CheckOptions settings;
  settings.jobs = jobs;
  settings.max_findings = 0;  // list them all
  return policy::Check(Program(), {in}, settings);
}

// The lines of `rule`'s findings, in report order.
std::vector<uint32_t> LinesOf(const policy::Report& r, const std::string& rule) {
  std::vector<uint32_t> out;
  for (const auto& f : r.findings)
    if (f.rule == rule) out.push_back(f.line);
  return out;
}

const policy::Finding* FirstOf(const policy::Report& r, const std::string& rule) {
  for (const auto& f : r.findings)
    if (f.rule == rule) return &f;
  return nullptr;
}

}  // namespace

TEST_CASE("record lanes: decimal expressions, exact and null-aware") {
  const std::string text =
      "net,rate,vat,note,code\n"
      "100.00,15,15.00,x,A\n"                                  // 2: passes
      "0.1,15,0.02,x,A\n"                                      // 3: 0.015 rounds up
      "0.1,15,0.01,x,A\n"                                      // 4: fails
      "200,,30.00,x,A\n"                                       // 5: rate null: 15
      ",15,,x,A\n"                                             // 6: null == null
      ",15,1,x,A\n"                                            // 7: null != 1
      "9223372036854775807,15,1383505805528216371.05,x,A\n"    // 8: past 64 bits
      "99999999999999999999,15,14999999999999999999.85,x,A\n"  // 9: 20 digits
      "-3070.55,15,-460.58,x,A\n"                              // 10: half away from zero
      "3070.55,7.5,230.29,x,A\n";                              // 11: 230.29125
  for (unsigned jobs : {1u, 2u}) {
    CAPTURE(jobs);
    policy::Report r = Check(text, jobs);
    CHECK(LinesOf(r, "LANE-VAT") == std::vector<uint32_t>{4, 7});
    CHECK(r.by_rule.at("LANE-VAT").evaluated == 10);
  }
}

TEST_CASE("record lanes: a division by zero is an evaluation error, not a pass") {
  policy::Report r = Check("net,rate,vat,note,code\n5,0,0.75,x,A\n5,5,0.75,x,A\n-5,5,-0.75,x,A\n");
  const policy::Finding* f = FirstOf(r, "LANE-DIV");
  REQUIRE(f != nullptr);
  CHECK(f->line == 2);
  CHECK(f->kind == policy::FindingKind::kEvaluationError);
  CHECK(f->message.find("division by zero") != std::string::npos);
  CHECK(LinesOf(r, "LANE-DIV") == std::vector<uint32_t>{2, 4});
  CHECK(r.by_rule.at("LANE-DIV").errors == 1);
}

TEST_CASE("record lanes: presence of typed fields, blank text and numbers") {
  const std::string text =
      "net,rate,vat,note,code\n"
      "1,15,0.15,x,A\n"    // 2: both present
      "1,15,0.15,   ,A\n"  // 3: blank note
      ",15,,x,A\n"         // 4: no net
      "0,15,0.00, y ,A\n"  // 5: 0 is present; padded text too
      "1,15,0.15,,A\n";    // 6: empty note
  policy::Report r = Check(text);
  CHECK(LinesOf(r, "LANE-PRESENT") == std::vector<uint32_t>{3, 4, 6});
  CHECK(r.by_rule.at("LANE-PRESENT").evaluated == 10);
  CHECK(r.by_rule.at("LANE-PRESENT").failed == 3);
}

TEST_CASE("record lanes: text made from an ASCII cell is not taken for ASCII") {
  // replace() turns an ASCII note into Bengali text: what the loader knew of
  // the cell must not follow the new string.
  const std::string text =
      "net,rate,vat,note,code\n"
      "1,15,0.15,xyz,A\n"            // 2: nothing replaced
      "1,15,0.15,abc,A\n"            // 3: becomes Bengali
      "1,15,0.15,\xe0\xa6\x95,A\n";  // 4: Bengali already
  policy::Report r = Check(text);
  CHECK(LinesOf(r, "LANE-ASCII") == std::vector<uint32_t>{3, 4});
}

TEST_CASE("record lanes: text hygiene counts every string, ASCII or not") {
  // U+09C7 U+09BE is the decomposed form of U+09CB: not NFC.
  const std::string decomposed = "\xe0\xa6\x95\xe0\xa7\x87\xe0\xa6\xbe";
  const std::string composed = "\xe0\xa6\x95\xe0\xa7\x8b";
  const std::string text =
      "net,rate,vat,note,code\n"
      "1,15,0.15,plain,A\n"
      "1,15,0.15," +
      composed +
      ",A\n"
      "1,15,0.15," +
      decomposed +
      ",A\n"
      "1,15,,\"quoted, \"\"ascii\"\"\",A\n";
  for (unsigned jobs : {1u, 2u}) {
    CAPTURE(jobs);
    policy::Report r = Check(text, jobs);
    CHECK(LinesOf(r, "LANE-NFC") == std::vector<uint32_t>{4});
    // Strings: note and code on each of 4 rows; the rest are numbers or null.
    CHECK(r.by_rule.at("LANE-NFC").evaluated == 8);
    CHECK(r.by_rule.at("LANE-NFC").skipped == 12);
  }
}

TEST_CASE("record lanes: thousands of repeated keys, some long, decided like the first time") {
  // 3,000 codes (a third of them long Bengali text) seen 4 times each in an
  // interleaved order; the lower-case ones fail on every record that has them.
  std::string text = "net,rate,vat,note,code\n";
  const std::string bengali = "\xe0\xa6\x95\xe0\xa6\xbe\xe0\xa6\xb0\xe0\xa6\x96\xe0\xa6\xbe";
  std::vector<uint32_t> failing;
  uint32_t line = 1;
  for (int round = 0; round < 4; ++round) {
    for (int i = 0; i < 3000; ++i) {
      const int k = (i * 7919 + round * 13) % 3000;
      std::string code = "C" + std::to_string(k);
      if (k % 3 == 0) code = bengali + bengali + bengali + std::to_string(k);  // > 19 bytes
      if (k % 500 == 7) code = "c" + std::to_string(k);                        // lower case
      text += "1,15,0.15,x," + code + "\n";
      ++line;
      if (k % 500 == 7) failing.push_back(line);
    }
  }
  policy::Report one = Check(text, 1);
  policy::Report two = Check(text, 2);
  CHECK(LinesOf(one, "LANE-CODE") == failing);
  CHECK(LinesOf(two, "LANE-CODE") == failing);
  CHECK(one.by_rule.at("LANE-CODE").evaluated == 12000);
  CHECK(one.by_rule.at("LANE-CODE").failed == failing.size());
}

TEST_CASE("record lanes: a chain of null guards skips a record when any one is null") {
  const std::string text =
      "net,rate,vat,note,code\n"
      "1,15,20,x,A\n"  // 2: 21 > 15
      ",15,20,x,A\n"   // 3: net null: skipped
      "1,,20,x,A\n"    // 4: rate null: skipped
      "1,15,,x,A\n"    // 5: vat null: skipped
      "1,15,2,x,A\n";  // 6: 3 > 15 fails
  policy::Report r = Check(text);
  CHECK(LinesOf(r, "LANE-GUARD") == std::vector<uint32_t>{6});
  CHECK(r.by_rule.at("LANE-GUARD").evaluated == 2);
  CHECK(r.by_rule.at("LANE-GUARD").skipped == 3);
}

TEST_CASE("record lanes: fields picked by name fail and fail to evaluate as the full walk says") {
  // A for over the record's fields with one where and require decides passing
  // fields with two tests; failures and errors must still be reported in full.
  const std::string text =
      "net,rate,vat,note,code\n"
      "1,15,0.15,7,ABCD\n"  // 2: code too long; note 7 passes
      "1,15,0.15,x,A\n";    // 3: code A passes; note x: "x" + 0 fails to evaluate
  for (unsigned jobs : {1u, 2u}) {
    CAPTURE(jobs);
    policy::Report r = Check(text, jobs);
    const policy::RuleCounters& c = r.by_rule.at("LANE-FIELDS");
    CHECK(LinesOf(r, "LANE-FIELDS") == std::vector<uint32_t>{2, 3});
    CHECK(c.failed == 1);
    CHECK(c.errors == 1);
    CHECK(c.evaluated == 4);
    CHECK(c.skipped == 6);
  }
}
