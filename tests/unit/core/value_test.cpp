#include "libpolicy/value.h"

#include <doctest/doctest.h>

#include <vector>

using namespace policy;

namespace {

Value Num(const char* text) { return Value::Number(*Decimal::Parse(text)); }

}  // namespace

TEST_CASE("value: type names") {
  CHECK(TypeName(Type::kNull) == "null");
  CHECK(TypeName(Type::kBool) == "bool");
  CHECK(TypeName(Type::kDecimal) == "decimal");
  CHECK(TypeName(Type::kString) == "string");
  CHECK(TypeName(Type::kDate) == "date");
  CHECK(TypeName(Type::kList) == "list");
  CHECK(TypeName(Type::kMap) == "map");
  CHECK(TypeName(Type::kRegex) == "regex");
}

TEST_CASE("value: paths bracket keys that are not identifiers") {
  PathNode services{nullptr, "services", -1};
  PathNode redis{&services, "redis", -1};
  PathNode image{&redis, "image", -1};
  CHECK(RenderPath(&image) == "services.redis.image");
  PathNode ports{&redis, "ports", -1};
  PathNode first{&ports, {}, 0};
  PathNode target{&first, "target", -1};
  CHECK(RenderPath(&target) == "services.redis.ports[0].target");
  PathNode labels{&redis, "labels", -1};
  PathNode dotted{&labels, "traefik.enable", -1};
  CHECK(RenderPath(&dotted) == "services.redis.labels[\"traefik.enable\"]");
  PathNode root_odd{nullptr, "Buyer Name", -1};
  CHECK(RenderPath(&root_odd) == "[\"Buyer Name\"]");
  PathNode digit_first{&services, "1st", -1};
  CHECK(RenderPath(&digit_first) == "services[\"1st\"]");
  PathNode quote{&services, "a\"b", -1};
  CHECK(RenderPath(&quote) == "services[\"a\\\"b\"]");
  CHECK(RenderPath(nullptr).empty());
  PathNode row{nullptr, "row", -1};
  PathNode tin{&row, "_tin2", -1};
  CHECK(RenderPath(&tin) == "row._tin2");
}

TEST_CASE("value: equality") {
  CHECK(Equal(Value::Null(), Value::Null()));
  CHECK(!Equal(Value::Null(), Value::Bool(false)));
  CHECK(Equal(Num("1.50"), Num("1.5")));
  CHECK(!Equal(Num("1"), Value::String("1")));
  CHECK(Equal(Value::String("a"), Value::String("a")));
  CHECK(!Equal(Value::String("a"), Value::String("A")));
  CHECK(Equal(Value::OfDate(*Date::ParseIso("2024-01-01")),
              Value::OfDate(*Date::FromYmd(2024, 1, 1))));
  Value l1[] = {Value::String("a"), Num("1")};
  Value l2[] = {Value::String("a"), Num("1.0")};
  Value l3[] = {Num("1"), Value::String("a")};
  CHECK(Equal(Value::List(l1, 2), Value::List(l2, 2)));
  CHECK(!Equal(Value::List(l1, 2), Value::List(l3, 2)));
  CHECK(!Equal(Value::List(l1, 2), Value::List(l1, 1)));
  MapEntry m1[] = {{"a", Num("1")}, {"b", Value::String("x")}};
  MapEntry m2[] = {{"b", Value::String("x")}, {"a", Num("1.00")}};
  MapEntry m3[] = {{"b", Value::String("y")}, {"a", Num("1")}};
  MapEntry m4[] = {{"a", Num("1")}, {"a", Num("1")}};
  CHECK(Equal(Value::Map(m1, 2), Value::Map(m2, 2)));
  CHECK(!Equal(Value::Map(m1, 2), Value::Map(m3, 2)));
  CHECK(!Equal(Value::Map(m1, 2), Value::Map(m1, 1)));
  CHECK(!Equal(Value::Map(m1, 2), Value::Map(m4, 2)));
  CHECK(!Equal(Value::Map(m4, 2), Value::Map(m1, 2)));
}

