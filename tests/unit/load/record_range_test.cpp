// The chunk reader on a byte range (a partition): the header from the input's
// start, then only the range, lines counted from its first line.
#include <doctest/doctest.h>

#include <optional>
#include <string>
#include <vector>

#include "libpolicy/load/loaders.h"

namespace {

using namespace policy::load;

// The records' first lines and texts that a reader on `range` hands out.
std::vector<std::pair<uint32_t, std::string>> Records(std::unique_ptr<ChunkReader> reader,
                                                      const ChunkOptions& options) {
  std::vector<std::pair<uint32_t, std::string>> out;
  REQUIRE(!reader->error());
  RecordParser parser(options, &reader->header(), "in.csv");
  policy::Arena arena;
  RecordChunk chunk;
  while (reader->Next(chunk)) {
    parser.Reset(&chunk);
    Record rec;
    std::optional<InputError> error;
    while (parser.Next(rec, arena, error)) out.emplace_back(rec.line, std::string(rec.text));
  }
  return out;
}

const std::string kText = "id,n,n\na,1,\"x\ny\"\nb,2,z\nc,3,w\n";  // records at 7, 17, 23; 29 bytes

}  // namespace

TEST_CASE("record range: the header from the start, then only the range, lines exact") {
  ChunkOptions options;
  auto reader = OpenRecords("in.csv", options, kText, policy::RecordRange{17, 23, 4});
  CHECK(reader->header().names == std::vector<std::string>{"id", "n", "n"});
  CHECK(reader->header().duplicate_names);
  CHECK(reader->header().issues.empty());  // the first partition's to report
  CHECK(Records(std::move(reader), options) ==
        std::vector<std::pair<uint32_t, std::string>>{{4, "b,2,z"}});
  // The first partition reads as the whole input would, up to its end.
  auto first = OpenRecords("in.csv", options, kText, policy::RecordRange{0, 17, 1});
  CHECK(first->header().issues.size() == 1);
  CHECK(Records(std::move(first), options) ==
        std::vector<std::pair<uint32_t, std::string>>{{2, "a,1,\"x\ny\""}});
}

TEST_CASE("record range: none given, the whole input") {
  ChunkOptions options;
  CHECK(Records(OpenRecords("in.csv", options, kText), options).size() == 3);
}
