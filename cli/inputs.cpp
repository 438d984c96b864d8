#include "cli/inputs.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <system_error>

#include "cli/git_ignored.h"
#include "cli/glob.h"
#include "libpolicy/bounded_read.h"
#include "libpolicy/diagnostic_codes.h"

namespace policy::cli {
namespace fs = std::filesystem;
namespace {

bool SkippedDirectory(const std::string& name) {
  return name == ".git" || name == "node_modules" || name == "vendor";
}

// Whether `real` (a canonical path) is `root` (canonical) or below it.
bool InsideTree(const fs::path& real, const fs::path& root) {
  const fs::path rel = real.lexically_relative(root);
  return !rel.empty() && *rel.begin() != "..";
}

struct Walker {
  const InputRequest& request;
  InputSet& out;
  std::set<std::string>& seen;
  std::string config_abs;
  fs::path walk_root;  // the real path of the named directory being walked
  // What git ignores under the named directory being walked, relative to it
  // (walk_prefix, as walked paths spell it, "" for "."); empty: nothing.
  std::set<std::string> git_ignored;
  std::string walk_prefix;

  bool GitIgnored(const std::string& child, bool directory) const {
    if (git_ignored.empty()) return false;
    std::string rel = walk_prefix.empty() ? child : child.substr(walk_prefix.size() + 1);
    return IsGitIgnored(git_ignored, directory ? rel + "/" : rel);
  }

  void Add(Input input) {
    if (seen.insert(input.path).second) out.inputs.push_back(std::move(input));
  }

  bool Excluded(const std::string& path, bool directory) const {
    if (request.exclude.empty()) return false;
    std::string rel = RelativeToBase(path.empty() ? "." : path, request.base_dir);
    if (rel.empty()) return false;
    for (const std::string& glob : request.exclude) {
      if (directory ? GlobCoversDirectory(glob, rel) : GlobMatch(glob, rel)) return true;
    }
    return false;
  }

  bool IsConfig(const std::string& path) const {
    if (config_abs.empty()) return false;
    std::error_code ec;
    return fs::absolute(path, ec).lexically_normal().string() == config_abs;
  }

  const InputBinding* Binding(const std::string& path) const {
    if (request.bindings.empty()) return nullptr;
    std::string rel = RelativeToBase(path, request.base_dir);
    if (rel.empty()) return nullptr;
    for (const InputBinding& b : request.bindings) {
      if (GlobMatch(b.glob, rel)) return &b;
    }
    return nullptr;
  }

  // Kind and schema: --kind (named inputs only), then the configuration, then the
  // name. Returns the kind; a kind from the name is left kAuto in `input` so that
  // the engine may still read a document as compose by its content.
  InputKind Classify(Input& input, bool named) const {
    const InputBinding* b = Binding(input.path);
    InputKind kind = InputKind::kAuto;
    if (named && request.kind != InputKind::kAuto) {
      kind = input.kind = request.kind;
    } else if (b && b->kind != InputKind::kAuto) {
      kind = input.kind = b->kind;
    } else {
      kind = InferKind(input.path);
    }
    if (b && kind == InputKind::kRecords) input.schema = b->schema;
    return kind;
  }

  // A walked YAML file no document rule wants is still read when its text may
  // be compose (stack.yml, pwd.yml): the engine decides by its content.
  static bool MayBeComposeFile(const fs::path& path) {
    const std::string ext = path.extension().string();
    if (ext != ".yml" && ext != ".yaml" && ext != ".YML" && ext != ".YAML") return false;
    constexpr std::streamsize kLookLimit = 4 << 20;  // compose files are far smaller
    std::ifstream f(path, std::ios::binary);
    std::string head(static_cast<size_t>(kLookLimit), '\0');
    f.read(head.data(), kLookLimit);
    head.resize(static_cast<size_t>(f.gcount()));
    return MayBeCompose(head);
  }

