// Every file is read with a cap applied while reading (CLI.md "Size limits"):
// a rule file, a configuration, a baseline or an input that is too large, or
// never ends (/dev/zero), is exit 2 naming the file and the cap, not a run
// that grows until the machine runs out of memory.
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "tests/unit/cli/run_cli.h"

namespace {

namespace fs = std::filesystem;
using cli_test::Has;
using cli_test::Run;

// A scratch directory with a small compose file and a sparse file of `size`
// bytes (no disk space used), removed at the end.
struct Scratch {
  explicit Scratch(uintmax_t size) : dir(cli_test::ScratchDir("caps")) {
    std::ofstream(dir / "compose.yaml") << "services:\n  web:\n    image: nginx:1.25\n";
    std::ofstream(dir / "big");
    fs::resize_file(dir / "big", size);
  }
  ~Scratch() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
  Run Check(const std::string& args) const { return cli_test::PolicyCheckIn(dir.string(), args); }
  fs::path dir;
};

}  // namespace

TEST_CASE("cli caps: a rule file that never ends stops at 16 MiB") {
  Scratch s(0);
  Run r = s.Check("--no-builtin -r /dev/zero compose.yaml");
  CHECK(r.code == 2);
  CHECK(Has(r.err, "rule file '/dev/zero' is larger than 16777216 bytes"));
}

TEST_CASE("cli caps: a configuration file that never ends stops at 16 MiB") {
  Scratch s(0);
  Run r = s.Check("-c /dev/zero compose.yaml");
  CHECK(r.code == 2);
  CHECK(Has(r.err, "/dev/zero: error: the configuration file is larger than 16777216 bytes"));
}

TEST_CASE("cli caps: a baseline over 256 MiB is refused without reading it") {
  Scratch s((256u << 20) + 1);
  Run r = s.Check("--baseline big compose.yaml");
  CHECK(r.code == 2);
  CHECK(Has(r.err, "big: error: the baseline file is larger than 268435456 bytes"));
}

TEST_CASE("cli caps: an input read whole over 256 MiB is an input error naming the cap") {
  Scratch s((uintmax_t{256} << 20) + 1);
  Run r = s.Check("--kind compose big");
  CHECK(r.code == 2);
  CHECK(Has(r.out, "big: error: file larger than 268435456 bytes"));
}

TEST_CASE("cli caps: a rule file of the cap's size or less is read") {
  Scratch s(0);
  std::ofstream(s.dir / "rules.policy")
      << "rule T-IMG-001 {\n  title \"t\"\n  on compose\n  for name, svc in compose.services\n"
         "  require svc.image matches /:/\n}\n";
  Run r = s.Check("--no-builtin -r rules.policy compose.yaml");
  CHECK(r.code == 0);
}
