// ComposeEnvFiles: the dotenv files a compose project reads, so that a run on
// the compose file checks them too (CLI.md "Inputs"), found the way docker
// compose finds them: the project's `.env` beside the file, and every
// `env_file:` of its services, relative to the file's directory.
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
  fs::path dir;  // the compose file's directory, as its path spells it
  std::string compose_display;
  EnvFileSet& out;
  std::set<std::string> seen;

  void Add(const std::string& path) {
    if (seen.insert(path).second) out.paths.push_back(path);
  }

  // `ref`: the value written (string, or the long form's `path`); `required`
  // false only when the long form says so.
  void Named(const Value& ref, bool required) {
    if (!ref.is(Type::kString) || ref.as_string().empty()) return;
    const std::string_view written = ref.as_string();
    // ${VAR} in the path: which file compose reads depends on the environment.
    if (written.find('$') != std::string_view::npos) return;
    fs::path p(written);
    const std::string path =
        run::DisplayPath((p.is_absolute() ? p : dir / p).lexically_normal().generic_string());
    std::error_code ec;
    if (!fs::is_regular_file(path, ec)) {
      if (required)
        out.problems.push_back(
            {compose_display, ref.loc().line, ref.loc().column,
             "env_file '" + std::string(written) + "'" +
                 (path == written ? std::string() : " (" + path + ")") +
                 " does not exist: docker compose would fail here (write `required: false` "
                 "in the long form if it is optional)",
             true, NameOf(DiagCode::kInputUnreadable)});
      return;
    }
    Add(path);
  }
};

}  // namespace

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

  Collector c{fs::path(compose.path).parent_path(), run::DisplayPath(compose.path), out, {}};
  {
    const std::string dot_env =
        run::DisplayPath((c.dir / ".env").lexically_normal().generic_string());
    std::error_code ec;
    if (fs::is_regular_file(dot_env, ec)) c.Add(dot_env);
  }
  const Value* services = root.is(Type::kMap) ? root.Find("services") : nullptr;
  if (services == nullptr || !services->is(Type::kMap)) return out;
  for (const MapEntry& service : services->as_map()) {
    const Value* env_file = service.value.is(Type::kMap) ? service.value.Find("env_file") : nullptr;
    if (env_file == nullptr) continue;
    std::span<const Value> items =
        env_file->is(Type::kList) ? env_file->as_list() : std::span<const Value>(env_file, 1);
    for (const Value& item : items) {
      if (item.is(Type::kMap)) {
        const Value* path = item.Find("path");
        const Value* required = item.Find("required");
        if (path != nullptr)
          c.Named(*path, required == nullptr || !required->is(Type::kBool) || required->as_bool());
      } else {
        c.Named(item, true);
      }
    }
  }
  return out;
}

}  // namespace policy
