#include <algorithm>
#include <nlohmann/json.hpp>

#include "libpolicy/report.h"
#include "libpolicy/source.h"

namespace policy::report {
namespace {

std::string JoinTags(const std::vector<std::string>& tags) {
  std::string out;
  for (const std::string& t : tags) out += (out.empty() ? "" : ", ") + t;
  return out;
}

std::string PadRight(const std::string& s, std::size_t width) {
  std::size_t len = CountCodePoints(s);
  return len >= width ? s : s + std::string(width - len, ' ');
}

std::string Text(const std::vector<RuleInfo>& rules) {
  std::size_t id_width = 4;
  std::size_t target_width = 6;
  for (const RuleInfo& r : rules) {
    id_width = std::max(id_width, r.id.size());
    target_width = std::max(target_width, r.target.size());
  }
  std::string out;
  for (const RuleInfo& r : rules) {
    out += PadRight(r.id, id_width) + "  " + PadRight(SeverityName(r.severity), 7) + "  " +
           PadRight(r.target, target_width) + "  " + r.title;
    if (!r.tags.empty()) out += "  [" + JoinTags(r.tags) + "]";
    if (!r.enabled) out += "  (disabled)";
    out += "\n";
  }
  return out;
}

std::string Json(const std::vector<RuleInfo>& rules) {
  nlohmann::ordered_json doc = nlohmann::ordered_json::array();
  for (const RuleInfo& r : rules) {
    nlohmann::ordered_json j;
    j["id"] = r.id;
    j["severity"] = SeverityName(r.severity);
    j["title"] = r.title;
    j["tags"] = r.tags;
    j["target"] = r.target;
    j["enabled"] = r.enabled;
    j["file"] = r.file;
    j["line"] = r.line;
    doc.push_back(std::move(j));
  }
  return doc.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

// A table cell: `|` would end the cell and a newline the row.
std::string Cell(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '|') {
      out += "\\|";
    } else if (c == '\n' || c == '\r') {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

std::string Markdown(const std::vector<RuleInfo>& rules) {
  std::string out = "| id | severity | title | tags | target |\n|---|---|---|---|---|\n";
  for (const RuleInfo& r : rules) {
    out += "| " + Cell(r.id) + " | " + SeverityName(r.severity) + " | " + Cell(r.title) + " | " +
           Cell(JoinTags(r.tags)) + " | " + Cell(r.target) + " |\n";
  }
  return out;
}

}  // namespace

std::string FormatCatalogue(const std::vector<RuleInfo>& rules, CatalogueFormat format) {
  switch (format) {
    case CatalogueFormat::kText:
      return Text(rules);
    case CatalogueFormat::kJson:
      return Json(rules);
    case CatalogueFormat::kMarkdown:
      return Markdown(rules);
  }
  return Text(rules);
}

}  // namespace policy::report
