// The Prometheus builtins over real projects (issue 15, RDY-OBS-001/002):
// tests/corpus/observability/MANIFEST.tsv lists 13 public projects with a
// compose file and a Prometheus configuration (repository, commit, licence,
// files); POLICY_SHARED_DIR/corpus/observability/PROJECT/PATH holds the files
// (fetched files are not committed; POLICY_OBSERVABILITY_CORPUS names another
// copy). For each project, tests/corpus/observability/PROJECT/expected.tsv says
// by hand which services expose metrics, which of those the configuration
// scrapes and which scraped jobs an alert rule watches, and whether the
// builtins get each answer right; this test holds the builtins to exactly that,
// so a change in either shows up here. Skipped when the files are absent.
//
// POLICY_OBSERVABILITY_DUMP=1 prints what the builtins answer, one row per
// question, in expected.tsv's columns: the start of a new project's review.
#include <doctest/doctest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "case_support.h"
#include "libpolicy/eval/builtins.h"
#include "libpolicy/load/loaders.h"

namespace fs = std::filesystem;
using policy::MapEntry;
using policy::Type;
using policy::Value;

namespace {

fs::path CorpusDir() {
  if (const char* dir = std::getenv("POLICY_OBSERVABILITY_CORPUS")) return dir;
  return fs::path(POLICY_SHARED_DIR) / "corpus" / "observability";
}
fs::path ExpectationsDir() {
  return policy_test::SourceDir() / "tests" / "corpus" / "observability";
}

std::vector<std::string> Split(const std::string& text, char sep) {
  std::vector<std::string> out;
  std::stringstream in(text);
  std::string field;
  while (std::getline(in, field, sep)) {
    if (!field.empty()) out.push_back(field);
  }
  return out;
}

struct Project {
  std::string name, repo, commit, licence;
  std::vector<std::string> compose, rules;
  std::string config;
};

std::vector<Project> Manifest() {
  std::ifstream in(ExpectationsDir() / "MANIFEST.tsv");
  std::vector<Project> out;
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    std::vector<std::string> f;
    std::stringstream fields(line);
    std::string field;
    while (std::getline(fields, field, '\t')) f.push_back(field);
    REQUIRE_MESSAGE(f.size() == 7, line);
    Project p{f[0], f[1], f[2], f[3], Split(f[4], ' '), {}, f[5]};
    if (f[6] != "-") p.rules = Split(f[6], ' ');
    out.push_back(p);
  }
  return out;
}

// Loaded documents stay alive for the builtins' results, which point into them.
struct Loaded {
  std::vector<std::unique_ptr<policy::Document>> keep;

  const Value& Yaml(const fs::path& file) {
    const std::string text = policy_test::ReadFile(file);
    policy::load::DocumentsResult r = policy::load::LoadYaml(text, file.string(), {}, true);
    REQUIRE_MESSAGE(!r.error, (file.string() + ": " + (r.error ? r.error->message : "")));
    REQUIRE(r.documents.size() == 1);
    keep.push_back(std::move(r.documents[0]));
    return keep.back()->root;
  }

  // The compose project of several files, as `docker compose -f a -f b` reads it.
  const Value& Compose(const fs::path& dir, const std::vector<std::string>& files) {
    std::vector<std::unique_ptr<policy::Document>> docs;
    for (const std::string& name : files) {
      const std::string text = policy_test::ReadFile(dir / name);
      policy::load::DocumentsResult r = policy::load::LoadYaml(text, name, {}, true);
      REQUIRE_MESSAGE(!r.error, name);
      REQUIRE_FALSE(policy::load::NormalizeCompose(*r.documents[0]));
      docs.push_back(std::move(r.documents[0]));
    }
    if (docs.size() == 1) {
      keep.push_back(std::move(docs[0]));
    } else {
      policy::Result<std::unique_ptr<policy::Document>> merged =
          policy::load::MergeCompose(std::move(docs));
      REQUIRE(merged.ok());
      keep.push_back(std::move(merged.value()));
    }
    return keep.back()->root;
  }
};

Value Call(policy::eval::CallContext& ctx, std::string_view name, const Value& arg) {
  const policy::eval::Builtin* b = policy::eval::FindBuiltin(name);
  REQUIRE(b != nullptr);
  const Value args[] = {arg};
  Value out = b->fn(std::span<const Value>(args), ctx);
  REQUIRE_MESSAGE(!ctx.error.set(), ctx.error.message);
  return out;
}

