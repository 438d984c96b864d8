#include "libpolicy/arena.h"

#include <algorithm>

namespace policy {

void* Arena::Allocate(std::size_t n, std::size_t align) {
  if (n == 0) n = 1;
  if (!blocks_.empty()) {
    Block& b = blocks_.back();
    std::size_t start = (offset_ + align - 1) & ~(align - 1);
    if (start + n <= b.size) {
      offset_ = start + n;
      used_total_ += n;
      return b.data.get() + start;
    }
  }
  std::size_t size = std::max(block_size_, n + align);
  blocks_.push_back(Block{std::make_unique<std::byte[]>(size), size});
  auto base = reinterpret_cast<std::uintptr_t>(blocks_.back().data.get());
  std::size_t start = ((base + align - 1) & ~(align - 1)) - base;
  offset_ = start + n;
  used_total_ += n;
  return blocks_.back().data.get() + start;
}

void Arena::Reset() {
  if (blocks_.size() > 1) {
    // Keep the largest block so a steady workload stops allocating.
    auto largest = std::max_element(blocks_.begin(), blocks_.end(),
                                    [](const Block& a, const Block& b) { return a.size < b.size; });
    Block keep = std::move(*largest);
    blocks_.clear();
    blocks_.push_back(std::move(keep));
  }
  offset_ = 0;
  used_total_ = 0;
  ++generation_;
}

}  // namespace policy
