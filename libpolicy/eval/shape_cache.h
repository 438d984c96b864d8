#pragma once
// A small cache of values by record shape (RecordInfo::shape): what is known
// of every record of a shape (the fields a key filter passes, the rules that
// apply) is worked out on its first record and read back for the others.
// A CSV input has one shape; JSON Lines records alternate between a few, so a
// handful of entries, searched in a loop, is enough: the entry found last is
// tried first (CSV: always it), and a new shape takes the oldest entry.
//
//   ShapeCache<std::vector<uint32_t>> passing;
//   if (const auto* known = passing.Find(shape)) return known;
//   std::vector<uint32_t>& fresh = passing.Claim(shape);  // old value: reset it
//   fresh.clear();
//   ... on failure: passing.Forget(shape);
//
// The one cache by shape: the Runner's key filters (the keys a filter passes,
// per shape), and the record pipeline's plans (the rules that apply, per shape)
// and shape ids (by the parser's name for a key list, or by a hash of the keys,
// checked against them). The evaluator's field slots (Evaluator::FindRowField)
// are an index by shape *and* field name, checked against the row on every hit,
// not a cache of something worked out per shape.
//
// Not thread-safe: one per worker (Runner, pipeline Worker).
#include <array>
#include <cstddef>
#include <cstdint>

namespace policy::eval {

template <class T, size_t kEntries = 8>
class ShapeCache {
 public:
  static_assert(kEntries > 0 && kEntries <= 255);

  // The value cached for `shape`, or null. Shape 0 (a row without a shape)
  // is never cached.
  T* Find(uint64_t shape) {
    if (shape == 0) return nullptr;
    if (entries_[last_].shape == shape) return &entries_[last_].value;
    for (size_t i = 0; i < kEntries; ++i) {
      if (entries_[i].shape != shape) continue;
      last_ = static_cast<uint8_t>(i);
      return &entries_[i].value;
    }
    return nullptr;
  }

  // The entry for `shape` (not cached yet, not 0), taken from the oldest shape:
  // its value is as that shape left it, for the caller to flush or reset.
  T& Claim(uint64_t shape) {
    Entry& e = entries_[next_];
    last_ = next_;
    next_ = static_cast<uint8_t>((next_ + 1) % kEntries);
    e.shape = shape;
    return e.value;
  }

  // Forgets `shape`, when its value could not be worked out after all. The
  // value stays where it is, unreachable, until its entry is claimed again.
  void Forget(uint64_t shape) {
    for (Entry& e : entries_)
      if (e.shape == shape) e.shape = 0;
  }

  // Calls fn(value) for every entry, cached or not (counts to flush at the end
  // of a chunk).
  template <class Fn>
  void ForEach(Fn&& fn) {
    for (Entry& e : entries_) fn(e.value);
  }

  static constexpr size_t size() { return kEntries; }

 private:
  struct Entry {
    uint64_t shape = 0;
    T value{};
  };
  std::array<Entry, kEntries> entries_{};
  uint8_t last_ = 0;  // found or claimed last: tried first
  uint8_t next_ = 0;  // claimed next: the oldest
};

}  // namespace policy::eval
