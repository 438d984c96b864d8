#include "libpolicy/bounded_read.h"

#include <algorithm>
#include <filesystem>
#include <fstream>

namespace policy {
namespace {

// Reads in blocks so that a stream with no size (a FIFO, /dev/zero, a pipe)
// is never asked for more than one block past the cap.
constexpr std::size_t kBlock = 64 * 1024;

// `size_hint`: the size the file says it has (0: unknown), reserved up front so
// that a regular file is one allocation of its size.
BoundedRead ReadBlocks(std::istream& in, uint64_t max_bytes, uint64_t size_hint) {
  BoundedRead out;
  out.cap = max_bytes;
  std::string& text = out.text;
  if (size_hint > 0 && size_hint <= max_bytes)
    text.reserve(static_cast<std::size_t>(size_hint) + 1);
  while (in) {
    // Never more than cap + 1 bytes in all: one byte past the cap proves it.
    const uint64_t room = max_bytes + 1 - text.size();
    std::size_t want = static_cast<std::size_t>(std::min<uint64_t>(kBlock, room));
    const std::size_t had = text.size();
    // Within a reserved text, stay in it: its last spare byte finds the end.
    if (text.capacity() > had) want = std::min(want, text.capacity() - had);
    text.resize(had + want);
    in.read(text.data() + had, static_cast<std::streamsize>(want));
    text.resize(had + static_cast<std::size_t>(in.gcount()));
    if (text.size() > max_bytes) {
      out.status = BoundedRead::Status::kTooLarge;
      std::string().swap(text);
      return out;
    }
  }
  if (in.bad()) {
    out.status = BoundedRead::Status::kReadError;
    std::string().swap(text);
  }
  return out;
}

}  // namespace

std::string BoundedRead::Reason() const {
  switch (status) {
    case Status::kOk:
      return "";
    case Status::kCannotOpen:
      return "cannot read the file";
    case Status::kIsDirectory:
      return "is a directory";
    case Status::kTooLarge:
      return "larger than " + std::to_string(cap) + " bytes";
    case Status::kReadError:
      return "error while reading the file";
  }
  return "";
}

BoundedRead ReadStreamBounded(std::istream& in, uint64_t max_bytes) {
  return ReadBlocks(in, max_bytes, 0);
}

BoundedRead ReadFileBounded(const std::string& path, uint64_t max_bytes) {
  BoundedRead out;
  out.cap = max_bytes;
  // A directory opens as an empty stream on Linux: it would read as an empty file.
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) {
    out.status = BoundedRead::Status::kIsDirectory;
    return out;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    out.status = BoundedRead::Status::kCannotOpen;
    return out;
  }
  // A regular file says its size: too large is known without reading, and
  // the text is allocated once. Other files (FIFOs, devices) are read to the cap.
  const uint64_t size = std::filesystem::is_regular_file(path, ec)
                            ? static_cast<uint64_t>(std::filesystem::file_size(path, ec))
                            : 0;
  if (!ec && size > max_bytes) {
    out.status = BoundedRead::Status::kTooLarge;
    return out;
  }
  return ReadBlocks(in, max_bytes, ec ? 0 : size);
}

}  // namespace policy
