// scrape_targets, alert_rules, rule_files and exposes_metrics on small
// hand-built documents; tests/unit/engine/observability_corpus_test.cpp runs
// them on real projects' files.
#include <chrono>
#include <string>

#include "builtin_test_util.h"

using namespace policy;
using policy::eval::testing::Runner;

namespace {

// One static_configs job: {job_name, static_configs: [{targets: [...]}]} plus extras.
Value StaticJob(Runner& r, std::string_view name, std::vector<Value> targets,
                std::vector<std::pair<std::string, Value>> extra = {}) {
  std::vector<std::pair<std::string, Value>> fields = {{"job_name", r.S(name)}};
  for (auto& e : extra) fields.push_back(e);
  fields.push_back({"static_configs", r.L({r.M({{"targets", r.L(std::move(targets))}})})});
  return r.M(fields);
}

Value Config(Runner& r, std::vector<Value> jobs) {
  return r.M({{"global", r.M({{"scrape_interval", r.S("15s")}})},
              {"scrape_configs", r.L(std::move(jobs))}});
}

// The value of `key` in item `i` of a list result, as JSON.
std::string At(const Value& list, std::size_t i, std::string_view key) {
  REQUIRE(list.is(Type::kList));
  REQUIRE(i < list.as_list().size());
  const Value* v = list.as_list()[i].Find(key);
  REQUIRE_MESSAGE(v != nullptr, std::string(key));
  return ToJson(*v);
}

}  // namespace

TEST_CASE("scrape_targets: one entry per static target, host and port parsed") {
  Runner r;
  Value doc = Config(
      r, {StaticJob(r, "node", {r.S("nodeexporter:9100"), r.S("cadvisor:8080")}),
          StaticJob(r, "self", {r.S("localhost:9090")}),
          StaticJob(r, "app", {r.S("api-gateway:8080")},
                    {{"metrics_path", r.S("/actuator/prometheus")}, {"scheme", r.S("https")}})});
  Value t = r.Call("scrape_targets", {doc});
  REQUIRE_FALSE(r.ctx.error.set());
  REQUIRE(t.as_list().size() == 4);
  CHECK(ToJson(t.as_list()[0]) ==
        R"({"job":"node","discovery":"static","target":"nodeexporter:9100","host":"nodeexporter",)"
        R"("port":9100,"service":"nodeexporter","scheme":"http","metrics_path":"/metrics",)"
        R"("problem":null})");
  CHECK(At(t, 1, "host") == "\"cadvisor\"");
  CHECK(At(t, 1, "job") == "\"node\"");
  // localhost is Prometheus itself: no compose service.
  CHECK(At(t, 2, "host") == "\"localhost\"");
  CHECK(At(t, 2, "service") == "null");
  CHECK(At(t, 3, "metrics_path") == "\"/actuator/prometheus\"");
  CHECK(At(t, 3, "scheme") == "\"https\"");
}

TEST_CASE("scrape_targets: the address forms Prometheus accepts and rejects") {
  Runner r;
  auto one = [&](std::string_view target) {
    Value t = r.Call("scrape_targets", {Config(r, {StaticJob(r, "j", {r.S(target)})})});
    REQUIRE_FALSE(r.ctx.error.set());
    REQUIRE(t.as_list().size() == 1);
    const Value& e = t.as_list()[0];
    return ToJson(*e.Find("host")) + " " + ToJson(*e.Find("port")) + " " +
           ToJson(*e.Find("service")) + " " + (e.Find("problem")->is_null() ? "ok" : "problem");
  };
  CHECK(one("web") == "\"web\" null \"web\" ok");  // no port: the scheme's (80, 443)
  CHECK(one("web:80") == "\"web\" 80 \"web\" ok");
  CHECK(one("[::1]:9100") == "\"::1\" 9100 null ok");
  CHECK(one("[fe80::1]") == "\"fe80::1\" null null ok");
  CHECK(one("10.0.0.5:9100") == "\"10.0.0.5\" 9100 null ok");
  CHECK(one("host.docker.internal:8000") == "\"host.docker.internal\" 8000 null ok");
  CHECK(one("LOCALHOST:9090") == "\"LOCALHOST\" 9090 null ok");
  // Prometheus rejects these ("is not a valid hostname", bad port).
  CHECK(one("http://web:8080") == "null null null problem");
  CHECK(one("web:8080/metrics") == "null null null problem");
  CHECK(one("::1:9100") == "null null null problem");
  CHECK(one("web:") == "null null null problem");
  CHECK(one("web:0") == "null null null problem");
  CHECK(one("web:65536") == "null null null problem");
  CHECK(one("web:http") == "null null null problem");
  CHECK(one(":9100") == "null null null problem");
  CHECK(one("") == "null null null problem");
  CHECK(one("[::1") == "null null null problem");
  CHECK(one("[::1]x") == "null null null problem");
}

