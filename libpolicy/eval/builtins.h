#pragma once
// The built-in functions of LANGUAGE.md section 8, as one table.
//
// A builtin receives already-evaluated arguments and returns a Value. Results
// that need storage (strings, lists, maps) are allocated in ctx.arena, which the
// evaluator resets between bindings: never hold a result past that. A data
// problem is reported with ctx.Fail(code, message), which becomes an
// evaluation-error finding; builtins never throw and never print.
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "libpolicy/arena.h"
#include "libpolicy/diagnostic_codes.h"
#include "libpolicy/value.h"

namespace policy::eval {

struct EvalError {
  const char* code = nullptr;  // NameOf(DiagCode): "type.mismatch", "decimal.overflow", ...
  std::string message;
  bool set() const { return code != nullptr; }
};

class CallContext {
 public:
  explicit CallContext(Arena& arena) : arena(arena) {}
  // Records the first error and returns null; the evaluator turns it into a finding.
  Value Fail(DiagCode code, std::string message) {
    if (!error.set()) {
      error.code = NameOf(code);
      error.message = std::move(message);
    }
    return Value::Null();
  }
  Arena& arena;
  EvalError error;
  // Pass kAsciiShortcuts (eval/passes.h): a builtin may decide ASCII text
  // (Value::kAscii, or text it checks) at once instead of in general.
  bool ascii_shortcuts = true;
  // Moves on for every subject a rule is run on (Runner::Begin). A builtin that
  // indexes part of the subject once (services_at) keeps the index in
  // `subject_index` and rebuilds it when `subject` has moved on: values of an
  // earlier subject may share its addresses.
  uint64_t subject = 0;
  uint64_t subject_index_of = ~uint64_t{0};
  std::shared_ptr<void> subject_index;
};

using BuiltinFn = Value (*)(std::span<const Value> args, CallContext& ctx);

// How a builtin treats null arguments, applied by the evaluator before the call.
enum class NullPolicy : uint8_t {
  kPropagate,  // any null argument: the result is null without calling fn
  kFalse,      // a null first argument: the result is false without calling fn
  kCustom,     // fn sees nulls and decides (type, sum, min/max over lists, ...)
};

inline constexpr uint8_t kVariadic = 255;

// When a one-argument builtin returns its argument unchanged (the argument
// being a string): the evaluator then skips the call (NodeOp::kIdentityWhen).
enum class IdentityWhen : uint8_t {
  kText,                    // any text (string(x))
  kAsciiText,               // ASCII text (normalize_digits(x): no digit to map)
  kAsciiWithoutSeparators,  // ASCII without blanks or - . / ( ) (digits_only(x))
  kVisibleAsciiEnds,        // text that starts and ends visible ASCII (trim(x))
  kNever,
};

// A one-argument builtin's result for any ASCII text, known without a call.
enum class OnAscii : uint8_t {
  kUnknown,
  kFalse,  // false (is_bengali)
  kTrue,   // true (is_nfc)
  kSame,   // the argument itself (normalize_digits)
};

enum class Cost : uint8_t {
  kWorthMemo,  // a binding that calls it is worth remembering (Runner's memo)
  kCheap,      // cheaper than a memo lookup, as comparisons are
};

// A builtin whose calls a pass may turn into something cheaper: each kind is
// one builtin's, declared in its row, never recognised by name elsewhere.
enum class Lowering : uint8_t {
  kNone,
  kTypeName,  // type(x): `type(x) == "string"` compares the type without a call (kTypeIs)
  kTrim,      // trim(x): `trim(x) == ""` tests for blank text without a copy (kTrimEmpty)
  kRound,     // round(x, places[, mode]): computed in the decimal lane
};

// What the compiler passes and the evaluator may assume of a builtin,
// declared in its own table row, so that no pass recognises builtins by name.
struct BuiltinTraits {
  OnAscii on_ascii = OnAscii::kUnknown;
  IdentityWhen identity = IdentityWhen::kNever;
  Cost cost = Cost::kWorthMemo;
  // The same arguments always give the same result, and nothing else is read:
  // calls may be folded on constants, hoisted, remembered.
  bool pure = true;
  Lowering lowering = Lowering::kNone;
};

struct Builtin {
  std::string_view name;
  uint8_t min_args;
  uint8_t max_args;  // kVariadic for "two or more"
  NullPolicy nulls;
  // The result's type when it is always one type (or null), for static checks;
  // Type::kNull when it varies.
  Type result;
  BuiltinFn fn;
  // Index of the argument that may be a regex (compiled when rules compile),
  // -1 when none; `regex_only`: that argument must be a regex.
  int8_t regex_arg = -1;
  bool regex_only = false;
  BuiltinTraits traits = {};
  // The keys of the map it returns when they are always the same (parse_image):
  // reading any other key of its result is a compile error (check/compose_access.cpp).
  std::span<const std::string_view> result_fields = {};
  // Its result is the list of its first argument's map values (values): the
  // compiler knows the items' shape when it knows the map's.
  bool lists_argument_values = false;
};

// Whether `b` (may be null) is the builtin that lowers as `lowering`.
inline bool Lowers(const Builtin* b, Lowering lowering) {
  return b != nullptr && b->traits.lowering == lowering;
}

// nullptr when no builtin has that name.
const Builtin* FindBuiltin(std::string_view name);
std::span<const Builtin> AllBuiltins();

}  // namespace policy::eval
