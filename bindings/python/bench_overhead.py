"""What the Python module adds to a check: N checks of one compose file through
Engine.check_file, against N calls of policy::Check made from C++ in the same
process with the same compiled rules (Program._time_native).

    PYTHONPATH=build-rel/python python3 bindings/python/bench_overhead.py \\
        [--rules examples/rules] [--builtin] [--n 2000] [examples/compose.yaml]

Prints the time per check both ways and the ratio; the overhead is the Python
call, building the Input, and turning findings into Python objects. Use a
Release build: a Debug module measures the debug engine.
"""

import argparse
import pathlib
import statistics
import sys
import time

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parents[1]
# Python puts this script's directory first on sys.path, and it holds the
# facade's sources without the compiled module: import the built package instead.
sys.path = [p for p in sys.path if pathlib.Path(p or ".").resolve() != HERE]

import libpolicy  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("compose", nargs="?", default=str(ROOT / "examples" / "compose.yaml"))
    ap.add_argument("--rules", action="append", default=None, help="rule file or directory (repeatable)")
    ap.add_argument("--builtin", action="store_true", help="add the built-in packs (not with examples/rules)")
    ap.add_argument("--n", type=int, default=2000, help="checks per round")
    ap.add_argument("--rounds", type=int, default=5, help="rounds; the median is reported")
    args = ap.parse_args()

    rules = args.rules if args.rules is not None else [str(ROOT / "examples" / "rules")]
    # One worker: the file is a single input, and thread start-up is not what we measure.
    engine = libpolicy.Engine(rules=rules, builtin=args.builtin, jobs=1)
    findings = len(engine.check_file(args.compose, kind="compose"))

    native, python = [], []
    for _ in range(args.rounds):
        native.append(engine._program._time_native(args.compose, "compose", args.n) / args.n)
        start = time.perf_counter()
        for _ in range(args.n):
            engine.check_file(args.compose, kind="compose")
        python.append((time.perf_counter() - start) / args.n)

    c, p = statistics.median(native), statistics.median(python)
    print(f"file: {args.compose} ({findings} findings, {len(engine.rule_ids)} rules)")
    print(f"C++    policy::Check        {c * 1e6:9.1f} us/check (median of {args.rounds} x {args.n})")
    print(f"Python Engine.check_file    {p * 1e6:9.1f} us/check")
    print(f"ratio  Python / C++         {p / c:9.3f}  (overhead {(p - c) * 1e6:.1f} us, {100 * (p / c - 1):.1f}%)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