  // A walked file that is a symbolic link is read only when its target is inside
  // the named directory: `data.csv -> /etc/passwd` must not put the target's
  // lines into findings. The comparison is of real paths, not of link text.
  bool LinkLeavesTree(const fs::directory_entry& entry) const {
    std::error_code ec;
    if (!entry.is_symlink(ec)) return false;
    const fs::path real = fs::canonical(entry.path(), ec);
    return ec || walk_root.empty() || !InsideTree(real, walk_root);
  }

  // Directories only through real entries, never symlinks, so a link cycle
  // cannot make the walk endless.
  // An unreadable named directory is an input error; one found while walking is
  // only a warning, like a walked document that does not parse.
  void Walk(const std::string& dir_path, const fs::path& dir, bool named) {
    std::error_code ec;
    std::vector<fs::directory_entry> entries;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
      entries.push_back(*it);
    }
    if (ec) {
      out.problems.push_back({dir_path.empty() ? "." : dir_path, 0, 0,
                              "cannot read directory: " + ec.message(), !named});
      return;
    }
    std::sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) {
      return a.path().filename().string() < b.path().filename().string();
    });
    bool is_pack = std::any_of(entries.begin(), entries.end(), [](const fs::directory_entry& e) {
      std::error_code fec;
      return e.path().extension() == ".policy" && e.is_regular_file(fec);
    });
    for (const fs::directory_entry& entry : entries) {
      std::string name = entry.path().filename().string();
      std::string child = dir_path.empty() ? name : dir_path + "/" + name;
      std::error_code fec;
      if (entry.is_directory(fec) && !entry.is_symlink(fec)) {
        if (SkippedDirectory(name) || (is_pack && name == "tests")) continue;
        if (Excluded(child, true) || GitIgnored(child, true)) continue;
        Walk(child, entry.path(), false);
        continue;
      }
      if (name == ".policy-check.yaml" || !entry.is_regular_file(fec)) continue;
      if (IsConfig(child) || Excluded(child, false) || GitIgnored(child, false)) continue;
      Input input;
      input.path = child;
      input.named = false;
      input.delimiter = request.delimiter;
      InputKind kind = Classify(input, false);
      const bool by_glob = std::any_of(request.document_globs.begin(), request.document_globs.end(),
                                       [&](const std::string& g) { return GlobMatch(g, child); });
      // A document the rules read by path, whatever its extension (Prometheus
      // rule files are often `alert.rules`): read as YAML.
      if (kind == InputKind::kAuto && by_glob) {
        input.kind = InputKind::kDocument;
        kind = InputKind::kDocument;
      }
      if (kind == InputKind::kAuto) continue;
      if (kind == InputKind::kDocument && !request.want_documents && !by_glob &&
          (input.kind != InputKind::kAuto || !MayBeComposeFile(entry.path())))
        continue;
      if (LinkLeavesTree(entry)) {
        out.problems.push_back({child, 0, 0,
                                "not read: a symbolic link to a file outside the walked directory",
                                true});
        continue;
      }
      Add(std::move(input));
    }
  }
};

// The env files of every compose project collected (its .env, its services'
// env_file:), as dotenv inputs, once each: also when the walk skipped them
// (git ignores most .env files, and that is where secrets end up). The
// configuration's `exclude:` still applies. One a walk had found is checked as
// named: compose reads it, so a syntax error in it is an error.
void AddComposeEnvFiles(Walker& walker, InputSet& out) {
  const std::size_t collected = out.inputs.size();
  for (std::size_t i = 0; i < collected; ++i) {
    if (out.inputs[i].kind != InputKind::kAuto && out.inputs[i].kind != InputKind::kCompose)
      continue;
    EnvFileSet env = ComposeEnvFiles(out.inputs[i]);
    for (Problem& p : env.problems) out.problems.push_back(std::move(p));
    for (const std::string& path : env.paths) {
      if (walker.Excluded(path, false)) continue;
      if (walker.seen.count(path)) {
        for (Input& known : out.inputs)
          if (known.path == path && known.kind == InputKind::kAuto &&
              InferKind(path) == InputKind::kDotenv)
            known.named = true;
        continue;
      }
      Input input;
      input.path = path;
      input.kind = InputKind::kDotenv;
      walker.Add(std::move(input));
    }
  }
}

}  // namespace

