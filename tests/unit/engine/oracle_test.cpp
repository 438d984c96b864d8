// The oracle: every input the suite knows is checked four ways, with the
// accelerations on and off (CompileOptions::accelerate, the passes of
// libpolicy/check/passes/passes.h) and with 1 and 2 jobs, and the four reports
// must be identical. google/re2's re2/testing/tester.cc is the model: it runs
// each regex through every engine and requires the same answer, so a shortcut
// that is wrong anywhere shows up as a difference, whatever the expectations
// of the other tests say.
//
// The inputs: every case under tests/cases, every pack test under
// rules/*/tests, the BD vectors (docs/BD-VECTORS.md, read from its tables),
// and record sets generated here with a fixed seed (CSV and JSON Lines, a few
// thousand rows with planted faults).
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <vector>

#include "case_support.h"
#include "libpolicy/check/passes/passes.h"
#include "libpolicy/engine.h"
#include "libpolicy/report.h"

namespace fs = std::filesystem;
using nlohmann::json;
using policy_test::DescribeDiagnostics;
using policy_test::ReadFile;
using policy_test::SourceDir;

namespace {

struct Way {
  bool accelerate;
  unsigned jobs;
};
// The first is the reference the others are compared with.
constexpr Way kWays[] = {{true, 1}, {true, 2}, {false, 1}, {false, 2}};

std::string WayName(const Way& w) {
  return std::string(w.accelerate ? "passes on" : "passes off") + ", jobs " +
         std::to_string(w.jobs);
}

// Everything a report says: the JSON document (elapsed time zeroed), the
// problems, and what the JSON leaves out (source lines, unused suppressions).
std::string Render(policy::Report report) {
  report.elapsed_ms = 0;
  policy::report::Context ctx;
  ctx.tool_version = "oracle";
  std::string out = policy::report::FormatJson(report, ctx);
  for (const policy::Finding& f : report.findings) out += "source_line " + f.source_line + "\n";
  for (const policy::Problem& p : report.problems)
    out += "problem " + p.file + ":" + std::to_string(p.line) + ":" + std::to_string(p.column) +
           ": " + p.message + "\n";
  for (const policy::Problem& p : report.unused_suppressions)
    out += "unused " + p.file + ":" + std::to_string(p.line) + ": " + p.message + "\n";
  for (const policy::InputSummary& in : report.inputs) {
    out += "input " + in.file + " " + in.kind + " " + in.schema + (in.checked ? " checked" : "");
    for (const std::string& r : in.rules) out += " " + r;
    for (const std::string& s : in.services) out += " service:" + s;
    for (const std::string& m : in.merged) out += " merged:" + m;
    out += "\n";
  }
  out += "rules_run " + std::to_string(report.rules_run) + "\n";
  return out;
}

// Where two renderings first differ, with a few lines of each.
std::string FirstDifference(const std::string& want, const std::string& got) {
  size_t at = 0;
  while (at < want.size() && at < got.size() && want[at] == got[at]) ++at;
  const size_t line_start = want.rfind('\n', at == 0 ? 0 : at - 1);
  const size_t from = line_start == std::string::npos ? 0 : line_start + 1;
  auto lines = [&](const std::string& s) {
    size_t end = from;
    for (int n = 0; n < 6 && end != std::string::npos && end < s.size(); ++n)
      end = s.find('\n', end + 1);
    return s.substr(std::min(from, s.size()),
                    end == std::string::npos ? std::string::npos : end - from);
  };
  return "reference:\n" + lines(want) + "\nthis way:\n" + lines(got);
}

// What is checked: the rules (as compile options) and the inputs.
struct Subject {
  std::string name;
  policy::CompileOptions compile;
  std::vector<policy::Input> inputs;
  policy::CheckOptions check;
};

// Compilations by the subject's options: several subjects share a pack.
const policy::CompileResult& Compiled(const policy::CompileOptions& options) {
  static std::map<std::string, policy::CompileResult> cache;
  std::string key = std::to_string(options.accelerate) + "|" + std::to_string(options.builtin);
  for (const std::string& p : options.rule_paths) key += "|path " + p;
  for (const policy::RuleSource& s : options.sources) key += "|source " + s.path + "\n" + s.text;
  for (const auto& [name, value] : options.params) key += "|param " + name + "=" + value;
  auto it = cache.find(key);
  if (it == cache.end()) it = cache.emplace(key, policy::Compile(options)).first;
  return it->second;
}

// Checks `s` every way; all must give the reference's diagnostics and report.
// Returns the reference report (for the callers' own sanity checks).
policy::Report CheckEveryWay(const Subject& s) {
  INFO("subject: " << s.name);
  std::string reference_diagnostics, reference;
  policy::Report first;
  for (const Way& way : kWays) {
    INFO("way: " << WayName(way));
    policy::CompileOptions copts = s.compile;
    copts.accelerate = way.accelerate;
    const policy::CompileResult& compiled = Compiled(copts);
    const std::string diagnostics = DescribeDiagnostics(compiled.diagnostics);
    if (&way == &kWays[0]) reference_diagnostics = diagnostics;
    CHECK_MESSAGE(diagnostics == reference_diagnostics,
                  FirstDifference(reference_diagnostics, diagnostics));
    if (!compiled.program) continue;
    policy::CheckOptions options = s.check;
    options.jobs = way.jobs;
    policy::Report report = policy::Check(*compiled.program, s.inputs, options);
    const std::string text = Render(report);
    if (&way == &kWays[0]) {
      reference = text;
      first = std::move(report);
      continue;
    }
    CHECK_MESSAGE(text == reference, FirstDifference(reference, text));
  }
  return first;
}

// ---------------------------------------------------------------- tests/cases

policy::InputKind KindByName(const std::string& s) {
  if (s == "compose") return policy::InputKind::kCompose;
  if (s == "records") return policy::InputKind::kRecords;
  if (s == "document") return policy::InputKind::kDocument;
  return policy::InputKind::kAuto;
}

// A case as tests/cases/README.md describes it (cases_test.cpp reads it the same way).
Subject CaseSubject(const std::string& name) {
  const std::string case_dir = "tests/cases/" + name;
  const fs::path dir(case_dir);
  const json expected = json::parse(ReadFile(dir / "expected.json"));
  Subject s;
  s.name = case_dir;
  s.compile.builtin = false;
  std::vector<fs::path> rule_files;
  for (const auto& e : fs::recursive_directory_iterator(dir))
    if (e.is_regular_file() && e.path().extension() == ".policy") rule_files.push_back(e.path());
  if (rule_files.size() == 1 && rule_files[0].filename() == "rules.policy")
    s.compile.sources.push_back({case_dir + "/rules.policy", ReadFile(rule_files[0]), case_dir});
  else
    s.compile.rule_paths = {case_dir};
  if (expected.contains("params"))
    for (const auto& [k, v] : expected["params"].items())
      s.compile.params.emplace_back(k, v.get<std::string>());
  std::vector<std::string> inputs;
  if (expected.contains("inputs")) {
    for (const auto& n : expected["inputs"]) inputs.push_back(n.get<std::string>());
  } else {
    for (const auto& e : fs::directory_iterator(dir)) {
      const std::string file = e.path().filename().string();
      if (e.is_regular_file() && e.path().extension() != ".policy" && file != "expected.json" &&
          file != "README.md" && file[0] != '.')
        inputs.push_back(file);
    }
    std::sort(inputs.begin(), inputs.end());
  }
  for (const std::string& input : inputs) {
    policy::Input one;
    one.path = case_dir + "/" + input;
    if (expected.contains("schema")) one.schema = expected["schema"].value(input, "");
    if (expected.contains("kinds") && expected["kinds"].contains(input))
      one.kind = KindByName(expected["kinds"][input]);
    s.inputs.push_back(one);
  }
  return s;
}

// -------------------------------------------------------------- pack tests

// Every fixture under rules/PACK/tests, checked with the pack alone, all
// findings listed (as `policy-check test` does).
std::vector<Subject> PackSubjects() {
  std::vector<Subject> out;
  for (const auto& pack : fs::directory_iterator(SourceDir() / "rules")) {
    const fs::path tests = pack.path() / "tests";
    if (!fs::is_directory(tests)) continue;
    std::vector<fs::path> fixtures;
    for (const auto& e : fs::directory_iterator(tests)) {
      const std::string file = e.path().filename().string();
      if (e.is_regular_file() && file.find(".expected.json") == std::string::npos &&
          file != "README.md")
        fixtures.push_back(e.path());
    }
    std::sort(fixtures.begin(), fixtures.end());
    for (const fs::path& fixture : fixtures) {
      Subject s;
      s.name = fixture.string();
      s.compile.builtin = false;
      s.compile.rule_paths = {pack.path().string()};
      policy::Input in;
      in.path = fixture.string();
      const std::string ext = fixture.extension().string();
      in.kind = ext == ".yaml" || ext == ".yml" ? policy::InputKind::kCompose
                                                : policy::InputKind::kRecords;
      s.inputs.push_back(in);
      s.check.max_findings = 0;
      s.check.repo_root = SourceDir().string();
      out.push_back(std::move(s));
    }
  }
  return out;
}

// ------------------------------------------------------------- BD vectors

// The inputs of the identifier tables of docs/BD-VECTORS.md (Mobile, TIN, BIN,
// NID): each row's backquoted values, by the section's field.
std::vector<std::pair<std::string, std::string>> BdIdentifierVectors() {
  const std::map<std::string, std::string> fields = {
      {"Mobile", "mobile"}, {"TIN", "tin"}, {"BIN", "bin"}, {"NID", "nid"}};
  std::vector<std::pair<std::string, std::string>> out;
  std::string field;
  const std::string text = ReadFile(SourceDir() / "docs" / "BD-VECTORS.md");
  size_t pos = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    const std::string line = text.substr(pos, end - pos);
    pos = end + 1;
    if (line.rfind("**", 0) == 0) {
      const std::string title = line.substr(2, line.find("**", 2) - 2);
      auto it = fields.find(title);
      field = it == fields.end() ? "" : it->second;
      continue;
    }
    if (field.empty() || line.rfind("| `", 0) != 0) continue;
    // The first cell: `a`, `b`, ...
    const std::string cell = line.substr(2, line.find(" |", 2) - 2);
    for (size_t q = cell.find('`'); q != std::string::npos;) {
      const size_t close = cell.find('`', q + 1);
      if (close == std::string::npos) break;
      out.emplace_back(field, cell.substr(q + 1, close - q - 1));
      q = cell.find('`', close + 1);
    }
  }
  return out;
}

