#include "libpolicy/check/compose_access.h"

#include <fmt/format.h>

namespace policy::check {

using syntax::Expr;
using syntax::ExprKind;

namespace {

// Deeper chains of defs are left unchecked: CheckDefGraph bounds them anyway.
constexpr int kMaxDefDepth = 32;

// A collection that is only a map (not also a list): `services`, a normalised `environment`.
bool MapOnly(const ComposeShape* s) {
  return s != nullptr && s->values != nullptr && s->items == nullptr && s->fields.empty() &&
         !s->closed;
}
// A collection that is only a list: `ports`, `volumes`.
bool ListOnly(const ComposeShape* s) {
  return s != nullptr && s->items != nullptr && s->values == nullptr && s->fields.empty();
}

const ComposeShape* Lookup(const std::vector<std::pair<std::string, const ComposeShape*>>& names,
                           const std::string& name) {
  for (auto it = names.rbegin(); it != names.rend(); ++it)
    if (it->first == name) return it->second;
  return nullptr;
}

// `{}`, `[]` and `null` as a `??` fallback keep the left side's shape:
// `(svc.deploy ?? {}).resources`.
bool IsEmptyFallback(const Expr& e) {
  return e.kind == ExprKind::kNull ||
         ((e.kind == ExprKind::kMap || e.kind == ExprKind::kList) && e.args.empty());
}

}  // namespace

void ComposeAccessChecker::CheckRule(const LoadedFile& f, const syntax::Rule& r) {
  Frame frame;
  frame.file = &f;
  auto scope = scopes_.find(&f);
  if (scope == scopes_.end()) return;
  frame.scope = &scope->second;
  if (r.target && r.target->kind == syntax::TargetKind::kCompose)
    frame.names.emplace_back("compose", ComposeRootShape());
  for (const syntax::Clause& c : r.query) {
    if (!c.expr) continue;
    const ComposeShape* shape = Walk(*c.expr, frame);
    if (c.kind == syntax::ClauseKind::kFor) {
      Bind(c.names, shape, frame);
    } else if (c.kind == syntax::ClauseKind::kLet && !c.names.empty()) {
      frame.names.emplace_back(c.names[0].name, shape);
    }
  }
  if (r.at) Walk(*r.at, frame);
  if (r.message)
    for (const syntax::TemplatePart& p : r.message->parts)
      if (p.expr) Walk(*p.expr, frame);
}

void ComposeAccessChecker::CheckDef(const LoadedFile& f, const syntax::Def& d) {
  auto scope = scopes_.find(&f);
  if (scope == scopes_.end()) return;
  auto def = scope->second.defs.find(d.name.name);
  if (def == scope->second.defs.end()) return;
  auto origin = origins_.find(def->second);
  if (origin == origins_.end() || origin->second.second != &d) return;
  DefResult(def->second, std::vector<const ComposeShape*>(d.params.size(), nullptr));
}

void ComposeAccessChecker::Bind(const std::vector<syntax::Ident>& names, const ComposeShape* shape,
                                Frame& frame) {
  if (names.empty()) return;
  // One name: a list's element or a map's key; two: an index or key, and the
  // element or value. A shape that may be either binds unknown.
  const ComposeShape* element = nullptr;
  if (names.size() == 1) {
    if (ListOnly(shape)) element = shape->items;
    frame.names.emplace_back(names[0].name, element);
    return;
  }
  if (ListOnly(shape)) element = shape->items;
  if (MapOnly(shape)) element = shape->values;
  frame.names.emplace_back(names[0].name, nullptr);
  frame.names.emplace_back(names[1].name, element);
}

const ComposeShape* ComposeAccessChecker::Member(const ComposeShape* base, const std::string& key,
                                                 syntax::Span where, Frame& frame) {
  if (base == nullptr) return nullptr;
  MemberLookup found = LookupMember(*base, key);
  if (found.unknown) {
    if (reported_.insert({frame.file, where.begin}).second)
      ctx_.Error(*frame.file, where, DiagCode::kNameUnknownComposeField,
                 fmt::format("unknown field '{}' of {}", key, base->label),
                 DidYouMean(key, FieldNames(*base)));
    return nullptr;
  }
  return found.shape;
}

const ComposeShape* ComposeAccessChecker::Walk(const Expr& e, Frame& frame) {
  switch (e.kind) {
    case ExprKind::kName:
      return Lookup(frame.names, e.text);
    case ExprKind::kMember:
      return Member(Walk(*e.args[0], frame), e.text, e.name_span, frame);
    case ExprKind::kIndex: {
      const ComposeShape* base = Walk(*e.args[0], frame);
      const Expr& index = *e.args[1];
      Walk(index, frame);
      if (base == nullptr) return nullptr;
      if (index.kind == ExprKind::kString) return Member(base, index.text, index.span, frame);
      if (index.kind == ExprKind::kNumber) return ListOnly(base) ? base->items : nullptr;
      // `compose.services[name]`: any key of a map.
      return MapOnly(base) ? base->values : nullptr;
    }
    case ExprKind::kCall:
      return Call(e, frame);
    case ExprKind::kQuantifier: {
      const ComposeShape* coll = Walk(*e.args[0], frame);
      const size_t before = frame.names.size();
      Bind(e.names, coll, frame);
      Walk(*e.args[1], frame);
      frame.names.resize(before);
      return nullptr;
    }
    case ExprKind::kBinary: {
      const ComposeShape* left = Walk(*e.args[0], frame);
      const ComposeShape* right = Walk(*e.args[1], frame);
      if (e.op != syntax::BinaryOp::kCoalesce) return nullptr;
      return left == right || IsEmptyFallback(*e.args[1]) ? left : nullptr;
    }
    case ExprKind::kIf: {
      Walk(*e.args[0], frame);
      const ComposeShape* then = Walk(*e.args[1], frame);
      const ComposeShape* otherwise = Walk(*e.args[2], frame);
      return then == otherwise ? then : nullptr;
    }
    default:
      for (const auto& a : e.args) Walk(*a, frame);
      return nullptr;
  }
}

const ComposeShape* ComposeAccessChecker::Call(const Expr& e, Frame& frame) {
  std::vector<const ComposeShape*> args;
  for (const auto& a : e.args) args.push_back(Walk(*a, frame));
  auto def = frame.scope->defs.find(e.text);
  if (def != frame.scope->defs.end()) {
    if (static_cast<int>(args.size()) != def->second->arity) return nullptr;
    return DefResult(def->second, args);
  }
  const eval::Builtin* b = eval::FindBuiltin(e.text);
  if (b == nullptr) return nullptr;
  if (b->lists_argument_values && !args.empty() && MapOnly(args[0])) return ListOf(args[0]->values);
  return BuiltinResultShape(*b);
}

const ComposeShape* ComposeAccessChecker::ListOf(const ComposeShape* items) {
  if (items == nullptr) return nullptr;
  auto [it, inserted] = lists_of_.try_emplace(items);
  if (inserted) {
    it->second.label = "list of " + items->label;
    it->second.items = items;
  }
  return &it->second;
}

const ComposeShape* ComposeAccessChecker::DefResult(const eval::CompiledDef* def,
                                                    const std::vector<const ComposeShape*>& args) {
  auto key = std::make_pair(def, args);
  if (auto it = def_results_.find(key); it != def_results_.end()) return it->second;
  auto origin = origins_.find(def);
  if (origin == origins_.end() || def_depth_ >= kMaxDefDepth) return nullptr;
  const auto& [file, syntax_def] = origin->second;
  auto scope = scopes_.find(file);
  if (scope == scopes_.end() || syntax_def->params.size() != args.size() || !syntax_def->body)
    return nullptr;
  def_results_[key] = nullptr;
  Frame frame;
  frame.file = file;
  frame.scope = &scope->second;
  for (size_t i = 0; i < args.size(); ++i)
    frame.names.emplace_back(syntax_def->params[i].name, args[i]);
  ++def_depth_;
  const ComposeShape* result = Walk(*syntax_def->body, frame);
  --def_depth_;
  def_results_[key] = result;
  return result;
}

}  // namespace policy::check
