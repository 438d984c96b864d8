#include "libpolicy/run/unique_log.h"

#include <cstring>
#include <stdexcept>

namespace policy::run {
namespace {

constexpr std::string_view kMagic = "PUK1";

template <class T>
void Put(std::string& out, T v) {
  char bytes[sizeof(T)];
  std::memcpy(bytes, &v, sizeof(T));  // the machines of one cluster share a byte order
  out.append(bytes, sizeof(T));
}

template <class T>
T Take(std::string_view& in) {
  if (in.size() < sizeof(T)) throw std::invalid_argument("unique key log: truncated");
  T v;
  std::memcpy(&v, in.data(), sizeof(T));
  in.remove_prefix(sizeof(T));
  return v;
}

std::string_view TakeBytes(std::string_view& in, uint32_t n) {
  if (in.size() < n) throw std::invalid_argument("unique key log: truncated");
  std::string_view out = in.substr(0, n);
  in.remove_prefix(n);
  return out;
}

}  // namespace

uint32_t UniqueLogWriter::Intern(std::string_view s) {
  auto it = ids_.find(s);
  if (it != ids_.end()) return it->second;
  const uint32_t id = static_cast<uint32_t>(strings_.size());
  strings_.emplace_back(s);
  ids_.emplace(std::string(s), id);
  return id;
}

void UniqueLogWriter::Add(const UniqueLogEntry& e) {
  Add(Intern(e.rule), Intern(e.data_set), Intern(e.file), e);
}

void UniqueLogWriter::Add(uint32_t rule, uint32_t data_set, uint32_t file,
                          const UniqueLogEntry& e) {
  Put(body_, rule);
  Put(body_, data_set);
  Put(body_, file);
  Put(body_, e.line);
  Put(body_, e.offset);
  Put(body_, e.length);
  Put(body_, e.first_file.empty() && e.first_line == 0 ? uint32_t{0} : Intern(e.first_file) + 1);
  Put(body_, e.first_line);
  Put(body_, static_cast<uint32_t>(e.key.size()));
  body_ += e.key;
}

std::string UniqueLogWriter::Finish() const {
  std::string out(kMagic);
  Put(out, static_cast<uint32_t>(strings_.size()));
  for (const std::string& s : strings_) {
    Put(out, static_cast<uint32_t>(s.size()));
    out += s;
  }
  return out + body_;
}

UniqueLogReader::UniqueLogReader(std::string_view log) : rest_(log) {
  if (rest_.substr(0, kMagic.size()) != kMagic)
    throw std::invalid_argument("not a unique key log (no PUK1 header)");
  rest_.remove_prefix(kMagic.size());
  const uint32_t count = Take<uint32_t>(rest_);
  if (count > rest_.size() / sizeof(uint32_t))
    throw std::invalid_argument("unique key log: truncated");
  strings_.reserve(count);
  for (uint32_t i = 0; i < count; ++i) strings_.push_back(TakeBytes(rest_, Take<uint32_t>(rest_)));
}

std::string_view UniqueLogReader::String(uint32_t id) const {
  if (id >= strings_.size()) throw std::invalid_argument("unique key log: bad string id");
  return strings_[id];
}

bool UniqueLogReader::Next(UniqueLogEntry& e) {
  if (rest_.empty()) return false;
  e.rule = String(Take<uint32_t>(rest_));
  e.data_set = String(Take<uint32_t>(rest_));
  e.file = String(Take<uint32_t>(rest_));
  e.line = Take<uint32_t>(rest_);
  e.offset = Take<uint64_t>(rest_);
  e.length = Take<uint32_t>(rest_);
  const uint32_t first = Take<uint32_t>(rest_);
  e.first_file = first == 0 ? std::string_view() : String(first - 1);
  e.first_line = Take<uint32_t>(rest_);
  e.key = TakeBytes(rest_, Take<uint32_t>(rest_));
  return true;
}

}  // namespace policy::run
