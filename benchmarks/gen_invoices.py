#!/usr/bin/env python3
"""Deterministic invoice data for the record benchmarks.

    gen_invoices.py N OUT.csv [--jsonl OUT.jsonl] [--faults-json counts.json]
                    [--seed S] [--fault-rate R]

Writes N invoices with the 11 columns of benchmarks/rules/invoices.policy. A row
is either clean (passes every rule there) or carries exactly one planted fault,
so the number of findings each rule must report is known exactly and written to
counts.json. The same seed always gives the same bytes. Standard library only.
"""
import argparse
import datetime
import json
import random
import sys

COLUMNS = [
    "invoice_no", "issue_date", "fiscal_year", "seller_bin", "buyer_tin",
    "buyer_mobile", "net_amount", "vat_rate", "vat_amount", "total_amount",
    "description",
]

# Fault kind -> the benchmark rule that must report it (benchmarks/rules/invoices.policy).
FAULTS = {
    "bad_bin": "BENCH-BIN-001",
    "bad_tin": "BENCH-TIN-001",
    "bad_mobile": "BENCH-MOB-001",
    "vat_mismatch": "BENCH-VAT-001",
    "wrong_fiscal_year": "BENCH-FY-001",
    "total_mismatch": "BENCH-TOT-001",
    "duplicate_invoice_no": "BENCH-INV-001",
}

# Rates in tenths of a percent, so VAT is computed on integers (paisa) exactly.
RATES = [(150, "15"), (150, "15"), (150, "15"), (100, "10"), (75, "7.5"), (50, "5")]

DESCRIPTIONS = [
    "Office chairs, ergonomic, mesh back, delivered to the Motijheel office",
    "A4 paper 80 gsm, 500 sheets per ream, 40 reams for the accounts team",
    "Cloud hosting subscription for the month, two regions, managed database",
    "Portland cement 50 kg bags delivered to the Purbachal project site",
    "Deformed steel rods 12 mm grade 500W, 3 tonnes, site delivery included",
    "Accounting software annual licence renewal for 25 named users",
    "Toner cartridges for office printers, black and colour, 12 units",
    "Security guard services for the month, three shifts, two posts",
    "Courier and parcel charges within Dhaka city for the fortnight",
    "Laptop repair and replacement keyboard, parts and labour",
    "Conference hall rental with projector and sound for one day",
    "Bottled drinking water 500 ml cartons for the Chattogram depot",
    "Electrical cable 2.5 mm copper, 100 m coils, 20 coils with conduit",
    "Ceramic floor tiles 600 x 600 mm, 180 boxes, third floor fit-out",
    "Staff training workshop on VAT compliance and Mushak-6.3 returns",
    "Diesel for the standby generator, 400 litres, delivered in drums",
]


def fiscal_label(d):
    start = d.year if d.month >= 7 else d.year - 1
    return f"{start}-{(start + 1) % 100:02d}"


def csv_cell(s):
    if any(c in s for c in ',"\n\r'):
        return '"' + s.replace('"', '""') + '"'
    return s


