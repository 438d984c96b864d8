// CountByte: the line counting of the record reader and the partition scan,
// sixteen bytes a step where SSE2 is there.
#include <cstddef>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "libpolicy/load/text_internal.h"

namespace policy::load {

std::size_t CountByte(const char* s, std::size_t n, char byte) {
  std::size_t count = 0;
  std::size_t i = 0;
#if defined(__SSE2__)
  const __m128i wanted = _mm_set1_epi8(byte);
  auto matches = [&](std::size_t at) {
    return _mm_cmpeq_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(s + at)), wanted);
  };
  while (i + 16 <= n) {
    // Byte counters (a match is -1) for at most 255 blocks, then summed. Four
    // blocks a step while they last: the loop's own tests cost as much as a block.
    __m128i counters = _mm_setzero_si128();
    int k = 0;
    for (; k < 252 && i + 64 <= n; k += 4, i += 64) {
      const __m128i a = _mm_add_epi8(matches(i), matches(i + 16));
      const __m128i b = _mm_add_epi8(matches(i + 32), matches(i + 48));
      counters = _mm_sub_epi8(counters, _mm_add_epi8(a, b));
    }
    for (; k < 255 && i + 16 <= n; ++k, i += 16) counters = _mm_sub_epi8(counters, matches(i));
    __m128i sums = _mm_sad_epu8(counters, _mm_setzero_si128());
    count += static_cast<std::size_t>(_mm_cvtsi128_si32(sums)) +
             static_cast<std::size_t>(_mm_extract_epi16(sums, 4));
  }
#endif
  for (; i < n; ++i) count += s[i] == byte ? 1 : 0;
  return count;
}

}  // namespace policy::load
