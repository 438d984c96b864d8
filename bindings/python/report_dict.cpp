#include "report_dict.h"

#include <pybind11/stl.h>

#include <string>

namespace py = pybind11;

namespace policy::python {
namespace {

Severity SeverityOf(const std::string& name) {
  if (name == "error") return Severity::kError;
  if (name == "warning") return Severity::kWarning;
  if (name == "info") return Severity::kInfo;
  throw py::value_error("unknown severity '" + name + "'");
}

FindingKind KindOf(const std::string& name) {
  if (name == "finding") return FindingKind::kFinding;
  if (name == "evaluation_error") return FindingKind::kEvaluationError;
  if (name == "schema") return FindingKind::kSchema;
  throw py::value_error("unknown finding kind '" + name + "'");
}

Suppression SuppressionOf(const py::handle& h) {
  if (h.is_none()) return Suppression::kNone;
  const auto name = h.cast<std::string>();
  if (name == "inline") return Suppression::kInline;
  if (name == "baseline") return Suppression::kBaseline;
  throw py::value_error("unknown suppression '" + name + "'");
}

py::dict ProblemToDict(const Problem& p) {
  py::dict d;
  d["file"] = p.file;
  d["line"] = p.line;
  d["column"] = p.column;
  d["message"] = p.message;
  d["warning"] = p.warning;
  d["code"] = p.code;
  return d;
}

Problem ProblemFromDict(const py::handle& h) {
  const auto d = py::reinterpret_borrow<py::dict>(h);
  return {d["file"].cast<std::string>(), d["line"].cast<uint32_t>(),
          d["column"].cast<uint32_t>(),  d["message"].cast<std::string>(),
          d["warning"].cast<bool>(),     d["code"].cast<std::string>()};
}

template <class T>
py::list ListOf(const std::vector<T>& items, py::dict (*convert)(const T&)) {
  py::list out;
  for (const T& item : items) out.append(convert(item));
  return out;
}

py::dict FindingToDict(const Finding& f) {
  py::dict d;
  d["rule"] = f.rule;
  d["severity"] = SeverityName(f.severity);
  d["kind"] = FindingKindName(f.kind);
  d["message"] = f.message;
  d["file"] = f.file;
  d["line"] = f.line;
  d["column"] = f.column;
  d["end_line"] = f.end_line;
  d["end_column"] = f.end_column;
  d["path"] = f.path;
  d["fingerprint"] = f.fingerprint;
  const char* suppressed = SuppressionName(f.suppressed);
  d["suppressed"] = suppressed ? py::object(py::str(suppressed)) : py::object(py::none());
  d["source_line"] = f.source_line;
  d["source_column"] = f.source_column;
  return d;
}

Finding FindingFromDict(const py::handle& h) {
  const auto d = py::reinterpret_borrow<py::dict>(h);
  Finding f;
  f.rule = d["rule"].cast<std::string>();
  f.severity = SeverityOf(d["severity"].cast<std::string>());
  f.kind = KindOf(d["kind"].cast<std::string>());
  f.message = d["message"].cast<std::string>();
  f.file = d["file"].cast<std::string>();
  f.line = d["line"].cast<uint32_t>();
  f.column = d["column"].cast<uint32_t>();
  f.end_line = d["end_line"].cast<uint32_t>();
  f.end_column = d["end_column"].cast<uint32_t>();
  f.path = d["path"].cast<std::string>();
  f.fingerprint = d["fingerprint"].cast<std::string>();
  f.suppressed = SuppressionOf(d["suppressed"]);
  f.source_line = d["source_line"].cast<std::string>();
  f.source_column = d["source_column"].cast<uint32_t>();
  return f;
}

py::dict SummaryToDict(const InputSummary& s) {
  py::dict d;
  d["file"] = s.file;
  d["kind"] = s.kind;
  d["schema"] = s.schema;
  d["rules"] = s.rules;
  d["checked"] = s.checked;
  d["services"] = s.services;
  d["merged"] = s.merged;
  return d;
}

InputSummary SummaryFromDict(const py::handle& h) {
  const auto d = py::reinterpret_borrow<py::dict>(h);
  InputSummary s;
  s.file = d["file"].cast<std::string>();
  s.kind = d["kind"].cast<std::string>();
  s.schema = d["schema"].cast<std::string>();
  s.rules = d["rules"].cast<std::vector<std::string>>();
  s.checked = d["checked"].cast<bool>();
  s.services = d["services"].cast<std::vector<std::string>>();
  s.merged = d["merged"].cast<std::vector<std::string>>();
  return s;
}

}  // namespace

py::dict ReportToDict(const Report& report) {
  py::dict d;
  d["version"] = kReportDictVersion;
  d["findings"] = ListOf(report.findings, &FindingToDict);
  d["problems"] = ListOf(report.problems, &ProblemToDict);
  d["inputs"] = ListOf(report.inputs, &SummaryToDict);
  d["unused_suppressions"] = ListOf(report.unused_suppressions, &ProblemToDict);
  py::dict by_rule;
  for (const auto& [id, c] : report.by_rule) {
    py::dict counters;
    counters["evaluated"] = c.evaluated;
    counters["skipped"] = c.skipped;
    counters["failed"] = c.failed;
    counters["errors"] = c.errors;
    counters["listed"] = c.listed;
    by_rule[py::str(id)] = counters;
  }
  d["by_rule"] = by_rule;
  d["files"] = report.files;
  d["truncated"] = report.truncated;
  d["rules_run"] = report.rules_run;
  d["elapsed_ms"] = report.elapsed_ms;
  return d;
}

Report ReportFromDict(const py::dict& d) {
  const int version = d["version"].cast<int>();
  if (version != kReportDictVersion)
    throw py::value_error("a report dict of version " + std::to_string(version) + "; this is " +
                          std::to_string(kReportDictVersion));
  Report report;
  for (const py::handle f : d["findings"]) report.findings.push_back(FindingFromDict(f));
  for (const py::handle p : d["problems"]) report.problems.push_back(ProblemFromDict(p));
  for (const py::handle s : d["inputs"]) report.inputs.push_back(SummaryFromDict(s));
  for (const py::handle p : d["unused_suppressions"])
    report.unused_suppressions.push_back(ProblemFromDict(p));
  for (const auto item : py::reinterpret_borrow<py::dict>(d["by_rule"])) {
    const auto c = py::reinterpret_borrow<py::dict>(item.second);
    report.by_rule[item.first.cast<std::string>()] = {
        c["evaluated"].cast<uint64_t>(), c["skipped"].cast<uint64_t>(),
        c["failed"].cast<uint64_t>(), c["errors"].cast<uint64_t>(), c["listed"].cast<uint64_t>()};
  }
  report.files = d["files"].cast<uint64_t>();
  report.truncated = d["truncated"].cast<uint64_t>();
  report.rules_run = d["rules_run"].cast<uint64_t>();
  report.elapsed_ms = d["elapsed_ms"].cast<double>();
  return report;
}

}  // namespace policy::python
