#include "cli/report_views.h"

#include <algorithm>
#include <filesystem>
#include <map>

namespace policy::cli {
namespace fs = std::filesystem;

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
