#include "libpolicy/run/unique_sets.h"

namespace policy::run {

UniqueSet& UniqueSets::Shared(const eval::CompiledRule* rule, const eval::Schema* schema) {
  std::unique_ptr<UniqueSet>& set = sets_[{rule, schema}];
  if (!set) set = std::make_unique<UniqueSet>();
  return *set;
}

}  // namespace policy::run
