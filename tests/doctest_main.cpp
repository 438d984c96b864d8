// The doctest runner of every test binary. ctest runs one test case per
// process by name (doctest_discover_tests); a name that no test case matches
// (a ';' cuts the name ctest passes, a filter misspelt) would run nothing and
// pass. Here a run filtered by test case that starts no test case fails.
#define DOCTEST_CONFIG_IMPLEMENT
#include <doctest/doctest.h>

#include <cstdio>
#include <string_view>

namespace {

int g_started = 0;

struct CountingListener : doctest::IReporter {
  explicit CountingListener(const doctest::ContextOptions&) {}
  void report_query(const doctest::QueryData&) override {}
  void test_run_start() override {}
  void test_run_end(const doctest::TestRunStats&) override {}
  void test_case_start(const doctest::TestCaseData&) override { ++g_started; }
  void test_case_reenter(const doctest::TestCaseData&) override {}
  void test_case_end(const doctest::CurrentTestCaseStats&) override {}
  void test_case_exception(const doctest::TestCaseException&) override {}
  void subcase_start(const doctest::SubcaseSignature&) override {}
  void subcase_end() override {}
  void log_assert(const doctest::AssertData&) override {}
  void log_message(const doctest::MessageData&) override {}
  void test_case_skipped(const doctest::TestCaseData&) override {}
};

}  // namespace

DOCTEST_REGISTER_LISTENER("count-started", 1, CountingListener);

int main(int argc, char** argv) {
  doctest::Context context(argc, argv);
  const int rc = context.run();
  if (context.shouldExit()) return rc;  // --list-test-cases, --help, ...
  bool filtered = false;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    filtered = filtered || arg.rfind("--test-case=", 0) == 0 || arg.rfind("-tc=", 0) == 0;
  }
  if (rc == 0 && filtered && g_started == 0) {
    std::fprintf(stderr,
                 "no test case matched the --test-case filter: nothing was run (a ';' in a "
                 "test case name cuts the name ctest passes)\n");
    return 1;
  }
  return rc;
}