std::string CsvCell(const std::string& s) {
  return s.find(',') == std::string::npos ? s : "\"" + s + "\"";
}

// ---------------------------------------------------- generated record sets

// Deterministic on every platform: the engine, not a distribution, picks.
class Dice {
 public:
  explicit Dice(uint64_t seed) : rng_(seed) {}
  size_t Below(size_t n) { return static_cast<size_t>(rng_() % n); }
  bool OneIn(size_t n) { return Below(n) == 0; }
  template <class T>
  const T& Pick(const std::vector<T>& items) {
    return items[Below(items.size())];
  }

 private:
  std::mt19937_64 rng_;
};

const std::vector<std::string> kInvoiceColumns = {
    "invoice_no",     "issue_date", "issue_time", "fiscal_year",   "seller_name", "seller_bin",
    "seller_address", "buyer_name", "buyer_bin",  "buyer_address", "description", "quantity",
    "unit_price",     "net_amount", "sd_amount",  "vat_rate",      "vat_amount",  "total_amount"};

std::string Money(int64_t paisa) {
  const std::string sign = paisa < 0 ? "-" : "";
  if (paisa < 0) paisa = -paisa;
  std::string cents = std::to_string(paisa % 100);
  return sign + std::to_string(paisa / 100) + "." + (cents.size() == 1 ? "0" : "") + cents;
}

