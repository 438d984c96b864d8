#include "libpolicy/check/context.h"

#include <algorithm>

#include "libpolicy/eval/evaluator.h"

namespace policy::check {

Diagnostic& Context::Add(const LoadedFile& f, syntax::Span span, Severity sev, DiagCode code,
                         std::string message, std::string help) {
  Diagnostic d;
  d.code = NameOf(code);
  d.severity = sev;
  d.message = std::move(message);
  d.help = std::move(help);
  d.file = f.source->path();
  LineColumn begin = f.source->Position(span.begin);
  d.line = begin.line;
  d.column = begin.column;
  LineColumn end = f.source->Position(std::max(span.end, span.begin));
  d.end_column =
      end.line == begin.line && end.column > begin.column ? end.column : begin.column + 1;
  d.source_line = std::string(f.source->Line(begin.line));
  diagnostics.push_back(std::move(d));
  return diagnostics.back();
}

void Context::Error(const LoadedFile& f, syntax::Span span, DiagCode code, std::string message,
                    std::string help) {
  Add(f, span, Severity::kError, code, std::move(message), std::move(help));
}

void Context::Warning(const LoadedFile& f, syntax::Span span, DiagCode code, std::string message,
                      std::string help) {
  Add(f, span, Severity::kWarning, code, std::move(message), std::move(help));
}

bool Context::has_errors() const {
  return std::any_of(diagnostics.begin(), diagnostics.end(),
                     [](const Diagnostic& d) { return d.severity == Severity::kError; });
}

size_t Context::error_count() const {
  return static_cast<size_t>(
      std::count_if(diagnostics.begin(), diagnostics.end(),
                    [](const Diagnostic& d) { return d.severity == Severity::kError; }));
}

namespace {

size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t sub = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, sub});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

}  // namespace

std::string DidYouMean(std::string_view name, const std::vector<std::string>& candidates) {
  size_t best = std::max<size_t>(2, name.size() / 3) + 1;
  std::string pick;
  for (const std::string& c : candidates) {
    size_t d = EditDistance(name, c);
    if (d < best || (d == best && !pick.empty() && c < pick)) {
      if (d < best) best = d;
      pick = c;
    }
  }
  return pick.empty() ? std::string() : "did you mean '" + pick + "'?";
}

Value DeepCopy(const Value& v, Arena& arena) {
  Value out = v;
  switch (v.type()) {
    case Type::kString:
      out = Value::String(arena.Copy(v.as_string()));
      break;
    case Type::kList: {
      auto items = v.as_list();
      Value* copy = arena.AllocateArray<Value>(items.size());
      for (size_t i = 0; i < items.size(); ++i) new (&copy[i]) Value(DeepCopy(items[i], arena));
      out = Value::List(copy, static_cast<uint32_t>(items.size()));
      break;
    }
    case Type::kMap: {
      auto entries = v.as_map();
      MapEntry* copy = arena.AllocateArray<MapEntry>(entries.size());
      for (size_t i = 0; i < entries.size(); ++i)
        new (&copy[i]) MapEntry{arena.Copy(entries[i].key), DeepCopy(entries[i].value, arena)};
      out = Value::Map(copy, static_cast<uint32_t>(entries.size()));
      break;
    }
    default:
      break;
  }
  out.set_loc(Loc{});
  out.set_path(nullptr);
  return out;
}

const eval::Node* FoldConstant(const eval::Node* n, Context& ctx) {
  Arena scratch(4096);
  eval::Evaluator ev(scratch);
  Value v = ev.Eval(n, nullptr, nullptr);
  if (ev.error().set()) return n;
  eval::Node* folded = ctx.NewNode(eval::NodeOp::kConst);
  folded->constant = v.is(Type::kRegex) ? v : DeepCopy(v, ctx.program.arena);
  return folded;
}

}  // namespace policy::check
