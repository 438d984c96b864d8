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
// whose verdict needs the whole input (WholeInputRules) sees one partition
// only, and --max-findings applies per piece (a merge keeps the first N).
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
// needs all of its records: `unique` (a key repeated anywhere in the input)
// and `mostly` (a share of the input's records). Checked by partitions, they
// would judge each partition alone; until their state merges, a partitioned
// run must not have them, or give each file one partition.
std::vector<std::string> WholeInputRules(const Program& program, const CheckOptions& options);

// The ids of the selected rules whose verdict needs several inputs at once
// (LANGUAGE.md section 11): grouped rules and rules that read an index. A run
// that checks inputs in separate calls (one task per file or per partition)
// would judge each call alone, so it must not have them until group and index
// state travel between calls.
std::vector<std::string> CrossInputRules(const Program& program, const CheckOptions& options);

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
