#pragma once
// Compose merge rules shared by MergeCompose (several files, compose_merge.cpp)
// and `extends` within one file (compose_extends.cpp): both are "the later
// definition merged over the earlier one" in docker compose, with one rule set.
#include <cstdint>
#include <string_view>
#include <vector>

#include "libpolicy/arena.h"
#include "libpolicy/value.h"

namespace policy::load::internal {

// The keys from the document root down to a value ("services", "web", "ports").
using KeyPath = std::vector<std::string_view>;

// `over` merged over `base` as compose-go's override package does: mappings merge
// key by key; command, entrypoint and healthcheck.test are replaced; other
// sequences are appended, then de-duplicated where compose keeps entries unique
// (ports by interface/published/target/protocol, volumes and devices by container
// path, secrets and configs by target, expose, env_file, dns, cap_add, profiles,
// ... by value), a later entry taking the earlier one's place; scalars are
// replaced. Every value keeps its own location; new arrays go in `arena`.
// `path` holds the keys of `base`/`over` (it is restored on return).
Value MergeComposeValues(Arena& arena, const Value& base, const Value& over, KeyPath& path);

// A deep copy of `v` at path `path`, its entries and items at the same keys and
// indexes below it; locations and flags are kept. Used when a value written in
// one place appears at another path (the keys a service inherits through extends).
Value Repath(Arena& arena, const Value& v, const PathNode* path);

// Resolves `extends` between services of one (normalised) file: a service with
// `extends: NAME` or `extends: {service: NAME}` gets NAME's keys merged under its
// own (MergeComposeValues), located where NAME writes them and reached by the
// service's own paths. `extends` with a `file:` is left as written, and so are
// unknown bases and cycles (resolution just stops there). Every value a service
// inherits is a copy: when the copies would pass `max_values`, the services are
// returned as written and `*too_big` is the `extends` value where the limit was
// reached (nullptr otherwise).
Value ResolveExtends(Arena& arena, const Value& services, uint64_t max_values,
                     const Value** too_big);

}  // namespace policy::load::internal
