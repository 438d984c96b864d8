// Declarations: package, import, param, def, schema and rule (LANGUAGE.md
// section 2), and message templates.
#include <boost/fusion/include/at_c.hpp>
#include <vector>

#include "libpolicy/syntax/grammar.h"

namespace policy::syntax::grammar {
namespace {

using boost::fusion::at_c;
using x3::_attr;
using x3::_val;

constexpr Keyword kw_package("package", "'package'"), kw_import("import", "'import'"),
    kw_param("param", "'param'"), kw_def("def", "'def'"), kw_schema("schema", "'schema'"),
    kw_rule("rule", "'rule'"), kw_required("required", "'required'"), kw_for("for", "'for'"),
    kw_let("let", "'let'"), kw_where("where", "'where'"), kw_require("require", "'require'"),
    kw_unique("unique", "'unique'"), kw_mostly("mostly", "'mostly'"), kw_at("at", "'at'"),
    kw_message("message", "'message'"), kw_title("title", "'title'"),
    kw_severity("severity", "'severity'"), kw_tags("tags", "'tags'"), kw_on("on", "'on'"),
    kw_remedy("remedy", "'remedy'"), kw_doc("doc", "'doc'"), kw_in("in", "'in'"),
    // Version 2 (LANGUAGE.md section 11): keywords only where these rules read them.
    kw_index("index", "'index'"), kw_by("by", "'by'"), kw_group("group", "'group'"),
    kw_keep("keep", "'keep'"), kw_optional("optional", "'optional'"),
    kw_within("within", "'within'");
constexpr Punct open_paren("(", "'('"), close_paren(")", "')'"), open_bracket("[", "'['"),
    close_bracket("]", "']'"), open_brace("{", "'{'"),
    clause_or_close("}",
                    "a clause (title, severity, tags, on, remedy, doc, for, let, where, "
                    "group by, require, unique, at, message) or '}'"),
    field_or_close("}", "a field or '}'"), comma(",", "','"), colon(":", "':'"), dot(".", "'.'"),
    equals("=", "'='", "="), percent("%", "'%'"), bar("|", "'|'");
constexpr Name binder(NameKind::kBinder, "a name"), any_name(NameKind::kAny, "a name"),
    type_name(NameKind::kBinder, "a type"), tag(NameKind::kTag, "a tag ([a-z][a-z0-9_-]*)"),
    target_word(NameKind::kAny,
                "a target (compose, records, records(SCHEMA), document or document(\"GLOB\"))"),
    source_word(NameKind::kAny,
                "a source (records(SCHEMA), compose, document(\"GLOB\") or dotenv(\"GLOB\"))"),
    keep_word(NameKind::kAny, "'first' or 'all'");
constexpr StringLiteral string_literal;
constexpr RuleId rule_id;
constexpr Literal number(LiteralKind::kNumber, "a number");

// `"...{expr}..."`: literal text with `{{`/`}}` escapes and `{expr}` holes.
// The holes are read by the expression grammar in place, so their spans are
// offsets into the file like every other node's.
struct TemplateLiteral : Primitive<TemplateLiteral>, Named {
  using attribute_type = Template;
  constexpr TemplateLiteral() : Named{"a message string"} {}

