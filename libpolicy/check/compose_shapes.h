#pragma once
// What a rule may read of a compose value, known when rules compile: the
// Compose Specification's schema (third_party/compose-spec) turned into
// shapes, plus the fixed keys of builtin results (Builtin::result_fields).
// A member access that names a key a closed shape cannot hold is a compile
// error (compose_access.cpp): at run time it would silently read null.
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "libpolicy/eval/builtins.h"

namespace policy::check {

struct ComposeShape {
  // What the message calls it: "service", "deployment.resources", "parse_image result".
  std::string label;
  // Keys outside `fields` (and not `x-*`) are errors only when closed.
  bool closed = false;
  // Known keys; a null shape is a key allowed but of unknown shape.
  std::map<std::string, const ComposeShape*, std::less<>> fields;
  // The shape of the value under any other key (maps such as `services`), or null.
  const ComposeShape* values = nullptr;
  // The shape of list items (`ports`), or null.
  const ComposeShape* items = nullptr;
};

// The normalised compose file a rule `on compose` sees; null if the embedded
// schema cannot be read (then nothing is checked).
const ComposeShape* ComposeRootShape();

// The result of builtin `b` when it declares fixed result keys, else null.
const ComposeShape* BuiltinResultShape(const eval::Builtin& b);

// `key` read from a value of `shape`.
struct MemberLookup {
  bool unknown = false;                 // a key the shape cannot hold
  const ComposeShape* shape = nullptr;  // the value's shape when known
};
MemberLookup LookupMember(const ComposeShape& shape, std::string_view key);

// The keys `shape` names, for "did you mean".
std::vector<std::string> FieldNames(const ComposeShape& shape);

}  // namespace policy::check
