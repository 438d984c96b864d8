#pragma once
// A parsed input document: a tree of Values and the arena that owns it.
#include <memory>
#include <string>
#include <vector>

#include "libpolicy/arena.h"
#include "libpolicy/value.h"

namespace policy {

struct Document {
  Value root;
  // Paths of the files the values came from; Loc::file indexes this.
  std::vector<std::string> files;
  // Owns every string, list, map and path node reachable from root. Blocks never move.
  Arena arena;
  // Documents whose storage `root` also reaches (the files of a compose merge).
  std::vector<std::unique_ptr<Document>> parts;
};

}  // namespace policy
