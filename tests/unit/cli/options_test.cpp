#include "cli/options.h"

#include <doctest/doctest.h>

using policy::cli::ColorMode;
using policy::cli::Command;
using policy::cli::FailOn;
using policy::cli::Format;
using policy::cli::ParseArgs;

TEST_CASE("options: no arguments checks the current directory with the defaults") {
  auto r = ParseArgs({});
  REQUIRE(r.error.empty());
  CHECK(r.options.command == Command::kCheck);
  CHECK(r.options.paths.empty());
  CHECK(r.options.builtin);
  CHECK(r.options.format == Format::kText);
  CHECK(r.options.fail_on == FailOn::kError);
  CHECK(r.options.color == ColorMode::kAuto);
  CHECK_FALSE(r.options.max_findings.has_value());
}

TEST_CASE("options: both '--opt value' and '--opt=value', short forms, repeats") {
  auto r = ParseArgs({"-r", "a/", "--rules=b.policy", "-rc.policy", "--param", "bd.vat_rate=7.5",
                      "--param=x.y=a=b", "--only", "RDY-IMG-001, area_images", "--only=X-Y-1",
                      "--skip=A-B-1,,B-C-2", "compose.yaml", "--no-builtin", "data/"});
  REQUIRE(r.error.empty());
  const auto& o = r.options;
  CHECK(o.rules == std::vector<std::string>{"a/", "b.policy", "c.policy"});
  REQUIRE(o.params.size() == 2);
  CHECK(o.params[0] == std::pair<std::string, std::string>{"bd.vat_rate", "7.5"});
  CHECK(o.params[1] == std::pair<std::string, std::string>{"x.y", "a=b"});
  CHECK(o.only == std::set<std::string>{"RDY-IMG-001", "area_images", "X-Y-1"});
  CHECK(o.skip == std::set<std::string>{"A-B-1", "B-C-2"});
  CHECK(o.paths == std::vector<std::string>{"compose.yaml", "data/"});
  CHECK_FALSE(o.builtin);
}

TEST_CASE("options: values of every kind") {
  auto r = ParseArgs({"-f", "json", "-o", "out.json", "--kind=records", "--delimiter", ";",
                      "--fail-on", "warning", "--jobs", "4", "--max-findings=0", "--color", "never",
                      "-q", "-v", "-"});
  REQUIRE(r.error.empty());
  const auto& o = r.options;
  CHECK(o.format == Format::kJson);
  CHECK(o.output == "out.json");
  CHECK(o.kind == policy::InputKind::kRecords);
  CHECK(o.delimiter == ';');
  CHECK(o.fail_on == FailOn::kWarning);
  CHECK(o.jobs == 4);
  REQUIRE(o.max_findings.has_value());
  CHECK(*o.max_findings == 0);
  CHECK(o.color == ColorMode::kNever);
  CHECK(o.quiet);
  CHECK(o.verbose);
  CHECK(o.paths == std::vector<std::string>{"-"});
  CHECK(ParseArgs({"--delimiter=tab"}).options.delimiter == '\t');
}

TEST_CASE("options: usage errors name the problem") {
  CHECK(ParseArgs({"--bogus"}).error == "unknown option '--bogus'");
  CHECK(ParseArgs({"-x"}).error == "unknown option '-x'");
  CHECK(ParseArgs({"--rules"}).error == "option '--rules' needs a value");
  CHECK(ParseArgs({"--quiet=yes"}).error == "option '--quiet' takes no value");
  CHECK(ParseArgs({"--fail-on", "fatal"}).error.find("invalid value 'fatal' for --fail-on") == 0);
  CHECK_FALSE(ParseArgs({"--jobs", "-1"}).error.empty());
  CHECK_FALSE(ParseArgs({"--jobs", "2x"}).error.empty());
  CHECK_FALSE(ParseArgs({"--max-findings", ""}).error.empty());
  CHECK_FALSE(ParseArgs({"--kind", "yaml"}).error.empty());
  CHECK(ParseArgs({"--kind", "dotenv"}).options.kind == policy::InputKind::kDotenv);
  CHECK(ParseArgs({"--no-env-files"}).options.no_env_files);
  CHECK_FALSE(ParseArgs({"rules", "--no-env-files"}).error.empty());
  CHECK_FALSE(ParseArgs({"--delimiter", ",,"}).error.empty());
  CHECK_FALSE(ParseArgs({"--color", "sometimes"}).error.empty());
  CHECK_FALSE(ParseArgs({"--param", "=1"}).error.empty());
  CHECK_FALSE(ParseArgs({"--param", "novalue"}).error.empty());
  CHECK_FALSE(ParseArgs({"-f", "xml"}).error.empty());
  CHECK_FALSE(ParseArgs({"--baseline"}).error.empty());
  CHECK_FALSE(ParseArgs({"--compose-merge"}).error.empty());
  CHECK_FALSE(ParseArgs({"--compose-merge", "a.yaml", "--kind", "records"}).error.empty());
}

