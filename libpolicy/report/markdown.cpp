// The readiness matrix (CLI.md "markdown"): one row per compose service, one
// column per readiness area (the rules' `area_*` tags), a score per service and
// the share of services that are ready.
//
// A function of the Report alone: each compose input's summary lists its
// services in file order (a service without findings still gets its row) and
// the files merged over it (--compose-merge), whose findings count for it.
#include <algorithm>
#include <array>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "libpolicy/report.h"

namespace policy::report {
namespace {

// RULES.md "rules/readiness/": the matrix's columns in this order; any other
// area tag follows, alphabetically.
constexpr std::array<std::string_view, 11> kAreaOrder = {
    "image",   "health",     "secrets", "resources", "logging",      "restart",
    "network", "privileges", "tls",     "api",       "observability"};
constexpr std::string_view kAreaPrefix = "area_";
constexpr std::string_view kPass = "✅";
constexpr std::string_view kFail = "❌";

// The area columns and which areas each rule counts in.
struct Areas {
  std::vector<std::string> columns;
  std::map<std::string, std::vector<std::size_t>> by_rule;
};

// The columns: the areas of the enabled rules and of those that `ran` on some
// input (an opt-in rule enabled by --only).
Areas CollectAreas(const std::vector<RuleInfo>& rules, const std::set<std::string>& ran) {
  std::set<std::string> names;
  for (const RuleInfo& r : rules) {
    if (!r.enabled && !ran.count(r.id)) continue;
    for (const std::string& t : r.tags) {
      if (t.size() > kAreaPrefix.size() && t.starts_with(kAreaPrefix))
        names.insert(t.substr(kAreaPrefix.size()));
    }
  }
  Areas areas;
  for (std::string_view a : kAreaOrder) {
    if (names.erase(std::string(a))) areas.columns.emplace_back(a);
  }
  areas.columns.insert(areas.columns.end(), names.begin(), names.end());
  for (const RuleInfo& r : rules) {
    if (!r.enabled && !ran.count(r.id)) continue;
    for (const std::string& t : r.tags) {
      if (!t.starts_with(kAreaPrefix)) continue;
      auto it = std::find(areas.columns.begin(), areas.columns.end(), t.substr(kAreaPrefix.size()));
      if (it != areas.columns.end()) {
        areas.by_rule[r.id].push_back(static_cast<std::size_t>(it - areas.columns.begin()));
      }
    }
  }
  return areas;
}

// The service a document path is under: "services.web.image" -> "web",
// `services["api-gateway"].ports[0]` -> "api-gateway"; false when it is not
// under a service (top-level keys, the whole file, records).
bool ServiceOf(std::string_view path, std::string& name) {
  constexpr std::string_view kServices = "services";
  if (!path.starts_with(kServices)) return false;
  std::string_view rest = path.substr(kServices.size());
  if (rest.starts_with(".")) {
    rest.remove_prefix(1);
    std::string_view id = rest.substr(0, rest.find_first_of(".["));
    if (id.empty()) return false;
    name = std::string(id);
    return true;
  }
  if (!rest.starts_with("[\"")) return false;
  // A bracketed key is a JSON string (RenderPath); find its closing quote.
  std::size_t i = 2;
  while (i < rest.size() && rest[i] != '"') i += rest[i] == '\\' ? 2 : 1;
  if (i >= rest.size()) return false;
  nlohmann::json parsed = nlohmann::json::parse(rest.substr(1, i), nullptr, false);
  if (!parsed.is_string()) return false;
  name = parsed.get<std::string>();
  return true;
}

// Percent, rounded half up; 100 when there is nothing to count.
unsigned Percent(std::size_t part, std::size_t whole) {
  if (whole == 0) return 100;
  return static_cast<unsigned>((200 * part + whole) / (2 * whole));
}

// Text safe in a table cell or a list item: one line, no column breaks.
std::string Inline(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '\n' || c == '\r') {
      out += ' ';
    } else if (c == '|') {
      out += "\\|";
    } else {
      out += c;
    }
  }
  return out;
}

