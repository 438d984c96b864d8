#pragma once
// The keys of `unique` rules written down instead of decided, for a run split
// into tasks (partition.h, CheckOptions::defer_unique): every key with the
// place of its record, encoded compactly so that millions travel between
// processes, then decided in input order by ResolveUniqueKeys.
//
// Layout (version 1, little-endian): the magic "PUK1", a string table (u32
// count, then u32 length + bytes each), then entries to the end: u32 rule,
// u32 data set, u32 file (string ids), u32 line, u64 offset, u32 length,
// u32 first file (string id + 1; 0: none), u32 first line, u32 key length,
// key bytes.
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace policy::run {

struct UniqueLogEntry {
  std::string_view rule;      // the rule's id
  std::string_view data_set;  // the schema the input binds to; "" = the input alone
  std::string_view file;      // the input's display name
  uint32_t line = 0;
  uint64_t offset = 0;  // the record's bytes in the input: [offset, offset + length)
  uint32_t length = 0;
  std::string_view key;  // the bytes keys compare by
  // A repeat (ResolveUniqueKeys): where the key was first seen.
  std::string_view first_file;
  uint32_t first_line = 0;
};

class UniqueLogWriter {
 public:
  void Add(const UniqueLogEntry& e);
  // The same for a writer of many keys: its rule, data set and file given by
  // their ids (Intern), looked up once, not for every key.
  void Add(uint32_t rule, uint32_t data_set, uint32_t file, const UniqueLogEntry& e);
  uint32_t Intern(std::string_view s);
  bool empty() const { return body_.empty(); }
  std::string Finish() const;  // the encoded log

 private:
  std::map<std::string, uint32_t, std::less<>> ids_;
  std::vector<std::string> strings_;
  std::string body_;
};

// Reads an encoded log; throws std::invalid_argument when it is not one.
class UniqueLogReader {
 public:
  explicit UniqueLogReader(std::string_view log);
  // The next entry (its views point into the log), or false at the end.
  bool Next(UniqueLogEntry& e);

 private:
  std::string_view String(uint32_t id) const;
  std::string_view rest_;
  std::vector<std::string_view> strings_;
};

}  // namespace policy::run
