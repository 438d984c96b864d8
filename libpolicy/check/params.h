#pragma once
// Param values: defaults folded at compile time, overrides read as YAML flow
// values (LANGUAGE.md section 2) and checked against the declared type.
#include <optional>
#include <string>

#include "libpolicy/arena.h"
#include "libpolicy/value.h"

namespace policy::check {

// Parses an override for a param of `type` (bool decimal string date list).
// Returns nullopt and sets `error` when the text is not a value of that type.
std::optional<Value> ParseParamOverride(const std::string& type, const std::string& text,
                                        Arena& arena, std::string& error);

// True when `v` is a value of the declared param type.
bool MatchesParamType(const std::string& type, const Value& v);

}  // namespace policy::check
