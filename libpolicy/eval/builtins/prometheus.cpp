// Prometheus helpers for the observability rules (RDY-OBS-001/002, LANGUAGE.md
// section 11.6): what a Prometheus configuration scrapes, which alerts a rule
// file defines and which jobs they watch, and whether a compose service exposes
// metrics. The criteria are written out in LANGUAGE.md ("Extensions"); each
// function reads one document or service and never fails on input that is
// simply something else (a compose file named prometheus.yml gives []).
//
//   scrape_targets(doc)   one map per target of every scrape config
//   alert_rules(doc)      one map per alerting rule of a rule file
//   alert_jobs(doc)       one map per job an alerting rule watches
//   rule_files(doc)       the rule_files globs of a configuration
//   exposes_metrics(svc)  whether a compose service exposes Prometheus metrics
#include <fmt/format.h>

#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <unordered_set>
#include <vector>

#include "libpolicy/eval/builtins/support.h"

namespace policy::eval {
namespace {

// ---- Shared helpers ---------------------------------------------------------

Value MakeMap(Arena& arena, std::span<const MapEntry> entries, const Value& origin) {
  MapEntry* storage = arena.AllocateArray<MapEntry>(entries.size());
  std::uninitialized_copy(entries.begin(), entries.end(), storage);
  return Value::Map(storage, static_cast<uint32_t>(entries.size())).WithOriginOf(origin);
}

// " (line L, column C)" for a located value, "" otherwise: an error names where
// in the file the bad shape is, not only its path.
std::string At(const Value& v) {
  if (!v.loc().known()) return "";
  return fmt::format(" (line {}, column {})", v.loc().line, v.loc().column);
}

// Fails with type.mismatch: "FN(): PATH must be WANT, got TYPE (line, column)".
Value BadShape(CallContext& ctx, std::string_view fn, const std::string& path,
               std::string_view want, const Value& got) {
  return Invalid(ctx, fn,
                 fmt::format("{} must be {}, got {}{}", path, want, TypeName(got.type()), At(got)),
                 DiagCode::kTypeMismatch);
}

// A map's field, or null when the map lacks it.
Value Field(const Value& map, std::string_view key) {
  const Value* v = map.Find(key);
  return v != nullptr ? *v : Value::Null();
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsIdentStart(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == ':';
}
bool IsIdentChar(char c) { return IsIdentStart(c) || IsDigit(c); }

char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }
bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (Lower(a[i]) != Lower(b[i])) return false;
  }
  return true;
}

// ---- scrape_targets ---------------------------------------------------------

// Keys of every scrape_targets entry, in this order.
constexpr std::string_view kTargetFields[] = {
    "job", "discovery", "target", "host", "port", "service", "scheme", "metrics_path", "problem"};

// A target address as Prometheus reads it (scrape/target.go): `host`, `host:port`
// or `[ipv6]:port`; an address with a "/" (a scheme or a path) is rejected there
// ("is not a valid hostname"), and an unbracketed IPv6 address has no port.
struct Address {
  std::string_view host;
  std::optional<uint32_t> port;
  std::string_view problem;  // empty when Prometheus accepts it
};

Address ParseAddress(std::string_view text) {
  Address a;
  if (text.empty()) {
    a.problem = "an empty target";
    return a;
  }
  if (text.find('/') != std::string_view::npos) {
    a.problem =
        "Prometheus rejects a target with a scheme or a path; write them in scheme: and "
        "metrics_path:";
    return a;
  }
  std::string_view port_text;
  bool has_port = false;
  if (text.front() == '[') {
    const std::size_t close = text.find(']');
    if (close == std::string_view::npos || close == 1) {
      a.problem = "an unterminated or empty [IPv6] address";
      return a;
    }
    a.host = text.substr(1, close - 1);
    std::string_view rest = text.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') {
        a.problem = "text after the ] of an IPv6 address that is not :PORT";
        a.host = {};
        return a;
      }
      port_text = rest.substr(1);
      has_port = true;
    }
  } else {
    const std::size_t colon = text.find(':');
    if (colon == std::string_view::npos) {
      a.host = text;
    } else if (text.find(':', colon + 1) != std::string_view::npos) {
      a.problem = "an IPv6 address must be written in brackets: [::1]:9100";
      return a;
    } else {
      a.host = text.substr(0, colon);
      port_text = text.substr(colon + 1);
      has_port = true;
    }
  }
  if (a.host.empty()) {
    a.problem = "a target without a host";
    return a;
  }
  if (has_port) {
    uint32_t port = 0;
    bool ok = !port_text.empty() && port_text.size() <= 5;
    for (char c : port_text) {
      ok = ok && IsDigit(c);
      if (ok) port = port * 10 + static_cast<uint32_t>(c - '0');
    }
    if (!ok || port == 0 || port > 65535) {
      a.problem = "the port is not a number from 1 to 65535";
      a.host = {};
      return a;
    }
    a.port = port;
  }
  return a;
}

