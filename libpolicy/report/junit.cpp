#include <map>
#include <set>

#include "libpolicy/diagnostic_codes.h"
#include "libpolicy/report.h"
#include "libpolicy/report/uri.h"

namespace policy::report {
namespace {

struct Case {
  std::vector<const Finding*> failures;  // unsuppressed findings at or above fail_at, in order
  std::vector<const Finding*> passing;   // unsuppressed findings below fail_at: <system-out>
  uint64_t suppressed = 0;
};

// Severity orders kError < kWarning < kInfo: "at or above" is "not greater".
bool Fails(const Finding& f, const std::optional<Severity>& fail_at) {
  return fail_at.has_value() && EffectiveSeverity(f) <= *fail_at;
}

struct Suite {
  std::string file;
  std::map<std::string, Case> cases;  // by rule id, so testcases are sorted
  std::vector<const Problem*> problems;
  const Problem* unjudged = nullptr;  // read, but no selected rule applies: a skipped test
};

std::string FindingLine(const Finding& f) {
  std::string out = f.file;
  if (f.line) {
    out += ":" + std::to_string(f.line);
    if (f.column) out += ":" + std::to_string(f.column);
  }
  return out + ": " + SeverityName(EffectiveSeverity(f)) + ": " + f.message + " [" + f.rule + "]";
}

std::string Attr(const char* name, const std::string& value) {
  // Attribute values are normalised by parsers: newlines must be references.
  std::string escaped;
  for (char c : EscapeXml(value)) {
    if (c == '\n') {
      escaped += "&#10;";
    } else if (c == '\t') {
      escaped += "&#9;";
    } else {
      escaped += c;
    }
  }
  return std::string(" ") + name + "=\"" + escaped + "\"";
}

std::string Plural(std::size_t n, const char* word) {
  return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

}  // namespace

std::string FormatJunit(const Report& report, const Context& ctx) {
  std::vector<Suite> suites;
  std::map<std::string, std::size_t> by_file;
  auto suite_of = [&](const std::string& file) -> Suite& {
    auto [it, added] = by_file.emplace(file, suites.size());
    if (added) suites.push_back(Suite{file, {}, {}, nullptr});
    return suites[it->second];
  };
  for (const InputSummary& in : report.inputs) {
    Suite& s = suite_of(in.file);
    for (const std::string& rule : in.rules) s.cases[rule];
  }
  // Files only the report knows of (findings are sorted by file already).
  std::set<std::string> extra;
  for (const Finding& f : report.findings) {
    if (!by_file.count(f.file)) extra.insert(f.file);
  }
  for (const Problem& p : report.problems) {
    if (!by_file.count(p.file)) extra.insert(p.file);
  }
  for (const std::string& file : extra) suite_of(file);
  for (const Finding& f : report.findings) {
    Case& c = suite_of(f.file).cases[f.rule];
    if (f.suppressed != Suppression::kNone) {
      ++c.suppressed;
    } else if (Fails(f, ctx.fail_at)) {
      c.failures.push_back(&f);
    } else {
      c.passing.push_back(&f);
    }
  }
  for (const Problem& p : report.problems) {
    if (!p.warning) suite_of(p.file).problems.push_back(&p);
    if (p.code == NameOf(DiagCode::kInputNoRule)) suite_of(p.file).unjudged = &p;
  }

  std::size_t total_tests = 0, total_failures = 0, total_errors = 0, total_skipped = 0;
  std::string body;
  for (const Suite& s : suites) {
    std::size_t failures = 0;
    for (const auto& [rule, c] : s.cases) failures += c.failures.empty() ? 0 : 1;
    const std::size_t skipped = s.unjudged != nullptr ? 1 : 0;
    std::size_t tests = s.cases.size() + s.problems.size() + skipped;
    total_tests += tests;
    total_failures += failures;
    total_errors += s.problems.size();
    total_skipped += skipped;
    body += "  <testsuite" + Attr("name", s.file) + Attr("tests", std::to_string(tests)) +
            Attr("failures", std::to_string(failures)) +
            Attr("errors", std::to_string(s.problems.size())) +
            Attr("skipped", std::to_string(skipped)) + ">\n";
    if (s.unjudged != nullptr) {
      body += "    <testcase" + Attr("name", "no rule ran") + Attr("classname", s.file) + ">\n";
      body += "      <skipped" + Attr("message", s.unjudged->message) + "/>\n";
      body += "    </testcase>\n";
    }
    for (const Problem* p : s.problems) {
      std::string where = p->file;
      if (p->line) where += ":" + std::to_string(p->line) + ":" + std::to_string(p->column);
      body += "    <testcase" + Attr("name", "input") + Attr("classname", s.file) + ">\n";
      body += "      <error" + Attr("message", p->message) + Attr("type", "input") + ">" +
              EscapeXml(where + ": error: " + p->message) + "</error>\n";
      body += "    </testcase>\n";
    }
    for (const auto& [rule, c] : s.cases) {
      body += "    <testcase" + Attr("name", rule) + Attr("classname", s.file);
      if (c.failures.empty() && c.passing.empty()) {
        body += "/>\n";
        continue;
      }
      body += ">\n";
      if (c.failures.empty()) {
        // Below --fail-on: the check passes, and the findings stay readable.
        std::string text;
        for (const Finding* f : c.passing) text += FindingLine(*f) + "\n";
        body += "      <system-out>" + EscapeXml(text) + "</system-out>\n";
        body += "    </testcase>\n";
        continue;
      }
      std::string text;
      for (const Finding* f : c.failures) text += FindingLine(*f) + "\n";
      for (const Finding* f : c.passing) text += FindingLine(*f) + "\n";
      if (c.suppressed) text += Plural(c.suppressed, "suppressed finding") + " not listed\n";
      const Finding& first = *c.failures.front();
      body += "      <failure" + Attr("message", Plural(c.failures.size(), "finding")) +
              Attr("type", SeverityName(EffectiveSeverity(first))) + ">" + EscapeXml(text) +
              "</failure>\n";
      body += "    </testcase>\n";
    }
    body += "  </testsuite>\n";
  }
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites" +
         Attr("name", "policy-check " + ctx.tool_version) +
         Attr("tests", std::to_string(total_tests)) +
         Attr("failures", std::to_string(total_failures)) +
         Attr("errors", std::to_string(total_errors)) +
         Attr("skipped", std::to_string(total_skipped)) + ">\n" + body + "</testsuites>\n";
}

}  // namespace policy::report
