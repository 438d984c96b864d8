// Member access on compose values and builtin results, checked against the
// Compose Specification's schema when rules compile (issue 13 A3).
#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "libpolicy/check/compose_shapes.h"
#include "libpolicy/engine.h"

namespace {

policy::CompileResult CompileRule(const std::string& body, const std::string& defs = "") {
  policy::CompileOptions options;
  options.builtin = false;
  options.sources = {
      {"t.policy", defs + "rule T-001 {\n  title \"t\"\n  on compose\n" + body + "}\n", "."}};
  return policy::Compile(options);
}

std::vector<policy::Diagnostic> FieldErrors(const policy::CompileResult& r) {
  std::vector<policy::Diagnostic> out;
  for (const policy::Diagnostic& d : r.diagnostics)
    if (d.code == "name.unknown_compose_field") out.push_back(d);
  return out;
}

// The only diagnostic is one unknown field at `line`:`column`, suggesting `suggestion`.
void CheckOneError(const policy::CompileResult& r, uint32_t line, uint32_t column,
                   const std::string& suggestion) {
  CHECK_FALSE(r.program);
  REQUIRE(r.diagnostics.size() == 1);
  const policy::Diagnostic& d = r.diagnostics[0];
  CHECK(d.code == "name.unknown_compose_field");
  CHECK(d.severity == policy::Severity::kError);
  CHECK(d.line == line);
  CHECK(d.column == column);
  CHECK(d.help.find("'" + suggestion + "'") != std::string::npos);
}

void CheckCompiles(const policy::CompileResult& r) {
  std::string messages;
  for (const policy::Diagnostic& d : r.diagnostics) messages += d.message + "\n";
  INFO(messages);
  CHECK(r.program);
  CHECK(r.diagnostics.empty());
}

}  // namespace

TEST_CASE("a misspelt service field in a for over services is a compile error with a suggestion") {
  policy::CompileResult r = CompileRule(
      "  for name, svc in compose.services\n"
      "  require svc.privilegd != true\n");
  CheckOneError(r, 5, 15, "privileged");
  CHECK(r.diagnostics[0].message == "unknown field 'privilegd' of compose service");
}

TEST_CASE("the correctly spelt fields compile") {
  CheckCompiles(CompileRule(
      "  for name, svc in compose.services\n"
      "  where svc.deploy.resources.limits.memory != null\n"
      "  require svc.privileged != true and svc.healthcheck.test != null\n"
      "    and (all p in svc.ports: p.target != null and p.published != p.host_ip)\n"
      "    and (all d, how in svc.depends_on: how.condition != \"x\")\n"
      "    and (all k, v in svc.environment: v != null)\n"
      "    and compose.name != null and compose.networks.default.driver != null\n"
      "    and compose.volumes.data.external != null and compose.secrets.s.file != null\n"
      "    and compose.configs.c.file != null and svc.build.args.X != null\n"));
}

TEST_CASE("misspellings are caught in where, in a def, through [\"...\"] and deep in deploy") {
  CheckOneError(CompileRule("  for name, svc in compose.services\n"
                            "  where svc.healthchek != null\n"
                            "  require true\n"),
                5, 13, "healthcheck");
  CheckOneError(CompileRule("  for name, svc in compose.services\n"
                            "  require svc[\"privilegd\"] != true\n"),
                5, 15, "privileged");
  CheckOneError(CompileRule("  for name, svc in compose.services\n"
                            "  require svc.deploy.resources.limits.memroy != null\n"),
                5, 39, "memory");
  // In a def: reported in the def's body, where the misspelling is.
  CheckOneError(CompileRule("  for name, svc in compose.services\n"
                            "  require not privileged(svc)\n",
                            "def privileged(s) = s.privilegd == true\n"),
                1, 23, "privileged");
  // Through a let and compose.services[name].
  CheckOneError(CompileRule("  for name in compose.services\n"
                            "  let svc = compose.services[name]\n"
                            "  require svc.cap_dropp != null\n"),
                6, 15, "cap_drop");
}

