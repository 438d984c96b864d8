// MergeCompose: files merged as `docker compose -f a -f b` merges them, every
// value keeping the file (Loc::file) and line it came from.
#include <memory>
#include <string>
#include <vector>

#include "helpers.h"

namespace policy::load::test {
namespace {

std::unique_ptr<Document> LoadNormalized(std::string_view text, const std::string& file) {
  DocumentsResult r = LoadYaml(text, file, LoadLimits{}, true);
  REQUIRE_MESSAGE(!r.error, ErrorText(r.error));
  REQUIRE(r.documents.size() == 1);
  NormalizeCompose(*r.documents[0]);
  return std::move(r.documents[0]);
}

std::unique_ptr<Document> Merged(std::vector<std::pair<std::string, std::string>> files) {
  std::vector<std::unique_ptr<Document>> docs;
  for (const auto& [name, text] : files) docs.push_back(LoadNormalized(text, name));
  std::optional<InputError> error;
  std::unique_ptr<Document> out = MergeCompose(std::move(docs), error);
  REQUIRE_MESSAGE(!error, ErrorText(error));
  REQUIRE(out != nullptr);
  return out;
}

// FILE-INDEX@LINE:COLUMN
std::string From(const Value* v) {
  if (v == nullptr) return "<missing>";
  return std::to_string(v->loc().file) + "@" + std::to_string(v->loc().line) + ":" +
         std::to_string(v->loc().column);
}

std::size_t Size(const Value* list) {
  return list != nullptr && list->is(Type::kList) ? list->as_list().size() : 0;
}

TEST_CASE(
    "compose merge: scalars are overridden, maps merge key by key, each value keeps its file and "
    "line") {
  auto doc = Merged({{"compose.yml",
                      "services:\n"
                      "  db:\n"
                      "    image: postgres:16.4\n"
                      "    restart: always\n"
                      "    environment:\n"
                      "      - POSTGRES_USER=erp\n"
                      "      - POSTGRES_PASSWORD=${DB_PASSWORD:-changeme}\n"},
                     {"compose.prod.yml",
                      "services:\n"
                      "  db:\n"
                      "    image: postgres:16.4-alpine\n"
                      "    environment:\n"
                      "      POSTGRES_PASSWORD: ${DB_PASSWORD:?set it}\n"
                      "      PGDATA: /data\n"}});
  CHECK(doc->files == std::vector<std::string>{"compose.yml", "compose.prod.yml"});
  const Value& root = doc->root;
  CHECK(Str(At(root, "services.db.image")) == "postgres:16.4-alpine");
  CHECK(From(At(root, "services.db.image")) == "1@3:12");
  CHECK(Str(At(root, "services.db.restart")) == "always");
  CHECK(From(At(root, "services.db.restart")) == "0@4:14");
  CHECK(Keys(At(root, "services.db.environment")) == "POSTGRES_USER,POSTGRES_PASSWORD,PGDATA,");
  CHECK(From(At(root, "services.db.environment.POSTGRES_USER")) == "0@6:23");
  // Interpolations are text, never substituted; the later file's wins.
  CHECK(Str(At(root, "services.db.environment.POSTGRES_PASSWORD")) == "${DB_PASSWORD:?set it}");
  CHECK(From(At(root, "services.db.environment.POSTGRES_PASSWORD")) == "1@5:26");
  CHECK(From(At(root, "services.db.environment.PGDATA")) == "1@6:15");
  CHECK(RenderPath(At(root, "services.db.environment.PGDATA")->path()) ==
        "services.db.environment.PGDATA");
  // A merged mapping is located where the later file writes it.
  CHECK(From(At(root, "services.db")) == "1@2:3");
}

TEST_CASE("compose merge: services and top-level keys of a later file are added with their file") {
  auto doc = Merged({{"a.yml",
                      "services:\n"
                      "  web:\n"
                      "    image: nginx:1.27.0\n"
                      "volumes:\n"
                      "  data: {}\n"},
                     {"b.yml",
                      "services:\n"
                      "  worker:\n"
                      "    image: erp/worker:2.1.0\n"
                      "    profiles: [batch]\n"
                      "networks:\n"
                      "  back: {}\n"}});
  const Value& root = doc->root;
  CHECK(Keys(&root) == "services,volumes,networks,");
  CHECK(Keys(At(root, "services")) == "web,worker,");
  CHECK(From(At(root, "services.worker.image")) == "1@3:12");
  // Profiles decide what `docker compose up` starts, not what is checked.
  CHECK(Str(At(root, "services.worker.profiles[0]")) == "batch");
  CHECK(From(At(root, "networks.back")) == "1@6:3");
}

TEST_CASE("compose merge: ports, expose, dns and capabilities are appended and kept unique") {
  auto doc = Merged({{"a.yml",
                      "services:\n"
                      "  api:\n"
                      "    ports:\n"
                      "      - \"8080:80\"\n"
                      "      - \"127.0.0.1:9229:9229\"\n"
                      "    expose: [3000]\n"
                      "    dns: [1.1.1.1]\n"
                      "    cap_drop: [ALL]\n"
                      "    security_opt: [no-new-privileges:true]\n"
                      "    profiles: [web]\n"},
                     {"b.yml",
                      "services:\n"
                      "  api:\n"
                      "    ports:\n"
                      "      - \"8080:80\"\n"
                      "      - \"0.0.0.0:9229:9229\"\n"
                      "      - 443:8443/udp\n"
                      "    expose: [\"3000\", 3001]\n"
                      "    dns: [8.8.8.8]\n"
                      "    cap_drop: [ALL]\n"
                      "    security_opt: [no-new-privileges:true]\n"
                      "    profiles: [web, debug]\n"}});
  const Value& root = doc->root;
  const Value* ports = At(root, "services.api.ports");
  // "8080:80" is the same port in both files (the later entry takes its place);
  // 9229 on 127.0.0.1 and on 0.0.0.0 are different ports.
  REQUIRE(Size(ports) == 4);
  CHECK(Str(At(root, "services.api.ports[0].published")) == "8080");
  CHECK(From(At(root, "services.api.ports[0]")) == "1@4:9");
  CHECK(Str(At(root, "services.api.ports[1].host_ip")) == "127.0.0.1");
  CHECK(From(At(root, "services.api.ports[1]")) == "0@5:9");
  CHECK(Str(At(root, "services.api.ports[2].host_ip")) == "0.0.0.0");
  CHECK(Str(At(root, "services.api.ports[3].protocol")) == "udp");
  CHECK(From(At(root, "services.api.ports[3]")) == "1@6:9");
  CHECK(Size(At(root, "services.api.expose")) == 2);
  CHECK(From(At(root, "services.api.expose[0]")) == "1@7:14");
  CHECK(Dec(At(root, "services.api.expose[1]")) == "3001");
  CHECK(Size(At(root, "services.api.dns")) == 2);
  CHECK(Str(At(root, "services.api.dns[1]")) == "8.8.8.8");
  CHECK(Size(At(root, "services.api.cap_drop")) == 1);
  // Sequences compose does not keep unique are appended as written.
  CHECK(Size(At(root, "services.api.security_opt")) == 2);
  CHECK(Size(At(root, "services.api.profiles")) == 2);
  CHECK(Str(At(root, "services.api.profiles[1]")) == "debug");
}

TEST_CASE("compose merge: volumes and devices merge by container path, secrets by target") {
  auto doc = Merged({{"a.yml",
                      "services:\n"
                      "  db:\n"
                      "    volumes:\n"
                      "      - pgdata:/var/lib/postgresql/data\n"
                      "      - ./init:/docker-entrypoint-initdb.d:ro\n"
                      "    devices: [\"/dev/sda:/dev/xvda:rwm\"]\n"
                      "    secrets: [db_password]\n"},
                     {"b.yml",
                      "services:\n"
                      "  db:\n"
                      "    volumes:\n"
                      "      - type: bind\n"
                      "        source: /srv/pg\n"
                      "        target: /var/lib/postgresql/data\n"
                      "      - /var/run/docker.sock:/var/run/docker.sock\n"
                      "    devices: [\"/dev/sdb:/dev/xvda\"]\n"
                      "    secrets:\n"
                      "      - source: db_password\n"
                      "        target: /run/secrets/db_password\n"
                      "      - source: other\n"
                      "        target: other_target\n"}});
  const Value& root = doc->root;
  REQUIRE(Size(At(root, "services.db.volumes")) == 3);
  CHECK(Str(At(root, "services.db.volumes[0].source")) == "/srv/pg");
  CHECK(From(At(root, "services.db.volumes[0]")) == "1@4:9");
  CHECK(Str(At(root, "services.db.volumes[1]")) == "./init:/docker-entrypoint-initdb.d:ro");
  CHECK(From(At(root, "services.db.volumes[1]")) == "0@5:9");
  CHECK(Str(At(root, "services.db.volumes[2]")) == "/var/run/docker.sock:/var/run/docker.sock");
  CHECK(From(At(root, "services.db.volumes[2]")) == "1@7:9");
  REQUIRE(Size(At(root, "services.db.devices")) == 1);
  CHECK(Str(At(root, "services.db.devices[0]")) == "/dev/sdb:/dev/xvda");
  REQUIRE(Size(At(root, "services.db.secrets")) == 2);
  CHECK(Str(At(root, "services.db.secrets[0].source")) == "db_password");
  CHECK(From(At(root, "services.db.secrets[0]")) == "1@10:9");
}

TEST_CASE("compose merge: command, entrypoint and healthcheck.test are replaced, not appended") {
  auto doc = Merged({{"a.yml",
                      "services:\n"
                      "  traefik:\n"
                      "    command: [\"--api.insecure=true\", \"--log.level=DEBUG\"]\n"
                      "    entrypoint: [\"/entrypoint.sh\", \"-x\"]\n"
                      "    healthcheck:\n"
                      "      test: [\"CMD\", \"traefik\", \"healthcheck\"]\n"
                      "      interval: 10s\n"},
                     {"b.yml",
                      "services:\n"
                      "  traefik:\n"
                      "    command: [\"--api.dashboard=true\"]\n"
                      "    entrypoint: /start.sh\n"
                      "    healthcheck:\n"
                      "      test: wget -q --spider http://localhost:8082/ping\n"
                      "      retries: 3\n"}});
  const Value& root = doc->root;
  REQUIRE(Size(At(root, "services.traefik.command")) == 1);
  CHECK(Str(At(root, "services.traefik.command[0]")) == "--api.dashboard=true");
  CHECK(From(At(root, "services.traefik.command[0]")) == "1@3:15");
  CHECK(Str(At(root, "services.traefik.entrypoint")) == "/start.sh");
  REQUIRE(Size(At(root, "services.traefik.healthcheck.test")) == 2);
  CHECK(Str(At(root, "services.traefik.healthcheck.test[0]")) == "CMD-SHELL");
  CHECK(From(At(root, "services.traefik.healthcheck.test[1]")) == "1@6:13");
  CHECK(Keys(At(root, "services.traefik.healthcheck")) == "test,interval,retries,");
  CHECK(From(At(root, "services.traefik.healthcheck.interval")) == "0@7:17");
}

TEST_CASE("compose merge: logging, build, depends_on and networks") {
  auto doc = Merged({{"a.yml",
                      "services:\n"
                      "  app:\n"
                      "    build: ./app\n"
                      "    depends_on: [db]\n"
                      "    networks: [front, back]\n"
                      "    logging:\n"
                      "      driver: json-file\n"
                      "      options: {max-size: 10m}\n"
                      "  worker:\n"
                      "    networks: [back]\n"
                      "    logging:\n"
                      "      driver: json-file\n"
                      "      options: {max-size: 10m}\n"},
                     {"b.yml",
                      "services:\n"
                      "  app:\n"
                      "    build:\n"
                      "      dockerfile: Dockerfile.prod\n"
                      "    depends_on:\n"
                      "      cache: {condition: service_healthy}\n"
                      "    networks:\n"
                      "      back: {aliases: [api]}\n"
                      "    logging:\n"
                      "      options: {max-file: \"3\"}\n"
                      "  worker:\n"
                      "    networks: [back, admin]\n"
                      "    logging:\n"
                      "      driver: syslog\n"
                      "      options: {tag: w}\n"}});
  const Value& root = doc->root;
  CHECK(Keys(At(root, "services.app.build")) == "context,dockerfile,");
  CHECK(Str(At(root, "services.app.build.context")) == "./app");
  CHECK(RenderPath(At(root, "services.app.build.context")->path()) == "services.app.build.context");
  CHECK(From(At(root, "services.app.build.context")) == "0@3:12");
  CHECK(Keys(At(root, "services.app.depends_on")) == "db,cache,");
  CHECK(Str(At(root, "services.app.depends_on.db.condition")) == "service_started");
  CHECK(Str(At(root, "services.app.depends_on.cache.condition")) == "service_healthy");
  // A list of networks and a map of networks merge as a map.
  CHECK(Keys(At(root, "services.app.networks")) == "front,back,");
  CHECK(At(root, "services.app.networks.front")->is_null());
  CHECK(Str(At(root, "services.app.networks.back.aliases[0]")) == "api");
  // Same driver (or none named): options merge.
  CHECK(Keys(At(root, "services.app.logging.options")) == "max-size,max-file,");
  // Two lists of networks stay a list of distinct names.
  REQUIRE(Size(At(root, "services.worker.networks")) == 2);
  CHECK(Str(At(root, "services.worker.networks[1]")) == "admin");
  // Another driver: the later logging block replaces the earlier one.
  CHECK(Keys(At(root, "services.worker.logging.options")) == "tag,");
}

TEST_CASE("compose merge: three files, file indexes in order, an empty file changes nothing") {
  auto doc = Merged({{"a.yml", "services:\n  s:\n    image: a:1.0.0\n    restart: always\n"},
                     {"empty.yml", ""},
                     {"c.yml", "services:\n  s:\n    image: c:1.0.0\n"}});
  CHECK(doc->files.size() == 3);
  CHECK(From(At(doc->root, "services.s.image")) == "2@3:12");
  CHECK(From(At(doc->root, "services.s.restart")) == "0@4:14");
  CHECK(doc->parts.size() == 3);

  std::optional<InputError> error;
  auto none = MergeCompose({}, error);
  CHECK(!error);
  REQUIRE(none != nullptr);
  CHECK(none->root.is_null());

  auto second_only =
      Merged({{"empty.yml", ""}, {"b.yml", "services:\n  s:\n    image: b:1.0.0\n"}});
  CHECK(From(At(second_only->root, "services.s.image")) == "1@3:12");
}

TEST_CASE("compose merge: environment interpolations and $$ escapes are kept as written") {
  auto doc = Merged({{"a.yml",
                      "services:\n"
                      "  app:\n"
                      "    image: ${REGISTRY-ghcr.io}/erp/app:${TAG:-1.4.2}\n"
                      "    environment:\n"
                      "      - DB_PASSWORD=${DB_PASSWORD:-changeme}\n"
                      "      - PRICE=$$5\n"
                      "      - HOME_DIR=$HOME\n"},
                     {"b.yml",
                      "services:\n"
                      "  app:\n"
                      "    environment:\n"
                      "      API_KEY: ${API_KEY:?API_KEY must be set}\n"}});
  const Value& root = doc->root;
  // The image is read with its defaults, as compose reads it.
  CHECK(Str(At(root, "services.app.image")) == "ghcr.io/erp/app:1.4.2");
  CHECK(Str(At(root, "services.app.environment.DB_PASSWORD")) == "${DB_PASSWORD:-changeme}");
  CHECK(Str(At(root, "services.app.environment.PRICE")) == "$$5");
  CHECK(Str(At(root, "services.app.environment.HOME_DIR")) == "$HOME");
  CHECK(Str(At(root, "services.app.environment.API_KEY")) == "${API_KEY:?API_KEY must be set}");
  CHECK(From(At(root, "services.app.environment.API_KEY")) == "1@4:16");
}

}  // namespace
}  // namespace policy::load::test
