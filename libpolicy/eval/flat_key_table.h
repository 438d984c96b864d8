#pragma once
// Byte-string keys to small integers (an entry's or a group's position), in
// one open-addressing table: slots of a hash tag, the value and the key (up
// to 19 bytes) or its head and its offset in one pool of longer keys. A lookup touches a slot and
// the key's bytes, never a node of its own, and adds no allocation per key: the index tables of
// version 2 and the group tables look keys up once per binding, and a node-based map spent most of
// its time missing the cache (issue 15). The technique of KeySet (key_set.h), without its key
// shortening: these keys are kept exactly, whatever their length.
#include <cstdint>
#include <cstring>
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
      if (s.offset != 0) f(KeyOf(s), s.value);
  }

 private:
  // Half a cache line: a key of up to kInline bytes is compared in its slot,
  // without a second cache miss into the pool (an index of 100k BINs is read
  // at random, once or twice per record).
  static constexpr size_t kInline = 19;
  static constexpr uint32_t kInlined = UINT32_MAX;  // Slot::offset of an inline key
  struct alignas(32) Slot {
    uint32_t offset;  // into pool_, + 1; 0 = empty; kInlined: the key is in `head`
    uint32_t tag;     // the hash's high half
    uint32_t value;
    uint8_t size;  // the key's size, up to kInline (a longer key: kInline + 1)
    char head[kInline];
  };
  static_assert(sizeof(Slot) == 32);
  static uint32_t Tag(uint64_t hash) { return static_cast<uint32_t>(hash >> 32); }
  std::string_view KeyAt(uint32_t offset) const;
  std::string_view KeyOf(const Slot& s) const {
    return s.offset == kInlined ? std::string_view(s.head, s.size) : KeyAt(s.offset);
  }
  static bool Matches(const Slot& s, uint32_t tag, std::string_view key) {
    if (s.tag != tag) return false;
    if (key.size() <= kInline)
      return s.size == key.size() && std::memcmp(s.head, key.data(), key.size()) == 0;
    return s.size == kInline + 1 && std::memcmp(s.head, key.data(), kInline) == 0;
  }
  void Rehash(size_t slots);  // a power of two

  static constexpr size_t kFirstSlots = 16;
  std::vector<Slot> slots_;  // empty until the first insert
  std::vector<char> pool_;   // per key: its length (4 bytes), then its bytes
  uint64_t size_ = 0;
};

}  // namespace policy::eval
