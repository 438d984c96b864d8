// A run split into pieces (partition.h: CheckPiece, IndexSources,
// FinishPieces): every file cut into partitions checked apart, each given the
// index sources its rules read as index-only inputs, then `mostly` shares and
// groups judged once from the pieces' state. The merged answer must be the
// whole run's, to the fingerprint; the oracle is Check() on the same inputs.
#include <doctest/doctest.h>

#include <algorithm>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "case_support.h"
#include "libpolicy/engine.h"
#include "libpolicy/eval/group_table_io.h"
#include "libpolicy/eval/kept_value.h"
#include "libpolicy/eval/program.h"
#include "libpolicy/partition.h"

using policy::InputKind;
using policy_test::CompileText;
using policy_test::DescribeDiagnostics;
using policy_test::Memory;

namespace {

constexpr const char* kRules = R"(
schema party { bin : string  name : string }
schema invoice { no : string  buyer : string  period : string  vat : decimal  branch : string  serial : decimal }
schema return { period : string  output_vat : decimal }
index party_by_bin = records(party) by row.bin
index return_by_period = records(return) by row.period
rule T-REF-001 {
  title "buyer in the master"
  on records(invoice)
  where row.buyer != null
  require party_by_bin has row.buyer
  at row.buyer
  message "buyer {row.buyer} is not in the master"
}
rule T-RET-001 {
  title "VAT per period equals the return"
  on records(invoice)
  group by period = row.period
  let vat = sum(row.vat)
  let ret = return_by_period[period]
  require ret != null and vat == ret.output_vat
  at ret.output_vat ?? argmax(row.vat)
  message "period {period}: {vat} against {ret.output_vat ?? "nothing"}"
}
rule T-SER-001 {
  title "no gaps"
  on records(invoice)
  group by branch = row.branch
  require max(row.serial) - min(row.serial) + 1 == count_distinct(row.serial)
  at argmax(row.serial)
  message "{branch}: {count()} invoices, serials {min(row.serial)} to {max(row.serial)}, first {values(row.no)[0]}"
}
rule T-MOST-001 {
  title "invoices mostly name a buyer"
  on records(invoice)
  require row.buyer != null and row.buyer != "" mostly 90%
}
rule T-MOST-002 {
  title "invoices mostly have small VAT"
  on records(invoice)
  require row.vat < 90 mostly 95%
}
)";

const policy::Program& Program() {
  static const policy::CompileResult compiled = CompileText(kRules);
  REQUIRE_MESSAGE(compiled.program, DescribeDiagnostics(compiled.diagnostics));
  return *compiled.program;
}

// Invoices over three periods and four branches, serials with gaps and
// repeats, a buyer missing from the master now and then, a blank buyer more
// often at the end of a file than at its start (so that one partition alone
// would judge `mostly` otherwise than the whole file).
std::string Invoices(unsigned seed, int rows, int first_no) {
  std::mt19937 rng(seed);
  std::string out = "no,buyer,period,vat,branch,serial\n";
  const char* periods[] = {"2024-07", "2024-08", "2024-09"};
  for (int i = 0; i < rows; ++i) {
    const bool late = i > rows * 3 / 4;
    std::string buyer = rng() % 13 == 0 ? "B9" : (rng() % 2 ? "B1" : "B2");
    if (late && rng() % 2) buyer = "";
    const int serial = i + 1 + (rng() % 41 == 0 ? 1 : 0) - (rng() % 53 == 0 ? 1 : 0);
    out += std::to_string(first_no + i) + "," + buyer + "," + periods[rng() % 3] + "," +
           std::to_string(rng() % 100) + "." + std::to_string(rng() % 10) + "," +
           std::string(1, static_cast<char>('A' + rng() % 4)) + "," + std::to_string(serial) + "\n";
  }
  return out;
}

std::vector<policy::Input> DataSet() {
  return {
      Memory("parties.csv", InputKind::kRecords, "bin,name\nB1,A\nB2,B\nB1,again\n"),
      Memory("returns.csv", InputKind::kRecords,
             "period,output_vat\n2024-07,30\n2024-08,10\n2024-09,10\n"),
      Memory("invoices-1.csv", InputKind::kRecords, Invoices(1, 400, 1)),
      Memory("invoices-2.csv", InputKind::kRecords, Invoices(2, 300, 1000)),
  };
}

std::string Describe(const policy::Finding& f) {
  return f.file + ":" + std::to_string(f.line) + ":" + std::to_string(f.column) + "-" +
         std::to_string(f.end_line) + ":" + std::to_string(f.end_column) + " " + f.rule + " " +
         f.message + " [" + f.path + "] " + f.fingerprint + " |" + f.source_line + "|";
}

std::string Describe(const policy::Problem& p) {
  return p.file + ":" + std::to_string(p.line) + ":" + std::to_string(p.column) + " " + p.message;
}

// ":N" counted over a whole input, as a merge numbers the pieces' findings.
void Renumber(std::vector<policy::Finding>& findings) {
  std::map<std::string, int> seen;
  for (policy::Finding& f : findings) {
    const std::string base = f.fingerprint.substr(0, f.fingerprint.find(':'));
    const int n = ++seen[f.file + '\0' + base];
    f.fingerprint = n == 1 ? base : base + ":" + std::to_string(n);
  }
}