TEST_CASE("options: every format of CLI.md checks") {
  for (const char* f : {"text", "json", "sarif", "junit", "github", "markdown", "codequality"}) {
    auto r = ParseArgs({"-f", f});
    CHECK(r.error.empty());
    CHECK(std::string(policy::cli::FormatName(r.options.format)) == f);
  }
}

TEST_CASE("options: configuration, baselines and compose merges") {
  auto r = ParseArgs({"-c", "ci.yaml", "--baseline=base.json", "--write-baseline", "new.json",
                      "--compose-merge", "compose.yaml", "compose.prod.yaml", "--fail-on",
                      "warning", "other.yaml"});
  REQUIRE(r.error.empty());
  const auto& o = r.options;
  CHECK(o.config == "ci.yaml");
  CHECK(o.baseline == "base.json");
  CHECK(o.write_baseline == "new.json");
  CHECK(o.compose_merge == std::vector<std::string>{"compose.yaml", "compose.prod.yaml"});
  CHECK(o.paths == std::vector<std::string>{"other.yaml"});
  CHECK(o.fail_on_given);
  CHECK_FALSE(ParseArgs({}).options.fail_on_given);
}

TEST_CASE("options: subcommands by first argument only") {
  auto rules = ParseArgs({"rules", "-f", "markdown"});
  REQUIRE(rules.error.empty());
  CHECK(rules.options.command == Command::kRules);
  CHECK(rules.options.format == Format::kMarkdown);
  CHECK_FALSE(ParseArgs({"rules", "-f", "sarif"}).error.empty());
  CHECK_FALSE(ParseArgs({"rules", "somewhere"}).error.empty());

  auto explain = ParseArgs({"explain", "RDY-IMG-001"});
  REQUIRE(explain.error.empty());
  CHECK(explain.options.command == Command::kExplain);
  CHECK(explain.options.rule_id == "RDY-IMG-001");
  CHECK(explain.options.paths.empty());
  CHECK_FALSE(ParseArgs({"explain"}).error.empty());
  CHECK_FALSE(ParseArgs({"explain", "A-B-1", "B-C-2"}).error.empty());

  auto compile = ParseArgs({"compile", "a.policy", "dir/"});
  REQUIRE(compile.error.empty());
  CHECK(compile.options.command == Command::kCompile);
  CHECK(compile.options.paths.size() == 2);
  CHECK_FALSE(ParseArgs({"compile"}).error.empty());

  auto test = ParseArgs({"test"});
  REQUIRE(test.error.empty());
  CHECK(test.options.command == Command::kTest);

  // Not first: a path named like a subcommand.
  auto path = ParseArgs({"-q", "test"});
  REQUIRE(path.error.empty());
  CHECK(path.options.command == Command::kCheck);
  CHECK(path.options.paths == std::vector<std::string>{"test"});
}

TEST_CASE("options: --help and --version win, '--' ends the options") {
  CHECK(ParseArgs({"--bogus-later", "--help"}).error == "unknown option '--bogus-later'");
  CHECK(ParseArgs({"--help", "--bogus"}).options.command == Command::kHelp);
  CHECK(ParseArgs({"-h"}).options.command == Command::kHelp);
  CHECK(ParseArgs({"--version"}).options.command == Command::kVersion);
  auto r = ParseArgs({"--", "-weird.yaml", "--help"});
  REQUIRE(r.error.empty());
  CHECK(r.options.paths == std::vector<std::string>{"-weird.yaml", "--help"});
}

TEST_CASE("options: the usage text lists every option") {
  std::string usage = policy::cli::UsageText();
  for (const char* option :
       {"--rules",     "--no-builtin", "--format",  "--output",  "--kind", "--delimiter",
        "--fail-on",   "--only",       "--skip",    "--param",   "--jobs", "--max-findings",
        "--color",     "--quiet",      "--verbose", "--version", "--help", "rules",
        "--no-ignore", "--list-files", "explain",   "compile",   "test"}) {
    CHECK_MESSAGE(usage.find(option) != std::string::npos, option);
  }
}

