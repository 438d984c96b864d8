#!/usr/bin/env python3
"""Peak memory (max RSS) of policy-check on the inputs of issue 13 E4.

    memory_rss.py POLICY_CHECK [--work DIR] [--rows N] [--limit-gb G]

Generates, once, in DIR (default /tmp/policy-memory-rss):
  * oneline-compose.yaml: a 45 KB compose file on one line (flow style), 377
    services each with an unpinned image, a privileged flag, a port and a
    hardcoded password: checked with the built-in packs;
  * array.json: a 2 MB minified JSON array of 21981 objects, one failing rule
    (array.policy) per element;
  * invoices.csv: N invoice rows (gen_invoices.py, default 1,000,000) with one
    rule failing on every row (fail_all.policy), run with --max-findings 0;
  * the same rows with --max-findings 100 (the default), as the floor.
Then runs each under /usr/bin/time -v (JSON output) and prints max RSS,
findings listed and, for the CSV, bytes of RSS per listed finding above the
--max-findings 100 run. Each run is limited to
G GB of address space (default 8) so that a regression fails instead of
taking the machine down. Figures, never pass/fail: see README.md.
"""
import argparse
import json
import os
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))

SCHEMA = """schema invoice {
  invoice_no   : string  required
  issue_date   : date    required
  fiscal_year  : string
  seller_bin   : string
  buyer_tin    : string
  buyer_mobile : string
  net_amount   : decimal required
  vat_rate     : decimal required
  vat_amount   : decimal required
  total_amount : decimal required
  description  : string
}
"""

FAIL_ALL = SCHEMA + """
rule MEM-ALL-001 {
  title "Net amount is negative (fails on every row)"
  on records(invoice)
  require row.net_amount < 0
  at row.net_amount
}
"""

ARRAY_RULE = """rule ARR-OK-001 {
  title "every element is ok"
  on document
  for x in doc
  require x.ok == true
  at x.ok
}
"""


def write_once(path, make):
    if not os.path.exists(path):
        with open(path, "w") as f:
            f.write(make())


def oneline_compose():
    services = []
    i = 0
    while True:
        services.append(
            's%d: {image: "nginx:latest", privileged: true, ports: ["80%02d:80"], '
            'environment: {DB_PASSWORD: "SuperSecretValue%d"}}' % (i, i % 100, i))
        i += 1
        text = "{services: {" + ", ".join(services) + "}}\n"
        if len(text) >= 45000:
            return text


def minified_array():
    parts, size, n = [], 1, 0
    while size < 2_000_000:
        p = json.dumps({"id": n, "name": "item%d" % n, "ok": False, "pad": "x" * 40},
                       separators=(",", ":"))
        parts.append(p)
        size += len(p) + 1
        n += 1
    return "[" + ",".join(parts) + "]"


def measure(cmd, limit_gb):
    """(max RSS in KB, exit code, stdout size, stderr tail)."""
    limit = "ulimit -v %d; " % (limit_gb * 1024 * 1024)
    shell = limit + "exec /usr/bin/time -v " + " ".join(cmd)
    p = subprocess.run(["bash", "-c", shell], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    err = p.stderr.decode("utf-8", "replace")
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", err)
    return int(rss.group(1)) if rss else -1, p.returncode, p.stdout, err


def listed(stdout):
    try:
        return len(json.loads(stdout)["findings"])
    except (ValueError, KeyError):
        return -1


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("policy_check")
    ap.add_argument("--work", default="/tmp/policy-memory-rss")
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--limit-gb", type=int, default=8)
    a = ap.parse_args()
    os.makedirs(a.work, exist_ok=True)
    w = lambda name: os.path.join(a.work, name)
    write_once(w("oneline-compose.yaml"), oneline_compose)
    write_once(w("array.json"), minified_array)
    write_once(w("array.policy"), lambda: ARRAY_RULE)
    write_once(w("fail_all.policy"), lambda: FAIL_ALL)
    # Named invoices.csv so that it binds to schema invoice.
    os.makedirs(w("rows-%d" % a.rows), exist_ok=True)
    csv = w("rows-%d/invoices.csv" % a.rows)
    if not os.path.exists(csv):
        subprocess.run([sys.executable, os.path.join(HERE, "gen_invoices.py"), str(a.rows), csv],
                       check=True, stdout=subprocess.DEVNULL)
    pc = a.policy_check
    runs = [
        ("45 KB one-line compose, built-in packs",
         [pc, "--kind", "compose", "-f", "json", "--jobs", "1", w("oneline-compose.yaml")]),
        ("2 MB minified JSON array, 1 failing rule per element",
         [pc, "--no-builtin", "-r", w("array.policy"), "--kind", "document", "-f", "json",
          "--jobs", "1", w("array.json")]),
        ("%d CSV rows, 1 rule failing every row, --max-findings 100" % a.rows,
         [pc, "--no-builtin", "-r", w("fail_all.policy"), "--kind", "records", "-f", "json",
          "--max-findings", "100", csv]),
        ("%d CSV rows, 1 rule failing every row, --max-findings 0" % a.rows,
         [pc, "--no-builtin", "-r", w("fail_all.policy"), "--kind", "records", "-f", "json",
          "--max-findings", "0", csv]),
    ]
    floor = None
    print("| input | max RSS MB | exit | findings listed | RSS bytes per finding |")
    print("|---|---|---|---|---|")
    for name, cmd in runs:
        rss, code, out, err = measure(cmd, a.limit_gb)
        n = listed(out)
        per = ""
        if "--max-findings" in cmd and cmd[cmd.index("--max-findings") + 1] == "100":
            floor = rss
        elif floor is not None and n > 0:
            per = "%.0f" % ((rss - floor) * 1024.0 / n)
        print("| %s | %.1f | %d | %s | %s |" % (name, rss / 1024.0, code, n, per))
        if code not in (0, 1):
            print("  stderr: " + err.strip().splitlines()[0] if err.strip() else "", file=sys.stderr)


if __name__ == "__main__":
    main()
