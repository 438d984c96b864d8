#pragma once
// Calls builtins the way the evaluator does (null policy first), and renders
// the outcome as text so tests compare one string.
#include <doctest/doctest.h>

#include <deque>
#include <string>
#include <vector>

#include "libpolicy/eval/builtins.h"

namespace policy::eval::testing {

class Runner {
 public:
  Arena arena;
  CallContext ctx{arena};

  // The result, or null with ctx.error set.
  Value Call(std::string_view name, std::vector<Value> args) {
    ctx.error = EvalError{};
    const Builtin* b = FindBuiltin(name);
    REQUIRE_MESSAGE(b != nullptr, std::string(name));
    REQUIRE(args.size() >= b->min_args);
    if (b->max_args != kVariadic) REQUIRE(args.size() <= b->max_args);
    if (b->nulls == NullPolicy::kFalse && !args.empty() && args[0].is_null())
      return Value::Bool(false);
    if (b->nulls == NullPolicy::kPropagate) {
      for (const Value& a : args) {
        if (a.is_null()) return Value::Null();
      }
    }
    Value r = b->fn(args, ctx);
    if (ctx.error.set()) {
      CHECK(r.is_null());
      CHECK_FALSE(ctx.error.message.empty());
    }
    return r;
  }

  // "error CODE", or the result as JSON (strings quoted).
  std::string Text(std::string_view name, std::vector<Value> args) {
    Value r = Call(name, std::move(args));
    if (ctx.error.set()) return std::string("error ") + ctx.error.code;
    return ToJson(r);
  }

  Value S(std::string_view s) { return MakeString(arena, s); }
  Value N(std::string_view text) {
    auto d = Decimal::Parse(text);
    REQUIRE_MESSAGE(d.has_value(), std::string(text));
    return Value::Number(*d);
  }
  Value D(std::string_view iso) {
    auto d = Date::ParseIso(iso);
    REQUIRE_MESSAGE(d.has_value(), std::string(iso));
    return Value::OfDate(*d);
  }
  Value L(std::vector<Value> items) { return MakeList(arena, items); }
  Value M(std::vector<std::pair<std::string, Value>> entries) {
    MapEntry* storage = arena.AllocateArray<MapEntry>(entries.size() + 1);
    for (std::size_t i = 0; i < entries.size(); ++i) {
      new (&storage[i]) MapEntry{arena.Copy(entries[i].first), entries[i].second};
    }
    return Value::Map(storage, static_cast<uint32_t>(entries.size()));
  }
  // A string located in a file, to check that results keep the origin.
  Value Located(std::string_view s, uint32_t line, uint32_t column) {
    Value v = S(s);
    Loc loc;
    loc.line = line;
    loc.column = column;
    v.set_loc(loc);
    return v;
  }
};

}  // namespace policy::eval::testing
