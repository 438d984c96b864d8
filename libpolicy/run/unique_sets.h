#pragma once
// The key sets of `unique` rules. A rule on record inputs bound to a schema
// compares across every input bound to it, in input order (a data set split
// in several files: LANGUAGE.md section 11.3); on an input bound to no schema
// it compares within that input, as in version 1.
#include <map>
#include <memory>
#include <string>
#include <utility>

#include "libpolicy/eval/key_set.h"
#include "libpolicy/eval/program.h"

namespace policy::run {

struct UniqueSet {
  eval::KeySet keys;
  bool overflowed = false;  // past the key limit: one evaluation error, then no tracking
};

// Owned by one Check(): record inputs fill it one after another in input
// order (never two at once), so the first place of a key is the run's first.
class UniqueSets {
 public:
  // The set `rule` shares across the inputs bound to `schema`, created empty.
  UniqueSet& Shared(const eval::CompiledRule* rule, const eval::Schema* schema);

 private:
  std::map<std::pair<const eval::CompiledRule*, const eval::Schema*>, std::unique_ptr<UniqueSet>>
      sets_;
};

}  // namespace policy::run