std::string Code(std::string_view s) {
  std::string text = Inline(s);
  // A backtick inside needs a longer fence; compose names and paths rarely have one.
  std::string fence = text.find('`') == std::string::npos ? "`" : "``";
  std::string pad = fence.size() > 1 ? " " : "";
  return fence + pad + text + pad + fence;
}

std::string Place(const Finding& f) {
  std::string s = f.file;
  if (f.line != 0) s += ":" + std::to_string(f.line) + ":" + std::to_string(f.column);
  return s;
}

struct ServiceRow {
  std::string name;
  std::vector<bool> failing;  // per area column
  bool ready = true;          // no error-severity finding under the service
};

struct ComposeFile {
  std::string file;
  std::vector<std::string> members;  // `file` and the files merged over it
  // Per service, the env files it reads (InputSummary::env_files).
  std::vector<std::pair<std::string, std::vector<std::string>>> env_files;
  std::string problem;  // set when its services could not be listed
  std::vector<ServiceRow> rows;
  std::vector<const Finding*> file_level;

  ServiceRow& Row(const std::string& name, std::size_t areas) {
    for (ServiceRow& r : rows) {
      if (r.name == name) return r;
    }
    rows.push_back({name, std::vector<bool>(areas, false), true});
    return rows.back();
  }
};

bool Unsuppressed(const Finding& f) { return f.suppressed == Suppression::kNone; }

}  // namespace

