#pragma once
// The Spirit X3 grammar of the policy language, shared by its two partitions
// (expression_grammar.cpp, declaration_grammar.cpp) and the driver
// (parser.cpp). Private to libpolicy/syntax: no other header includes Spirit.
//
// The grammar reads characters directly. Leaf tokens (words, strings, numbers,
// regexes, rule ids) are small hand-written X3 primitives because their
// lexical rules (escapes, `\/`, word boundaries, reserved words) are awkward
// as combinators; all structure is X3 rules. Rules build AST nodes in semantic
// actions; errors are thrown as SyntaxError or x3::expectation_failure and
// turned into diagnostics by the driver.
#include <boost/spirit/home/x3.hpp>
#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>

#include "libpolicy/syntax/ast.h"
#include "libpolicy/syntax/parser.h"
#include "libpolicy/syntax/scan.h"

namespace policy::syntax::grammar {

namespace x3 = boost::spirit::x3;

using Iterator = const char*;

// Thrown by actions and primitives for errors that are not a plain "expected
// X" (non-associative comparisons, a misplaced `if`, too deep nesting).
struct SyntaxError {
  SyntaxIssue issue;
};

// Per-parse state, reachable from every parser through the context.
struct ParseState {
  const char* base = nullptr;
  Module* module = nullptr;       // declarations are appended here
  Rule* rule = nullptr;           // the rule whose body is being read
  int depth = 0;                  // recursion guard, see Nested
  bool seen_item = false;         // package must come first
  bool seen_declaration = false;  // imports come before declarations
  // Height of every node built so far (see Adopt); keyed by address, and
  // every node is entered when created, so a reused address is overwritten.
  std::unordered_map<const Expr*, uint32_t> heights;

