// host_port_clashes: the one-pass answer of RDY-NET-005 must be the answer of
// comparing every pair of ports, and stay one pass on 100 000 ports.
#include <random>

#include "builtin_test_util.h"

using namespace policy;
using namespace policy::eval;
using policy::eval::testing::Runner;

namespace {

// The rule's former definition, pair by pair: q before p holds p's host port.
bool SameHostPort(const Value& p, const Value& q) {
  auto field = [](const Value& port, const char* name) {
    const Value* v = port.Find(name);
    return v == nullptr ? Value::Null() : *v;
  };
  auto host = [&](const Value& port, Runner& r) {
    Value h = field(port, "host_ip");
    return h.is_null() ? r.S("0.0.0.0") : h;
  };
  Runner r;
  const Value all = r.S("0.0.0.0");
  return Equal(field(q, "published"), field(p, "published")) &&
         Equal(field(q, "protocol"), field(p, "protocol")) &&
         (Equal(host(q, r), host(p, r)) || Equal(host(q, r), all) || Equal(host(p, r), all));
}

}  // namespace

TEST_CASE("host_port_clashes: later ports on an overlapping address clash") {
  Runner r;
  auto port = [&](const char* published, const char* protocol, const char* host_ip) {
    std::vector<std::pair<std::string, Value>> e;
    if (host_ip) e.push_back({"host_ip", r.S(host_ip)});
    e.push_back({"published", published ? r.S(published) : Value::Null()});
    e.push_back({"protocol", r.S(protocol)});
    return r.M(e);
  };
  Value services = r.M({
      {"web", r.M({{"ports", r.L({port("80", "tcp", nullptr), port("80", "udp", nullptr),
                                  port("8080", "tcp", "127.0.0.1")})}})},
      {"api", r.M({{"ports", r.L({port("80", "tcp", "10.0.0.1"), port("8080", "tcp", "10.0.0.1"),
                                  port("8080", "tcp", "127.0.0.1"), port(nullptr, "tcp", nullptr),
                                  port(nullptr, "tcp", nullptr)})}})},
      {"db", r.M({{"image", r.S("postgres")}})},
      {"odd", r.M({{"ports", r.L({r.S("80:80"), port("8080", "tcp", "0.0.0.0")})}})},
  });
  CHECK(r.Text("host_port_clashes", {services}) ==
        "[[false,false,false],[true,false,true,false,false],[],[false,true]]");
  CHECK(r.Text("host_port_clashes", {r.S("x")}) == "error type.mismatch");
  CHECK(r.Text("host_port_clashes", {Value::Null()}) == "null");
}

TEST_CASE("host_port_clashes: the same answer as comparing every pair") {
  std::mt19937 rng(13);
  for (int round = 0; round < 200; ++round) {
    Runner r;
    const char* published[] = {"80", "81", nullptr};
    const char* protocols[] = {"tcp", "udp"};
    const char* hosts[] = {nullptr, "0.0.0.0", "127.0.0.1", "10.0.0.1"};
    std::vector<std::pair<std::string, Value>> services;
    std::vector<Value> flat;
    const int service_count = 1 + static_cast<int>(rng() % 4);
    for (int s = 0; s < service_count; ++s) {
      std::vector<Value> ports;
      const int port_count = static_cast<int>(rng() % 5);
      for (int k = 0; k < port_count; ++k) {
        std::vector<std::pair<std::string, Value>> e;
        const char* pub = published[rng() % 3];
        e.push_back({"published", pub ? r.S(pub) : Value::Null()});
        e.push_back({"protocol", r.S(protocols[rng() % 2])});
        if (const char* h = hosts[rng() % 4]) e.push_back({"host_ip", r.S(h)});
        ports.push_back(r.M(e));
        flat.push_back(ports.back());
      }
      services.push_back({"s" + std::to_string(s), r.M({{"ports", r.L(ports)}})});
    }
    std::string expected = "[";
    std::size_t index = 0;
    for (int s = 0; s < service_count; ++s) {
      expected += s ? ",[" : "[";
      const auto& ports = services[static_cast<std::size_t>(s)].second.Find("ports")->as_list();
      for (std::size_t k = 0; k < ports.size(); ++k, ++index) {
        bool clash = false;
        const Value* published_value = flat[index].Find("published");
        for (std::size_t j = 0; j < index && !published_value->is_null(); ++j)
          clash = clash || SameHostPort(flat[index], flat[j]);
        expected += std::string(k ? "," : "") + (clash ? "true" : "false");
      }
      expected += "]";
    }
    expected += "]";
    CAPTURE(round);
    CHECK(r.Text("host_port_clashes", {r.M(services)}) == expected);
  }
}

TEST_CASE("host_port_clashes: 100 000 ports in one pass") {
  // Quadratic, this is 5 * 10^9 comparisons; one pass answers at once.
  Runner r;
  std::vector<Value> ports;
  const int n = 100'000;
  for (int i = 0; i < n; ++i) {
    ports.push_back(
        r.M({{"published", r.S(std::to_string(i % 50'000))}, {"protocol", r.S("tcp")}}));
  }
  Value result = r.Call("host_port_clashes", {r.M({{"web", r.M({{"ports", r.L(ports)}})}})});
  REQUIRE(result.is(Type::kList));
  const auto flags = result.as_list()[0].as_list();
  REQUIRE(flags.size() == static_cast<std::size_t>(n));
  std::size_t clashes = 0;
  for (const Value& f : flags) clashes += f.as_bool() ? 1 : 0;
  CHECK(clashes == 50'000);
  CHECK_FALSE(flags[49'999].as_bool());
  CHECK(flags[50'000].as_bool());
}
