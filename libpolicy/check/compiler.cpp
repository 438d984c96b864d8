// Compile(): rule files -> Program. Stages, each stopping the pipeline when it
// reports an error: load and parse (with imports), declarations (schemas,
// params with overrides, defs and their cycles), rules.
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <sstream>

#include "libpolicy/bounded_read.h"
#include "libpolicy/builtin_packs.h"
#include "libpolicy/check/compose_access.h"
#include "libpolicy/check/context.h"
#include "libpolicy/check/def_graph.h"
#include "libpolicy/check/expressions.h"
#include "libpolicy/check/params.h"
#include "libpolicy/check/passes/passes.h"
#include "libpolicy/engine.h"
#include "libpolicy/syntax/parser.h"

namespace policy {
namespace {

namespace fs = std::filesystem;
using check::Context;
using check::FileScope;
using check::LoadedFile;

constexpr std::string_view kBuiltinRoot = "builtin:";

// The pack of an embedded file: its first directory ("readiness/images.policy").
std::string_view PackOf(std::string_view path) { return path.substr(0, path.find('/')); }

// The input kinds a rule file's rules are `on`, read from its lines without
// parsing (`  on       records(invoice)` -> "records"). Only used to leave whole
// built-in packs out; tests/unit/engine checks it against the compiled targets.
std::set<std::string> TargetsInText(std::string_view text) {
  std::set<std::string> kinds;
  for (size_t at = 0; at < text.size();) {
    size_t end = text.find('\n', at);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(at, end - at);
    at = end + 1;
    while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
    if (line.size() < 3 || line.substr(0, 2) != "on" || (line[2] != ' ' && line[2] != '\t'))
      continue;
    line.remove_prefix(2);
    while (!line.empty() && (line.front() == ' ' || line.front() == '\t')) line.remove_prefix(1);
    size_t word = 0;
    while (word < line.size() && std::isalpha(static_cast<unsigned char>(line[word]))) ++word;
    if (word) kinds.emplace(line.substr(0, word));
  }
  return kinds;
}

// The built-in packs with a rule on one of `kinds`; every pack when it is empty.
std::set<std::string_view> BuiltinPacksFor(const std::set<std::string>& kinds) {
  std::map<std::string_view, std::set<std::string>> targets;
  for (const EmbeddedFile& e : BuiltinPackFiles()) {
    std::set<std::string> here = TargetsInText(e.text);
    targets[PackOf(e.path)].insert(here.begin(), here.end());
  }
  std::set<std::string_view> packs;
  for (const auto& [pack, on] : targets) {
    bool wanted = kinds.empty();
    for (const std::string& k : kinds) wanted = wanted || on.count(k) > 0;
    if (wanted) packs.insert(pack);
  }
  return packs;
}

BoundedRead ReadText(const std::string& path) { return ReadFileBounded(path, kMaxRuleFileBytes); }

bool TooLarge(const BoundedRead& read) { return read.status == BoundedRead::Status::kTooLarge; }

std::string NormalKey(const std::string& path) {
  if (path.rfind(kBuiltinRoot, 0) == 0) return path;
  return fs::path(path).lexically_normal().generic_string();
}

bool InsideRoot(const std::string& key, const std::string& root) {
  if (root.empty()) return true;
  if (key.rfind(kBuiltinRoot, 0) == 0) return key.rfind(root, 0) == 0;
  std::string rel =
      fs::path(key).lexically_relative(fs::path(root).lexically_normal()).generic_string();
  return !rel.empty() && rel.rfind("..", 0) != 0;
}

// InsideRoot on real paths: `lib.policy -> /elsewhere/x.policy` or a linked
// directory inside the root passes the check on text but leaves the root.
// Symbolic links are resolved as far as the path exists (files given in memory
// do not exist and keep their text).
bool RealPathInsideRoot(const std::string& key, const std::string& root) {
  if (root.empty() || key.rfind(kBuiltinRoot, 0) == 0) return true;
  std::error_code ec;
  const fs::path real_key = fs::weakly_canonical(key, ec);
  if (ec) return false;
  const fs::path real_root = fs::weakly_canonical(root, ec);
  if (ec) return false;
  const fs::path rel = real_key.lexically_relative(real_root);
  return !rel.empty() && *rel.begin() != "..";
}

class Compiler {
 public:
  Compiler(const CompileOptions& options, Program& program)
      : options_(options), ctx_(program), access_(ctx_, scopes_, def_origins_) {}

  CompileResult Run(std::shared_ptr<Program> program);

 private:
  LoadedFile* AddFile(std::string path, std::string text, std::string root);
  void LoadSources();
  void ParseAll();
  void ResolveImports(LoadedFile& f);
  void CheckImportCycles();
  void DeclareSchemas();
  void DeclareParams();
  void DeclareDefs();
  void DeclareIndexes();
  void DeclareIndex(const LoadedFile& f, const syntax::Index& x);
  void CompileRules();
  void CompileRule(const LoadedFile& f, const syntax::Rule& r);
  // The clauses from `first` (a kGroupBy) on, with `at` and `message`: the
  // group phase of a grouped rule (LANGUAGE.md section 11.3).
  bool CompileGroupPhase(const LoadedFile& f, const syntax::Rule& r, size_t first,
                         check::ExprCompiler& binding, eval::CompiledRule& rule);
  void ApplyRuleConfig();
  // CompileOptions::accelerate and disabled_passes (internal, tests only).
  void ChoosePasses() {
    Program& program = ctx_.program;
    program.accelerate = options_.accelerate;
    program.passes = options_.accelerate ? eval::PassSet::All() : eval::PassSet::None();
    for (const std::string& name : options_.disabled_passes) {
      const check::PassInfo* pass = check::FindPass(name);
      if (pass == nullptr) {
        ConfigError(DiagCode::kConfigUnknownPass, fmt::format("unknown pass '{}'", name));
        continue;
      }
      program.passes = program.passes.Without(pass->id);
    }
  }
  void ConfigError(DiagCode code, std::string message) {
    Diagnostic d = MakeDiagnostic(code, std::move(message));
    d.file = "<configuration>";
    ctx_.diagnostics.push_back(std::move(d));
  }