bool IsIpv4(std::string_view host) {
  int dots = 0;
  for (char c : host) {
    if (c == '.') {
      ++dots;
    } else if (!IsDigit(c)) {
      return false;
    }
  }
  return dots == 3;
}

// The compose service a host names, when it names one: a single DNS label
// (compose puts every service on its networks under its own name) other than
// `localhost`, or `tasks.NAME` (Docker Swarm's name for a service's tasks, the
// usual dns_sd_configs name). Null for IP addresses, dotted names
// (host.docker.internal, FQDNs) and `localhost` (Prometheus itself).
std::string_view ServiceOf(std::string_view host) {
  constexpr std::string_view kTasks = "tasks.";
  if (host.substr(0, kTasks.size()) == kTasks) host.remove_prefix(kTasks.size());
  if (host.empty() || host.find_first_of(".:") != std::string_view::npos) return {};
  if (EqualsIgnoreCase(host, "localhost") || IsIpv4(host)) return {};
  for (char c : host) {
    if (!IsIdentChar(c) && c != '-') return {};
  }
  return host;
}

// What one scrape config contributes to every entry.
struct Job {
  // job_name, scheme and metrics_path, or a static config's `job`, `__scheme__`
  // and `__metrics_path__` labels, which Prometheus prefers (scrape/target.go
  // sets the job's values only where the target's labels have none).
  Value name;
  Value scheme;
  Value metrics_path;
  // relabel_configs may rewrite the address: Prometheus then checks it only
  // after relabelling, so nothing is reported of it here.
  bool relabels = false;
};

// The job's name, scheme and metrics path, defaults applied (http, /metrics).
Job JobOf(const Value& config) {
  Job job;
  job.name = Field(config, "job_name");
  job.scheme = Field(config, "scheme");
  if (!job.scheme.is(Type::kString)) job.scheme = Value::String("http");
  job.metrics_path = Field(config, "metrics_path");
  if (!job.metrics_path.is(Type::kString)) job.metrics_path = Value::String("/metrics");
  const Value relabel = Field(config, "relabel_configs");
  job.relabels = relabel.is(Type::kList) && !relabel.as_list().empty();
  return job;
}

Value StringOrNull(std::string_view s, const Value& origin) {
  if (s.data() == nullptr || s.empty()) return Value::Null();
  return Value::String(s).WithOriginOf(origin);
}

Value Entry(CallContext& ctx, const Job& job, std::string_view discovery, const Value& target,
            const Address& address, const Value& origin) {
  Value port = Value::Null();
  if (address.port) {
    port =
        Value::Number(Decimal::FromInt(static_cast<int64_t>(*address.port))).WithOriginOf(origin);
  }
  const MapEntry fields[] = {
      {kTargetFields[0], job.name},
      {kTargetFields[1], Value::String(discovery)},
      {kTargetFields[2], target},
      {kTargetFields[3], StringOrNull(address.host, origin)},
      {kTargetFields[4], port},
      {kTargetFields[5], StringOrNull(ServiceOf(address.host), origin)},
      {kTargetFields[6], job.scheme},
      {kTargetFields[7], job.metrics_path},
      {kTargetFields[8], StringOrNull(address.problem, origin)},
  };
  return MakeMap(ctx.arena, fields, origin);
}

constexpr std::string_view kScrapeTargets = "scrape_targets";

