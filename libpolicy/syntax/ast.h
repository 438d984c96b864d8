#pragma once
// The AST of a .policy file (LANGUAGE.md). Produced by syntax::Parse, read by the
// checker. Every node has a Span (byte offsets into its SourceFile); spans do
// not take part in equality, so tests can build expected trees without them.
// Free of Boost: only syntax/*.cpp sees Spirit.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace policy::syntax {

struct Span {
  uint32_t begin = 0;
  uint32_t end = 0;  // exclusive
  friend bool operator==(const Span&, const Span&) { return true; }
};

struct Ident {
  std::string name;
  Span span;
  friend bool operator==(const Ident& a, const Ident& b) { return a.name == b.name; }
};

enum class ExprKind : uint8_t {
  kNull,
  kBool,
  kNumber,
  kString,
  kRegex,       // literals: text holds the number text,
                // the unescaped string, or the regex source
                // (with `\/` turned into `/`); kBool: text "true"/"false"
  kName,        // text = identifier
  kList,        // args = elements
  kMap,         // args = k0, v0, k1, v1, ... (keys are kString literals)
  kMember,      // args[0].text   (text = member name, any identifier or reserved word)
  kIndex,       // args[0][args[1]]
  kCall,        // text(args...)  (text = function or def name; name_span its place)
  kNegate,      // -args[0]
  kNot,         // not args[0]
  kBinary,      // args[0] op args[1]
  kIf,          // if args[0] then args[1] else args[2]
  kQuantifier,  // quant names in args[0]: args[1]   (names: 1 or 2 binders)
};

enum class BinaryOp : uint8_t {
  kCoalesce,  // ??
  kMul,
  kDiv,
  kMod,
  kAdd,
  kSub,
  kMatches,
  kIn,
  kNotIn,
  kLt,
  kLe,
  kGt,
  kGe,
  kEq,
  kNe,
  kAnd,
  kOr,
  kImplies,
  kHas,  // INDEX has KEY (version 2)
};
const char* BinaryOpText(BinaryOp op);  // "??", "*", ..., "not in", "implies"

enum class Quantifier : uint8_t { kAll, kAny, kNone, kCount };

struct Expr {
  ExprKind kind = ExprKind::kNull;
  Span span;         // the whole expression's text
  std::string text;  // see ExprKind
  Span name_span;    // kMember: the member name; kCall: the function name
  BinaryOp op = BinaryOp::kEq;
  Quantifier quant = Quantifier::kAll;
  std::vector<Ident> names;  // kQuantifier binders
  std::vector<std::unique_ptr<Expr>> args;

  friend bool operator==(const Expr& a, const Expr& b);
};
using ExprPtr = std::unique_ptr<Expr>;

// A message template: literal text and `{expr}` holes, in order.
struct TemplatePart {
  std::string literal;  // used when expr is null ("{{"/"}}" already unescaped)
  ExprPtr expr;
  friend bool operator==(const TemplatePart& a, const TemplatePart& b);
};
struct Template {
  std::vector<TemplatePart> parts;
  Span span;
  friend bool operator==(const Template&, const Template&) = default;
};

struct StringLit {
  std::string value;  // unescaped
  Span span;
  friend bool operator==(const StringLit& a, const StringLit& b) { return a.value == b.value; }
};

struct Import {
  StringLit path;
  Span span;
  friend bool operator==(const Import&, const Import&) = default;
};

struct TypeRef {
  Ident name;                        // bool decimal string date list
  std::optional<StringLit> pattern;  // date("DD/MM/YYYY")
  friend bool operator==(const TypeRef&, const TypeRef&) = default;
};

struct Param {
  Ident name;
  TypeRef type;
  ExprPtr default_value;
  Span span;
  friend bool operator==(const Param& a, const Param& b);
};

struct Def {
  Ident name;
  std::vector<Ident> params;
  ExprPtr body;
  Span span;
  friend bool operator==(const Def& a, const Def& b);
};