// One invoice as field -> text, with at most a fault or two planted.
std::map<std::string, std::string> Invoice(Dice& d, size_t i, std::vector<std::string>& numbers) {
  static const std::vector<std::string> sellers = {"Padma Foods Ltd", "Meghna Cement",
                                                   "Karnaphuli Steel", "Jamuna Paper"};
  static const std::vector<std::string> buyers = {
      "Beta Builders", "Surma Retail", "Rupsha Traders",
      "\u09B0\u09C2\u09AA\u09B8\u09BE \u099F\u09CD\u09B0\u09C7\u09A1\u09BE\u09B0\u09CD\u09B8",
      "\u09AE\u09C7\u0998\u09A8\u09BE \u09B9\u09CB\u09AE"};
  static const std::vector<std::string> places = {"Dhaka", "Chattogram", "Sylhet", "Khulna",
                                                  "Gazipur"};
  static const std::vector<std::string> goods = {"Cement 50kg bag", "Steel rod 12mm",
                                                 "A4 paper ream", "Rice 25kg bag"};
  static const std::vector<int> rates = {15, 15, 15, 10, 5, 2};
  static const std::vector<std::string> bins = {"9234567890127", "000123456-0101", "1234567890123"};
  std::map<std::string, std::string> f;
  f["invoice_no"] = "INV-" + std::to_string(100000 + i);
  const int month = 1 + static_cast<int>(d.Below(12));
  const int day = 1 + static_cast<int>(d.Below(28));
  const int year = 2023 + static_cast<int>(d.Below(2));
  char date[16];
  std::snprintf(date, sizeof date, "%04d-%02d-%02d", year, month, day);
  f["issue_date"] = date;
  f["issue_time"] = std::to_string(8 + d.Below(10)) + ":" + std::to_string(10 + d.Below(50));
  const int fy = month >= 7 ? year : year - 1;
  f["fiscal_year"] = std::to_string(fy) + "-" + std::to_string((fy + 1) % 100);
  f["seller_name"] = d.Pick(sellers);
  f["seller_bin"] = d.Pick(bins);
  f["seller_address"] = d.Pick(places);
  f["buyer_name"] = d.Pick(buyers);
  f["buyer_bin"] = d.Pick(bins);
  f["buyer_address"] = d.Pick(places);
  f["description"] = d.Pick(goods);
  const int64_t quantity = 1 + static_cast<int64_t>(d.Below(20));
  const int64_t unit = 100 * (50 + static_cast<int64_t>(d.Below(2000)));
  const int rate = d.Pick(rates);
  int64_t net = quantity * unit;
  int64_t vat = (net * rate + 50) / 100;
  f["quantity"] = std::to_string(quantity);
  f["unit_price"] = Money(unit);
  f["net_amount"] = Money(net);
  f["sd_amount"] = "";
  f["vat_rate"] = std::to_string(rate);
  f["vat_amount"] = Money(vat);
  f["total_amount"] = Money(net + vat);
  // Planted faults: each row has one in three odds of one, one in forty of two.
  for (int fault = 0; fault < 2; ++fault) {
    if (!(fault == 0 ? d.OneIn(3) : d.OneIn(40))) break;
    switch (d.Below(18)) {
      case 0:
        f["seller_bin"] = "923456789012";  // 12 digits
        break;
      case 1:
        f["buyer_bin"] = "123456789";  // legacy
        break;
      case 2:
        f["vat_amount"] = Money(vat + 1);
        f["total_amount"] = Money(net + vat + 1);
        break;
      case 3:
        f["vat_rate"] = "12";
        f["vat_amount"] = Money((net * 12 + 50) / 100);
        f["total_amount"] = Money(net + (net * 12 + 50) / 100);
        break;
      case 4:
        f["total_amount"] = Money(net + vat + 100);
        break;
      case 5:
        f["fiscal_year"] = std::to_string(fy - 1) + "-" + std::to_string(fy % 100);
        break;
      case 6:
        f["issue_time"] = "";
        break;
      case 7:
        if (!numbers.empty()) f["invoice_no"] = d.Pick(numbers);
        break;
      case 8:
        // Not NFC: o-kar written as its two parts.
        f["buyer_name"] = "\u09AE\u09C7\u09BE\u09B9\u09A8 Traders";
        break;
      case 9:
        f["quantity"] = "\u09E7\u09E8";  // Bengali digits
        break;
      case 10:
        f["quantity"] = "many";  // not a decimal
        break;
      case 11:
        f["seller_name"] = d.OneIn(2) ? "" : "   ";
        break;
      case 12:
        f["description"] = "Cement\u200B bag";  // a zero-width space
        break;
      case 13:
        f["fiscal_year"] = d.OneIn(2) ? "2024" : "24-25";
        break;
      case 14:
        f["vat_rate"] = "";
        break;
      case 15:
        f["sd_amount"] = Money(net / 10);
        break;
      case 16:
        f["issue_date"] = d.OneIn(2) ? "2024-02-30" : "31/12/2024";
        break;
      case 17:
        f["buyer_bin"] =
            "\u09EF\u09E8\u09E9\u09EA\u09EB\u09EC\u09ED\u09EE\u09EF\u09E6\u09E7"
            "\u09E8\u09ED";  // Bengali digits
        break;
    }
  }
  numbers.push_back(f["invoice_no"]);
  return f;
}

