// Compose helpers beyond parse_image, for the readiness pack (documented here in
// the style of LANGUAGE.md section 8 until the lead moves them there):
//
// | function | result |
// |---|---|
// | `bytes(x)` | a compose byte value as a decimal number of bytes: a string `AMOUNT[ ]UNIT` with
// AMOUNT `[0-9]+(\.[0-9]+)?` and UNIT one of `b`, `k`, `kb`, `kib`, `m`, `mb`, `mib`, `g`, `gb`,
// `gib`, `t`, `tb`, `tib`, `p`, `pb`, `pib` (any case, every unit a power of 1024 as Docker's
// go-units reads them) or none; a fractional result is truncated (`bytes("1.5k") == 1536`,
// `bytes("0.3k") == 307`). A non-negative integer decimal is already bytes. Anything else (`"-1g"`,
// `"1x"`, `"${MEM}"`, `1.5`) gives `null`. | | `find_cycle(graph)`, `find_cycle(nodes, key)` | the
// first cycle of a directed graph as a list of names that starts and ends with the same name
// (`["a","b","a"]`; a self-loop is `["a","a"]`), or `null`. `graph` maps each name to its edges: a
// list of names, a map whose keys are the names (the normalised `depends_on`), or `null`. With
// `key`, the edges of node `n` are `nodes[n][key]`, so `find_cycle(compose.services, "depends_on")`
// needs no graph built by hand. Edges to names that are not nodes are ignored. Deterministic: a
// depth-first search from each node in map order, edges in order; the cycle starts at the node the
// search reached first. | | `leaves(x)` | every scalar (string, decimal, bool, date) inside `x`,
// depth first in document order, each keeping its location, so a rule can look at "any value" of a
// service: `for s in leaves(svc)`. Null values and empty containers contribute nothing; a scalar
// `x` gives `[x]`. | | `is_quoted(x)` | `true` when `x` is a scalar written in quotes in its file
// (`"8080:80"`, `'./data:/data'`); `false` for plain scalars, computed values, containers and
// `null`. | | `services_at(services, x)` | the keys of the map `services`, in order, whose values
// hold a value of `x`'s type written at `x`'s place (line, column, file): the services that a
// YAML anchor, alias or merge key carries one written value to (`[]` for a computed `x`). Rules
// report such a value once, at its first service, naming the others. |
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "libpolicy/eval/builtins/support.h"

