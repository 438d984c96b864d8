#include "cli/report_views.h"

#include <algorithm>
#include <filesystem>
#include <map>

#include "cli/exit_code.h"
#include "cli/inputs.h"

namespace policy::cli {
namespace fs = std::filesystem;
namespace {

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// The schema names an input may bind to: the configured one, else its stem,
// singular or plural (engine's BindSchema).
std::vector<std::string> SchemaCandidates(const Input& input) {
  if (!input.schema.empty()) return {input.schema};
  std::string stem = Lower(fs::path(input.path).stem().string());
  std::vector<std::string> out{stem};
  if (stem.size() > 1 && stem.back() == 's') {
    out.push_back(stem.substr(0, stem.size() - 1));
    if (stem.size() > 3 && stem.compare(stem.size() - 3, 3, "ies") == 0) {
      out.push_back(stem.substr(0, stem.size() - 3) + "y");
    }
  }
  return out;
}

const char* KindTarget(InputKind k) {
  switch (k) {
    case InputKind::kCompose:
      return "compose";
    case InputKind::kRecords:
      return "records";
    case InputKind::kDocument:
      return "document";
    case InputKind::kAuto:
      return "";
  }
  return "";
}

}  // namespace

Report RebasedOn(const Report& report, const std::string& root) {
  Report out = report;
  std::map<std::string, std::string> cache;
  auto rebase = [&](std::string& file) {
    if (file.empty() || file == "-" || root.empty()) return;
    auto it = cache.find(file);
    if (it == cache.end()) {
      std::error_code ec;
      fs::path abs = fs::absolute(file, ec).lexically_normal();
      std::string rel = abs.lexically_relative(root).generic_string();
      it = cache.emplace(file, rel.empty() || rel.rfind("..", 0) == 0 ? file : rel).first;
    }
    file = it->second;
  };
  for (Finding& f : out.findings) rebase(f.file);
  for (Problem& p : out.problems) rebase(p.file);
  for (Problem& p : out.unused_suppressions) rebase(p.file);
  return out;
}

std::vector<report::JunitInput> JunitInputs(const std::vector<Input>& inputs,
                                            const std::vector<RuleInfo>& rules,
                                            const Options& options) {
  std::vector<report::JunitInput> out;
  for (const Input& in : inputs) {
    report::JunitInput j;
    j.file = in.path == "-" ? "-" : CleanPath(in.path);
    InputKind kind = in.kind == InputKind::kAuto ? InferKind(in.path) : in.kind;
    std::string target = KindTarget(kind);
    std::vector<std::string> schemas;
    if (kind == InputKind::kRecords) schemas = SchemaCandidates(in);
    for (const RuleInfo& r : rules) {
      if (!RuleActive(r, options)) continue;
      bool runs = r.target == target;
      if (!runs && kind == InputKind::kRecords && r.target.rfind("records(", 0) == 0 &&
          r.target.back() == ')') {
        std::string schema = r.target.substr(8, r.target.size() - 9);
        runs = std::find(schemas.begin(), schemas.end(), schema) != schemas.end();
      }
      if (runs) j.rules.push_back(r.id);
    }
    out.push_back(std::move(j));
  }
  return out;
}

std::string FormatUnusedSuppressions(const Report& report) {
  std::string out;
  for (const Problem& p : report.unused_suppressions) {
    out += p.file;
    if (p.line)
      out += ":" + std::to_string(p.line) + (p.column ? ":" + std::to_string(p.column) : "");
    out += ": warning: " + p.message + "\n";
  }
  return out;
}

}  // namespace policy::cli
