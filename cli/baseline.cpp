#include "cli/baseline.h"

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <tuple>
#include <vector>

namespace policy::cli {
namespace {

std::string Rebase(const std::string& file, const std::string& root) {
  if (root.empty() || file == "-") return file;
  std::error_code ec;
  std::filesystem::path abs = std::filesystem::absolute(file, ec).lexically_normal();
  std::string rel = abs.lexically_relative(root).generic_string();
  return rel.empty() || rel.rfind("..", 0) == 0 ? file : rel;
}

}  // namespace

std::string FormatBaseline(const Report& report, const std::string& repo_root) {
  std::vector<std::tuple<std::string, std::string, std::string>> rows;
  for (const Finding& f : report.findings) {
    if (f.suppressed == Suppression::kInline || f.fingerprint.empty()) continue;
    rows.emplace_back(f.rule, Rebase(f.file, repo_root), f.fingerprint);
  }
  std::sort(rows.begin(), rows.end());
  rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
  nlohmann::ordered_json doc;
  doc["version"] = 1;
  doc["fingerprints"] = nlohmann::ordered_json::array();
  for (const auto& [rule, file, fingerprint] : rows) {
    nlohmann::ordered_json j;
    j["rule"] = rule;
    j["file"] = file;
    j["fingerprint"] = fingerprint;
    doc["fingerprints"].push_back(std::move(j));
  }
  return doc.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n";
}

std::optional<Baseline> ParseBaseline(const std::string& text, std::string& error) {
  nlohmann::json doc = nlohmann::json::parse(text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) {
    error = "not a baseline file (expected a JSON object)";
    return std::nullopt;
  }
  if (!doc.contains("version") || doc["version"] != 1) {
    error = "unsupported baseline version (expected \"version\": 1)";
    return std::nullopt;
  }
  if (!doc.contains("fingerprints") || !doc["fingerprints"].is_array()) {
    error = "\"fingerprints\" must be a list";
    return std::nullopt;
  }
  Baseline out;
  std::size_t i = 0;
  for (const auto& item : doc["fingerprints"]) {
    if (!item.is_object() || !item.contains("rule") || !item["rule"].is_string() ||
        !item.contains("fingerprint") || !item["fingerprint"].is_string()) {
      error = "fingerprints[" + std::to_string(i) + "] needs string \"rule\" and \"fingerprint\"";
      return std::nullopt;
    }
    out.emplace(item["rule"].get<std::string>(), item["fingerprint"].get<std::string>());
    ++i;
  }
  return out;
}

uint64_t ApplyBaseline(const Baseline& baseline, Report& report) {
  uint64_t n = 0;
  for (Finding& f : report.findings) {
    if (f.suppressed != Suppression::kNone) continue;
    if (baseline.count({f.rule, f.fingerprint})) {
      f.suppressed = Suppression::kBaseline;
      ++n;
    }
  }
  return n;
}

}  // namespace policy::cli
