#include "builtin_test_util.h"

using namespace policy;
using policy::eval::testing::Runner;

namespace {

const std::string kHex(64, 'a');

// "registry|repository|tag|digest" with "-" for null, or "null".
std::string Parts(Runner& r, std::string_view ref) {
  Value v = r.Call("parse_image", {r.S(ref)});
  REQUIRE_FALSE(r.ctx.error.set());
  if (v.is_null()) return "null";
  std::string out;
  for (const char* field : {"registry", "repository", "tag", "digest"}) {
    const Value* f = v.Find(field);
    REQUIRE(f != nullptr);
    if (!out.empty()) out += '|';
    out += f->is_null() ? std::string("-") : std::string(f->as_string());
  }
  return out;
}

}  // namespace

TEST_CASE("parse_image: names without a registry") {
  Runner r;
  CHECK(Parts(r, "redis") == "-|redis|-|-");
  CHECK(Parts(r, "redis:7-alpine") == "-|redis|7-alpine|-");
  CHECK(Parts(r, "library/redis:latest") == "-|library/redis|latest|-");
  CHECK(Parts(r, "bitnami/postgresql:16.2.0-debian-12-r8") ==
        "-|bitnami/postgresql|16.2.0-debian-12-r8|-");
  CHECK(Parts(r, "my_org/my__app/sub-name---x:v1.0_rc") ==
        "-|my_org/my__app/sub-name---x|v1.0_rc|-");
}

TEST_CASE("parse_image: registries") {
  Runner r;
  CHECK(Parts(r, "localhost:5000/a/b:1.0") == "localhost:5000|a/b|1.0|-");
  CHECK(Parts(r, "localhost/a") == "localhost|a|-|-");
  CHECK(Parts(r, "ghcr.io/x/y@sha256:" + kHex) == "ghcr.io|x/y|-|sha256:" + kHex);
  CHECK(Parts(r, "docker.io/library/nginx:1.25") == "docker.io|library/nginx|1.25|-");
  CHECK(Parts(r, "registry.example.com:443/team/app") == "registry.example.com:443|team/app|-|-");
  CHECK(Parts(r, "Registry/app") == "Registry|app|-|-");
  CHECK(Parts(r, "[::1]:5000/app:1") == "[::1]:5000|app|1|-");
}

TEST_CASE("parse_image: tags and digests") {
  Runner r;
  CHECK(Parts(r, "nginx:latest@sha256:" + kHex) == "-|nginx|latest|sha256:" + kHex);
  CHECK(Parts(r, "nginx@sha512:" + std::string(128, '0')) ==
        "-|nginx|-|sha512:" + std::string(128, '0'));
  CHECK(Parts(r, "nginx@sha256:" + std::string(63, 'a')) == "null");
  CHECK(Parts(r, "nginx@sha256:" + std::string(64, 'A')) == "null");
  CHECK(Parts(r, "nginx@md5:abc") == "null");
  CHECK(Parts(r, "nginx:" + std::string(128, 't')) == "-|nginx|" + std::string(128, 't') + "|-");
  CHECK(Parts(r, "nginx:" + std::string(129, 't')) == "null");
  CHECK(Parts(r, "nginx:.bad") == "null");
}

TEST_CASE("parse_image: invalid or interpolated references are null") {
  Runner r;
  for (const char* bad :
       {"", "${IMG}", "redis:${TAG}", "Redis", "redis:", ":tag", "a//b", "/a", "a/", "-a", "a-",
        "a..b", "a___b", "host:port/x", "re dis", "redis:7 ", "nginx@", "a@b@c", "localhost:/a"}) {
    CHECK_MESSAGE(Parts(r, bad) == "null", bad);
  }
  CHECK(Parts(r, std::string(256, 'a')) == "null");
  CHECK(Parts(r, std::string(255, 'a')) == "-|" + std::string(255, 'a') + "|-|-");
}

TEST_CASE("parse_image: fields carry the reference's origin") {
  Runner r;
  Value v = r.Call("parse_image", {r.Located("redis:7-alpine", 12, 12)});
  REQUIRE(v.is(Type::kMap));
  const Value* tag = v.Find("tag");
  REQUIRE(tag != nullptr);
  CHECK(tag->as_string() == "7-alpine");
  CHECK(tag->loc().line == 12);
  CHECK(tag->loc().column == 12);
  CHECK(v.Find("registry")->is_null());
  CHECK(r.Text("parse_image", {r.N("1")}) == "error type.mismatch");
  CHECK(r.Text("parse_image", {Value::Null()}) == "null");
}