// static_configs[*]: one entry per target string.
bool StaticTargets(CallContext& ctx, const Job& job, const Value& configs, const std::string& where,
                   std::vector<Value>& out) {
  if (configs.is_null()) return true;
  if (!configs.is(Type::kList)) {
    BadShape(ctx, kScrapeTargets, where, "a list", configs);
    return false;
  }
  std::span<const Value> items = configs.as_list();
  for (std::size_t i = 0; i < items.size(); ++i) {
    const Value& group = items[i];
    if (!group.is(Type::kMap)) {
      BadShape(ctx, kScrapeTargets, fmt::format("{}[{}]", where, i), "a map", group);
      return false;
    }
    Job group_job = job;
    const Value labels = Field(group, "labels");
    if (labels.is(Type::kMap)) {
      for (auto [key, field] : {std::pair{"job", &Job::name}, std::pair{"__scheme__", &Job::scheme},
                                std::pair{"__metrics_path__", &Job::metrics_path}}) {
        const Value label = Field(labels, key);
        if (label.is(Type::kString) && !label.as_string().empty()) group_job.*field = label;
      }
    }
    const Value targets = Field(group, "targets");
    if (targets.is_null()) continue;
    if (!targets.is(Type::kList)) {
      BadShape(ctx, kScrapeTargets, fmt::format("{}[{}].targets", where, i), "a list", targets);
      return false;
    }
    std::span<const Value> list = targets.as_list();
    for (std::size_t t = 0; t < list.size(); ++t) {
      const Value& target = list[t];
      if (!target.is(Type::kString)) {
        BadShape(ctx, kScrapeTargets, fmt::format("{}[{}].targets[{}]", where, i, t),
                 "a string (host:port)", target);
        return false;
      }
      Address address = ParseAddress(target.as_string());
      if (group_job.relabels) address.problem = {};
      out.push_back(Entry(ctx, group_job, "static", target, address, target));
    }
  }
  return true;
}

// dns_sd_configs[*].names[*]: one entry per name; the port is the config's
// `port` (A and AAAA queries; an SRV record carries its own, so none here).
bool DnsTargets(CallContext& ctx, const Job& job, const Value& configs, const std::string& where,
                std::vector<Value>& out) {
  if (configs.is_null()) return true;
  if (!configs.is(Type::kList)) {
    BadShape(ctx, kScrapeTargets, where, "a list", configs);
    return false;
  }
  std::span<const Value> items = configs.as_list();
  for (std::size_t i = 0; i < items.size(); ++i) {
    const Value& config = items[i];
    if (!config.is(Type::kMap)) {
      BadShape(ctx, kScrapeTargets, fmt::format("{}[{}]", where, i), "a map", config);
      return false;
    }
    std::optional<uint32_t> port;
    const Value port_value = Field(config, "port");
    int64_t p = 0;
    if (IntegerArg(port_value, 1, 65535, &p)) port = static_cast<uint32_t>(p);
    const Value names = Field(config, "names");
    if (names.is_null()) continue;
    if (!names.is(Type::kList)) {
      BadShape(ctx, kScrapeTargets, fmt::format("{}[{}].names", where, i), "a list", names);
      return false;
    }
    std::span<const Value> list = names.as_list();
    for (std::size_t n = 0; n < list.size(); ++n) {
      const Value& name = list[n];
      if (!name.is(Type::kString)) {
        BadShape(ctx, kScrapeTargets, fmt::format("{}[{}].names[{}]", where, i, n),
                 "a string (a DNS name)", name);
        return false;
      }
      Address address;
      address.host = name.as_string();
      address.port = port;
      if (address.host.empty()) address.problem = "an empty DNS name";
      out.push_back(Entry(ctx, job, "dns", name, address, name));
    }
  }
  return true;
}

// Any other `X_sd_configs` (docker, dockerswarm, file, http, consul,
// kubernetes, ...): the targets are found at run time, so one entry per
// configuration, with discovery "X" and no target, host or port.
bool DiscoveredTargets(CallContext& ctx, const Job& job, std::string_view kind,
                       const Value& configs, const std::string& where, std::vector<Value>& out) {
  if (configs.is_null()) return true;
  if (!configs.is(Type::kList)) {
    BadShape(ctx, kScrapeTargets, where, "a list", configs);
    return false;
  }
  for (const Value& config : configs.as_list()) {
    out.push_back(Entry(ctx, job, kind, Value::Null(), Address{}, config));
  }
  return true;
}

