#include "cli/config.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "libpolicy/bounded_read.h"

namespace policy::cli {
namespace fs = std::filesystem;
namespace {

// Errors carry the key's place; thrown inside the parser only, caught in ParseConfig.
struct ConfigError {
  YAML::Mark mark;
  std::string message;
};

[[noreturn]] void Fail(const YAML::Node& node, const std::string& message) {
  throw ConfigError{node.Mark(), message};
}

const char* TypeName(const YAML::Node& n) {
  switch (n.Type()) {
    case YAML::NodeType::Map:
      return "a mapping";
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Scalar:
      return "a scalar";
    case YAML::NodeType::Null:
      return "null";
    default:
      return "nothing";
  }
}

std::string String(const YAML::Node& n, const std::string& key) {
  if (!n.IsScalar()) Fail(n, "'" + key + "' must be a string, not " + TypeName(n));
  return n.Scalar();
}

bool Bool(const YAML::Node& n, const std::string& key) {
  bool value = false;
  // Quoted "true" is a string, not a bool: the tag "!" marks a quoted scalar.
  if (!n.IsScalar() || n.Tag() == "!" || !YAML::convert<bool>::decode(n, value)) {
    Fail(n, "'" + key + "' must be true or false");
  }
  return value;
}

std::vector<std::string> StringList(const YAML::Node& n, const std::string& key) {
  if (n.IsScalar()) return {n.Scalar()};
  if (!n.IsSequence()) Fail(n, "'" + key + "' must be a list of strings, not " + TypeName(n));
  std::vector<std::string> out;
  for (const YAML::Node& item : n) out.push_back(String(item, key + "[]"));
  return out;
}

void CheckKeys(const YAML::Node& map, const std::string& where,
               const std::set<std::string>& allowed) {
  for (const auto& kv : map) {
    std::string key = kv.first.IsScalar() ? kv.first.Scalar() : "";
    if (!allowed.count(key)) {
      std::string list;
      for (const std::string& a : allowed) list += (list.empty() ? "" : ", ") + a;
      Fail(kv.first, "unknown key '" + key + "'" + (where.empty() ? "" : " in " + where) +
                         " (expected " + list + ")");
    }
  }
}

// A param's value as the YAML flow text --param takes.
std::string FlowText(const YAML::Node& n) {
  YAML::Emitter e;
  e.SetMapFormat(YAML::Flow);
  e.SetSeqFormat(YAML::Flow);
  if (n.IsScalar() && n.Tag() == "!") {
    e << YAML::DoubleQuoted << n.Scalar();
  } else {
    e << n;
  }
  return e.c_str();
}

FailOn ParseFailOn(const YAML::Node& n) {
  std::string v = String(n, "fail_on");
  if (v == "error") return FailOn::kError;
  if (v == "warning") return FailOn::kWarning;
  if (v == "info") return FailOn::kInfo;
  if (v == "never") return FailOn::kNever;
  Fail(n, "'fail_on' must be error, warning, info or never, not '" + v + "'");
}

InputKind ParseKind(const YAML::Node& n) {
  std::string v = String(n, "kind");
  if (v == "compose") return InputKind::kCompose;
  if (v == "records") return InputKind::kRecords;
  if (v == "document") return InputKind::kDocument;
  if (v == "dotenv") return InputKind::kDotenv;
  Fail(n, "'kind' must be compose, records, document or dotenv, not '" + v + "'");
}

void ParseRulesConfig(const YAML::Node& n, Config& c) {
  if (!n.IsMap()) Fail(n, "'rules_config' must be a mapping of rule ids");
  for (const auto& kv : n) {
    std::string id = String(kv.first, "rules_config");
    if (id == "SCHEMA") Fail(kv.first, "SCHEMA findings cannot be configured: they stay errors");
    if (!kv.second.IsMap()) Fail(kv.second, "rules_config." + id + " must be a mapping");
    CheckKeys(kv.second, "rules_config." + id, {"severity", "enabled"});
    RuleSetting s;
    s.line = kv.first.Mark().line + 1;
    if (kv.second["severity"]) {
      const YAML::Node sev = kv.second["severity"];
      std::string v = String(sev, "severity");
      if (v != "error" && v != "warning" && v != "info") {
        Fail(sev, "'severity' must be error, warning or info, not '" + v + "'");
      }
      s.severity = v;
    }
    if (kv.second["enabled"]) s.enabled = Bool(kv.second["enabled"], "enabled");
    c.rules_config[id] = s;
  }
}

void ParseInputs(const YAML::Node& n, Config& c) {
  if (!n.IsSequence()) Fail(n, "'inputs' must be a list");
  for (const YAML::Node& item : n) {
    if (!item.IsMap()) Fail(item, "each of 'inputs' must be a mapping with 'path'");
    CheckKeys(item, "inputs", {"path", "kind", "schema"});
    if (!item["path"]) Fail(item, "an entry of 'inputs' needs 'path'");
    InputBinding b;
    b.glob = String(item["path"], "path");
    if (item["kind"]) b.kind = ParseKind(item["kind"]);
    if (item["schema"]) b.schema = String(item["schema"], "schema");
    if (!b.schema.empty() && b.kind != InputKind::kAuto && b.kind != InputKind::kRecords) {
      Fail(item["schema"], "'schema' applies to record inputs only");
    }
    c.inputs.push_back(std::move(b));
  }
}

void ParseTop(const YAML::Node& root, Config& c) {
  if (root.IsNull()) return;  // an empty file configures nothing
  if (!root.IsMap()) Fail(root, "the configuration must be a mapping");
  CheckKeys(root, "",
            {"rules", "builtin", "exclude", "fail_on", "params", "rules_config", "inputs"});
  for (const auto& kv : root) {
    std::string key = kv.first.Scalar();
    const YAML::Node& v = kv.second;
    if (key == "rules") {
      for (const std::string& r : StringList(v, key)) {
        fs::path p = fs::path(r).is_absolute() ? fs::path(r) : fs::path(c.dir) / r;
        c.rules.push_back(p.lexically_normal().string());
      }
    } else if (key == "builtin") {
      c.builtin = Bool(v, key);
    } else if (key == "exclude") {
      c.exclude = StringList(v, key);
    } else if (key == "fail_on") {
      c.fail_on = ParseFailOn(v);
    } else if (key == "params") {
      if (!v.IsMap()) Fail(v, "'params' must be a mapping of param names to values");
      for (const auto& p : v) {
        if (p.second.IsNull()) Fail(p.second, "param '" + p.first.Scalar() + "' has no value");
        c.params.emplace_back(String(p.first, "params"), FlowText(p.second));
      }
    } else if (key == "rules_config") {
      ParseRulesConfig(v, c);
    } else if (key == "inputs") {
      ParseInputs(v, c);
    }
  }
}

std::string Place(const std::string& path, uint32_t line, uint32_t column) {
  return path + ":" + std::to_string(line) + ":" + std::to_string(column);
}

}  // namespace

ConfigResult ParseConfig(const std::string& text, const std::string& path) {
  ConfigResult result;
  Config c;
  c.path = path;
  std::error_code ec;
  c.dir = fs::absolute(fs::path(path), ec).parent_path().lexically_normal().string();
  try {
    YAML::Node root = YAML::Load(text);
    ParseTop(root, c);
  } catch (const ConfigError& e) {
    int line = e.mark.line < 0 ? 0 : e.mark.line;
    int column = e.mark.column < 0 ? 0 : e.mark.column;
    result.error = Place(path, static_cast<uint32_t>(line + 1), static_cast<uint32_t>(column + 1)) +
                   ": error: " + e.message;
    return result;
  } catch (const YAML::Exception& e) {
    int line = e.mark.line < 0 ? 0 : e.mark.line;
    int column = e.mark.column < 0 ? 0 : e.mark.column;
    result.error = Place(path, static_cast<uint32_t>(line + 1), static_cast<uint32_t>(column + 1)) +
                   ": error: " + e.msg;
    return result;
  }
  result.config = std::move(c);
  return result;
}

ConfigResult LoadConfig(const std::string& path) {
  BoundedRead read = ReadFileBounded(path, kMaxConfigBytes);
  if (read.status == BoundedRead::Status::kTooLarge)
    return {std::nullopt, path + ": error: the configuration file is " + read.Reason()};
  if (!read.ok()) return {std::nullopt, path + ": error: cannot read the configuration file"};
  return ParseConfig(read.text, path);
}

std::string DiscoverConfig() {
  std::error_code ec;
  fs::path cwd = fs::current_path(ec);
  if (ec) return "";
  for (fs::path dir = cwd;; dir = dir.parent_path()) {
    fs::path candidate = dir / ".policy-check.yaml";
    if (fs::is_regular_file(candidate, ec)) {
      // Shown relative when it is here, so messages stay short.
      return dir == cwd ? ".policy-check.yaml" : candidate.string();
    }
    if (dir == dir.parent_path()) break;
  }
  return "";
}

std::vector<std::string> CheckRuleIds(const Config& config, const std::vector<RuleInfo>& rules) {
  std::vector<std::string> errors;
  for (const auto& [id, setting] : config.rules_config) {
    bool known = std::any_of(rules.begin(), rules.end(),
                             [&, id = id](const RuleInfo& r) { return r.id == id; });
    if (!known) {
      errors.push_back(config.path + ":" + std::to_string(setting.line) +
                       ": error: unknown rule id '" + id + "' in rules_config");
    }
  }
  return errors;
}

void ApplyConfig(const Config& config, Options& options, CompileOptions& compile_options) {
  if (config.builtin && !*config.builtin) compile_options.builtin = false;
  compile_options.rule_paths.insert(compile_options.rule_paths.begin(), config.rules.begin(),
                                    config.rules.end());
  // The command line's --param wins over the file's value of the same name.
  std::vector<std::pair<std::string, std::string>> params;
  for (const auto& p : config.params) {
    bool overridden = std::any_of(options.params.begin(), options.params.end(),
                                  [&](const auto& cli) { return cli.first == p.first; });
    if (!overridden) params.push_back(p);
  }
  params.insert(params.end(), options.params.begin(), options.params.end());
  compile_options.params = std::move(params);
  for (const auto& [id, setting] : config.rules_config) {
    if (setting.severity) compile_options.severity_overrides[id] = *setting.severity;
    if (setting.enabled) compile_options.enabled_overrides[id] = *setting.enabled;
  }
  if (config.fail_on && !options.fail_on_given) options.fail_on = *config.fail_on;
}

}  // namespace policy::cli
