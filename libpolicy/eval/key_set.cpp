#include "libpolicy/eval/key_set.h"

#include <cstring>

namespace policy::eval {
namespace {

uint64_t Hash(std::string_view s) {
  // FNV-1a, then a final mix so that the low bits spread well.
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdull;
  h ^= h >> 33;
  return h;
}

}  // namespace

KeySet::KeySet() : slots_(1024) {}

std::string_view KeySet::KeyAt(uint64_t offset) const {
  uint64_t pos = offset - 1;
  const char* p = pool_[pos >> kBlockBits].get() + (pos & ((1u << kBlockBits) - 1));
  uint32_t len;
  std::memcpy(&len, p, sizeof len);
  return {p + sizeof len, len};
}

uint64_t KeySet::Store(std::string_view key) {
  size_t need = sizeof(uint32_t) + key.size();
  size_t block = size_t{1} << kBlockBits;
  if (need > block) need = block;  // keys are bounded by the record length limit below a block
  if (pool_used_ + need > block) {
    pool_.push_back(std::make_unique<char[]>(block));
    pool_used_ = 0;
  }
  char* p = pool_.back().get() + pool_used_;
  uint32_t len = static_cast<uint32_t>(std::min(key.size(), block - sizeof(uint32_t)));
  std::memcpy(p, &len, sizeof len);
  std::memcpy(p + sizeof len, key.data(), len);
  uint64_t offset = ((pool_.size() - 1) << kBlockBits) + pool_used_ + 1;
  pool_used_ += need;
  return offset;
}

void KeySet::Grow() {
  std::vector<Slot> old = std::move(slots_);
  slots_.assign(old.size() * 2, Slot{0, 0, 0});
  size_t mask = slots_.size() - 1;
  for (const Slot& s : old) {
    if (s.offset == 0) continue;
    size_t i = Hash(KeyAt(s.offset)) & mask;
    while (slots_[i].offset != 0) i = (i + 1) & mask;
    slots_[i] = s;
  }
}

std::optional<uint32_t> KeySet::Insert(std::string_view key, uint32_t line) {
  if ((size_ + 1) * 10 > slots_.size() * 7) Grow();
  uint64_t h = Hash(key);
  uint32_t tag = static_cast<uint32_t>(h >> 32);
  size_t mask = slots_.size() - 1;
  for (size_t i = h & mask;; i = (i + 1) & mask) {
    Slot& s = slots_[i];
    if (s.offset == 0) {
      s = Slot{Store(key), tag, line};
      ++size_;
      return std::nullopt;
    }
    if (s.hash == tag && KeyAt(s.offset) == key) return s.line;
  }
}

}  // namespace policy::eval
