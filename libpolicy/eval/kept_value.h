#pragma once
// Values that outlive their input: index entries and group state (LANGUAGE.md
// section 11) are copied out of the record or document they come from, with
// their locations, into storage of their own. Their Loc::file then names the
// input by a run-wide id, so a finding can point into any input.
#include <cstdint>
#include <string>
#include <string_view>

#include "libpolicy/arena.h"
#include "libpolicy/value.h"

namespace policy::eval {

// Loc::file of a kept value: kForeignFileBase + the input's position among
// the inputs of the run (InputInfo::foreign_files names them).
inline constexpr uint16_t kForeignFileBase = 0x8000;
inline constexpr uint32_t kMaxForeignFiles = 0x7fff;

// A deep copy of `v` in `arena`, located where `v` is, in input `file` (a
// foreign id), with its path.
Value KeepValue(const Value& v, Arena& arena, uint16_t file);

// The bytes `unique` and indexes compare keys by: type and value, so "1" is
// not 1 (LANGUAGE.md section 2, unique).
void AppendKeyBytes(const Value& key, std::string& out);

}  // namespace policy::eval
