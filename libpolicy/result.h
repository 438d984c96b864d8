#pragma once
// Result<T>: the one way an internal fallible call reports failure. It holds
// either a T or an Error: a diagnostic code from the table (diagnostic_codes.def),
// a message, and where the problem is (file, 1-based line and column; 0 when
// unknown). It replaces optional + error out-parameters, bool + message, and
// structs with an `error` member, so a caller cannot read a value that is not
// there (value() on an error is a programming error, checked by assert) and
// every failure carries a stable code.
//
//   Result<Value> ParseThing(std::string_view text) {
//     if (text.empty()) return Error{DiagCode::kParamType, "empty"};  // file, line, column
//     optional return Value::Null();
//   }
//   Result<Value> r = ParseThing(text);
//   if (!r) return r.error();   // propagate (the Error converts to any Result<U>)
//   Use(*r);
//
// Result<void> is the same without a value: `return Ok();` on success.
#include <cassert>
#include <cstdint>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>

#include "libpolicy/diagnostic_codes.h"

namespace policy {

struct Error {
  Error() = default;
  Error(DiagCode code, std::string message, std::string file = {}, uint32_t line = 0,
        uint32_t column = 0)
      : code(code),
        message(std::move(message)),
        file(std::move(file)),
        line(line),
        column(column) {}

  DiagCode code = DiagCode::kInternal;
  std::string message;
  std::string file;     // "" when the problem has no file
  uint32_t line = 0;    // 1-based; 0 when unknown
  uint32_t column = 0;  // 1-based code points; 0 when unknown

  // The stable code string, "input.invalid_utf8".
  const char* code_name() const { return NameOf(code); }
};

template <typename T>
class [[nodiscard]] Result {
  static_assert(!std::is_same_v<std::decay_t<T>, Error>, "a Result cannot hold an Error value");

 public:
  Result(T value) : state_(std::in_place_index<0>, std::move(value)) {}      // NOLINT: implicit
  Result(Error error) : state_(std::in_place_index<1>, std::move(error)) {}  // NOLINT: implicit

  bool ok() const { return state_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & {
    assert(ok());
    return std::get<0>(state_);
  }
  const T& value() const& {
    assert(ok());
    return std::get<0>(state_);
  }
  T&& value() && {
    assert(ok());
    return std::get<0>(std::move(state_));
  }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T&& operator*() && { return std::move(*this).value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const Error& error() const& {
    assert(!ok());
    return std::get<1>(state_);
  }
  Error&& error() && {
    assert(!ok());
    return std::get<1>(std::move(state_));
  }

 private:
  std::variant<T, Error> state_;
};

template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;                                            // success
  Result(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT: implicit

  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const Error& error() const& {
    assert(!ok_);
    return error_;
  }
  Error&& error() && {
    assert(!ok_);
    return std::move(error_);
  }

 private:
  Error error_;
  bool ok_ = true;
};

// The success of a Result<void>.
inline Result<void> Ok() { return {}; }

}  // namespace policy