  uint32_t Offset(const char* p) const { return static_cast<uint32_t>(p - base); }
};

// Operator chains make trees as deep as they are long (`a + a + ...`), and
// AST nodes are destroyed and walked recursively, so tree height has its own
// bound beside the bracket nesting. Brackets add about one level each, so
// this leaves room for every tree of legal nesting.
inline constexpr uint32_t kMaxExpressionHeight = 4 * kMaxNesting;
struct StateTag;

template <typename Context>
ParseState& State(const Context& ctx) {
  return x3::get<StateTag>(ctx).get();
}

[[noreturn]] inline void Fail(DiagCode code, std::string message, uint32_t begin, uint32_t end) {
  throw SyntaxError{{code, std::move(message), begin, end}};
}

// Whitespace and `#` comments. Consumes one item per call, as X3 expects of a
// skipper, and reports whether it consumed anything.
struct Skipper : x3::parser<Skipper> {
  using attribute_type = x3::unused_type;
  template <typename Context, typename RContext, typename Attribute>
  bool parse(Iterator& first, const Iterator& last, const Context&, RContext&, Attribute&) const {
    if (first == last) return false;
    if (IsSpace(*first)) {
      ++first;
      return true;
    }
    if (*first == '#') {
      while (first != last && *first != '\n') ++first;
      return true;
    }
    return false;
  }
};

using Context = x3::context<StateTag, std::reference_wrapper<ParseState>,
                            x3::context<x3::skipper_tag, const Skipper, x3::unused_type>>;

// Base of the hand-written primitives: each matches into a copy of the
// iterator, so a failed attempt leaves `first` where it was (X3's own
// primitives leave it past the skipped whitespace, which would put trailing
// blanks into spans).
template <typename Derived>
struct Primitive : x3::parser<Derived> {
  template <typename Context, typename RContext, typename Attribute>
  bool parse(Iterator& first, const Iterator& last, const Context& ctx, RContext& rctx,
             Attribute& attr) const {
    Iterator it = first;
    if (!this->derived().Match(it, last, ctx, rctx, attr)) return false;
    first = it;
    return true;
  }
};

// Base of the primitives below: names the parser in "expected ..." messages.
struct Named {
  const char* what;
};

// A reserved word, not followed by an identifier character.
struct Keyword : Primitive<Keyword>, Named {
  using attribute_type = x3::unused_type;
  constexpr Keyword(const char* w, const char* description) : Named{description}, word(w) {}
  template <typename Context, typename RContext, typename Attribute>
  bool Match(Iterator& first, const Iterator& last, const Context& ctx, RContext&,
             Attribute&) const {
    x3::skip_over(first, last, ctx);
    Iterator it = first;
    for (const char* w = word; *w; ++w, ++it) {
      if (it == last || *it != *w) return false;
    }
    if (it != last && IsIdentChar(*it)) return false;
    first = it;
    return true;
  }
  const char* word;
};

// Punctuation that must not be the start of a longer operator (`=` vs `==`).
struct Punct : Primitive<Punct>, Named {
  using attribute_type = x3::unused_type;
  constexpr Punct(const char* t, const char* description, const char* not_followed = "")
      : Named{description}, text(t), not_followed_by(not_followed) {}
  template <typename Context, typename RContext, typename Attribute>
  bool Match(Iterator& first, const Iterator& last, const Context& ctx, RContext&,
             Attribute&) const {
    x3::skip_over(first, last, ctx);
    Iterator it = first;
    for (const char* t = text; *t; ++t, ++it) {
      if (it == last || *it != *t) return false;
    }
    if (it != last) {
      for (const char* n = not_followed_by; *n; ++n) {
        if (*it == *n) return false;
      }
    }
    first = it;
    return true;
  }
  const char* text;
  const char* not_followed_by;
};

// The offset of the next token (after whitespace), consuming nothing.
struct Here : x3::parser<Here> {
  using attribute_type = uint32_t;
  template <typename Context, typename RContext, typename Attribute>
  bool parse(Iterator& first, const Iterator& last, const Context& ctx, RContext&,
             Attribute& attr) const {
    x3::skip_over(first, last, ctx);
    x3::traits::move_to(State(ctx).Offset(first), attr);
    return true;
  }
};

// The current offset without skipping: the end of what was just read.
struct There : x3::parser<There> {
  using attribute_type = uint32_t;
  template <typename Context, typename RContext, typename Attribute>
  bool parse(Iterator& first, const Iterator&, const Context& ctx, RContext&,
             Attribute& attr) const {
    x3::traits::move_to(State(ctx).Offset(first), attr);
    return true;
  }
};

enum class NameKind : uint8_t {
  kBinder,  // a declared name: no reserved word
  kName,    // a name in an expression: no reserved word but `doc`
  kAny,     // after `.`, schema fields, types, severities, package parts
  kTag,     // [a-z][a-z0-9_-]*
};

struct Name : Primitive<Name>, Named {
  using attribute_type = Ident;
  constexpr Name(NameKind k, const char* description) : Named{description}, kind(k) {}
  template <typename Context, typename RContext, typename Attribute>
  bool Match(Iterator& first, const Iterator& last, const Context& ctx, RContext&,
             Attribute& attr) const {
    x3::skip_over(first, last, ctx);
    Iterator it = first;
    if (kind == NameKind::kTag) {
      if (it == last || *it < 'a' || *it > 'z') return false;
      while (it != last && ((*it >= 'a' && *it <= 'z') || IsDigit(*it) || *it == '_' || *it == '-'))
        ++it;
      if (it != last && IsIdentChar(*it)) return false;
    } else {
      if (it == last || !IsIdentStart(*it)) return false;
      while (it != last && IsIdentChar(*it)) ++it;
    }
    std::string word(first, it);
    if ((kind == NameKind::kBinder || kind == NameKind::kName) && IsReservedWord(word) &&
        !(kind == NameKind::kName && word == "doc")) {
      return false;
    }
    const ParseState& state = State(ctx);
    x3::traits::move_to(Ident{std::move(word), {state.Offset(first), state.Offset(it)}}, attr);
    first = it;
    return true;
  }
  NameKind kind;
};

// RULE-ID := [A-Z][A-Z0-9]*(-[A-Z0-9]+)+
struct RuleId : Primitive<RuleId>, Named {
  using attribute_type = Ident;
  constexpr RuleId() : Named{"a rule id such as RDY-IMG-001"} {}
  template <typename Context, typename RContext, typename Attribute>
  bool Match(Iterator& first, const Iterator& last, const Context& ctx, RContext&,
             Attribute& attr) const {
    x3::skip_over(first, last, ctx);
    auto upper_or_digit = [](char c) { return (c >= 'A' && c <= 'Z') || IsDigit(c); };
    Iterator it = first;
    if (it == last || *it < 'A' || *it > 'Z') return false;
    while (it != last && upper_or_digit(*it)) ++it;
    int groups = 0;
    while (it != last && *it == '-' && it + 1 != last && upper_or_digit(it[1])) {
      ++it;
      while (it != last && upper_or_digit(*it)) ++it;
      ++groups;
    }
    if (groups == 0 || (it != last && (IsIdentChar(*it) || *it == '-'))) return false;
    const ParseState& state = State(ctx);
    x3::traits::move_to(Ident{std::string(first, it), {state.Offset(first), state.Offset(it)}},
                        attr);
    first = it;
    return true;
  }
};

// "..." with escapes (already validated by the pre-scan).
struct StringLiteral : Primitive<StringLiteral>, Named {
  using attribute_type = StringLit;
  constexpr StringLiteral() : Named{"a string"} {}
  template <typename Context, typename RContext, typename Attribute>
  bool Match(Iterator& first, const Iterator& last, const Context& ctx, RContext&,
             Attribute& attr) const {
    x3::skip_over(first, last, ctx);
    if (first == last || *first != '"') return false;
    const ParseState& state = State(ctx);
    std::string_view text(state.base, static_cast<std::size_t>(last - state.base));
    std::size_t i = state.Offset(first) + 1;
    std::string value;
    while (i < text.size() && text[i] != '"' && text[i] != '\n') {
      if (text[i] == '\\') {
        std::size_t next = DecodeEscape(text, i, value);
        if (next == std::string_view::npos) {
          Fail(DiagCode::kSyntaxBadEscape, "invalid escape", static_cast<uint32_t>(i),
               static_cast<uint32_t>(i + 2));
        }
        i = next;
      } else {
        value += text[i++];
      }
    }
    if (i >= text.size() || text[i] != '"') {
      Fail(DiagCode::kSyntaxUnterminatedString, "unterminated string", state.Offset(first),
           state.Offset(first) + 1);
    }
    x3::traits::move_to(
        StringLit{std::move(value), {state.Offset(first), static_cast<uint32_t>(i + 1)}}, attr);
    first = state.base + i + 1;
    return true;
  }
};

// Creates a node; its span is [begin, end).
inline ExprPtr MakeExpr(ParseState& state, ExprKind kind, uint32_t begin, uint32_t end,
                        std::string text = {}) {
  auto e = std::make_unique<Expr>();
  e->kind = kind;
  e->span = {begin, end};
  e->text = std::move(text);
  state.heights[e.get()] = 1;
  return e;
}

// Appends `child` to `parent`, failing with `syntax.too_deep` (before the
// tree grows past the bound) when the parent would be too high.
inline void Adopt(ParseState& state, Expr& parent, ExprPtr child) {
  uint32_t child_height = state.heights[child.get()];
  uint32_t& height = state.heights[&parent];
  if (child_height + 1 > kMaxExpressionHeight) {
    throw SyntaxError{{DiagCode::kSyntaxTooDeep,
                       "expression nested deeper than " + std::to_string(kMaxExpressionHeight) +
                           " levels; split it with let or def",
                       parent.span.begin, std::max(parent.span.end, child->span.end)}};
  }
  height = std::max(height, child_height + 1);
  parent.args.push_back(std::move(child));
}

// Literals that read as one token: numbers, strings, regexes.
enum class LiteralKind : uint8_t { kNumber, kString, kRegex };

struct Literal : Primitive<Literal>, Named {
  using attribute_type = ExprPtr;
  constexpr Literal(LiteralKind k, const char* description) : Named{description}, kind(k) {}
  template <typename Context, typename RContext, typename Attribute>
  bool Match(Iterator& first, const Iterator& last, const Context& ctx, RContext& rctx,
             Attribute& attr) const {
    x3::skip_over(first, last, ctx);
    ParseState& state = State(ctx);
    Iterator it = first;
    ExprPtr e;
    if (kind == LiteralKind::kString) {
      StringLit s;
      if (!StringLiteral().parse(it, last, ctx, rctx, s)) return false;
      e = MakeExpr(state, ExprKind::kString, s.span.begin, s.span.end, std::move(s.value));
    } else if (kind == LiteralKind::kNumber) {
      if (it == last || !IsDigit(*it)) return false;
      while (it != last && IsDigit(*it)) ++it;
      if (it != last && *it == '.' && it + 1 != last && IsDigit(it[1])) {
        ++it;
        while (it != last && IsDigit(*it)) ++it;
      }
      if (it != last && IsIdentChar(*it)) return false;
      e = MakeExpr(state, ExprKind::kNumber, state.Offset(first), state.Offset(it),
                   std::string(first, it));
    } else {
      if (it == last || *it != '/') return false;
      std::string source;
      for (++it; it != last && *it != '/' && *it != '\n'; ++it) {
        if (*it == '\\' && it + 1 != last && it[1] == '/') {
          source += '/';
          ++it;
        } else if (*it == '\\' && it + 1 != last && it[1] != '\n') {
          source += *it++;
          source += *it;
        } else {
          source += *it;
        }
      }
      if (it == last || *it != '/') {
        Fail(DiagCode::kSyntaxUnterminatedRegex, "unterminated regex literal", state.Offset(first),
             state.Offset(first) + 1);
      }
      ++it;
      e = MakeExpr(state, ExprKind::kRegex, state.Offset(first), state.Offset(it),
                   std::move(source));
    }
    x3::traits::move_to(std::move(e), attr);
    first = it;
    return true;
  }
  LiteralKind kind;
};

// Guards recursion: every construct that nests (brackets, `if`, quantifiers,
// template holes) goes through here, so even input the pre-scan misjudged
// cannot descend past kMaxNesting.
template <typename Subject>
struct Nested : x3::unary_parser<Subject, Nested<Subject>> {
  using base_type = x3::unary_parser<Subject, Nested<Subject>>;
  static const bool is_pass_through_unary = true;
  constexpr explicit Nested(const Subject& subject) : base_type(subject) {}
  template <typename Context, typename RContext, typename Attribute>
  bool parse(Iterator& first, const Iterator& last, const Context& ctx, RContext& rctx,
             Attribute& attr) const {
    ParseState& state = State(ctx);
    if (state.depth >= kMaxNesting) {
      x3::skip_over(first, last, ctx);
      Fail(DiagCode::kSyntaxTooDeep,
           "nesting deeper than " + std::to_string(kMaxNesting) + " levels", state.Offset(first),
           state.Offset(first) + 1);
    }
    struct Leave {
      ParseState& s;
      ~Leave() { --s.depth; }
    } leave{state};
    ++state.depth;
    return this->subject.parse(first, last, ctx, rctx, attr);
  }
};

struct NestedGen {
  template <typename Subject>
  constexpr Nested<typename x3::extension::as_parser<Subject>::value_type> operator[](
      const Subject& subject) const {
    return Nested<typename x3::extension::as_parser<Subject>::value_type>(x3::as_parser(subject));
  }
};
inline constexpr NestedGen nested{};

using ExpressionRule = x3::rule<struct ExpressionId, ExprPtr>;
using AdditiveRule = x3::rule<struct AdditiveId, ExprPtr>;
using DeclarationRule = x3::rule<struct DeclarationId>;
inline const ExpressionRule expression = "an expression";
// The quantifier and `for` collection level.
inline const AdditiveRule additive = "an expression";
// One top-level item: package, import, param, def, schema or rule.
inline const DeclarationRule declaration = "a declaration (rule, def, param, schema or import)";

BOOST_SPIRIT_DECLARE(ExpressionRule, AdditiveRule, DeclarationRule)

}  // namespace policy::syntax::grammar

