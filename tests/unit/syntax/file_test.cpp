#include <doctest/doctest.h>

#include "tests/unit/syntax/ast_builders.h"

namespace policy::syntax {
namespace {

using namespace testing;
using B = BinaryOp;

const char* const kFirstLook = R"policy(package examples.images

rule EX-IMG-001 {
  title    "Service images are pinned to a tag or digest"
  severity error
  tags     [readiness, supply-chain]
  on       compose
  for name, svc in compose.services
  where svc.image != null
  let img = parse_image(svc.image)
  require img.digest != null or (img.tag != null and img.tag != "latest")
  at svc.image
  message "service '{name}': image '{svc.image}' is not pinned"
  remedy  "Pin a release, e.g. redis:7.2.4-alpine, or a digest (image@sha256:...)."
}
)policy";

const char* const kNormative = R"policy(package examples

schema invoice {
  invoice_no  : string  required
  issue_date  : date    required
  fiscal_year : string
  net_amount  : decimal required
  vat_amount  : decimal
}

# every service declares a healthcheck that is not disabled
rule EX-HLT-001 {
  title "Every service declares a healthcheck"
  on compose
  for name, svc in compose.services
  require svc.healthcheck != null and svc.healthcheck.disable != true
  message "service '{name}' has no healthcheck"
}

# literal secrets in environment values
rule EX-SEC-001 {
  title "No hardcoded secrets in service environment"
  tags [secret]
  on compose
  for name, svc in compose.services
  for key, value in svc.environment
  where lower(key) matches /(pass(word)?|secret|token|api_?key|private_?key)$/
  require value == null or value == "" or is_interpolated(value)
  at value
  message "service '{name}': {key} is hardcoded ({redact(value)}); use ${{{key}}} or a secret"
}

param vat_rate: decimal = 15    # percent

rule EX-VAT-001 {
  title "VAT is 15% of the net amount, rounded to the paisa"
  on records(invoice)
  where row.net_amount != null and row.vat_amount != null
  require row.vat_amount == round(row.net_amount * vat_rate / 100, 2)
  at row.vat_amount
  message "VAT {row.vat_amount} should be {round(row.net_amount * vat_rate / 100, 2)} ({vat_rate}% of {row.net_amount})"
}

rule EX-FY-001 {
  title "Fiscal year label matches the issue date (July to June)"
  on records(invoice)
  where row.issue_date != null and row.fiscal_year != null
  require row.fiscal_year == fiscal_year(row.issue_date)
  at row.fiscal_year
}

rule EX-INV-001 {
  title "Invoice numbers are unique"
  on records(invoice)
  unique row.invoice_no
}
)policy";

ParseResult ParseText(const std::string& text) {
  SourceFile source("t.policy", text);
  return Parse(source);
}

std::string Slice(const std::string& text, Span s) { return text.substr(s.begin, s.end - s.begin); }

TEST_CASE("section 1 example") {
  std::string text = kFirstLook;
  ParseResult r = ParseText(text);
  CHECK(r.diagnostics.empty());
  REQUIRE(r.module);
  const Module& m = *r.module;
  REQUIRE(m.package);
  CHECK(m.package->name == "examples.images");
  CHECK(Slice(text, m.package->span) == "examples.images");
  REQUIRE(m.rules.size() == 1);
  const Rule& rule = m.rules[0];
  CHECK(rule.id.name == "EX-IMG-001");
  CHECK(Slice(text, rule.id.span) == "EX-IMG-001");
  CHECK(rule.title->value == "Service images are pinned to a tag or digest");
  CHECK(rule.severity->name == "error");
  REQUIRE(rule.tags);
  REQUIRE(rule.tags->size() == 2);
  CHECK((*rule.tags)[1].name == "supply-chain");
  CHECK(rule.target->kind == TargetKind::kCompose);
  CHECK(!rule.target->schema);
  REQUIRE(rule.query.size() == 4);
  CHECK(rule.query[0].kind == ClauseKind::kFor);
  REQUIRE(rule.query[0].names.size() == 2);
  CHECK(rule.query[0].names[0].name == "name");
  CHECK(*rule.query[0].expr == *Member(N("compose"), "services"));
  CHECK(Slice(text, rule.query[0].span) == "for name, svc in compose.services");
  CHECK(rule.query[1].kind == ClauseKind::kWhere);
  CHECK(rule.query[2].kind == ClauseKind::kLet);
  CHECK(rule.query[2].names[0].name == "img");
  CHECK(*rule.query[2].expr == *Call("parse_image", Member(N("svc"), "image")));
  CHECK(rule.query[3].kind == ClauseKind::kRequire);
  ExprPtr expected = Bin(B::kOr, Bin(B::kNe, Member(N("img"), "digest"), Null()),
                         Bin(B::kAnd, Bin(B::kNe, Member(N("img"), "tag"), Null()),
                             Bin(B::kNe, Member(N("img"), "tag"), Str("latest"))));
  CHECK(*rule.query[3].expr == *expected);
  CHECK(*rule.at == *Member(N("svc"), "image"));
  REQUIRE(rule.message);
  REQUIRE(rule.message->parts.size() == 5);
  CHECK(rule.message->parts[0].literal == "service '");
  CHECK(*rule.message->parts[1].expr == *N("name"));
  CHECK(rule.message->parts[2].literal == "': image '");
  CHECK(*rule.message->parts[3].expr == *Member(N("svc"), "image"));
  CHECK(rule.message->parts[4].literal == "' is not pinned");
  CHECK(Slice(text, rule.message->parts[3].expr->span) == "svc.image");
  CHECK(Slice(text, rule.message->parts[3].expr->name_span) == "image");
  CHECK(rule.remedy->value.rfind("Pin a release", 0) == 0);
  CHECK(rule.repeated.empty());
  CHECK(Slice(text, rule.span).rfind("rule EX-IMG-001 {", 0) == 0);
  CHECK(text[rule.span.end - 1] == '}');
}

