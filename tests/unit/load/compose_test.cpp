#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "helpers.h"

namespace policy::load::test {
namespace {

TEST_CASE("compose: environment list form becomes a map located at each item's value") {
  auto c = Normalized(
      "services:\n"
      "  web:\n"
      "    environment:\n"
      "      - DB_PASSWORD=s3cret\n"
      "      - \"QUOTED=a b\"\n"
      "      - EMPTY=\n"
      "      - BARE\n"
      "      - EQ=a=b\n"
      "      - 42\n");
  const Value* env = At(c.root(), "services.web.environment");
  CHECK(Keys(env) == "DB_PASSWORD,QUOTED,EMPTY,BARE,EQ,42,");
  const Value* pw = At(c.root(), "services.web.environment.DB_PASSWORD");
  CHECK(Str(pw) == "s3cret");
  CHECK(Where(pw) == "4:21-4:27");  // the value's own text, not the key (issue 13 B.6)
  CHECK(RenderPath(pw->path()) == "services.web.environment.DB_PASSWORD");
  CHECK(Str(At(c.root(), "services.web.environment.QUOTED")) == "a b");
  CHECK(Where(At(c.root(), "services.web.environment.QUOTED")) == "5:17-5:20");
  CHECK(Str(At(c.root(), "services.web.environment.EMPTY")) == "");
  const Value* bare = At(c.root(), "services.web.environment.BARE");
  CHECK(bare->is_null());
  CHECK(Where(bare) == "7:9-7:13");
  CHECK(Str(At(c.root(), "services.web.environment.EQ")) == "a=b");
  CHECK(At(c.root(), "services.web.environment.42")->is_null());
  CHECK(Where(env) == "3:5-3:16");
}

TEST_CASE(
    "compose: map-form environment, labels, sysctls and build.args: numbers and bools become "
    "text") {
  auto c = Normalized(
      "services:\n"
      "  app:\n"
      "    environment:\n"
      "      RATE: 1.50\n"
      "      DEBUG: true\n"
      "      EMPTY:\n"
      "      NAME: x\n"
      "    labels:\n"
      "      - traefik.enable=true\n"
      "    sysctls:\n"
      "      net.core.somaxconn: 1024\n"
      "    build:\n"
      "      context: .\n"
      "      args:\n"
      "        - VERSION=1\n");
  CHECK(Str(At(c.root(), "services.app.environment.RATE")) == "1.50");
  CHECK(Where(At(c.root(), "services.app.environment.RATE")) == "4:13-4:17");
  CHECK(Str(At(c.root(), "services.app.environment.DEBUG")) == "true");
  CHECK(At(c.root(), "services.app.environment.EMPTY")->is_null());
  CHECK(Str(At(c.root(), "services.app.environment.NAME")) == "x");
  const Value* labels = At(c.root(), "services.app.labels");
  REQUIRE(labels->Find("traefik.enable") != nullptr);
  CHECK(Str(labels->Find("traefik.enable")) == "true");
  CHECK(RenderPath(labels->Find("traefik.enable")->path()) ==
        "services.app.labels[\"traefik.enable\"]");
  const Value* sysctls = At(c.root(), "services.app.sysctls");
  CHECK(Str(sysctls->Find("net.core.somaxconn")) == "1024");
  CHECK(Str(At(c.root(), "services.app.build.args.VERSION")) == "1");
  CHECK(Str(At(c.root(), "services.app.build.context")) == ".");
}

TEST_CASE("compose: ports short syntax becomes the long form") {
  auto c = Normalized(
      "services:\n"
      "  db:\n"
      "    ports:\n"
      "      - \"127.0.0.1:5432:5432/tcp\"\n"
      "      - 80\n"
      "      - \"8000-8010:8000-8010\"\n"
      "      - \"[::1]:53:53/udp\"\n"
      "      - \"3000\"\n"
      "      - \"8080:80\"\n"
      "      - target: 443\n"
      "        published: \"8443\"\n"
      "      - \"127.0.0.1::80\"\n");
  auto port = [&](int i, const char* field) {
    return At(c.root(), "services.db.ports[" + std::to_string(i) + "]." + field);
  };
  CHECK(Str(port(0, "host_ip")) == "127.0.0.1");
  CHECK(Str(port(0, "published")) == "5432");
  CHECK(Dec(port(0, "target")) == "5432");
  CHECK(Str(port(0, "protocol")) == "tcp");
  CHECK(Where(port(0, "target")) == "4:9-4:34");
  CHECK(RenderPath(port(0, "target")->path()) == "services.db.ports[0].target");
  CHECK(Where(At(c.root(), "services.db.ports[0]")) == "4:9-4:34");

  CHECK(port(1, "host_ip")->is_null());
  CHECK(port(1, "published")->is_null());
  CHECK(Dec(port(1, "target")) == "80");
  CHECK(Str(port(1, "protocol")) == "tcp");

  CHECK(Str(port(2, "published")) == "8000-8010");
  CHECK(Str(port(2, "target")) == "8000-8010");

  CHECK(Str(port(3, "host_ip")) == "::1");
  CHECK(Str(port(3, "published")) == "53");
  CHECK(Dec(port(3, "target")) == "53");
  CHECK(Str(port(3, "protocol")) == "udp");

  CHECK(port(4, "published")->is_null());
  CHECK(Dec(port(4, "target")) == "3000");

  CHECK(port(5, "host_ip")->is_null());
  CHECK(Str(port(5, "published")) == "8080");
  CHECK(Dec(port(5, "target")) == "80");

  CHECK(Keys(At(c.root(), "services.db.ports[6]")) == "target,published,");
  CHECK(Dec(port(6, "target")) == "443");

  CHECK(Str(port(7, "host_ip")) == "127.0.0.1");
  CHECK(port(7, "published")->is_null());
  CHECK(Keys(At(c.root(), "services.db.ports[0]")) == "host_ip,published,target,protocol,");
}

TEST_CASE("compose: depends_on, extra_hosts and healthcheck.test") {
  auto c = Normalized(
      "services:\n"
      "  web:\n"
      "    depends_on:\n"
      "      - db\n"
      "      - cache\n"
      "    extra_hosts:\n"
      "      - \"somehost=162.242.195.82\"\n"
      "      - \"otherhost:50.31.209.229\"\n"
      "      - \"v6host:::1\"\n"
      "    healthcheck:\n"
      "      test: curl -f http://localhost\n"
      "  db:\n"
      "    depends_on:\n"
      "      cache:\n"
      "        condition: service_healthy\n"
      "    healthcheck:\n"
      "      test: [\"CMD\", \"pg_isready\"]\n");
  CHECK(Keys(At(c.root(), "services.web.depends_on")) == "db,cache,");
  const Value* cond = At(c.root(), "services.web.depends_on.db.condition");
  CHECK(Str(cond) == "service_started");
  CHECK(Where(cond) == "4:9-4:11");
  CHECK(RenderPath(cond->path()) == "services.web.depends_on.db.condition");
  CHECK(Str(At(c.root(), "services.web.extra_hosts.somehost")) == "162.242.195.82");
  CHECK(Str(At(c.root(), "services.web.extra_hosts.otherhost")) == "50.31.209.229");
  CHECK(Str(At(c.root(), "services.web.extra_hosts.v6host")) == "::1");
  const Value* test = At(c.root(), "services.web.healthcheck.test");
  REQUIRE(test->is(Type::kList));
  REQUIRE(test->as_list().size() == 2);
  CHECK(Str(At(c.root(), "services.web.healthcheck.test[0]")) == "CMD-SHELL");
  CHECK(Str(At(c.root(), "services.web.healthcheck.test[1]")) == "curl -f http://localhost");
  CHECK(Where(test) == "11:13-11:37");
  CHECK(RenderPath(At(c.root(), "services.web.healthcheck.test[1]")->path()) ==
        "services.web.healthcheck.test[1]");
  CHECK(Str(At(c.root(), "services.db.depends_on.cache.condition")) == "service_healthy");
  CHECK(Str(At(c.root(), "services.db.healthcheck.test[0]")) == "CMD");
}

TEST_CASE(
    "compose: interpolation outside image/ports/volumes/network_mode is left as written, odd "
    "shapes are left alone") {
  auto c = Normalized(
      "services:\n"
      "  web:\n"
      "    image: ${IMAGE:-nginx}\n"
      "    environment:\n"
      "      - URL=${BASE}/x\n"
      "    ports: \"not a list\"\n"
      "  broken: 5\n"
      "x-other: [1]\n");
  CHECK(Str(At(c.root(), "services.web.image")) == "nginx");
  CHECK(Str(At(c.root(), "services.web.environment.URL")) == "${BASE}/x");
  CHECK(Str(At(c.root(), "services.web.ports")) == "not a list");
  CHECK(Dec(At(c.root(), "services.broken")) == "5");
  CHECK(Dec(At(c.root(), "x-other[0]")) == "1");
  Document empty;
  NormalizeCompose(empty);
  CHECK(empty.root.is_null());
}

TEST_CASE("compose: anchors and merge keys before normalisation") {
  auto c = Normalized(
      "x-env: &env\n"
      "  - A=1\n"
      "x-base: &base\n"
      "  restart: always\n"
      "  environment: *env\n"
      "services:\n"
      "  web:\n"
      "    <<: *base\n"
      "    image: nginx\n");
  CHECK(Keys(At(c.root(), "services.web")) == "image,restart,environment,");
  const Value* a = At(c.root(), "services.web.environment.A");
  CHECK(Str(a) == "1");
  CHECK(a->loc().line == 2);
  CHECK(RenderPath(a->path()) == "services.web.environment.A");
}

// Interpolation as docker compose reads it (issue 13 B.1): the project's .env
// first, then the default; a reference with neither leaves the field unknown.
TEST_CASE(
    "compose: image, ports, volume sources and network_mode take .env values, then defaults") {
  auto doc = std::make_unique<Document>();
  const std::string text =
      "services:\n"
      "  db:\n"
      "    image: ${DB_IMAGE:-postgres}:${DB_TAG-latest}\n"
      "    network_mode: ${NET_MODE:-bridge}\n"
      "    ports:\n"
      "      - \"${DB_PORT:-5432}:5432\"\n"
      "      - target: 6432\n"
      "        published: ${POOL_PORT}\n"
      "    volumes:\n"
      "      - ${SOCK:-/var/run/docker.sock}:/var/run/docker.sock\n"
      "      - type: bind\n"
      "        source: ${DATA_DIR:?set it}\n"
      "        target: /data\n"
      "    environment:\n"
      "      PASSWORD: ${PASSWORD:-changeme}\n";
  ComposeEnv env = ParseEnvFile(
      "# comment\n"
      "export DB_TAG=16.4\n"
      "NET_MODE=\n"
      "DATA_DIR='/srv/data' # inline\n"
      "PASSWORD=\"from env\"\n");
  CHECK(env.at("DB_TAG") == "16.4");
  CHECK(env.at("NET_MODE").empty());
  CHECK(env.at("DATA_DIR") == "/srv/data");
  CHECK(env.at("PASSWORD") == "from env");

  DocumentsResult r = LoadYaml(text, "compose.yaml", LoadLimits{}, true);
  REQUIRE(r.documents.size() == 1);
  NormalizeCompose(*r.documents[0], env);
  const Value& root = r.documents[0]->root;
  CHECK(Str(At(root, "services.db.image")) == "postgres:16.4");
  CHECK(Str(At(root, "services.db.network_mode")) == "bridge");  // ":-" takes the default for ""
  CHECK(Str(At(root, "services.db.ports[0].published")) == "5432");
  CHECK(Str(At(root, "services.db.ports[1].published")) == "${POOL_PORT}");  // unknown: as written
  CHECK(Str(At(root, "services.db.volumes[0]")) == "/var/run/docker.sock:/var/run/docker.sock");
  CHECK(Str(At(root, "services.db.volumes[1].source")) == "/srv/data");
  CHECK(Str(At(root, "services.db.environment.PASSWORD")) == "${PASSWORD:-changeme}");
  // The interpolated image is still located where it is written.
  CHECK(At(root, "services.db.image")->loc().line == 3);

  // Without .env: "-" takes the default for an unset variable; an unknown tag stays written.
  DocumentsResult r2 = LoadYaml(text, "compose.yaml", LoadLimits{}, true);
  NormalizeCompose(*r2.documents[0]);
  CHECK(Str(At(r2.documents[0]->root, "services.db.image")) == "postgres:latest");
  CHECK(Str(At(r2.documents[0]->root, "services.db.volumes[1].source")) == "${DATA_DIR:?set it}");
}

TEST_CASE("compose: InterpolateCompose reads every reference form") {
  ComposeEnv env{{"SET", "v"}, {"EMPTY", ""}};
  CHECK(InterpolateCompose("a${SET}b", env) == "avb");
  CHECK(InterpolateCompose("$SET/x", env) == "v/x");
  CHECK(InterpolateCompose("${EMPTY:-d}", env) == "d");
  CHECK(InterpolateCompose("${EMPTY-d}", env) == "");
  CHECK(InterpolateCompose("${UNSET-${SET}}", env) == "v");
  CHECK(InterpolateCompose("${SET:+alt}${UNSET:+alt}", env) == "alt");
  CHECK(InterpolateCompose("$$HOME", env) == "$HOME");
  CHECK_FALSE(InterpolateCompose("${UNSET}", env).has_value());
  CHECK_FALSE(InterpolateCompose("${UNSET:?required}", env).has_value());
  CHECK_FALSE(InterpolateCompose("${UNCLOSED", env).has_value());
}

TEST_CASE("compose: ReadComposeEnv reads the .env beside the compose file, or the one named") {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / "policy_compose_env_test";
  fs::create_directories(dir);
  {
    std::ofstream(dir / ".env") << "TAG=1.2.3\n";
    std::ofstream(dir / "other.env") << "TAG=9.9.9\n";
  }
  std::optional<InputError> problem;
  CHECK(ReadComposeEnv((dir / "compose.yaml").string(), "", problem).at("TAG") == "1.2.3");
  CHECK(ReadComposeEnv((dir / "compose.yaml").string(), (dir / "other.env").string(), problem)
            .at("TAG") == "9.9.9");
  CHECK(ReadComposeEnv((dir / "nowhere" / "compose.yaml").string(), "", problem).empty());
  CHECK_FALSE(problem);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace policy::load::test

namespace policy::load::test {
TEST_CASE(
    "compose: a file whose services lack both image and build is marked an overlay, by content") {
  const std::string fragment = "services:\n  web:\n    restart: always\n";
  // A patch of one base service beside a full one; a dependency on a service not here.
  const std::string patch = "services:\n  web:\n    restart: always\n  db:\n    build: .\n";
  const std::string leans =
      "services:\n  web:\n    image: a:1\n    depends_on: [kafka]\n  db:\n    build: .\n";
  const std::string whole =
      "services:\n  web:\n    image: a:1\n    depends_on: [db]\n  db:\n    build: .\n";
  struct Case {
    const char* name;
    const std::string* text;
    bool overlay;
  };
  const Case cases[] = {
      // By content, whatever the name.
      {"compose.deploy.yml", &fragment, true},
      {"stack.yml", &fragment, true},
      {"docker-compose.yml", &fragment, true},
      {"-", &fragment, true},
      // A name docker compose reads on its own is judged whole.
      {"docker-compose.yml", &patch, false},
      {"dir/compose.yaml", &leans, false},
      {"-", &patch, false},
      // Other names: an overlay when it leans on services it does not define.
      {"compose.full.yaml", &patch, true},
      {"ext/curator/curator-compose.yml", &leans, true},
      {"stack.yml", &whole, false},
      {"compose.full.yaml", &whole, false},
  };
  for (const Case& c : cases) {
    DocumentsResult r = LoadYaml(*c.text, c.name, LoadLimits{}, true);
    REQUIRE(r.documents.size() == 1);
    NormalizeCompose(*r.documents[0]);
    const Value* marker = r.documents[0]->root.Find(kOverlayKey);
    INFO(c.name << " " << *c.text);
    CHECK((marker != nullptr && marker->is(Type::kBool) && marker->as_bool()) == c.overlay);
  }
  const std::string text = fragment;
  // A merged project is as complete as the files given: no marker.
  std::vector<std::unique_ptr<Document>> docs;
  for (const char* name : {"compose.yaml", "compose.prod.yaml"}) {
    DocumentsResult r = LoadYaml(text, name, LoadLimits{}, true);
    NormalizeCompose(*r.documents[0]);
    docs.push_back(std::move(r.documents[0]));
  }
  std::optional<InputError> error;
  std::unique_ptr<Document> merged = MergeCompose(std::move(docs), error);
  REQUIRE(merged != nullptr);
  CHECK(merged->root.Find(kOverlayKey) == nullptr);
}
}  // namespace policy::load::test

namespace policy::load::test {
TEST_CASE("compose: a .env that exists but cannot be read is a problem, a missing one is none") {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("policy-env-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir / "a" / ".env");  // a directory named .env
  fs::create_directories(dir / "b");
  std::optional<InputError> problem;
  CHECK(ReadComposeEnv((dir / "a" / "compose.yaml").string(), "", problem).empty());
  REQUIRE(problem);
  CHECK(problem->message.find("is a directory") != std::string::npos);
  problem.reset();
  CHECK(ReadComposeEnv((dir / "b" / "compose.yaml").string(), "", problem).empty());
  CHECK_FALSE(problem);
  fs::remove_all(dir);
}
}  // namespace policy::load::test
