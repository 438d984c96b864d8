// Every vector of BD-VECTORS.md, run through the Bangladesh pack (rules/bd/) on
// in-memory inputs. Each row names the value, the field it is written in and
// the exact set of rule ids that must report it ({} means "pass": no finding).
#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "case_support.h"
#include "libpolicy/engine.h"

using policy_test::DescribeDiagnostics;
using policy_test::DescribeFindings;

namespace {

using Params = std::vector<std::pair<std::string, std::string>>;
using Ids = std::vector<std::string>;

const policy::Program& Pack(const Params& params = {}) {
  static std::map<Params, policy::CompileResult> cache;
  auto it = cache.find(params);
  if (it == cache.end()) {
    policy::CompileOptions options;
    options.builtin = false;
    options.rule_paths = {(policy_test::SourceDir() / "rules" / "bd").string()};
    options.params = params;
    it = cache.emplace(params, policy::Compile(options)).first;
  }
  REQUIRE_MESSAGE(it->second.program, DescribeDiagnostics(it->second.diagnostics));
  return *it->second.program;
}

// CSV cells here never hold a quote; quote those with a comma.
std::string Cell(const std::string& s) {
  return s.find(',') == std::string::npos ? s : "\"" + s + "\"";
}

// The sorted rule ids (SCHEMA included) of the findings on one CSV text.
Ids RuleIds(const policy::Program& program, const std::string& path, const std::string& text,
            std::string* described = nullptr) {
  policy::Input in;
  in.path = path;  // the stem binds the schema: "invoices.csv" -> invoice
  in.kind = policy::InputKind::kRecords;
  in.text = text;
  policy::Report report = policy::Check(program, {in}, policy::CheckOptions{});
  CHECK(report.problems.empty());
  Ids ids;
  for (const policy::Finding& f : report.findings) ids.push_back(f.rule);
  std::sort(ids.begin(), ids.end());
  if (described) *described = DescribeFindings(report.findings);
  return ids;
}

struct IdentifierVector {
  const char* value;
  const char* field;
  Ids expected;
};

// BD-VECTORS.md, sections Mobile, TIN, BIN and NID, in order.
const IdentifierVector kIdentifierVectors[] = {
    // Mobile: one per allocated prefix.
    {"01712345678", "mobile", {}},
    {"01312345678", "mobile", {}},
    {"01412345678", "mobile", {}},
    {"01512345678", "mobile", {}},
    {"01612345678", "mobile", {}},
    {"01812345678", "mobile", {}},
    {"01912345678", "mobile", {}},
    // Written forms in use.
    {"+8801712345678", "mobile", {}},
    {"8801712345678", "mobile", {}},
    {"008801712345678", "mobile", {}},
    {"+880 1712-345678", "mobile", {}},
    {"01712-345678", "mobile", {}},
    {"(+880) 1712 345678", "mobile", {}},
    {"+88 01712345678", "mobile", {}},
    {"০১৭১২৩৪৫৬৭৮", "mobile", {}},
    {"0171234567", "mobile", {"BD-MOB-001"}},
    {"017123456789", "mobile", {"BD-MOB-001"}},
    {"01212345678", "mobile", {"BD-MOB-001"}},
    {"01112345678", "mobile", {"BD-MOB-001"}},
    {"02712345678", "mobile", {"BD-MOB-001"}},
    {"02712345678", "phone", {}},
    {"1712345678", "mobile", {"BD-MOB-001"}},
    {"+88001712345678", "mobile", {"BD-MOB-001"}},
    {"abc01712345678", "mobile", {"BD-MOB-001"}},
    // Other mobile fields by name (RULES.md).
    {"01212345678", "bkash", {"BD-MOB-001"}},
    {"01712345678", "nagad", {}},
    {"0171234567", "contact_mobile", {"BD-MOB-001"}},
    {"01112345678", "office_phone", {"BD-PHN-001"}},
    // TIN.
    {"224187378587", "tin", {}},
    {"135055865054", "tin", {}},
    {"738330325591", "tin", {}},
    {"2241-8737-8587", "tin", {}},
    {"224 187 378 587", "tin", {}},
    {"১২৩৪৫৬৭৮৯০১২", "tin", {}},
    {"1234567890", "tin", {"BD-TIN-002"}},
    {"12345", "tin", {"BD-TIN-001"}},
    {"1234567890XX", "tin", {"BD-TIN-001"}},
    {"2241873785871", "tin", {"BD-TIN-001"}},
    {"12345", "buyer_tin", {"BD-TIN-001"}},
    // BIN.
    {"9234567890127", "bin", {}},
    {"000123456-0101", "bin", {}},
    {"123456789", "bin", {"BD-BIN-002"}},
    {"12345678901", "bin", {"BD-BIN-002"}},
    {"923456789012", "bin", {"BD-BIN-001"}},
    {"923456789012", "seller_bin", {"BD-BIN-001"}},
    // NID.
    {"1592824588424", "nid", {}},
    {"2610413965404", "nid", {}},
    {"19841592824588424", "nid", {}},
    {"19892610413965404", "nid", {}},
    {"5912384760", "nid", {}},
    {"159282458842", "nid", {"BD-NID-001"}},
    {"1984159282458844", "nid", {"BD-NID-001"}},
    {"12345678901", "nid", {"BD-NID-001"}},
    {"12345678901234", "nid", {"BD-NID-001"}},
    {"1572824588424", "nid", {"BD-NID-002"}},
    {"20991592824588424", "nid", {"BD-NID-002"}},
    {"0123456789", "nid", {"BD-NID-003"}},
    // Empty values are skipped by every format rule.
    {"", "tin", {}},
    {" ", "mobile", {}},
    // Not an identifier field: never checked.
    {"12345", "tinted", {}},
    // Placeholders: one digit repeated is never an identifier (errors, no legacy warnings).
    {"000000000000", "tin", {"BD-TIN-001"}},
    {"0000000000", "tin", {"BD-TIN-001"}},
    {"0000-0000-0000", "tin", {"BD-TIN-001"}},
    {"1111111111111", "bin", {"BD-BIN-001"}},
    {"111111111", "bin", {"BD-BIN-001"}},
    {"0000000000", "nid", {"BD-NID-001"}},
    {"99999999999999999", "nid", {"BD-NID-001"}},
    {"1111111111111", "nid", {"BD-NID-001"}},
    {"1111111111112", "bin", {}},
};

// One complete, valid Mushak-6.3 invoice; a vector overrides some fields.
const std::vector<std::pair<std::string, std::string>> kInvoice = {
    {"invoice_no", "INV-1"},
    {"issue_date", "2024-07-01"},
    {"issue_time", "10:15"},
    {"fiscal_year", "2024-25"},
    {"seller_name", "Acme Ltd"},
    {"seller_bin", "9234567890127"},
    {"seller_address", "Dhaka"},
    {"buyer_name", "Beta Ltd"},
    {"buyer_bin", "9234567890127"},
    {"buyer_address", "Chattogram"},
    {"description", "Cement"},
    {"quantity", "1"},
    {"unit_price", "1000.00"},
    {"net_amount", "1000.00"},
    {"sd_amount", ""},
    {"vat_rate", "15"},
    {"vat_amount", "150.00"},
    {"total_amount", "1150.00"},
};

std::string InvoiceCsv(const std::map<std::string, std::string>& overrides,
                       const std::vector<std::string>& drop = {}) {
  std::string header, row;
  auto fields = kInvoice;
  // Columns the base invoice lacks (exemption_ref) are appended.
  for (const auto& [field, value] : overrides) {
    auto known = [&](const auto& f) { return f.first == field; };
    if (std::none_of(fields.begin(), fields.end(), known)) fields.emplace_back(field, value);
  }
  for (const auto& [field, value] : fields) {
    if (std::find(drop.begin(), drop.end(), field) != drop.end()) continue;
    auto it = overrides.find(field);
    header += (header.empty() ? "" : ",") + field;
    row += (row.empty() && header == field ? "" : ",") +
           Cell(it == overrides.end() ? value : it->second);
  }
  return header + "\n" + row + "\n";
}

struct InvoiceVector {
  const char* name;
  std::map<std::string, std::string> fields;
  std::vector<std::string> drop;  // columns left out
  Params params;
  Ids expected;
};

// BD-VECTORS.md, section "Fiscal year and VAT", in order.
const std::vector<InvoiceVector> kInvoiceVectors = {
    {"date 2024-06-30, label 2023-24",
     {{"issue_date", "2024-06-30"}, {"fiscal_year", "2023-24"}},
     {},
     {},
     {}},
    {"date 2024-07-01, label 2024-25", {{"fiscal_year", "2024-25"}}, {}, {}, {}},
    {"date 2024-07-01, label FY2024-25", {{"fiscal_year", "FY2024-25"}}, {}, {}, {}},
    {"date 2024-07-01, label FY 2024-25", {{"fiscal_year", "FY 2024-25"}}, {}, {}, {}},
    {"date 2024-07-01, label 2024-2025", {{"fiscal_year", "2024-2025"}}, {}, {}, {}},
    {"date 2024-07-01, label with an en dash", {{"fiscal_year", "2024\u201325"}}, {}, {}, {}},
    {"date 2024-07-01, label 2023-24", {{"fiscal_year", "2023-24"}}, {}, {}, {"BD-FY-001"}},
    {"label 2024-26", {{"fiscal_year", "2024-26"}}, {}, {}, {"BD-FY-001"}},
    {"bd.fy_start_month=1: date 2024-12-31, label 2024",
     {{"issue_date", "2024-12-31"}, {"fiscal_year", "2024"}},
     {},
     {{"bd.fy_start_month", "1"}},
     {}},
    {"bd.fy_start_month=1: date 2024-12-31, label 2024-25",
     {{"issue_date", "2024-12-31"}, {"fiscal_year", "2024-25"}},
     {},
     {{"bd.fy_start_month", "1"}},
     {"BD-FY-001"}},
    {"net 1000.00, rate 15, VAT 150.00, total 1150.00", {}, {}, {}, {}},
    {"net 333.33, rate 15, VAT 50.00",
     {{"unit_price", "333.33"},
      {"net_amount", "333.33"},
      {"vat_amount", "50.00"},
      {"total_amount", "383.33"}},
     {},
     {},
     {}},
    {"net 1000.00, SD 100.00, rate 15, VAT 165.00, total 1265.00",
     {{"sd_amount", "100.00"}, {"vat_amount", "165.00"}, {"total_amount", "1265.00"}},
     {},
     {},
     {}},
    {"net 100.00, rate 15, VAT 15.01",
     {{"unit_price", "100.00"},
      {"net_amount", "100.00"},
      {"vat_amount", "15.01"},
      {"total_amount", "115.01"}},
     {},
     {},
     {"BD-VAT-001"}},
    {"rate 12",
     {{"vat_rate", "12"}, {"vat_amount", "120.00"}, {"total_amount", "1120.00"}},
     {},
     {},
     {"BD-VAT-002"}},
    {"Mushak-6.3 record without issue time (empty)", {{"issue_time", ""}}, {}, {}, {"BD-INV-001"}},
    {"Mushak-6.3 record without issue time (no column)", {}, {"issue_time"}, {}, {"BD-INV-001"}},
    {"Mushak-6.3 record without buyer BIN", {{"buyer_bin", ""}}, {}, {}, {}},
    // The row's rate wins over bd.vat_rate; bd.vat_rate applies when the row has none.
    {"row rate 7.5 with bd.vat_rate=15",
     {{"vat_rate", "7.5"}, {"vat_amount", "75.00"}, {"total_amount", "1075.00"}},
     {},
     {},
     {}},
    {"no row rate, bd.vat_rate=7.5",
     {{"vat_rate", ""}, {"vat_amount", "75.00"}, {"total_amount", "1075.00"}},
     {},
     {{"bd.vat_rate", "7.5"}},
     {"BD-INV-001"}},
    {"total not net + SD + VAT", {{"total_amount", "1150.01"}}, {}, {}, {"BD-VAT-003"}},
    // Rates in force (bd.vat_rate_table), by issue date.
    {"reduced rate 2.4",
     {{"vat_rate", "2.4"}, {"vat_amount", "24.00"}, {"total_amount", "1024.00"}},
     {},
     {},
     {}},
    {"reduced rate 4.5",
     {{"vat_rate", "4.5"}, {"vat_amount", "45.00"}, {"total_amount", "1045.00"}},
     {},
     {},
     {}},
    {"rate 4 under the 2012 Act",
     {{"vat_rate", "4"}, {"vat_amount", "40.00"}, {"total_amount", "1040.00"}},
     {},
     {},
     {"BD-VAT-002"}},
    {"rate 4 before the table (2019-06-30): not judged",
     {{"issue_date", "2019-06-30"},
      {"fiscal_year", "2018-19"},
      {"vat_rate", "4"},
      {"vat_amount", "40.00"},
      {"total_amount", "1040.00"}},
     {},
     {},
     {}},
    {"rate 7.5 after its period ended (table override)",
     {{"vat_rate", "7.5"}, {"vat_amount", "75.00"}, {"total_amount", "1075.00"}},
     {},
     {{"bd.vat_rate_table",
       "[{rate: 15, from: 2019-07-01}, {rate: 7.5, from: 2019-07-01, until: 2024-06-30}]"}},
     {"BD-VAT-002"}},
    {"rate 7.5 in its period (table override)",
     {{"issue_date", "2024-06-30"},
      {"fiscal_year", "2023-24"},
      {"vat_rate", "7.5"},
      {"vat_amount", "75.00"},
      {"total_amount", "1075.00"}},
     {},
     {{"bd.vat_rate_table",
       "[{rate: 15, from: 2019-07-01}, {rate: 7.5, from: 2019-07-01, until: 2024-06-30}]"}},
     {}},
    {"rate text 15%", {{"vat_rate", "15%"}}, {}, {}, {"BD-VAT-002"}},
    // Exempt supplies: no 15%, no VAT rate or amount needed, the exemption cited.
    {"exempt: blank rate and VAT, exemption cited",
     {{"vat_rate", ""}, {"vat_amount", ""}, {"total_amount", "1000.00"}, {"exemption_ref", "SRO"}},
     {},
     {},
     {}},
    {"exempt: `exempt`, VAT 0.00, exemption cited",
     {{"vat_rate", "exempt"},
      {"vat_amount", "0.00"},
      {"total_amount", "1000.00"},
      {"exemption_ref", "First Schedule"}},
     {},
     {},
     {}},
    {"exempt: `exempt` without a reference",
     {{"vat_rate", "exempt"}, {"vat_amount", "0.00"}, {"total_amount", "1000.00"}},
     {},
     {},
     {"BD-VAT-002"}},
    {"exempt supply charged 15%",
     {{"vat_rate", ""}, {"exemption_ref", "SRO"}},
     {},
     {},
     {"BD-VAT-001"}},
    {"blank rate and VAT without an exemption",
     {{"vat_rate", ""}, {"vat_amount", ""}, {"total_amount", "1000.00"}},
     {},
     {},
     {"BD-INV-001", "BD-INV-001"}},
    // Zero-rated supplies.
    {"zero-rated, no SD",
     {{"vat_rate", "0"}, {"vat_amount", "0.00"}, {"total_amount", "1000.00"}},
     {},
     {},
     {}},
    {"zero-rated with SD",
     {{"vat_rate", "0"},
      {"sd_amount", "100.00"},
      {"vat_amount", "0.00"},
      {"total_amount", "1100.00"}},
     {},
     {},
     {"BD-VAT-004"}},
    {"SD 0.00 on a zero-rated supply",
     {{"vat_rate", "0"},
      {"sd_amount", "0.00"},
      {"vat_amount", "0.00"},
      {"total_amount", "1000.00"}},
     {},
     {},
     {}},
    // VAT-inclusive retail prices: VAT is 15/115 of the total.
    {"VAT-inclusive: total 1150.00, VAT 150.00", {}, {}, {{"bd.vat_inclusive", "true"}}, {}},
    {"VAT-inclusive: total 100.00, VAT 13.04, net 86.96",
     {{"unit_price", "86.96"},
      {"net_amount", "86.96"},
      {"vat_amount", "13.04"},
      {"total_amount", "100.00"}},
     {},
     {{"bd.vat_inclusive", "true"}},
     {}},
    {"VAT-inclusive: VAT 15.00 on a total of 100.00",
     {{"unit_price", "85.00"},
      {"net_amount", "85.00"},
      {"vat_amount", "15.00"},
      {"total_amount", "100.00"}},
     {},
     {{"bd.vat_inclusive", "true"}},
     {"BD-VAT-001"}},
    // 15/115 of 115.04 is 15.0052 -> 15.01, but 15% of the net 100.03 is 15.0045 -> 15.00.
    {"VAT-inclusive: total 115.04, VAT 15.01, net 100.03",
     {{"unit_price", "100.03"},
      {"net_amount", "100.03"},
      {"vat_amount", "15.01"},
      {"total_amount", "115.04"}},
     {},
     {{"bd.vat_inclusive", "true"}},
     {}},
    {"VAT exclusive: the same invoice is one paisa off",
     {{"unit_price", "100.03"},
      {"net_amount", "100.03"},
      {"vat_amount", "15.01"},
      {"total_amount", "115.04"}},
     {},
     {},
     {"BD-VAT-001"}},
    // Rounding tolerance.
    {"VAT 150.02 with bd.vat_tolerance=0.05",
     {{"vat_amount", "150.02"}, {"total_amount", "1150.02"}},
     {},
     {{"bd.vat_tolerance", "0.05"}},
     {}},
    {"VAT 150.06 with bd.vat_tolerance=0.05",
     {{"vat_amount", "150.06"}, {"total_amount", "1150.06"}},
     {},
     {{"bd.vat_tolerance", "0.05"}},
     {"BD-VAT-001"}},
    {"VAT 150.01 with the default tolerance 0",
     {{"vat_amount", "150.01"}, {"total_amount", "1150.01"}},
     {},
     {},
     {"BD-VAT-001"}},
    // Column aliases of the invoice schema.
    {"seller_vat_reg_no read as seller_bin",
     {{"seller_vat_reg_no", "923456789012"}},
     {"seller_bin"},
     {},
     {"BD-BIN-001"}},
    {"buyer_bin_no read as buyer_bin",
     {{"buyer_bin_no", "0000000000000"}},
     {"buyer_bin"},
     {},
     {"BD-BIN-001"}},
};

}  // namespace