std::string InvoicesCsv(size_t rows, uint64_t seed) {
  Dice d(seed);
  std::vector<std::string> numbers;
  std::string out;
  for (size_t c = 0; c < kInvoiceColumns.size(); ++c) out += (c ? "," : "") + kInvoiceColumns[c];
  out += "\n";
  for (size_t i = 0; i < rows; ++i) {
    std::map<std::string, std::string> f = Invoice(d, i, numbers);
    for (size_t c = 0; c < kInvoiceColumns.size(); ++c)
      out += (c ? "," : "") + CsvCell(f[kInvoiceColumns[c]]);
    out += d.OneIn(50) ? "\r\n" : "\n";
  }
  return out;
}

// JSON Lines: amounts as numbers or text, keys in a few orders (several record
// shapes), keys left out, nulls, and identifier fields no schema declares.
std::string InvoicesJsonl(size_t rows, uint64_t seed) {
  Dice d(seed);
  std::vector<std::string> numbers;
  std::vector<std::vector<std::string>> orders = {kInvoiceColumns, kInvoiceColumns,
                                                  kInvoiceColumns};
  std::reverse(orders[1].begin(), orders[1].end());
  std::rotate(orders[2].begin(), orders[2].begin() + 5, orders[2].end());
  static const std::vector<std::string> mobiles = {"01712345678", "+880 1712-345678", "0171234567",
                                                   "01212345678",
                                                   "\u09E6\u09E7\u09ED\u09E7\u09E8\u09E9\u09EA"
                                                   "\u09EB\u09EC\u09ED\u09EE"};
  static const std::vector<std::string> tins = {"224187378587", "1234567890", "12345",
                                                "2241-8737-8587"};
  std::string out;
  for (size_t i = 0; i < rows; ++i) {
    std::map<std::string, std::string> f = Invoice(d, i, numbers);
    json record = json::object();
    const std::vector<std::string>& order = orders[d.Below(orders.size())];
    for (const std::string& column : order) {
      if (d.OneIn(200)) continue;  // an absent key
      const std::string& v = f[column];
      const bool amount = column == "quantity" || column.find("amount") != std::string::npos ||
                          column == "unit_price" || column == "vat_rate";
      if (v.empty() && d.OneIn(2)) {
        record[column] = nullptr;
      } else if (amount && !v.empty() && d.OneIn(2) &&
                 v.find_first_not_of("0123456789.-") == std::string::npos) {
        record[column] = json::parse(v);
      } else {
        record[column] = v;
      }
    }
    if (d.OneIn(4)) record["buyer_mobile"] = d.Pick(mobiles);
    if (d.OneIn(4)) record["buyer_tin"] = d.OneIn(3) ? json(224187378587) : json(d.Pick(tins));
    if (d.OneIn(300)) record["seller_address"] = json::object({{"city", "Dhaka"}});
    out += record.dump() + "\n";
  }
  return out;
}