std::string Text(const Value* v) {
  return v != nullptr && v->is(Type::kString) ? std::string(v->as_string()) : std::string();
}

// A published port as text: short syntax normalises to a string, the long
// syntax keeps the number written (string(p.published) in a rule).
std::string PortText(const Value* v) {
  if (v != nullptr && v->is(Type::kDecimal)) return v->as_decimal().ToCanonicalString();
  return Text(v);
}

// The names a service answers to on its networks: its own, container_name,
// hostname and every network alias (what a scrape target's host may be).
std::set<std::string> NamesOf(std::string_view name, const Value& svc) {
  std::set<std::string> out = {std::string(name)};
  for (std::string_view key : {"container_name", "hostname"}) {
    if (std::string t = Text(svc.Find(key)); !t.empty()) out.insert(t);
  }
  const Value* networks = svc.Find("networks");
  if (networks != nullptr && networks->is(Type::kMap)) {
    for (const MapEntry& n : networks->as_map()) {
      const Value* aliases = n.value.Find("aliases");
      if (aliases == nullptr || !aliases->is(Type::kList)) continue;
      for (const Value& a : aliases->as_list()) {
        if (a.is(Type::kString)) out.insert(std::string(a.as_string()));
      }
    }
  }
  return out;
}

struct Answers {
  std::map<std::string, bool> exposes;  // service -> exposes_metrics
  // service -> a target's service names it, or a host.docker.internal target
  // has a port it publishes
  std::map<std::string, bool> scraped;
  std::map<std::string, bool> alerted;  // job -> an alert watches it
};

Answers Ask(const Project& p, const fs::path& dir, Loaded& loaded, policy::eval::CallContext& ctx) {
  Answers a;
  const Value& compose = loaded.Compose(dir, p.compose);
  const Value targets = Call(ctx, "scrape_targets", loaded.Yaml(dir / p.config));
  std::set<std::string> scraped_hosts;
  std::set<std::string> scraped_host_ports;  // host.docker.internal:PORT, as "PORT"
  std::vector<std::string> jobs;
  for (const Value& t : targets.as_list()) {
    if (std::string s = Text(t.Find("service")); !s.empty()) scraped_hosts.insert(s);
    const Value* port = t.Find("port");
    if (Text(t.Find("host")) == "host.docker.internal" && port->is(Type::kDecimal))
      scraped_host_ports.insert(port->as_decimal().ToCanonicalString());
    const std::string job = Text(t.Find("job"));
    if (!job.empty() && std::find(jobs.begin(), jobs.end(), job) == jobs.end()) jobs.push_back(job);
  }
  const Value* services = compose.Find("services");
  REQUIRE(services != nullptr);
  for (const MapEntry& s : services->as_map()) {
    const std::string name(s.key);
    a.exposes[name] = Call(ctx, "exposes_metrics", s.value).as_bool();
    bool scraped = false;
    for (const std::string& n : NamesOf(s.key, s.value))
      scraped = scraped || scraped_hosts.count(n);
    // Through the docker host: a port the service publishes there.
    const Value* ports = s.value.Find("ports");
    if (ports != nullptr && ports->is(Type::kList)) {
      for (const Value& port : ports->as_list())
        scraped = scraped || scraped_host_ports.count(PortText(port.Find("published")));
    }
    a.scraped[name] = scraped;
  }
  std::set<std::string> watched;
  bool all_jobs = false;
  for (const std::string& file : p.rules) {
    const Value alerts = Call(ctx, "alert_rules", loaded.Yaml(dir / file));
    for (const Value& r : alerts.as_list()) {
      all_jobs = all_jobs || r.Find("all_jobs")->as_bool();
      for (const Value& j : r.Find("jobs")->as_list()) watched.insert(std::string(j.as_string()));
    }
  }
  for (const std::string& job : jobs) a.alerted[job] = all_jobs || watched.count(job) > 0;
  return a;
}

struct Tally {
  int agree = 0, total = 0;
  int true_yes = 0, false_yes = 0, false_no = 0;  // builtin yes and truth yes; yes/no; no/yes
};

}  // namespace

