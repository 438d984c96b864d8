// Expressions: the precedence table of LANGUAGE.md section 4.
//
// Each binary level is an OperatorLevel primitive that loops over its
// operators instead of recursing, so long chains (`a ?? b ?? ...`,
// `not not ...`, `a implies b implies ...`) cost no stack; only brackets,
// `if` and quantifiers recurse, and those are bounded by the nesting limit.
#include <boost/fusion/include/at_c.hpp>
#include <vector>

#include "libpolicy/syntax/grammar.h"

namespace policy::syntax::grammar {
namespace {

using boost::fusion::at_c;
using x3::_attr;
using x3::_val;

ExprPtr MakeBinary(ParseState& state, BinaryOp op, ExprPtr lhs, ExprPtr rhs) {
  auto e = MakeExpr(state, ExprKind::kBinary, lhs->span.begin, rhs->span.end);
  e->op = op;
  Adopt(state, *e, std::move(lhs));
  Adopt(state, *e, std::move(rhs));
  return e;
}

struct OpToken {
  BinaryOp op = BinaryOp::kEq;
  uint32_t begin = 0;
  uint32_t end = 0;
};

struct OpEntry {
  const char* text;
  BinaryOp op;
};

// One binary operator out of a table (longest spellings first). Word
// operators end at a word boundary; `not in` is two words.
struct Operator : Primitive<Operator>, Named {
  using attribute_type = OpToken;
  template <std::size_t N>
  constexpr Operator(const OpEntry (&table)[N], const char* description)
      : Named{description}, entries(table), count(N) {}

  template <typename Context>
  static bool MatchText(Iterator& it, const Iterator& last, const Context& ctx, const char* text) {
    bool word = IsIdentStart(*text);
    for (const char* t = text; *t; ++t) {
      if (*t == ' ') {
        // Between the words of `not in`: at least one space or comment.
        Iterator before = it;
        x3::skip_over(it, last, ctx);
        if (it == before) return false;
        continue;
      }
      if (it == last || *it != *t) return false;
      ++it;
    }
    return !word || it == last || !IsIdentChar(*it);
  }

  template <typename Context, typename RContext, typename Attribute>
  bool Match(Iterator& first, const Iterator& last, const Context& ctx, RContext&,
             Attribute& attr) const {
    x3::skip_over(first, last, ctx);
    for (std::size_t k = 0; k < count; ++k) {
      Iterator it = first;
      if (!MatchText(it, last, ctx, entries[k].text)) continue;
      const ParseState& state = State(ctx);
      x3::traits::move_to(OpToken{entries[k].op, state.Offset(first), state.Offset(it)}, attr);
      first = it;
      return true;
    }
    return false;
  }

  const OpEntry* entries;
  std::size_t count;
};

enum class Assoc : uint8_t { kLeft, kRight, kNone };

template <typename Lower>
struct OperatorLevel : x3::parser<OperatorLevel<Lower>> {
  using attribute_type = ExprPtr;
  constexpr OperatorLevel(const Lower& l, const Operator& o, Assoc a)
      : lower(l), ops(o), assoc(a) {}

  template <typename Context, typename RContext>
  ExprPtr Operand(Iterator& first, const Iterator& last, const Context& ctx, RContext& rctx) const {
    ExprPtr e;
    if (!lower.parse(first, last, ctx, rctx, e)) {
      x3::skip_over(first, last, ctx);
      throw x3::expectation_failure<Iterator>(first, "an expression");
    }
    return e;
  }