// No schema: the identifier rules pick fields by name in every record set.
std::string ContactsCsv(size_t rows, uint64_t seed) {
  Dice d(seed);
  const std::vector<std::pair<std::string, std::string>> vectors = BdIdentifierVectors();
  std::vector<std::string> by_field[4];
  const std::string kinds[4] = {"mobile", "tin", "bin", "nid"};
  for (const auto& [field, value] : vectors)
    for (int k = 0; k < 4; ++k)
      if (field == kinds[k]) by_field[k].push_back(value);
  std::string out = "id,contact_mobile,Buyer_TIN,seller_bin,nid,office_phone,note\n";
  for (size_t i = 0; i < rows; ++i) {
    out += std::to_string(i);
    for (int k = 0; k < 4; ++k)
      out += "," + (d.OneIn(10) ? std::string() : CsvCell(d.Pick(by_field[k])));
    out += "," + CsvCell(d.Pick(by_field[0]));
    out += "," + std::string(d.OneIn(5) ? "\u09A8\u09CB\u099F" : "note") + "\n";
  }
  return out;
}

size_t CountRule(const policy::Report& r, const std::string& rule) {
  auto it = r.by_rule.find(rule);
  return it == r.by_rule.end() ? 0 : it->second.failed;
}

Subject BdPackSubject(const std::string& name) {
  Subject s;
  s.name = name;
  s.compile.builtin = false;
  s.compile.rule_paths = {(SourceDir() / "rules" / "bd").string()};
  return s;
}

policy::Input InMemory(const std::string& path, std::string text) {
  policy::Input in;
  in.path = path;
  in.kind = policy::InputKind::kRecords;
  in.text = std::move(text);
  return in;
}

}  // namespace

TEST_CASE("oracle: every case under tests/cases, four ways") {
  // Case paths, as cases_test.cpp has them, are relative to the repository root.
  fs::current_path(SourceDir());
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator("tests/cases"))
    if (e.is_directory() && fs::exists(e.path() / "expected.json"))
      names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  REQUIRE(names.size() >= 40);
  for (const std::string& name : names) CheckEveryWay(CaseSubject(name));
}

TEST_CASE("oracle: every pack test under rules/*/tests, four ways") {
  const std::vector<Subject> subjects = PackSubjects();
  REQUIRE(subjects.size() >= 15);
  size_t findings = 0;
  for (const Subject& s : subjects) findings += CheckEveryWay(s).findings.size();
  CHECK(findings >= 50);  // the fixtures exist to be found
}

