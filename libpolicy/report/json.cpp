#include <nlohmann/json.hpp>

#include "libpolicy/report.h"

namespace policy::report {
namespace {

using Json = nlohmann::ordered_json;

// Line and column 0 mean "unknown", which JSON says as null.
// Pieces handed to the writer: large enough to write efficiently.
constexpr std::size_t kPieceBytes = 1 << 20;

Json Position(uint32_t n) { return n ? Json(n) : Json(nullptr); }

Json FindingJson(const Finding& f) {
  Json j;
  j["rule"] = f.rule;
  j["severity"] = SeverityName(EffectiveSeverity(f));
  j["kind"] = FindingKindName(f.kind);
  j["message"] = f.message;
  j["file"] = f.file;
  j["line"] = Position(f.line);
  j["column"] = Position(f.column);
  j["end_line"] = Position(f.end_line);
  j["end_column"] = Position(f.end_column);
  j["path"] = f.path;
  j["fingerprint"] = f.fingerprint;
  const char* suppressed = SuppressionName(f.suppressed);
  j["suppressed"] = suppressed ? Json(suppressed) : Json(nullptr);
  return j;
}

Json SummaryJson(const Report& report) {
  Counts c = CountFindings(report);
  Json j;
  j["files"] = report.files;
  j["findings"] = c.findings;
  j["errors"] = c.errors;
  j["warnings"] = c.warnings;
  j["infos"] = c.infos;
  j["suppressed"] = c.suppressed;
  j["baselined"] = c.baselined;
  j["truncated"] = report.truncated;
  Json by_rule = Json::object();
  for (const auto& [id, counters] : report.by_rule) {
    Json r;
    r["evaluated"] = counters.evaluated;
    r["skipped"] = counters.skipped;
    r["failed"] = counters.failed;
    r["errors"] = counters.errors;
    r["listed"] = counters.listed;
    by_rule[id] = std::move(r);
  }
  j["by_rule"] = std::move(by_rule);
  return j;
}

}  // namespace

void WriteJson(const Report& report, const Context& ctx,
               const std::function<bool(std::string_view)>& write) {
  Json doc;
  doc["version"] = 1;
  doc["tool_version"] = ctx.tool_version;
  doc["findings"] = Json::array();  // written below, one finding at a time
  doc["summary"] = SummaryJson(report);
  Json problems = Json::array();
  for (const Problem& p : report.problems) {
    Json j;
    j["file"] = p.file;
    j["line"] = Position(p.line);
    j["column"] = Position(p.column);
    j["message"] = p.message;
    j["severity"] = p.warning ? "warning" : "error";
    if (!p.code.empty()) j["code"] = p.code;
    problems.push_back(std::move(j));
  }
  doc["problems"] = std::move(problems);
  // Invalid UTF-8 in a message or path is replaced, never an exception.
  const std::string rest = doc.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
  if (report.findings.empty()) {
    write(rest);
    return;
  }
  // A JSON tree of a million findings would take several KB each, and their
  // text hundreds of MB: each one is dumped on its own, put in place as the
  // whole tree would print it, and written in pieces of about 1 MB.
  const std::string placeholder = "\n  \"findings\": [],\n";
  const std::size_t at = rest.find(placeholder);
  std::string out = rest.substr(0, at) + "\n  \"findings\": [\n";
  bool first = true;
  for (const Finding& f : report.findings) {
    const std::string item = FindingJson(f).dump(2, ' ', false, Json::error_handler_t::replace);
    out += first ? "    " : ",\n    ";
    first = false;
    for (char c : item) {
      out += c;
      if (c == '\n') out += "    ";
    }
    if (out.size() >= kPieceBytes) {
      if (!write(out)) return;
      out.clear();
    }
  }
  out += "\n  ],\n";
  out.append(rest, at + placeholder.size());
  write(out);
}

std::string FormatJson(const Report& report, const Context& ctx) {
  std::string out;
  WriteJson(report, ctx, [&out](std::string_view piece) {
    out += piece;
    return true;
  });
  return out;
}

}  // namespace policy::report
