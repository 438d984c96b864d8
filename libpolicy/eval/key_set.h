#pragma once
// The memory-lean set behind `unique`: each distinct key once, with the place
// (input and line) of the record that first had it. 16 bytes a slot (at most
// 70% full) plus the key bytes and one length byte, so one million 15-byte keys
// take about 45 MB.
#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

namespace policy::eval {

class KeySet {
 public:
  // Where a key was first seen: the input (its position in the run) and line.
  struct Place {
    uint32_t line = 0;
    uint32_t input = 0;
  };
  KeySet();
  // Inserts `key` first seen at `place`. Returns the earlier place when the key
  // was already there (and leaves it unchanged).
  std::optional<Place> Insert(std::string_view key, Place place);
  // The same with `hash` = HashOf(key), computed ahead (by the thread that made
  // the key), after Prefetch(hash) a few keys earlier: the slot is then in cache.
  std::optional<Place> Insert(std::string_view key, Place place, uint64_t hash);
  static uint64_t HashOf(std::string_view key);
  // Makes room for `keys` keys without growing (never shrinks).
  void Reserve(uint64_t keys);
  void Prefetch(uint64_t hash) const {
    __builtin_prefetch(&slots_[static_cast<uint32_t>(hash >> 32) & (slots_.size() - 1)]);
  }
  uint64_t size() const { return size_; }
  // Calls `f(key)` for every key (in no particular order), as stored: keys
  // longer than 255 bytes are stored by their first bytes and a hash, and
  // Insert() stores such a form as itself.
  template <class F>
  void ForEach(F&& f) const {
    for (const Slot& s : slots_)
      if (s.offset != 0) f(KeyAt(s.offset));
  }

 private:
  struct Slot {
    uint32_t offset;  // into the pool, + 1; 0 = empty
    uint32_t hash;
    Place first;
  };
  std::string_view KeyAt(uint32_t offset) const;
  // False when the pool is full (4 GiB of keys).
  bool Store(std::string_view key, uint32_t* offset);
  void Grow();
  void Rehash(size_t slots);  // a power of two

  static constexpr size_t kBlockBits = 20;
  static constexpr size_t kMaxKey = 255;  // longer keys are stored by their first bytes and a hash
  std::vector<Slot> slots_;
  std::vector<std::unique_ptr<char[]>> pool_;
  size_t pool_used_ = size_t{1} << kBlockBits;  // forces a first block
  uint64_t size_ = 0;
};

}  // namespace policy::eval
