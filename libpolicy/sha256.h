#pragma once
// SHA-256, for finding fingerprints (LANGUAGE.md section 5).
#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace policy {

class Sha256 {
 public:
  Sha256();
  void Update(std::string_view data);
  std::array<uint8_t, 32> Finish();
  // Lower-case hex of the first `digits` hex digits of SHA-256(data).
  static std::string HexPrefix(std::string_view data, size_t digits);

 private:
  void Block(const uint8_t* p);
  uint32_t h_[8];
  uint8_t buf_[64];
  size_t buf_len_ = 0;
  uint64_t total_ = 0;
};

}  // namespace policy
