#!/usr/bin/env python3
"""A Bangladesh data set for the cross-input rules (issue 15 benchmark).

    gen_bd_dataset.py OUT_DIR [--invoices N] [--parties P] [--seed S] [--faults-json F]

Writes into OUT_DIR, deterministically:

* parties.csv: P parties (schema `party`), each with a 13-digit BIN;
* invoices-FY-h1.csv, invoices-FY-h2.csv for two fiscal years (2023-24, 2024-25):
  N Mushak-6.3 invoices (schema `invoice`, the rows of gen_bd_invoices.py, clean)
  whose seller and buyer BINs are parties', numbered per branch and book;
* returns.csv: one Mushak-9.1 return per month of the two years whose output VAT is
  the sum of that month's invoices;

with faults planted for the cross-input rules, counted in --faults-json:
BD-REF-001 (a buyer BIN not in the master), BD-RET-001 (a return off by one taka),
BD-SER-001 (a serial skipped in a book). Standard library only.
"""
import argparse
import datetime
import json
import os
import random
import sys
from decimal import Decimal

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen_bd_invoices as inv  # noqa: E402

COLUMNS = inv.COLUMNS + ["branch", "book", "serial"]
BRANCHES = ["DHK", "CTG", "KHL", "SYL", "RAJ"]
BOOKS = ["A", "B", "C", "D"]


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out")
    ap.add_argument("--invoices", type=int, default=1_000_000)
    ap.add_argument("--parties", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=20241207)
    ap.add_argument("--faults-json")
    a = ap.parse_args(argv)
    rng = random.Random(a.seed)
    os.makedirs(a.out, exist_ok=True)

    bins = []
    seen = set()
    with open(os.path.join(a.out, "parties.csv"), "w", encoding="utf-8", newline="") as f:
        f.write("party_id,name,bin,mobile\n")
        for i in range(a.parties):
            b = "1" + "".join(rng.choice("0123456789") for _ in range(12))
            while b in seen:
                b = "1" + "".join(rng.choice("0123456789") for _ in range(12))
            seen.add(b)
            bins.append(b)
            f.write(f"P-{i:06d},Party {i},{b},01{rng.choice('3456789')}{rng.randrange(10**8):08d}\n")

    # Invoices in date order over two fiscal years, split by half year.
    start = datetime.date(2023, 7, 1)
    days = 731
    per_day = a.invoices / days
    serial = {}
    vat_by_month = {}
    faults = {"BD-REF-001": 0, "BD-RET-001": 0, "BD-SER-001": 0}
    skipped_books = set()
    files = {}
    n = 0
    for day in range(days):
        d = start + datetime.timedelta(days=day)
        fy = f"{d.year if d.month >= 7 else d.year - 1}"
        half = "h1" if d.month >= 7 else "h2"
        name = f"invoices-{fy}-{int(fy) + 1 - 2000:02d}-{half}.csv"
        if name not in files:
            files[name] = open(os.path.join(a.out, name), "w", encoding="utf-8", newline="")
            files[name].write(",".join(COLUMNS) + "\n")
        f = files[name]
        count = int((day + 1) * per_day) - int(day * per_day)
        for _ in range(count):
            row, _, _, _ = inv.clean_row(rng, n + 1)
            n += 1
            # The date and fiscal year of this day (clean_row picks its own).
            row["issue_date"] = d.isoformat()
            row["fiscal_year"] = inv.fiscal_label(d, 0)
            row["seller_bin"] = bins[rng.randrange(len(bins))]
            row["buyer_bin"] = bins[rng.randrange(len(bins))] if rng.random() < 0.7 else ""
            if row["buyer_bin"] and rng.random() < 0.0005:
                row["buyer_bin"] = "9" + row["buyer_bin"][1:]
                faults["BD-REF-001"] += 1
            branch, book = rng.choice(BRANCHES), rng.choice(BOOKS)
            key = (branch, book, fy)
            serial[key] = serial.get(key, 0) + 1
            if key not in skipped_books and serial[key] == 500:
                serial[key] += 1  # a gap: 500 is never issued
                skipped_books.add(key)
                faults["BD-SER-001"] += 1
            row["branch"], row["book"], row["serial"] = branch, book, str(serial[key])
            month = d.isoformat()[:7]
            vat_by_month[month] = vat_by_month.get(month, Decimal(0)) + Decimal(row["vat_amount"])
            f.write(",".join(row[c] for c in COLUMNS) + "\n")
    for f in files.values():
        f.close()

    with open(os.path.join(a.out, "returns.csv"), "w", encoding="utf-8", newline="") as f:
        f.write("period,output_vat,input_vat,submitted\n")
        for i, (month, vat) in enumerate(sorted(vat_by_month.items())):
            if i % 6 == 5:
                vat += 1
                faults["BD-RET-001"] += 1
            f.write(f"{month},{vat},0.00,\n")

    if a.faults_json:
        with open(a.faults_json, "w", encoding="utf-8") as f:
            json.dump({"invoices": n, "parties": a.parties, "findings": faults}, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
