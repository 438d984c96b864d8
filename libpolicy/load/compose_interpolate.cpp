// Compose variable interpolation as `docker compose` reads it (compose-spec
// "Interpolation"), for the fields whose meaning a rule judges: a reference
// takes its value from the project environment (.env beside the compose file,
// or --env-file), else its default. A reference with neither is unknown, and
// the field is then left as written so that no finding rests on a guess.

#include <filesystem>
#include <sstream>

#include "libpolicy/load/compose_internal.h"
#include "libpolicy/load/loaders.h"
#include "libpolicy/load/text_internal.h"

namespace policy::load {
namespace {

bool IsNameStart(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_'; }
bool IsNameChar(char c) { return IsNameStart(c) || (c >= '0' && c <= '9'); }

// The value of NAME in `env`, or null when it is not set.
const std::string* Lookup(const ComposeEnv& env, std::string_view name) {
  auto it = env.find(name);
  return it == env.end() ? nullptr : &it->second;
}

// Appends the expansion of `s` to `out`; false when a reference is unknown or malformed.
bool Expand(std::string_view s, const ComposeEnv& env, int depth, std::string& out) {
  if (depth > 8) return false;  // defaults nested deeper than any real file: give up
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '$') {
      out += s[i];
      continue;
    }
    if (i + 1 < s.size() && s[i + 1] == '$') {  // "$$" is a literal dollar
      out += '$';
      ++i;
      continue;
    }
    if (i + 1 < s.size() && IsNameStart(s[i + 1])) {  // $NAME
      std::size_t j = i + 1;
      while (j < s.size() && IsNameChar(s[j])) ++j;
      const std::string* v = Lookup(env, s.substr(i + 1, j - i - 1));
      if (v == nullptr) return false;
      out += *v;
      i = j - 1;
      continue;
    }
    if (i + 1 >= s.size() || s[i + 1] != '{') {
      out += '$';
      continue;
    }
    std::size_t j = i + 2;
    if (j >= s.size() || !IsNameStart(s[j])) return false;
    while (j < s.size() && IsNameChar(s[j])) ++j;
    const std::string_view name = s.substr(i + 2, j - i - 2);
    std::string_view modifier;
    if (j + 1 < s.size() && s[j] == ':' &&
        (s[j + 1] == '-' || s[j + 1] == '?' || s[j + 1] == '+')) {
      modifier = s.substr(j, 2);
    } else if (j < s.size() && (s[j] == '-' || s[j] == '?' || s[j] == '+')) {
      modifier = s.substr(j, 1);
    } else if (j >= s.size() || s[j] != '}') {
      return false;
    }
    // The operand runs to the brace that closes this reference.
    std::size_t k = j + modifier.size();
    const std::size_t operand_start = k;
    for (int open = 1; k < s.size(); ++k) {
      if (s[k] == '$' && k + 1 < s.size() && s[k + 1] == '$') {
        ++k;
      } else if (s[k] == '$' && k + 1 < s.size() && s[k + 1] == '{') {
        ++open;
        ++k;
      } else if (s[k] == '}' && --open == 0) {
        break;
      }
    }
    if (k >= s.size()) return false;
    const std::string_view operand = s.substr(operand_start, k - operand_start);
    const std::string* v = Lookup(env, name);
    const bool colon = !modifier.empty() && modifier[0] == ':';
    const bool set = v != nullptr && (!colon || !v->empty());
    const char op = modifier.empty() ? 0 : modifier.back();
    if (op == '-') {
      if (set) {
        out += *v;
      } else if (!Expand(operand, env, depth + 1, out)) {
        return false;
      }
    } else if (op == '+') {
      if (set && !Expand(operand, env, depth + 1, out)) return false;
    } else {  // plain or "?": the value, which must be there
      if (!set && !(op == 0 && v != nullptr)) return false;
      out += *v;
    }
    i = k;
  }
  return true;
}

// A .env value: unquoted text up to an inline " #" comment, or a quoted string
// ('...' literal, "..." with \n, \t, \", \\ escapes), as compose-go's dotenv reads it.
std::string EnvValue(std::string_view raw) {
  while (!raw.empty() && (raw.front() == ' ' || raw.front() == '\t')) raw.remove_prefix(1);
  if (!raw.empty() && (raw.front() == '\'' || raw.front() == '"')) {
    const char q = raw.front();
    std::string out;
    for (std::size_t i = 1; i < raw.size(); ++i) {
      if (raw[i] == q) return out;
      if (q == '"' && raw[i] == '\\' && i + 1 < raw.size()) {
        const char e = raw[++i];
        out += e == 'n' ? '\n' : e == 't' ? '\t' : e;
      } else {
        out += raw[i];
      }
    }
    return out;  // unterminated: what there is
  }
  std::size_t hash = raw.find(" #");
  if (hash != std::string_view::npos) raw = raw.substr(0, hash);
  while (!raw.empty() && (raw.back() == ' ' || raw.back() == '\t' || raw.back() == '\r'))
    raw.remove_suffix(1);
  return std::string(raw);
}

}  // namespace

std::optional<std::string> InterpolateCompose(std::string_view text, const ComposeEnv& env) {
  std::string out;
  if (!Expand(text, env, 0, out)) return std::nullopt;
  return out;
}

ComposeEnv ParseEnvFile(std::string_view text) {
  ComposeEnv env;
  std::istringstream in{std::string(text)};
  std::string line;
  while (std::getline(in, line)) {
    std::string_view l = line;
    while (!l.empty() && (l.front() == ' ' || l.front() == '\t')) l.remove_prefix(1);
    if (l.empty() || l.front() == '#') continue;
    if (l.substr(0, 7) == "export ") l.remove_prefix(7);
    const std::size_t eq = l.find('=');
    if (eq == std::string_view::npos) continue;
    std::string_view key = l.substr(0, eq);
    while (!key.empty() && (key.back() == ' ' || key.back() == '\t')) key.remove_suffix(1);
    if (key.empty()) continue;
    std::string value = EnvValue(l.substr(eq + 1));
    // A value may use the variables defined above it, as compose-go allows.
    if (std::optional<std::string> expanded = InterpolateCompose(value, env)) value = *expanded;
    env[std::string(key)] = std::move(value);
  }
  return env;
}

ComposeEnv ReadComposeEnv(const std::string& compose_path, const std::string& env_file,
                          std::optional<InputError>& problem) {
  std::string path = env_file;
  if (path.empty()) {
    const std::size_t slash = compose_path.find_last_of('/');
    path =
        (slash == std::string::npos ? std::string() : compose_path.substr(0, slash + 1)) + ".env";
  }
  // Missing: no .env. Unreadable or over its cap: the defaults apply, said so.
  BoundedRead read = ReadFileBounded(path, kMaxConfigBytes);
  if (read.status == BoundedRead::Status::kCannotOpen) {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) return {};
  }
  if (!read.ok()) {
    problem = MakeError(read.status == BoundedRead::Status::kTooLarge ? DiagCode::kInputTooLarge
                                                                      : DiagCode::kInputUnreadable,
                        path, 0, 0,
                        "the project's .env " + read.Reason() +
                            ": it was not read, so interpolation took the defaults written");
    return {};
  }
  return ParseEnvFile(read.text);
}

}  // namespace policy::load