TEST_CASE("values() of a known map keeps its values' shape") {
  CheckOneError(CompileRule("  let services = compose.services\n"
                            "  require any s in values(services): s.imgae != null\n"),
                5, 40, "image");
  CheckCompiles(CompileRule("  require any s in values(compose.services): s.image != null\n"));
}

TEST_CASE("a ports item field, a depends_on entry field and a root field are checked") {
  CheckOneError(CompileRule("  for name, svc in compose.services\n"
                            "  for p in svc.ports\n"
                            "  require p.targett != 22\n"),
                6, 13, "target");
  CheckOneError(CompileRule("  for name, svc in compose.services\n"
                            "  require all d, how in svc.depends_on: how.conditon != null\n"),
                5, 45, "condition");
  CheckOneError(CompileRule("  require compose.servics != null\n"), 4, 19, "services");
}

TEST_CASE("x- extension keys stay free, open maps take any key, unknown shapes are not checked") {
  CheckCompiles(CompileRule(
      "  for name, svc in compose.services\n"
      "  require svc[\"x-team\"] != null and compose[\"x-policy-check-overlay\"] != true\n"
      "    and svc.labels.anything != null and svc.environment.ANY != null\n"
      "    and compose.services.web.image != null\n"
      "    and svc.deploy[name] == null\n"));
  // A def called with something that is not compose is not checked.
  CheckCompiles(CompileRule("  require f({\"a\": 1}) == null\n", "def f(x) = x.privilegd\n"));
}

TEST_CASE("a builtin result with fixed keys is checked, in a rule and in a def never called") {
  CheckOneError(CompileRule("  for name, svc in compose.services\n"
                            "  require parse_image(svc.image).tagg != \"latest\"\n"),
                5, 34, "tag");
  policy::CompileOptions options;
  options.builtin = false;
  options.sources = {{"d.policy", "def tag_of(s) = parse_image(s).tagg\n", "."}};
  policy::CompileResult r = policy::Compile(options);
  REQUIRE(FieldErrors(r).size() == 1);
  CHECK(FieldErrors(r)[0].message == "unknown field 'tagg' of parse_image result");
  CheckCompiles(CompileRule(
      "  for name, svc in compose.services\n"
      "  let ref = parse_image(svc.image)\n"
      "  require ref.tag != \"latest\" and ref.registry != null and ref.digest == null\n"
      "    and ref.repository != null\n"));
}

TEST_CASE("every key the normaliser writes is one the shapes allow where it appears") {
  const policy::check::ComposeShape* root = policy::check::ComposeRootShape();
  REQUIRE(root != nullptr);
  using policy::check::LookupMember;
  CHECK_FALSE(LookupMember(*root, "x-policy-check-overlay").unknown);
  const policy::check::ComposeShape* service = LookupMember(*root, "services").shape->values;
  REQUIRE(service != nullptr);
  CHECK(service->closed);
  const policy::check::ComposeShape* port = LookupMember(*service, "ports").shape->items;
  REQUIRE(port != nullptr);
  for (const char* key : {"host_ip", "published", "target", "protocol"})
    CHECK_FALSE(LookupMember(*port, key).unknown);
  CHECK(LookupMember(*port, "host").unknown);
  const policy::check::ComposeShape* depends = LookupMember(*service, "depends_on").shape;
  REQUIRE(depends != nullptr);
  CHECK(depends->items == nullptr);  // normalised to a map
  REQUIRE(depends->values != nullptr);
  CHECK_FALSE(LookupMember(*depends->values, "condition").unknown);
  for (const char* key : {"environment", "labels", "sysctls", "extra_hosts"}) {
    INFO(key);
    const policy::check::ComposeShape* field = LookupMember(*service, key).shape;
    REQUIRE(field != nullptr);
    CHECK(field->items == nullptr);
    CHECK_FALSE(field->closed);
  }
  const policy::check::ComposeShape* healthcheck = LookupMember(*service, "healthcheck").shape;
  REQUIRE(healthcheck != nullptr);
  CHECK_FALSE(LookupMember(*healthcheck, "test").unknown);
}
