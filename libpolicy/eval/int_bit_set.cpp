#include "libpolicy/eval/int_bit_set.h"

#include <bit>

namespace policy::eval {
namespace {

size_t SlotOf(uint64_t index, size_t mask) {
  return static_cast<size_t>((index * 0x9E3779B97F4A7C15ull) >> 32) & mask;
}

}  // namespace

uint64_t& IntBitSet::Word(uint64_t index) {
  // At most 70% full.
  if ((used_ + 1) * 10 > slots_.size() * 7) Rehash(slots_.empty() ? 8 : slots_.size() * 2);
  const size_t mask = slots_.size() - 1;
  for (size_t i = SlotOf(index, mask);; i = (i + 1) & mask) {
    Slot& s = slots_[i];
    if (s.index == index + 1) return s.bits;
    if (s.index == 0) {
      s.index = index + 1;
      ++used_;
      return s.bits;
    }
  }
}

void IntBitSet::Rehash(size_t slots) {
  std::vector<Slot> old = std::move(slots_);
  slots_.assign(slots, Slot{});
  const size_t mask = slots - 1;
  for (const Slot& s : old) {
    if (s.index == 0) continue;
    size_t i = SlotOf(s.index - 1, mask);
    while (slots_[i].index != 0) i = (i + 1) & mask;
    slots_[i] = s;
  }
}

void IntBitSet::Merge(IntBitSet& later) {
  for (const Slot& s : later.slots_) {
    if (s.index == 0) continue;
    uint64_t& word = Word(s.index - 1);
    count_ += static_cast<uint64_t>(std::popcount(s.bits & ~word));
    word |= s.bits;
  }
  later.Clear();
}

void IntBitSet::Clear() {
  slots_.clear();
  slots_.shrink_to_fit();
  used_ = 0;
  count_ = 0;
}

}  // namespace policy::eval
