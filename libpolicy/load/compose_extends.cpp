// `extends` within one compose file (compose-spec "Extends"): the service gets its
// base's configuration merged under its own, by the same rules as merging files.
// Inherited values stay located where the base writes them (a finding points at
// the line to fix) but are reached by the extending service's paths, so findings
// and the readiness matrix attribute them to the service that runs with them.
//
// Resolution is iterative (a chain of a thousand extends must not exhaust the
// stack): an unknown base, an `extends` naming another file, and every service
// on a cycle are left as written. It fails only when it would copy more values
// than the caller allows: a chain of n services each adding a key makes n*n/2
// inherited copies, so 4 000 services would take gigabytes.
#include <new>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "libpolicy/load/compose_internal.h"

namespace policy::load::internal {
namespace {

constexpr std::size_t kNone = static_cast<std::size_t>(-1);

class Resolver {
 public:
  Resolver(Arena& arena, const Value& services, uint64_t max_values)
      : arena_(arena),
        services_(services),
        entries_(services.as_map().begin(), services.as_map().end()),
        state_(entries_.size(), State::kTodo),
        budget_(max_values) {
    // Bases are found by name in a hash map, not by a scan per service.
    index_of_.reserve(entries_.size());
    for (std::size_t i = 0; i < entries_.size(); ++i) index_of_.emplace(entries_[i].key, i);
  }

  // The `extends` value whose base would have passed the limit, or nullptr.
  const Value* too_big() const { return too_big_; }

  Value Run() {
    bool changed = false;
    for (std::size_t i = 0; i < entries_.size(); ++i) {
      if (state_[i] != State::kTodo) continue;
      // Follow the chain of bases to a resolved or base-less service, or a cycle.
      std::vector<std::size_t> chain;
      std::size_t k = i;
      while (k != kNone && state_[k] == State::kTodo) {
        state_[k] = State::kActive;
        chain.push_back(k);
        k = BaseOf(k);
      }
      if (k != kNone && state_[k] == State::kActive) {
        // A cycle from k onwards: those services stay as written.
        bool in_cycle = false;
        for (std::size_t c : chain) {
          in_cycle = in_cycle || c == k;
          if (in_cycle) state_[c] = State::kAsWritten;
        }
      }
      for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
        if (state_[*it] != State::kActive) continue;
        std::size_t base = BaseOf(*it);
        if (base != kNone && entries_[base].value.is(Type::kMap)) {
          // Extend copies the base's values once more: count them first.
          if (!Spend(entries_[base].value)) {
            too_big_ = entries_[*it].value.Find("extends");
            return services_;
          }
          entries_[*it].value = Extend(entries_[*it], entries_[base].value);
          changed = true;
        }
        state_[*it] = State::kDone;
      }
    }
    if (!changed) return services_;
    MapEntry* copy = arena_.AllocateArray<MapEntry>(entries_.size());
    for (std::size_t i = 0; i < entries_.size(); ++i) new (&copy[i]) MapEntry(entries_[i]);
    Value out = Value::Map(copy, static_cast<uint32_t>(entries_.size()));
    out.set_loc(services_.loc());
    out.set_path(services_.path());
    out.set_flags(services_.flags());
    return out;
  }

 private:
  enum class State : uint8_t { kTodo, kActive, kDone, kAsWritten };

  // The index of the service `entries_[i]` extends in this file, or kNone.
  std::size_t BaseOf(std::size_t i) const {
    const Value& service = entries_[i].value;
    const Value* extends = service.Find("extends");
    if (extends == nullptr) return kNone;
    std::string_view name;
    if (extends->is(Type::kString)) {
      name = extends->as_string();
    } else if (extends->is(Type::kMap) && extends->Find("file") == nullptr) {
      const Value* s = extends->Find("service");
      if (s == nullptr || !s->is(Type::kString)) return kNone;
      name = s->as_string();
    } else {
      return kNone;
    }
    auto found = index_of_.find(name);
    return found == index_of_.end() ? kNone : found->second;
  }

  // Takes the values of `v` (itself included) from the budget; false when it
  // does not hold them. Stops counting as soon as the budget is spent.
  bool Spend(const Value& v) {
    if (budget_ == 0) return false;
    --budget_;
    if (v.is(Type::kList)) {
      for (const Value& item : v.as_list())
        if (!Spend(item)) return false;
    } else if (v.is(Type::kMap)) {
      for (const MapEntry& e : v.as_map())
        if (!Spend(e.value)) return false;
    }
    return true;
  }

  Value Extend(const MapEntry& service, const Value& base) {
    const Value& own = service.value;
    std::vector<MapEntry> kept;
    for (const MapEntry& e : own.as_map()) {
      if (e.key != "extends") kept.push_back(e);
    }
    MapEntry* copy = arena_.AllocateArray<MapEntry>(kept.size());
    for (std::size_t i = 0; i < kept.size(); ++i) new (&copy[i]) MapEntry(kept[i]);
    Value over = Value::Map(copy, static_cast<uint32_t>(kept.size()));
    over.set_loc(own.loc());
    over.set_path(own.path());
    over.set_flags(own.flags());
    Value inherited = Repath(arena_, base, own.path());
    KeyPath path{"services", service.key};
    return MergeComposeValues(arena_, inherited, over, path);
  }

  Arena& arena_;
  const Value& services_;
  std::vector<MapEntry> entries_;
  std::vector<State> state_;
  std::unordered_map<std::string_view, std::size_t> index_of_;
  uint64_t budget_;  // values Extend may still copy
  const Value* too_big_ = nullptr;
};

}  // namespace

Value ResolveExtends(Arena& arena, const Value& services, uint64_t max_values,
                     const Value** too_big) {
  *too_big = nullptr;
  if (!services.is(Type::kMap)) return services;
  Resolver resolver(arena, services, max_values);
  Value out = resolver.Run();
  *too_big = resolver.too_big();
  return out;
}

}  // namespace policy::load::internal
