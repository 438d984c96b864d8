#include <doctest/doctest.h>

#include <nlohmann/json.hpp>

#include "libpolicy/report.h"

namespace {

std::vector<policy::RuleInfo> Rules() {
  policy::RuleInfo a;
  a.id = "RDY-IMG-001";
  a.title = "Images are pinned";
  a.tags = {"readiness", "area_images"};
  a.target = "compose";
  policy::RuleInfo b;
  b.id = "BD-VAT-001";
  b.title = "VAT | rate";
  b.severity = policy::Severity::kWarning;
  b.target = "records(invoice)";
  b.enabled = false;
  return {a, b};
}

}  // namespace

TEST_CASE("catalogue: text has one aligned line per rule") {
  std::string text =
      policy::report::FormatCatalogue(Rules(), policy::report::CatalogueFormat::kText);
  CHECK(text ==
        "RDY-IMG-001  error    compose           Images are pinned  [readiness, area_images]\n"
        "BD-VAT-001   warning  records(invoice)  VAT | rate  (disabled)\n");
}

TEST_CASE("catalogue: json is an array of rule objects") {
  auto j = nlohmann::json::parse(
      policy::report::FormatCatalogue(Rules(), policy::report::CatalogueFormat::kJson));
  REQUIRE(j.is_array());
  REQUIRE(j.size() == 2);
  CHECK(j[0]["id"] == "RDY-IMG-001");
  CHECK(j[0]["severity"] == "error");
  CHECK(j[0]["tags"] == nlohmann::json::array({"readiness", "area_images"}));
  CHECK(j[1]["target"] == "records(invoice)");
  CHECK(j[1]["enabled"] == false);
}

TEST_CASE("catalogue: markdown table escapes pipes") {
  std::string md =
      policy::report::FormatCatalogue(Rules(), policy::report::CatalogueFormat::kMarkdown);
  CHECK(md.rfind("| id | severity | title | tags | target |\n|---|---|---|---|---|\n", 0) == 0);
  CHECK(md.find("| BD-VAT-001 | warning | VAT \\| rate |  | records(invoice) |\n") !=
        std::string::npos);
}
