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
    if (s.tag == tag && KeyAt(s.offset) == key) return s.value;
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
      const uint64_t offset = pool_.size();
      const uint32_t size = static_cast<uint32_t>(key.size());
      if (offset + sizeof size + key.size() >= (uint64_t{1} << 32) || key.size() > UINT32_MAX)
        return std::nullopt;
      pool_.resize(offset + sizeof size + key.size());
      std::memcpy(pool_.data() + offset, &size, sizeof size);
      if (!key.empty()) std::memcpy(pool_.data() + offset + sizeof size, key.data(), key.size());
      s = Slot{static_cast<uint32_t>(offset + 1), tag, value};
      ++size_;
      return Inserted{value, true};
    }
    if (s.tag == tag && KeyAt(s.offset) == key) return Inserted{s.value, false};
  }
}

void FlatKeyTable::Rehash(size_t slots) {
  std::vector<Slot> old = std::move(slots_);
  slots_.assign(slots, Slot{0, 0, 0});
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