TEST_CASE("section 10 normative examples") {
  std::string text = kNormative;
  ParseResult r = ParseText(text);
  for (const Diagnostic& d : r.diagnostics) INFO(FormatDiagnostic(d));
  CHECK(r.diagnostics.empty());
  REQUIRE(r.module);
  const Module& m = *r.module;
  CHECK(m.package->name == "examples");
  REQUIRE(m.schemas.size() == 1);
  const Schema& schema = m.schemas[0];
  CHECK(schema.name.name == "invoice");
  REQUIRE(schema.fields.size() == 5);
  CHECK(schema.fields[0].name.name == "invoice_no");
  CHECK(schema.fields[0].type.name.name == "string");
  CHECK(schema.fields[0].required);
  CHECK(schema.fields[1].type.name.name == "date");
  CHECK(!schema.fields[2].required);
  CHECK(Slice(text, schema.fields[3].span) == "net_amount  : decimal required");
  REQUIRE(m.params.size() == 1);
  CHECK(m.params[0].name.name == "vat_rate");
  CHECK(m.params[0].type.name.name == "decimal");
  CHECK(*m.params[0].default_value == *Num("15"));
  CHECK(Slice(text, m.params[0].span) == "param vat_rate: decimal = 15");
  REQUIRE(m.rules.size() == 5);
  CHECK(m.rules[0].id.name == "EX-HLT-001");

  const Rule& sec = m.rules[1];
  CHECK((*sec.tags)[0].name == "secret");
  REQUIRE(sec.query.size() == 4);
  CHECK(*sec.query[2].expr == *Bin(B::kMatches, Call("lower", N("key")),
                                   Re("(pass(word)?|secret|token|api_?key|private_?key)$")));
  const Template& msg = *sec.message;
  std::vector<std::string> literals;
  for (const TemplatePart& p : msg.parts)
    literals.push_back(p.expr ? "{" + p.expr->text + "}" : p.literal);
  CHECK(literals == std::vector<std::string>{"service '", "{name}", "': ", "{key}",
                                             " is hardcoded (", "{redact}", "); use ${", "{key}",
                                             "} or a secret"});

  const Rule& vat = m.rules[2];
  REQUIRE(vat.target);
  CHECK(vat.target->kind == TargetKind::kRecords);
  CHECK(vat.target->schema->name == "invoice");
  CHECK(*vat.query[1].expr ==
        *Bin(B::kEq, Member(N("row"), "vat_amount"),
             Call("round",
                  Bin(B::kDiv, Bin(B::kMul, Member(N("row"), "net_amount"), N("vat_rate")),
                      Num("100")),
                  Num("2"))));
  const Expr& hole = *vat.message->parts[3].expr;
  CHECK(Slice(text, hole.span) == "round(row.net_amount * vat_rate / 100, 2)");

  CHECK(!m.rules[3].message);
  CHECK(m.rules[4].query[0].kind == ClauseKind::kUnique);
}

TEST_CASE("declarations: imports, params, defs, schemas") {
  std::string text = R"policy(import "lib/common.policy"
import "x.policy"
param limit: list = [1, 2]
def tin_ok(s) = digits_only(normalize_digits(s)) matches /^[0-9]{12}$/
def pair(a, b) = a + b
def none_() = 1
schema invoice {
  "Buyer Name" : string
  issued       : date("DD/MM/YYYY") required
  on : bool
}
)policy";
  ParseResult r = ParseText(text);
  CHECK(r.diagnostics.empty());
  REQUIRE(r.module);
  const Module& m = *r.module;
  REQUIRE(m.imports.size() == 2);
  CHECK(m.imports[0].path.value == "lib/common.policy");
  CHECK(*m.params[0].default_value == *List(Num("1"), Num("2")));
  REQUIRE(m.defs.size() == 3);
  CHECK(m.defs[0].name.name == "tin_ok");
  CHECK(m.defs[0].params.size() == 1);
  CHECK(*m.defs[0].body == *Bin(B::kMatches, Call("digits_only", Call("normalize_digits", N("s"))),
                                Re("^[0-9]{12}$")));
  CHECK(m.defs[1].params.size() == 2);
  CHECK(m.defs[2].params.empty());
  const Schema& s = m.schemas[0];
  REQUIRE(s.fields.size() == 3);
  CHECK(s.fields[0].name.name == "Buyer Name");
  CHECK(Slice(text, s.fields[0].name.span) == "\"Buyer Name\"");
  CHECK(s.fields[1].type.name.name == "date");
  REQUIRE(s.fields[1].type.pattern);
  CHECK(s.fields[1].type.pattern->value == "DD/MM/YYYY");
  CHECK(s.fields[1].required);
  CHECK(s.fields[2].name.name == "on");
}

