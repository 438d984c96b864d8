#include "libpolicy/check/passes/reads.h"

namespace policy::check::passes {

bool ReadsOnly(const eval::Node* n, const std::vector<bool>& allowed) {
  if (n == nullptr) return false;
  switch (n->op) {
    case eval::NodeOp::kSlot:
      return n->read_slot() >= 0 && static_cast<size_t>(n->read_slot()) < allowed.size() &&
             allowed[static_cast<size_t>(n->read_slot())];
    case eval::NodeOp::kRowField:
      return false;
    case eval::NodeOp::kQuantifier:
      return false;  // binds slots of its own
    case eval::NodeOp::kBuiltin:
      if (!n->callee().traits.pure) return false;
      break;
    default:
      break;
  }
  for (const eval::Node* a : n->args)
    if (!ReadsOnly(a, allowed)) return false;
  return true;
}

}  // namespace policy::check::passes