namespace policy::eval {
namespace {

// Decimal value of one byte unit letter, 1024-based; 0 when not a unit.
int64_t UnitMultiplier(char c) {
  switch (c | 0x20) {  // ASCII lower case
    case 'b':
      return 1;
    case 'k':
      return int64_t{1} << 10;
    case 'm':
      return int64_t{1} << 20;
    case 'g':
      return int64_t{1} << 30;
    case 't':
      return int64_t{1} << 40;
    case 'p':
      return int64_t{1} << 50;
    default:
      return 0;
  }
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsLetter(char c, char lower) { return (c | 0x20) == lower; }

// The bytes of `text`, or false when it is not a byte value.
bool ParseBytes(std::string_view text, Decimal* out) {
  std::size_t i = 0;
  while (i < text.size() && IsDigit(text[i])) ++i;
  if (i == 0) return false;
  if (i < text.size() && text[i] == '.') {
    const std::size_t frac = ++i;
    while (i < text.size() && IsDigit(text[i])) ++i;
    if (i == frac) return false;
  }
  std::optional<Decimal> amount = Decimal::Parse(text.substr(0, i));
  if (!amount) return false;
  std::string_view unit = text.substr(i);
  if (!unit.empty() && unit.front() == ' ') unit.remove_prefix(1);
  int64_t multiplier = 1;
  if (!unit.empty()) {
    multiplier = UnitMultiplier(unit.front());
    if (multiplier == 0) return false;
    std::string_view rest = unit.substr(1);
    // "b" alone is bytes; after another unit letter an optional "i" then "b".
    if (multiplier != 1) {
      if (!rest.empty() && IsLetter(rest.front(), 'i')) {
        rest.remove_prefix(1);
        if (rest.empty()) return false;  // "kib" but not "ki"
      }
      if (!rest.empty() && IsLetter(rest.front(), 'b')) rest.remove_prefix(1);
    }
    if (!rest.empty()) return false;
  } else if (i != text.size()) {
    return false;  // a trailing space and nothing else
  }
  Decimal product;
  if (Decimal::Mul(*amount, Decimal::FromInt(multiplier), &product) != DecimalStatus::kOk)
    return false;
  Decimal fraction;
  if (Decimal::Mod(product, Decimal::FromInt(1), &fraction) != DecimalStatus::kOk) return false;
  Decimal whole;
  if (Decimal::Sub(product, fraction, &whole) != DecimalStatus::kOk) return false;
  // Drop the scale the fraction left behind, so 1.5k prints 1536, not 1536.0.
  return whole.Round(0, Rounding::kHalfAwayFromZero, out) == DecimalStatus::kOk;
}

Value Bytes(std::span<const Value> args, CallContext& ctx) {
  const Value& x = args[0];
  if (x.is(Type::kDecimal)) {
    const Decimal& d = x.as_decimal();
    if (d.IsNegative() || !d.IsInteger()) return Value::Null();
    Decimal whole;
    if (d.Round(0, Rounding::kHalfAwayFromZero, &whole) != DecimalStatus::kOk) return Value::Null();
    return Value::Number(whole);
  }
  if (!x.is(Type::kString)) return Mismatch(ctx, "bytes", 0, "a string or a decimal", x);
  Decimal out;
  if (!ParseBytes(x.as_string(), &out)) return Value::Null();
  return Value::Number(out);
}

// The edges of one node as names, in order; false (with ctx failed) when the
// node's edge value is not a list of strings, a map or null.
bool EdgesOf(const Value& edges, std::vector<std::string_view>* out, CallContext& ctx) {
  out->clear();
  if (edges.is_null()) return true;
  if (edges.is(Type::kMap)) {
    for (const MapEntry& e : edges.as_map()) out->push_back(e.key);
    return true;
  }
  if (edges.is(Type::kList)) {
    for (const Value& item : edges.as_list()) {
      if (!item.is(Type::kString)) {
        Invalid(ctx, "find_cycle",
                "edges must be names (strings), got " + std::string(TypeName(item.type())),
                DiagCode::kTypeMismatch);
        return false;
      }
      out->push_back(item.as_string());
    }
    return true;
  }
  Invalid(ctx, "find_cycle",
          "a node's edges must be a list of names, a map or null, got " +
              std::string(TypeName(edges.type())),
          DiagCode::kTypeMismatch);
  return false;
}

Value FindCycle(std::span<const Value> args, CallContext& ctx) {
  const Value& graph = args[0];
  if (!graph.is(Type::kMap)) return Mismatch(ctx, "find_cycle", 0, "a map", graph);
  std::string_view key;
  if (args.size() > 1) {
    if (!args[1].is(Type::kString)) return Mismatch(ctx, "find_cycle", 1, "a string", args[1]);
    key = args[1].as_string();
  }
  std::span<const MapEntry> nodes = graph.as_map();
  std::unordered_map<std::string_view, std::size_t> index;
  for (std::size_t i = 0; i < nodes.size(); ++i)
    index.emplace(nodes[i].key, i);  // first wins, as Find does

  // Adjacency as node indices, built once.
  std::vector<std::vector<std::size_t>> adjacency(nodes.size());
  std::vector<std::string_view> names;
  for (std::size_t i = 0; i < nodes.size(); ++i) {
    const Value* edges = &nodes[i].value;
    if (args.size() > 1) {
      const Value* field = nodes[i].value.is(Type::kMap) ? nodes[i].value.Find(key) : nullptr;
      static const Value kNull;
      edges = field != nullptr ? field : &kNull;
    }
    if (!EdgesOf(*edges, &names, ctx)) return Value::Null();
    for (std::string_view n : names) {
      auto it = index.find(n);
      if (it != index.end()) adjacency[i].push_back(it->second);
    }
  }

  // Iterative depth-first search (no recursion: a hostile graph may be deep).
  enum : uint8_t { kWhite, kGrey, kBlack };
  std::vector<uint8_t> colour(nodes.size(), kWhite);
  struct Frame {
    std::size_t node;
    std::size_t next_edge;
  };
  std::vector<Frame> stack;
  for (std::size_t root = 0; root < nodes.size(); ++root) {
    if (colour[root] != kWhite) continue;
    stack.push_back({root, 0});
    colour[root] = kGrey;
    while (!stack.empty()) {
      Frame& top = stack.back();
      if (top.next_edge == adjacency[top.node].size()) {
        colour[top.node] = kBlack;
        stack.pop_back();
        continue;
      }
      const std::size_t to = adjacency[top.node][top.next_edge++];
      if (colour[to] == kWhite) {
        colour[to] = kGrey;
        stack.push_back({to, 0});
      } else if (colour[to] == kGrey) {
        // A back edge: the cycle is the stack from `to` up, then `to` again.
        std::vector<Value> cycle;
        std::size_t start = stack.size();
        while (stack[start - 1].node != to) --start;
        for (std::size_t s = start - 1; s < stack.size(); ++s)
          cycle.push_back(Value::String(nodes[stack[s].node].key));
        cycle.push_back(Value::String(nodes[to].key));
        return MakeList(ctx.arena, cycle);
      }
    }
  }
  return Value::Null();
}

Value Leaves(std::span<const Value> args, CallContext& ctx) {
  std::vector<Value> out;
  // An explicit stack, children pushed in reverse, so document order comes out
  // and a deep value cannot exhaust the call stack.
  std::vector<const Value*> stack = {&args[0]};
  while (!stack.empty()) {
    const Value* v = stack.back();
    stack.pop_back();
    if (v->is(Type::kList)) {
      std::span<const Value> items = v->as_list();
      for (std::size_t i = items.size(); i-- > 0;) stack.push_back(&items[i]);
    } else if (v->is(Type::kMap)) {
      std::span<const MapEntry> entries = v->as_map();
      for (std::size_t i = entries.size(); i-- > 0;) stack.push_back(&entries[i].value);
    } else if (!v->is_null() && !v->is(Type::kRegex)) {
      out.push_back(*v);
    }
  }
  return MakeList(ctx.arena, out);
}

// Containers and computed values never carry the flag.
Value IsQuoted(std::span<const Value> args, CallContext&) {
  const Value& x = args[0];
  const bool scalar = !x.is(Type::kList) && !x.is(Type::kMap);
  return Value::Bool(scalar && x.has_flag(Value::kQuoted));
}

// Where a value is written, and its type: what services_at matches on.
struct Written {
  uint32_t line;
  uint32_t column;
  uint16_t file;
  Type type;
  bool operator==(const Written&) const = default;
};
struct WrittenHash {
  size_t operator()(const Written& w) const {
    uint64_t h = (uint64_t{w.line} << 32) ^ (uint64_t{w.column} << 12) ^ (uint64_t{w.file} << 4) ^
                 static_cast<uint64_t>(w.type);
    return static_cast<size_t>(h * 0x9E3779B97F4A7C15ull >> 16);
  }
};

// For one `services` map of one subject: where each written value is, and the
// services (by index, in order, once each) whose values hold it. Built once per
// subject and map, so services_at is a lookup, not a walk of every service
// (which made rules that call it per value quadratic in the services).
struct ServicesIndex {
  struct Holders {
    std::vector<uint32_t> services;  // by index in the map, in order
    std::vector<Value> names;        // their keys as a list value, made on first use
  };
  const MapEntry* services = nullptr;
  size_t size = 0;
  std::unordered_map<Written, Holders, WrittenHash> at;
};

std::shared_ptr<ServicesIndex> BuildServicesIndex(std::span<const MapEntry> services) {
  auto index = std::make_shared<ServicesIndex>();
  index->services = services.data();
  index->size = services.size();
  std::vector<const Value*> stack;
  for (uint32_t i = 0; i < services.size(); ++i) {
    stack.assign(1, &services[i].value);
    while (!stack.empty()) {
      const Value* v = stack.back();
      stack.pop_back();
      const Loc& l = v->loc();
      if (l.known()) {
        std::vector<uint32_t>& holders =
            index->at[Written{l.line, l.column, l.file, v->type()}].services;
        if (holders.empty() || holders.back() != i) holders.push_back(i);
      }
      if (v->is(Type::kList)) {
        for (const Value& item : v->as_list()) stack.push_back(&item);
      } else if (v->is(Type::kMap)) {
        for (const MapEntry& e : v->as_map()) stack.push_back(&e.value);
      }
    }
  }
  return index;
}

// The keys of `services` whose values hold a value written where `x` is: the
// services an anchor, alias or merge key (<<) carries one written value to.
// The list is made once per place and subject and kept by the index (rules
// call this for every service: a new list each time was quadratic in memory);
// it stays valid while the subject is evaluated.
Value ServicesAt(std::span<const Value> args, CallContext& ctx) {
  const Value& services = args[0];
  const Value& x = args[1];
  if (services.is(Type::kMap) && x.loc().known()) {
    const auto map = services.as_map();
    auto index = std::static_pointer_cast<ServicesIndex>(ctx.subject_index);
    if (ctx.subject_index_of != ctx.subject || index == nullptr || index->services != map.data() ||
        index->size != map.size()) {
      index = BuildServicesIndex(map);
      ctx.subject_index = index;
      ctx.subject_index_of = ctx.subject;
    }
    const Loc& l = x.loc();
    auto it = index->at.find(Written{l.line, l.column, l.file, x.type()});
    if (it != index->at.end()) {
      ServicesIndex::Holders& h = it->second;
      if (h.names.empty())
        for (uint32_t i : h.services) h.names.push_back(Value::String(map[i].key));
      return Value::List(h.names.data(), static_cast<uint32_t>(h.names.size()));
    }
  }
  return MakeList(ctx.arena, {});
}

constexpr Builtin kComposeExtraBuiltins[] = {
    {"bytes", 1, 1, NullPolicy::kPropagate, Type::kDecimal, &Bytes},
    {"find_cycle", 1, 2, NullPolicy::kPropagate, Type::kList, &FindCycle},
    {"is_quoted", 1, 1, NullPolicy::kFalse, Type::kBool, &IsQuoted},
    {"leaves", 1, 1, NullPolicy::kPropagate, Type::kList, &Leaves},
    {"services_at", 2, 2, NullPolicy::kPropagate, Type::kList, &ServicesAt},
};

}  // namespace

std::span<const Builtin> ComposeExtraBuiltins() { return kComposeExtraBuiltins; }

}  // namespace policy::eval
