// `extends` within one compose file, resolved by NormalizeCompose.
#include <string>

#include "helpers.h"

namespace policy::load::test {
namespace {

std::string PathOf(const Value* v) { return v == nullptr ? "<missing>" : RenderPath(v->path()); }

TEST_CASE(
    "compose extends: base keys under the service's own, located at the base, reached by the "
    "service's path") {
  auto c = Normalized(
      "x-note: 1\n"
      "services:\n"
      "  base:\n"
      "    image: erp/service:1.4.2\n"
      "    restart: unless-stopped\n"
      "    environment:\n"
      "      - LOG_LEVEL=info\n"
      "      - DB_PASSWORD=${DB_PASSWORD:-changeme}\n"
      "    ports: [\"8080:8080\"]\n"
      "    command: [serve, --all]\n"
      "  crm:\n"
      "    extends: base\n"
      "    environment:\n"
      "      LOG_LEVEL: debug\n"
      "    command: [serve, crm]\n"
      "    ports: [\"8080:8080\", \"9100:9100\"]\n"
      "  hr:\n"
      "    extends:\n"
      "      service: base\n"
      "    image: erp/hr:2.0.1\n");
  const Value& root = c.root();
  CHECK(Keys(At(root, "services.crm")) == "image,restart,environment,ports,command,");
  const Value* image = At(root, "services.crm.image");
  CHECK(Str(image) == "erp/service:1.4.2");
  CHECK(Where(image) == "4:12-4:29");
  CHECK(PathOf(image) == "services.crm.image");
  CHECK(Str(At(root, "services.crm.environment.LOG_LEVEL")) == "debug");
  CHECK(Where(At(root, "services.crm.environment.LOG_LEVEL")) == "14:18-14:23");
  const Value* pw = At(root, "services.crm.environment.DB_PASSWORD");
  CHECK(Str(pw) == "${DB_PASSWORD:-changeme}");
  CHECK(pw->loc().line == 8);
  CHECK(PathOf(pw) == "services.crm.environment.DB_PASSWORD");
  CHECK(Str(At(root, "services.crm.command[1]")) == "crm");
  CHECK(!At(root, "services.crm.command[2]"));
  CHECK(Str(At(root, "services.crm.ports[1].published")) == "9100");
  CHECK(!At(root, "services.crm.ports[2]"));
  CHECK(PathOf(At(root, "services.crm.ports[0].target")) == "services.crm.ports[0].target");
  CHECK(At(root, "services.crm")->loc().line == 11);
  CHECK(Str(At(root, "services.hr.image")) == "erp/hr:2.0.1");
  CHECK(Str(At(root, "services.hr.restart")) == "unless-stopped");
  CHECK(PathOf(At(root, "services.hr.restart")) == "services.hr.restart");
  // The base itself is unchanged.
  CHECK(PathOf(At(root, "services.base.image")) == "services.base.image");
  CHECK(Keys(At(root, "services")) == "base,crm,hr,");
}

TEST_CASE("compose extends: chains resolve in any order") {
  auto c = Normalized(
      "services:\n"
      "  c:\n"
      "    extends: b\n"
      "    image: c:3.0.0\n"
      "  b:\n"
      "    extends: {service: a}\n"
      "    mem_limit: 512m\n"
      "  a:\n"
      "    restart: always\n");
  const Value& root = c.root();
  CHECK(Keys(At(root, "services.c")) == "restart,mem_limit,image,");
  CHECK(At(root, "services.c.restart")->loc().line == 9);
  CHECK(PathOf(At(root, "services.c.restart")) == "services.c.restart");
  CHECK(Keys(At(root, "services.b")) == "restart,mem_limit,");
}

TEST_CASE("compose extends: cycles, unknown bases and other files are left as written") {
  auto c = Normalized(
      "services:\n"
      "  a:\n"
      "    extends: b\n"
      "    image: a:1.0.0\n"
      "  b:\n"
      "    extends: a\n"
      "    image: b:1.0.0\n"
      "  self:\n"
      "    extends: self\n"
      "  lost:\n"
      "    extends: nowhere\n"
      "  remote:\n"
      "    extends:\n"
      "      file: common.yml\n"
      "      service: a\n"
      "    image: r:1.0.0\n"
      "  tail:\n"
      "    extends: a\n"
      "    restart: always\n");
  const Value& root = c.root();
  CHECK(Keys(At(root, "services.a")) == "extends,image,");
  CHECK(Keys(At(root, "services.b")) == "extends,image,");
  CHECK(Keys(At(root, "services.self")) == "extends,");
  CHECK(Keys(At(root, "services.lost")) == "extends,");
  CHECK(Keys(At(root, "services.remote")) == "extends,image,");
  CHECK(Str(At(root, "services.remote.extends.file")) == "common.yml");
  // A service extending a service on a cycle gets it as written.
  CHECK(Keys(At(root, "services.tail")) == "extends,image,restart,");
  CHECK(Str(At(root, "services.tail.extends")) == "b");
  CHECK(Str(At(root, "services.tail.image")) == "a:1.0.0");
}

TEST_CASE("compose extends: a long chain does not exhaust the stack") {
  std::string text = "services:\n";
  constexpr int kServices = 20000;
  for (int i = 0; i < kServices; ++i) {
    text += "  s" + std::to_string(i) + ":\n";
    if (i + 1 < kServices) text += "    extends: s" + std::to_string(i + 1) + "\n";
    if (i == kServices - 1) text += "    image: base:1.0.0\n";
  }
  auto c = Normalized(text);
  const Value* image = At(c.root(), "services.s0.image");
  CHECK(Str(image) == "base:1.0.0");
  CHECK(PathOf(image) == "services.s0.image");
}

TEST_CASE("compose: profiles never drop a service") {
  auto c = Normalized(
      "services:\n"
      "  debug:\n"
      "    image: busybox:1.36.1\n"
      "    profiles: [debug]\n"
      "  tools:\n"
      "    extends: debug\n"
      "    profiles: [tools]\n");
  CHECK(Keys(At(c.root(), "services")) == "debug,tools,");
  CHECK(Str(At(c.root(), "services.debug.profiles[0]")) == "debug");
  CHECK(Str(At(c.root(), "services.tools.profiles[0]")) == "debug");
  CHECK(Str(At(c.root(), "services.tools.profiles[1]")) == "tools");
}

TEST_CASE("compose: interpolation forms are left as written by normalisation") {
  auto c = Normalized(
      "services:\n"
      "  db:\n"
      "    image: postgres:${PG_VERSION:-16.4}\n"
      "    environment:\n"
      "      - A=${DB_PASSWORD:-changeme}\n"
      "      - B=${DB_PASSWORD-changeme}\n"
      "      - C=${DB_PASSWORD:?DB_PASSWORD is required}\n"
      "      - D=$$NOT_A_REFERENCE\n"
      "      - E=$PLAIN\n"
      "    ports:\n"
      "      - \"${DB_PORT:-5432}:5432\"\n"
      "      - \"${BIND_IP:-127.0.0.1}:${DB_PORT:-5432}:5432/${PROTO:-tcp}\"\n"
      "    healthcheck:\n"
      "      test: pg_isready -U $${POSTGRES_USER}\n");
  const Value& root = c.root();
  // Image and ports are read as compose reads them (defaults taken); environment keeps its text.
  CHECK(Str(At(root, "services.db.image")) == "postgres:16.4");
  CHECK(Str(At(root, "services.db.environment.A")) == "${DB_PASSWORD:-changeme}");
  CHECK(Str(At(root, "services.db.environment.B")) == "${DB_PASSWORD-changeme}");
  CHECK(Str(At(root, "services.db.environment.C")) == "${DB_PASSWORD:?DB_PASSWORD is required}");
  CHECK(Str(At(root, "services.db.environment.D")) == "$$NOT_A_REFERENCE");
  CHECK(Str(At(root, "services.db.environment.E")) == "$PLAIN");
  CHECK(Str(At(root, "services.db.ports[0].published")) == "5432");
  CHECK(Dec(At(root, "services.db.ports[0].target")) == "5432");
  CHECK(At(root, "services.db.ports[0].host_ip")->is_null());
  CHECK(Str(At(root, "services.db.ports[1].host_ip")) == "127.0.0.1");
  CHECK(Str(At(root, "services.db.ports[1].published")) == "5432");
  CHECK(Dec(At(root, "services.db.ports[1].target")) == "5432");
  CHECK(Str(At(root, "services.db.ports[1].protocol")) == "tcp");
  CHECK(Str(At(root, "services.db.healthcheck.test[1]")) == "pg_isready -U $${POSTGRES_USER}");
}

}  // namespace
}  // namespace policy::load::test
