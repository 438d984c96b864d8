#pragma once
// Param values: defaults folded at compile time, overrides read as YAML flow
// values (LANGUAGE.md section 2) and checked against the declared type.
#include <string>

#include "libpolicy/arena.h"
#include "libpolicy/result.h"
#include "libpolicy/value.h"

namespace policy::check {

// Parses an override for a param of `type` (bool decimal string date list): the
// value, or a param.type error saying why the text is not a value of that type.
Result<Value> ParseParamOverride(const std::string& type, const std::string& text, Arena& arena);

// True when `v` is a value of the declared param type.
bool MatchesParamType(const std::string& type, const Value& v);

}  // namespace policy::check
