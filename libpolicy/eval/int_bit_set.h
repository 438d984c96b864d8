#pragma once
// A set of unsigned integers as a hash table of 64-bit words: a word per 64
// consecutive values seen, so the serial numbers of an invoice book (dense,
// BD-SER-001's count_distinct) take about 2 bits each and insert without a
// key string, where a KeySet takes some 20 bytes and a probe into a pool.
#include <cstddef>
#include <cstdint>
#include <vector>

namespace policy::eval {

class IntBitSet {
 public:
  void Insert(uint64_t n) {
    uint64_t& word = Word(n >> 6);
    const uint64_t bit = uint64_t{1} << (n & 63);
    count_ += (word & bit) == 0;
    word |= bit;
  }
  // Adds every value of `later`, which is left empty.
  void Merge(IntBitSet& later);
  uint64_t size() const { return count_; }
  void Clear();
  // Calls `f(n)` for every value, in no particular order.
  template <class F>
  void ForEach(F&& f) const {
    for (const Slot& s : slots_)
      if (s.index != 0)
        for (unsigned b = 0; b < 64; ++b)
          if ((s.bits >> b) & 1) f(((s.index - 1) << 6) | b);
  }

 private:
  struct Slot {
    uint64_t index = 0;  // the word's index (value >> 6), + 1; 0 = empty
    uint64_t bits = 0;
  };
  uint64_t& Word(uint64_t index);
  void Rehash(size_t slots);  // a power of two

  std::vector<Slot> slots_;
  size_t used_ = 0;
  uint64_t count_ = 0;
};

}  // namespace policy::eval