TEST_CASE("options: colour decision") {
  using policy::cli::UseColor;
  CHECK(UseColor(ColorMode::kAuto, true, nullptr));
  CHECK(UseColor(ColorMode::kAuto, true, ""));
  CHECK_FALSE(UseColor(ColorMode::kAuto, true, "1"));
  CHECK_FALSE(UseColor(ColorMode::kAuto, false, nullptr));
  CHECK(UseColor(ColorMode::kAlways, false, "1"));
  CHECK_FALSE(UseColor(ColorMode::kNever, true, nullptr));
}

TEST_CASE("options: did you mean, for options and subcommands") {
  CHECK(ParseArgs({"--fial-on", "warning"}).error ==
        "unknown option '--fial-on'; did you mean '--fail-on'?");
  CHECK(ParseArgs({"--no-bultin"}).error ==
        "unknown option '--no-bultin'; did you mean '--no-builtin'?");
  CHECK(ParseArgs({"--formt=json"}).error ==
        "unknown option '--formt=json'; did you mean '--format'?");
  CHECK(ParseArgs({"tset"}).error == "unknown subcommand 'tset'; did you mean 'test'?");
  CHECK(ParseArgs({"rule", "-f", "json"}).error ==
        "unknown subcommand 'rule'; did you mean 'rules'?");
  // A path is never taken for a typo: it has a dot or slash, or it exists.
  CHECK(ParseArgs({"tset.yaml"}).error.empty());
  CHECK(ParseArgs({"docs"}).error.empty());  // the tests run in the source tree
  CHECK(ParseArgs({"somewhere-else"}).error.empty());
}

TEST_CASE("options: SUBCOMMAND --help and help SUBCOMMAND") {
  for (auto [name, command] : {std::pair{"rules", Command::kRules},
                               {"explain", Command::kExplain},
                               {"compile", Command::kCompile},
                               {"test", Command::kTest}}) {
    CAPTURE(name);
    auto r = ParseArgs({name, "--help"});
    REQUIRE(r.error.empty());
    CHECK(r.options.command == Command::kHelp);
    CHECK(r.options.help_topic == command);
    CHECK(policy::cli::UsageText(command).find(std::string("policy-check ") + name) !=
          std::string::npos);
    CHECK(ParseArgs({"help", name}).options.help_topic == command);
  }
  CHECK(ParseArgs({"--help"}).options.help_topic == Command::kCheck);
  CHECK(ParseArgs({"help"}).options.command == Command::kHelp);
  CHECK_FALSE(ParseArgs({"help", "bogus"}).error.empty());
  CHECK(policy::cli::UsageText(Command::kTest).find("--fail-on-empty") != std::string::npos);
}

TEST_CASE("options: -f is refused where it means nothing") {
  CHECK(ParseArgs({"compile", "a.policy", "-f", "json"}).error.empty());
  CHECK(ParseArgs({"compile", "a.policy", "-f", "sarif"}).error ==
        "'compile' writes text or json, not 'sarif'");
  CHECK(ParseArgs({"test", "-f", "junit"}).error.empty());
  CHECK(ParseArgs({"test", "-f", "json"}).error == "'test' writes text or junit, not 'json'");
  CHECK(ParseArgs({"explain", "RDY-SEC-001", "-f", "markdown"}).error.empty());
  CHECK(ParseArgs({"explain", "RDY-SEC-001", "-f", "markdown"}).options.rule_id == "RDY-SEC-001");
  CHECK(ParseArgs({"explain", "RDY-SEC-001", "-f", "sarif"}).error ==
        "'explain' writes text or markdown, not 'sarif'");
}

TEST_CASE("options: walking and test flags belong to their command") {
  auto r = ParseArgs({"--no-ignore", "--list-files", "."});
  REQUIRE(r.error.empty());
  CHECK(r.options.no_ignore);
  CHECK(r.options.list_files);
  CHECK(ParseArgs({"test", "--fail-on-empty"}).options.fail_on_empty);
  CHECK_FALSE(ParseArgs({"rules", "--list-files"}).error.empty());
  CHECK_FALSE(ParseArgs({"--fail-on-empty"}).error.empty());
  CHECK(ParseArgs({"--list-files=yes"}).error == "option '--list-files' takes no value");
}
