#pragma once
// Byte-string keys to small integers (an entry's or a group's position), in
// one open-addressing table: the keys' bytes in one pool, slots of a pool
// offset, a hash tag and the value. A lookup touches a slot and the key's
// bytes, never a node of its own, and adds no allocation per key: the index
// tables of version 2 and the group tables look keys up once per binding, and
// a node-based map spent most of its time missing the cache (issue 15).
// The technique of KeySet (key_set.h), without its key shortening: these keys
// are kept exactly, whatever their length.
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace policy::eval {

class FlatKeyTable {
 public:
  static uint64_t HashOf(std::string_view key);

  // The value under `key`, or nothing.
  std::optional<uint32_t> Find(std::string_view key) const { return Find(key, HashOf(key)); }
  std::optional<uint32_t> Find(std::string_view key, uint64_t hash) const;

  // Inserts `key` with `value` unless it is there. Returns the value under the
  // key (the earlier one when it was there) and whether it was inserted;
  // nothing when the key pool would pass 4 GiB (nothing is inserted).
  struct Inserted {
    uint32_t value;
    bool fresh;
  };
  std::optional<Inserted> Insert(std::string_view key, uint32_t value) {
    return Insert(key, value, HashOf(key));
  }
  std::optional<Inserted> Insert(std::string_view key, uint32_t value, uint64_t hash);

  // Asks the cache for the slot of `hash` (a few keys before it is looked up).
  void Prefetch(uint64_t hash) const {
    if (!slots_.empty()) __builtin_prefetch(&slots_[Tag(hash) & (slots_.size() - 1)]);
  }
  uint64_t size() const { return size_; }
  size_t bytes() const { return slots_.capacity() * sizeof(Slot) + pool_.capacity(); }
  void Clear();

  // Calls `f(key, value)` for every key, in no particular order.
  template <class F>
  void ForEach(F&& f) const {
    for (const Slot& s : slots_)
      if (s.offset != 0) f(KeyAt(s.offset), s.value);
  }

 private:
  struct Slot {
    uint32_t offset;  // into pool_, + 1; 0 = empty
    uint32_t tag;     // the hash's high half
    uint32_t value;
  };
  static uint32_t Tag(uint64_t hash) { return static_cast<uint32_t>(hash >> 32); }
  std::string_view KeyAt(uint32_t offset) const;
  void Rehash(size_t slots);  // a power of two

  static constexpr size_t kFirstSlots = 16;
  std::vector<Slot> slots_;  // empty until the first insert
  std::vector<char> pool_;   // per key: its length (4 bytes), then its bytes
  uint64_t size_ = 0;
};

}  // namespace policy::eval