def paisa(v):
    return f"{v // 100}.{v % 100:02d}"


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("n", type=int, help="number of invoices")
    ap.add_argument("out_csv")
    ap.add_argument("--jsonl", help="also write the same records as JSON Lines")
    ap.add_argument("--faults-json", help="write the exact fault counts here")
    ap.add_argument("--seed", type=int, default=20240701)
    ap.add_argument("--fault-rate", type=float, default=0.001,
                    help="probability of each fault kind per row (default 0.001)")
    args = ap.parse_args(argv)
    if args.n < 0 or not 0 <= args.fault_rate * len(FAULTS) <= 1:
        ap.error("N must be >= 0 and fault-rate * 7 at most 1")

    rng = random.Random(args.seed)
    first = datetime.date(2023, 7, 1)
    days = [(first + datetime.timedelta(days=i)) for i in range(731)]
    dates = [(d.isoformat(), fiscal_label(d), f"{d.year - 2}-{(d.year - 1) % 100:02d}")
             for d in days]
    descs_csv = [csv_cell(s) for s in DESCRIPTIONS]
    kinds = list(FAULTS)
    # One draw per row: [0, rate) is the first fault kind, [rate, 2 rate) the second, ...
    fault_edge = args.fault_rate * len(kinds)
    counts = {k: 0 for k in kinds}

    out = open(args.out_csv, "w", encoding="utf-8", newline="")
    jout = open(args.jsonl, "w", encoding="utf-8", newline="") if args.jsonl else None
    out.write(",".join(COLUMNS) + "\n")
    buf, jbuf = [], []
    issued = []  # invoice numbers so far, for duplicates
    rand = rng.random
    randrange = rng.randrange
    for i in range(args.n):
        r = rand()
        fault = kinds[int(r / args.fault_rate)] if r < fault_edge else None
        if fault == "duplicate_invoice_no" and not issued:
            fault = None
        if fault is not None:
            counts[fault] += 1

        no = f"INV-{24 + i // 10_000_000:02d}-{i % 10_000_000:07d}"
        if fault == "duplicate_invoice_no":
            no = issued[randrange(len(issued))]
        else:
            issued.append(no)
        iso, fy, wrong_fy = dates[randrange(731)]
        if fault == "wrong_fiscal_year":
            fy = wrong_fy
        seller_bin = f"{randrange(10**13):013d}"
        if fault == "bad_bin":
            seller_bin = seller_bin[:12]
        buyer_tin = f"{randrange(10**12):012d}"
        if fault == "bad_tin":
            buyer_tin = buyer_tin + "7"
        prefix = "012" if fault == "bad_mobile" else "01" + "3456789"[randrange(7)]
        mobile = f"{prefix}{randrange(10**8):08d}"
        if i % 50 == 7:
            mobile = "+880" + mobile[1:]  # a written form in use; normalises to 01...
        net = randrange(1_000, 20_000_000)  # paisa: 10.00 to 200,000.00 taka
        rate_tenths, rate_text = RATES[randrange(len(RATES))]
        # Half away from zero on a positive value: (2x + 1) // 2 in units of the divisor.
        vat = (net * rate_tenths * 2 + 1000) // 2000
        if fault == "vat_mismatch":
            vat += 100
        total = net + vat
        if fault == "total_mismatch":
            total += 100
        d = randrange(len(DESCRIPTIONS))
        buf.append(f"{no},{iso},{fy},{seller_bin},{buyer_tin},{mobile},{paisa(net)},"
                   f"{rate_text},{paisa(vat)},{paisa(total)},{descs_csv[d]}\n")
        if jout is not None:
            jbuf.append(
                f'{{"invoice_no":"{no}","issue_date":"{iso}","fiscal_year":"{fy}",'
                f'"seller_bin":"{seller_bin}","buyer_tin":"{buyer_tin}",'
                f'"buyer_mobile":"{mobile}","net_amount":{paisa(net)},'
                f'"vat_rate":{rate_text},"vat_amount":{paisa(vat)},'
                f'"total_amount":{paisa(total)},"description":"{DESCRIPTIONS[d]}"}}\n')
        if len(buf) >= 65536:
            out.write("".join(buf))
            buf.clear()
            if jout is not None:
                jout.write("".join(jbuf))
                jbuf.clear()
    out.write("".join(buf))
    out.close()
    if jout is not None:
        jout.write("".join(jbuf))
        jout.close()

    if args.faults_json:
        summary = {
            "rows": args.n,
            "seed": args.seed,
            "fault_rate": args.fault_rate,
            "faults": counts,
            "expected_findings": {FAULTS[k]: v for k, v in counts.items()},
            "total_faulty_rows": sum(counts.values()),
        }
        with open(args.faults_json, "w", encoding="utf-8") as f:
            json.dump(summary, f, indent=2)
            f.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
