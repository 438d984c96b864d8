#pragma once
// The env files of a compose project (engine.h ComposeEnvFiles): the one place
// that reads a service's `env_file:` and resolves its paths, for the CLI's
// inputs and for the readiness matrix's attribution of their findings.
#include <string>
#include <vector>

#include "libpolicy/value.h"

namespace policy::run {

struct EnvFileRef {
  const Value* written = nullptr;  // the string written (located in the compose file)
  std::string path;                // resolved against the compose file's directory, normal
  bool required = true;            // false only when the long form says `required: false`
};

// The entries of `service`'s `env_file:` (a string, a list, or `{path,
// required}` items) whose path holds no `${...}`, in order; `compose_path` is
// the compose file as its input names it.
std::vector<EnvFileRef> ServiceEnvFiles(const Value& service, const std::string& compose_path);

}  // namespace policy::run
