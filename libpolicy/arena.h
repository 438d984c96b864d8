#pragma once
// A monotonic arena: many small allocations, freed all at once.
//
// Documents keep their strings and containers in one; the evaluator keeps a
// scratch arena per worker that is Reset() between bindings, so evaluating a
// record allocates nothing from the heap once the arena has warmed up.
// Not thread-safe: one arena belongs to one thread at a time.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string_view>
#include <vector>

namespace policy {

class Arena {
 public:
  explicit Arena(std::size_t block_size = 64 * 1024) : block_size_(block_size) {}
  Arena(const Arena&) = delete;
  Arena& operator=(const Arena&) = delete;
  Arena(Arena&&) noexcept = default;
  Arena& operator=(Arena&&) noexcept = default;

  // Uninitialised storage for `n` bytes aligned to `align` (a power of two).
  void* Allocate(std::size_t n, std::size_t align = alignof(std::max_align_t));

  // Storage for `n` objects of a trivially destructible T (not constructed).
  template <class T>
  T* AllocateArray(std::size_t n) {
    static_assert(std::is_trivially_destructible_v<T>, "arena objects are never destroyed");
    return static_cast<T*>(Allocate(n * sizeof(T), alignof(T)));
  }

  // A copy of `s` that lives as long as the arena (not NUL-terminated).
  std::string_view Copy(std::string_view s) {
    if (s.empty()) return {};
    char* p = static_cast<char*>(Allocate(s.size(), 1));
    std::memcpy(p, s.data(), s.size());
    return {p, s.size()};
  }

  // Forgets every allocation but keeps the first block for reuse.
  void Reset();

  std::size_t bytes_used() const { return used_total_; }
  // Changes at every Reset(): a value cached with an older generation may point
  // at memory that has been handed out again.
  uint64_t generation() const { return generation_; }

 private:
  struct Block {
    std::unique_ptr<std::byte[]> data;
    std::size_t size;
  };
  std::vector<Block> blocks_;
  std::size_t block_size_;
  std::size_t offset_ = 0;  // in the last block
  std::size_t used_total_ = 0;
  uint64_t generation_ = 0;
};

}  // namespace policy