TEST_CASE("bd vectors: identifiers (BD-VECTORS.md Mobile, TIN, BIN, NID)") {
  for (const IdentifierVector& v : kIdentifierVectors) {
    const std::string context = std::string("field ") + v.field + " = '" + v.value + "'";
    INFO(context);
    // A CSV bound to no schema: the identifier rules apply to every record set.
    std::string text = std::string("id,") + v.field + "\n1," + Cell(v.value) + "\n";
    std::string described;
    Ids ids = RuleIds(Pack(), "vectors.csv", text, &described);
    Ids expected = v.expected;
    std::sort(expected.begin(), expected.end());
    CHECK_MESSAGE(ids == expected, described);
  }
}

TEST_CASE("bd vectors: identifiers in JSON Lines keep their JSON types") {
  // A TIN or BIN exported as a JSON number is the same identifier.
  Ids ids = RuleIds(Pack(), "vectors.jsonl",
                    "{\"tin\": 224187378587, \"bin\": 9234567890127, \"nid\": 5912384760}\n"
                    "{\"tin\": 12345, \"mobile\": 1712345678}\n");
  CHECK(ids == Ids{"BD-MOB-001", "BD-TIN-001"});
}

TEST_CASE("bd vectors: params switch the identifier readings") {
  const Params strict = {{"bd.plan_formats", "true"}};
  CHECK(RuleIds(Pack(strict), "v.csv", "tin\n1234567890\n").empty());
  CHECK(RuleIds(Pack(strict), "v.csv", "tin\n224187378587\n") == Ids{"BD-TIN-001"});
  CHECK(RuleIds(Pack(strict), "v.csv", "bin\n123456789\n").empty());
  CHECK(RuleIds(Pack(strict), "v.csv", "bin\n9234567890127\n") == Ids{"BD-BIN-001"});
  CHECK(RuleIds(Pack(strict), "v.csv", "nid\n12345678901234\n").empty());

  CHECK(RuleIds(Pack({{"bd.tin_legacy_ok", "false"}}), "v.csv", "tin\n1234567890\n") ==
        Ids{"BD-TIN-001"});
  CHECK(RuleIds(Pack({{"bd.bin_legacy_ok", "false"}}), "v.csv", "bin\n12345678901\n") ==
        Ids{"BD-BIN-001"});
  CHECK(RuleIds(Pack({{"bd.nid_max_birth_year", "2100"}}), "v.csv", "nid\n20991592824588424\n")
            .empty());
}

