#!/usr/bin/env python3
"""The Dask path against one policy-check process (issue 16's speed figures).

    PYTHONPATH=build/python python3 benchmarks/dask_scale.py build/cli/policy-check \\
        [--rows 10000000] [--files 20] [--workers 2] [--work DIR] [--partition-size 64M]

Generates, once, FILES invoice files of ROWS/FILES rows each (gen_invoices.py,
a seed per file) as WORK/NN/invoices.csv (the stem binds the invoice schema of
benchmarks/rules/invoices.policy), then times, on the same files:

  1. policy-check --jobs WORKERS, one process (wall, max RSS);
  2. libpolicy.dask on a LocalCluster of WORKERS single-threaded worker
     processes, one task per file (exact with the `unique` rule BENCH-INV-001);
  3. the same with files cut into partitions of --partition-size and
     BENCH-INV-001 skipped (a partition cannot judge `unique` alone yet), against
     policy-check --skip BENCH-INV-001.

Wall times include planning (the split pass) and the merge, not starting the
cluster (reported apart). Per-worker peak RSS is each worker's own
ru_maxrss, asked after the run. Every Dask report is compared with
policy-check's JSON report, so a figure is only printed for an exact answer.
Figures, never pass/fail: see docs/SCALE.md.
"""
import argparse
import json
import os
import resource
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
RULES = os.path.join(HERE, "rules", "invoices.policy")


def generate(work, rows, files):
    paths = []
    for i in range(files):
        d = os.path.join(work, f"{i:02d}")
        os.makedirs(d, exist_ok=True)
        p = os.path.join(d, "invoices.csv")
        if not os.path.exists(p):
            subprocess.run([sys.executable, os.path.join(HERE, "gen_invoices.py"),
                            str(rows // files), p + ".tmp", "--seed", str(1000 + i)], check=True)
            os.rename(p + ".tmp", p)
        paths.append(p)
    return paths


def run_cli(policy_check, paths, workers, extra):
    cmd = ["/usr/bin/time", "-f", "%e %M", policy_check, "--no-builtin", "-r", RULES,
           "--jobs", str(workers), "-q", "-f", "json"] + extra + paths
    out = subprocess.run(cmd, capture_output=True, text=True)
    if out.returncode not in (0, 1):
        raise SystemExit(f"policy-check failed: {out.stderr}")
    wall, rss_kb = out.stderr.strip().splitlines()[-1].split()
    return float(wall), int(rss_kb) / 1024.0, json.loads(out.stdout)


def worker_peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def run_dask(client, paths, partition_bytes, skip):
    import libpolicy.dask as pdask
    from libpolicy.dask_command import _repo_root
    settings = pdask.CheckSettings(skip=tuple(skip), repo_root=_repo_root())
    start = time.monotonic()
    run = pdask.Run()
    report = pdask.check(client, paths, rules=[RULES], builtin=False,
                         partition_bytes=partition_bytes, settings=settings, run=run)
    wall = time.monotonic() - start
    text, _ = pdask.render(report, "json", rules=[RULES], builtin=False)
    return wall, run.tasks, json.loads(text)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("policy_check")
    ap.add_argument("--rows", type=int, default=10_000_000)
    ap.add_argument("--files", type=int, default=20)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--work", default="/tmp/policy-dask-scale")
    ap.add_argument("--partition-size", default="64M")
    args = ap.parse_args()
    from libpolicy.dask_command import _size
    partition_bytes = _size(args.partition_size)

    t = time.monotonic()
    paths = generate(os.path.join(args.work, f"{args.rows}"), args.rows, args.files)
    size = sum(os.path.getsize(p) for p in paths)
    print(f"data: {args.rows} rows in {args.files} files, {size / 2**20:.0f} MiB "
          f"(ready in {time.monotonic() - t:.1f} s)")

    import distributed
    t = time.monotonic()
    cluster = distributed.LocalCluster(n_workers=args.workers, threads_per_worker=1,
                                       processes=True, dashboard_address=":0")
    client = distributed.Client(cluster)
    print(f"LocalCluster of {args.workers} processes started in {time.monotonic() - t:.1f} s")

    def same(a, b):
        return a["findings"] == b["findings"] and a["summary"] == b["summary"] and \
            a["problems"] == b["problems"]

    os.sync()
    for label, partition, skip in (("one task per file", 0, []),
                                   (f"partitions of {args.partition_size}", partition_bytes,
                                    ["BENCH-INV-001"])):
        extra = [f"--skip={s}" for s in skip]
        # Warm the page cache for both, alike.
        run_cli(args.policy_check, paths, args.workers, extra)
        cli_wall, cli_rss, cli_json = run_cli(args.policy_check, paths, args.workers, extra)
        client.restart()  # fresh workers: their peak RSS is this run's
        idle = max(client.run(worker_peak_rss_mb).values())  # Python, Dask, nothing checked
        dask_wall, tasks, dask_json = run_dask(client, paths, partition, skip)
        peaks = sorted(client.run(worker_peak_rss_mb).values())
        if partition:
            import libpolicy.dask as pdask
            t = time.monotonic()
            pdask.plan(pdask.EngineSpec.make([RULES], False), paths,
                       pdask.CheckSettings(skip=tuple(skip)), partition)
            split_s = time.monotonic() - t
            print(f"  the split pass alone: {split_s:.2f} s, "
                  f"{size / 2**20 / split_s:.0f} MiB/s (page cache)")
        exact = same(cli_json, dask_json)
        overhead = 100.0 * (dask_wall - cli_wall) / cli_wall
        print(f"{label}: {tasks} tasks; policy-check --jobs {args.workers}: {cli_wall:.2f} s, "
              f"{cli_rss:.0f} MiB; dask: {dask_wall:.2f} s, worker peak RSS "
              f"{', '.join(f'{p:.0f}' for p in peaks)} MiB (idle {idle:.0f}); overhead {overhead:+.1f}%; "
              f"same report: {exact}")
        if not exact:
            raise SystemExit("the Dask report differs from policy-check's")
    client.close()
    cluster.close()


if __name__ == "__main__":
    main()