// What an "expected ..." message says for each parser. X3 names only rules
// and its own primitives; any other parser would be named by its mangled C++
// type, so every wrapper the grammar uses says what its subject says.
namespace boost::spirit::x3 {
template <typename P>
struct get_info<
    P, typename std::enable_if<std::is_base_of<policy::syntax::grammar::Named, P>::value>::type> {
  using result_type = std::string;
  std::string operator()(const P& p) const { return p.what; }
};

// `p[action]`, `-p`, `*p`, `+p`, `p > q` (the `> q` part), `raw[p]`, `nested[p]`:
// what the subject is.
template <typename Subject, typename Action>
struct get_info<action<Subject, Action>> {
  using result_type = std::string;
  std::string operator()(const action<Subject, Action>& p) const { return what(p.subject); }
};
template <typename Subject>
struct get_info<optional<Subject>> {
  using result_type = std::string;
  std::string operator()(const optional<Subject>& p) const { return what(p.subject); }
};
template <typename Subject>
struct get_info<kleene<Subject>> {
  using result_type = std::string;
  std::string operator()(const kleene<Subject>& p) const { return what(p.subject); }
};
template <typename Subject>
struct get_info<plus<Subject>> {
  using result_type = std::string;
  std::string operator()(const plus<Subject>& p) const { return what(p.subject); }
};
template <typename Subject>
struct get_info<expect_directive<Subject>> {
  using result_type = std::string;
  std::string operator()(const expect_directive<Subject>& p) const { return what(p.subject); }
};
template <typename Subject>
struct get_info<raw_directive<Subject>> {
  using result_type = std::string;
  std::string operator()(const raw_directive<Subject>& p) const { return what(p.subject); }
};
template <typename Subject>
struct get_info<policy::syntax::grammar::Nested<Subject>> {
  using result_type = std::string;
  std::string operator()(const policy::syntax::grammar::Nested<Subject>& p) const {
    return what(p.subject);
  }
};
// A sequence is expected when its first element is.
template <typename Left, typename Right>
struct get_info<sequence<Left, Right>> {
  using result_type = std::string;
  std::string operator()(const sequence<Left, Right>& p) const { return what(p.left); }
};
template <typename Left, typename Right>
struct get_info<list<Left, Right>> {
  using result_type = std::string;
  std::string operator()(const list<Left, Right>& p) const { return what(p.left); }
};
template <typename Left, typename Right>
struct get_info<alternative<Left, Right>> {
  using result_type = std::string;
  std::string operator()(const alternative<Left, Right>& p) const {
    return what(p.left) + " or " + what(p.right);
  }
};
template <>
struct get_info<policy::syntax::grammar::Here> {
  using result_type = std::string;
  std::string operator()(const policy::syntax::grammar::Here&) const { return "more text"; }
};
template <>
struct get_info<policy::syntax::grammar::There> {
  using result_type = std::string;
  std::string operator()(const policy::syntax::grammar::There&) const { return "more text"; }
};
template <>
struct get_info<eps_parser> {
  using result_type = std::string;
  std::string operator()(const eps_parser&) const { return "more text"; }
};
}  // namespace boost::spirit::x3