Value ScrapeTargets(std::span<const Value> args, CallContext& ctx) {
  const Value& doc = args[0];
  std::vector<Value> out;
  if (!doc.is(Type::kMap)) return MakeList(ctx.arena, out);  // not a configuration
  const Value configs = Field(doc, "scrape_configs");
  if (configs.is_null()) return MakeList(ctx.arena, out);
  if (!configs.is(Type::kList))
    return BadShape(ctx, kScrapeTargets, "scrape_configs", "a list", configs);
  std::span<const Value> items = configs.as_list();
  for (std::size_t i = 0; i < items.size(); ++i) {
    const Value& config = items[i];
    const std::string where = fmt::format("scrape_configs[{}]", i);
    if (!config.is(Type::kMap)) return BadShape(ctx, kScrapeTargets, where, "a map", config);
    const Job job = JobOf(config);
    for (const MapEntry& e : config.as_map()) {
      constexpr std::string_view kSuffix = "_sd_configs";
      const std::string field = where + "." + std::string(e.key);
      bool ok = true;
      if (e.key == "static_configs") {
        ok = StaticTargets(ctx, job, e.value, field, out);
      } else if (e.key == "dns_sd_configs") {
        ok = DnsTargets(ctx, job, e.value, field, out);
      } else if (e.key.size() > kSuffix.size() &&
                 e.key.substr(e.key.size() - kSuffix.size()) == kSuffix) {
        ok = DiscoveredTargets(ctx, job, e.key.substr(0, e.key.size() - kSuffix.size()), e.value,
                               field, out);
      }
      if (!ok) return Value::Null();
    }
  }
  return MakeList(ctx.arena, out);
}

// ---- rule_files -------------------------------------------------------------

Value RuleFiles(std::span<const Value> args, CallContext& ctx) {
  const Value& doc = args[0];
  if (!doc.is(Type::kMap)) return MakeList(ctx.arena, {});
  const Value files = Field(doc, "rule_files");
  if (files.is_null()) return MakeList(ctx.arena, {});
  if (!files.is(Type::kList)) return BadShape(ctx, "rule_files", "rule_files", "a list", files);
  std::span<const Value> list = files.as_list();
  for (std::size_t i = 0; i < list.size(); ++i) {
    if (!list[i].is(Type::kString))
      return BadShape(ctx, "rule_files", fmt::format("rule_files[{}]", i), "a string (a glob)",
                      list[i]);
  }
  return files;
}

// ---- alert_rules ------------------------------------------------------------

// The jobs a PromQL expression's selectors name. Best effort, without a full
// parser: selectors are found by their shape (a metric name not followed by
// "(", and/or a {...} block), skipping strings, comments, [ranges] and the
// label lists of by/without/on/ignoring/group_left/group_right.
struct ExprJobs {
  std::vector<std::string_view> jobs;  // from job="x" and job=~"a|b" (literal alternatives)
  bool all_jobs = false;               // an `up` selector without a job = or =~ matcher
};

class PromqlScanner {
 public:
  explicit PromqlScanner(std::string_view s) : s_(s) {}

  ExprJobs Scan() {
    while (i_ < s_.size()) {
      const char c = s_[i_];
      if (c == '"' || c == '\'' || c == '`') {
        SkipString();
      } else if (c == '#') {
        while (i_ < s_.size() && s_[i_] != '\n') ++i_;
      } else if (c == '[') {
        while (i_ < s_.size() && s_[i_] != ']') ++i_;
      } else if (IsDigit(c) || (c == '.' && i_ + 1 < s_.size() && IsDigit(s_[i_ + 1]))) {
        // A number or a duration (5m, 1.5e3, 0x1f): one token, never a name.
        while (i_ < s_.size() && (IsIdentChar(s_[i_]) || s_[i_] == '.')) ++i_;
      } else if (IsIdentStart(c)) {
        Identifier();
      } else if (c == '{') {
        Selector({});
      } else {
        ++i_;
      }
    }
    return std::move(out_);
  }

