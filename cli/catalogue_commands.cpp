#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <ostream>
#include <sstream>

#include "cli/commands.h"
#include "cli/explain_code.h"
#include "cli/inputs.h"
#include "cli/pack_test.h"
#include "cli/run_setup.h"
#include "cli/suggest.h"
#include "libpolicy/bounded_read.h"
#include "libpolicy/builtin_packs.h"
#include "libpolicy/report.h"

namespace policy::cli {
namespace {

std::string Join(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& s : items) out += (out.empty() ? "" : ", ") + s;
  return out;
}

// The `package` a rule file declares, "" when none. RuleInfo does not carry it,
// so it is read from the file itself: on disk, or among the embedded packs.
std::string PackageOf(const std::string& file) {
  std::string text;
  if (BoundedRead read = ReadFileBounded(file, kMaxRuleFileBytes); read.ok()) {
    text = std::move(read.text);
  } else {
    for (const EmbeddedFile& f : BuiltinPackFiles()) {
      if (file == f.path ||
          (file.size() > f.path.size() &&
           file.compare(file.size() - f.path.size(), f.path.size(), f.path) == 0 &&
           file[file.size() - f.path.size() - 1] == '/')) {
        text = f.text;
      }
    }
  }
  // `package` comes first in a file, after comments and blank lines only.
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    std::istringstream words(line);
    std::string word;
    if (!(words >> word) || word[0] == '#') continue;
    std::string name;
    if (word == "package" && words >> name) return name;
    return "";
  }
  return "";
}

// The params of the rule's package (bare names when the file has none).
std::vector<ParamInfo> PackageParams(const Program& program, const RuleInfo& rule) {
  std::string package = PackageOf(rule.file);
  std::vector<ParamInfo> out;
  for (const ParamInfo& p : ListParams(program)) {
    std::size_t dot = p.name.rfind('.');
    std::string prefix = dot == std::string::npos ? "" : p.name.substr(0, dot);
    if (prefix == package) out.push_back(p);
  }
  return out;
}

// Ids that differ from `id` only in their last segment: the likely typo.
std::vector<std::string> SimilarIds(const std::vector<RuleInfo>& rules, const std::string& id) {
  std::string prefix = id.substr(0, id.rfind('-') + 1);
  std::vector<std::string> out;
  for (const RuleInfo& r : rules) {
    if (!prefix.empty() && r.id.rfind(prefix, 0) == 0) out.push_back(r.id);
  }
  if (out.size() > 5) out.resize(5);
  return out;
}

// The pack's fixtures directory: `PACK/tests` beside the rule's file; for an
// embedded pack ("builtin:PACK/file.policy"), the source tree's rules/PACK/tests.
std::string FixturesDir(const RuleInfo& rule) {
  namespace fs = std::filesystem;
  const std::string kBuiltin = "builtin:";
  fs::path file = rule.file.rfind(kBuiltin, 0) == 0
                      ? fs::path(POLICY_RULES_DIR) / rule.file.substr(kBuiltin.size())
                      : fs::path(rule.file);
  fs::path dir = file.parent_path() / "tests";
  std::error_code ec;
  return fs::is_directory(dir, ec) ? dir.string() : "";
}