TEST_CASE("oracle: the BD vectors, four ways") {
  const std::vector<std::pair<std::string, std::string>> vectors = BdIdentifierVectors();
  REQUIRE(vectors.size() >= 40);
  // One record per vector, in a field of its family; and all of them in one
  // JSON Lines set, where each record has its own shape.
  std::string csv = "id,mobile,tin,bin,nid,phone\n";
  std::string jsonl;
  for (size_t i = 0; i < vectors.size(); ++i) {
    const auto& [field, value] = vectors[i];
    csv += std::to_string(i);
    for (const char* column : {"mobile", "tin", "bin", "nid", "phone"})
      csv += "," + (field == column ? CsvCell(value) : std::string());
    csv += "\n";
    jsonl += json({{"id", i}, {field, value}}).dump() + "\n";
  }
  Subject s = BdPackSubject("BD vectors");
  s.inputs = {InMemory("vectors.csv", csv), InMemory("vectors.jsonl", jsonl)};
  s.check.max_findings = 0;
  const policy::Report r = CheckEveryWay(s);
  CHECK(CountRule(r, "BD-MOB-001") >= 10);
  CHECK(CountRule(r, "BD-TIN-001") >= 3);
  // Fiscal-year labels of the "Fiscal year and VAT" section, each on one
  // invoice of its own, under the params they need.
  for (const std::string fy : {"2023-24", "2024", "2024-25", "২০২৪-২৫", "2024–25"}) {
    Subject inv = BdPackSubject("BD fiscal-year label " + fy);
    inv.compile.params = {{"bd.fy_start_month", fy == "2024" ? "1" : "7"}};
    inv.inputs = {InMemory("invoices.csv",
                           "invoice_no,issue_date,issue_time,fiscal_year,seller_name,seller_bin,"
                           "seller_address,buyer_name,buyer_bin,buyer_address,description,"
                           "quantity,unit_price,net_amount,sd_amount,vat_rate,vat_amount,"
                           "total_amount\nINV-1,2024-12-31,10:15," +
                               fy +
                               ",Acme Ltd,9234567890127,Dhaka,Beta Ltd,9234567890127,"
                               "Chattogram,Cement,1,1000.00,1000.00,,15,150.00,1150.00\n")};
    CheckEveryWay(inv);
  }
}

TEST_CASE("oracle: generated invoices, CSV and JSON Lines, four ways") {
  Subject s = BdPackSubject("generated invoices");
  s.inputs = {InMemory("invoices.csv", InvoicesCsv(5000, 20261207)),
              InMemory("invoices.jsonl", InvoicesJsonl(3000, 7))};
  const policy::Report r = CheckEveryWay(s);
  // The planted faults are there to be found, by many rules.
  size_t rules_failing = 0;
  for (const auto& [rule, counters] : r.by_rule) rules_failing += counters.failed > 0;
  CHECK(rules_failing >= 8);
  CHECK(r.truncated > 0);  // more failures than the default list limit
}

TEST_CASE("oracle: generated identifier records without a schema, four ways") {
  Subject s = BdPackSubject("generated contacts");
  s.inputs = {InMemory("contacts.csv", ContactsCsv(4000, 99))};
  const policy::Report r = CheckEveryWay(s);
  CHECK(CountRule(r, "BD-MOB-001") > 100);
  CHECK(CountRule(r, "BD-TIN-001") > 100);
}

// `base` checked with each pass off alone (jobs 1): the report of all on.
// `from`: only the passes from this one on in the table.
void CheckEachPassOff(const Subject& base, policy::eval::Pass from = policy::eval::Pass{}) {
  INFO("subject: " << base.name);
  const policy::CompileResult& all = Compiled(base.compile);
  REQUIRE(all.program);
  const std::string reference = Render(policy::Check(*all.program, base.inputs, base.check));
  for (const policy::check::PassInfo& pass : policy::check::PassTable()) {
    if (pass.id < from) continue;
    INFO("pass off: " << pass.name);
    policy::CompileOptions options = base.compile;
    options.disabled_passes = {std::string(pass.name)};
    const policy::CompileResult compiled = policy::Compile(options);
    REQUIRE(compiled.program);
    const std::string text = Render(policy::Check(*compiled.program, base.inputs, base.check));
    CHECK_MESSAGE(text == reference, FirstDifference(reference, text));
  }
}

TEST_CASE("oracle: each pass off alone gives the report of all of them on") {
  // A pass may lean on another's work; turned off alone, each must still
  // leave the output as it was.
  Subject records = BdPackSubject("bd pack, generated records, one pass off");
  records.inputs = {InMemory("invoices.csv", InvoicesCsv(1500, 11)),
                    InMemory("invoices.jsonl", InvoicesJsonl(800, 12)),
                    InMemory("contacts.csv", ContactsCsv(800, 13)),
                    {(SourceDir() / "rules" / "bd" / "tests" / "identifiers.csv").string()}};
  records.check.max_findings = 0;
  records.check.jobs = 1;
  CheckEachPassOff(records);

  // Compose files: the readiness pack on its fixtures, all in one check.
  Subject compose;
  compose.name = "readiness pack, one pass off";
  compose.compile.builtin = false;
  compose.compile.rule_paths = {(SourceDir() / "rules" / "readiness").string()};
  for (const Subject& s : PackSubjects())
    if (s.compile.rule_paths == compose.compile.rule_paths)
      compose.inputs.push_back(s.inputs.front());
  REQUIRE(compose.inputs.size() >= 5);
  compose.check.max_findings = 0;
  compose.check.jobs = 1;
  compose.check.repo_root = SourceDir().string();
  CheckEachPassOff(compose);
}

