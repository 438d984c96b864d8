// ComposeEnvFiles: the dotenv files a compose project reads, so that a run on
// the compose file checks them too (CLI.md "Inputs"), found the way docker
// compose finds them: the project's `.env` beside the file, and every
// `env_file:` of its services, relative to the file's directory.
#include "libpolicy/run/compose_env_files.h"

#include <filesystem>
#include <set>

#include "libpolicy/bounded_read.h"
#include "libpolicy/diagnostic_codes.h"
#include "libpolicy/engine.h"
#include "libpolicy/load/loaders.h"
#include "libpolicy/run/input_plan.h"

namespace policy {
namespace {

namespace fs = std::filesystem;

struct Collector {
  EnvFileSet& out;
  std::set<std::string> seen;

  void Add(const std::string& path) {
    if (seen.insert(path).second) out.paths.push_back(path);
  }
};

std::string Resolved(const fs::path& dir, std::string_view written) {
  const fs::path p(written);
  return run::DisplayPath((p.is_absolute() ? p : dir / p).lexically_normal().generic_string());
}

}  // namespace

namespace run {

std::vector<EnvFileRef> ServiceEnvFiles(const Value& service, const std::string& compose_path) {
  std::vector<EnvFileRef> out;
  const Value* env_file = service.is(Type::kMap) ? service.Find("env_file") : nullptr;
  if (env_file == nullptr) return out;
  const fs::path dir = fs::path(compose_path).parent_path();
  std::span<const Value> items =
      env_file->is(Type::kList) ? env_file->as_list() : std::span<const Value>(env_file, 1);
  for (const Value& item : items) {
    const Value* path = &item;
    bool required = true;
    if (item.is(Type::kMap)) {
      path = item.Find("path");
      const Value* flag = item.Find("required");
      required = flag == nullptr || !flag->is(Type::kBool) || flag->as_bool();
    }
    if (path == nullptr || !path->is(Type::kString) || path->as_string().empty()) continue;
    // ${VAR} in the path: which file compose reads depends on the environment.
    if (path->as_string().find('$') != std::string_view::npos) continue;
    out.push_back({path, Resolved(dir, path->as_string()), required});
  }
  return out;
}

}  // namespace run

EnvFileSet ComposeEnvFiles(const Input& compose) {
  EnvFileSet out;
  // Standard input has no directory to find env files in.
  if (compose.path == "-" ||
      (compose.kind != InputKind::kAuto && compose.kind != InputKind::kCompose))
    return out;
  // By name or kind first: a walk's CSV files are never read here.
  const InputKind by_name = run::KindFromName(compose.path);
  const bool by_content = compose.kind == InputKind::kAuto && by_name == InputKind::kDocument;
  if (compose.kind == InputKind::kAuto && by_name != InputKind::kCompose && !by_content) return out;
  std::string text;
  if (compose.text) {
    text = *compose.text;
  } else {
    BoundedRead read = ReadFileBounded(compose.path, load::LoadLimits().max_file_size);
    if (!read.ok()) return out;  // the check itself reports it
    text = std::move(read.text);
  }
  if (by_content && !run::MayBeComposeText(text)) return out;
  const std::string lower_ext = fs::path(compose.path).extension().string();
  load::DocumentsResult loaded = lower_ext == ".json" || lower_ext == ".JSON"
                                     ? load::LoadJson(text, compose.path, load::LoadLimits())
                                     : load::LoadYaml(text, compose.path, load::LoadLimits(), true);
  if (loaded.error || loaded.documents.size() != 1) return out;  // the check reports it
  const Value& root = loaded.documents.front()->root;
  if (by_content && !run::ComposeByContent(root)) return out;

  Collector c{out, {}};
  const fs::path dir = fs::path(compose.path).parent_path();
  std::error_code ec;
  if (const std::string dot_env = Resolved(dir, ".env"); fs::is_regular_file(dot_env, ec))
    c.Add(dot_env);
  const Value* services = root.is(Type::kMap) ? root.Find("services") : nullptr;
  if (services == nullptr || !services->is(Type::kMap)) return out;
  for (const MapEntry& service : services->as_map()) {
    for (const run::EnvFileRef& ref : run::ServiceEnvFiles(service.value, compose.path)) {
      if (fs::is_regular_file(ref.path, ec)) {
        c.Add(ref.path);
      } else if (ref.required) {
        const std::string_view written = ref.written->as_string();
        out.problems.push_back(
            {run::DisplayPath(compose.path), ref.written->loc().line, ref.written->loc().column,
             "env_file '" + std::string(written) + "'" +
                 (ref.path == written ? std::string() : " (" + ref.path + ")") +
                 " does not exist: docker compose would fail here (write `required: false` "
                 "in the long form if it is optional)",
             true, NameOf(DiagCode::kInputUnreadable)});
      }
    }
  }
  return out;
}

}  // namespace policy