TEST_CASE("scrape_targets: target, host and port are located at the target string") {
  Runner r;
  Value target = r.Located("cadvisor:8080", 12, 20);
  Value t = r.Call("scrape_targets", {Config(r, {StaticJob(r, "c", {target})})});
  REQUIRE(t.as_list().size() == 1);
  const Value& e = t.as_list()[0];
  CHECK(e.loc().line == 12);
  for (std::string_view key : {"target", "host", "port", "service"}) {
    CHECK_MESSAGE(e.Find(key)->loc().line == 12, std::string(key));
    CHECK_MESSAGE(e.Find(key)->loc().column == 20, std::string(key));
  }
}

TEST_CASE("scrape_targets: a static config's job label is the job, as in Prometheus") {
  Runner r;
  Value job =
      r.M({{"job_name", r.S("file_sd")},
           {"static_configs",
            r.L({r.M({{"targets", r.L({r.S("a:1")})}, {"labels", r.M({{"job", r.S("x")}})}}),
                 r.M({{"targets", r.L({r.S("b:1")})}})})}});
  Value t = r.Call("scrape_targets", {Config(r, {job})});
  CHECK(At(t, 0, "job") == "\"x\"");
  CHECK(At(t, 1, "job") == "\"file_sd\"");
}

TEST_CASE(
    "scrape_targets: __scheme__ and __metrics_path__ labels win, relabelled jobs report no "
    "problem") {
  Runner r;
  Value labelled =
      r.M({{"job_name", r.S("j")},
           {"scheme", r.S("http")},
           {"static_configs", r.L({r.M({{"targets", r.L({r.S("a:1")})},
                                        {"labels", r.M({{"__scheme__", r.S("https")},
                                                        {"__metrics_path__", r.S("/m")}})}})})}});
  Value t = r.Call("scrape_targets", {Config(r, {labelled})});
  CHECK(At(t, 0, "scheme") == "\"https\"");
  CHECK(At(t, 0, "metrics_path") == "\"/m\"");
  // With relabel_configs Prometheus checks the address after relabelling, which may fix it.
  Value relabelled =
      StaticJob(r, "blackbox", {r.S("http://example.org")},
                {{"relabel_configs", r.L({r.M({{"target_label", r.S("__address__")}})})}});
  t = r.Call("scrape_targets", {Config(r, {relabelled})});
  CHECK(At(t, 0, "problem") == "null");
  CHECK(At(t, 0, "host") == "null");
  CHECK(At(t, 0, "target") == "\"http://example.org\"");
}

TEST_CASE("scrape_targets: dns_sd_configs names and the discovering SD forms") {
  Runner r;
  Value dns =
      r.M({{"job_name", r.S("swarm")},
           {"dns_sd_configs", r.L({r.M({{"names", r.L({r.S("tasks.web"), r.S("db.example.org")})},
                                        {"type", r.S("A")},
                                        {"port", r.N("9100")}})})}});
  Value docker =
      r.M({{"job_name", r.S("containers")},
           {"docker_sd_configs", r.L({r.M({{"host", r.S("unix:///var/run/docker.sock")}})})},
           {"file_sd_configs", r.L({r.M({{"files", r.L({r.S("/etc/prometheus/*.yml")})}})})}});
  Value t = r.Call("scrape_targets", {Config(r, {dns, docker})});
  REQUIRE_FALSE(r.ctx.error.set());
  REQUIRE(t.as_list().size() == 4);
  CHECK(At(t, 0, "discovery") == "\"dns\"");
  CHECK(At(t, 0, "host") == "\"tasks.web\"");
  CHECK(At(t, 0, "service") == "\"web\"");  // Swarm's tasks.NAME
  CHECK(At(t, 0, "port") == "9100");
  CHECK(At(t, 1, "service") == "null");
  // Docker and file discovery find targets at run time: no host, only the kind.
  CHECK(At(t, 2, "discovery") == "\"docker\"");
  CHECK(At(t, 2, "host") == "null");
  CHECK(At(t, 2, "target") == "null");
  CHECK(At(t, 2, "job") == "\"containers\"");
  CHECK(At(t, 3, "discovery") == "\"file\"");
}