// ------------------------------------------------ version 2: several inputs

namespace {

// A data set for the cross-input rules (BD-REF/RET/SER/CRN-001) with what the
// tables must get right: party BINs twice (keep all), written differently
// (ident), absent, null and a number; a return period twice (an index key seen
// twice, keep first) and a return without output VAT; invoices in CSV and JSON
// Lines whose serials are text or numbers, with gaps and repeats, one book of
// more than 4096 serials (count_distinct past its small table), buyer BINs
// not in the master; credit notes on known, unknown and exceeded invoices.
std::vector<policy::Input> CrossInputData(uint64_t seed) {
  Dice d(seed);
  std::vector<std::string> bins;
  std::string parties = "party_id,name,bin\n";
  json::array_t party_lines;
  for (size_t i = 0; i < 1500; ++i) {
    const std::string bin = std::to_string(1000000000000ull + i * 7919ull);
    bins.push_back(bin);
    const std::string written =
        d.OneIn(20) ? bin.substr(0, 9) + "-" + bin.substr(9) : bin;  // ident() removes the dash
    if (i % 3 == 0) {
      // The JSON Lines half: a number, a null, an absent key, or text.
      json p = {{"party_id", "J-" + std::to_string(i)}, {"name", "Party " + std::to_string(i)}};
      switch (d.Below(6)) {
        case 0:
          p["bin"] = std::stoull(bin);
          break;
        case 1:
          p["bin"] = nullptr;
          break;
        case 2:
          break;
        default:
          p["bin"] = written;
      }
      party_lines.push_back(p);
    } else {
      parties += "P-" + std::to_string(i) + ",Party " + std::to_string(i) + "," +
                 (d.OneIn(40) ? std::string() : written) + "\n";
    }
    if (d.OneIn(50)) parties += "P-dup-" + std::to_string(i) + ",Again," + bin + "\n";
  }
  std::string party_jsonl;
  for (const json& p : party_lines) party_jsonl += p.dump() + "\n";

  // Invoices: DHK/A of FY 2024-25 holds 5000 serials, the other books a few.
  const std::string header =
      "invoice_no,issue_date,seller_bin,buyer_bin,net_amount,vat_rate,vat_amount,total_amount,"
      "branch,book,serial\n";
  std::string csv = header;
  std::string jsonl;
  std::map<std::string, int64_t> vat_by_month;
  std::vector<std::string> numbers;
  const std::vector<std::pair<std::string, std::string>> books = {
      {"DHK", "A"}, {"DHK", "B"}, {"CTG", "A"}, {"KHL", "C"}};
  std::map<std::string, int> serials;
  for (size_t i = 0; i < 7000; ++i) {
    const auto& [branch, book] = i < 5000 ? books[0] : d.Pick(books);
    int& serial = serials[branch + book];
    serial += d.OneIn(300) ? 2 : (d.OneIn(300) ? 0 : 1);  // a gap, a repeat
    const int month = 7 + static_cast<int>(d.Below(12));
    char date[16];
    // One in 200 outside the files' fiscal year (BD-FY-002, whose input
    // prefix reads the label in the file name).
    const int year = d.OneIn(200) ? 2023 : (month > 12 ? 2025 : 2024);
    std::snprintf(date, sizeof date, "%04d-%02d-%02d", year, month > 12 ? month - 12 : month,
                  1 + static_cast<int>(d.Below(28)));
    const int64_t net = 100 * (1 + static_cast<int64_t>(d.Below(5000)));
    const int64_t vat = net * 15 / 100;
    vat_by_month[std::string(date).substr(0, 7)] += vat;
    const std::string number = "INV-" + std::to_string(i);
    numbers.push_back(number);
    const std::string buyer = d.OneIn(100) ? "9999999999999" : d.Pick(bins);
    if (i % 4 == 3) {
      json r = {{"invoice_no", number},     {"issue_date", date},
                {"seller_bin", bins[0]},    {"buyer_bin", buyer},
                {"net_amount", Money(net)}, {"vat_rate", 15},
                {"vat_amount", Money(vat)}, {"total_amount", Money(net + vat)},
                {"branch", branch},         {"book", book}};
      if (d.OneIn(2))
        r["serial"] = serial;
      else
        r["serial"] = std::to_string(serial);
      if (d.OneIn(100)) r["buyer_bin"] = nullptr;
      if (d.OneIn(100)) r.erase("serial");
      if (d.OneIn(150)) r["vat_amount"] = "n/a";  // sum() over text: an evaluation error
      jsonl += r.dump() + "\n";
    } else {
      csv += number + "," + date + "," + bins[0] + "," + (d.OneIn(100) ? "" : buyer) + "," +
             Money(net) + ",15," + Money(vat) + "," + Money(net + vat) + "," + branch + "," + book +
             "," + std::to_string(serial) + "\n";
    }
  }
  std::string returns = "period,output_vat,input_vat,submitted\n";
  for (const auto& [month, vat] : vat_by_month) {
    if (d.OneIn(6)) continue;  // no return for the period
    returns += month + "," + (d.OneIn(8) ? std::string() : Money(vat + (d.OneIn(4) ? 100 : 0))) +
               ",0.00,2025-08-15\n";
    if (d.OneIn(6)) returns += month + ",1.00,0.00,2025-08-16\n";  // the period again
  }
  std::string notes = "note_no,note_type,invoice_no,issue_date,total_amount\n";
  for (size_t i = 0; i < 300; ++i)
    notes += "CN-" + std::to_string(i) + "," + (d.OneIn(5) ? "debit" : "credit") + "," +
             (d.OneIn(20) ? "INV-missing" : d.Pick(numbers)) + ",2025-07-01," +
             Money(100 * (1 + static_cast<int64_t>(d.Below(9000)))) + "\n";
  return {InMemory("parties.csv", parties),         InMemory("party.jsonl", party_jsonl),
          InMemory("invoices-2024-25-h1.csv", csv), InMemory("invoices-2024-25-h2.jsonl", jsonl),
          InMemory("returns.csv", returns),         InMemory("credit_notes.csv", notes)};
}

// The BD pack with every rule on, the opt-in cross-input ones too.
Subject AllBdRules(const std::string& name) {
  Subject s = BdPackSubject(name);
  const policy::CompileResult& compiled = Compiled(s.compile);
  REQUIRE(compiled.program);
  for (const policy::RuleInfo& r : policy::ListRules(*compiled.program)) s.check.only.insert(r.id);
  // Counted all, listed a few: the findings' rendering is not what is tested.
  s.check.max_findings = 20;
  return s;
}

}  // namespace