 private:
  void SkipSpace() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\n' || s_[i_] == '\r'))
      ++i_;
  }

  // Skips a quoted string at i_; returns its text without quotes (escapes kept).
  std::string_view SkipString() {
    const char quote = s_[i_++];
    const std::size_t start = i_;
    while (i_ < s_.size() && s_[i_] != quote) {
      if (s_[i_] == '\\' && quote != '`') ++i_;
      ++i_;
    }
    const std::string_view text = s_.substr(start, std::min(i_, s_.size()) - start);
    if (i_ < s_.size()) ++i_;
    return text;
  }

  void Identifier() {
    const std::size_t start = i_;
    while (i_ < s_.size() && IsIdentChar(s_[i_])) ++i_;
    const std::string_view name = s_.substr(start, i_ - start);
    SkipSpace();
    for (std::string_view grouping :
         {"by", "without", "on", "ignoring", "group_left", "group_right"}) {
      if (EqualsIgnoreCase(name, grouping)) {
        if (i_ < s_.size() && s_[i_] == '(') {
          while (i_ < s_.size() && s_[i_] != ')') ++i_;
        }
        return;
      }
    }
    if (i_ < s_.size() && s_[i_] == '(') return;  // a function call or an aggregation
    if (i_ < s_.size() && s_[i_] == '{') {
      Selector(name);
      return;
    }
    // A bare name: a metric selector, or a keyword (and, or, bool, offset, ...)
    // that names no job either way.
    Finish(name, false);
  }

  // A {...} matcher block at i_, after `metric` (empty when none is written).
  void Selector(std::string_view metric) {
    ++i_;  // '{'
    bool restricted = false;
    while (i_ < s_.size() && s_[i_] != '}') {
      SkipSpace();
      std::string_view label;
      if (i_ < s_.size() && (s_[i_] == '"' || s_[i_] == '\'')) {
        label = SkipString();  // a quoted name: the metric ({"up"}) or a label
      } else {
        const std::size_t start = i_;
        while (i_ < s_.size() && IsIdentChar(s_[i_])) ++i_;
        label = s_.substr(start, i_ - start);
        if (label.empty() && i_ < s_.size() && s_[i_] != '}') ++i_;  // stray character
      }
      SkipSpace();
      std::string_view op;
      if (i_ + 1 < s_.size() &&
          (s_.substr(i_, 2) == "=~" || s_.substr(i_, 2) == "!=" || s_.substr(i_, 2) == "!~")) {
        op = s_.substr(i_, 2);
        i_ += 2;
      } else if (i_ < s_.size() && s_[i_] == '=') {
        op = s_.substr(i_, 1);
        i_ += 1;
      }
      if (op.empty()) {
        if (!label.empty()) metric = label;  // {"up"} or {up}: the metric's name
      } else {
        SkipSpace();
        std::string_view value;
        if (i_ < s_.size() && (s_[i_] == '"' || s_[i_] == '\'' || s_[i_] == '`'))
          value = SkipString();
        if (label == "__name__" && op == "=") metric = value;
        if (label == "job") restricted = Matcher(op, value) || restricted;
      }
      SkipSpace();
      if (i_ < s_.size() && s_[i_] == ',') ++i_;
    }
    if (i_ < s_.size()) ++i_;  // '}'
    Finish(metric, restricted);
  }

  // Adds the jobs of one job matcher; true when it restricts the jobs.
  bool Matcher(std::string_view op, std::string_view value) {
    if (op == "=") {
      if (!value.empty()) Add(value);
      return true;
    }
    if (op != "=~") return false;  // != and !~ exclude jobs: they restrict nothing here
    if (value == ".*" || value == ".+") return false;
    // Alternatives of literal names (a|b|c, escaped dots allowed) name jobs;
    // any other pattern restricts the jobs to ones this cannot list.
    std::size_t start = 0;
    for (std::size_t k = 0; k <= value.size(); ++k) {
      if (k < value.size() && value[k] != '|') {
        const char c = value[k];
        const bool literal = IsIdentChar(c) || c == '-' ||
                             (c == '\\' && k + 1 < value.size() && value[k + 1] == '.') ||
                             (c == '.' && k > 0 && value[k - 1] == '\\');
        if (!literal) return true;
        continue;
      }
      std::string_view alt = value.substr(start, k - start);
      if (!alt.empty() && alt.find('\\') == std::string_view::npos) Add(alt);
      start = k + 1;
    }
    return true;
  }

  // A set, not a search of the list: an expression may name many jobs.
  void Add(std::string_view job) {
    if (seen_.insert(job).second) out_.jobs.push_back(job);
  }

  void Finish(std::string_view metric, bool restricted) {
    if (metric == "up" && !restricted) out_.all_jobs = true;
  }

  std::string_view s_;
  std::size_t i_ = 0;
  ExprJobs out_;
  std::unordered_set<std::string_view> seen_;
};

