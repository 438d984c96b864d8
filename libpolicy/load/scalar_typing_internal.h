#pragma once
// The YAML 1.2 core schema for plain scalars (LANGUAGE.md section 3).
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "libpolicy/value.h"

namespace policy::load {

// How a plain (unquoted, untagged) scalar reads: null, bool, decimal, or kString
// (the caller keeps the text). Numbers with more than 38 significant digits, or
// a scale outside 0..38, read as strings.
enum class PlainKind { kNull, kBool, kDecimal, kString };
struct PlainScalar {
  PlainKind kind = PlainKind::kString;
  bool b = false;
  Decimal d;
};
PlainScalar TypePlainScalar(std::string_view text);

}  // namespace policy::load