TEST_CASE("oracle: the BD data set and generated cross-input data, four ways and each pass off") {
  Subject fixture = AllBdRules("rules/bd/tests/dataset");
  const fs::path dir = SourceDir() / "rules" / "bd" / "tests" / "dataset";
  for (const auto& e : fs::directory_iterator(dir))
    if (e.is_regular_file() && e.path().extension() == ".csv")
      fixture.inputs.push_back({e.path().string()});
  std::sort(fixture.inputs.begin(), fixture.inputs.end(),
            [](const policy::Input& a, const policy::Input& b) { return a.path < b.path; });
  REQUIRE(fixture.inputs.size() == 5);
  const policy::Report fixed = CheckEveryWay(fixture);
  for (const char* rule : {"BD-REF-001", "BD-RET-001", "BD-SER-001", "BD-CRN-001"})
    CHECK_MESSAGE(CountRule(fixed, rule) > 0, rule);

  Subject generated = AllBdRules("generated cross-input data");
  generated.inputs = CrossInputData(20261208);
  const policy::Report r = CheckEveryWay(generated);
  // The planted faults are found: each table's paths are taken.
  for (const char* rule :
       {"BD-REF-001", "BD-RET-001", "BD-SER-001", "BD-CRN-001", "BD-BIN-003", "BD-FY-002", "INDEX"})
    CHECK_MESSAGE(CountRule(r, rule) > 0, rule);
  bool big_book = false;  // the book past count_distinct's small table
  for (const policy::Finding& f : r.findings)
    big_book = big_book || (f.rule == "BD-SER-001" &&
                            f.message.find("'DHK' book 'A' FY 2024-25") != std::string::npos);
  CHECK(big_book);
  CHECK(CountRule(r, "BD-REF-001") > 20);  // more than listed

  // The version-2 passes (the last of the table) off one at a time, and at 2
  // jobs (chunks' tables merge).
  for (unsigned jobs : {1u, 2u}) {
    generated.check.jobs = jobs;
    fixture.check.jobs = jobs;
    CheckEachPassOff(generated, policy::eval::Pass::kFlatIndexes);
    CheckEachPassOff(fixture, policy::eval::Pass::kFlatIndexes);
  }
}
