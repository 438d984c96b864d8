#pragma once
// Baseline files (CLI.md "Suppressing a finding"): the fingerprints of accepted
// findings, as gitleaks and detect-secrets keep them.
//
//   {"version": 1, "fingerprints": [{"rule": ..., "file": ..., "fingerprint": ...}, ...]}
//
// Fingerprints are computed from paths relative to the repository root, so a
// baseline matches whatever directory policy-check runs from; `file` is there
// for people reading the file and is not compared.
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <utility>

#include "libpolicy/finding.h"

namespace policy::cli {

using Baseline = std::set<std::pair<std::string, std::string>>;  // (rule, fingerprint)

// The baseline of a report's findings that are not suppressed inline, sorted
// by rule, file, fingerprint. `repo_root` rebases `file`.
std::string FormatBaseline(const Report& report, const std::string& repo_root);

// Parses a baseline; nullopt with `error` set when the text is not one.
std::optional<Baseline> ParseBaseline(const std::string& text, std::string& error);

// Marks the unsuppressed findings the baseline holds; returns how many.
uint64_t ApplyBaseline(const Baseline& baseline, Report& report);

}  // namespace policy::cli