TEST_CASE("observability corpus: the builtins answer as reviewed by hand") {
  const fs::path corpus = CorpusDir();
  if (!fs::is_directory(corpus)) {
    MESSAGE("skipped: no corpus at " << corpus.string());
    return;
  }
  const bool dump = std::getenv("POLICY_OBSERVABILITY_DUMP") != nullptr;
  std::map<std::string, Tally> tallies;  // by kind
  int projects = 0;
  for (const Project& p : Manifest()) {
    CAPTURE(p.name);
    const fs::path dir = corpus / p.name;
    REQUIRE_MESSAGE(fs::is_directory(dir), dir.string());
    ++projects;
    policy::Arena arena;
    policy::eval::CallContext ctx(arena);
    Loaded loaded;
    Answers a = Ask(p, dir, loaded, ctx);
    const std::map<std::string, std::map<std::string, bool>*> by_kind = {
        {"exposes", &a.exposes}, {"scraped", &a.scraped}, {"alerted", &a.alerted}};
    if (dump) {
      for (const auto& [kind, answers] : by_kind) {
        for (const auto& [name, yes] : *answers)
          std::cout << p.name << "\t" << kind << "\t" << name << "\t" << (yes ? "yes" : "no")
                    << "\n";
      }
      continue;
    }
    // kind, name, truth (yes/no, by hand), agree (the builtins give the truth), why.
    std::ifstream in(ExpectationsDir() / p.name / "expected.tsv");
    REQUIRE_MESSAGE(in.good(), (p.name + "/expected.tsv"));
    std::set<std::pair<std::string, std::string>> reviewed;
    std::string line;
    while (std::getline(in, line)) {
      if (line.empty() || line[0] == '#') continue;
      std::vector<std::string> f;
      std::stringstream fields(line);
      std::string field;
      while (std::getline(fields, field, '\t')) f.push_back(field);
      REQUIRE_MESSAGE(f.size() >= 4, line);
      const std::string &kind = f[0], &name = f[1], &truth = f[2], &agree = f[3];
      REQUIRE_MESSAGE(by_kind.count(kind), line);
      REQUIRE_MESSAGE((truth == "yes" || truth == "no"), line);
      REQUIRE_MESSAGE((agree == "agree" || agree == "miss"), line);
      std::map<std::string, bool>& answers = *by_kind.at(kind);
      REQUIRE_MESSAGE(answers.count(name), ("no such " + kind + " question: " + line));
      const bool builtins_right = answers.at(name) == (truth == "yes");
      CHECK_MESSAGE(builtins_right == (agree == "agree"), line);
      reviewed.insert({kind, name});
      Tally& t = tallies[kind];
      ++t.total;
      t.agree += builtins_right ? 1 : 0;
      if (answers.at(name)) (truth == "yes" ? t.true_yes : t.false_yes) += 1;
      if (!answers.at(name) && truth == "yes") ++t.false_no;
    }
    // Every service is reviewed for exposing; every scraped job for alerts.
    for (const auto& [name, yes] : a.exposes)
      CHECK_MESSAGE(reviewed.count({"exposes", name}), ("unreviewed service " + name));
    for (const auto& [name, yes] : a.alerted)
      CHECK_MESSAGE(reviewed.count({"alerted", name}), ("unreviewed job " + name));
  }
  CHECK(projects >= 10);
  for (const auto& [kind, t] : tallies)
    MESSAGE(kind << ": the builtins agree with the review on " << t.agree << " of " << t.total
                 << " (yes and right " << t.true_yes << ", yes but wrong " << t.false_yes
                 << ", no but wrong " << t.false_no << ")");
}

TEST_CASE("observability corpus: every YAML file is safe input for every helper") {
  // A glob such as **/prometheus.y*ml also matches compose overlays and
  // file_sd target lists: the helpers give [] for them, never an error.
  const fs::path corpus = CorpusDir();
  if (!fs::is_directory(corpus)) return;
  int files = 0;
  for (const fs::directory_entry& e : fs::recursive_directory_iterator(corpus)) {
    const std::string ext = e.path().extension().string();
    if (!e.is_regular_file() || (ext != ".yml" && ext != ".yaml" && ext != ".rules")) continue;
    CAPTURE(e.path().string());
    Loaded loaded;
    const Value& doc = loaded.Yaml(e.path());
    policy::Arena arena;
    policy::eval::CallContext ctx(arena);
    for (std::string_view fn : {"scrape_targets", "alert_rules", "rule_files"})
      CHECK(Call(ctx, fn, doc).is(Type::kList));
    ++files;
  }
  CHECK(files >= 30);
}