TEST_CASE("scrape_targets: anything that is not a configuration gives []") {
  Runner r;
  CHECK(r.Text("scrape_targets", {Value::Null()}) == "[]");
  CHECK(r.Text("scrape_targets", {r.S("text")}) == "[]");
  // A compose file named prometheus.yml, a file_sd target list.
  CHECK(r.Text("scrape_targets", {r.M({{"services", r.M({})}})}) == "[]");
  CHECK(r.Text("scrape_targets", {r.L({r.M({{"targets", r.L({r.S("a:1")})}})})}) == "[]");
  CHECK(r.Text("scrape_targets", {r.M({{"scrape_configs", Value::Null()}})}) == "[]");
  // A job with no targets, and empty target lists, contribute nothing.
  CHECK(r.Text("scrape_targets", {Config(r, {r.M({{"job_name", r.S("empty")}})})}) == "[]");
  CHECK(r.Text("scrape_targets", {Config(r, {StaticJob(r, "none", {})})}) == "[]");
}

TEST_CASE("scrape_targets: a malformed configuration is an error naming where") {
  Runner r;
  Value bad_targets = r.Located("web:80", 7, 18);
  Value job =
      r.M({{"job_name", r.S("j")}, {"static_configs", r.L({r.M({{"targets", bad_targets}})})}});
  CHECK(r.Text("scrape_targets", {Config(r, {StaticJob(r, "ok", {r.S("a:1")}), job})}) ==
        "error type.mismatch");
  CHECK(r.ctx.error.message ==
        "scrape_targets(): scrape_configs[1].static_configs[0].targets must be a list, got string "
        "(line 7, column 18)");
  CHECK(r.Text("scrape_targets", {r.M({{"scrape_configs", r.S("x")}})}) == "error type.mismatch");
  CHECK(r.ctx.error.message.find("scrape_configs must be a list") != std::string::npos);
  CHECK(r.Text("scrape_targets", {Config(r, {r.S("job")})}) == "error type.mismatch");
  CHECK(r.Text("scrape_targets", {Config(r, {StaticJob(r, "n", {r.N("9100")})})}) ==
        "error type.mismatch");
  CHECK(r.ctx.error.message.find("targets[0] must be a string") != std::string::npos);
  CHECK(r.Text("scrape_targets",
               {Config(r, {r.M({{"job_name", r.S("j")}, {"static_configs", r.S("x")}})})}) ==
        "error type.mismatch");
  CHECK(r.Text("scrape_targets",
               {Config(r, {r.M({{"job_name", r.S("j")},
                                {"dns_sd_configs", r.L({r.M({{"names", r.S("a")}})})}})})}) ==
        "error type.mismatch");
  CHECK(r.Text("scrape_targets",
               {Config(r, {r.M({{"job_name", r.S("j")}, {"docker_sd_configs", r.M({})}})})}) ==
        "error type.mismatch");
}

TEST_CASE("scrape_targets: 100k targets stay linear") {
  // An absolute bound, not a ratio of two sizes: 10k results fit in the cache and
  // 100k do not, so the ratio moves with the machine's load. Linear takes 0.1 to
  // 0.35 s here (each entry is a 9-key map); quadratic would take minutes.
  Runner r;
  std::vector<std::string> names;
  names.reserve(100000);
  for (int i = 0; i < 100000; ++i) names.push_back("host" + std::to_string(i) + ":9100");
  std::vector<Value> targets;
  for (const std::string& n : names) targets.push_back(Value::String(n));
  Value doc = Config(r, {StaticJob(r, "big", std::move(targets))});
  const auto start = std::chrono::steady_clock::now();
  Value t = r.Call("scrape_targets", {doc});
  const auto took = std::chrono::steady_clock::now() - start;
  REQUIRE_FALSE(r.ctx.error.set());
  CHECK(t.as_list().size() == 100000);
  CHECK(At(t, 99999, "host") == "\"host99999\"");
  MESSAGE("scrape_targets over 100k targets: "
          << std::chrono::duration_cast<std::chrono::milliseconds>(took).count() << " ms");
  CHECK(took < std::chrono::seconds(5));
}

