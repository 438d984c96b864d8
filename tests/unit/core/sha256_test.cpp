// SHA-256 behind finding fingerprints, against the examples of FIPS 180-4
// (NIST's "abc", the 448- and 896-bit messages, one million 'a') and the
// empty message, fed whole and in pieces across the 64-byte block boundary.
#include "libpolicy/sha256.h"

#include <doctest/doctest.h>

#include <cstdio>
#include <string>

using policy::Sha256;

namespace {

std::string Hex(const std::array<uint8_t, 32>& digest) {
  std::string out;
  char buf[3];
  for (uint8_t b : digest) {
    std::snprintf(buf, sizeof buf, "%02x", b);
    out += buf;
  }
  return out;
}

std::string Digest(const std::string& message, size_t piece) {
  Sha256 h;
  for (size_t at = 0; at < message.size(); at += piece)
    h.Update(std::string_view(message).substr(at, piece));
  return Hex(h.Finish());
}

struct Vector {
  std::string message;
  const char* digest;
};

}  // namespace

TEST_CASE("SHA-256 matches the FIPS 180-4 examples, whole and in pieces") {
  const Vector vectors[] = {
      {"", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
      {"abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
      {"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",  // 448 bits
       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"},
      {"abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmn"
       "o"
       "pqrsmnopqrstnopqrstu",  // 896 bits
       "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"},
      {std::string(1000000, 'a'),
       "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0"},
  };
  for (const Vector& v : vectors) {
    CAPTURE(v.message.size());
    for (size_t piece : {size_t{1}, size_t{3}, size_t{63}, size_t{64}, size_t{65}, size_t{1000},
                         v.message.size() + 1}) {
      if (v.message.size() > 100000 && piece < 63)
        continue;  // the long message: block-sized pieces
      CAPTURE(piece);
      CHECK(Digest(v.message, piece) == v.digest);
    }
  }
}

TEST_CASE("SHA-256 pads correctly around the block boundary") {
  // Lengths where the 0x80 byte and the 64-bit length do or do not fit in the
  // last block (digests from an independent implementation, Python's hashlib).
  const std::pair<size_t, const char*> cases[] = {
      {1, "ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb"},
      {55, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318"},
      {56, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a"},
      {57, "f13b2d724659eb3bf47f2dd6af1accc87b81f09f59f2b75e5c0bed6589dfe8c6"},
      {63, "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34"},
      {64, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb"},
      {65, "635361c48bb9eab14198e76ea8ab7f1a41685d6ad62aa9146d301d4f17eb0ae0"},
      {119, "31eba51c313a5c08226adf18d4a359cfdfd8d2e816b13f4af952f7ea6584dcfb"},
      {120, "2f3d335432c70b580af0e8e1b3674a7c020d683aa5f73aaaedfdc55af904c21c"},
      {128, "6836cf13bac400e9105071cd6af47084dfacad4e5e302c94bfed24e013afb73e"},
  };
  for (const auto& [length, digest] : cases) {
    CAPTURE(length);
    CHECK(Digest(std::string(length, 'a'), length + 1) == digest);
    CHECK(Digest(std::string(length, 'a'), 7) == digest);
  }
}

TEST_CASE("SHA-256 HexPrefix is the digest's leading hex digits") {
  CHECK(Sha256::HexPrefix("abc", 16) == "ba7816bf8f01cfea");
  CHECK(Sha256::HexPrefix("abc", 64) ==
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(Sha256::HexPrefix("", 8) == "e3b0c442");
}
