// Check(): inputs -> findings. Compose files and documents are loaded whole and
// checked in parallel across inputs; record inputs stream (eval/records.cpp).
#include "libpolicy/engine.h"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "libpolicy/eval/check_input.h"
#include "libpolicy/load/loaders.h"
#include "libpolicy/sha256.h"

namespace policy {
namespace {

namespace fs = std::filesystem;
using eval::ActiveRules;
using eval::InputResult;

bool EndsWith(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

bool RuleSelected(const eval::CompiledRule& r, const CheckOptions& o) {
  auto named = [&](const std::set<std::string>& set) {
    if (set.count(r.info.id)) return true;
    for (const std::string& t : r.info.tags)
      if (set.count(t)) return true;
    return false;
  };
  if (named(o.skip)) return false;
  if (!o.only.empty()) return named(o.only) && (r.info.enabled || r.opt_in);
  return r.info.enabled;
}

std::optional<std::string> ReadInput(const Input& in, std::string& error) {
  if (in.text) return *in.text;
  std::error_code ec;
  if (fs::is_directory(in.path, ec)) {
    error = "is a directory";
    return std::nullopt;
  }
  std::ifstream f(in.path, std::ios::binary);
  if (!f) {
    error = "cannot read the file";
    return std::nullopt;
  }
  std::ostringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

std::string DisplayPath(const std::string& path) {
  std::string p = path;
  while (p.rfind("./", 0) == 0) p = p.substr(2);
  return p;
}

void AddProblem(InputResult& r, const load::InputError& e, bool warning = false) {
  r.problems.push_back({e.file, e.line, e.column, e.message, warning});
}

void RunOnDocument(const std::vector<const eval::CompiledRule*>& rules, const Value& root,
                   const eval::InputInfo& info, const eval::Settings& settings,
                   InputResult& result) {
  Arena scratch;
  eval::Runner runner(scratch);
  for (const eval::CompiledRule* rule : rules) {
    eval::RuleOutcome outcome;
    if (settings.max_findings && *settings.max_findings > 0) outcome.limit = *settings.max_findings;
    runner.Run(*rule, root, nullptr, nullptr, info, outcome);
    eval::FinishMostly(*rule, info, root.loc().line ? root.loc().line : 1, outcome);
    eval::Collect(*rule, outcome, result);
    scratch.Reset();
  }
}

std::unique_ptr<Document> LoadSingle(const std::string& text, const std::string& display, bool json,
                                     bool single, InputResult& result, bool warning,
                                     std::vector<std::unique_ptr<Document>>* all = nullptr) {
  load::LoadLimits limits;
  load::DocumentsResult loaded =
      json ? load::LoadJson(text, display, limits) : load::LoadYaml(text, display, limits, single);
  if (loaded.error) {
    AddProblem(result, *loaded.error, warning);
    return nullptr;
  }
  if (all != nullptr) {
    *all = std::move(loaded.documents);
    return nullptr;
  }
  if (loaded.documents.empty()) return nullptr;
  return std::move(loaded.documents.front());
}

InputResult CheckOne(const Program& program, const ActiveRules& rules, const Input& input,
                     const eval::Settings& settings) {
  InputResult result;
  std::string display = DisplayPath(input.path);
  InputKind kind = input.kind == InputKind::kAuto ? InferKind(input.path) : input.kind;
  std::string lower = Lower(input.path);
  bool json = EndsWith(lower, ".json");
  bool stream = input.format != RecordFormat::kAuto || EndsWith(lower, ".csv") ||
                EndsWith(lower, ".tsv") || EndsWith(lower, ".jsonl") ||
                EndsWith(lower, ".ndjson") ||
                (kind == InputKind::kRecords && !json && !EndsWith(lower, ".yaml") &&
                 !EndsWith(lower, ".yml"));
  if (kind == InputKind::kAuto) {
    result.problems.push_back(
        {display, 0, 0, "cannot tell what kind of input this is; use --kind", false});
    return result;
  }
  if (kind == InputKind::kRecords && stream) {
    eval::CheckRecordStream(program, rules, input, display, settings, result);
    return result;
  }
  std::string error;
  std::optional<std::string> text = ReadInput(input, error);
  if (!text) {
    result.problems.push_back({display, 0, 0, error, false});
    return result;
  }
  LineIndex lines(*text);
  result.display_file = display;
  if (!json) result.directives[display] = eval::ParseDirectives(*text);
  eval::InputInfo info;
  info.display_file = display;
  info.text = *text;
  info.lines = &lines;
  if (kind == InputKind::kCompose) {
    std::unique_ptr<Document> doc = LoadSingle(*text, display, json, true, result, false);
    if (!doc) return result;
    if (auto too_big = load::NormalizeCompose(*doc)) {
      AddProblem(result, *too_big);
      return result;
    }
    // --compose-merge: the other files, loaded and normalised alike, merged in order.
    std::vector<std::string> more_texts;
    std::vector<std::unique_ptr<LineIndex>> more_lines;
    if (!input.merge.empty()) {
      std::vector<std::unique_ptr<Document>> docs;
      docs.push_back(std::move(doc));
      more_texts.reserve(input.merge.size());
      for (const std::string& path : input.merge) {
        Input part;
        part.path = path;
        std::optional<std::string> part_text = ReadInput(part, error);
        std::string part_display = DisplayPath(path);
        if (!part_text) {
          result.problems.push_back({part_display, 0, 0, error, false});
          return result;
        }
        std::unique_ptr<Document> part_doc = LoadSingle(
            *part_text, part_display, EndsWith(Lower(path), ".json"), true, result, false);
        if (!part_doc) return result;
        if (auto too_big = load::NormalizeCompose(*part_doc)) {
          AddProblem(result, *too_big);
          return result;
        }
        docs.push_back(std::move(part_doc));
        more_texts.push_back(std::move(*part_text));
        result.directives[part_display] = eval::ParseDirectives(more_texts.back());
      }
      std::optional<load::InputError> merge_error;
      doc = load::MergeCompose(std::move(docs), merge_error);
      if (merge_error || !doc) {
        if (merge_error) AddProblem(result, *merge_error);
        return result;
      }
      info.more_texts.push_back({*text, &lines});
      for (const std::string& t : more_texts) {
        more_lines.push_back(std::make_unique<LineIndex>(t));
        info.more_texts.push_back({t, more_lines.back().get()});
      }
    }
    info.doc_files = &doc->files;
    RunOnDocument(rules.compose, doc->root, info, settings, result);
    return result;
  }
  bool walked_doc = kind == InputKind::kDocument && !input.named;
  std::vector<std::unique_ptr<Document>> docs;
  LoadSingle(*text, display, json, false, result, walked_doc, &docs);
  if (kind == InputKind::kRecords) {
    for (const auto& doc : docs) {
      if (!doc->root.is(Type::kList)) {
        result.problems.push_back({display, doc->root.loc().line, doc->root.loc().column,
                                   "a record set must be an array of objects", false});
        continue;
      }
      eval::CheckRecordList(program, rules, input, display, doc->root, info, settings, result);
    }
    return result;
  }
  for (const auto& doc : docs) RunOnDocument(rules.document, doc->root, info, settings, result);
  return result;
}

std::string RelativeToRoot(const std::string& path, const std::string& root) {
  std::error_code ec;
  fs::path abs = fs::weakly_canonical(fs::absolute(path, ec), ec);
  fs::path base =
      root.empty() ? fs::current_path(ec) : fs::weakly_canonical(fs::absolute(root, ec), ec);
  fs::path rel = abs.lexically_relative(base);
  std::string s = rel.empty() ? path : rel.generic_string();
  if (s.rfind("..", 0) == 0) s = fs::path(path).lexically_normal().generic_string();
  return s;
}

// Marks findings suppressed by inline directives; a directive without a reason
// adds a SUPPRESS-001 warning, an unused one is reported for --verbose.
void ApplyDirectives(const Program& program, InputResult& r, Report& report) {
  std::map<std::string, const std::vector<std::string>*> tags;
  for (const eval::CompiledRule& rule : program.rules) tags[rule.info.id] = &rule.info.tags;
  static const std::vector<std::string> kNoTags;
  for (eval::PendingFinding& p : r.findings) {
    Finding& f = p.finding;
    if (f.kind != FindingKind::kFinding) continue;
    auto t = tags.find(f.rule);
    auto in_file = r.directives.find(f.file);
    if (in_file == r.directives.end()) continue;
    eval::Directive* d = eval::FindDirective(in_file->second, f.rule,
                                             t == tags.end() ? kNoTags : *t->second, f.line);
    if (d == nullptr) continue;
    d->used = true;
    f.suppressed = Suppression::kInline;
  }
  for (const auto& [file, directives] : r.directives)
    for (const eval::Directive& d : directives) {
      std::string ids;
      for (const std::string& id : d.ids) ids += (ids.empty() ? "" : ",") + id;
      if (d.reason.empty()) {
        eval::PendingFinding p;
        p.finding.rule = "SUPPRESS-001";
        p.finding.severity = Severity::kWarning;
        p.finding.file = file;
        p.finding.line = d.line;
        p.finding.column = d.column;
        p.finding.message =
            fmt::format("suppression of {} gives no reason; add `-- why` after the ids", ids);
        p.fingerprint_text = ids;
        ++r.by_rule["SUPPRESS-001"].failed;
        ++r.by_rule["SUPPRESS-001"].listed;
        r.findings.push_back(std::move(p));
      }
      if (!d.used)
        report.unused_suppressions.push_back(
            {file, d.line, d.column, fmt::format("unused suppression of {}", ids), true});
    }
}

// Fingerprints with ":N" for repeats, and masking of secrets on shared lines.
void Finish(InputResult& r, const CheckOptions& options, std::vector<Finding>& out) {
  std::map<std::pair<std::string, uint32_t>, std::vector<std::string>> secrets;
  for (const auto& p : r.findings)
    if (p.secret_masks_line) secrets[{p.finding.file, p.finding.line}].push_back(p.secret);
  std::map<std::string, std::string> rel_cache;
  std::stable_sort(r.findings.begin(), r.findings.end(),
                   [](const eval::PendingFinding& a, const eval::PendingFinding& b) {
                     return FindingLess(a.finding, b.finding);
                   });
  std::map<std::string, int> seen;
  for (auto& p : r.findings) {
    Finding& f = p.finding;
    auto it = secrets.find({f.file, f.line});
    if (it != secrets.end()) {
      for (const std::string& s : it->second) {
        std::string red = eval::Redact(s);
        for (size_t pos = f.source_line.find(s); pos != std::string::npos && !s.empty();
             pos = f.source_line.find(s, pos + red.size()))
          f.source_line.replace(pos, s.size(), red);
      }
    }
    auto rel = rel_cache.find(f.file);
    if (rel == rel_cache.end())
      rel = rel_cache.emplace(f.file, RelativeToRoot(f.file, options.repo_root)).first;
    std::string material = f.rule + '\0' + rel->second + '\0' + f.path + '\0' + p.fingerprint_text;
    std::string fp = Sha256::HexPrefix(material, 16);
    int n = ++seen[f.file + '\0' + fp];
    f.fingerprint = n == 1 ? fp : fp + ":" + std::to_string(n);
    out.push_back(std::move(f));
  }
}

}  // namespace

const char* Version() { return "0.1.0"; }

InputKind InferKind(const std::string& path) {
  std::string name = Lower(fs::path(path).filename().string());
  bool yaml = EndsWith(name, ".yaml") || EndsWith(name, ".yml");
  if (yaml && (name == "compose.yaml" || name == "compose.yml" || name.rfind("compose.", 0) == 0 ||
               name.rfind("docker-compose", 0) == 0))
    return InputKind::kCompose;
  if (EndsWith(name, ".csv") || EndsWith(name, ".tsv") || EndsWith(name, ".jsonl") ||
      EndsWith(name, ".ndjson"))
    return InputKind::kRecords;
  if (yaml || EndsWith(name, ".json")) return InputKind::kDocument;
  return InputKind::kAuto;
}

Report Check(const Program& program, const std::vector<Input>& inputs,
             const CheckOptions& options) {
  auto start = std::chrono::steady_clock::now();
  Report report;
  ActiveRules rules;
  for (const eval::CompiledRule& r : program.rules) {
    if (!RuleSelected(r, options)) continue;
    ++report.rules_run;
    switch (r.target) {
      case syntax::TargetKind::kCompose:
        rules.compose.push_back(&r);
        break;
      case syntax::TargetKind::kDocument:
        rules.document.push_back(&r);
        break;
      case syntax::TargetKind::kRecords:
        rules.records.push_back(&r);
        break;
    }
  }
  eval::Settings settings;
  settings.jobs = options.jobs ? options.jobs : std::max(1u, std::thread::hardware_concurrency());
  settings.max_findings = options.max_findings;

  std::vector<InputResult> results(inputs.size());
  auto check = [&](size_t i) {
    try {
      results[i] = CheckOne(program, rules, inputs[i], settings);
    } catch (const std::exception& e) {
      results[i].problems.push_back({DisplayPath(inputs[i].path), 0, 0,
                                     std::string("internal error (a bug): ") + e.what(), false});
    }
  };
  // Record streams use every worker themselves; the rest are spread over workers.
  std::vector<size_t> small, big;
  for (size_t i = 0; i < inputs.size(); ++i) {
    InputKind k = inputs[i].kind == InputKind::kAuto ? InferKind(inputs[i].path) : inputs[i].kind;
    (k == InputKind::kRecords ? big : small).push_back(i);
  }
  std::atomic<size_t> next{0};
  auto worker = [&] {
    for (size_t j = next++; j < small.size(); j = next++) check(small[j]);
  };
  unsigned threads = std::min<unsigned>(settings.jobs, static_cast<unsigned>(small.size()));
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back(worker);
  worker();
  for (std::thread& t : pool) t.join();
  for (size_t i : big) check(i);

  for (size_t i = 0; i < inputs.size(); ++i) {
    InputKind k = inputs[i].kind == InputKind::kAuto ? InferKind(inputs[i].path) : inputs[i].kind;
    if (k == InputKind::kCompose) report.compose_inputs.push_back(DisplayPath(inputs[i].path));
  }
  for (InputResult& r : results) {
    ApplyDirectives(program, r, report);
    Finish(r, options, report.findings);
    for (auto& [id, c] : r.by_rule) {
      RuleCounters& t = report.by_rule[id];
      t.evaluated += c.evaluated;
      t.skipped += c.skipped;
      t.failed += c.failed;
      t.errors += c.errors;
      t.listed += c.listed;
    }
    report.truncated += r.truncated;
    for (Problem& p : r.problems) report.problems.push_back(std::move(p));
  }
  report.files = inputs.size();
  std::stable_sort(report.findings.begin(), report.findings.end(), FindingLess);
  report.elapsed_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  return report;
}

}  // namespace policy
