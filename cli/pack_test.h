#pragma once
// Rule-pack tests (CLI.md "Rule-pack tests"): the pure parts, compared without
// running anything.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "libpolicy/engine.h"
#include "libpolicy/finding.h"

namespace policy::cli {

struct Expectation {
  std::string rule;
  uint32_t line = 0;
  std::optional<uint32_t> column;  // absent: any column on the line
};

struct Difference {
  bool missing = false;  // expected but not found; else found but not expected
  std::string rule;
  uint32_t line = 0;
  uint32_t column = 0;  // 0 when an expectation gave none
  std::string message;  // the unexpected finding's message
};

// Reads `[{"rule": ..., "line": N, "column": N}, ...]`; nullopt with `error` set
// when the text is not such a list.
std::optional<std::vector<Expectation>> ParseExpected(const std::string& text, std::string& error);

// Compares as multisets, returning the differences ordered by line, column, rule.
std::vector<Difference> CompareFindings(const std::vector<Expectation>& expected,
                                        const std::vector<Finding>& actual);

// A fixture's kind by its name: compose*.y(a)ml and docker-compose*.y(a)ml are
// compose files (fixture names like compose-bad.yaml included), other YAML and
// JSON are documents, csv/tsv/jsonl/ndjson records; kAuto otherwise.
InputKind FixtureKind(const std::string& file_name);

}  // namespace policy::cli
