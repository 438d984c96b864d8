#pragma once
// A fast, non-cryptographic hash of a byte string, for the engine's in-memory
// caches and key sets (never persisted: fingerprints use sha256.h).
//
// Reads 8 bytes at a time: the byte-at-a-time FNV it replaces was the larger
// part of a memo lookup on 40-byte keys.
#include <cstddef>
#include <cstdint>
#include <cstring>

namespace policy {

inline uint64_t HashMix(uint64_t a, uint64_t b) {
  __extension__ using U128 = unsigned __int128;
  const U128 product = static_cast<U128>(a ^ 0xa0761d6478bd642full) * (b ^ 0xe7037ed1a0b428dbull);
  return static_cast<uint64_t>(product) ^ static_cast<uint64_t>(product >> 64);
}

inline uint64_t HashBytes(const void* data, std::size_t size, uint64_t seed = 0) {
  const auto* p = static_cast<const unsigned char*>(data);
  const uint64_t mark = static_cast<uint64_t>(size) << 56;
  uint64_t h = seed ^ (size * 0x9E3779B97F4A7C15ull);
  uint64_t word = 0;
  if (size >= 8) {
    // Whole words, then the last 8 bytes overlapping them: no byte-count copy
    // (a call) for the tail. With the size mixed in, each size's strings still
    // map one to one onto the words hashed.
    const unsigned char* last = p + size - 8;
    for (; p < last; p += 8) {
      std::memcpy(&word, p, 8);
      h = HashMix(h, word);
    }
    std::memcpy(&word, last, 8);
    return HashMix(h, word ^ mark);
  }
  if (size >= 4) {
    uint32_t head = 0, tail = 0;
    std::memcpy(&head, p, 4);
    std::memcpy(&tail, p + size - 4, 4);
    word = head | static_cast<uint64_t>(tail) << 32;
  } else if (size > 0) {
    word =
        p[0] | static_cast<uint64_t>(p[size / 2]) << 8 | static_cast<uint64_t>(p[size - 1]) << 16;
  }
  return HashMix(h, word ^ mark);
}

}  // namespace policy