TEST_CASE("rule_files: the globs a configuration names, located") {
  Runner r;
  Value glob = r.Located("alert.rules", 9, 5);
  CHECK(r.Text("rule_files", {r.M({{"rule_files", r.L({glob, r.S("rules/*.yml")})}})}) ==
        R"(["alert.rules","rules/*.yml"])");
  Value files = r.Call("rule_files", {r.M({{"rule_files", r.L({glob})}})});
  CHECK(files.as_list()[0].loc().line == 9);
  CHECK(r.Text("rule_files", {r.M({{"scrape_configs", r.L({})}})}) == "[]");
  CHECK(r.Text("rule_files", {Value::Null()}) == "[]");
  CHECK(r.Text("rule_files", {r.L({})}) == "[]");
  CHECK(r.Text("rule_files", {r.M({{"rule_files", r.S("a.rules")}})}) == "error type.mismatch");
  CHECK(r.Text("rule_files", {r.M({{"rule_files", r.L({r.N("1")})}})}) == "error type.mismatch");
}

namespace {

Value Rule(Runner& r, std::string_view alert, std::string_view expr) {
  return r.M({{"alert", r.S(alert)},
              {"expr", r.S(expr)},
              {"for", r.S("1m")},
              {"labels", r.M({{"severity", r.S("critical")}})},
              {"annotations", r.M({{"summary", r.S("down")}})}});
}

Value RuleFile(Runner& r, std::vector<Value> rules) {
  return r.M({{"groups", r.L({r.M({{"name", r.S("g")}, {"rules", r.L(std::move(rules))}})})}});
}

// "jobs all_jobs" of one expression.
std::string JobsOf(Runner& r, std::string_view expr) {
  Value a = r.Call("alert_rules", {RuleFile(r, {Rule(r, "A", expr)})});
  REQUIRE_FALSE(r.ctx.error.set());
  REQUIRE(a.as_list().size() == 1);
  return At(a, 0, "jobs") + " " + At(a, 0, "all_jobs");
}

}  // namespace

TEST_CASE("alert_rules: one entry per alerting rule, recording rules skipped") {
  Runner r;
  Value alert = Rule(r, "InstanceDown", "up == 0");
  Value located = r.M({{"alert", r.S("X")}, {"expr", r.S("x > 1")}});
  located.set_loc(r.Located("", 14, 3).loc());
  Value doc = r.M(
      {{"groups", r.L({r.M({{"name", r.S("targets")},
                            {"rules", r.L({alert, r.M({{"record", r.S("job:up:sum")},
                                                       {"expr", r.S("sum by (job) (up)")}})})}}),
                       r.M({{"name", r.S("host")}, {"rules", r.L({located})}})})}});
  Value a = r.Call("alert_rules", {doc});
  REQUIRE_FALSE(r.ctx.error.set());
  REQUIRE(a.as_list().size() == 2);
  CHECK(ToJson(a.as_list()[0]) ==
        R"({"group":"targets","alert":"InstanceDown","expr":"up == 0","for":"1m",)"
        R"("labels":{"severity":"critical"},"annotations":{"summary":"down"},"jobs":[],)"
        R"("all_jobs":true})");
  CHECK(ToJson(a.as_list()[1]) ==
        R"({"group":"host","alert":"X","expr":"x > 1","for":null,"labels":null,)"
        R"("annotations":null,"jobs":[],"all_jobs":false})");
  CHECK(a.as_list()[1].loc().line == 14);  // at the rule
}

TEST_CASE("alert_rules: the jobs an expression names") {
  Runner r;
  CHECK(JobsOf(r, "up{job=\"node\"} == 0") == "[\"node\"] false");
  CHECK(JobsOf(r, "up{job=~\"node|cadvisor\"} == 0") == "[\"node\",\"cadvisor\"] false");
  CHECK(JobsOf(r, "absent(up{job='api'})") == "[\"api\"] false");
  CHECK(JobsOf(r, "rate(http_requests_total{job=\"api\", code=~\"5..\"}[5m]) > 1") ==
        "[\"api\"] false");
  CHECK(JobsOf(r, "a{job=\"x\"} / on(job) b{job=\"y\"}") == "[\"x\",\"y\"] false");
  CHECK(JobsOf(r, "up{job=\"x\"} or up{job=\"x\"}") == "[\"x\"] false");
  // `up` without a job matcher watches every job.
  CHECK(JobsOf(r, "up == 0") == "[] true");
  CHECK(JobsOf(r, "sum by (job) (up) == 0") == "[] true");
  CHECK(JobsOf(r, "up{instance=~\".*:9100\"} == 0") == "[] true");
  CHECK(JobsOf(r, "up{job=~\".*\"} == 0") == "[] true");
  CHECK(JobsOf(r, "up{job!=\"x\"} == 0") == "[] true");  // exclusions are not followed
  CHECK(JobsOf(r, "{__name__=\"up\"} == 0") == "[] true");
  CHECK(JobsOf(r, "{\"up\"} == 0") == "[] true");
  CHECK(JobsOf(r, "avg_over_time(up[5m]) < 0.9") == "[] true");
  // A regex that is not a list of names restricts the jobs without naming them.
  CHECK(JobsOf(r, "up{job=~\"node.*\"} == 0") == "[] false");
  // Other metrics without a job matcher name no job: which jobs export them is unknown.
  CHECK(JobsOf(r, "node_load1 > 1.5") == "[] false");
  CHECK(JobsOf(r, "rate(request_duration_seconds_count{status_code=\"500\"}[1m]) > .1") ==
        "[] false");
  CHECK(JobsOf(r, "upstream_errors > 0") == "[] false");
  CHECK(JobsOf(r, "max_over_time(up_ratio[5m]) offset 5m < 1") == "[] false");
  // Strings, durations and label lists are not selectors.
  CHECK(JobsOf(r, "label_replace(x, \"up\", \"$1\", \"job\", \"(.*)\") > 0") == "[] false");
  CHECK(JobsOf(r, "sum without (up) (x) > 1 # up == 0") == "[] false");
}

TEST_CASE("alert_rules: a non-string expression and other files") {
  Runner r;
  Value a =
      r.Call("alert_rules", {RuleFile(r, {r.M({{"alert", r.S("Always")}, {"expr", r.N("1")}})})});
  CHECK(At(a, 0, "jobs") == "[]");
  CHECK(At(a, 0, "all_jobs") == "false");
  CHECK(r.Text("alert_rules", {Value::Null()}) == "[]");
  CHECK(r.Text("alert_rules", {r.M({{"scrape_configs", r.L({})}})}) == "[]");
  CHECK(r.Text("alert_rules", {r.L({})}) == "[]");
  CHECK(r.Text("alert_rules", {r.M({{"groups", r.L({r.M({{"name", r.S("g")}})})}})}) == "[]");
}

TEST_CASE("alert_jobs: one entry per watched job, \"*\" for every job, located at the rule") {
  Runner r;
  Value named = Rule(r, "Down", "up{job=~\"node|cadvisor\"} == 0");
  named.set_loc(r.Located("", 6, 3).loc());
  Value doc = RuleFile(r, {named, Rule(r, "AnyDown", "up == 0"), Rule(r, "Load", "node_load1 > 1"),
                           r.M({{"record", r.S("x")}, {"expr", r.S("up")}})});
  Value j = r.Call("alert_jobs", {doc});
  REQUIRE_FALSE(r.ctx.error.set());
  CHECK(
      ToJson(j) ==
      R"([{"job":"node","alert":"Down","group":"g"},{"job":"cadvisor","alert":"Down","group":"g"},)"
      R"({"job":"*","alert":"AnyDown","group":"g"}])");
  CHECK(j.as_list()[0].loc().line == 6);
  CHECK(r.Text("alert_jobs", {Value::Null()}) == "[]");
  CHECK(r.Text("alert_jobs", {r.M({{"groups", r.S("x")}})}) == "error type.mismatch");
  CHECK(r.ctx.error.message == "alert_jobs(): groups must be a list, got string");
}

TEST_CASE("alert_rules: a malformed rule file is an error naming where") {
  Runner r;
  CHECK(r.Text("alert_rules", {r.M({{"groups", r.S("x")}})}) == "error type.mismatch");
  CHECK(r.Text("alert_rules", {r.M({{"groups", r.L({r.S("g")})}})}) == "error type.mismatch");
  CHECK(r.ctx.error.message == "alert_rules(): groups[0] must be a map, got string");
  CHECK(
      r.Text("alert_rules", {r.M({{"groups", r.L({r.M({{"rules", r.Located("x", 3, 12)}})})}})}) ==
      "error type.mismatch");
  CHECK(r.ctx.error.message ==
        "alert_rules(): groups[0].rules must be a list, got string (line 3, column 12)");
  CHECK(r.Text("alert_rules", {RuleFile(r, {r.S("rule")})}) == "error type.mismatch");
}

TEST_CASE("alert_rules: a long expression is scanned once") {
  Runner r;
  std::string expr;
  for (int i = 0; i < 20000; ++i) expr += "up{job=\"j" + std::to_string(i % 50) + "\"} == 0 or ";
  expr += "vector(0)";
  const auto start = std::chrono::steady_clock::now();
  CHECK(JobsOf(r, expr).substr(0, 14) == "[\"j0\",\"j1\",\"j2");
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(2));
}

TEST_CASE("alert_rules: 100k distinct jobs in one expression and 100k rules stay linear") {
  Runner r;
  std::string expr = "up{job=~\"";
  for (int i = 0; i < 100000; ++i) expr += (i ? "|j" : "j") + std::to_string(i);
  expr += "\"} == 0";
  auto start = std::chrono::steady_clock::now();
  Value a = r.Call("alert_rules", {RuleFile(r, {Rule(r, "Many", expr)})});
  REQUIRE_FALSE(r.ctx.error.set());
  CHECK(a.as_list()[0].Find("jobs")->as_list().size() == 100000);
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(2));

  std::vector<Value> rules;
  for (int i = 0; i < 100000; ++i) rules.push_back(Rule(r, "A", "up{job=\"x\"} == 0"));
  start = std::chrono::steady_clock::now();
  a = r.Call("alert_rules", {RuleFile(r, std::move(rules))});
  CHECK(a.as_list().size() == 100000);
  CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(2));
}

TEST_CASE("exposes_metrics: exporters, cAdvisor and the Pushgateway by image") {
  Runner r;
  auto image = [&](std::string_view ref) {
    return r.Text("exposes_metrics", {r.M({{"image", r.S(ref)}})});
  };
  CHECK(image("prom/node-exporter:v1.9.1") == "true");
  CHECK(image("quay.io/prometheus/node-exporter:latest") == "true");
  CHECK(image("oliver006/redis_exporter") == "true");
  CHECK(image("prometheuscommunity/postgres-exporter@sha256:0123") == "true");
  CHECK(image("nginx/nginx-prometheus-exporter:1.1") == "true");
  CHECK(image("Prom/MySQLD-Exporter") == "true");
  CHECK(image("gcr.io/cadvisor/cadvisor:v0.52.1") == "true");
  CHECK(image("prom/pushgateway") == "true");
  CHECK(image("localhost:5000/node-exporter") == "true");
  // Prometheus, Grafana, Alertmanager and ordinary services are not targets here.
  CHECK(image("prom/prometheus:v3.4.2") == "false");
  CHECK(image("grafana/grafana") == "false");
  CHECK(image("prom/alertmanager") == "false");
  CHECK(image("nginx:1.25") == "false");
  CHECK(image("exporter-ui/web") == "false");  // only the last component counts
  CHECK(image("${REGISTRY}/node-exporter") == "true");
  CHECK(image("prom/${EXPORTER}") == "false");  // unknown
  CHECK(r.Text("exposes_metrics", {r.M({{"build", r.S(".")}})}) == "false");
}

TEST_CASE("exposes_metrics: the prometheus.io/scrape label decides first") {
  Runner r;
  CHECK(r.Text("exposes_metrics",
               {r.M({{"image", r.S("app")},
                     {"labels", r.M({{"prometheus.io/scrape", r.S("true")},
                                     {"prometheus.io/port", r.S("9458")}})}})}) == "true");
  CHECK(r.Text("exposes_metrics",
               {r.M({{"labels", r.M({{"prometheus.io.scrape", Value::Bool(true)}})}})}) == "true");
  CHECK(r.Text("exposes_metrics", {r.M({{"labels", r.L({r.S("prometheus_io_scrape=TRUE")})}})}) ==
        "true");
  // An explicit "false" wins over an exporter image.
  CHECK(r.Text("exposes_metrics",
               {r.M({{"image", r.S("prom/node-exporter")},
                     {"labels", r.M({{"prometheus.io/scrape", r.S("false")}})}})}) == "false");
  // Other label values say nothing; the image decides.
  CHECK(r.Text("exposes_metrics",
               {r.M({{"image", r.S("prom/node-exporter")},
                     {"labels", r.M({{"prometheus.io/scrape", r.S("${SCRAPE}")}})}})}) == "true");
  CHECK(r.Text("exposes_metrics",
               {r.M({{"labels", r.M({{"org.label-schema.group", r.S("monitoring")}})}})}) ==
        "false");
  CHECK(r.Text("exposes_metrics", {Value::Null()}) == "false");
  CHECK(r.Text("exposes_metrics", {r.S("web")}) == "error type.mismatch");
}
