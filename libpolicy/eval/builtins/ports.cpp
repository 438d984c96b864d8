// host_port_clashes(services): which published ports of a (normalised) compose
// file the host cannot bind, because an earlier port in the file holds the same
// host port. A list with one entry per service, in map order: a list with one
// bool per item of the service's `ports` (empty when `ports` is not a list).
// An item is true when it is a map with a `published` value and an earlier
// item (an earlier service's, or earlier in the same list) has the same
// `published` and `protocol` (by `==`) and an overlapping `host_ip`: equal, or
// either one all interfaces (missing or "0.0.0.0").
//
// The readiness pack's RDY-NET-005 asked this of every pair of ports, which is
// quadratic: 8 000 ports took 16 s, 100 000 never finished. Grouping by
// published port and protocol makes it one pass.
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "libpolicy/eval/builtins/support.h"

namespace policy::eval {
namespace {

constexpr std::string_view kAllInterfaces = "0.0.0.0";

// The `==` key of a port's field. Containers (never in a valid compose file)
// are keyed by their JSON text: equal maps written in another key order then
// count as different.
std::string FieldKey(const Value* v) {
  std::string key;
  if (v == nullptr) return "n";
  if (ScalarKey(*v, &key)) return key;
  key = "c";
  RenderJson(*v, key);
  return key;
}

// The ports seen so far with one published port and protocol.
struct Holders {
  bool all_interfaces = false;            // one of them is on every address
  std::unordered_set<std::string> hosts;  // the host_ip keys of the others
};

class ClashFinder {
 public:
  // Whether `port` clashes with one seen before; then remembers it.
  bool Next(const Value& port) {
    if (!port.is(Type::kMap)) return false;
    const Value* published = port.Find("published");
    if (published == nullptr || published->is_null()) return false;
    std::string group = FieldKey(published);
    group += '\0';
    group += FieldKey(port.Find("protocol"));
    const Value* host_ip = port.Find("host_ip");
    const bool all = host_ip == nullptr || host_ip->is_null() ||
                     (host_ip->is(Type::kString) && host_ip->as_string() == kAllInterfaces);
    const std::string host = all ? std::string() : FieldKey(host_ip);
    auto [it, first] = groups_.try_emplace(std::move(group));
    Holders& h = it->second;
    const bool clash = !first && (all || h.all_interfaces || h.hosts.count(host) != 0);
    if (all) {
      h.all_interfaces = true;
    } else {
      h.hosts.insert(host);
    }
    return clash;
  }

 private:
  std::unordered_map<std::string, Holders> groups_;
};

Value HostPortClashes(std::span<const Value> args, CallContext& ctx) {
  const Value& services = args[0];
  if (!services.is(Type::kMap)) return Mismatch(ctx, "host_port_clashes", 0, "a map", services);
  ClashFinder finder;
  std::vector<Value> per_service;
  per_service.reserve(services.as_map().size());
  std::vector<Value> flags;
  for (const MapEntry& service : services.as_map()) {
    flags.clear();
    const Value* ports = service.value.is(Type::kMap) ? service.value.Find("ports") : nullptr;
    if (ports != nullptr && ports->is(Type::kList)) {
      for (const Value& port : ports->as_list()) flags.push_back(Value::Bool(finder.Next(port)));
    }
    per_service.push_back(MakeList(ctx.arena, flags));
  }
  return MakeList(ctx.arena, per_service);
}

constexpr Builtin kPortBuiltins[] = {
    {"host_port_clashes", 1, 1, NullPolicy::kPropagate, Type::kList, &HostPortClashes},
};

}  // namespace

std::span<const Builtin> PortBuiltins() { return kPortBuiltins; }

}  // namespace policy::eval
