#include <string>

#include "helpers.h"

namespace policy::load::test {
namespace {

TEST_CASE("yaml: scalars, keys, items and empty values are located where written") {
  auto r = Yaml(
      "services:\n"
      "  web:\n"
      "    image: \"nginx:1.25\"\n"
      "    ports:\n"
      "      - \"80:80\"\n"
      "      - name: x\n"
      "    env:\n"
      "    command: echo hi\n");
  REQUIRE_MESSAGE(!r.error, ErrorText(r.error));
  REQUIRE(r.documents.size() == 1);
  const Value& root = r.documents[0]->root;
  CHECK(Where(At(root, "services.web")) == "2:3-2:6");  // at its key
  CHECK(Where(At(root, "services.web.image")) == "3:12-3:24");
  CHECK(At(root, "services.web.image")->has_flag(Value::kQuoted));
  CHECK(Where(At(root, "services.web.ports")) == "4:5-4:10");
  CHECK(Where(At(root, "services.web.ports[0]")) == "5:9-5:16");
  CHECK(Where(At(root, "services.web.ports[1]")) == "6:9");
  CHECK(At(root, "services.web.env")->is_null());
  CHECK(Where(At(root, "services.web.env")) == "7:5-7:8");
  CHECK(Where(At(root, "services.web.command")) == "8:14-8:21");
  CHECK(RenderPath(At(root, "services.web.ports[0]")->path()) == "services.web.ports[0]");
  CHECK(RenderPath(At(root, "services.web.ports[1].name")->path()) == "services.web.ports[1].name");
  CHECK(r.documents[0]->files == std::vector<std::string>{"in.yaml"});
}

TEST_CASE("yaml: columns count code points and skip the BOM, CRLF lines") {
  auto r = Yaml("\xEF\xBB\xBFnäme: \"é\"\r\nü: x\r\n");
  REQUIRE_MESSAGE(!r.error, ErrorText(r.error));
  const Value& root = r.documents[0]->root;
  CHECK(Where(At(root, "näme")) == "1:7-1:10");
  CHECK(Where(At(root, "ü")) == "2:4-2:5");
}

TEST_CASE("yaml: empty list item is located at its dash, explicit null where written") {
  auto r = Yaml("l:\n  -\n  - ~\nm: null\n");
  REQUIRE_MESSAGE(!r.error, ErrorText(r.error));
  const Value& root = r.documents[0]->root;
  CHECK(At(root, "l[0]")->is_null());
  CHECK(Where(At(root, "l[0]")) == "2:3");
  CHECK(Where(At(root, "l[1]")) == "3:5-3:6");
  CHECK(Where(At(root, "m")) == "4:4-4:8");
}

TEST_CASE("yaml: core schema typing") {
  struct Row {
    const char* text;
    Type type;
    const char* rendered;  // decimal text or string value; "" when not checked
  };
  const Row rows[] = {
      {"null", Type::kNull, ""},
      {"Null", Type::kNull, ""},
      {"NULL", Type::kNull, ""},
      {"~", Type::kNull, ""},
      {"true", Type::kBool, ""},
      {"False", Type::kBool, ""},
      {"TRUE", Type::kBool, ""},
      {"yes", Type::kString, "yes"},
      {"on", Type::kString, "on"},
      {"22:22", Type::kString, "22:22"},
      {".inf", Type::kString, ".inf"},
      {"2024-01-05", Type::kString, "2024-01-05"},
      {"42", Type::kDecimal, "42"},
      {"-1.50", Type::kDecimal, "-1.50"},
      {"+7", Type::kDecimal, "7"},
      {".5", Type::kDecimal, "0.5"},
      {"1e3", Type::kDecimal, "1000"},
      {"0x1F", Type::kDecimal, "31"},
      {"0o17", Type::kDecimal, "15"},
      {"0x", Type::kString, "0x"},
      {"0o8", Type::kString, "0o8"},
      {"1_000", Type::kString, "1_000"},
      {"123456789012345678901234567890123456789", Type::kString,
       "123456789012345678901234567890123456789"},
      {"\"42\"", Type::kString, "42"},
      {"'true'", Type::kString, "true"},
      {"!!str 5", Type::kString, "5"},
      {"! 5", Type::kString, "5"},
      {"!!int \"5\"", Type::kDecimal, "5"},
      {"!!float '1.5'", Type::kDecimal, "1.5"},
      {"!!bool \"true\"", Type::kBool, ""},
      {"!!binary \"12\"", Type::kString, "12"},
      {"!Ref 12", Type::kDecimal, "12"},
      {"!Ref \"12\"", Type::kString, "12"},
  };
  for (const Row& row : rows) {
    CAPTURE(row.text);
    auto r = Yaml(std::string("v: ") + row.text + "\n");
    REQUIRE_MESSAGE(!r.error, ErrorText(r.error));
    const Value* v = At(r.documents[0]->root, "v");
    REQUIRE(v != nullptr);
    CHECK(v->type() == row.type);
    if (row.type == Type::kDecimal) CHECK(Dec(v) == row.rendered);
    if (row.type == Type::kString) CHECK(Str(v) == row.rendered);
  }
  auto empty = Yaml("v:\n");
  CHECK(At(empty.documents[0]->root, "v")->is_null());
  auto b = Yaml("a: TRUE\nb: false\n");
  CHECK(At(b.documents[0]->root, "a")->as_bool());
  CHECK(!At(b.documents[0]->root, "b")->as_bool());
}

TEST_CASE("yaml: block and folded scalars are multi-line strings") {
  auto r = Yaml("a: |\n  one\n  two\nb: plain\n  continued\nc: \"x\n  y\"\n");
  REQUIRE_MESSAGE(!r.error, ErrorText(r.error));
  const Value& root = r.documents[0]->root;
  CHECK(Str(At(root, "a")) == "one\ntwo\n");
  CHECK(At(root, "a")->has_flag(Value::kMultiLine));
  CHECK(Str(At(root, "b")) == "plain continued");
  CHECK(At(root, "b")->has_flag(Value::kMultiLine));
  CHECK(At(root, "c")->has_flag(Value::kMultiLine));
  CHECK(At(root, "c")->has_flag(Value::kQuoted));
  CHECK(At(root, "a")->loc().end_line == 0);
}

TEST_CASE("yaml: aliases are located at the anchor with their own path") {
  auto r = Yaml(
      "base: &b\n"
      "  image: redis\n"
      "  list: [1, 2]\n"
      "copy: *b\n"
      "s: &s hello\n"
      "t: *s\n");
  REQUIRE_MESSAGE(!r.error, ErrorText(r.error));
  const Value& root = r.documents[0]->root;
  const Value* img = At(root, "copy.image");
  REQUIRE(img != nullptr);
  CHECK(Str(img) == "redis");
  CHECK(Where(img) == "2:10-2:15");
  CHECK(img->has_flag(Value::kFromAlias));
  CHECK(RenderPath(img->path()) == "copy.image");
  CHECK(RenderPath(At(root, "copy.list[1]")->path()) == "copy.list[1]");
  CHECK(!At(root, "base.image")->has_flag(Value::kFromAlias));
  CHECK(Str(At(root, "t")) == "hello");
  CHECK(Where(At(root, "t")) == "5:7-5:12");
  CHECK(RenderPath(At(root, "t")->path()) == "t");
}

TEST_CASE("yaml: merge keys: own keys win, earlier sources win, order own then merged") {
  auto r = Yaml(
      "a: &a {x: 1, y: 1, p: a}\n"
      "b: &b {y: 2, z: 2, p: b}\n"
      "m:\n"
      "  <<: [*a, *b]\n"
      "  y: own\n"
      "n:\n"
      "  w: 0\n"
      "  <<: *b\n");
  REQUIRE_MESSAGE(!r.error, ErrorText(r.error));
  const Value& root = r.documents[0]->root;
  const Value* m = At(root, "m");
  REQUIRE(m->is(Type::kMap));
  std::string keys;
  for (const MapEntry& e : m->as_map()) keys += std::string(e.key) + ",";
  CHECK(keys == "y,x,p,z,");
  CHECK(Str(At(root, "m.y")) == "own");
  CHECK(Str(At(root, "m.p")) == "a");
  CHECK(Dec(At(root, "m.z")) == "2");
  CHECK(Where(At(root, "m.z")) == "2:17-2:18");
  CHECK(RenderPath(At(root, "m.z")->path()) == "m.z");
  CHECK(m->Find("<<") == nullptr);
  CHECK(Dec(At(root, "n.z")) == "2");
  CHECK(Dec(At(root, "n.w")) == "0");
}

TEST_CASE("yaml: a quoted << is an ordinary key, a bad merge source is an error") {
  auto r = Yaml("m:\n  \"<<\": 1\n");
  REQUIRE_MESSAGE(!r.error, ErrorText(r.error));
  CHECK(At(r.documents[0]->root, "m")->Find("<<") != nullptr);
  auto bad = Yaml("m:\n  <<: 5\n");
  REQUIRE(bad.error);
  CHECK(bad.error->line == 2);
  CHECK(bad.error->message.find("merge") != std::string::npos);
}

TEST_CASE("yaml: duplicate keys name both lines") {
  auto r = Yaml("services:\n  web:\n    image: a\n    ports: []\n    image: b\n");
  REQUIRE(r.error);
  CHECK(r.error->file == "in.yaml");
  CHECK(r.error->line == 5);
  CHECK(r.error->column == 5);
  CHECK(r.error->message == "duplicate key 'image' (first at line 3)");
  CHECK(r.documents.empty());
  // Many keys: the hashed path finds duplicates too.
  std::string big;
  for (int i = 0; i < 100; ++i) big += "k" + std::to_string(i) + ": 1\n";
  big += "k42: 2\n";
  auto r2 = Yaml(big);
  REQUIRE(r2.error);
  CHECK(r2.error->line == 101);
  CHECK(r2.error->message == "duplicate key 'k42' (first at line 43)");
}

TEST_CASE("yaml: invalid UTF-8 and binary input are clear errors") {
  auto r = Yaml("a: ok\nb: x\xC3\x28y\n");
  REQUIRE(r.error);
  CHECK(r.error->line == 2);
  CHECK(r.error->column == 5);
  CHECK(r.error->message == "invalid UTF-8");
  std::string garbage(
      "\x7F"
      "ELF\x02\x01\x01\x00\x00\x00",
      10);
  auto g = Yaml(garbage);
  REQUIRE(g.error);
  CHECK(g.error->line == 1);
  CHECK(g.error->column == 1);
  auto z = Yaml(std::string("a: 1\nb: \0\n", 10));
  REQUIRE(z.error);
  CHECK(z.error->line == 2);
  CHECK(z.error->message.find("U+0000") != std::string::npos);
}

TEST_CASE("yaml: syntax errors carry line and column") {
  auto r = Yaml("a: [1, 2\nb: 3\n");
  REQUIRE(r.error);
  CHECK(r.error->line >= 1);
  CHECK(r.error->message.find("YAML syntax error") == 0);
  auto r2 = Yaml("a: b: c\n");
  REQUIRE(r2.error);
  CHECK(r2.error->line == 1);
  CHECK(r2.error->column > 1);
}

TEST_CASE("yaml: documents: several when allowed, a second one is an error when single") {
  auto multi = Yaml("a: 1\n---\nb: 2\n---\n- x\n", false);
  REQUIRE_MESSAGE(!multi.error, ErrorText(multi.error));
  REQUIRE(multi.documents.size() == 3);
  CHECK(Dec(At(multi.documents[1]->root, "b")) == "2");
  CHECK(Where(At(multi.documents[1]->root, "b")) == "3:4-3:5");
  CHECK(multi.documents[2]->root.is(Type::kList));
  auto single = Yaml("a: 1\n---\nb: 2\n", true);
  REQUIRE(single.error);
  CHECK(single.error->line == 2);
  auto empty = Yaml("", true);
  REQUIRE(!empty.error);
  REQUIRE(empty.documents.size() == 1);
  CHECK(empty.documents[0]->root.is_null());
  CHECK(Yaml("# only a comment\n", false).documents.empty());
}

TEST_CASE("yaml: scalar keys become their text, a list or mapping key is an input error") {
  auto r = Yaml("80: a\ntrue: b\n1.50: c\n&k key: d\nagain: *k\n");
  REQUIRE_MESSAGE(!r.error, ErrorText(r.error));
  const Value& root = r.documents[0]->root;
  CHECK(Str(root.Find("80")) == "a");
  CHECK(Str(root.Find("true")) == "b");
  CHECK(Str(root.Find("1.50")) == "c");
  CHECK(Str(root.Find("key")) == "d");
  CHECK(Str(root.Find("again")) == "key");  // an anchored key's alias is its text
  auto list_key = Yaml("a: 1\n? [x, y]\n: d\n");
  REQUIRE(list_key.error);
  CHECK(ErrorText(list_key.error) ==
        "in.yaml:2:3: a list used as a key: valid YAML, but a policy value's keys are text");
  auto map_key = Yaml("{x: 1}: d\n");
  REQUIRE(map_key.error);
  CHECK(map_key.error->message.find("a mapping used as a key") == 0);
  auto alias_key = Yaml("a: &m {x: 1}\n*m : d\n");
  REQUIRE(alias_key.error);
  CHECK(alias_key.error->line == 2);
  CHECK(alias_key.error->message.find("a mapping used as a key") == 0);
}

TEST_CASE("yaml: values outlive the input text") {
  std::string text = "a: hello\nb: [x]\n";
  auto r = Yaml(text);
  text.assign(text.size(), '#');
  CHECK(Str(At(r.documents[0]->root, "a")) == "hello");
  CHECK(Str(At(r.documents[0]->root, "b[0]")) == "x");
}

TEST_CASE("yaml: nesting deeper than max_depth is an error, not a crash") {
  auto flow = Yaml(std::string(100000, '['));
  REQUIRE(flow.error);
  CHECK(flow.error->line == 1);
  std::string block;
  for (int i = 0; i < 300; ++i) block += std::string(static_cast<std::size_t>(i), ' ') + "k:\n";
  auto deep = Yaml(block);
  REQUIRE(deep.error);
  CHECK(deep.error->message == "nesting deeper than 256 levels");
  CHECK(deep.error->line == 257);
  LoadLimits tight;
  tight.max_depth = 3;
  CHECK(Yaml("a: {b: {c: 1}}\n", true, tight).error == std::nullopt);
  auto too_deep = Yaml("a: {b: {c: {d: 1}}}\n", true, tight);
  REQUIRE(too_deep.error);
  CHECK(too_deep.error->column == 12);
}

TEST_CASE("yaml: an alias bomb is an error") {
  std::string bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
  char prev = 'a';
  for (char c = 'b'; c <= 'j'; ++c) {
    bomb += std::string(1, c) + ": &" + c + " [";
    for (int i = 0; i < 10; ++i) bomb += std::string(i ? ", *" : "*") + prev;
    bomb += "]\n";
    prev = c;
  }
  auto r = Yaml(bomb);
  REQUIRE(r.error);
  CHECK(r.error->message == "alias expansion exceeds 1000000 values");
  CHECK(r.error->line >= 5);
  LoadLimits small;
  small.max_alias_nodes = 20;
  auto ok = Yaml("a: &a [1, 2]\nb: *a\nc: *a\n", true, small);
  CHECK_MESSAGE(!ok.error, ErrorText(ok.error));
  auto over = Yaml("a: &a [1, 2, 3, 4, 5, 6, 7, 8, 9]\nb: *a\nc: *a\nd: *a\n", true, small);
  REQUIRE(over.error);
  CHECK(over.error->line == 4);  // 10 + 10 values fit, the third copy does not
}

TEST_CASE("yaml: a recursive alias is an error") {
  auto r = Yaml("a: &a [*a]\n");
  REQUIRE(r.error);
  CHECK(r.error->line == 1);
}

}  // namespace
}  // namespace policy::load::test
