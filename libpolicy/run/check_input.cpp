#include "libpolicy/run/check_input.h"

#include <filesystem>
#include <memory>

#include "libpolicy/bounded_read.h"
#include "libpolicy/diagnostic_codes.h"
#include "libpolicy/eval/program.h"
#include "libpolicy/load/loaders.h"
#include "libpolicy/run/compose_env_files.h"
#include "libpolicy/run/index_build.h"
#include "libpolicy/run/record_pipeline.h"
#include "libpolicy/run/rule_state.h"

namespace policy::run {
namespace {

namespace fs = std::filesystem;

// The input's text, read with the loaders' size cap applied while reading.
std::optional<std::string> ReadInput(const Input& in, std::string& error) {
  if (in.text) return *in.text;
  BoundedRead read = ReadFileBounded(in.path, load::LoadLimits().max_file_size);
  if (!read.ok()) {
    // As the loaders say it of a text given in memory.
    error = read.status == BoundedRead::Status::kTooLarge ? "file " + read.Reason() : read.Reason();
    return std::nullopt;
  }
  return std::move(read.text);
}

void AddProblem(InputResult& r, const load::InputError& e, bool warning = false) {
  r.problems.push_back({e.file, e.line, e.column, e.message, warning, NameOf(e.code)});
}

void RunOnDocument(const RuleList& rules, const Value& root, const eval::InputInfo& info,
                   const InputPlan& plan, const Settings& settings, InputResult& result) {
  Arena scratch;
  eval::Runner runner(scratch);
  runner.evaluator().SetIndexes(settings.indexes);
  for (const eval::CompiledRule* rule : rules) {
    eval::RuleOutcome outcome;
    if (settings.max_findings && *settings.max_findings > 0) outcome.limit = *settings.max_findings;
    if (settings.index_build != nullptr) {
      // Building an index: each key adds the binding's entry.
      eval::Runner::KeySink sink = [&](const Value& key, eval::Runner& r) {
        AddIndexEntry(*settings.index_build, key, r.slot(settings.index_build->index().entry_slot),
                      plan.foreign_id, key.loc().line, r, outcome);
      };
      runner.Run(*rule, root, nullptr, nullptr, info, outcome, &sink);
    } else if (rule->is_grouped()) {
      eval::GroupTable& groups = GroupsOf(result.groups, rule);
      eval::Runner::GroupSink sink = [&](std::span<const Value> keys, std::span<const Value> args) {
        groups.Add(keys, args, plan.foreign_id, root.loc().line);
      };
      runner.SetGroupSink(&sink);
      runner.Run(*rule, root, nullptr, nullptr, info, outcome);
      runner.SetGroupSink(nullptr);
    } else {
      runner.Run(*rule, root, nullptr, nullptr, info, outcome);
    }
    FinishMostly(*rule, info, root.loc().line ? root.loc().line : 1, outcome);
    Collect(rule->info.id, outcome, result);
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

bool HasJsonSuffix(const std::string& path) {
  const std::string ext = fs::path(path).extension().string();
  return ext.size() == 5 && (ext[1] | 0x20) == 'j' && (ext[2] | 0x20) == 's' &&
         (ext[3] | 0x20) == 'o' && (ext[4] | 0x20) == 'n';
}

std::vector<std::string> ServicesOf(const Value& root) {
  std::vector<std::string> names;
  const Value* services = root.is(Type::kMap) ? root.Find("services") : nullptr;
  if (services != nullptr && services->is(Type::kMap))
    for (const MapEntry& e : services->as_map()) names.emplace_back(e.key);
  return names;
}

// Per service, the env files its `env_file:` names, as their findings name them.
std::vector<std::pair<std::string, std::vector<std::string>>> EnvFilesOf(const Value& root,
                                                                         const std::string& path) {
  std::vector<std::pair<std::string, std::vector<std::string>>> out;
  const Value* services = root.is(Type::kMap) ? root.Find("services") : nullptr;
  if (path == "-" || services == nullptr || !services->is(Type::kMap)) return out;
  for (const MapEntry& e : services->as_map()) {
    std::vector<std::string> files;
    for (const EnvFileRef& ref : ServiceEnvFiles(e.value, path)) files.push_back(ref.path);
    if (!files.empty()) out.emplace_back(std::string(e.key), std::move(files));
  }
  return out;
}

// A compose project: `text` (the input) with Input::merge merged over it in order.
void CheckCompose(const RuleList& rules, const Input& input, const InputPlan& plan,
                  const std::string& text, eval::InputInfo& info, const Settings& settings,
                  InputResult& result) {
  std::unique_ptr<Document> doc = LoadSingle(text, plan.display, plan.json, true, result, false);
  if (!doc) return;
  // Interpolation reads the project's .env beside the file, as docker compose does.
  std::optional<load::InputError> env_problem;
  const load::ComposeEnv env = load::ReadComposeEnv(input.path, "", env_problem);
  if (env_problem) AddProblem(result, *env_problem, /*warning=*/true);
  if (auto too_big = load::NormalizeCompose(*doc, env)) {
    AddProblem(result, *too_big);
    return;
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
      std::string error;
      std::optional<std::string> part_text = ReadInput(part, error);
      std::string part_display = DisplayPath(path);
      result.summary.merged.push_back(part_display);
      if (!part_text) {
        result.problems.push_back({part_display, 0, 0, error, false});
        return;
      }
      std::unique_ptr<Document> part_doc =
          LoadSingle(*part_text, part_display, HasJsonSuffix(path), true, result, false);
      if (!part_doc) return;
      if (auto too_big = load::NormalizeCompose(*part_doc, env)) {
        AddProblem(result, *too_big);
        return;
      }
      docs.push_back(std::move(part_doc));
      more_texts.push_back(std::move(*part_text));
      result.directives[part_display] = ParseDirectives(more_texts.back());
    }
    std::optional<load::InputError> merge_error;
    doc = load::MergeCompose(std::move(docs), merge_error);
    if (merge_error || !doc) {
      if (merge_error) AddProblem(result, *merge_error);
      return;
    }
    info.more_texts.push_back({text, info.lines});
    for (const std::string& t : more_texts) {
      more_lines.push_back(std::make_unique<LineIndex>(t));
      info.more_texts.push_back({t, more_lines.back().get()});
    }
  }
  info.doc_files = &doc->files;
  result.summary.services = ServicesOf(doc->root);
  result.summary.env_files = EnvFilesOf(doc->root, input.path);
  result.summary.checked = true;
  RunOnDocument(rules, doc->root, info, plan, settings, result);
}

// A .env file: one map document. A variable set twice is a warning (compose
// takes the later value). A walked file that does not parse is a warning, as a
// walked document's is (.env.j2 and other templates share the name); a named one,
// or one a compose project uses, is an error, as compose would fail on it.
void CheckDotenv(const RuleList& rules, const Input& input, const InputPlan& plan,
                 const std::string& text, eval::InputInfo& info, const Settings& settings,
                 InputResult& result) {
  load::DotenvResult loaded = load::LoadDotenv(text, plan.display, load::LoadLimits());
  for (const load::InputError& w : loaded.warnings) AddProblem(result, w, /*warning=*/true);
  if (loaded.error) {
    AddProblem(result, *loaded.error, /*warning=*/!input.named);
    return;
  }
  info.doc_files = &loaded.document->files;
  result.summary.checked = true;
  RunOnDocument(rules, loaded.document->root, info, plan, settings, result);
}

}  // namespace

InputResult CheckInput(const Program& program, const ActiveRules& rules, const Input& input,
                       const InputPlan& planned, const Settings& settings) {
  (void)program;
  InputPlan plan = planned;
  InputResult result;
  InputSummary& summary = result.summary;
  summary.file = plan.display;
  summary.kind = KindName(plan.kind);
  if (plan.schema != nullptr) summary.schema = plan.schema->name;
  RuleList here = rules.For(plan);
  switch (plan.read_as) {
    case ReadAs::kUnknown:
      result.problems.push_back({plan.display, 0, 0, plan.problem, false});
      return result;
    case ReadAs::kRecordStream:
      CheckRecordStream(here, input, plan, settings, result);  // Input::range when given
      summary.checked = !result.by_rule.empty();               // opened: at least SCHEMA ran
      break;
    case ReadAs::kCompose:
    case ReadAs::kDocuments:
    case ReadAs::kRecordList:
    case ReadAs::kDotenv: {
      if (input.range) {
        result.problems.push_back({plan.display, 0, 0,
                                   "a byte range applies only to CSV, TSV and JSON Lines inputs",
                                   false, NameOf(DiagCode::kInputUnreadable)});
        return result;
      }
      std::string error;
      std::optional<std::string> text = ReadInput(input, error);
      if (!text) {
        result.problems.push_back({plan.display, 0, 0, error, false});
        return result;
      }
      LineIndex lines(*text);
      if (!plan.json) result.directives[plan.display] = ParseDirectives(*text);
      eval::InputInfo info;
      info.display_file = plan.display;
      info.foreign_files = settings.foreign_files;
      info.text = *text;
      info.lines = &lines;
      if (plan.read_as == ReadAs::kCompose) {
        CheckCompose(here, input, plan, *text, info, settings, result);
        break;
      }
      if (plan.read_as == ReadAs::kDotenv) {
        CheckDotenv(here, input, plan, *text, info, settings, result);
        break;
      }
      // A walked document that does not parse is a warning (it may be anything);
      // one that looks like compose is an error, as a compose file's would be.
      const bool walked_doc = plan.kind == InputKind::kDocument && !input.named &&
                              !(plan.by_content && MayBeComposeText(*text));
      std::vector<std::unique_ptr<Document>> docs;
      LoadSingle(*text, plan.display, plan.json, false, result, walked_doc, &docs);
      if (plan.by_content && docs.size() == 1 && ComposeByContent(docs.front()->root)) {
        // Compose by content (stack.yml, pwd.yml): checked as compose, loaded again
        // as one normalised compose document.
        PlanAsCompose(plan);
        summary.kind = KindName(plan.kind);
        here = rules.For(plan);
        docs.clear();
        CheckCompose(here, input, plan, *text, info, settings, result);
        break;
      }
      summary.checked = result.problems.empty();
      for (const auto& doc : docs) {
        if (plan.read_as == ReadAs::kDocuments) {
          RunOnDocument(here, doc->root, info, plan, settings, result);
        } else if (!doc->root.is(Type::kList)) {
          result.problems.push_back({plan.display, doc->root.loc().line, doc->root.loc().column,
                                     "a record set must be an array of objects", false});
        } else {
          CheckRecordList(here, plan, doc->root, info, settings, result);
        }
      }
      break;
    }
  }
  if (summary.checked)
    for (const eval::CompiledRule* r : here) summary.rules.push_back(r->info.id);
  return result;
}

}  // namespace policy::run