  const CompileOptions& options_;
  Context ctx_;
  std::map<std::string, LoadedFile*> by_key_;
  std::map<const LoadedFile*, FileScope> scopes_;
  std::map<std::string, std::pair<const LoadedFile*, syntax::Span>> rule_places_;
  std::deque<eval::ParamValue> params_storage_;  // FileScope points here
  check::DefOrigins def_origins_;
  check::ComposeAccessChecker access_;  // reads scopes_ and def_origins_
};

LoadedFile* Compiler::AddFile(std::string path, std::string text, std::string root) {
  std::string key = NormalKey(path);
  if (auto it = by_key_.find(key); it != by_key_.end()) return it->second;
  auto f = std::make_unique<LoadedFile>();
  f->source = std::make_unique<SourceFile>(std::move(path), std::move(text));
  f->root = std::move(root);
  f->key = key;
  LoadedFile* raw = f.get();
  by_key_[key] = raw;
  ctx_.files.push_back(std::move(f));
  return raw;
}

void Compiler::LoadSources() {
  if (options_.builtin) {
    std::set<std::string_view> packs = BuiltinPacksFor(options_.builtin_kinds);
    for (const EmbeddedFile& e : BuiltinPackFiles())
      if (packs.count(PackOf(e.path)))
        AddFile(std::string(kBuiltinRoot) + std::string(e.path), std::string(e.text),
                std::string(kBuiltinRoot));
  }
  for (const std::string& p : options_.rule_paths) {
    std::error_code ec;
    if (fs::is_directory(p, ec)) {
      std::vector<std::string> found;
      for (auto it = fs::recursive_directory_iterator(
               p, fs::directory_options::skip_permission_denied, ec);
           it != fs::recursive_directory_iterator(); it.increment(ec)) {
        if (ec) break;
        if (it->is_directory() &&
            (it->path().filename() == "tests" || it->path().filename() == ".git")) {
          it.disable_recursion_pending();
          continue;
        }
        if (it->is_regular_file() && it->path().extension() == ".policy")
          found.push_back(it->path().string());
      }
      std::sort(found.begin(), found.end());
      for (const std::string& file : found) {
        BoundedRead text = ReadText(file);
        if (text.ok()) {
          AddFile(file, std::move(text.text), p);
        } else if (TooLarge(text)) {
          ConfigError(DiagCode::kInputTooLarge,
                      fmt::format("rule file '{}' is {}", file, text.Reason()));
        }
      }
    } else if (BoundedRead text = ReadText(p); text.ok()) {
      std::string parent = fs::path(p).parent_path().string();
      AddFile(p, std::move(text.text), parent.empty() ? "." : parent);
    } else if (TooLarge(text)) {
      ConfigError(DiagCode::kInputTooLarge, fmt::format("rule file '{}' is {}", p, text.Reason()));
    } else {
      ConfigError(DiagCode::kInputUnreadable,
                  fmt::format("cannot read rule file or directory '{}'", p));
    }
  }
  for (const RuleSource& s : options_.sources) AddFile(s.path, s.text, s.root);
}

void Compiler::ResolveImports(LoadedFile& f) {
  for (const syntax::Import& imp : f.module->imports) {
    std::string key;
    if (f.key.rfind(kBuiltinRoot, 0) == 0) {
      fs::path rel = fs::path(f.key.substr(kBuiltinRoot.size())).parent_path() / imp.path.value;
      key = std::string(kBuiltinRoot) + rel.lexically_normal().generic_string();
    } else {
      key = NormalKey((fs::path(f.key).parent_path() / imp.path.value).string());
    }
    if (!InsideRoot(key, f.root) || !RealPathInsideRoot(key, f.root)) {
      ctx_.Error(f, imp.path.span, DiagCode::kImportOutsideRoot,
                 fmt::format("import '{}' leaves the rule root '{}'", imp.path.value, f.root));
      continue;
    }
    LoadedFile* target = nullptr;
    if (auto it = by_key_.find(key); it != by_key_.end()) {
      target = it->second;
    } else if (key.rfind(kBuiltinRoot, 0) != 0) {
      BoundedRead text = ReadText(key);
      if (text.ok()) {
        target = AddFile(key, std::move(text.text), f.root);
      } else if (TooLarge(text)) {
        ctx_.Error(f, imp.path.span, DiagCode::kInputTooLarge,
                   fmt::format("import '{}' is {}", imp.path.value, text.Reason()));
        continue;
      }
    }
    if (target == nullptr) {
      std::error_code ec;
      ctx_.Error(
          f, imp.path.span, DiagCode::kImportNotFound,
          fs::is_directory(key, ec)
              ? fmt::format("import '{}' names a directory; import a .policy file", imp.path.value)
              : fmt::format("cannot read import '{}'", imp.path.value));
      continue;
    }
    f.imports.push_back(target);
  }
}

void Compiler::ParseAll() {
  // Imports may add files while we go, so index rather than iterate.
  for (size_t i = 0; i < ctx_.files.size(); ++i) {
    LoadedFile& f = *ctx_.files[i];
    syntax::ParseResult r = syntax::Parse(*f.source);
    for (Diagnostic& d : r.diagnostics) ctx_.diagnostics.push_back(std::move(d));
    if (!r.module) continue;
    f.module = std::move(r.module);
    if (f.module->package) f.package = f.module->package->name;
    ResolveImports(f);
  }
}

void Compiler::CheckImportCycles() {
  std::map<const LoadedFile*, int> state;  // 1 visiting, 2 done
  std::function<void(const LoadedFile&)> visit = [&](const LoadedFile& f) {
    state[&f] = 1;
    for (size_t i = 0; i < f.imports.size(); ++i) {
      const LoadedFile* t = f.imports[i];
      if (state[t] == 1) {
        ctx_.Error(f, f.module->imports[i].path.span, DiagCode::kImportCycle,
                   fmt::format("import cycle: '{}' imports back into '{}'", f.source->path(),
                               t->source->path()));
      } else if (state[t] == 0 && t->module) {
        visit(*t);
      }
    }
    state[&f] = 2;
  };
  for (const auto& f : ctx_.files)
    if (f->module && state[f.get()] == 0) visit(*f);
}

eval::SchemaField CompileField(Context& ctx, const LoadedFile& f, const syntax::SchemaField& sf) {
  eval::SchemaField out;
  out.name = sf.name.name;
  out.required = sf.required;
  for (const syntax::Ident& alias : sf.aliases) out.aliases.push_back(alias.name);
  const std::string& t = sf.type.name.name;
  if (t == "string")
    out.type = Type::kString;
  else if (t == "decimal")
    out.type = Type::kDecimal;
  else if (t == "bool")
    out.type = Type::kBool;
  else if (t == "date")
    out.type = Type::kDate;
  else
    ctx.Error(f, sf.type.name.span, DiagCode::kSchemaBadType,
              fmt::format("unknown field type '{}'", t), "use string, decimal, bool or date");
  if (sf.type.pattern) {
    if (out.type != Type::kDate || !Date::IsValidPattern(sf.type.pattern->value))
      ctx.Error(
          f, sf.type.pattern->span, DiagCode::kSchemaBadPattern,
          fmt::format("'{}' is not a date pattern of YYYY, MM and DD", sf.type.pattern->value));
    out.date_pattern = sf.type.pattern->value;
  }
  return out;
}

void Compiler::DeclareSchemas() {
  std::map<std::string, std::pair<const LoadedFile*, syntax::Span>> seen;
  for (const auto& f : ctx_.files) {
    if (!f->module) continue;
    for (const syntax::Schema& s : f->module->schemas) {
      if (auto it = seen.find(s.name.name); it != seen.end()) {
        Diagnostic& d = ctx_.Add(*f, s.name.span, Severity::kError, DiagCode::kSchemaDuplicate,
                                 fmt::format("schema '{}' is declared twice", s.name.name), "");
        LineColumn lc = it->second.first->source->Position(it->second.second.begin);
        d.notes.push_back(
            {it->second.first->source->path(), lc.line, lc.column, "first declared here"});
        continue;
      }
      seen[s.name.name] = {f.get(), s.name.span};
      eval::Schema schema;
      schema.name = s.name.name;
      std::set<std::string> names;
      for (const syntax::SchemaField& sf : s.fields) {
        if (!names.insert(sf.name.name).second) {
          ctx_.Error(
              *f, sf.name.span, DiagCode::kSchemaDuplicateField,
              fmt::format("field '{}' is declared twice in schema {}", sf.name.name, s.name.name));
        }
        for (const syntax::Ident& alias : sf.aliases) {
          if (!names.insert(alias.name).second) {
            ctx_.Error(*f, alias.span, DiagCode::kSchemaDuplicateField,
                       fmt::format("column name '{}' is declared twice in schema {}", alias.name,
                                   s.name.name));
          }
        }
        schema.fields.push_back(CompileField(ctx_, *f, sf));
      }
      ctx_.program.schemas.push_back(std::move(schema));
    }
  }
}

void Compiler::DeclareParams() {
  std::map<std::string, const LoadedFile*> seen;
  std::deque<eval::ParamValue>& storage = params_storage_;
  for (const auto& f : ctx_.files) {
    if (!f->module) continue;
    FileScope& scope = scopes_[f.get()];
    for (const syntax::Param& p : f->module->params) {
      std::string full = f->package.empty() ? p.name.name : f->package + "." + p.name.name;
      if (seen.count(full)) {
        ctx_.Error(*f, p.name.span, DiagCode::kParamDuplicate,
                   fmt::format("param '{}' is declared twice", full));
        continue;
      }
      seen[full] = f.get();
      FileScope empty;
      check::ExprCompiler ec(ctx_, *f, empty, nullptr);
      const eval::Node* n = ec.Compile(*p.default_value);
      if (n == nullptr) continue;
      const std::string& type = p.type.name.name;
      if (n->op != eval::NodeOp::kConst) {
        ctx_.Error(*f, p.default_value->span, DiagCode::kParamNotConstant,
                   "a param's default must be a constant");
        continue;
      }
      if (!check::MatchesParamType(type, n->constant)) {
        ctx_.Error(*f, p.default_value->span, DiagCode::kParamType,
                   fmt::format("param '{}' is a {}, but its default is a {}", full, type,
                               TypeName(n->constant.type())));
        continue;
      }
      storage.push_back(
          {full, type, n->constant, f->source->path(), f->source->Position(p.span.begin).line});
      scope.params[p.name.name] = &storage.back();
    }
  }
  for (const auto& override_param : options_.params) {
    // Named, not structured bindings: Clang 14 cannot capture those in a lambda.
    const std::string& name = override_param.first;
    const std::string& text = override_param.second;
    auto it = std::find_if(storage.begin(), storage.end(),
                           [&](const eval::ParamValue& v) { return v.name == name; });
    if (it == storage.end()) {
      std::vector<std::string> names;
      for (const auto& v : storage) names.push_back(v.name);
      std::string help = check::DidYouMean(name, names);
      ConfigError(DiagCode::kParamUnknown,
                  fmt::format("unknown param '{}'{}", name, help.empty() ? "" : "; " + help));
      continue;
    }
    Result<Value> v = check::ParseParamOverride(it->type, text, ctx_.program.arena);
    if (!v) {
      ConfigError(v.error().code, fmt::format("--param {}={}: {}", name, text, v.error().message));
      continue;
    }
    it->value = *v;
  }
}

void Compiler::DeclareDefs() {
  // Imports bring params, defs (and schemas, which are global) into scope.
  for (const auto& f : ctx_.files) {
    if (!f->module) continue;
    FileScope& scope = scopes_[f.get()];
    for (const syntax::Def& d : f->module->defs) {
      if (scope.def_sources.count(d.name.name)) {
        ctx_.Error(*f, d.name.span, DiagCode::kDefDuplicate,
                   fmt::format("def '{}' is declared twice", d.name.name));
        continue;
      }
      ctx_.program.defs.emplace_back();
      eval::CompiledDef& cd = ctx_.program.defs.back();
      cd.name = d.name.name;
      cd.arity = static_cast<int>(d.params.size());
      scope.defs[d.name.name] = &cd;
      scope.def_sources[d.name.name] = {f.get(), &d};
    }
  }
  for (const auto& f : ctx_.files) {
    if (!f->module) continue;
    FileScope& scope = scopes_[f.get()];
    FileScope own = scope;
    for (size_t i = 0; i < f->imports.size(); ++i) {
      const FileScope& theirs = scopes_[f->imports[i]];
      syntax::Span where = f->module->imports[i].path.span;
      for (const auto& [name, p] : theirs.params) {
        if (auto it = scope.params.find(name); it != scope.params.end() && it->second != p)
          ctx_.Error(*f, where, DiagCode::kImportClash,
                     fmt::format("imported param '{}' clashes with another '{}'", name, name));
        else if (!own.params.count(name))
          scope.params[name] = p;
      }
      for (const auto& [name, d] : theirs.defs) {
        if (!own.def_sources.count(name) || own.def_sources.at(name).first != f.get()) {
          if (auto it = scope.defs.find(name); it != scope.defs.end() && it->second != d) {
            ctx_.Error(*f, where, DiagCode::kImportClash,
                       fmt::format("imported def '{}' clashes with another '{}'", name, name));
            continue;
          }
        }
        scope.defs[name] = d;
      }
    }
  }
  // Bodies, then cycles through the call graph.
  check::DefOrigins& origin = def_origins_;
  for (const auto& f : ctx_.files) {
    if (!f->module) continue;
    const FileScope& scope = scopes_[f.get()];
    for (const syntax::Def& d : f->module->defs) {
      auto it = scope.def_sources.find(d.name.name);
      if (it == scope.def_sources.end() || it->second.second != &d) continue;
      eval::CompiledDef* cd = const_cast<eval::CompiledDef*>(scope.defs.at(d.name.name));
      origin[cd] = {f.get(), &d};
      check::ExprCompiler ec(ctx_, *f, scope, nullptr);
      for (const syntax::Ident& p : d.params) ec.Declare(p, false);
      cd->body = ec.Compile(*d.body);
      cd->num_slots = std::max(ec.num_slots(), 1);
    }
  }
  check::CheckDefGraph(origin, ctx_);
  for (const auto& [def, where] : origin) access_.CheckDef(*where.first, *where.second);
}

std::string CollapseSpaces(std::string_view s) {
  std::string out;
  bool space = false;
  for (char c : s) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

std::string_view SpanText(const LoadedFile& f, syntax::Span s) {
  return std::string_view(f.source->text()).substr(s.begin, s.end - s.begin);
}

// The names a target provides (LANGUAGE.md section 3): the subject (`compose`,
// `row`, `doc`), `file`, and `line` for records; for rules and index rules alike.
void AddTargetNames(check::ExprCompiler& ec, syntax::TargetKind target) {
  const char* subject = target == syntax::TargetKind::kCompose   ? "compose"
                        : target == syntax::TargetKind::kRecords ? "row"
                                                                 : "doc";
  ec.AddFixedName(subject, eval::kSlotSubject);
  ec.AddFixedName("file", eval::kSlotFile);
  ec.AddFixedName(target == syntax::TargetKind::kRecords ? "line" : "$unused_line",
                  eval::kSlotLine);
}

// `let NAME = EXPR` and `where EXPR`, as every phase of a rule compiles them.
eval::CompiledClause LetClause(check::ExprCompiler& ec, const syntax::Clause& c) {
  eval::CompiledClause cc;
  cc.op = eval::ClauseOp::kLet;
  cc.expr = ec.Compile(*c.expr);
  cc.slot = ec.Declare(c.names[0], true);
  return cc;
}

eval::CompiledClause WhereClause(check::ExprCompiler& ec, const syntax::Clause& c) {
  eval::CompiledClause cc;
  cc.op = eval::ClauseOp::kWhere;
  cc.expr = ec.CompileCondition(*c.expr, "where");
  return cc;
}

// The default message of `require e` (LANGUAGE.md section 5): "LHS (V) OP RHS
// (V)" for a comparison, else "SOURCE is false". `rule.require` is compiled.
void SetDefaultMessage(const LoadedFile& f, const syntax::Expr& e, eval::CompiledRule& rule) {
  rule.default_source = CollapseSpaces(SpanText(f, e.span));
  using syntax::BinaryOp;
  if (e.kind == syntax::ExprKind::kBinary &&
      (e.op == BinaryOp::kEq || e.op == BinaryOp::kNe || e.op == BinaryOp::kLt ||
       e.op == BinaryOp::kLe || e.op == BinaryOp::kGt || e.op == BinaryOp::kGe ||
       e.op == BinaryOp::kIn || e.op == BinaryOp::kMatches)) {
    rule.default_is_comparison = true;
    rule.default_lhs = CollapseSpaces(SpanText(f, e.args[0]->span));
    rule.default_rhs = CollapseSpaces(SpanText(f, e.args[1]->span));
    rule.default_op = syntax::BinaryOpText(e.op);
    // The operands as compiled within `require` (unless it folded to a constant).
    if (rule.require != nullptr && rule.require->op == eval::NodeOp::kBinary) {
      rule.default_lhs_node = rule.require->args[0];
      if (e.op != BinaryOp::kMatches) rule.default_rhs_node = rule.require->args[1];
    }
  }
}

void Compiler::CompileRule(const LoadedFile& f, const syntax::Rule& r) {
  const size_t errors_before = ctx_.error_count();
  eval::CompiledRule rule;
  rule.info.id = r.id.name;
  rule.info.file = f.source->path();
  rule.info.line = f.source->Position(r.id.span.begin).line;
  for (const syntax::RepeatedClause& rc : r.repeated)
    ctx_.Error(f, rc.span, DiagCode::kRuleRepeatedClause,
               fmt::format("'{}' appears twice in rule {}", rc.clause, r.id.name));
  if (!r.title)
    ctx_.Error(f, r.id.span, DiagCode::kRuleMissingTitle,
               fmt::format("rule {} has no title", r.id.name));
  else
    rule.info.title = r.title->value;
  if (r.severity) {
    const std::string& s = r.severity->name;
    if (s == "error")
      rule.info.severity = Severity::kError;
    else if (s == "warning")
      rule.info.severity = Severity::kWarning;
    else if (s == "info")
      rule.info.severity = Severity::kInfo;
    else
      ctx_.Error(f, r.severity->span, DiagCode::kRuleBadSeverity,
                 fmt::format("unknown severity '{}'", s), "use error, warning or info");
  }
  if (r.tags) {
    for (const syntax::Ident& t : *r.tags) {
      rule.info.tags.push_back(t.name);
      if (t.name == "secret") rule.secret = true;
      if (t.name == "opt_in") rule.opt_in = true;
    }
  }
  rule.info.enabled = !rule.opt_in;
  if (r.remedy) rule.info.remedy = r.remedy->value;
  if (r.doc) rule.info.doc = r.doc->value;
  if (!r.target) {
    ctx_.Error(f, r.id.span, DiagCode::kRuleMissingTarget,
               fmt::format("rule {} has no `on` clause", r.id.name),
               "add `on compose`, `on records`, `on records(SCHEMA)` or `on document`");
    return;
  }
  rule.target = r.target->kind;
  const FileScope& scope = scopes_[&f];
  if (r.target->schema) {
    rule.schema = ctx_.program.FindSchema(r.target->schema->name);
    if (rule.schema == nullptr) {
      std::vector<std::string> names;
      for (const auto& s : ctx_.program.schemas) names.push_back(s.name);
      ctx_.Error(f, r.target->schema->span, DiagCode::kSchemaUnknown,
                 fmt::format("unknown schema '{}'", r.target->schema->name),
                 check::DidYouMean(r.target->schema->name, names));
      return;
    }
  }
  switch (rule.target) {
    case syntax::TargetKind::kCompose:
      rule.info.target = "compose";
      break;
    case syntax::TargetKind::kDocument:
      rule.info.target = "document";
      if (r.target->glob) {
        rule.glob = r.target->glob->value;
        rule.info.target = "document(\"" + rule.glob + "\")";
      }
      break;
    case syntax::TargetKind::kDotenv:
      rule.info.target = "dotenv";
      break;
    case syntax::TargetKind::kRecords:
      rule.info.target = rule.schema ? "records(" + rule.schema->name + ")" : "records";
      break;
  }

  check::ExprCompiler ec(ctx_, f, scope, rule.schema);
  AddTargetNames(ec, rule.target);

  if (r.query.empty() || (r.query.back().kind != syntax::ClauseKind::kRequire &&
                          r.query.back().kind != syntax::ClauseKind::kUnique)) {
    ctx_.Error(f, r.id.span, DiagCode::kRuleMissingRequire,
               fmt::format("rule {} must end its query with `require` or `unique`", r.id.name));
    return;
  }
  for (size_t i = 0; i < r.query.size(); ++i) {
    const syntax::Clause& c = r.query[i];
    bool last = i + 1 == r.query.size();
    if ((c.kind == syntax::ClauseKind::kRequire || c.kind == syntax::ClauseKind::kUnique) &&
        !last) {
      ctx_.Error(f, c.span, DiagCode::kRuleClauseOrder,
                 "`require`/`unique` must be the last query clause");
      return;
    }
    if (c.kind == syntax::ClauseKind::kGroupBy) {
      if (!CompileGroupPhase(f, r, i, ec, rule)) return;
      break;
    }
    switch (c.kind) {
      case syntax::ClauseKind::kGroupBy:
        break;
      case syntax::ClauseKind::kFor: {
        eval::CompiledClause cc;
        cc.op = eval::ClauseOp::kFor;
        cc.expr = ec.Compile(*c.expr);
        cc.slot = ec.Declare(c.names[0], false);
        if (c.names.size() > 1) cc.slot2 = ec.Declare(c.names[1], false);
        rule.clauses.push_back(cc);
        break;
      }
      case syntax::ClauseKind::kLet:
        rule.clauses.push_back(LetClause(ec, c));
        break;
      case syntax::ClauseKind::kWhere:
        rule.clauses.push_back(WhereClause(ec, c));
        break;
      case syntax::ClauseKind::kRequire: {
        rule.require = ec.CompileCondition(*c.expr, "require");
        if (c.mostly_percent) {
          std::optional<Decimal> pct = Decimal::Parse(*c.mostly_percent);
          if (!pct || pct->IsNegative() || *pct > Decimal::FromInt(100))
            ctx_.Error(f, c.mostly_span, DiagCode::kRuleBadMostly,
                       "`mostly` takes a percentage from 0 to 100");
          else
            rule.mostly = *pct;
        }
        SetDefaultMessage(f, *c.expr, rule);
        break;
      }
      case syntax::ClauseKind::kUnique:
        if (rule.target != syntax::TargetKind::kRecords) {
          ctx_.Error(f, c.span, DiagCode::kRuleUniqueTarget, "`unique` works only `on records`");
        }
        rule.is_unique = true;
        rule.require = ec.Compile(*c.expr);
        rule.default_source = CollapseSpaces(SpanText(f, c.expr->span));
        if (c.within) {
          rule.unique_within = ec.Compile(*c.within);
          rule.within_source = CollapseSpaces(SpanText(f, c.within->span));
        }
        break;
    }
  }
  if (r.at && !rule.is_grouped()) rule.at = ec.Compile(*r.at);
  if (r.message && !rule.is_grouped()) {
    rule.has_message = true;
    for (const syntax::TemplatePart& p : r.message->parts) {
      eval::TemplatePiece piece;
      if (p.expr)
        piece.expr = ec.Compile(*p.expr);
      else
        piece.literal = p.literal;
      rule.message.push_back(std::move(piece));
    }
  }
  for (const syntax::Ident& id : ec.UnusedLets())
    ctx_.Warning(f, id.span, DiagCode::kNameUnusedLet, fmt::format("'{}' is never used", id.name));
  if (auto it = rule_places_.find(rule.info.id); it != rule_places_.end()) {
    Diagnostic& d = ctx_.Add(f, r.id.span, Severity::kError, DiagCode::kRuleDuplicateId,
                             fmt::format("rule id {} is already used", rule.info.id),
                             "rule ids are unique across everything loaded");
    LineColumn lc = it->second.first->source->Position(it->second.second.begin);
    d.notes.push_back({it->second.first->source->path(), lc.line, lc.column, "first used here"});
    return;
  }
  rule_places_[rule.info.id] = {&f, r.id.span};
  access_.CheckRule(f, r);
  // A clause that failed to compile is a null node; the passes below assume
  // complete trees, and the program is discarded anyway, so stop here.
  if (ctx_.error_count() > errors_before) return;
  rule.num_slots = ec.num_slots();
  for (uint32_t i : ec.indexes_read())
    if (std::find(rule.reads_indexes.begin(), rule.reads_indexes.end(), i) ==
        rule.reads_indexes.end())
      rule.reads_indexes.push_back(i);
  std::sort(rule.reads_indexes.begin(), rule.reads_indexes.end());
  if (rule.is_grouped()) {
    // The speed-up passes know per-binding rules only; a grouped rule runs
    // as written (its cost is in the groups, not in the bindings), with only
    // its group table's own passes
    rule.passes = eval::PassSet::None();
    // and the evaluator's own, which speed up any expression.
    for (eval::Pass p :
         {eval::Pass::kFlatGroups, eval::Pass::kDistinctGrowth, eval::Pass::kSharedAggregateArgs,
          eval::Pass::kDenseDistinct, eval::Pass::kDecimalLane, eval::Pass::kAsciiShortcuts,
          eval::Pass::kMatchMemo, eval::Pass::kDefMemo, eval::Pass::kFieldSlots})
      if (ctx_.program.passes.on(p)) rule.passes = rule.passes.With(p);
  } else {
    rule.passes = ctx_.program.passes;
    check::RunCompilePasses(rule, ctx_);
  }

  ctx_.program.rules.push_back(std::move(rule));
}

void Compiler::DeclareIndexes() {
  for (const auto& f : ctx_.files)
    if (f->module)
      for (const syntax::Index& x : f->module->indexes) DeclareIndex(*f, x);
}

void Compiler::DeclareIndex(const LoadedFile& f, const syntax::Index& x) {
  if (const eval::CompiledIndex* earlier = ctx_.program.FindIndex(x.name.name)) {
    Diagnostic& d = ctx_.Add(f, x.name.span, Severity::kError, DiagCode::kIndexDuplicateName,
                             fmt::format("index {} is already declared", x.name.name),
                             "index names are global across the rule files loaded");
    d.notes.push_back({earlier->file, earlier->line, earlier->column, "first declared here"});
    return;
  }
  const FileScope& scope = scopes_[&f];
  eval::CompiledIndex index;
  index.name = x.name.name;
  index.source = x.source.kind;
  index.keep_all = x.keep_all;
  index.optional = x.optional;
  index.file = f.source->path();
  const LineColumn at = f.source->Position(x.name.span.begin);
  index.line = at.line;
  index.column = at.column;
  eval::CompiledRule& rule = index.rule;
  rule.info.id = "INDEX";
  rule.info.title = "index " + index.name;
  rule.info.file = index.file;
  rule.info.line = index.line;
  rule.info.severity = Severity::kWarning;
  rule.is_unique = true;
  rule.passes = eval::PassSet::None();
  index.passes = ctx_.program.passes;
  switch (x.source.kind) {
    case syntax::SourceKind::kRecords:
      rule.target = syntax::TargetKind::kRecords;
      index.schema = ctx_.program.FindSchema(x.source.schema->name);
      if (index.schema == nullptr) {
        std::vector<std::string> names;
        for (const auto& sc : ctx_.program.schemas) names.push_back(sc.name);
        ctx_.Error(f, x.source.schema->span, DiagCode::kSchemaUnknown,
                   fmt::format("unknown schema '{}'", x.source.schema->name),
                   check::DidYouMean(x.source.schema->name, names));
        return;
      }
      rule.schema = index.schema;
      rule.info.target = "records(" + index.schema->name + ")";
      break;
    case syntax::SourceKind::kCompose:
      rule.target = syntax::TargetKind::kCompose;
      rule.info.target = "compose";
      break;
    case syntax::SourceKind::kDocument:
      rule.target = syntax::TargetKind::kDocument;
      rule.info.target = "document";
      index.glob = x.source.glob->value;
      break;
    case syntax::SourceKind::kDotenv:
      rule.target = syntax::TargetKind::kDotenv;
      rule.info.target = "dotenv";
      index.glob = x.source.glob->value;
      break;
  }
  check::ExprCompiler ec(ctx_, f, scope, rule.schema);
  ec.AllowIndexes(false);
  AddTargetNames(ec, rule.target);
  if (x.for_expr) {
    eval::CompiledClause cc;
    cc.op = eval::ClauseOp::kFor;
    cc.expr = ec.Compile(*x.for_expr);
    cc.slot = ec.Declare(x.for_names[0], false);
    if (x.for_names.size() > 1) cc.slot2 = ec.Declare(x.for_names[1], false);
    index.entry_slot = cc.slot2 >= 0 ? cc.slot2 : cc.slot;
    rule.clauses.push_back(cc);
  }
  rule.require = ec.Compile(*x.key);
  rule.default_source = CollapseSpaces(SpanText(f, x.key->span));
  if (rule.require == nullptr) return;
  rule.num_slots = ec.num_slots();
  ctx_.program.indexes.push_back(std::move(index));
}

bool Compiler::CompileGroupPhase(const LoadedFile& f, const syntax::Rule& r, size_t first,
                                 check::ExprCompiler& binding, eval::CompiledRule& rule) {
  auto misuse = [&](syntax::Span span, std::string what) {
    ctx_.Error(f, span, DiagCode::kGroupMisuse, std::move(what));
    return false;
  };
  if (rule.is_unique) return misuse(r.query[first].span, "`unique` and `group by` do not mix");
  eval::CompiledRule& phase = ctx_.program.group_phases.emplace_back();
  phase.info = rule.info;
  phase.target = rule.target;
  phase.schema = rule.schema;
  phase.secret = rule.secret;
  phase.opt_in = rule.opt_in;
  phase.passes = eval::PassSet::None();
  const FileScope& scope = scopes_[&f];
  if (auto p = scope.params.find("max_groups");
      p != scope.params.end() && p->second->value.is(Type::kDecimal)) {
    const std::optional<int64_t> n = p->second->value.as_decimal().ToInt64();
    if (!n || *n < 1)
      return misuse(r.query[first].span, "param max_groups must be a whole number of at least 1");
    rule.max_groups = static_cast<uint64_t>(*n);
  }
  check::ExprCompiler ec(ctx_, f, scope, nullptr);
  ec.SetGroupPhase(&binding, &rule.aggregates);
  // The group phase's subject is the group's first binding's located value;
  // `file` is that binding's file. Neither is a name rules read.
  ec.AddFixedName("$group", eval::kSlotSubject);
  ec.AddFixedName("$file", eval::kSlotFile);
  ec.AddFixedName("$line", eval::kSlotLine);
  size_t i = first;
  for (; i < r.query.size() && r.query[i].kind == syntax::ClauseKind::kGroupBy; ++i) {
    const syntax::Clause& c = r.query[i];
    const eval::Node* key = binding.Compile(*c.expr);
    if (key == nullptr) return false;
    const int position = static_cast<int>(rule.group_keys.size());
    rule.group_keys.push_back(key);
    rule.group_names.push_back(c.names[0].name);
    eval::CompiledClause cc;
    cc.op = eval::ClauseOp::kLet;
    cc.expr = ec.GroupKeyNode(position);
    cc.slot = ec.Declare(c.names[0], false);  // a key need not be read
    phase.clauses.push_back(cc);
  }
  for (; i < r.query.size(); ++i) {
    const syntax::Clause& c = r.query[i];
    switch (c.kind) {
      case syntax::ClauseKind::kGroupBy:
        return misuse(c.span, "a second `group by`: a rule groups once (list its keys with ',')");
      case syntax::ClauseKind::kFor:
        return misuse(c.span, "`for` after `group by`: the clauses after it run once per group");
      case syntax::ClauseKind::kUnique:
        return misuse(c.span, "`unique` and `group by` do not mix");
      case syntax::ClauseKind::kLet:
        phase.clauses.push_back(LetClause(ec, c));
        break;
      case syntax::ClauseKind::kWhere:
        phase.clauses.push_back(WhereClause(ec, c));
        break;
      case syntax::ClauseKind::kRequire: {
        if (c.mostly_percent) return misuse(c.mostly_span, "`mostly` with `group by`");
        phase.require = ec.CompileCondition(*c.expr, "require");
        SetDefaultMessage(f, *c.expr, phase);
        break;
      }
    }
  }
  if (r.at) phase.at = ec.Compile(*r.at);
  if (r.message) {
    phase.has_message = true;
    for (const syntax::TemplatePart& p : r.message->parts) {
      eval::TemplatePiece piece;
      if (p.expr)
        piece.expr = ec.Compile(*p.expr);
      else
        piece.literal = p.literal;
      phase.message.push_back(std::move(piece));
    }
  }
  for (const syntax::Ident& id : ec.UnusedLets())
    ctx_.Warning(f, id.span, DiagCode::kNameUnusedLet, fmt::format("'{}' is never used", id.name));
  phase.num_slots = ec.num_slots();
  for (uint32_t x : ec.indexes_read()) phase.reads_indexes.push_back(x);
  for (uint32_t x : phase.reads_indexes)
    if (std::find(rule.reads_indexes.begin(), rule.reads_indexes.end(), x) ==
        rule.reads_indexes.end())
      rule.reads_indexes.push_back(x);
  rule.grouped = &phase;
  return true;
}

void Compiler::CompileRules() {
  for (const auto& f : ctx_.files)
    if (f->module)
      for (const syntax::Rule& r : f->module->rules) CompileRule(*f, r);
  std::sort(ctx_.program.rules.begin(), ctx_.program.rules.end(),
            [](const eval::CompiledRule& a, const eval::CompiledRule& b) {
              return a.info.id < b.info.id;
            });
}

void Compiler::ApplyRuleConfig() {
  auto find = [&](const std::string& id) -> eval::CompiledRule* {
    for (auto& r : ctx_.program.rules)
      if (r.info.id == id) return &r;
    return nullptr;
  };
  for (const auto& [id, sev] : options_.severity_overrides) {
    eval::CompiledRule* r = find(id);
    if (r == nullptr) {
      ConfigError(DiagCode::kConfigUnknownRule, fmt::format("unknown rule id '{}'", id));
      continue;
    }
    if (sev == "error")
      r->info.severity = Severity::kError;
    else if (sev == "warning")
      r->info.severity = Severity::kWarning;
    else if (sev == "info")
      r->info.severity = Severity::kInfo;
    else
      ConfigError(DiagCode::kConfigBadSeverity,
                  fmt::format("rule {}: unknown severity '{}'", id, sev));
  }
  for (const auto& [id, enabled] : options_.enabled_overrides) {
    eval::CompiledRule* r = find(id);
    if (r == nullptr) {
      ConfigError(DiagCode::kConfigUnknownRule, fmt::format("unknown rule id '{}'", id));
      continue;
    }
    r->info.enabled = enabled;
  }
}

CompileResult Compiler::Run(std::shared_ptr<Program> program) {
  CompileResult result;
  auto stage = [&](auto&& fn) {
    if (!ctx_.has_errors()) fn();
  };
  ChoosePasses();
  LoadSources();
  stage([&] { ParseAll(); });
  stage([&] { CheckImportCycles(); });
  stage([&] { DeclareSchemas(); });
  stage([&] { DeclareParams(); });
  stage([&] { DeclareDefs(); });
  stage([&] { DeclareIndexes(); });
  stage([&] { CompileRules(); });
  stage([&] { ApplyRuleConfig(); });
  for (auto& p : params_storage_) program->params.push_back(p);
  std::sort(program->params.begin(), program->params.end(),
            [](const eval::ParamValue& a, const eval::ParamValue& b) { return a.name < b.name; });
  std::stable_sort(ctx_.diagnostics.begin(), ctx_.diagnostics.end(), DiagnosticLess);
  result.diagnostics = std::move(ctx_.diagnostics);
  bool failed = std::any_of(result.diagnostics.begin(), result.diagnostics.end(),
                            [](const Diagnostic& d) { return d.severity == Severity::kError; });
  if (!failed) result.program = std::move(program);
  return result;
}

}  // namespace

CompileResult Compile(const CompileOptions& options) {
  try {
    auto program = std::make_shared<Program>();
    Compiler compiler(options, *program);
    return compiler.Run(program);
  } catch (const std::exception& e) {
    CompileResult r;
    Diagnostic d =
        MakeDiagnostic(DiagCode::kInternal,
                       dynamic_cast<const std::bad_alloc*>(&e) != nullptr
                           ? std::string("out of memory while compiling")
                           : std::string("internal error while compiling (a bug): ") + e.what());
    r.diagnostics.push_back(d);
    return r;
  }
}

std::vector<RuleInfo> ListRules(const Program& program) {
  std::vector<RuleInfo> out;
  for (const auto& r : program.rules) out.push_back(r.info);
  return out;
}

std::vector<ParamInfo> ListParams(const Program& program) {
  std::vector<ParamInfo> out;
  for (const auto& p : program.params)
    out.push_back({p.name, p.type, ToText(p.value), p.file, p.line});
  return out;
}

}  // namespace policy
