#pragma once
// `policy-check explain CODE`: a diagnostic code's severity, message form and
// help, from the table in libpolicy/diagnostic_codes.def.
#include <string>
#include <string_view>
#include <vector>

#include "libpolicy/diagnostic_codes.h"

namespace policy::cli {

// The text `explain` prints for a code:
//   syntax.expected (error)
//
//     message: expected WHAT, found TOKEN
//
//   HELP
std::string FormatCodeExplanation(const DiagCodeInfo& info);

// Every code's stable string, in table order: candidates for "did you mean".
std::vector<std::string> AllCodeNames();

}  // namespace policy::cli
