#pragma once
// The Compose Specification's JSON schema (third_party/compose-spec), embedded
// at build time by cmake/embed_compose_schema.cmake.
#include <string_view>

namespace policy::check {

std::string_view ComposeSpecSchemaText();

}  // namespace policy::check