constexpr std::string_view kAlertFields[] = {"group",  "alert",       "expr", "for",
                                             "labels", "annotations", "jobs", "all_jobs"};

// Calls `each(group, rule, alert, expr, jobs)` for every alerting rule of a
// rule file in order; false (ctx failed, naming where as `fn`) on a bad shape.
// Anything but a map with `groups` is no rule file: no calls, true.
template <class Each>
bool ForEachAlert(const Value& doc, CallContext& ctx, std::string_view fn, Each each) {
  if (!doc.is(Type::kMap)) return true;
  const Value groups = Field(doc, "groups");
  if (groups.is_null()) return true;
  if (!groups.is(Type::kList)) {
    BadShape(ctx, fn, "groups", "a list", groups);
    return false;
  }
  std::span<const Value> group_list = groups.as_list();
  for (std::size_t g = 0; g < group_list.size(); ++g) {
    const Value& group = group_list[g];
    if (!group.is(Type::kMap)) {
      BadShape(ctx, fn, fmt::format("groups[{}]", g), "a map", group);
      return false;
    }
    const Value rules = Field(group, "rules");
    if (rules.is_null()) continue;
    if (!rules.is(Type::kList)) {
      BadShape(ctx, fn, fmt::format("groups[{}].rules", g), "a list", rules);
      return false;
    }
    std::span<const Value> rule_list = rules.as_list();
    for (std::size_t r = 0; r < rule_list.size(); ++r) {
      const Value& rule = rule_list[r];
      if (!rule.is(Type::kMap)) {
        BadShape(ctx, fn, fmt::format("groups[{}].rules[{}]", g, r), "a map", rule);
        return false;
      }
      const Value alert = Field(rule, "alert");
      if (alert.is_null()) continue;  // a recording rule (record:) or no rule at all
      const Value expr = Field(rule, "expr");
      ExprJobs found;
      if (expr.is(Type::kString)) found = PromqlScanner(expr.as_string()).Scan();
      each(group, rule, alert, expr, found);
    }
  }
  return true;
}

Value AlertRules(std::span<const Value> args, CallContext& ctx) {
  std::vector<Value> out;
  std::vector<Value> jobs;
  const bool ok =
      ForEachAlert(args[0], ctx, "alert_rules",
                   [&](const Value& group, const Value& rule, const Value& alert, const Value& expr,
                       const ExprJobs& found) {
                     jobs.clear();
                     for (std::string_view job : found.jobs)
                       jobs.push_back(Value::String(job).WithOriginOf(expr));
                     const MapEntry fields[] = {
                         {kAlertFields[0], Field(group, "name")},
                         {kAlertFields[1], alert},
                         {kAlertFields[2], expr},
                         {kAlertFields[3], Field(rule, "for")},
                         {kAlertFields[4], Field(rule, "labels")},
                         {kAlertFields[5], Field(rule, "annotations")},
                         {kAlertFields[6], MakeList(ctx.arena, jobs).WithOriginOf(expr)},
                         {kAlertFields[7], Value::Bool(found.all_jobs).WithOriginOf(expr)},
                     };
                     out.push_back(MakeMap(ctx.arena, fields, rule));
                   });
  return ok ? MakeList(ctx.arena, out) : Value::Null();
}

// alert_jobs(doc): alert_rules flattened to one map per watched job, for an
// index keyed by job (an index reads one list per document).
constexpr std::string_view kAlertJobFields[] = {"job", "alert", "group"};
constexpr std::string_view kEveryJob = "*";

Value AlertJobs(std::span<const Value> args, CallContext& ctx) {
  std::vector<Value> out;
  const bool ok = ForEachAlert(args[0], ctx, "alert_jobs",
                               [&](const Value& group, const Value& rule, const Value& alert,
                                   const Value& expr, const ExprJobs& found) {
                                 auto add = [&](std::string_view job) {
                                   const MapEntry fields[] = {
                                       {kAlertJobFields[0], Value::String(job).WithOriginOf(expr)},
                                       {kAlertJobFields[1], alert},
                                       {kAlertJobFields[2], Field(group, "name")},
                                   };
                                   out.push_back(MakeMap(ctx.arena, fields, rule));
                                 };
                                 if (found.all_jobs) add(kEveryJob);
                                 for (std::string_view job : found.jobs) add(job);
                               });
  return ok ? MakeList(ctx.arena, out) : Value::Null();
}