TEST_CASE("rule bodies: clauses in any order, mostly, doc, repeats") {
  std::string text = R"policy(rule BD-TIN-001 {
  doc "Longer text"
  require len(doc) > 0 mostly 99.5%
  title "T"
  on document
  let doc_len = len(doc.items)
  title "again"
  severity warning
  severity info
  unique doc.id
  on records
  at doc
  message "a {{literal}} {doc.id} }}"
})policy";
  ParseResult r = ParseText(text);
  for (const Diagnostic& d : r.diagnostics) INFO(FormatDiagnostic(d));
  CHECK(r.diagnostics.empty());
  REQUIRE(r.module);
  const Rule& rule = r.module->rules[0];
  CHECK(rule.id.name == "BD-TIN-001");
  CHECK(rule.doc->value == "Longer text");
  CHECK(rule.title->value == "T");
  CHECK(rule.severity->name == "warning");
  CHECK(rule.target->kind == TargetKind::kDocument);
  {
    ParseResult env = ParseText("rule X-1 {\n  on dotenv\n  require len(doc) >= 0\n}\n");
    REQUIRE(env.module);
    CHECK(env.diagnostics.empty());
    CHECK(env.module->rules[0].target->kind == TargetKind::kDotenv);
  }
  REQUIRE(rule.query.size() == 3);
  CHECK(rule.query[0].kind == ClauseKind::kRequire);
  REQUIRE(rule.query[0].mostly_percent);
  CHECK(*rule.query[0].mostly_percent == "99.5");
  CHECK(Slice(text, rule.query[0].mostly_span) == "99.5");
  CHECK(*rule.query[0].expr == *Bin(B::kGt, Call("len", N("doc")), Num("0")));
  CHECK(Slice(text, rule.query[0].span) == "require len(doc) > 0 mostly 99.5%");
  CHECK(rule.query[1].names[0].name == "doc_len");
  CHECK(*rule.at == *N("doc"));
  REQUIRE(rule.repeated.size() == 3);
  CHECK(rule.repeated[0].clause == "title");
  CHECK(Slice(text, rule.repeated[0].span) == "title \"again\"");
  CHECK(rule.repeated[1].clause == "severity");
  CHECK(rule.repeated[2].clause == "on");
  REQUIRE(rule.message);
  REQUIRE(rule.message->parts.size() == 3);
  CHECK(rule.message->parts[0].literal == "a {literal} ");
  CHECK(*rule.message->parts[1].expr == *Member(N("doc"), "id"));
  CHECK(Slice(text, rule.message->parts[1].expr->span) == "doc.id");
  CHECK(rule.message->parts[2].literal == " }");
  CHECK(Slice(text, rule.message->span) == "\"a {{literal}} {doc.id} }}\"");
}

TEST_CASE("template holes may hold strings, quantifiers and nested braces") {
  std::string text = R"policy(rule A-1 {
  message "{join(["a", "b"], ", ")} {count x in l: x > 0} {{x}} { {"k": 1}["k"] }"
})policy";
  ParseResult r = ParseText(text);
  for (const Diagnostic& d : r.diagnostics) INFO(FormatDiagnostic(d));
  REQUIRE(r.module);
  const Template& t = *r.module->rules[0].message;
  REQUIRE(t.parts.size() == 5);
  CHECK(*t.parts[0].expr == *Call("join", List(Str("a"), Str("b")), Str(", ")));
  CHECK(t.parts[1].literal == " ");
  CHECK(t.parts[2].expr->kind == ExprKind::kQuantifier);
  CHECK(t.parts[3].literal == " {x} ");
  CHECK(*t.parts[4].expr == *IndexOf(Map(Str("k"), Num("1")), Str("k")));
}

TEST_CASE("an empty file and a file of comments are empty modules") {
  ParseResult r = ParseText("");
  CHECK(r.diagnostics.empty());
  REQUIRE(r.module);
  CHECK(*r.module == Module{});
  ParseResult c = ParseText("# only\n   # comments\n");
  REQUIRE(c.module);
  CHECK(c.module->rules.empty());
}

}  // namespace
}  // namespace policy::syntax
