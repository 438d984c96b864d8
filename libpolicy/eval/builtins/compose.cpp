// parse_image(ref): an image reference split by the grammar of
// github.com/distribution/reference:
//
//   reference  := name [ ":" tag ] [ "@" digest ]
//   name       := [ domain "/" ] path-component ( "/" path-component )*
//   domain     := host [ ":" port ]     host: DNS labels joined by ".", or "[IPv6]"
//   path-component := [a-z0-9]+ ( ( "." | "_" | "__" | "-"+ ) [a-z0-9]+ )*
//   tag        := [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}
//   digest     := algorithm ":" hex     algorithm components [A-Za-z][A-Za-z0-9]*
//                                        joined by [+._-]; hex [0-9a-fA-F]{32,}
//
// As Docker does, the first component is the registry only when it contains a
// "." or ":", is "localhost", or has an upper-case letter; nothing is filled in
// ("redis" has registry null, repository "redis"). Known digest algorithms must
// have their exact length of lower-case hex. Anything else, including text with
// a `${VAR}` reference, is not a reference and gives null.
#include <iterator>
#include <memory>
#include <string>

#include "libpolicy/eval/builtins/support.h"

namespace policy::eval {
namespace {

constexpr std::size_t kMaxNameLength = 255;
constexpr std::size_t kMaxTagLength = 128;

bool IsLowerAlnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }
bool IsAlnum(char c) { return IsLowerAlnum(c) || (c >= 'A' && c <= 'Z'); }
bool IsHex(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
bool IsLowerHex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }

bool IsPathComponent(std::string_view s) {
  if (s.empty() || !IsLowerAlnum(s.front()) || !IsLowerAlnum(s.back())) return false;
  for (std::size_t i = 0; i < s.size();) {
    if (IsLowerAlnum(s[i])) {
      ++i;
      continue;
    }
    // A separator: ".", "_", "__" or a run of "-", always between alphanumerics.
    std::size_t j = i;
    if (s[i] == '.') {
      j = i + 1;
    } else if (s[i] == '_') {
      j = (i + 1 < s.size() && s[i + 1] == '_') ? i + 2 : i + 1;
    } else if (s[i] == '-') {
      while (j < s.size() && s[j] == '-') ++j;
    } else {
      return false;
    }
    if (j >= s.size() || !IsLowerAlnum(s[j])) return false;
    i = j;
  }
  return true;
}

bool IsDomainLabel(std::string_view s) {
  if (s.empty() || !IsAlnum(s.front()) || !IsAlnum(s.back())) return false;
  for (char c : s) {
    if (!IsAlnum(c) && c != '-') return false;
  }
  return true;
}

bool IsDomain(std::string_view s) {
  std::string_view host = s;
  std::string_view port;
  if (!s.empty() && s.front() == '[') {
    const std::size_t close = s.find(']');
    if (close == std::string_view::npos || close < 3) return false;
    for (char c : s.substr(1, close - 1)) {
      if (!IsHex(c) && c != ':') return false;
    }
    host = {};
    std::string_view rest = s.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return false;
      port = rest.substr(1);
      if (port.empty()) return false;
    }
  } else {
    const std::size_t colon = s.find(':');
    if (colon != std::string_view::npos) {
      host = s.substr(0, colon);
      port = s.substr(colon + 1);
      if (port.empty()) return false;
    }
    if (host.empty()) return false;
    std::size_t start = 0;
    for (std::size_t dot = host.find('.');; dot = host.find('.', start)) {
      std::string_view label =
          host.substr(start, dot == std::string_view::npos ? dot : dot - start);
      if (!IsDomainLabel(label)) return false;
      if (dot == std::string_view::npos) break;
      start = dot + 1;
    }
  }
  for (char c : port) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

bool IsTag(std::string_view s) {
  if (s.empty() || s.size() > kMaxTagLength) return false;
  if (!IsAlnum(s.front()) && s.front() != '_') return false;
  for (char c : s) {
    if (!IsAlnum(c) && c != '_' && c != '.' && c != '-') return false;
  }
  return true;
}

bool IsDigest(std::string_view s) {
  const std::size_t colon = s.find(':');
  if (colon == std::string_view::npos) return false;
  std::string_view algorithm = s.substr(0, colon);
  std::string_view hex = s.substr(colon + 1);
  // Algorithm components start with a letter and are joined by one of [+._-].
  bool at_component_start = true;
  for (char c : algorithm) {
    if (at_component_start) {
      if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) return false;
      at_component_start = false;
    } else if (c == '+' || c == '.' || c == '_' || c == '-') {
      at_component_start = true;
    } else if (!IsAlnum(c)) {
      return false;
    }
  }
  if (algorithm.empty() || at_component_start) return false;
  std::size_t want = 0;
  if (algorithm == "sha256") want = 64;
  if (algorithm == "sha384") want = 96;
  if (algorithm == "sha512") want = 128;
  if (want != 0) {
    if (hex.size() != want) return false;
    for (char c : hex) {
      if (!IsLowerHex(c)) return false;
    }
    return true;
  }
  if (hex.size() < 32) return false;
  for (char c : hex) {
    if (!IsHex(c)) return false;
  }
  return true;
}