TEST_CASE("bd vectors: fiscal year, VAT and Mushak-6.3 (BD-VECTORS.md)") {
  for (const InvoiceVector& v : kInvoiceVectors) {
    const std::string name = v.name;
    INFO(name);
    std::string text = InvoiceCsv(v.fields, v.drop);
    INFO(text);
    std::string described;
    Ids ids = RuleIds(Pack(v.params), "invoices.csv", text, &described);
    Ids expected = v.expected;
    std::sort(expected.begin(), expected.end());
    CHECK_MESSAGE(ids == expected, described);
  }
}

TEST_CASE("bd vectors: fiscal-year files (BD-FY-002)") {
  const std::string text = "invoice_no,issue_date\nA,2024-07-01\nB,2025-07-01\n";
  CHECK(RuleIds(Pack(), "ledger-2024-25.csv", text) == Ids{"BD-FY-002"});
  CHECK(RuleIds(Pack(), "sales FY2024-25.csv", text) == Ids{"BD-FY-002"});
  CHECK(RuleIds(Pack(), "ledger-2024-2025.csv", text) == Ids{"BD-FY-002"});
  CHECK(RuleIds(Pack(), "ledger-2025-26.csv", text) == Ids{"BD-FY-002"});
  CHECK(RuleIds(Pack(), "ledger-2024-26.csv", text).empty());  // not a fiscal-year label
  CHECK(RuleIds(Pack(), "ledger-q3.csv", text).empty());
  // Calendar years: a bare year in the name is the label.
  const Params calendar = {{"bd.fy_start_month", "1"}};
  CHECK(RuleIds(Pack(calendar), "ledger-2024.csv", "date\n2024-12-31\n2025-01-01\n") ==
        Ids{"BD-FY-002"});
}

