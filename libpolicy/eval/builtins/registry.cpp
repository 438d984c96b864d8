#include "libpolicy/eval/builtins/registry.h"

#include <algorithm>
#include <vector>

namespace policy::eval {
namespace {

// Every family's entries in one array sorted by name, built once (thread-safe
// static initialisation) so lookups are a binary search.
const std::vector<Builtin>& Table() {
  static const std::vector<Builtin> table = [] {
    std::vector<Builtin> all;
    for (auto family : {TypeBuiltins(), StringBuiltins(), TextBuiltins(), NumberBuiltins(),
                        DateBuiltins(), CollectionBuiltins(), ComposeBuiltins(),
                        ComposeExtraBuiltins(), PortBuiltins(), PrometheusBuiltins()}) {
      all.insert(all.end(), family.begin(), family.end());
    }
    std::sort(all.begin(), all.end(),
              [](const Builtin& a, const Builtin& b) { return a.name < b.name; });
    return all;
  }();
  return table;
}

}  // namespace

const Builtin* FindBuiltin(std::string_view name) {
  const std::vector<Builtin>& table = Table();
  auto it = std::lower_bound(table.begin(), table.end(), name,
                             [](const Builtin& b, std::string_view n) { return b.name < n; });
  if (it == table.end() || it->name != name) return nullptr;
  return &*it;
}

std::span<const Builtin> AllBuiltins() { return Table(); }

}  // namespace policy::eval