  template <typename Context, typename RContext, typename Attribute>
  bool Match(Iterator& first, const Iterator& last, const Context& ctx, RContext& rctx,
             Attribute& attr) const {
    x3::skip_over(first, last, ctx);
    if (first == last || *first != '"') return false;
    const ParseState& state = State(ctx);
    Template result;
    result.span.begin = state.Offset(first);
    std::string_view text(state.base, static_cast<std::size_t>(last - state.base));
    std::string literal;
    auto flush = [&] {
      if (literal.empty()) return;
      result.parts.push_back({std::move(literal), nullptr});
      literal.clear();
    };
    Iterator it = first + 1;
    for (;;) {
      if (it == last || *it == '\n' || *it == '\r') {
        Fail(DiagCode::kSyntaxUnterminatedString, "unterminated string", result.span.begin,
             result.span.begin + 1);
      }
      char c = *it;
      if (c == '"') {
        ++it;
        break;
      }
      if (c == '\\') {
        std::size_t next = DecodeEscape(text, state.Offset(it), literal);
        if (next == std::string_view::npos) {
          Fail(DiagCode::kSyntaxBadEscape, "invalid escape", state.Offset(it),
               state.Offset(it) + 2);
        }
        it = state.base + next;
        continue;
      }
      bool doubled = it + 1 != last && it[1] == c;
      if ((c == '{' || c == '}') && doubled) {
        literal += c;
        it += 2;
        continue;
      }
      if (c == '}') {
        Fail(DiagCode::kSyntaxUnexpected, "a literal '}' in a message is written '}}'",
             state.Offset(it), state.Offset(it) + 1);
      }
      if (c != '{') {
        literal += c;
        ++it;
        continue;
      }
      flush();
      ++it;
      ExprPtr hole;
      if (!nested[expression].parse(it, last, ctx, rctx, hole)) {
        x3::skip_over(it, last, ctx);
        throw x3::expectation_failure<Iterator>(it, "an expression");
      }
      x3::skip_over(it, last, ctx);
      if (it == last || *it != '}') {
        throw x3::expectation_failure<Iterator>(it, "'}' to close the '{' of the message");
      }
      ++it;
      result.parts.push_back({std::string(), std::move(hole)});
    }
    flush();
    result.span.end = state.Offset(it);
    x3::traits::move_to(std::move(result), attr);
    first = it;
    return true;
  }
};
constexpr TemplateLiteral message_template;

// ---- actions ----------------------------------------------------------

template <auto Member>
const auto set = [](auto& ctx) { _val(ctx).*Member = std::move(_attr(ctx)); };
const auto begin_at = [](auto& ctx) { _val(ctx).span.begin = _attr(ctx); };
const auto end_at = [](auto& ctx) { _val(ctx).span.end = _attr(ctx); };

ParseState& Declared(ParseState& state) {
  state.seen_item = true;
  state.seen_declaration = true;
  return state;
}

const auto add_import = [](auto& ctx) {
  ParseState& state = State(ctx);
  Import import{std::move(at_c<1>(_attr(ctx))), {at_c<0>(_attr(ctx)), 0}};
  import.span.end = import.path.span.end;
  if (state.seen_declaration) {
    Fail(DiagCode::kSyntaxUnexpected, "imports come before the declarations of a file",
         import.span.begin, import.span.begin + 6);
  }
  state.seen_item = true;
  state.module->imports.push_back(std::move(import));
};

const auto set_package = [](auto& ctx) {
  ParseState& state = State(ctx);
  Ident name = std::move(at_c<1>(_attr(ctx)));
  for (Ident& part : at_c<2>(_attr(ctx))) {
    name.name += "." + part.name;
    name.span.end = part.span.end;
  }
  if (state.seen_item) {
    Fail(DiagCode::kSyntaxUnexpected, "'package' must come first in a file", at_c<0>(_attr(ctx)),
         at_c<0>(_attr(ctx)) + 7);
  }
  state.seen_item = true;
  state.module->package = std::move(name);
};

const auto add_param = [](auto& ctx) {
  Declared(State(ctx)).module->params.push_back(std::move(_attr(ctx)));
};
const auto add_def = [](auto& ctx) {
  Declared(State(ctx)).module->defs.push_back(std::move(_attr(ctx)));
};
const auto add_schema = [](auto& ctx) {
  Declared(State(ctx)).module->schemas.push_back(std::move(_attr(ctx)));
};
const auto add_index = [](auto& ctx) {
  Declared(State(ctx)).module->indexes.push_back(std::move(_attr(ctx)));
};
const auto add_rule = [](auto& ctx) {
  Declared(State(ctx)).module->rules.push_back(std::move(_attr(ctx)));
};

const auto add_def_param = [](auto& ctx) { _val(ctx).params.push_back(std::move(_attr(ctx))); };
const auto add_field = [](auto& ctx) { _val(ctx).fields.push_back(std::move(_attr(ctx))); };
const auto quoted_field_name = [](auto& ctx) {
  _val(ctx).name = Ident{std::move(_attr(ctx).value), _attr(ctx).span};
};
const auto add_alias = [](auto& ctx) { _val(ctx).aliases.push_back(std::move(_attr(ctx))); };
const auto quoted_alias = [](auto& ctx) {
  _val(ctx).aliases.push_back(Ident{std::move(_attr(ctx).value), _attr(ctx).span});
};
const auto mark_required = [](auto& ctx) { _val(ctx).required = true; };

const auto set_target_kind = [](auto& ctx) {
  const Ident& word = _attr(ctx);
  Target& target = _val(ctx);
  target.span = word.span;
  if (word.name == "compose") {
    target.kind = TargetKind::kCompose;
  } else if (word.name == "records") {
    target.kind = TargetKind::kRecords;
  } else if (word.name == "document") {
    target.kind = TargetKind::kDocument;
  } else if (word.name == "dotenv") {
    target.kind = TargetKind::kDotenv;
  } else {
    Fail(DiagCode::kSyntaxExpected,
         "expected a target (compose, records, records(SCHEMA), document or dotenv)",
         word.span.begin, word.span.end);
  }
};
const auto set_target_schema = [](auto& ctx) {
  Target& target = _val(ctx);
  if (target.kind != TargetKind::kRecords) {
    Fail(DiagCode::kSyntaxUnexpected, "only 'records' takes a schema", _attr(ctx).span.begin,
         _attr(ctx).span.end);
  }
  target.schema = std::move(_attr(ctx));
};

const auto set_source_kind = [](auto& ctx) {
  const Ident& word = _attr(ctx);
  Source& source = _val(ctx);
  source.span = word.span;
  if (word.name == "records") {
    source.kind = SourceKind::kRecords;
  } else if (word.name == "compose") {
    source.kind = SourceKind::kCompose;
  } else if (word.name == "document") {
    source.kind = SourceKind::kDocument;
  } else if (word.name == "dotenv") {
    source.kind = SourceKind::kDotenv;
  } else {
    Fail(DiagCode::kSyntaxExpected,
         "expected a source (records(SCHEMA), compose, document(\"GLOB\") or dotenv(\"GLOB\"))",
         word.span.begin, word.span.end);
  }
};
const auto set_source_schema = [](auto& ctx) {
  Source& source = _val(ctx);
  if (source.kind != SourceKind::kRecords)
    Fail(DiagCode::kSyntaxUnexpected, "only 'records' takes a schema; documents take a \"glob\"",
         _attr(ctx).span.begin, _attr(ctx).span.end);
  source.schema = std::move(_attr(ctx));
};
const auto set_source_glob = [](auto& ctx) {
  Source& source = _val(ctx);
  if (source.kind != SourceKind::kDocument && source.kind != SourceKind::kDotenv)
    Fail(DiagCode::kSyntaxUnexpected, "only 'document' and 'dotenv' take a \"glob\"",
         _attr(ctx).span.begin, _attr(ctx).span.end);
  source.glob = std::move(_attr(ctx));
};
const auto end_source = [](auto& ctx) {
  Source& source = _val(ctx);
  source.span.end = _attr(ctx);
  if (source.kind == SourceKind::kRecords && !source.schema)
    Fail(DiagCode::kSyntaxExpected, "an index reads `records(SCHEMA)`: name the schema",
         source.span.begin, source.span.end);
  if ((source.kind == SourceKind::kDocument || source.kind == SourceKind::kDotenv) && !source.glob)
    Fail(DiagCode::kSyntaxExpected, "name the files: document(\"GLOB\") or dotenv(\"GLOB\")",
         source.span.begin, source.span.end);
};
const auto add_index_for = [](auto& ctx) {
  auto& attr = _attr(ctx);
  Index& index = _val(ctx);
  index.for_names.push_back(std::move(at_c<0>(attr)));
  if (at_c<1>(attr)) index.for_names.push_back(std::move(*at_c<1>(attr)));
  index.for_expr = std::move(at_c<2>(attr));
};
const auto mark_optional = [](auto& ctx) { _val(ctx).optional = true; };
const auto set_keep = [](auto& ctx) {
  const Ident& word = _attr(ctx);
  if (word.name == "all")
    _val(ctx).keep_all = true;
  else if (word.name != "first")
    Fail(DiagCode::kSyntaxExpected, "expected 'first' or 'all' after 'keep'", word.span.begin,
         word.span.end);
};

const auto set_target_glob = [](auto& ctx) {
  Target& target = _val(ctx);
  if (target.kind != TargetKind::kDocument) {
    Fail(DiagCode::kSyntaxUnexpected, "only 'document' takes a \"glob\"", _attr(ctx).span.begin,
         _attr(ctx).span.end);
  }
  target.glob = std::move(_attr(ctx));
};

// A metadata clause: (begin, value, end). Kept the first time, recorded in
// Rule::repeated afterwards so the checker can point at the repeat.
template <auto Member>
auto SetOnce(const char* clause) {
  return [clause](auto& ctx) {
    Rule& rule = _val(ctx);
    auto& attr = _attr(ctx);
    Span span{at_c<0>(attr), at_c<2>(attr)};
    if ((rule.*Member).has_value()) {
      rule.repeated.push_back({clause, span});
    } else {
      rule.*Member = std::move(at_c<1>(attr));
    }
  };
}

const auto set_at = [](auto& ctx) {
  Rule& rule = _val(ctx);
  auto& attr = _attr(ctx);
  if (rule.at) {
    rule.repeated.push_back({"at", {at_c<0>(attr), at_c<2>(attr)}});
  } else {
    rule.at = std::move(at_c<1>(attr));
  }
};

Clause MakeClause(ClauseKind kind, uint32_t begin, uint32_t end) {
  Clause clause;
  clause.kind = kind;
  clause.span = {begin, end};
  return clause;
}

auto SimpleClause(ClauseKind kind) {
  return [kind](auto& ctx) {
    auto& attr = _attr(ctx);
    Clause clause = MakeClause(kind, at_c<0>(attr), at_c<2>(attr));
    clause.expr = std::move(at_c<1>(attr));
    _val(ctx).query.push_back(std::move(clause));
  };
}

const auto for_clause_action = [](auto& ctx) {
  auto& attr = _attr(ctx);
  Clause clause = MakeClause(ClauseKind::kFor, at_c<0>(attr), at_c<4>(attr));
  clause.names.push_back(std::move(at_c<1>(attr)));
  if (at_c<2>(attr)) clause.names.push_back(std::move(*at_c<2>(attr)));
  clause.expr = std::move(at_c<3>(attr));
  _val(ctx).query.push_back(std::move(clause));
};

const auto let_clause_action = [](auto& ctx) {
  auto& attr = _attr(ctx);
  Clause clause = MakeClause(ClauseKind::kLet, at_c<0>(attr), at_c<3>(attr));
  clause.names.push_back(std::move(at_c<1>(attr)));
  clause.expr = std::move(at_c<2>(attr));
  _val(ctx).query.push_back(std::move(clause));
};

const auto require_clause_action = [](auto& ctx) {
  auto& attr = _attr(ctx);
  Clause clause = MakeClause(ClauseKind::kRequire, at_c<0>(attr), at_c<3>(attr));
  clause.expr = std::move(at_c<1>(attr));
  if (at_c<2>(attr)) {
    ExprPtr& percent_number = *at_c<2>(attr);
    clause.mostly_percent = std::move(percent_number->text);
    clause.mostly_span = percent_number->span;
  }
  _val(ctx).query.push_back(std::move(clause));
};

// `group by a = x, b = y`: one kGroupBy clause per key, in order.
const auto group_key_action = [](auto& ctx) {
  auto& attr = _attr(ctx);
  Clause clause = MakeClause(ClauseKind::kGroupBy, at_c<0>(attr), at_c<3>(attr));
  clause.names.push_back(std::move(at_c<1>(attr)));
  clause.expr = std::move(at_c<2>(attr));
  _val(ctx).query.push_back(std::move(clause));
};

// ---- rules ------------------------------------------------------------

x3::rule<struct PackageId> const package_decl = "a package";
x3::rule<struct ImportId> const import_decl = "an import";
x3::rule<struct TypeRefId, TypeRef> const type_ref = "a type";
x3::rule<struct ParamId, Param> const param_decl = "a param";
x3::rule<struct DefId, Def> const def_decl = "a def";
x3::rule<struct FieldId, SchemaField> const field = "a field";
x3::rule<struct SchemaId, Schema> const schema_decl = "a schema";
x3::rule<struct TargetId, Target> const target = "a target";
x3::rule<struct TagsId, std::vector<Ident>> const tag_list = "a list of tags";
x3::rule<struct RuleDeclId, Rule> const rule_decl = "a rule";
x3::rule<struct SourceId, Source> const source = "a source";
x3::rule<struct IndexId, Index> const index_decl = "an index";

const auto package_decl_def = ((Here() >> kw_package) > binder > *(dot > any_name))[set_package];

const auto import_decl_def = ((Here() >> kw_import) > string_literal)[add_import];

const auto type_ref_def = type_name[set<&TypeRef::name>] >>
                          -(open_paren > string_literal[set<&TypeRef::pattern>] > close_paren);

const auto param_decl_def = (Here()[begin_at] >> kw_param) > binder[set<&Param::name>] > colon >
                            type_ref[set<&Param::type>] > equals >
                            expression[set<&Param::default_value>] > There()[end_at];

const auto def_decl_def = (Here()[begin_at] >> kw_def) > binder[set<&Def::name>] > open_paren >
                          -(binder[add_def_param] % comma) > close_paren > equals
                          > expression[set<&Def::body>] > There()[end_at];

const auto field_def = (Here()[begin_at] >>
                        (any_name[set<&SchemaField::name>] | string_literal[quoted_field_name])) >
                       *(bar > (any_name[add_alias] | string_literal[quoted_alias])) > colon
                       > type_ref[set<&SchemaField::type>] > -kw_required[mark_required] >
                       There()[end_at];

const auto schema_decl_def = (Here()[begin_at] >> kw_schema) > binder[set<&Schema::name>] >
                             open_brace > *field[add_field] > field_or_close > There()[end_at];

const auto target_def = (target_word[set_target_kind] >>
                         -(open_paren > (string_literal[set_target_glob] |
                                         binder[set_target_schema]) > close_paren)) >
                        There()[end_at];

const auto source_def = source_word[set_source_kind] >>
                        -(open_paren > (string_literal[set_source_glob] |
                                        binder[set_source_schema]) > close_paren) >
                        There()[end_source];

const auto index_decl_def = (Here()[begin_at] >> kw_index) > binder[set<&Index::name>] > equals >
                            -kw_optional[mark_optional] > source[set<&Index::source>] >
                            -((kw_for > binder > -(comma > binder) > kw_in >
                               additive)[add_index_for]) > kw_by
                            > expression[set<&Index::key>] > -(kw_keep > keep_word[set_keep]) >
                            There()[end_at];

const auto tag_list_def = open_bracket > -(tag % comma) > close_bracket;

const auto title_clause =
    ((Here() >> kw_title) > string_literal > There())[SetOnce<&Rule::title>("title")];
const auto severity_clause =
    ((Here() >> kw_severity) > any_name > There())[SetOnce<&Rule::severity>("severity")];
const auto tags_clause = ((Here() >> kw_tags) > tag_list > There())[SetOnce<&Rule::tags>("tags")];
const auto on_clause = ((Here() >> kw_on) > target > There())[SetOnce<&Rule::target>("on")];
const auto remedy_clause =
    ((Here() >> kw_remedy) > string_literal > There())[SetOnce<&Rule::remedy>("remedy")];
const auto doc_clause = ((Here() >> kw_doc) > string_literal > There())[SetOnce<&Rule::doc>("doc")];
const auto message_clause =
    ((Here() >> kw_message) > message_template > There())[SetOnce<&Rule::message>("message")];
const auto at_clause = ((Here() >> kw_at) > expression > There())[set_at];

const auto for_clause = ((Here() >> kw_for) > binder > -(comma > binder) > kw_in > additive >
                         There())[for_clause_action];
const auto let_clause =
    ((Here() >> kw_let) > binder > equals > expression > There())[let_clause_action];
const auto where_clause =
    ((Here() >> kw_where) > expression > There())[SimpleClause(ClauseKind::kWhere)];
// `unique KEY within SCOPE` (version 2): KEY compared within each value of SCOPE.
const auto unique_clause_action = [](auto& ctx) {
  auto& attr = _attr(ctx);
  Clause clause = MakeClause(ClauseKind::kUnique, at_c<0>(attr), at_c<3>(attr));
  clause.expr = std::move(at_c<1>(attr));
  if (at_c<2>(attr)) clause.within = std::move(*at_c<2>(attr));
  _val(ctx).query.push_back(std::move(clause));
};
const auto unique_clause = ((Here() >> kw_unique) > expression > -(kw_within > expression) >
                            There())[unique_clause_action];
const auto require_clause = ((Here() >> kw_require) > expression > -(kw_mostly > number > percent) >
                             There())[require_clause_action];

const auto group_key = (Here() >> binder > equals > expression > There())[group_key_action];
const auto group_clause = (kw_group >> kw_by) > (group_key % comma);

const auto clause = group_clause | title_clause | severity_clause | tags_clause | on_clause |
                    remedy_clause | doc_clause | message_clause | at_clause | for_clause |
                    let_clause | where_clause | unique_clause | require_clause;

const auto rule_decl_def = (Here()[begin_at] >> kw_rule) > rule_id[set<&Rule::id>] > open_brace >
                           *clause > clause_or_close > There()[end_at];

BOOST_SPIRIT_DEFINE(package_decl, import_decl, type_ref, param_decl, def_decl, field, schema_decl,
                    target, tag_list, rule_decl, source, index_decl)

}  // namespace

const auto declaration_def = package_decl | import_decl | param_decl[add_param] |
                             def_decl[add_def] | schema_decl[add_schema] | index_decl[add_index] |
                             rule_decl[add_rule];

BOOST_SPIRIT_DEFINE(declaration)
BOOST_SPIRIT_INSTANTIATE(DeclarationRule, Iterator, Context)

}  // namespace policy::syntax::grammar