  template <typename Context, typename RContext, typename Attribute>
  bool parse(Iterator& first, const Iterator& last, const Context& ctx, RContext& rctx,
             Attribute& attr) const {
    ExprPtr lhs;
    if (!lower.parse(first, last, ctx, rctx, lhs)) return false;
    std::vector<ExprPtr> operands;  // right-associative levels fold at the end
    std::vector<BinaryOp> right_ops;
    OpToken token;
    int seen = 0;
    while (ops.parse(first, last, ctx, rctx, token)) {
      if (assoc == Assoc::kNone && ++seen > 1) {
        Fail(DiagCode::kSyntaxNonAssociative,
             std::string("'") + BinaryOpText(token.op) +
                 "' cannot follow another comparison of the same level; add parentheses",
             token.begin, token.end);
      }
      ExprPtr rhs = Operand(first, last, ctx, rctx);
      if (assoc == Assoc::kRight) {
        operands.push_back(std::move(lhs));
        right_ops.push_back(token.op);
        lhs = std::move(rhs);
      } else {
        lhs = MakeBinary(State(ctx), token.op, std::move(lhs), std::move(rhs));
      }
    }
    while (!operands.empty()) {
      lhs = MakeBinary(State(ctx), right_ops.back(), std::move(operands.back()), std::move(lhs));
      operands.pop_back();
      right_ops.pop_back();
    }
    x3::traits::move_to(std::move(lhs), attr);
    return true;
  }

  Lower lower;
  Operator ops;
  Assoc assoc;
};

// Prefix operators (`-`, `not`), read in a loop and applied innermost first.
template <typename Op, typename Lower>
struct PrefixLevel : x3::parser<PrefixLevel<Op, Lower>> {
  using attribute_type = ExprPtr;
  constexpr PrefixLevel(const Op& o, const Lower& l, ExprKind k) : op(o), lower(l), kind(k) {}

  template <typename Context, typename RContext, typename Attribute>
  bool parse(Iterator& first, const Iterator& last, const Context& ctx, RContext& rctx,
             Attribute& attr) const {
    std::vector<uint32_t> begins;
    Iterator start = first;
    for (;;) {
      x3::skip_over(first, last, ctx);
      uint32_t begin = State(ctx).Offset(first);
      if (!op.parse(first, last, ctx, rctx, x3::unused)) break;
      begins.push_back(begin);
    }
    ExprPtr e;
    if (!lower.parse(first, last, ctx, rctx, e)) {
      if (begins.empty()) {
        first = start;
        return false;
      }
      x3::skip_over(first, last, ctx);
      throw x3::expectation_failure<Iterator>(first, "an expression");
    }
    while (!begins.empty()) {
      auto wrapped = MakeExpr(State(ctx), kind, begins.back(), e->span.end);
      Adopt(State(ctx), *wrapped, std::move(e));
      e = std::move(wrapped);
      begins.pop_back();
    }
    x3::traits::move_to(std::move(e), attr);
    return true;
  }