TEST_CASE("bd vectors: party lists (BD-PTY-001, BD-BIN-003) and column aliases") {
  // Common ERP column names bind through the party schema's aliases, so the
  // identifier rules see them: bin_no and nid_no are checked as bin and nid.
  std::string described;
  Ids ids = RuleIds(Pack(), "parties.csv",
                    "party_id,name,etin,bin_no,nid_no,mobile_no\n"
                    "P-1,Acme,224187378587,9234567890127,1592824588424,01712345678\n"
                    "P-2,Beta,224187378587,0000000000000,12345,01812345678\n",
                    &described);
  CHECK_MESSAGE((ids == Ids{"BD-BIN-001", "BD-NID-001"}), described);
  // vat_reg_no is another alias of bin; mobile_no feeds BD-MOB-002 (all valid here).
  ids = RuleIds(Pack(), "parties.csv",
                "party_id,name,vat_reg_no,mobile_no\n"
                "P-1,Acme,9234567890127,01712345678\n"
                "P-2,Beta,9234567890128,01812345678\n"
                "P-1,Acme again,,01712345678\n"
                "P-3,Gamma,923-4567890-127,01912345678\n",
                &described);
  CHECK_MESSAGE((ids == Ids{"BD-BIN-003", "BD-PTY-001"}), described);
}