std::string CleanPath(const std::string& path) {
  std::string out;
  for (char c : path) {
    if (c == '/' && !out.empty() && out.back() == '/') continue;
    out += c;
  }
  while (out.size() > 2 && out.rfind("./", 0) == 0) out.erase(0, 2);
  while (out.size() > 1 && out.back() == '/') out.pop_back();
  return out;
}

std::string RelativeToBase(const std::string& path, const std::string& base_dir) {
  if (base_dir.empty()) return CleanPath(path);
  std::error_code ec;
  fs::path abs = fs::absolute(path, ec).lexically_normal();
  fs::path rel = abs.lexically_relative(fs::path(base_dir));
  std::string s = rel.generic_string();
  if (s.empty() || s.rfind("..", 0) == 0) return "";
  return s;
}

InputSet CollectInputs(const InputRequest& request, std::istream& stdin_stream) {
  InputSet out;
  std::set<std::string> seen;
  Walker walker{request, out, seen, "", {}, {}, ""};
  if (!request.config_path.empty()) {
    std::error_code ec;
    walker.config_abs = fs::absolute(request.config_path, ec).lexically_normal().string();
  }
  for (const std::string& raw : request.paths) {
    if (raw == "-") {
      if (request.kind == InputKind::kAuto) {
        out.problems.push_back(
            {"-", 0, 0, "standard input needs --kind compose|records|document|dotenv", false});
        continue;
      }
      Input input;
      input.path = "-";
      input.kind = request.kind;
      input.delimiter = request.delimiter;
      BoundedRead read = ReadStreamBounded(stdin_stream, kMaxInputBytes);
      if (!read.ok()) {
        const bool too_large = read.status == BoundedRead::Status::kTooLarge;
        out.problems.push_back({"-", 0, 0,
                                too_large ? "file " + read.Reason() : "cannot read standard input",
                                false, too_large ? NameOf(DiagCode::kInputTooLarge) : ""});
        continue;
      }
      input.text = std::move(read.text);
      walker.Add(std::move(input));
      continue;
    }
    std::string path = CleanPath(raw);
    std::error_code ec;
    fs::file_status status = fs::status(path, ec);
    if (ec || !fs::exists(status)) {
      out.problems.push_back({path, 0, 0, "no such file or directory", false});
      continue;
    }
    if (fs::is_directory(status)) {
      if (path != "." && walker.Excluded(path, true)) continue;
      walker.walk_root = fs::canonical(path, ec);
      walker.walk_prefix = path == "." ? "" : path;
      walker.git_ignored.clear();
      if (request.respect_gitignore)
        walker.git_ignored = GitIgnoredUnder(path).value_or(std::set<std::string>{});
      walker.Walk(path == "." ? "" : path, fs::path(path), true);
      continue;
    }
    if (walker.Excluded(path, false)) continue;
    Input input;
    input.path = path;
    input.delimiter = request.delimiter;
    if (walker.Classify(input, true) == InputKind::kAuto) {
      out.problems.push_back({path, 0, 0,
                              "cannot tell what kind of input this is from its name "
                              "(use --kind compose|records|document|dotenv)",
                              false});
      continue;
    }
    walker.Add(std::move(input));
  }
  if (request.env_files) AddComposeEnvFiles(walker, out);
  return out;
}

std::string FindRepoRoot() {
  std::error_code ec;
  fs::path cwd = fs::current_path(ec);
  if (ec) return "";
  for (fs::path dir = cwd;; dir = dir.parent_path()) {
    if (fs::exists(dir / ".git", ec)) return dir.string();
    if (dir == dir.parent_path()) break;
  }
  return cwd.string();
}

}  // namespace policy::cli