std::string FormatMarkdown(const Report& report, const Context& ctx) {
  std::set<std::string> ran;
  for (const InputSummary& in : report.inputs) ran.insert(in.rules.begin(), in.rules.end());
  const Areas areas = CollectAreas(ctx.rules, ran);
  const std::size_t n_areas = areas.columns.size();

  // The compose inputs in input order, each with its services in file order.
  std::vector<ComposeFile> files;
  for (const InputSummary& in : report.inputs) {
    if (in.kind != "compose") continue;
    ComposeFile cf;
    cf.file = in.file;
    cf.members.push_back(in.file);
    cf.members.insert(cf.members.end(), in.merged.begin(), in.merged.end());
    if (!in.checked) cf.problem = "could not be read or parsed";
    for (const std::string& name : in.services) cf.Row(name, n_areas);
    cf.env_files = in.env_files;
    files.push_back(std::move(cf));
  }
  auto find_file = [&](const std::string& file) -> ComposeFile* {
    for (ComposeFile& cf : files) {
      if (std::find(cf.members.begin(), cf.members.end(), file) != cf.members.end()) return &cf;
    }
    return nullptr;
  };
  // A finding under `services.` in a file no summary names (a report put
  // together by hand) still gets a section, with the services its findings name.
  for (const Finding& f : report.findings) {
    std::string name;
    if (f.kind == FindingKind::kSchema || find_file(f.file) != nullptr || !ServiceOf(f.path, name))
      continue;
    ComposeFile cf;
    cf.file = f.file;
    cf.members.push_back(f.file);
    cf.problem = "is not among the report's inputs";
    files.push_back(std::move(cf));
  }

  std::map<std::string, std::pair<uint64_t, uint64_t>> others;  // file -> errors, warnings
  std::vector<std::string> other_order;
  // A finding in an env file counts against every service that reads it
  // (env_file:), in each compose file; the file is listed under other inputs too.
  auto mark = [&](ServiceRow& row, const Finding& f, Severity severity) {
    if (severity == Severity::kError) row.ready = false;
    if (severity == Severity::kInfo) return;
    if (auto it = areas.by_rule.find(f.rule); it != areas.by_rule.end()) {
      for (std::size_t a : it->second) row.failing[a] = true;
    }
  };
  for (const Finding& f : report.findings) {
    if (!Unsuppressed(f)) continue;
    Severity severity = EffectiveSeverity(f);
    for (ComposeFile& env_user : files)
      for (const auto& [service, env_files] : env_user.env_files)
        if (std::find(env_files.begin(), env_files.end(), f.file) != env_files.end())
          mark(env_user.Row(service, n_areas), f, severity);
    ComposeFile* cf = find_file(f.file);
    if (cf == nullptr) {
      auto [it, added] = others.try_emplace(f.file, 0, 0);
      if (added) other_order.push_back(f.file);
      if (severity == Severity::kError) ++it->second.first;
      if (severity == Severity::kWarning) ++it->second.second;
      continue;
    }
    std::string name;
    if (!ServiceOf(f.path, name)) {
      cf->file_level.push_back(&f);
      continue;
    }
    // A service named by a finding but not by its file (merged from another
    // file, or the file could not be read again) still gets its row.
    mark(cf->Row(name, n_areas), f, severity);
  }

  std::size_t services = 0;
  std::size_t ready = 0;
  for (const ComposeFile& cf : files) {
    services += cf.rows.size();
    ready += static_cast<std::size_t>(
        std::count_if(cf.rows.begin(), cf.rows.end(), [](const ServiceRow& r) { return r.ready; }));
  }

  std::string out = "# Readiness matrix\n\n";
  if (services == 0) {
    out += "Readiness: no compose service with findings was checked.\n";
  } else {
    out += "Readiness: " + std::to_string(Percent(ready, services)) + "% (" +
           std::to_string(ready) + "/" + std::to_string(services) + " services ready)\n";
  }
  out +=
      "\n✅ no unsuppressed error or warning of the area's rules touches the service; ❌ at least "
      "one does. "
      "Score: areas passing. A service is ready when no error touches it.\n";

  for (const ComposeFile& cf : files) {
    out += "\n## " + Code(cf.file) + "\n\n";
    if (cf.members.size() > 1) {
      out += "Merged over it, in order:";
      for (std::size_t i = 1; i < cf.members.size(); ++i)
        out += (i == 1 ? " " : ", ") + Code(cf.members[i]);
      out += ".\n\n";
    }
    if (!cf.problem.empty()) {
      out += "The file " + cf.problem + ": only services with findings are listed.\n\n";
    }
    std::size_t file_ready = static_cast<std::size_t>(
        std::count_if(cf.rows.begin(), cf.rows.end(), [](const ServiceRow& r) { return r.ready; }));
    out +=
        std::to_string(file_ready) + "/" + std::to_string(cf.rows.size()) + " services ready.\n\n";
    if (!cf.rows.empty()) {
      out += "| Service |";
      for (const std::string& a : areas.columns) out += " " + Inline(a) + " |";
      if (n_areas > 0) out += " Score |";
      out += " Ready |\n|---|";
      for (std::size_t i = 0; i < n_areas; ++i) out += ":-:|";
      if (n_areas > 0) out += "--:|";
      out += ":-:|\n";
      for (const ServiceRow& row : cf.rows) {
        out += "| " + Code(row.name) + " |";
        std::size_t passing = 0;
        for (bool failing : row.failing) {
          out += " ";
          out += failing ? kFail : kPass;
          out += " |";
          if (!failing) ++passing;
        }
        if (n_areas > 0) out += " " + std::to_string(Percent(passing, n_areas)) + "% |";
        out += " ";
        out += row.ready ? kPass : kFail;
        out += " |\n";
      }
    }
    if (!cf.file_level.empty()) {
      out += "\nFile-level findings:\n\n";
      for (const Finding* f : cf.file_level) {
        out += "- " + Code(Place(*f)) + " " + SeverityName(EffectiveSeverity(*f)) + " " + f->rule +
               ": " + Inline(f->message) + "\n";
      }
    }
  }

  if (!other_order.empty()) {
    out += "\n## Other inputs\n\nNot compose files; `-f text` lists their findings.\n\n";
    for (const std::string& file : other_order) {
      const auto& [errors, warnings] = others[file];
      out += "- " + Code(file) + ": " + std::to_string(errors) +
             (errors == 1 ? " error, " : " errors, ") + std::to_string(warnings) +
             (warnings == 1 ? " warning\n" : " warnings\n");
    }
  }
  if (!report.problems.empty()) {
    out += "\n## Inputs not checked\n\n";
    for (const Problem& p : report.problems) {
      std::string place = p.file;
      if (p.line != 0) place += ":" + std::to_string(p.line) + ":" + std::to_string(p.column);
      out += "- " + Code(place) + (p.warning ? " (warning)" : "") + ": " + Inline(p.message) + "\n";
    }
  }
  return out;
}

}  // namespace policy::report
