#pragma once
// The repository's rules/ packs, embedded at build time (cmake/embed_packs.cmake).
#include <string_view>
#include <vector>

namespace policy {

struct EmbeddedFile {
  std::string_view path;  // relative to rules/, e.g. "readiness/images.policy"
  std::string_view text;
};

const std::vector<EmbeddedFile>& BuiltinPackFiles();

}  // namespace policy
