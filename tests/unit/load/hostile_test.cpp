// Every file directly in tests/hostile must give a clear input error (file, line, message),
// never a crash, a hang or a silent success.
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

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
    // A line that is no record is reported and the reading goes on: the first one.
    while (parser.Next(rec, arena, error)) {
      if (rec.bad && !error) error = rec.bad;
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

TEST_CASE("hostile: dotenv fixtures are input errors with a position") {
  struct Row {
    const char* file;
    uint32_t line, column;
    const char* message_part;
  };
  const Row rows[] = {
      {"unterminated.env", 2, 14, "unterminated quoted value"},  // at the opening quote
      {"nul_bytes.env", 2, 5, "U+0000"},
      {"invalid_utf8.env", 2, 9, "invalid UTF-8"},
      {"garbage.bin", 1, 0, ""},
  };
  for (const Row& row : rows) {
    CAPTURE(row.file);
    DotenvResult r = LoadDotenv(ReadFixture(row.file), row.file, {});
    REQUIRE(r.error);
    CHECK_FALSE(r.document);
    CHECK(r.error->file == row.file);
    CHECK(r.error->line == row.line);
    if (row.column != 0) CHECK(r.error->column == row.column);
    CHECK(r.error->column > 0);
    CHECK_MESSAGE(r.error->message.find(row.message_part) != std::string::npos, r.error->message);
  }
  // A 16 MiB line of one value is within the limits; one byte more is a located error.
  const LoadLimits limits;
  std::string huge = "K=" + std::string(limits.max_line_length - 2, 'x');
  DotenvResult fits = LoadDotenv(huge, "huge.env", limits);
  REQUIRE(fits.document);
  CHECK(fits.document->root.Find("K")->as_string().size() == limits.max_line_length - 2);
  DotenvResult over = LoadDotenv(huge + "x\nB=2\n", "huge.env", limits);
  REQUIRE(over.error);
  CHECK(over.error->line == 1);
  CHECK(over.error->code == DiagCode::kInputTooLarge);
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

// ---- Sizes that once took quadratic time or memory (E5) ---------------------
// Each input is generated here at the size that hung; the checks are on the
// answer, which a quadratic path would not give before the test timed out.

TEST_CASE("hostile: a CSV header of 100 000 columns names each duplicate's first column") {
  const std::size_t n = 100'000;
  std::string header;
  for (std::size_t i = 0; i < n; ++i) {
    if (i) header += ',';
    header += "c" + std::to_string(i % (n / 2));  // the second half repeats the first
  }
  ChunkOptions options;
  auto reader = OpenRecords("wide.csv", options, header + "\n");
  REQUIRE_FALSE(reader->error());
  const CsvHeader& h = reader->header();
  CHECK(h.names.size() == n);
  CHECK(h.duplicate_names);
  REQUIRE(h.issues.size() == n / 2);
  CHECK(h.issues.front().message == "duplicate column name 'c0' (also column 1)");
  CHECK(h.issues.back().message == "duplicate column name 'c49999' (also column 50000)");

  auto unique = OpenRecords("u.csv", options, std::string("a,b,\"a \"\n1,2,3\n"));
  CHECK(unique->header().duplicate_names);  // names are trimmed: "a " is a
  auto distinct = OpenRecords("d.csv", options, std::string("a,b,c\n"));
  CHECK_FALSE(distinct->header().duplicate_names);
  CHECK(distinct->header().issues.empty());
}

TEST_CASE("hostile: 100 000 list-form environment entries become a map in one pass") {
  const std::size_t n = 100'000;
  std::string yaml = "services:\n  web:\n    image: nginx:1.25\n    environment:\n";
  for (std::size_t i = 0; i < n; ++i) yaml += "      - V" + std::to_string(i % (n / 2)) + "=x\n";
  yaml += "      - V7=last\n";
  auto c = Normalized(yaml);
  const Value* env = At(c.root(), "services.web.environment");
  REQUIRE(env != nullptr);
  REQUIRE(env->is(Type::kMap));
  CHECK(env->as_map().size() == n / 2);
  CHECK(env->as_map()[7].key == "V7");
  CHECK(Str(At(c.root(), "services.web.environment.V7")) == "last");  // a later item wins
  CHECK(Where(At(c.root(), "services.web.environment.V7")).rfind(std::to_string(n + 5) + ":", 0) ==
        0);
}

TEST_CASE("hostile: merging files of 50 000 ports and environment names is one pass each") {
  const std::size_t n = 50'000;
  auto file = [&](const char* value) {
    std::string yaml = "services:\n  web:\n    environment:\n";
    for (std::size_t i = 0; i < n; ++i) yaml += "      V" + std::to_string(i) + ": " + value + "\n";
    yaml += "    ports:\n";
    for (std::size_t i = 0; i < n; ++i) yaml += "      - \"" + std::to_string(i + 1) + ":80\"\n";
    return yaml;
  };
  std::vector<std::unique_ptr<Document>> docs;
  for (const char* value : {"a", "b"}) {
    auto r = LoadYaml(file(value), std::string(value) + ".yaml", {}, true);
    REQUIRE_MESSAGE(!r.error, ErrorText(r.error));
    NormalizeCompose(*r.documents[0]);
    docs.push_back(std::move(r.documents[0]));
  }
  std::optional<InputError> error;
  auto merged = MergeCompose(std::move(docs), error);
  REQUIRE_FALSE(error);
  CHECK(At(merged->root, "services.web.environment")->as_map().size() == n);
  CHECK(Str(At(merged->root, "services.web.environment.V123")) == "b");
  CHECK(At(merged->root, "services.web.ports")->as_list().size() == n);  // the same ports
}

// A chain where each service adds a key: service i inherits i values, n*n/2 in all.
std::string GrowingExtendsChain(std::size_t n) {
  std::string yaml = "services:\n  s0:\n    image: nginx:1.25\n";
  for (std::size_t i = 1; i < n; ++i) {
    yaml += "  s" + std::to_string(i) + ":\n    extends: s" + std::to_string(i - 1) +
            "\n    labels:\n      l" + std::to_string(i) + ": x\n";
  }
  return yaml;
}

TEST_CASE("hostile: an extends chain of 4 000 services is capped with a located error") {
  auto r = LoadYaml(GrowingExtendsChain(4'000), "chain.yaml", {}, true);
  REQUIRE_FALSE(r.error);
  Document& doc = *r.documents[0];
  std::optional<InputError> error = NormalizeCompose(doc);
  REQUIRE(error);
  CHECK(error->file == "chain.yaml");
  CHECK(error->line > 4);
  CHECK(error->column == 14);  // the base's name after `extends: `
  CHECK(error->message.find("extends") != std::string::npos);
  CHECK(error->message.find("1000000") != std::string::npos);
  // The services stay as written: s1 did not get s0's image.
  CHECK(At(doc.root, "services.s1.image") == nullptr);
}

TEST_CASE("hostile: the extends cap counts copied values, so a long flat chain resolves") {
  // 4 000 services that add nothing copy 2 values each: far below the cap.
  std::string yaml = "services:\n  s0:\n    image: nginx:1.25\n";
  for (std::size_t i = 1; i < 4'000; ++i)
    yaml += "  s" + std::to_string(i) + ":\n    extends: s" + std::to_string(i - 1) + "\n";
  auto r = LoadYaml(yaml, "flat.yaml", {}, true);
  REQUIRE_FALSE(r.error);
  CHECK_FALSE(NormalizeCompose(*r.documents[0]));
  CHECK(Str(At(r.documents[0]->root, "services.s3999.image")) == "nginx:1.25");

  // The limit is exact: 10 services of the growing chain copy 2+3+...+10 values
  // (each base: its map, its labels map, its labels, its image).
  LoadLimits limits;
  auto count = [&](uint64_t max_values) {
    limits.max_extends_values = max_values;
    auto again = LoadYaml(GrowingExtendsChain(10), "ten.yaml", {}, true);
    REQUIRE_FALSE(again.error);
    return NormalizeCompose(*again.documents[0], limits).has_value();
  };
  uint64_t needed = 0;
  while (count(needed)) ++needed;
  CHECK(needed > 10);
  CHECK(count(needed - 1));
  CHECK_FALSE(count(needed));
}

}  // namespace
}  // namespace policy::load::test