struct SchemaField {
  Ident name;  // identifiers or quoted names ("Buyer Name"): name holds the unquoted text
  std::vector<Ident> aliases;  // `bin | bin_no | "BIN No" : string`: other column names
  TypeRef type;
  bool required = false;
  Span span;
  friend bool operator==(const SchemaField&, const SchemaField&) = default;
};

struct Schema {
  Ident name;
  std::vector<SchemaField> fields;
  Span span;
  friend bool operator==(const Schema&, const Schema&) = default;
};

// kGroupBy: one `NAME = EXPR` of `group by` (names[0], expr); a `group by` of
// several keys is that many kGroupBy clauses in a row (version 2).
enum class ClauseKind : uint8_t { kFor, kLet, kWhere, kRequire, kUnique, kGroupBy };

struct Clause {
  ClauseKind kind = ClauseKind::kWhere;
  std::vector<Ident> names;  // kFor: 1 or 2; kLet: 1
  ExprPtr expr;              // kFor: the collection; kLet: the value; others: the condition
  std::optional<std::string> mostly_percent;  // kRequire ... mostly N%: N's text
  ExprPtr within;                             // kUnique ... within EXPR (version 2)
  Span mostly_span;
  Span span;
  friend bool operator==(const Clause& a, const Clause& b);
};

enum class TargetKind : uint8_t { kCompose, kRecords, kDocument, kDotenv };

struct Target {
  TargetKind kind = TargetKind::kCompose;
  std::optional<Ident> schema;    // on records(SCHEMA)
  std::optional<StringLit> glob;  // on document("GLOB"): only documents whose path matches
  Span span;
  friend bool operator==(const Target&, const Target&) = default;
};

// A metadata clause repeated inside one rule: the checker reports it.
struct RepeatedClause {
  std::string clause;  // "title", "severity", ...
  Span span;           // of the repeat
  friend bool operator==(const RepeatedClause&, const RepeatedClause&) = default;
};

struct Rule {
  Ident id;  // RULE-ID token
  std::optional<StringLit> title;
  std::optional<Ident> severity;  // the word as written: error, warning, info (checked later)
  std::optional<std::vector<Ident>> tags;
  std::optional<Target> target;
  std::optional<StringLit> remedy;
  std::optional<StringLit> doc;
  std::vector<Clause> query;  // in order; ends with a kRequire or kUnique when well-formed
  ExprPtr at;                 // may be null
  std::optional<Template> message;
  std::vector<RepeatedClause> repeated;
  Span span;
  friend bool operator==(const Rule& a, const Rule& b);
};

// What an index reads (LANGUAGE.md section 11.1).
enum class SourceKind : uint8_t { kRecords, kCompose, kDocument, kDotenv };

struct Source {
  SourceKind kind = SourceKind::kRecords;
  std::optional<Ident> schema;    // records(SCHEMA)
  std::optional<StringLit> glob;  // document("GLOB"), dotenv("GLOB")
  Span span;
  friend bool operator==(const Source&, const Source&) = default;
};

// `index NAME = SOURCE [for x in EXPR] by KEY [keep first|all]` (section 11.2).
struct Index {
  Ident name;
  Source source;
  std::vector<Ident> for_names;  // 0 (no `for`), 1 or 2
  ExprPtr for_expr;
  ExprPtr key;
  bool keep_all = false;
  // `index NAME = optional SOURCE ...`: no input for the source is an empty
  // index, not an input.missing_source problem.
  bool optional = false;
  Span span;
  friend bool operator==(const Index& a, const Index& b);
};

struct Module {
  std::optional<Ident> package;  // dotted name in name
  std::vector<Import> imports;
  std::vector<Param> params;
  std::vector<Def> defs;
  std::vector<Schema> schemas;
  std::vector<Index> indexes;
  std::vector<Rule> rules;
  friend bool operator==(const Module&, const Module&) = default;
};

}  // namespace policy::syntax
