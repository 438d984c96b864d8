// Every file in tests/hostile must give a clear input error (file, line, message),
// never a crash, a hang or a silent success.
#include <fstream>
#include <sstream>
#include <string>

#include "helpers.h"

namespace policy::load::test {
namespace {

std::string ReadFixture(const std::string& name) {
  std::ifstream in(std::string(POLICY_SOURCE_DIR) + "/tests/hostile/" + name, std::ios::binary);
  REQUIRE_MESSAGE(in.good(), name);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::optional<InputError> FirstRecordError(const std::string& name, RecordFormat format) {
  ChunkOptions options;
  options.format = format;
  options.chunk_bytes = 8;
  auto reader = OpenRecords(std::string(POLICY_SOURCE_DIR) + "/tests/hostile/" + name, options);
  RecordParser parser(options, &reader->header(), name);
  RecordChunk chunk;
  Record rec;
  Arena arena;
  std::optional<InputError> error;
  while (!error && reader->Next(chunk)) {
    parser.Reset(&chunk);
    while (parser.Next(rec, arena, error)) {
    }
  }
  return error ? error : reader->error();
}

TEST_CASE("hostile: YAML fixtures are input errors with a position") {
  struct Row {
    const char* file;
    uint32_t line;
    const char* message_part;
  };
  const Row rows[] = {
      {"billion_laughs.yaml", 0, "alias expansion exceeds"},
      {"duplicate_keys.yaml", 4, "duplicate key 'web' (first at line 2)"},
      {"merge_not_map.yaml", 1, "merge key"},
      {"recursive_alias.yaml", 2, "recursive alias"},
      {"invalid_utf8.yaml", 3, "invalid UTF-8"},
      {"garbage.bin", 1, ""},
  };
  for (const Row& row : rows) {
    CAPTURE(row.file);
    auto r = LoadYaml(ReadFixture(row.file), row.file, {}, true);
    REQUIRE(r.error);
    CHECK(r.error->file == row.file);
    CHECK(r.error->line > 0);
    if (row.line != 0) CHECK(r.error->line == row.line);
    CHECK(r.error->column > 0);
    CHECK_MESSAGE(r.error->message.find(row.message_part) != std::string::npos, r.error->message);
  }
}

TEST_CASE("hostile: JSON fixtures are input errors with a position") {
  auto utf = LoadJson(ReadFixture("invalid_utf8.json"), "invalid_utf8.json", {});
  REQUIRE(utf.error);
  CHECK(utf.error->column == 8);
  CHECK(utf.error->message == "invalid UTF-8");
  auto trailing = LoadJson(ReadFixture("trailing_garbage.json"), "trailing_garbage.json", {});
  REQUIRE(trailing.error);
  CHECK(trailing.error->line == 2);
  CHECK(trailing.error->column == 1);
  auto garbage = LoadJson(ReadFixture("garbage.bin"), "garbage.bin", {});
  REQUIRE(garbage.error);
  CHECK(garbage.error->line >= 1);
}

TEST_CASE("hostile: record fixtures stop with a position") {
  auto csv = FirstRecordError("unterminated.csv", RecordFormat::kCsv);
  REQUIRE(csv);
  CHECK(csv->line == 3);
  CHECK(csv->column == 3);
  auto jsonl = FirstRecordError("not_object.jsonl", RecordFormat::kJsonLines);
  REQUIRE(jsonl);
  CHECK(jsonl->line == 2);
  auto garbage = FirstRecordError("garbage.bin", RecordFormat::kJsonLines);
  REQUIRE(garbage);
  CHECK(garbage->line >= 1);
}

TEST_CASE("hostile: binary CSV input ends without a crash") {
  ChunkOptions options;
  options.chunk_bytes = 16;
  std::string text = ReadFixture("garbage.bin");
  auto reader = OpenRecords("garbage.bin", options, text);
  RecordParser parser(options, &reader->header(), "garbage.bin");
  RecordChunk chunk;
  Record rec;
  Arena arena;
  std::optional<InputError> error;
  std::size_t issues = 0;
  while (!error && reader->Next(chunk)) {
    parser.Reset(&chunk);
    while (parser.Next(rec, arena, error)) issues += rec.issues.size();
  }
  CHECK((error.has_value() || reader->error().has_value() || issues > 0));
}

}  // namespace
}  // namespace policy::load::test
