#!/usr/bin/env python3
"""check_layers.py catches what it is for: each case copies libpolicy/ into a
temporary tree, breaks one rule and expects the failure to name the file, the
line and the edge. Usage: test_check_layers.py SOURCE_DIR"""
import pathlib
import shutil
import subprocess
import sys
import tempfile
import unittest

SOURCE = pathlib.Path(sys.argv.pop(1) if len(sys.argv) > 1 else ".").resolve()
CHECKER = pathlib.Path(__file__).with_name("check_layers.py")
sys.path.insert(0, str(CHECKER.parent))
sys.dont_write_bytecode = True  # no __pycache__ in the source tree
import check_layers  # noqa: E402 (the tables, to break what they list)
PUBLIC = ["libpolicy/engine.h", "libpolicy/finding.h", "libpolicy/diagnostic.h", "libpolicy/report.h"]


class CheckLayersTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.TemporaryDirectory()
        self.root = pathlib.Path(self.tmp.name)
        shutil.copytree(SOURCE / "libpolicy", self.root / "libpolicy")

    def tearDown(self):
        self.tmp.cleanup()

    def run_checker(self):
        done = subprocess.run([sys.executable, str(CHECKER), "--root", str(self.root), "--public", *PUBLIC],
                              capture_output=True, text=True)
        return done.returncode, done.stdout

    def append_line(self, name, line):
        """Appends `line` to the file and returns its line number."""
        path = self.root / name
        text = path.read_text()
        if not text.endswith("\n"):
            text += "\n"
        path.write_text(text + line + "\n")
        return text.count("\n") + 1

    def test_the_sources_pass(self):
        rc, out = self.run_checker()
        self.assertEqual(rc, 0, out)
        self.assertIn("layers: ok (4 public headers)", out)

    def test_eval_including_check_fails(self):
        line = self.append_line("libpolicy/eval/evaluator.h", '#include "libpolicy/check/context.h"')
        rc, out = self.run_checker()
        self.assertEqual(rc, 1, out)
        self.assertIn(f'libpolicy/eval/evaluator.h:{line}: #include "libpolicy/check/context.h": '
                      "forbidden edge eval -> check", out)

    def test_load_including_eval_fails(self):
        line = self.append_line("libpolicy/load/text.cpp", '#include "libpolicy/eval/program.h"')
        rc, out = self.run_checker()
        self.assertEqual(rc, 1, out)
        self.assertIn(f"libpolicy/load/text.cpp:{line}: ", out)
        self.assertIn("forbidden edge load -> eval (load may include core)", out)

    def test_core_including_a_layer_fails(self):
        line = self.append_line("libpolicy/value.cpp", '#include <libpolicy/syntax/ast.h>')
        rc, out = self.run_checker()
        self.assertEqual(rc, 1, out)
        self.assertIn(f'libpolicy/value.cpp:{line}: #include "libpolicy/syntax/ast.h": '
                      "forbidden edge core -> syntax (core may include nothing but itself)", out)

    def test_public_header_including_private_one_fails(self):
        # value.h is core, so only the public-header rule can catch this.
        line = self.append_line("libpolicy/finding.h", '#include "libpolicy/value.h"')
        rc, out = self.run_checker()
        self.assertEqual(rc, 1, out)
        self.assertIn(f'libpolicy/finding.h:{line}: #include "libpolicy/value.h": '
                      "forbidden edge public -> private", out)

    def test_public_header_including_a_third_party_one_fails(self):
        line = self.append_line("libpolicy/report.h", "#include <fmt/format.h>")
        rc, out = self.run_checker()
        self.assertEqual(rc, 1, out)
        self.assertIn(f"libpolicy/report.h:{line}: #include <fmt/format.h>: forbidden edge public -> "
                      "third-party", out)

    def test_private_headers_may_include_third_party_ones(self):
        self.append_line("libpolicy/value.h", "#include <fmt/format.h>")
        rc, out = self.run_checker()
        self.assertEqual(rc, 0, out)

    def test_run_may_include_load_and_check(self):
        (self.root / "libpolicy/run").mkdir(exist_ok=True)
        (self.root / "libpolicy/run/pipeline.cpp").write_text(
            '#include "libpolicy/load/loaders.h"\n#include "libpolicy/check/context.h"\n')
        rc, out = self.run_checker()
        self.assertEqual(rc, 0, out)

    def test_a_directory_outside_the_table_fails(self):
        (self.root / "libpolicy/extra").mkdir()
        (self.root / "libpolicy/extra/thing.cpp").write_text("int x;\n")
        rc, out = self.run_checker()
        self.assertEqual(rc, 1, out)
        self.assertIn("libpolicy/extra/thing.cpp:1: no layer for this file", out)

    def test_a_relative_include_fails(self):
        line = self.append_line("libpolicy/syntax/scan.cpp", '#include "grammar.h"')
        rc, out = self.run_checker()
        self.assertEqual(rc, 1, out)
        self.assertIn(f'libpolicy/syntax/scan.cpp:{line}: #include "grammar.h": name libpolicy headers', out)

    def test_a_stale_exception_fails(self):
        if not check_layers.KNOWN_EXCEPTIONS:
            self.skipTest("no known exceptions left")
        # What the run-layer change does to report/markdown.cpp.
        (name, target), why = next(iter(check_layers.KNOWN_EXCEPTIONS.items()))
        path = self.root / name
        path.write_text(path.read_text().replace(f'#include "{target}"', ""))
        rc, out = self.run_checker()
        self.assertEqual(rc, 1, out)
        self.assertIn(f'{name}:1: KNOWN_EXCEPTIONS lists #include "{target}" ({why}), '
                      "which is gone: delete the entry", out)

    def test_a_stale_file_entry_fails(self):
        name = next(iter(check_layers.LAYER_OF_FILE))
        (self.root / name).unlink()
        rc, out = self.run_checker()
        self.assertEqual(rc, 1, out)
        self.assertIn(f"{name}:1: LAYER_OF_FILE lists this file, which is gone: delete the entry", out)

    def test_the_exception_covers_only_its_own_edge(self):
        line = self.append_line("libpolicy/report/text.cpp", '#include "libpolicy/load/loaders.h"')
        rc, out = self.run_checker()
        self.assertEqual(rc, 1, out)
        self.assertIn(f"libpolicy/report/text.cpp:{line}: ", out)
        self.assertIn("forbidden edge report -> load", out)


if __name__ == "__main__":
    unittest.main(verbosity=2)
