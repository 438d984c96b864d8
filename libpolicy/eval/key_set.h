#pragma once
// The memory-lean set behind `unique`: each distinct key once, with the line of
// the record that first had it. About 16 bytes a slot plus the key bytes, so ten
// million keys stay within a few hundred MB and one million within ~40 MB.
#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

namespace policy::eval {

class KeySet {
 public:
  KeySet();
  // Inserts `key` first seen at `line`. Returns the earlier line when the key
  // was already there (and leaves it unchanged).
  std::optional<uint32_t> Insert(std::string_view key, uint32_t line);
  uint64_t size() const { return size_; }

 private:
  struct Slot {
    uint64_t offset;  // into pool_ + 1; 0 = empty
    uint32_t hash;
    uint32_t line;
  };
  std::string_view KeyAt(uint64_t offset) const;
  uint64_t Store(std::string_view key);
  void Grow();

  static constexpr size_t kBlockBits = 20;
  std::vector<Slot> slots_;
  std::vector<std::unique_ptr<char[]>> pool_;
  size_t pool_used_ = 1 << kBlockBits;  // forces a first block
  uint64_t size_ = 0;
};

}  // namespace policy::eval
