#include "libpolicy/check/expressions.h"

#include <fmt/format.h>
#include <re2/re2.h>

#include <algorithm>

#include "libpolicy/eval/evaluator.h"

namespace policy::check {

using eval::Node;
using eval::NodeOp;
using syntax::BinaryOp;
using syntax::Expr;
using syntax::ExprKind;

ExprCompiler::ExprCompiler(Context& ctx, const LoadedFile& file, const FileScope& scope,
                           const eval::Schema* schema)
    : ctx_(ctx), file_(file), scope_(scope), schema_(schema) {}

void ExprCompiler::AddFixedName(const std::string& name, int slot) {
  Binding b;
  b.id.name = name;
  b.slot = slot;
  b.fixed = true;
  b.used = true;
  bindings_.push_back(b);
  next_slot_ = std::max(next_slot_, slot + 1);
}

int ExprCompiler::Declare(const syntax::Ident& id, bool is_let) {
  bool shadows = Lookup(id.name) != nullptr || scope_.params.count(id.name) > 0;
  if (shadows) {
    ctx_.Error(file_, id.span, DiagCode::kNameShadowed,
               fmt::format("'{}' is already defined in this scope", id.name),
               "choose another name: `let` and `for` must not shadow a name in scope");
  }
  Binding b;
  b.id = id;
  b.slot = next_slot_++;
  b.is_let = is_let;
  bindings_.push_back(b);
  return b.slot;
}

void ExprCompiler::Pop(size_t count) {
  bindings_.resize(bindings_.size() - std::min(count, bindings_.size()));
}

std::vector<syntax::Ident> ExprCompiler::UnusedLets() const {
  std::vector<syntax::Ident> out;
  for (const Binding& b : bindings_)
    if (b.is_let && !b.used) out.push_back(b.id);
  return out;
}

const ExprCompiler::Binding* ExprCompiler::Lookup(const std::string& name) const {
  for (auto it = bindings_.rbegin(); it != bindings_.rend(); ++it)
    if (it->id.name == name) return &*it;
  return nullptr;
}

std::vector<std::string> ExprCompiler::VisibleNames() const {
  std::vector<std::string> names;
  for (const Binding& b : bindings_) names.push_back(b.id.name);
  for (const auto& [name, p] : scope_.params) names.push_back(name);
  return names;
}

bool ExprCompiler::IsRowName(const Expr& e) const {
  if (e.kind != ExprKind::kName || e.text != "row" || schema_ == nullptr) return false;
  const Binding* b = Lookup("row");
  return b != nullptr && b->fixed && b->slot == eval::kSlotSubject;
}

std::optional<Type> ExprCompiler::StaticType(const Node* n) const {
  switch (n->op) {
    case NodeOp::kConst:
      return n->constant.type();
    case NodeOp::kNot:
      return Type::kBool;
    case NodeOp::kList:
      return Type::kList;
    case NodeOp::kMap:
      return Type::kMap;
    case NodeOp::kQuantifier:
      return n->quant == syntax::Quantifier::kCount ? Type::kDecimal : Type::kBool;
    case NodeOp::kBuiltin:
      if (n->builtin->result != Type::kNull) return n->builtin->result;
      return std::nullopt;
    case NodeOp::kBinary:
      switch (n->binary) {
        case BinaryOp::kEq:
        case BinaryOp::kNe:
        case BinaryOp::kLt:
        case BinaryOp::kLe:
        case BinaryOp::kGt:
        case BinaryOp::kGe:
        case BinaryOp::kIn:
        case BinaryOp::kNotIn:
        case BinaryOp::kMatches:
        case BinaryOp::kAnd:
        case BinaryOp::kOr:
        case BinaryOp::kImplies:
          return Type::kBool;
        default:
          return std::nullopt;
      }
    default:
      return std::nullopt;
  }
}

// Arithmetic and negation never give a bool, whatever their operands' types.
bool ExprCompiler::NeverBool(const Node* n) const {
  if (n->op == NodeOp::kNegate) return true;
  if (n->op != NodeOp::kBinary) return false;
  switch (n->binary) {
    case BinaryOp::kAdd:
    case BinaryOp::kSub:
    case BinaryOp::kMul:
    case BinaryOp::kDiv:
    case BinaryOp::kMod:
      return true;
    default:
      return false;
  }
}

const Node* ExprCompiler::CompileCondition(const Expr& e, const char* clause) {
  // A require's top operator stays unfolded: its operands print in the default message.
  const Node* n = e.kind == ExprKind::kBinary ? CompileBinary(e, true) : Compile(e);
  if (n == nullptr) return nullptr;
  std::optional<Type> t = StaticType(n);
  if (!t && NeverBool(n)) t = Type::kDecimal;
  if (t && *t != Type::kBool) {
    ctx_.Error(file_, e.span, DiagCode::kTypeNotBool,
               NeverBool(n)
                   ? fmt::format("`{}` needs a bool, but this is arithmetic", clause)
                   : fmt::format("`{}` needs a bool, but this is always {}", clause, TypeName(*t)));
    return nullptr;
  }
  return n;
}

const Node* ExprCompiler::Compile(const Expr& e) {
  switch (e.kind) {
    case ExprKind::kNull:
      return Fold(ctx_.NewNode(NodeOp::kConst));
    case ExprKind::kBool: {
      Node* n = ctx_.NewNode(NodeOp::kConst);
      n->constant = Value::Bool(e.text == "true");
      return n;
    }
    case ExprKind::kNumber: {
      Node* n = ctx_.NewNode(NodeOp::kConst);
      std::optional<Decimal> d = Decimal::Parse(e.text);
      if (!d) {
        ctx_.Error(file_, e.span, DiagCode::kSyntaxBadNumber,
                   fmt::format("'{}' is not a decimal of at most 38 digits", e.text));
        return nullptr;
      }
      n->constant = Value::Number(*d);
      return n;
    }
    case ExprKind::kString: {
      Node* n = ctx_.NewNode(NodeOp::kConst);
      n->constant = Value::String(ctx_.program.arena.Copy(e.text));
      return n;
    }
    case ExprKind::kRegex:
      ctx_.Error(file_, e.span, DiagCode::kRegexMisplaced,
                 "a regex literal is allowed only on the right of `matches` or as the pattern of "
                 "capture, split or replace");
      return nullptr;
    case ExprKind::kName:
      return CompileName(e);
    case ExprKind::kMember:
      return CompileMember(e);
    case ExprKind::kIndex:
      return CompileIndex(e);
    case ExprKind::kCall:
      return CompileCall(e);
    case ExprKind::kBinary:
      return CompileBinary(e, false);
    case ExprKind::kQuantifier:
      return CompileQuantifier(e);
    case ExprKind::kList:
    case ExprKind::kMap:
    case ExprKind::kNegate:
    case ExprKind::kNot:
    case ExprKind::kIf: {
      NodeOp op = e.kind == ExprKind::kList     ? NodeOp::kList
                  : e.kind == ExprKind::kMap    ? NodeOp::kMap
                  : e.kind == ExprKind::kNegate ? NodeOp::kNegate
                  : e.kind == ExprKind::kNot    ? NodeOp::kNot
                                                : NodeOp::kIf;
      Node* n = ctx_.NewNode(op);
      bool ok = true;
      for (const auto& a : e.args) {
        const Node* c = Compile(*a);
        ok = ok && c != nullptr;
        n->args.push_back(c);
      }
      if (!ok) return nullptr;
      if (op == NodeOp::kNot || op == NodeOp::kIf) {
        std::optional<Type> t = StaticType(n->args[0]);
        if (t && *t != Type::kBool) {
          ctx_.Error(file_, e.args[0]->span, DiagCode::kTypeNotBool,
                     fmt::format("`{}` needs a bool, but this is always {}",
                                 op == NodeOp::kNot ? "not" : "if", TypeName(*t)));
          return nullptr;
        }
      }
      if (op == NodeOp::kNegate) {
        std::optional<Type> t = StaticType(n->args[0]);
        if (t && *t != Type::kDecimal && *t != Type::kNull) {
          ctx_.Error(file_, e.span, DiagCode::kTypeMismatch,
                     fmt::format("'-' needs a decimal, but this is always {}", TypeName(*t)));
          return nullptr;
        }
      }
      return Fold(n);
    }
  }
  return nullptr;
}

const Node* ExprCompiler::CompileName(const Expr& e) {
  if (const Binding* b = Lookup(e.text)) {
    b->used = true;
    Node* n = ctx_.NewNode(NodeOp::kSlot);
    n->set_read_slot(b->slot);
    n->name = e.text;
    return n;
  }
  auto p = scope_.params.find(e.text);
  if (p != scope_.params.end()) {
    Node* n = ctx_.NewNode(NodeOp::kConst);
    n->constant = p->second->value;
    n->name = e.text;
    return n;
  }
  if (ctx_.program.FindIndex(e.text) != nullptr) {
    ctx_.Error(file_, e.span, DiagCode::kIndexMisuse,
               fmt::format("index {} is read as {}[key] or {} has key", e.text, e.text, e.text));
    return nullptr;
  }
  std::string help = DidYouMean(e.text, VisibleNames());
  if (help.empty() && (scope_.defs.count(e.text) || eval::FindBuiltin(e.text)))
    help = fmt::format("'{}' is a function: call it as {}(...)", e.text, e.text);
  ctx_.Error(file_, e.span, DiagCode::kNameUnknown, fmt::format("unknown name '{}'", e.text), help);
  return nullptr;
}

const Node* ExprCompiler::CompileMember(const Expr& e) {
  if (IsRowName(*e.args[0])) {
    Lookup("row")->used = true;
    int index = schema_->Find(e.text);
    if (index < 0) {
      std::vector<std::string> fields;
      for (const auto& f : schema_->fields) fields.push_back(f.name);
      ctx_.Error(file_, e.name_span, DiagCode::kSchemaUnknownField,
                 fmt::format("unknown field '{}' of schema {}", e.text, schema_->name),
                 DidYouMean(e.text, fields));
      return nullptr;
    }
    Node* n = ctx_.NewNode(NodeOp::kRowField);
    n->set_field_index(index);
    n->name = e.text;
    return n;
  }
  const Node* base = nullptr;
  const Expr& inner = *e.args[0];
  // INDEX[key].field, and INDEX[key][n].field for a `keep all` index: the
  // index keeps this field of its entries (unless some rule reads them whole).
  const Expr* lookup = inner.kind == ExprKind::kIndex ? &inner : nullptr;
  const Expr* element = nullptr;
  if (lookup != nullptr && lookup->args[0]->kind == ExprKind::kIndex) {
    element = lookup->args[1].get();
    lookup = lookup->args[0].get();
  }
  eval::CompiledIndex* index = lookup != nullptr ? IndexNamed(*lookup->args[0]) : nullptr;
  if (index != nullptr) {
    base = IndexRead(NodeOp::kIndexGet, *index, *lookup->args[1], *lookup);
    if (base != nullptr && element != nullptr) {
      const Node* position = Compile(*element);
      if (position == nullptr) return nullptr;
      Node* at = ctx_.NewNode(NodeOp::kIndex);
      at->args = {base, position};
      base = at;
    }
    if (base != nullptr &&
        std::find(index->fields.begin(), index->fields.end(), e.text) == index->fields.end())
      index->fields.push_back(e.text);
  } else {
    base = Compile(inner);
  }
  if (base == nullptr) return nullptr;
  Node* n = ctx_.NewNode(NodeOp::kMember);
  n->name = e.text;
  n->args.push_back(base);
  return n;
}

const Node* ExprCompiler::CompileIndex(const Expr& e) {
  if (IsRowName(*e.args[0]) && e.args[1]->kind == ExprKind::kString) {
    int index = schema_->Find(e.args[1]->text);
    if (index >= 0) {
      Lookup("row")->used = true;
      Node* n = ctx_.NewNode(NodeOp::kRowField);
      n->set_field_index(index);
      n->name = e.args[1]->text;
      return n;
    }
  }
  if (eval::CompiledIndex* named = IndexNamed(*e.args[0])) {
    const Node* read = IndexRead(NodeOp::kIndexGet, *named, *e.args[1], e);
    if (read != nullptr) named->read_whole = true;
    return read;
  }
  const Node* base = Compile(*e.args[0]);
  const Node* index = Compile(*e.args[1]);
  if (base == nullptr || index == nullptr) return nullptr;
  Node* n = ctx_.NewNode(NodeOp::kIndex);
  n->args = {base, index};
  return n;
}

const Node* ExprCompiler::MakeRegex(const std::string& pattern, const Expr& where) {
  RE2::Options options;
  options.set_log_errors(false);
  auto re = std::make_unique<RE2>(pattern, options);
  if (!re->ok()) {
    ctx_.Error(file_, where.span, DiagCode::kRegexInvalid, "invalid regex: " + re->error(),
               "the syntax is RE2's: no lookaround, no backreferences");
    return nullptr;
  }
  Node* n = ctx_.NewNode(NodeOp::kConst);
  n->constant = Value::Regex(re.get());
  ctx_.program.regexes.push_back(std::move(re));
  eval::RegexPlan plan = eval::RegexPlan::For(pattern);
  if (ctx_.program.passes.on(eval::Pass::kRegexPlans) &&
      (plan.is_simple() || plan.needs_non_ascii())) {
    ctx_.program.regex_plans.push_back(std::move(plan));
    n->literal_plan = &ctx_.program.regex_plans.back();
  }
  return n;
}

const Node* ExprCompiler::CompileRegexOperand(const Expr& e, bool allow_string) {
  if (e.kind == ExprKind::kRegex) return MakeRegex(e.text, e);
  if (e.kind == ExprKind::kName && !Lookup(e.text)) {
    auto p = scope_.params.find(e.text);
    if (p != scope_.params.end() && p->second->value.is(Type::kString) && !allow_string) {
      return MakeRegex(std::string(p->second->value.as_string()), e);
    }
  }
  if (allow_string) return Compile(e);
  ctx_.Error(file_, e.span, DiagCode::kRegexExpected,
             "expected a regex literal /.../ or a string param here");
  return nullptr;
}

const Node* ExprCompiler::CompileCall(const Expr& e) {
  const std::string& name = e.text;
  if (std::optional<eval::AggregateKind> aggregate = eval::AggregateNamed(name)) {
    if (binding_phase_ != nullptr) return CompileAggregate(e, *aggregate);
    // sum, min, max and values are also builtins on lists and maps; the others
    // exist only as aggregates.
    if (eval::FindBuiltin(name) == nullptr || name == "count") {
      ctx_.Error(file_, e.name_span, DiagCode::kGroupMisuse,
                 fmt::format("aggregate {}() is not allowed here: aggregates read the bindings "
                             "of a group, after `group by`",
                             name));
      return nullptr;
    }
  }
  auto def = scope_.defs.find(name);
  if (def != scope_.defs.end()) {
    if (static_cast<int>(e.args.size()) != def->second->arity) {
      ctx_.Error(file_, e.name_span, DiagCode::kCallArity,
                 fmt::format("'{}' takes {} argument{}, got {}", name, def->second->arity,
                             def->second->arity == 1 ? "" : "s", e.args.size()));
      return nullptr;
    }
    Node* n = ctx_.NewNode(NodeOp::kDefCall);
    n->def = def->second;
    n->name = name;
    bool ok = true;
    for (const auto& a : e.args) {
      const Node* c = Compile(*a);
      ok = ok && c != nullptr;
      n->args.push_back(c);
    }
    return ok ? n : nullptr;
  }
  const eval::Builtin* b = eval::FindBuiltin(name);
  if (b == nullptr) {
    std::vector<std::string> names;
    for (const auto& x : eval::AllBuiltins()) names.emplace_back(x.name);
    for (const auto& [d, _] : scope_.defs) names.push_back(d);
    ctx_.Error(file_, e.name_span, DiagCode::kNameUnknownFunction,
               fmt::format("unknown function '{}'", name), DidYouMean(name, names));
    return nullptr;
  }
  size_t argc = e.args.size();
  if (argc < b->min_args || (b->max_args != eval::kVariadic && argc > b->max_args)) {
    std::string expected = b->min_args == b->max_args ? std::to_string(b->min_args)
                           : b->max_args == eval::kVariadic
                               ? fmt::format("at least {}", b->min_args)
                               : fmt::format("{} to {}", b->min_args, b->max_args);
    ctx_.Error(file_, e.name_span, DiagCode::kCallArity,
               fmt::format("'{}' takes {} argument{}, got {}", name, expected,
                           expected == "1" ? "" : "s", argc));
    return nullptr;
  }
  Node* n = ctx_.NewNode(NodeOp::kBuiltin);
  n->builtin = b;
  n->name = name;
  bool ok = true;
  for (size_t i = 0; i < argc; ++i) {
    const Node* c = nullptr;
    if (static_cast<int>(i) == b->regex_arg) {
      c = CompileRegexOperand(*e.args[i], !b->regex_only);
    } else {
      c = Compile(*e.args[i]);
    }
    ok = ok && c != nullptr;
    n->args.push_back(c);
  }
  if (!ok) return nullptr;
  return Fold(n);
}

void ExprCompiler::CheckOperandTypes(const Expr& e, const Node* n) {
  std::optional<Type> a = StaticType(n->args[0]);
  std::optional<Type> b = StaticType(n->args[1]);
  auto never = [&](const char* why) {
    ctx_.Error(file_, e.span, DiagCode::kTypeMismatch,
               fmt::format("'{}' can never apply to {} and {}{}", syntax::BinaryOpText(e.op),
                           TypeName(*a), TypeName(*b), why));
  };
  if (!a || !b || *a == Type::kNull || *b == Type::kNull) return;
  switch (e.op) {
    case BinaryOp::kMul:
    case BinaryOp::kDiv:
    case BinaryOp::kMod:
      if (*a != Type::kDecimal || *b != Type::kDecimal) never("");
      break;
    case BinaryOp::kAdd:
      if (!(*a == *b && (*a == Type::kDecimal || *a == Type::kString || *a == Type::kList)) &&
          !(*a == Type::kDate && *b == Type::kDecimal) &&
          !(*a == Type::kDecimal && *b == Type::kDate))
        never("");
      break;
    case BinaryOp::kSub:
      if (!(*a == Type::kDecimal && *b == Type::kDecimal) &&
          !(*a == Type::kDate && (*b == Type::kDecimal || *b == Type::kDate)))
        never("");
      break;
    case BinaryOp::kLt:
    case BinaryOp::kLe:
    case BinaryOp::kGt:
    case BinaryOp::kGe:
      if (*a != *b || (*a != Type::kDecimal && *a != Type::kString && *a != Type::kDate)) never("");
      break;
    case BinaryOp::kAnd:
    case BinaryOp::kOr:
    case BinaryOp::kImplies:
      if (*a != Type::kBool || *b != Type::kBool) never(": operands must be bool");
      break;
    default:
      break;
  }
}

const Node* ExprCompiler::CompileBinary(const Expr& e, bool keep) {
  if (e.op == BinaryOp::kHas) {
    if (eval::CompiledIndex* index = IndexNamed(*e.args[0]))
      return IndexRead(NodeOp::kIndexHas, *index, *e.args[1], e);
    ctx_.Error(file_, e.args[0]->span, DiagCode::kIndexMisuse,
               "`has` reads an index: write INDEX has KEY, with an index declared by `index`");
    return nullptr;
  }
  Node* n = ctx_.NewNode(NodeOp::kBinary);
  n->binary = e.op;
  const Node* left = Compile(*e.args[0]);
  const Node* right = nullptr;
  if (e.op == BinaryOp::kMatches) {
    right = CompileRegexOperand(*e.args[1], false);
  } else {
    right = Compile(*e.args[1]);
  }
  if (left == nullptr || right == nullptr) return nullptr;
  n->args = {left, right};
  CheckOperandTypes(e, n);
  return keep ? n : Fold(n);
}

const Node* ExprCompiler::CompileQuantifier(const Expr& e) {
  const Node* coll = Compile(*e.args[0]);
  Node* n = ctx_.NewNode(NodeOp::kQuantifier);
  n->quant = e.quant;
  const int first = Declare(e.names[0], false);
  n->set_binders(first, e.names.size() > 1 ? Declare(e.names[1], false) : -1);
  // Binders count as used: a quantifier may test only the collection's size.
  bindings_.back().used = true;
  const Node* body = Compile(*e.args[1]);
  Pop(e.names.size());
  if (coll == nullptr || body == nullptr) return nullptr;
  std::optional<Type> t = StaticType(body);
  if (t && *t != Type::kBool) {
    ctx_.Error(
        file_, e.args[1]->span, DiagCode::kTypeNotBool,
        fmt::format("a quantifier's body must be a bool, but this is always {}", TypeName(*t)));
    return nullptr;
  }
  n->args = {coll, body};
  return n;
}

eval::CompiledIndex* ExprCompiler::IndexNamed(const Expr& e) {
  if (e.kind != ExprKind::kName || Lookup(e.text) != nullptr || scope_.params.count(e.text) > 0)
    return nullptr;
  for (eval::CompiledIndex& index : ctx_.program.indexes)
    if (index.name == e.text) return &index;
  return nullptr;
}

const Node* ExprCompiler::IndexRead(NodeOp op, eval::CompiledIndex& index, const Expr& key,
                                    const Expr& where) {
  if (!allow_indexes_) {
    ctx_.Error(
        file_, where.span, DiagCode::kIndexMisuse,
        fmt::format("index {} cannot be read here: an index's key reads no index", index.name));
    return nullptr;
  }
  const Node* k = Compile(key);
  if (k == nullptr) return nullptr;
  Node* n = ctx_.NewNode(op);
  uint32_t at = 0;  // the index's position in Program::indexes
  for (const eval::CompiledIndex& i : ctx_.program.indexes) {
    if (&i == &index) break;
    ++at;
  }
  n->slot = static_cast<int>(at);
  n->name = index.name;
  n->args = {k};
  n->line = file_.source->Position(where.span.begin).line;
  if (std::find(indexes_read_.begin(), indexes_read_.end(), at) == indexes_read_.end()) {
    indexes_read_.push_back(at);
    std::sort(indexes_read_.begin(), indexes_read_.end());
  }
  return n;
}

const Node* ExprCompiler::GroupKeyNode(int position) {
  Node* n = ctx_.NewNode(NodeOp::kGroupKey);
  n->slot = position;
  return n;
}

const Node* ExprCompiler::CompileAggregate(const Expr& e, eval::AggregateKind kind) {
  using eval::AggregateKind;
  const size_t want = kind == AggregateKind::kCount ? 0 : 1;
  if (e.args.size() != want) {
    ctx_.Error(file_, e.name_span, DiagCode::kCallArity,
               fmt::format("aggregate {}() takes {} argument{}, got {}", e.text, want,
                           want == 1 ? "" : "s", e.args.size()));
    return nullptr;
  }
  eval::Aggregate aggregate;
  aggregate.kind = kind;
  aggregate.line = file_.source->Position(e.span.begin).line;
  if (want == 1) {
    aggregate.arg = binding_phase_->Compile(*e.args[0]);
    if (aggregate.arg == nullptr) return nullptr;
    const syntax::Span span = e.args[0]->span;
    aggregate.arg_source =
        std::string(file_.source->text().substr(span.begin, span.end - span.begin));
    for (size_t i = 0; i < aggregates_->size(); ++i)
      if ((*aggregates_)[i].arg != nullptr &&
          (*aggregates_)[i].arg_source == aggregate.arg_source) {
        aggregate.same_arg_as = static_cast<int>(i);
        break;
      }
    for (uint32_t i : binding_phase_->indexes_read())
      if (std::find(indexes_read_.begin(), indexes_read_.end(), i) == indexes_read_.end())
        indexes_read_.push_back(i);
    std::sort(indexes_read_.begin(), indexes_read_.end());
  }
  Node* n = ctx_.NewNode(NodeOp::kAggregate);
  n->slot = static_cast<int>(aggregates_->size());
  n->name = e.text;
  aggregates_->push_back(aggregate);
  return n;
}

const Node* ExprCompiler::Fold(Node* n) {
  if (n->op == NodeOp::kConst) return n;
  for (const Node* a : n->args)
    if (a == nullptr || a->op != NodeOp::kConst) return n;
  return FoldConstant(n, ctx_);
}

}  // namespace policy::check
