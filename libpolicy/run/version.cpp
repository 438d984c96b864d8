// policy::Version(): the one version, project(... VERSION) in the top-level
// CMakeLists.txt, handed to this file alone (libpolicy/CMakeLists.txt) so a
// release changes one definition and recompiles one object.
#include "libpolicy/engine.h"

#ifndef POLICY_VERSION
#error "POLICY_VERSION is defined by libpolicy/CMakeLists.txt from the project version"
#endif

namespace policy {

const char* Version() { return POLICY_VERSION; }

}  // namespace policy
