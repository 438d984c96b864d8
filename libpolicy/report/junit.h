#pragma once
// JUnit XML with the inputs of the run spelled out. A Report lists only files
// that produced something, but a JUnit consumer also wants the passing
// (rule, file) pairs, which only the caller knows: the files checked and the
// rules that ran on each.
#include <string>
#include <vector>

#include "libpolicy/report.h"

namespace policy::report {

struct JunitInput {
  std::string file;                // as in Finding::file
  std::vector<std::string> rules;  // the rule ids that ran on it
};

// No times: the output is the same for every --jobs and every run.
// One <testsuite> per input (those of `inputs`, in order, then any other file
// of the report's findings and problems, sorted), one <testcase> per (rule,
// file): a <failure> listing the rule's unsuppressed findings in the file, or
// passing. An input problem is a testcase "input" with an <error>.
std::string FormatJunitSuites(const Report& report, const Context& ctx,
                              const std::vector<JunitInput>& inputs);

}  // namespace policy::report
