#pragma once
// Inline suppressions in YAML inputs (CLI.md "Suppressing a finding"):
//   # policy-check: ignore RDY-IMG-001,supply-chain -- reason     (this line or the next)
//   # policy-check: ignore-file RDY-HLT-001 -- reason              (the whole file)
// Comments inside block scalars are text, never directives.
#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace policy::run {

struct Directive {
  uint32_t line = 0;
  uint32_t column = 0;  // of the '#'
  bool whole_file = false;
  std::vector<std::string> ids;  // rule ids or tags
  std::string reason;            // empty when none was given
  bool used = false;
};

std::vector<Directive> ParseDirectives(std::string_view yaml_text);

// The directive that suppresses a finding of `rule` (with `tags`) at `line`, or null.
Directive* FindDirective(std::vector<Directive>& directives, const std::string& rule,
                         const std::vector<std::string>& tags, uint32_t line);

}  // namespace policy::run