// The fixtures of a pack, sorted, in subdirectories too (opt_in/...).
std::vector<std::string> Fixtures(const std::string& dir) {
  namespace fs = std::filesystem;
  std::vector<std::string> out;
  std::error_code ec;
  for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    std::string name = it->path().filename().string();
    if (!it->is_regular_file(ec) || name.find(".expected.json") != std::string::npos) continue;
    if (FixtureKind(name) == InputKind::kAuto) continue;
    out.push_back(it->path().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

// The first finding the rule produces on its pack's fixtures, if any.
std::optional<Finding> ExampleFinding(const Program& program, const RuleInfo& rule) {
  std::string dir = FixturesDir(rule);
  if (dir.empty()) return std::nullopt;
  CheckOptions options;
  options.only = {rule.id};
  options.jobs = 1;
  options.repo_root = FindRepoRoot();
  for (const std::string& fixture : Fixtures(dir)) {
    Input input;
    input.path = fixture;
    input.kind = FixtureKind(std::filesystem::path(fixture).filename().string());
    Report report = Check(program, {input}, options);
    for (const Finding& f : report.findings) {
      if (f.rule == rule.id && f.suppressed == Suppression::kNone) return f;
    }
  }
  return std::nullopt;
}

}  // namespace

int RunRules(const Options& command_line, Streams& io) {
  RunSetup setup;
  if (!PrepareRun(command_line, io, setup)) return 2;
  const Options& options = setup.options;
  CompileResult compiled = CompileSetup(setup, io);
  if (!compiled.program) return 2;
  report::CatalogueFormat format = report::CatalogueFormat::kText;
  if (options.format == Format::kJson) format = report::CatalogueFormat::kJson;
  if (options.format == Format::kMarkdown) format = report::CatalogueFormat::kMarkdown;
  io.out << report::FormatCatalogue(ListRules(*compiled.program), format);
  return 0;
}

int RunExplain(const Options& command_line, Streams& io) {
  // A diagnostic code needs no rules: it is explained even when they do not compile.
  if (std::optional<DiagCode> code = FindDiagCode(command_line.rule_id)) {
    io.out << FormatCodeExplanation(InfoOf(*code));
    return 0;
  }
  RunSetup setup;
  if (!PrepareRun(command_line, io, setup)) return 2;
  const Options& options = setup.options;
  CompileResult compiled = CompileSetup(setup, io);
  if (!compiled.program) return 2;
  std::vector<RuleInfo> rules = ListRules(*compiled.program);
  auto it = std::find_if(rules.begin(), rules.end(),
                         [&](const RuleInfo& r) { return r.id == options.rule_id; });
  if (it == rules.end()) {
    io.err << "policy-check: unknown rule or diagnostic code '" << options.rule_id << "'";
    std::vector<std::string> similar = SimilarIds(rules, options.rule_id);
    if (!similar.empty()) io.err << " (similar: " << Join(similar) << ")";
    io.err << "\n";
    // Typos of either kind of name: ids and codes are both candidates.
    std::vector<std::string> candidates = AllCodeNames();
    for (const RuleInfo& r : rules) candidates.push_back(r.id);
    std::vector<std::string> close = ClosestWords(options.rule_id, candidates);
    if (!close.empty()) io.err << "  did you mean " << Join(close) << "?\n";
    return 2;
  }
  const RuleInfo& r = *it;
  if (options.format == Format::kMarkdown) {
    // The page of docs/rules/ (scripts/rule-table.sh writes them from this).
    io.out << report::FormatRulePage(r);
    return 0;
  }
  io.out << r.id << ": " << r.title << "\n\n";
  io.out << "  severity: " << SeverityName(r.severity) << (r.enabled ? "" : " (disabled)") << "\n";
  io.out << "  target:   " << r.target << "\n";
  if (!r.tags.empty()) io.out << "  tags:     " << Join(r.tags) << "\n";
  if (!r.file.empty()) io.out << "  defined:  " << r.file << ":" << r.line << "\n";
  if (!r.doc.empty()) io.out << "\n" << r.doc << "\n";
  if (!r.remedy.empty()) io.out << "\nRemedy: " << r.remedy << "\n";
  std::vector<ParamInfo> params = PackageParams(*compiled.program, r);
  if (!params.empty()) {
    io.out << "\nParams (override with --param NAME=VALUE):\n";
    for (const ParamInfo& p : params) {
      io.out << "  " << p.name << ": " << p.type << " = " << p.value << "\n";
    }
  }
  if (std::optional<Finding> f = ExampleFinding(*compiled.program, r)) {
    // Messages and source lines come redacted from the engine.
    // Fixtures of the built-in packs are named from the source tree: rules/PACK/tests/...
    std::string shown = f->file;
    std::filesystem::path rules_parent = std::filesystem::path(POLICY_RULES_DIR).parent_path();
    std::string rel =
        std::filesystem::path(shown).lexically_relative(rules_parent).generic_string();
    if (std::filesystem::path(shown).is_absolute() && !rel.empty() && rel.rfind("..", 0) != 0) {
      shown = rel;
    }
    io.out << "\nExample finding:\n  " << shown;
    if (f->line) io.out << ":" << f->line << (f->column ? ":" + std::to_string(f->column) : "");
    io.out << ": " << SeverityName(f->severity) << ": " << f->message << " [" << f->rule << "]\n";
    if (!f->source_line.empty()) io.out << "    " << f->source_line << "\n";
  }
  return 0;
}

int RunCompile(const Options& options, Streams& io) {
  int code = 0;
  std::vector<std::string> existing;
  for (const std::string& path : options.paths) {
    std::error_code ec;
    if (std::filesystem::exists(path, ec)) {
      existing.push_back(path);
    } else {
      io.err << path << ": error: no such file or directory\n";
      code = 2;
    }
  }
  if (existing.empty()) return 2;
  CompileOptions copts = CompileOptionsFrom(options);
  copts.builtin = false;
  copts.rule_paths = existing;
  if (options.format == Format::kJson) {
    // For editors and CI: the diagnostics as data, on standard output.
    CompileResult compiled = Compile(copts);
    nlohmann::ordered_json doc;
    nlohmann::ordered_json list = nlohmann::ordered_json::array();
    for (const Diagnostic& d : compiled.diagnostics) {
      nlohmann::ordered_json j;
      j["code"] = d.code;
      j["severity"] = SeverityName(d.severity);
      j["message"] = d.message;
      j["file"] = d.file;
      j["line"] = d.line;
      j["column"] = d.column;
      if (!d.help.empty()) j["help"] = d.help;
      list.push_back(std::move(j));
    }
    doc["diagnostics"] = std::move(list);
    doc["rules"] = compiled.program ? ListRules(*compiled.program).size() : 0;
    io.out << doc.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) << "\n";
    return compiled.program ? code : 2;
  }
  CompileResult compiled = CompileAndReport(copts, options, io);
  if (!compiled.program) return 2;
  return code;
}

}  // namespace policy::cli
