#pragma once
// The numbers family of builtins (LANGUAGE.md section 8): abs, min, max, round, sum.
//
// The table that FindBuiltin()/AllBuiltins() serve is assembled from one span per
// family; this is the numbers family's. Entries have static storage duration.
#include <span>

// decimal.h spells __int128 without __extension__, which GCC's -Wpedantic rejects.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wpedantic"
#include "libpolicy/eval/builtins.h"
#pragma GCC diagnostic pop

namespace policy::eval {

std::span<const Builtin> NumberBuiltins();

}  // namespace policy::eval
