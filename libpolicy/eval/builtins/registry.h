#pragma once
// Private to the builtins: the table behind FindBuiltin()/AllBuiltins() is
// assembled from one span per family (LANGUAGE.md section 8), each defined in
// its own file with static storage duration.
#include <span>

#include "libpolicy/eval/builtins.h"

namespace policy::eval {

std::span<const Builtin> TypeBuiltins();          // types.cpp
std::span<const Builtin> StringBuiltins();        // strings.cpp
std::span<const Builtin> TextBuiltins();          // text.cpp
std::span<const Builtin> NumberBuiltins();        // numbers.cpp
std::span<const Builtin> DateBuiltins();          // dates.cpp
std::span<const Builtin> CollectionBuiltins();    // collections.cpp
std::span<const Builtin> ComposeBuiltins();       // compose.cpp
std::span<const Builtin> ComposeExtraBuiltins();  // compose_extra.cpp
std::span<const Builtin> PortBuiltins();          // ports.cpp
std::span<const Builtin> PrometheusBuiltins();    // prometheus.cpp

}  // namespace policy::eval
