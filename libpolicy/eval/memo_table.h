#pragma once
// The table behind Runner's memo: the outcome (counts only) of a binding by
// its rule and the bytes of its inputs. Exact: keys are compared in full.
//
// Its speed is its cache footprint. Record chunks stream through the same
// cache, so an entry read on every record must be small: keys of a few
// scalars (a date and a fiscal-year label, a VAT rate) live in 32-byte
// entries; longer ones (a name in Bengali, 3 bytes a letter) in 128-byte
// entries of their own. Sets of four ways, with 32-bit tags side by side, so
// a lookup reads one entry; the oldest way of a set is replaced.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

namespace policy::eval {

struct MemoOutcome {
  uint16_t evaluated = 0;
  uint16_t skipped = 0;
};

class MemoTable {
 public:
  static constexpr size_t kMaxKey = 114;

  // The outcome stored for `owner` (a rule) and `key`, or null.
  const MemoOutcome* Find(const void* owner, const char* key, size_t size, uint64_t hash) {
    return size <= kSmallKey ? small_.Find(owner, key, size, hash)
                             : large_.Find(owner, key, size, hash);
  }
  // `size` <= kMaxKey.
  void Store(const void* owner, const char* key, size_t size, uint64_t hash, MemoOutcome outcome) {
    if (size <= kSmallKey) {
      small_.Store(owner, key, size, hash, outcome);
    } else {
      large_.Store(owner, key, size, hash, outcome);
    }
  }

 private:
  static constexpr size_t kWays = 4;
  static constexpr size_t kSmallKey = 19;

  template <size_t kKeyBytes, size_t kSets>
  class Tier {
   public:
    const MemoOutcome* Find(const void* owner, const char* key, size_t size, uint64_t hash) {
      if (entries_.empty()) return nullptr;
      const size_t first = (hash % kSets) * kWays;
      const uint32_t tag = TagOf(hash);
      for (size_t way = 0; way < kWays; ++way) {
        if (tags_[first + way] != tag) continue;
        const Entry& e = entries_[first + way];
        if (e.owner == owner && e.size == size && std::memcmp(e.key, key, size) == 0)
          return &e.outcome;
      }
      return nullptr;
    }
    void Store(const void* owner, const char* key, size_t size, uint64_t hash,
               MemoOutcome outcome) {
      if (entries_.empty()) {
        entries_.resize(kWays * kSets);
        tags_.assign(kWays * kSets, 0);
      }
      const size_t first = (hash % kSets) * kWays;
      for (size_t way = kWays - 1; way > 0; --way) {
        entries_[first + way] = entries_[first + way - 1];
        tags_[first + way] = tags_[first + way - 1];
      }
      tags_[first] = TagOf(hash);
      Entry& e = entries_[first];
      e.owner = owner;
      e.outcome = outcome;
      e.size = static_cast<uint8_t>(size);
      std::memcpy(e.key, key, size);
    }

   private:
    struct alignas(kKeyBytes <= kSmallKey ? 32 : 64) Entry {
      const void* owner = nullptr;
      MemoOutcome outcome;
      uint8_t size = 0;
      char key[kKeyBytes];
    };
    static_assert(sizeof(Entry) % 32 == 0, "entries fill whole halves of cache lines");
    static uint32_t TagOf(uint64_t hash) { return static_cast<uint32_t>(hash >> 32) | 1; }
    std::vector<Entry> entries_;  // kWays per set, the newest first
    std::vector<uint32_t> tags_;  // per entry (0: empty)
  };

  Tier<kSmallKey, 2048> small_;  // 256 KB
  Tier<kMaxKey, 512> large_;     // 256 KB
};

}  // namespace policy::eval
