#include "libpolicy/eval/key_set.h"

#include <cstring>
#include <string>

#include "libpolicy/hash.h"

namespace policy::eval {
namespace {

uint64_t Hash(std::string_view s) { return HashBytes(s.data(), s.size()); }

// Keys longer than a length byte can say are kept as their first bytes plus the
// hex of a hash of the rest: still exact in practice, and bounded in memory.
std::string Shorten(std::string_view key, size_t max) {
  std::string out(key.substr(0, max - 17));
  char buf[18];
  std::snprintf(buf, sizeof buf, "#%016llx", static_cast<unsigned long long>(Hash(key)));
  out += buf;
  return out;
}

}  // namespace

KeySet::KeySet() : slots_(1024) {}

std::string_view KeySet::KeyAt(uint32_t offset) const {
  size_t pos = offset - 1;
  const char* p = pool_[pos >> kBlockBits].get() + (pos & ((size_t{1} << kBlockBits) - 1));
  return {p + 1, static_cast<unsigned char>(p[0])};
}

bool KeySet::Store(std::string_view key, uint32_t* offset) {
  size_t block = size_t{1} << kBlockBits;
  size_t need = 1 + key.size();
  if (pool_used_ + need > block) {
    if ((pool_.size() + 1) << kBlockBits >= (uint64_t{1} << 32)) return false;
    // Not make_unique<char[]>: it zeroes the megabyte that keys then overwrite.
    pool_.push_back(std::unique_ptr<char[]>(new char[block]));
    pool_used_ = 0;
  }
  char* p = pool_.back().get() + pool_used_;
  p[0] = static_cast<char>(key.size());
  std::memcpy(p + 1, key.data(), key.size());
  *offset = static_cast<uint32_t>(((pool_.size() - 1) << kBlockBits) + pool_used_ + 1);
  pool_used_ += need;
  return true;
}

void KeySet::Reserve(uint64_t keys) {
  size_t slots = slots_.size();
  while ((keys + 1) * 10 > slots * 7) slots *= 2;
  if (slots > slots_.size()) Rehash(slots);
}

void KeySet::Grow() { Rehash(slots_.size() * 2); }

void KeySet::Rehash(size_t slots) {
  std::vector<Slot> old = std::move(slots_);
  slots_.assign(slots, Slot{0, 0, Place{}});
  size_t mask = slots_.size() - 1;
  // Slots are placed by their stored hash, so growing never re-reads a key.
  for (const Slot& s : old) {
    if (s.offset == 0) continue;
    size_t i = s.hash & mask;
    while (slots_[i].offset != 0) i = (i + 1) & mask;
    slots_[i] = s;
  }
}

uint64_t KeySet::HashOf(std::string_view key) {
  return key.size() > kMaxKey ? Hash(Shorten(key, kMaxKey)) : Hash(key);
}

std::optional<KeySet::Place> KeySet::Insert(std::string_view key, Place place) {
  return Insert(key, place, HashOf(key));
}

std::optional<KeySet::Place> KeySet::Insert(std::string_view key, Place place, uint64_t h) {
  std::string shortened;
  if (key.size() > kMaxKey) {
    shortened = Shorten(key, kMaxKey);
    key = shortened;
  }
  if ((size_ + 1) * 10 > slots_.size() * 7) Grow();
  uint32_t tag = static_cast<uint32_t>(h >> 32);
  size_t mask = slots_.size() - 1;
  for (size_t i = tag & mask;; i = (i + 1) & mask) {
    Slot& s = slots_[i];
    if (s.offset == 0) {
      uint32_t offset = 0;
      if (!Store(key, &offset)) return std::nullopt;
      s = Slot{offset, tag, place};
      ++size_;
      return std::nullopt;
    }
    if (s.hash == tag && KeyAt(s.offset) == key) return s.first;
  }
}

}  // namespace policy::eval