struct ImageRef {
  std::string_view registry, repository, tag, digest;  // empty data() means absent
};

bool ParseReference(std::string_view ref, ImageRef* out) {
  std::string_view rest = ref;
  const std::size_t at = rest.find('@');
  if (at != std::string_view::npos) {
    out->digest = rest.substr(at + 1);
    if (!IsDigest(out->digest)) return false;
    rest = rest.substr(0, at);
  }
  const std::size_t last_slash = rest.rfind('/');
  const std::size_t colon = rest.rfind(':');
  if (colon != std::string_view::npos &&
      (last_slash == std::string_view::npos || colon > last_slash)) {
    out->tag = rest.substr(colon + 1);
    if (!IsTag(out->tag)) return false;
    rest = rest.substr(0, colon);
  }
  if (rest.empty() || rest.size() > kMaxNameLength) return false;
  const std::size_t slash = rest.find('/');
  if (slash != std::string_view::npos) {
    std::string_view first = rest.substr(0, slash);
    if (first.empty()) return false;
    bool has_upper = false;
    for (char c : first) has_upper = has_upper || (c >= 'A' && c <= 'Z');
    if (first.find_first_of(".:") != std::string_view::npos || first == "localhost" || has_upper ||
        first.front() == '[') {
      if (!IsDomain(first)) return false;
      out->registry = first;
      rest = rest.substr(slash + 1);
    }
  }
  out->repository = rest;
  std::size_t start = 0;
  for (std::size_t s = rest.find('/');; s = rest.find('/', start)) {
    if (!IsPathComponent(rest.substr(start, s == std::string_view::npos ? s : s - start)))
      return false;
    if (s == std::string_view::npos) break;
    start = s + 1;
  }
  return true;
}

// parse_image's result keys, in order: its row declares them to the compiler.
constexpr std::string_view kImageFields[] = {"registry", "repository", "tag", "digest"};

Value ParseImage(std::span<const Value> args, CallContext& ctx) {
  const Value& x = args[0];
  if (!x.is(Type::kString)) return Mismatch(ctx, "parse_image", 0, "a string", x);
  ImageRef ref;
  if (!ParseReference(x.as_string(), &ref)) return Value::Null();
  auto field = [&x](std::string_view part) {
    return (part.data() == nullptr ? Value::Null() : Value::String(part)).WithOriginOf(x);
  };
  const MapEntry fields[] = {{kImageFields[0], field(ref.registry)},
                             {kImageFields[1], field(ref.repository)},
                             {kImageFields[2], field(ref.tag)},
                             {kImageFields[3], field(ref.digest)}};
  MapEntry* entries = ctx.arena.AllocateArray<MapEntry>(std::size(fields));
  std::uninitialized_copy(std::begin(fields), std::end(fields), entries);
  return Value::Map(entries, static_cast<uint32_t>(std::size(fields))).WithOriginOf(x);
}

constexpr Builtin kComposeBuiltins[] = {
    {"parse_image", 1, 1, NullPolicy::kPropagate, Type::kMap, &ParseImage, -1, false,
     BuiltinTraits{}, kImageFields},
};

}  // namespace

std::span<const Builtin> ComposeBuiltins() { return kComposeBuiltins; }

}  // namespace policy::eval
