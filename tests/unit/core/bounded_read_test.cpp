// The bounded reader: a whole file or stream, never more than its cap + 1 bytes.
#include "libpolicy/bounded_read.h"

#include <doctest/doctest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <streambuf>
#include <string>

namespace {

namespace fs = std::filesystem;

// A stream that never ends (like /dev/zero or a FIFO nobody closes), counting
// the bytes taken from it.
class EndlessBuf : public std::streambuf {
 public:
  uint64_t taken = 0;

 protected:
  std::streamsize xsgetn(char* s, std::streamsize n) override {
    std::fill(s, s + n, 'x');
    taken += static_cast<uint64_t>(n);
    return n;
  }
  int_type underflow() override {
    buf_ = 'x';
    setg(&buf_, &buf_, &buf_ + 1);
    return traits_type::to_int_type(buf_);
  }
  int_type uflow() override {
    ++taken;
    return traits_type::to_int_type('x');
  }

 private:
  char buf_ = 'x';
};

fs::path TempFile(const std::string& tag, const std::string& text) {
  fs::path p = fs::temp_directory_path() /
               ("policy-bounded-" + tag + "-" + std::to_string(::getpid()) + ".txt");
  std::ofstream(p, std::ios::binary) << text;
  return p;
}

}  // namespace

TEST_CASE("bounded read: a file of exactly the cap is read whole") {
  fs::path p = TempFile("exact", std::string(1000, 'a'));
  policy::BoundedRead r = policy::ReadFileBounded(p.string(), 1000);
  CHECK(r.ok());
  CHECK(r.text == std::string(1000, 'a'));
  fs::remove(p);
}

TEST_CASE("bounded read: one byte over the cap is too large, and says so") {
  fs::path p = TempFile("over", std::string(1001, 'a'));
  policy::BoundedRead r = policy::ReadFileBounded(p.string(), 1000);
  CHECK(r.status == policy::BoundedRead::Status::kTooLarge);
  CHECK(r.text.empty());
  CHECK(r.Reason() == "larger than 1000 bytes");
  fs::remove(p);
}

TEST_CASE("bounded read: an endless stream stops at cap + 1 bytes") {
  EndlessBuf buf;
  std::istream in(&buf);
  policy::BoundedRead r = policy::ReadStreamBounded(in, 100000);
  CHECK(r.status == policy::BoundedRead::Status::kTooLarge);
  CHECK(buf.taken == 100001);
}

TEST_CASE("bounded read: /dev/zero, which has no size, stops at the cap") {
  policy::BoundedRead r = policy::ReadFileBounded("/dev/zero", 1 << 20);
  CHECK(r.status == policy::BoundedRead::Status::kTooLarge);
  CHECK(r.Reason() == "larger than 1048576 bytes");
}

TEST_CASE("bounded read: a short stream, a missing file and a directory") {
  std::istringstream in("hello");
  policy::BoundedRead r = policy::ReadStreamBounded(in, 5);
  CHECK(r.ok());
  CHECK(r.text == "hello");
  CHECK(policy::ReadFileBounded("/nonexistent/policy-bounded", 10).status ==
        policy::BoundedRead::Status::kCannotOpen);
  policy::BoundedRead dir = policy::ReadFileBounded(fs::temp_directory_path().string(), 10);
  CHECK(dir.status == policy::BoundedRead::Status::kIsDirectory);
  CHECK(dir.Reason() == "is a directory");
}

TEST_CASE("bounded read: a file larger than one read block is read whole") {
  std::string text;
  for (int i = 0; i < 50000; ++i) text += std::to_string(i) + "\n";
  fs::path p = TempFile("blocks", text);
  policy::BoundedRead r = policy::ReadFileBounded(p.string(), text.size());
  CHECK(r.ok());
  CHECK(r.text == text);
  fs::remove(p);
}