struct Merged {
  std::vector<policy::Finding> findings;
  std::vector<std::string> problems;
  std::map<std::string, uint64_t> failed;
  uint64_t rules_run = 0;
};

// The run checked in pieces of about `bytes` and merged as libpolicy.dask
// merges them (every finding listed, so no listing limit to apply again).
Merged ByPieces(const std::vector<policy::Input>& run, const policy::CheckOptions& options,
                uint64_t bytes, size_t* pieces_made = nullptr) {
  const std::vector<std::vector<size_t>> sources = policy::IndexSources(Program(), run, options);
  std::vector<policy::PieceState> states;
  states.reserve(1000);
  std::vector<policy::PieceOfRun> pieces;
  std::vector<std::vector<policy::Finding>> per_input(run.size());
  std::vector<std::vector<policy::Problem>> problems(run.size());
  Merged out;
  for (size_t i = 0; i < run.size(); ++i) {
    const policy::Partitions parts = policy::SplitRecords(Program(), run[i], bytes);
    REQUIRE(parts.problem.empty());
    for (const policy::RecordRange& range : parts.ranges) {
      std::vector<policy::Input> inputs{run[i]};
      if (parts.ranges.size() > 1) inputs[0].range = range;
      for (size_t j : sources[i]) {
        inputs.push_back(run[j]);
        inputs.back().index_only = true;
      }
      policy::PieceState& state = states.emplace_back();
      policy::Report r = policy::CheckPiece(Program(), inputs, options, state);
      REQUIRE(r.inputs.size() == 1);  // index-only inputs are not checked
      pieces.push_back({i, &state});
      for (policy::Finding& f : r.findings) per_input[i].push_back(std::move(f));
      for (policy::Problem& p : r.problems) problems[i].push_back(std::move(p));
      for (const auto& [id, c] : r.by_rule) out.failed[id] += c.failed;
    }
  }
  if (pieces_made) *pieces_made = pieces.size();
  policy::RunTotals totals = policy::FinishPieces(Program(), run, pieces, options);
  REQUIRE(totals.error.empty());
  for (size_t i = 0; i < run.size(); ++i) {
    for (policy::Finding& f : totals.mostly[i]) {
      ++out.failed[f.rule];
      per_input[i].push_back(std::move(f));
    }
    std::stable_sort(per_input[i].begin(), per_input[i].end(), policy::FindingLess);
    Renumber(per_input[i]);
    for (policy::Finding& f : per_input[i]) out.findings.push_back(std::move(f));
    for (const policy::Problem& p : problems[i])
      if (!(totals.fed[i] && p.code == "input.no_rule")) out.problems.push_back(Describe(p));
  }
  for (policy::Finding& f : totals.whole.findings) out.findings.push_back(std::move(f));
  for (const policy::Problem& p : totals.whole.problems) out.problems.push_back(Describe(p));
  for (const auto& [id, c] : totals.whole.by_rule) out.failed[id] += c.failed;
  std::stable_sort(out.findings.begin(), out.findings.end(), policy::FindingLess);
  out.rules_run = totals.whole.rules_run;
  return out;
}

void ExpectSameAsOneProcess(const std::vector<policy::Input>& run, uint64_t bytes) {
  CAPTURE(bytes);
  policy::CheckOptions options;
  options.max_findings = 0;
  options.jobs = 2;
  const policy::Report whole = policy::Check(Program(), run, options);
  size_t pieces = 0;
  Merged merged = ByPieces(run, options, bytes, &pieces);
  CHECK(pieces > run.size() + 2);  // the invoices did split
  REQUIRE(merged.findings.size() == whole.findings.size());
  for (size_t i = 0; i < whole.findings.size(); ++i) {
    CAPTURE(i);
    CHECK(Describe(merged.findings[i]) == Describe(whole.findings[i]));
  }
  std::vector<std::string> whole_problems;
  for (const policy::Problem& p : whole.problems) whole_problems.push_back(Describe(p));
  CHECK(merged.problems == whole_problems);
  for (const auto& [id, c] : whole.by_rule) {
    CAPTURE(id);
    CHECK(merged.failed[id] == c.failed);
  }
  CHECK(merged.rules_run == whole.rules_run);
}

}  // namespace

TEST_CASE("pieces: groups, indexes and mostly over partitions give the one-process report") {
  const std::vector<policy::Input> run = DataSet();
  policy::CheckOptions options;
  options.max_findings = 0;
  const policy::Report whole = policy::Check(Program(), run, options);
  // The data set exercises what travels: each rule finds something.
  std::map<std::string, int> by_rule;
  for (const policy::Finding& f : whole.findings) ++by_rule[f.rule];
  CHECK(by_rule["T-RET-001"] > 0);
  CHECK(by_rule["T-SER-001"] > 0);
  CHECK(by_rule["T-REF-001"] > 0);
  CHECK(by_rule["INDEX"] == 1);  // B1 twice in the master: said once, not once per piece
  CHECK(by_rule["T-MOST-001"] == 2);
  for (uint64_t bytes : {400u, 1500u, 5000u}) {
    CAPTURE(bytes);
    ExpectSameAsOneProcess(run, bytes);
  }
}

