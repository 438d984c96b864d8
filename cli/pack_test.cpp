#include "cli/pack_test.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <tuple>

namespace policy::cli {
namespace {

bool EndsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::optional<uint32_t> Positive(const nlohmann::json& j) {
  if (!j.is_number_unsigned()) return std::nullopt;
  auto n = j.get<uint64_t>();
  if (n == 0 || n > UINT32_MAX) return std::nullopt;
  return static_cast<uint32_t>(n);
}

}  // namespace

std::optional<std::vector<Expectation>> ParseExpected(const std::string& text, std::string& error) {
  nlohmann::json doc = nlohmann::json::parse(text, nullptr, false);
  if (doc.is_discarded()) {
    error = "not valid JSON";
    return std::nullopt;
  }
  if (!doc.is_array()) {
    error = "expected a list of {\"rule\", \"line\", \"column\"} objects";
    return std::nullopt;
  }
  std::vector<Expectation> out;
  for (std::size_t i = 0; i < doc.size(); ++i) {
    const nlohmann::json& item = doc[i];
    std::string where = "item " + std::to_string(i + 1);
    if (!item.is_object() || !item.contains("rule") || !item["rule"].is_string()) {
      error = where + ": needs \"rule\" (a string)";
      return std::nullopt;
    }
    Expectation e;
    e.rule = item["rule"].get<std::string>();
    auto line = item.contains("line") ? Positive(item["line"]) : std::nullopt;
    if (!line) {
      error = where + ": needs \"line\" (a positive integer)";
      return std::nullopt;
    }
    e.line = *line;
    if (item.contains("column")) {
      e.column = Positive(item["column"]);
      if (!e.column) {
        error = where + ": \"column\" must be a positive integer";
        return std::nullopt;
      }
    }
    for (const auto& [key, value] : item.items()) {
      if (key != "rule" && key != "line" && key != "column") {
        error = where + ": unknown key \"" + key + "\"";
        return std::nullopt;
      }
    }
    out.push_back(std::move(e));
  }
  return out;
}

std::vector<Difference> CompareFindings(const std::vector<Expectation>& expected,
                                        const std::vector<Finding>& actual) {
  std::vector<bool> used(actual.size(), false);
  std::vector<bool> met(expected.size(), false);
  // Expectations with a column first, so one without cannot take the finding a
  // more exact expectation needs.
  for (int pass = 0; pass < 2; ++pass) {
    for (std::size_t e = 0; e < expected.size(); ++e) {
      const Expectation& x = expected[e];
      if (met[e] || x.column.has_value() != (pass == 0)) continue;
      for (std::size_t a = 0; a < actual.size(); ++a) {
        const Finding& f = actual[a];
        if (used[a] || f.rule != x.rule || f.line != x.line) continue;
        if (x.column && f.column != *x.column) continue;
        used[a] = met[e] = true;
        break;
      }
    }
  }
  std::vector<Difference> out;
  for (std::size_t e = 0; e < expected.size(); ++e) {
    if (!met[e])
      out.push_back({true, expected[e].rule, expected[e].line, expected[e].column.value_or(0), ""});
  }
  for (std::size_t a = 0; a < actual.size(); ++a) {
    if (!used[a])
      out.push_back({false, actual[a].rule, actual[a].line, actual[a].column, actual[a].message});
  }
  std::stable_sort(out.begin(), out.end(), [](const Difference& a, const Difference& b) {
    return std::tie(a.line, a.column, a.rule) < std::tie(b.line, b.column, b.rule);
  });
  return out;
}

InputKind FixtureKind(const std::string& file_name) {
  std::string name = file_name.substr(file_name.find_last_of('/') + 1);
  if (EndsWith(name, ".yaml") || EndsWith(name, ".yml")) {
    bool compose = name.rfind("compose", 0) == 0 || name.rfind("docker-compose", 0) == 0;
    return compose ? InputKind::kCompose : InputKind::kDocument;
  }
  if (EndsWith(name, ".csv") || EndsWith(name, ".tsv") || EndsWith(name, ".jsonl") ||
      EndsWith(name, ".ndjson")) {
    return InputKind::kRecords;
  }
  if (EndsWith(name, ".json")) return InputKind::kDocument;
  // app.env, .env, .env.example: as the engine names them.
  if (InferKind(name) == InputKind::kDotenv) return InputKind::kDotenv;
  return InputKind::kAuto;
}

}  // namespace policy::cli
