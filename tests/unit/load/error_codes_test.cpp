// Every input error carries a code of the table (diagnostic_codes.def), so a
// problem can be explained (`policy-check explain input.duplicate_key`).
#include <doctest/doctest.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "libpolicy/load/loaders.h"

namespace {

using namespace policy::load;
using policy::DiagCode;

std::string YamlCode(std::string_view text, bool single = true, LoadLimits limits = {}) {
  DocumentsResult r = LoadYaml(text, "in.yaml", limits, single);
  return r.error ? r.error->code_name() : "<none>";
}

std::string JsonCode(std::string_view text, LoadLimits limits = {}) {
  DocumentsResult r = LoadJson(text, "in.json", limits);
  return r.error ? r.error->code_name() : "<none>";
}

// The error of the first failing record of an in-memory record input.
std::optional<InputError> FirstRecordError(const std::string& text, RecordFormat format) {
  ChunkOptions options;
  options.format = format;
  auto reader = OpenRecords("in", options, text);
  if (reader->error()) return reader->error();
  RecordParser parser(options, &reader->header(), "in");
  policy::Arena arena;
  RecordChunk chunk;
  while (reader->Next(chunk)) {
    parser.Reset(&chunk);
    Record rec;
    std::optional<InputError> error;
    // A line that is no record is reported and the reading goes on: the first one.
    while (parser.Next(rec, arena, error)) {
      if (rec.bad) return rec.bad;
    }
    if (error) return error;
  }
  return reader->error();
}

}  // namespace

TEST_CASE("input errors: YAML") {
  CHECK(YamlCode("a: 1\n") == "<none>");
  CHECK(YamlCode("a: 1\na: 2\n") == "input.duplicate_key");
  CHECK(YamlCode("a: 1\n---\nb: 2\n") == "input.multiple_documents");
  CHECK(YamlCode("a: 1\n---\nb: 2\n", /*single=*/false) == "<none>");
  CHECK(YamlCode("a: [1, 2\n") == "input.syntax");
  CHECK(YamlCode("a: \xff\n") == "input.invalid_utf8");
  CHECK(YamlCode("a: \x01\n") == "input.control_character");
  CHECK(YamlCode("a: <<\nb:\n  <<: 3\n") == "input.bad_merge_key");
  LoadLimits shallow;
  shallow.max_depth = 2;
  CHECK(YamlCode("a: {b: {c: 1}}\n", true, shallow) == "input.too_deep");
  LoadLimits tiny;
  tiny.max_file_size = 4;
  CHECK(YamlCode("a: 12345\n", true, tiny) == "input.too_large");
  LoadLimits few_aliases;
  few_aliases.max_alias_nodes = 2;
  CHECK(YamlCode("a: &x [1, 2, 3]\nb: *x\nc: *x\n", true, few_aliases) == "input.alias_limit");
}

TEST_CASE("input errors: JSON and the place they name") {
  CHECK(JsonCode("{\"a\": 1}") == "<none>");
  CHECK(JsonCode("{\"a\": 1, \"a\": 2}") == "input.duplicate_key");
  CHECK(JsonCode("{\"a\": }") == "input.syntax");
  CHECK(JsonCode("\"\xff\"") == "input.invalid_utf8");
  LoadLimits shallow;
  shallow.max_depth = 1;
  CHECK(JsonCode("[[1]]", shallow) == "input.too_deep");
  DocumentsResult r = LoadJson("{\n  \"a\": 1,\n  \"a\": 2\n}", "in.json", {});
  REQUIRE(r.error);
  CHECK(r.error->file == "in.json");
  CHECK(r.error->line == 3);
  CHECK(r.error->column == 3);
}

TEST_CASE("input errors: records") {
  std::optional<InputError> quote = FirstRecordError("a,b\n1,\"2\n", RecordFormat::kCsv);
  REQUIRE(quote);
  CHECK(quote->code == DiagCode::kInputSyntax);
  std::optional<InputError> not_object = FirstRecordError("[1, 2]\n", RecordFormat::kJsonLines);
  REQUIRE(not_object);
  CHECK(not_object->code == DiagCode::kInputNotObject);
  CHECK(not_object->line == 1);
  std::optional<InputError> bad_line = FirstRecordError("{\"a\": }\n", RecordFormat::kJsonLines);
  REQUIRE(bad_line);
  CHECK(bad_line->code == DiagCode::kInputSyntax);

  ChunkOptions options;
  auto missing = OpenRecords("/nonexistent/x.csv", options);
  REQUIRE(missing->error());
  CHECK(missing->error()->code == DiagCode::kInputUnreadable);
}

TEST_CASE("MergeCompose returns a Result") {
  policy::Result<std::unique_ptr<policy::Document>> none = MergeCompose({});
  REQUIRE(none.ok());
  CHECK(none.value() != nullptr);
  CHECK(none.value()->root.is_null());

  std::vector<std::unique_ptr<policy::Document>> docs;
  for (const char* text : {"services: {a: {image: x}}\n", "services: {a: {image: y}}\n"}) {
    DocumentsResult r = LoadYaml(text, "c.yaml", {}, true);
    REQUIRE_FALSE(r.error);
    docs.push_back(std::move(r.documents[0]));
  }
  policy::Result<std::unique_ptr<policy::Document>> merged = MergeCompose(std::move(docs));
  REQUIRE(merged.ok());
  CHECK(merged.value()->files.size() == 2);
}