TEST_CASE("pieces: a partition alone would judge mostly otherwise, the added tallies decide") {
  // The first quarter of each file names a buyer nearly always: a piece of it
  // passes T-MOST-001 alone, the whole file does not.
  const std::vector<policy::Input> run = DataSet();
  policy::CheckOptions options;
  options.max_findings = 0;
  options.only = {"T-MOST-001"};
  std::vector<policy::Input> first{run[2]};
  first[0].range = policy::SplitRecords(Program(), run[2], 2000).ranges.at(0);
  const policy::Report alone = policy::Check(Program(), first, options);
  CHECK(alone.findings.empty());
  policy::PieceState state;
  policy::Report piece = policy::CheckPiece(Program(), first, options, state);
  CHECK(piece.findings.empty());
  REQUIRE(state.mostly.size() == 1);
  REQUIRE(state.mostly[0].size() == 1);
  CHECK(state.mostly[0][0].rule == "T-MOST-001");
  CHECK(state.mostly[0][0].total > 0);
  ExpectSameAsOneProcess(run, 2000);
}

TEST_CASE("pieces: index-only inputs feed the indexes and are neither checked nor reported") {
  const std::vector<policy::Input> run = DataSet();
  policy::CheckOptions options;
  options.max_findings = 0;
  // The invoices alone: their index sources missing, T-REF-001 does not run.
  const policy::Report without = policy::Check(Program(), {run[2]}, options);
  CHECK(std::none_of(without.findings.begin(), without.findings.end(),
                     [](const policy::Finding& f) { return f.rule == "T-REF-001"; }));
  // The master given index-only: T-REF-001 runs, the master is not an input.
  std::vector<policy::Input> inputs{run[2], run[0]};
  inputs[1].index_only = true;
  const policy::Report with = policy::Check(Program(), inputs, options);
  CHECK(with.inputs.size() == 1);
  CHECK(with.files == 1);
  CHECK(std::any_of(with.findings.begin(), with.findings.end(),
                    [](const policy::Finding& f) { return f.rule == "T-REF-001"; }));
  // The master's own finding is the index's (a key seen twice), said as one process says it.
  for (const policy::Finding& f : with.findings)
    CHECK(f.file == (f.rule == "INDEX" ? "parties.csv" : "invoices-1.csv"));
  // The master both checked and index-only: indexed once, so its one key
  // seen twice is one INDEX finding (fed twice, there would be three).
  std::vector<policy::Input> twice{run[2], run[0], run[0]};
  twice[2].index_only = true;
  const policy::Report once = policy::Check(Program(), twice, options);
  CHECK(std::count_if(once.findings.begin(), once.findings.end(),
                      [](const policy::Finding& f) { return f.rule == "INDEX"; }) == 1);
  CHECK(once.inputs.size() == 2);
}

TEST_CASE("pieces: group tables written and read back merge as the tables themselves") {
  const std::vector<policy::Input> run = DataSet();
  policy::CheckOptions options;
  options.only = {"T-SER-001", "T-RET-001"};
  std::vector<policy::Input> inputs{run[2], run[1]};
  inputs[1].index_only = true;  // the returns T-RET-001 reads
  policy::PieceState state;
  policy::CheckPiece(Program(), inputs, options, state);
  REQUIRE(!state.groups.empty());
  std::vector<std::pair<const policy::eval::CompiledRule*, policy::eval::GroupTable>> tables;
  std::string error;
  auto id = [](std::string_view name) -> uint16_t {
    return name == "invoices-1.csv" ? policy::eval::kForeignFileBase : 0;
  };
  REQUIRE(policy::eval::ReadGroupTables(state.groups, Program(), id, tables, &error));
  REQUIRE(tables.size() == 2);
  // Written again, the tables read back are the same bytes.
  std::vector<const policy::eval::GroupTable*> list;
  for (const auto& [rule, table] : tables) list.push_back(&table);
  const std::optional<std::string> again = policy::eval::WriteGroupTables(list, {"invoices-1.csv"});
  REQUIRE(again);
  // Distinct keys are a set (any order): compare the groups' sizes and keys instead of bytes.
  tables.clear();
  REQUIRE(policy::eval::ReadGroupTables(*again, Program(), id, tables, &error));
  for (const auto& [rule, table] : tables) {
    CHECK(table.groups().size() > 1);
    for (const policy::eval::Group& g : table.groups()) CHECK(g.file == id("invoices-1.csv"));
  }
  // Bytes of another version, or cut short, are refused with a reason.
  std::string other = state.groups;
  other[3] = 9;
  tables.clear();
  CHECK(!policy::eval::ReadGroupTables(other, Program(), id, tables, &error));
  CHECK(error.find("version 9") != std::string::npos);
  tables.clear();
  CHECK(!policy::eval::ReadGroupTables(state.groups.substr(0, state.groups.size() / 2), Program(),
                                       id, tables, &error));
  CHECK(error.find("cut short") != std::string::npos);
}
