#include <doctest/doctest.h>

#include "cli/baseline.h"
#include "cli/glob.h"

using policy::cli::GlobCoversDirectory;
using policy::cli::GlobMatch;

TEST_CASE("glob: segments, stars, classes, double stars") {
  CHECK(GlobMatch("data/invoices*.csv", "data/invoices-2024.csv"));
  CHECK_FALSE(GlobMatch("data/invoices*.csv", "data/x/invoices.csv"));
  CHECK(GlobMatch("*.csv", "deep/down/x.csv"));
  CHECK_FALSE(GlobMatch("*.csv", "x.csvx"));
  CHECK(GlobMatch("examples/bad/**", "examples/bad/a/b.yaml"));
  CHECK(GlobMatch("**/compose.yaml", "compose.yaml"));
  CHECK(GlobMatch("**/compose.yaml", "a/b/compose.yaml"));
  CHECK(GlobMatch("a/**/z.yml", "a/z.yml"));
  CHECK(GlobMatch("a/**/z.yml", "a/b/c/z.yml"));
  CHECK(GlobMatch("f?le[0-9].y[!x]ml", "file7.yaml"));
  CHECK_FALSE(GlobMatch("f?le[0-9].y[!a]ml", "file7.yaml"));
  CHECK(GlobMatch("./data/*.csv", "data/a.csv"));
  CHECK(GlobMatch("a*b*c", "aXXbYYbc"));
  CHECK_FALSE(GlobMatch("", "a"));
  CHECK(GlobCoversDirectory("examples/bad/**", "examples/bad"));
  CHECK(GlobCoversDirectory("examples/bad", "examples/bad"));
  CHECK(GlobCoversDirectory("build", "sub/build"));
  CHECK_FALSE(GlobCoversDirectory("examples/bad/*.yaml", "examples/bad"));
}

TEST_CASE("baseline: written sorted, read back, applied to unsuppressed findings only") {
  policy::Report report;
  auto add = [&](const std::string& rule, const std::string& file, const std::string& fp,
                 policy::Suppression s) {
    policy::Finding f;
    f.rule = rule;
    f.file = file;
    f.fingerprint = fp;
    f.suppressed = s;
    report.findings.push_back(f);
  };
  add("B-1", "z.yaml", "bbbb", policy::Suppression::kNone);
  add("A-1", "z.yaml", "aaaa", policy::Suppression::kNone);
  add("A-1", "y.yaml", "cccc", policy::Suppression::kInline);
  std::string text = policy::cli::FormatBaseline(report, "");
  CHECK(text ==
        "{\n  \"version\": 1,\n  \"fingerprints\": [\n"
        "    {\n      \"rule\": \"A-1\",\n      \"file\": \"z.yaml\",\n      \"fingerprint\": "
        "\"aaaa\"\n    },\n"
        "    {\n      \"rule\": \"B-1\",\n      \"file\": \"z.yaml\",\n      \"fingerprint\": "
        "\"bbbb\"\n    }\n"
        "  ]\n}\n");
  std::string error;
  auto baseline = policy::cli::ParseBaseline(text, error);
  REQUIRE(baseline);
  CHECK(baseline->size() == 2);
  report.findings.push_back(report.findings[0]);
  report.findings.back().rule = "C-1";  // same fingerprint, other rule: not baselined
  CHECK(policy::cli::ApplyBaseline(*baseline, report) == 2);
  CHECK(report.findings[0].suppressed == policy::Suppression::kBaseline);
  CHECK(report.findings[2].suppressed == policy::Suppression::kInline);
  CHECK(report.findings[3].suppressed == policy::Suppression::kNone);

  CHECK_FALSE(policy::cli::ParseBaseline("[]", error));
  CHECK_FALSE(policy::cli::ParseBaseline("{\"version\": 2, \"fingerprints\": []}", error));
  CHECK(error.find("version") != std::string::npos);
  CHECK_FALSE(
      policy::cli::ParseBaseline("{\"version\": 1, \"fingerprints\": [{\"rule\": 1}]}", error));
  CHECK(error == "fingerprints[0] needs string \"rule\" and \"fingerprint\"");
}

TEST_CASE("glob: {a,b} alternatives, bounded however many a hostile glob holds") {
  using policy::GlobMatch;
  CHECK(GlobMatch("**/{*.rules,*rules*.y*ml,*alert*.y*ml}", "prometheus/alert.rules"));
  CHECK(GlobMatch("**/{*.rules,*rules*.y*ml,*alert*.y*ml}", "deploy/alerts.yml"));
  CHECK(!GlobMatch("**/{*.rules,*rules*.y*ml,*alert*.y*ml}", "deploy/prometheus.yml"));
  CHECK(GlobMatch("{a,b}{c,d}.txt", "bd.txt"));
  // 5 groups of 40: more than 64 globs, so the braces are literal text.
  std::string hostile;
  for (int g = 0; g < 5; ++g) {
    hostile += "{";
    for (int i = 0; i < 40; ++i) hostile += (i ? "," : "") + std::string(1, 'a' + i % 26);
    hostile += "}";
  }
  std::size_t steps = 0;
  CHECK(!policy::GlobMatchCounted(hostile, "abcde", steps));
  CHECK(steps <= 2);
  CHECK(GlobMatch(hostile, hostile));
}