TEST_CASE("value: find") {
  MapEntry m[] = {{"a", Num("1")}, {"b", Value::String("x")}};
  Value map = Value::Map(m, 2);
  REQUIRE(map.Find("b") != nullptr);
  CHECK(map.Find("b")->as_string() == "x");
  CHECK(map.Find("c") == nullptr);
  CHECK(Value::String("b").Find("b") == nullptr);
}

TEST_CASE("value: rendering") {
  CHECK(ToText(Value::Null()) == "null");
  CHECK(ToText(Value::Bool(true)) == "true");
  CHECK(ToText(Num("15.00")) == "15.00");
  CHECK(ToText(Value::String("he said \"hi\"")) == "he said \"hi\"");
  CHECK(ToJson(Value::String("he said \"hi\"")) == "\"he said \\\"hi\\\"\"");
  CHECK(ToText(Value::OfDate(*Date::FromYmd(2024, 7, 1))) == "2024-07-01");
  CHECK(ToJson(Value::OfDate(*Date::FromYmd(2024, 7, 1))) == "\"2024-07-01\"");
  Value items[] = {Value::String("a"), Num("1.50"), Value::Null(), Value::Bool(false),
                   Value::OfDate(*Date::FromYmd(2024, 1, 2))};
  CHECK(ToText(Value::List(items, 5)) == "[\"a\",1.50,null,false,\"2024-01-02\"]");
  MapEntry m[] = {{"k", Value::String("v")}, {"n", Value::List(items, 2)}};
  CHECK(ToText(Value::Map(m, 2)) == "{\"k\":\"v\",\"n\":[\"a\",1.50]}");
  CHECK(ToText(Value::List(nullptr, 0)) == "[]");
  CHECK(ToText(Value::Map(nullptr, 0)) == "{}");
  std::string out = "x=";
  RenderText(Num("-0.30"), out);
  CHECK(out == "x=-0.30");
}

TEST_CASE("value: JSON strings escape control characters") {
  std::string out;
  AppendJsonString("a\\b\n\t\x01\x7f\xe0\xa7\xa6", out);
  CHECK(out == "\"a\\\\b\\n\\t\\u0001\\u007f\xe0\xa7\xa6\"");
}

TEST_CASE("value: arena builders") {
  Arena arena;
  std::string temp = "temporary";
  Value s = MakeString(arena, temp);
  temp = "overwritten";
  CHECK(s.as_string() == "temporary");
  std::vector<Value> items = {Num("1"), Value::String("two")};
  Value list = MakeList(arena, items);
  items.clear();
  REQUIRE(list.as_list().size() == 2);
  CHECK(list.as_list()[1].as_string() == "two");
  CHECK(MakeList(arena, {}).as_list().empty());
  CHECK(MakeString(arena, "").as_string().empty());
}

TEST_CASE("value: kAscii describes a string's text, not where it came from") {
  policy::Value cell = policy::Value::String("abc");
  cell.set_flags(policy::Value::kAscii | policy::Value::kQuoted);
  CHECK(cell.known_ascii());
  // A result located at the cell (trim(), substr(), ...) takes its origin's
  // quoting and place, but what is known of its own text only.
  const policy::Value made = policy::Value::String("\xe0\xa6\x95").WithOriginOf(cell);
  CHECK_FALSE(made.known_ascii());
  CHECK(made.has_flag(policy::Value::kQuoted));
  policy::Value ascii_result = policy::Value::String("ab");
  ascii_result.set_flags(policy::Value::kAscii);
  policy::Value plain = policy::Value::String("xy");
  CHECK(ascii_result.WithOriginOf(plain).known_ascii());
  // Only strings are ever known ASCII.
  policy::Value number = policy::Value::Number(policy::Decimal::FromInt(1));
  number.set_flags(policy::Value::kAscii);
  CHECK_FALSE(number.known_ascii());
}
