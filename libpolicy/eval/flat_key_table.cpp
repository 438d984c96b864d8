#include "libpolicy/eval/flat_key_table.h"

#include <cstring>

#include "libpolicy/hash.h"

namespace policy::eval {

uint64_t FlatKeyTable::HashOf(std::string_view key) { return HashBytes(key.data(), key.size()); }

std::string_view FlatKeyTable::KeyAt(uint32_t offset) const {
  const char* p = pool_.data() + (offset - 1);
  uint32_t size = 0;
  std::memcpy(&size, p, sizeof size);
  return {p + sizeof size, size};
}

std::optional<uint32_t> FlatKeyTable::Find(std::string_view key, uint64_t hash) const {
  if (slots_.empty()) return std::nullopt;
  const uint32_t tag = Tag(hash);
  const size_t mask = slots_.size() - 1;
  for (size_t i = tag & mask;; i = (i + 1) & mask) {
    const Slot& s = slots_[i];
    if (s.offset == 0) return std::nullopt;
    if (Matches(s, tag, key) && (key.size() <= kInline || KeyAt(s.offset) == key)) return s.value;
  }
}

std::optional<FlatKeyTable::Inserted> FlatKeyTable::Insert(std::string_view key, uint32_t value,
                                                           uint64_t hash) {
  // At most 70% full: probes stay short.
  if ((size_ + 1) * 10 > slots_.size() * 7)
    Rehash(slots_.empty() ? kFirstSlots : slots_.size() * 2);
  const uint32_t tag = Tag(hash);
  const size_t mask = slots_.size() - 1;
  for (size_t i = tag & mask;; i = (i + 1) & mask) {
    Slot& s = slots_[i];
    if (s.offset == 0) {
      Slot fresh{0, tag, value, 0, {}};
      if (key.size() <= kInline) {
        fresh.offset = kInlined;
        fresh.size = static_cast<uint8_t>(key.size());
        if (!key.empty()) std::memcpy(fresh.head, key.data(), key.size());
      } else {
        const uint64_t offset = pool_.size();
        const uint64_t size = key.size();
        if (offset + sizeof(uint32_t) + size >= (uint64_t{1} << 32)) return std::nullopt;
        const auto size32 = static_cast<uint32_t>(size);
        pool_.resize(offset + sizeof size32 + size);
        std::memcpy(pool_.data() + offset, &size32, sizeof size32);
        std::memcpy(pool_.data() + offset + sizeof size32, key.data(), size);
        fresh.offset = static_cast<uint32_t>(offset + 1);
        fresh.size = kInline + 1;
        std::memcpy(fresh.head, key.data(), kInline);
      }
      s = fresh;
      ++size_;
      return Inserted{value, true};
    }
    if (Matches(s, tag, key) && (key.size() <= kInline || KeyAt(s.offset) == key))
      return Inserted{s.value, false};
  }
}

void FlatKeyTable::Rehash(size_t slots) {
  std::vector<Slot> old = std::move(slots_);
  slots_.assign(slots, Slot{0, 0, 0, 0, {}});
  const size_t mask = slots - 1;
  // Slots are placed by their tag, so growing never re-reads a key.
  for (const Slot& s : old) {
    if (s.offset == 0) continue;
    size_t i = s.tag & mask;
    while (slots_[i].offset != 0) i = (i + 1) & mask;
    slots_[i] = s;
  }
}

void FlatKeyTable::Clear() {
  slots_.clear();
  slots_.shrink_to_fit();
  pool_.clear();
  pool_.shrink_to_fit();
  size_ = 0;
}

}  // namespace policy::eval
