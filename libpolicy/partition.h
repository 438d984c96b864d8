#pragma once
// Partitions of record files: one CSV, TSV or JSON Lines file checked as
// several independent pieces (other processes, other machines) whose findings
// concatenate to those of the whole file.
//
//   policy::Partitions parts = policy::SplitRecords(*program, {"invoices.csv"}, 64 << 20);
//   for (const policy::RecordRange& r : parts.ranges) {
//     policy::Input in{"invoices.csv"};
//     in.range = r;
//     policy::Report piece = policy::Check(*program, {in}, options);  // anywhere
//   }
//
// A partition's findings have the lines, messages and fingerprints of the
// whole file's (repeats aside: ":N" counts within the piece, so a merge
// numbers them again), its CSV header is read from the file's start, and only
// the first partition reports header issues. What does not split: a rule
// whose verdict needs the whole input sees one partition only (CheckPiece
// leaves `mostly` and groups to FinishPieces; `unique`: WholeInputRules), and
// --max-findings applies per piece (a merge keeps the first N).
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "libpolicy/engine.h"

namespace policy {

struct Partitions {
  // In file order, covering it exactly; one range for a file that does not
  // split (smaller than target_bytes, or not a CSV/TSV/JSON Lines stream).
  std::vector<RecordRange> ranges;
  bool splittable = false;  // a CSV, TSV or JSON Lines input: ranges may be checked apart
  std::string problem;      // the file could not be read: nothing to split (ranges empty)
};

// Cuts `input` (a file, or its in-memory text) at record boundaries into
// ranges of about `target_bytes` (0: one range), quote-aware for CSV: a quoted
// cell may hold line breaks. Lines count as the reader counts them (LF, CR LF
// or a lone CR; a BOM is no line). One sequential pass over the file, mapped
// into memory: its cost is that of reading the file once.
Partitions SplitRecords(const Program& program, const Input& input, uint64_t target_bytes);

// The ids of the rules selected by `options` whose verdict on a record input
// needs all of its records and whose state does not travel between pieces
// yet: `unique` (a key repeated anywhere in the input). Checked by
// partitions, they would judge each partition alone; until their state
// merges, a partitioned run must not have them, or give each file one
// partition. (`mostly` tallies travel: CheckPiece, FinishPieces.)
std::vector<std::string> WholeInputRules(const Program& program, const CheckOptions& options);

// The ids of the selected rules whose verdict needs several inputs at once
// (LANGUAGE.md section 11): grouped rules and rules that read an index. A run
// that checks inputs in separate calls (one task per file or per partition)
// judges them exactly only through CheckPiece and FinishPieces below.
std::vector<std::string> CrossInputRules(const Program& program, const CheckOptions& options);

// A run split into pieces (one Dask task each: an input, or a partition of
// one) checks each piece with CheckPiece, then judges once, with
// FinishPieces, what needs every piece: `mostly` shares of partitioned
// inputs and groups. Indexes: a piece is given the sources of the indexes
// its rules read as index-only inputs (IndexSources, Input::index_only), so
// it reads them whole; FinishPieces builds them once more and reports their
// own findings (duplicate keys, a missing source) once.
//
//   std::vector<std::vector<size_t>> sources = policy::IndexSources(program, run, options);
//   for each piece of run[i]:  inputs = {piece} + index-only copies of run[sources[i]...]
//     policy::PieceState state;
//     policy::Report part = policy::CheckPiece(program, inputs, options, state);  // anywhere
//   policy::RunTotals totals = policy::FinishPieces(program, run, pieces, options);
//
// The reports of the pieces, merged as partitions merge (the Dask module
// does), plus the totals, are the report of Check(program, run, options).
struct PieceState {
  struct Tally {
    std::string rule;
    uint64_t passed = 0;
    uint64_t total = 0;
  };
  // Per input of the piece: the tallies of its `mostly` rules when the input
  // is a partition (Input::range), whose finding the piece leaves out.
  std::vector<std::vector<Tally>> mostly;
  // Every grouped rule's groups as bytes (eval/group_table_io.h); empty when
  // no grouped rule ran.
  std::string groups;
  // Every `unique` key of the piece's record streams with its record's place
  // (a key log: ResolveUniqueKeys below); a piece decides none.
  std::string unique_keys;
};

Report CheckPiece(const Program& program, const std::vector<Input>& inputs,
                  const CheckOptions& options, PieceState& state);

// For each input of a run, the positions of the run's inputs that feed the
// indexes the selected rules on it read (none when its rules read none).
std::vector<std::vector<size_t>> IndexSources(const Program& program,
                                              const std::vector<Input>& inputs,
                                              const CheckOptions& options);

// One piece of a run for FinishPieces: the state CheckPiece left and the
// position in the run of the input it checked.
struct PieceOfRun {
  size_t input = 0;
  const PieceState* state = nullptr;
};

struct RunTotals {
  // Per input of the run: its `mostly` findings (added tallies of its
  // partitions), fingerprinted; they belong among that input's findings
  // (counted failed and listed there).
  std::vector<std::vector<Finding>> mostly;
  // What one process reports after every input: the findings of groups and
  // index building, the problems of missing index sources, their counters,
  // and rules_run (rules reading a missing index do not run).
  Report whole;
  // Per input of the run: it fed an index (then no "no selected rule
  // applies" warning is said of it, as one process says none).
  std::vector<char> fed;
  std::string error;  // a piece's state could not be read: no totals
};

// `inputs`: the run as one process would be given it; `pieces`: in input,
// then partition order.
RunTotals FinishPieces(const Program& program, const std::vector<Input>& inputs,
                       const std::vector<PieceOfRun>& pieces, const CheckOptions& options);

// ---- `unique` across tasks ----------------------------------------------
// A rule's `unique` compares across every file of a data set (LANGUAGE.md
// section 11.3). Split into tasks, a run decides it in three steps, each exact:
//
//   1. every task checks with CheckOptions::defer_unique: its report has no
//      repeat, and Report::unique_keys holds each key with its record's place;
//   2. ResolveUniqueKeys reads the tasks' key logs in input and partition
//      order and gives the repeats, each naming the key's first place. To
//      bound memory, SplitUniqueKeys cuts each log into buckets by key hash
//      first: bucket b of every log resolves alone (in the same order);
//   3. UniqueRepeatFindings builds each input's repeat findings, reading each
//      repeated record again by its bytes, and lists the first --max-findings.
//
// Steps 2 and 3 throw std::invalid_argument on bytes that are not a key log.

// The entries of `log` in `buckets` logs by the hash of their rule, data set
// and key, each in the order of `log`.
std::vector<std::string> SplitUniqueKeys(std::string_view log, uint32_t buckets);

// The repeats of `logs` (read in this order: input, then partition order), as
// a key log whose entries name their first place.
std::string ResolveUniqueKeys(const std::vector<std::string_view>& logs);

// The findings of the repeats in `input` (a CSV, TSV or JSON Lines file)
// among `repeats` (the resolved logs of every bucket; entries of other inputs
// are left out), in file order, the first --max-findings listed per rule, with
// their counters: to be added to the report of the input's tasks.
Report UniqueRepeatFindings(const Program& program, const Input& input,
                            const std::vector<std::string_view>& repeats,
                            const CheckOptions& options);

}  // namespace policy
