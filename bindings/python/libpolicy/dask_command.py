"""``python3 -m libpolicy check``: policy-check's check over a Dask cluster.

    python3 -m libpolicy check --scheduler tcp://scheduler:8786 -r policy/ '/shared/inv/*.csv'
    python3 -m libpolicy check --local-cluster 2 -f sarif -o report.sarif data/*.jsonl

The report, its formats and the exit codes are policy-check's (docs/CLI.md);
docs/SCALE.md says how to run it on a real cluster. The configuration file
(.policy-check.yaml) is not read: pass its options on the command line. Exit code 3 also when the
cluster could not finish the run (a task failed after its retries): there is
then no report, never a partial one.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from typing import List, Optional

from . import CompileError, __version__
from . import dask as pdask

FORMATS = ("text", "json", "sarif", "junit", "github", "markdown", "codequality")


def _size(text: str) -> int:
    """Bytes: 1048576, 64K, 64M, 1G (powers of 1024)."""
    units = {"k": 1 << 10, "m": 1 << 20, "g": 1 << 30}
    t = text.strip().lower().rstrip("b")
    scale = units.get(t[-1:], 1)
    if t[-1:] in units:
        t = t[:-1]
    try:
        value = int(t) * scale
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a size: {text!r} (e.g. 64M)") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"not a size: {text!r}")
    return value


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python3 -m libpolicy",
                                description="policy-check over a Dask cluster")
    p.add_argument("--version", action="version", version=f"libpolicy {__version__}")
    sub = p.add_subparsers(dest="command", required=True)
    c = sub.add_parser("check", help="check record files (and other inputs) on a Dask cluster")
    where = c.add_mutually_exclusive_group(required=True)
    where.add_argument("--scheduler", metavar="ADDRESS",
                       help="a running dask.distributed scheduler (tcp://host:8786)")
    where.add_argument("--local-cluster", metavar="N", type=int,
                       help="start a LocalCluster of N worker processes here")
    c.add_argument("paths", nargs="+", metavar="PATH",
                   help="files or globs, at the same path on every worker")
    c.add_argument("-r", "--rules", action="append", default=[], metavar="PATH")
    c.add_argument("--no-builtin", action="store_true")
    c.add_argument("--param", action="append", default=[], metavar="NAME=VALUE")
    c.add_argument("-f", "--format", choices=FORMATS, default="text")
    c.add_argument("-o", "--output", metavar="FILE")
    c.add_argument("--kind", choices=("compose", "records", "document"))
    c.add_argument("--only", action="append", default=[], metavar="IDS")
    c.add_argument("--skip", action="append", default=[], metavar="IDS")
    c.add_argument("--fail-on", choices=("error", "warning", "info", "never"), default="error")
    c.add_argument("--max-findings", type=int, metavar="N")
    c.add_argument("--partition-size", type=_size, default=pdask.DEFAULT_PARTITION_BYTES,
                   metavar="SIZE", help="bytes per record partition (64M); 0: one task per file")
    c.add_argument("--threads-per-task", type=int, default=1, metavar="N")
    c.add_argument("--retries", type=int, default=1, metavar="N",
                   help="runs of a failed task besides the scheduler's own (default 1)")
    c.add_argument("--progress", choices=("auto", "always", "never"), default="auto",
                   help="a progress bar on standard error (auto: when it is a terminal)")
    c.add_argument("--color", choices=("auto", "always", "never"), default="auto")
    c.add_argument("-q", "--quiet", action="store_true")
    c.add_argument("-v", "--verbose", action="store_true")
    return p


def _repo_root() -> str:
    """Where fingerprints' paths start: the git work tree's root, else the
    current directory (as policy-check's FindRepoRoot)."""
    cwd = os.getcwd()
    d = cwd
    while True:
        if os.path.exists(os.path.join(d, ".git")):
            return d
        parent = os.path.dirname(d)
        if parent == d:
            return cwd
        d = parent


def _ids(values: List[str]) -> tuple:
    return tuple(sorted({i.strip() for v in values for i in v.split(",") if i.strip()}))


def _write(path: Optional[str], text: str) -> bool:
    try:
        if path:
            with open(path, "w", encoding="utf-8") as out:
                out.write(text)
        else:
            sys.stdout.write(text)
            sys.stdout.flush()
        return True
    except OSError as e:
        print(f"python3 -m libpolicy: cannot write the report: {e}", file=sys.stderr)
        return False


@contextlib.contextmanager
def _client(args):
    from distributed import Client, LocalCluster
    if args.scheduler:
        with Client(args.scheduler) as client:
            yield client
        return
    with LocalCluster(n_workers=args.local_cluster, threads_per_worker=1, processes=True,
                      dashboard_address=":0") as cluster, Client(cluster) as client:
        yield client


def main(argv: List[str]) -> int:
    args = _parser().parse_args(argv)
    if args.local_cluster is not None and args.local_cluster < 1:
        print("python3 -m libpolicy: --local-cluster needs at least 1 worker", file=sys.stderr)
        return 2
    params = {}
    for p in args.param:
        name, sep, value = p.partition("=")
        if not sep:
            print(f"python3 -m libpolicy: --param {p!r}: NAME=VALUE", file=sys.stderr)
            return 2
        params[name] = value
    settings = pdask.CheckSettings(kind=args.kind, max_findings=args.max_findings,
                                   only=_ids(args.only), skip=_ids(args.skip),
                                   repo_root=_repo_root(), jobs=max(1, args.threads_per_task))
    engine = dict(rules=args.rules, builtin=not args.no_builtin, params=params)
    show_progress = args.progress == "always" or (args.progress == "auto" and sys.stderr.isatty())
    try:
        pdask._program(pdask.EngineSpec.make(**engine))  # rule errors before any cluster starts
        with _client(args) as client:
            with contextlib.redirect_stdout(sys.stderr):  # the bar writes to stdout
                report = pdask.check(client, args.paths, partition_bytes=args.partition_size,
                                     settings=settings, progress=show_progress, **engine)
    except CompileError as e:
        for d in e.diagnostics:
            print(d.text, file=sys.stderr)
        return 2
    except pdask.WholeInputRulesError as e:
        print(f"python3 -m libpolicy: {e}", file=sys.stderr)
        return 2
    except (OSError, ValueError) as e:
        print(f"python3 -m libpolicy: {e}", file=sys.stderr)
        return 2
    except Exception as e:  # the cluster could not finish: no report at all
        print(f"python3 -m libpolicy: the run did not complete, no report: "
              f"{type(e).__name__}: {e}", file=sys.stderr)
        return 3
    color = args.format == "text" and not args.output and (
        args.color == "always" or (args.color == "auto" and sys.stdout.isatty()
                                   and "NO_COLOR" not in os.environ))
    text, summary = pdask.render(report, args.format, color=color, verbose=args.verbose,
                                 fail_on=args.fail_on, repo_root=settings.repo_root, **engine)
    summary_last = args.format == "text" and not args.output and sys.stdout.isatty()
    if not args.quiet and not summary_last:
        sys.stderr.write(summary)
        sys.stderr.flush()
    if not _write(args.output, text + (summary if summary_last and not args.quiet else "")):
        return 2
    return pdask.exit_code(report, args.fail_on)