  Op op;
  Lower lower;
  ExprKind kind;
};

template <typename Lower>
constexpr OperatorLevel<Lower> Level(const Lower& lower, const Operator& ops, Assoc assoc) {
  return {lower, ops, assoc};
}

constexpr OpEntry kCoalesceOps[] = {{"??", BinaryOp::kCoalesce}};
constexpr OpEntry kMulOps[] = {{"*", BinaryOp::kMul}, {"/", BinaryOp::kDiv}, {"%", BinaryOp::kMod}};
constexpr OpEntry kAddOps[] = {{"+", BinaryOp::kAdd}, {"-", BinaryOp::kSub}};
constexpr OpEntry kMatchesOps[] = {{"matches", BinaryOp::kMatches}};
constexpr OpEntry kInOps[] = {
    {"in", BinaryOp::kIn}, {"not in", BinaryOp::kNotIn}, {"has", BinaryOp::kHas}};
constexpr OpEntry kOrderOps[] = {
    {"<=", BinaryOp::kLe}, {">=", BinaryOp::kGe}, {"<", BinaryOp::kLt}, {">", BinaryOp::kGt}};
constexpr OpEntry kEqualityOps[] = {{"==", BinaryOp::kEq}, {"!=", BinaryOp::kNe}};
constexpr OpEntry kAndOps[] = {{"and", BinaryOp::kAnd}};
constexpr OpEntry kOrOps[] = {{"or", BinaryOp::kOr}};
constexpr OpEntry kImpliesOps[] = {{"implies", BinaryOp::kImplies}};

constexpr Keyword kw_if("if", "'if'"), kw_then("then", "'then'"), kw_else("else", "'else'"),
    kw_in("in", "'in'"), kw_not("not", "'not'"), kw_all("all", "'all'"), kw_any("any", "'any'"),
    kw_none("none", "'none'"), kw_count("count", "'count'"), kw_true("true", "'true'"),
    kw_false("false", "'false'"), kw_null("null", "'null'");
constexpr Punct open_paren("(", "'('"), close_paren(")", "')'"), open_bracket("[", "'['"),
    close_bracket("]", "']'"), open_brace("{", "'{'"), close_brace("}", "'}'"), comma(",", "','"),
    colon(":", "':'"), dot(".", "'.'"), minus("-", "'-'");
constexpr Name binder(NameKind::kBinder, "a name"), name(NameKind::kName, "a name"),
    member_name(NameKind::kAny, "a member name");
constexpr Literal number(LiteralKind::kNumber, "a number"),
    string_literal(LiteralKind::kString, "a string"), regex(LiteralKind::kRegex, "a regex");

struct QuantifierWord : Primitive<QuantifierWord>, Named {
  using attribute_type = Quantifier;
  constexpr QuantifierWord() : Named{"a quantifier"} {}
  template <typename Context, typename RContext, typename Attribute>
  bool Match(Iterator& first, const Iterator& last, const Context& ctx, RContext& rctx,
             Attribute& attr) const {
    static constexpr std::pair<Keyword, Quantifier> kWords[] = {{kw_all, Quantifier::kAll},
                                                                {kw_any, Quantifier::kAny},
                                                                {kw_none, Quantifier::kNone},
                                                                {kw_count, Quantifier::kCount}};
    for (const auto& [word, quant] : kWords) {
      Iterator start = first;
      if (word.parse(first, last, ctx, rctx, x3::unused)) {
        // `count()`, the aggregate of a grouped rule (LANGUAGE.md section
        // 11.3), is a call, not the quantifier.
        Iterator next = first;
        x3::skip_over(next, last, ctx);
        if (quant == Quantifier::kCount && next != last && *next == '(') {
          first = start;
          return false;
        }
        x3::traits::move_to(quant, attr);
        return true;
      }
    }
    return false;
  }
};

// ---- actions ----------------------------------------------------------

const auto assign = [](auto& ctx) { _val(ctx) = std::move(_attr(ctx)); };
const auto push_arg = [](auto& ctx) { Adopt(State(ctx), *_val(ctx), std::move(_attr(ctx))); };
const auto end_at = [](auto& ctx) { _val(ctx)->span.end = _attr(ctx); };
const auto end_at_last_arg = [](auto& ctx) {
  _val(ctx)->span.end = _val(ctx)->args.back()->span.end;
};

auto Start(ExprKind kind) {
  return [kind](auto& ctx) { _val(ctx) = MakeExpr(State(ctx), kind, _attr(ctx), _attr(ctx)); };
}

auto KeywordLiteral(ExprKind kind, const char* text) {
  return [kind, text](auto& ctx) {
    ParseState& state = State(ctx);
    _val(ctx) = MakeExpr(state, kind, state.Offset(_attr(ctx).begin()),
                         state.Offset(_attr(ctx).end()), text);
  };
}

const auto misplaced = [](auto& ctx) {
  const ParseState& state = State(ctx);
  std::string word(_attr(ctx).begin(), _attr(ctx).end());
  Fail(DiagCode::kSyntaxUnexpected,
       "'" + word + "' stands alone only as a whole expression; put it in parentheses",
       state.Offset(_attr(ctx).begin()), state.Offset(_attr(ctx).end()));
};

const auto make_name = [](auto& ctx) {
  Ident& id = _attr(ctx);
  _val(ctx) = MakeExpr(State(ctx), ExprKind::kName, id.span.begin, id.span.end, std::move(id.name));
};

const auto start_call = [](auto& ctx) {
  Ident& id = _attr(ctx);
  _val(ctx) = MakeExpr(State(ctx), ExprKind::kCall, id.span.begin, id.span.end, std::move(id.name));
  _val(ctx)->name_span = id.span;
};

const auto make_member = [](auto& ctx) {
  Ident& id = _attr(ctx);
  auto e = MakeExpr(State(ctx), ExprKind::kMember, _val(ctx)->span.begin, id.span.end,
                    std::move(id.name));
  e->name_span = id.span;
  Adopt(State(ctx), *e, std::move(_val(ctx)));
  _val(ctx) = std::move(e);
};

const auto make_index = [](auto& ctx) {
  auto e = MakeExpr(State(ctx), ExprKind::kIndex, _val(ctx)->span.begin, at_c<1>(_attr(ctx)));
  Adopt(State(ctx), *e, std::move(_val(ctx)));
  Adopt(State(ctx), *e, std::move(at_c<0>(_attr(ctx))));
  _val(ctx) = std::move(e);
};

const auto make_paren = [](auto& ctx) {
  _val(ctx) = std::move(at_c<1>(_attr(ctx)));
  // The parentheses belong to the operand's text (default messages quote it).
  _val(ctx)->span = {at_c<0>(_attr(ctx)), at_c<2>(_attr(ctx))};
};

const auto start_quantifier = [](auto& ctx) {
  _val(ctx) = MakeExpr(State(ctx), ExprKind::kQuantifier, at_c<0>(_attr(ctx)), at_c<0>(_attr(ctx)));
  _val(ctx)->quant = at_c<1>(_attr(ctx));
};

const auto add_name = [](auto& ctx) { _val(ctx)->names.push_back(std::move(_attr(ctx))); };

const auto start_if = [](auto& ctx) {
  ParseState& state = State(ctx);
  _val(ctx) = MakeExpr(state, ExprKind::kIf, state.Offset(_attr(ctx).begin()),
                       state.Offset(_attr(ctx).end()));
};

// ---- rules --------------------------------------------------------------

x3::rule<struct PostfixId, ExprPtr> const postfix = "an expression";
x3::rule<struct PrimaryId, ExprPtr> const primary = "an expression";
x3::rule<struct ParenId, ExprPtr> const paren = "an expression";
x3::rule<struct ListId, ExprPtr> const list = "a list";
x3::rule<struct MapId, ExprPtr> const map = "a map";
x3::rule<struct CallId, ExprPtr> const call = "a call";
x3::rule<struct QuantifierId, ExprPtr> const quantifier = "a quantifier";
x3::rule<struct IfId, ExprPtr> const if_expr = "an if expression";

const auto unary =
    PrefixLevel<Punct, std::remove_const_t<decltype(postfix)>>(minus, postfix, ExprKind::kNegate);
const auto coalesce_level = Level(unary, Operator(kCoalesceOps, "'?\\?'"), Assoc::kRight);
const auto mul_level = Level(coalesce_level, Operator(kMulOps, "an operator"), Assoc::kLeft);
const auto add_level = Level(mul_level, Operator(kAddOps, "an operator"), Assoc::kLeft);
const auto matches_level = Level(add_level, Operator(kMatchesOps, "'matches'"), Assoc::kLeft);
const auto in_level = Level(matches_level, Operator(kInOps, "'in'"), Assoc::kLeft);
const auto order_level = Level(in_level, Operator(kOrderOps, "a comparison"), Assoc::kNone);
const auto equality_level = Level(order_level, Operator(kEqualityOps, "'=='"), Assoc::kNone);
const auto not_level = PrefixLevel<Keyword, std::remove_const_t<decltype(equality_level)>>(
    kw_not, equality_level, ExprKind::kNot);
const auto and_level = Level(not_level, Operator(kAndOps, "'and'"), Assoc::kLeft);
const auto or_level = Level(and_level, Operator(kOrOps, "'or'"), Assoc::kLeft);
const auto implies_level = Level(or_level, Operator(kImpliesOps, "'implies'"), Assoc::kRight);

const auto expression_def = quantifier | if_expr | implies_level;
const auto additive_def = add_level;

const auto quantifier_word = QuantifierWord();

const auto quantifier_def = (Here() >> quantifier_word)[start_quantifier] >
                            nested[binder[add_name] > -(comma > binder[add_name]) > kw_in >
                                   additive[push_arg] > colon > expression[push_arg]] >
                            x3::eps[end_at_last_arg];

const auto if_expr_def =
    x3::raw[kw_if][start_if] >
    nested[expression[push_arg] > kw_then > expression[push_arg] > kw_else > expression[push_arg]] >
    x3::eps[end_at_last_arg];

const auto paren_def =
    ((Here() >> open_paren) > nested[expression > close_paren] > There())[make_paren];

const auto list_def = (Here() >> open_bracket)[Start(ExprKind::kList)] >
                      nested[-(expression[push_arg] % comma) > close_bracket] > There()[end_at];

const auto map_def =
    (Here() >> open_brace)[Start(ExprKind::kMap)] >
    nested[-((string_literal[push_arg] > colon > expression[push_arg]) % comma) > close_brace] >
    There()[end_at];

// `count(` opens a call (the aggregate), where `count x in` is the quantifier.
struct CountCallName : Primitive<CountCallName>, Named {
  using attribute_type = Ident;
  constexpr CountCallName() : Named{"a name"} {}
  template <typename Context, typename RContext, typename Attribute>
  bool Match(Iterator& first, const Iterator& last, const Context& ctx, RContext& rctx,
             Attribute& attr) const {
    Iterator start = first;
    if (!kw_count.parse(first, last, ctx, rctx, x3::unused)) return false;
    Iterator next = first;
    x3::skip_over(next, last, ctx);
    if (next == last || *next != '(') {
      first = start;
      return false;
    }
    x3::skip_over(start, last, ctx);
    const ParseState& state = State(ctx);
    x3::traits::move_to(Ident{"count", {state.Offset(start), state.Offset(first)}}, attr);
    return true;
  }
};
constexpr CountCallName count_call_name;

const auto call_def = ((name >> open_paren)[start_call] |
                       (count_call_name >> open_paren)[start_call]) >
                      nested[-(expression[push_arg] % comma) > close_paren] > There()[end_at];

const auto primary_def = number[assign] | string_literal[assign] | regex[assign] |
                         x3::raw[kw_true][KeywordLiteral(ExprKind::kBool, "true")] |
                         x3::raw[kw_false][KeywordLiteral(ExprKind::kBool, "false")] |
                         x3::raw[kw_null][KeywordLiteral(ExprKind::kNull, "")] | paren[assign] |
                         list[assign] | map[assign] | call[assign] | name[make_name] |
                         x3::raw[kw_if | kw_all | kw_any | kw_none | kw_count][misplaced];

const auto postfix_def = primary[assign] >> *((dot > member_name)[make_member] |
                                              (open_bracket > nested[expression > close_bracket] >
                                               There())[make_index]);

BOOST_SPIRIT_DEFINE(postfix, primary, paren, list, map, call, quantifier, if_expr)

}  // namespace

BOOST_SPIRIT_DEFINE(expression, additive)

BOOST_SPIRIT_INSTANTIATE(ExpressionRule, Iterator, Context)
BOOST_SPIRIT_INSTANTIATE(AdditiveRule, Iterator, Context)

}  // namespace policy::syntax::grammar