// ---- exposes_metrics --------------------------------------------------------

// The scrape opt-in label, as Prometheus' kubernetes and docker examples spell it.
bool IsScrapeLabel(std::string_view key) {
  return EqualsIgnoreCase(key, "prometheus.io/scrape") ||
         EqualsIgnoreCase(key, "prometheus.io.scrape") ||
         EqualsIgnoreCase(key, "prometheus_io_scrape");
}

// true / false from the label's value, nullopt when it says neither.
std::optional<bool> ScrapeLabelValue(const Value& v) {
  if (v.is(Type::kBool)) return v.as_bool();
  if (!v.is(Type::kString)) return std::nullopt;
  if (EqualsIgnoreCase(v.as_string(), "true")) return true;
  if (EqualsIgnoreCase(v.as_string(), "false")) return false;
  return std::nullopt;
}

// The scrape label of a service's labels, in map or (un-normalised) list form.
std::optional<bool> ScrapeLabel(const Value& labels) {
  if (labels.is(Type::kMap)) {
    for (const MapEntry& e : labels.as_map()) {
      if (IsScrapeLabel(e.key)) return ScrapeLabelValue(e.value);
    }
  } else if (labels.is(Type::kList)) {
    for (const Value& item : labels.as_list()) {
      if (!item.is(Type::kString)) continue;
      const std::string_view text = item.as_string();
      const std::size_t eq = text.find('=');
      if (eq != std::string_view::npos && IsScrapeLabel(text.substr(0, eq)))
        return ScrapeLabelValue(Value::String(text.substr(eq + 1)));
    }
  }
  return std::nullopt;
}

// The image's last path component without tag or digest, lower case
// ("gcr.io/cadvisor/cadvisor:v0.47.0" -> "cadvisor"); empty when the name is
// interpolated (${REPO}/app) and so unknown.
std::string ImageName(std::string_view image) {
  const std::size_t at = image.find('@');
  if (at != std::string_view::npos) image = image.substr(0, at);
  const std::size_t slash = image.rfind('/');
  std::string_view last = slash == std::string_view::npos ? image : image.substr(slash + 1);
  const std::size_t colon = last.find(':');
  if (colon != std::string_view::npos) last = last.substr(0, colon);
  if (last.find('$') != std::string_view::npos) return {};
  std::string name(last);
  for (char& c : name) c = Lower(c);
  return name;
}

// An image whose whole purpose is serving metrics: an exporter
// (node-exporter, mysqld-exporter, redis_exporter, nginx-prometheus-exporter,
// dcgm-exporter, ...), cAdvisor, or the Pushgateway.
bool IsMetricsImage(std::string_view image) {
  const std::string name = ImageName(image);
  constexpr std::string_view kExporter = "exporter";
  if (name.size() >= kExporter.size() &&
      std::string_view(name).substr(name.size() - kExporter.size()) == kExporter)
    return true;
  return name == "cadvisor" || name == "pushgateway";
}

Value ExposesMetrics(std::span<const Value> args, CallContext& ctx) {
  const Value& service = args[0];
  if (!service.is(Type::kMap))
    return Mismatch(ctx, "exposes_metrics", 0, "a map (a service)", service);
  // An explicit label decides either way, before the image.
  if (std::optional<bool> label = ScrapeLabel(Field(service, "labels"))) return Value::Bool(*label);
  const Value image = Field(service, "image");
  return Value::Bool(image.is(Type::kString) && IsMetricsImage(image.as_string()));
}

constexpr Builtin kPrometheusBuiltins[] = {
    {"alert_jobs", 1, 1, NullPolicy::kCustom, Type::kList, &AlertJobs},
    {"alert_rules", 1, 1, NullPolicy::kCustom, Type::kList, &AlertRules},
    {"exposes_metrics", 1, 1, NullPolicy::kFalse, Type::kBool, &ExposesMetrics},
    {"rule_files", 1, 1, NullPolicy::kCustom, Type::kList, &RuleFiles},
    {"scrape_targets", 1, 1, NullPolicy::kCustom, Type::kList, &ScrapeTargets},
};

}  // namespace

std::span<const Builtin> PrometheusBuiltins() { return kPrometheusBuiltins; }

}  // namespace policy::eval
