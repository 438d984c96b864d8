#pragma once
// Group tables as bytes, so that a grouped rule's state travels between the
// tasks of a partitioned run (issue 16, docs/SCALE.md): each task writes the
// tables its share of the records made, the reduce reads them back and merges
// them in input and partition order (GroupTable::Merge is associative), then
// judges the groups once, as one process does.
//
// Format, version 1 (all integers little-endian; a string is a u32 length
// and its bytes):
//
//   "PGT" u8 version=1
//   u32 file count, file names          -- the inputs the values point into
//   u32 table count, per table:
//     string rule id; u32 aggregate count
//     u8 over limit; u32 file slot, u32 line  -- GroupTable::over_limit()
//     u32 group count, per group:
//       u32 file slot, u32 line (its first binding); u32 key count, keys
//       per aggregate: u64 count; string sum (Decimal::ToString: exact, with
//         its scale); value best; u64 distinct count, distinct key bytes;
//         u32 value count, values; u64 values dropped; string error
//   value: u8 type (policy::Type), u8 flags, u32 line, column, end line,
//     end column, u32 file slot; u32 path depth, per node from the value up
//     to its root: string key, i64 index; then by type: bool u8, decimal
//     string (ToString), string, date string (YYYY-MM-DD), list u32 n and
//     values, map u32 n and (string key, value) pairs
//   file slot: 0 = no input (the value has no place), else 1 + the position
//     in the file names; a kept value's foreign id (kept_value.h) is
//     written so and read back as the reader's id of the same name
//
// Distinct keys are written in no particular order (a set). A regex value
// cannot be written (records never hold one): the writer fails.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "libpolicy/eval/group_table.h"
#include "libpolicy/eval/program.h"

namespace policy::eval {

inline constexpr uint8_t kGroupTableFormat = 1;

// `tables` as bytes; `files` names the foreign ids their values carry
// (kForeignFileBase + position). nullopt when a value cannot be written.
std::optional<std::string> WriteGroupTables(const std::vector<const GroupTable*>& tables,
                                            const std::vector<std::string>& files);

// The tables of WriteGroupTables' bytes, each of the rule of `program` with
// its id, in the order written. `file_id` gives the foreign id this run has
// for an input's name. False, with `error` said, for bytes of another version,
// cut short, or naming a rule `program` does not have grouped.
struct GroupTableIo;
bool ReadGroupTables(std::string_view bytes, const Program& program,
                     const std::function<uint16_t(std::string_view name)>& file_id,
                     std::vector<std::pair<const CompiledRule*, GroupTable>>& out,
                     std::string* error);

}  // namespace policy::eval
