#!/usr/bin/env python3
"""Deterministic Mushak-6.3 invoices for the Bangladesh pack (rules/bd/).

    gen_bd_invoices.py N OUT [--jsonl] [--seed S] [--fault-rate R]
                       [--faults-json counts.json]

Writes N records in the `invoice` schema of rules/bd/schemas.policy to OUT (CSV,
about 170 bytes a row, or JSON Lines with --jsonl). Name OUT `invoices.csv` or
`invoices.jsonl` so it binds to the schema by its stem. A row is either clean
(no finding from any rule of the pack) or carries exactly one planted fault, so
the number of findings each rule must report is known exactly; --faults-json
writes it as {"rows": N, "findings": {"BD-VAT-001": k, ...}}. The same arguments
always give the same bytes. Standard library only.
"""
import argparse
import datetime
import json
import random
import sys
import unicodedata
from decimal import ROUND_HALF_UP, Decimal

COLUMNS = [
    "invoice_no", "issue_date", "issue_time", "fiscal_year", "seller_name",
    "seller_bin", "seller_address", "buyer_name", "buyer_bin", "buyer_address",
    "description", "quantity", "unit_price", "net_amount", "sd_amount",
    "vat_rate", "vat_amount", "total_amount",
]
DECIMAL_COLUMNS = {"quantity", "unit_price", "net_amount", "sd_amount", "vat_rate",
                   "vat_amount", "total_amount"}

# Fault kind -> the rule of rules/bd/ that must report it, once.
FAULTS = {
    "bad_seller_bin": "BD-BIN-001",       # 12 digits
    "legacy_buyer_bin": "BD-BIN-002",     # a 9-digit BIN
    "vat_mismatch": "BD-VAT-001",         # VAT off by one paisa, total kept consistent
    "bad_rate": "BD-VAT-002",             # 12%, with VAT and total computed at 12%
    "total_mismatch": "BD-VAT-003",
    "wrong_fiscal_year": "BD-FY-001",     # the previous year's label
    "missing_issue_time": "BD-INV-001",
    "duplicate_invoice_no": "BD-INV-002",
    "decomposed_bengali": "BD-TXT-001",   # buyer name not in NFC
    "exempt_without_ref": "BD-VAT-002",   # rate `exempt`, no exemption_ref, VAT 0.00
    "sd_on_zero_rated": "BD-VAT-004",     # rate 0 with supplementary duty
}

# VAT rates (percent) with weights; SD applies to a few goods only.
RATES = [Decimal("15")] * 6 + [Decimal("10"), Decimal("7.5"), Decimal("5"), Decimal("2")]
SELLERS = [
    ("Padma Foods Ltd", "Tejgaon Dhaka"), ("Meghna Cement", "Narayanganj"),
    ("Karnaphuli Steel", "Chattogram"), ("Jamuna Paper", "Gazipur"),
]
BUYERS = [
    ("Beta Builders", "Agrabad Ctg"), ("Surma Retail", "Sylhet"),
    ("Rupsha Traders", "Khulna"), ("Titas Pharma", "Savar"),
    ("রূপসা ট্রেডার্স", "Khulna"), ("মেঘনা হোম", "Comilla"),
]
# (description, unit price range in taka, SD percent)
GOODS = [
    ("Cement 50kg bag", (480, 560), 0), ("Steel rod 12mm", (90, 110), 0),
    ("A4 paper ream", (420, 520), 0), ("Soft drink crate", (600, 900), 10),
    ("Rice 25kg bag", (1500, 1900), 0), ("Toner cartridge", (2500, 4200), 0),
]
BENGALI_DIGITS = str.maketrans("0123456789", "০১২৩৪৫৬৭৮৯")
PAISA = Decimal("0.01")


def money(x):
    return x.quantize(PAISA, rounding=ROUND_HALF_UP)  # half away from zero for x >= 0


def fiscal_label(d, form):
    start = d.year if d.month >= 7 else d.year - 1
    short = f"{start}-{(start + 1) % 100:02d}"
    return {0: short, 1: "FY" + short, 2: f"{start}-{start + 1}"}[form]


def bin13(rng):
    return "".join(rng.choice("0123456789") for _ in range(13))


def clean_row(rng, n):
    seller, seller_addr = rng.choice(SELLERS)
    buyer, buyer_addr = rng.choice(BUYERS)
    desc, (lo, hi), sd_pct = rng.choice(GOODS)
    d = datetime.date(2023, 7, 1) + datetime.timedelta(days=rng.randrange(731))
    qty = Decimal(rng.randrange(1, 60))
    price = Decimal(rng.randrange(lo * 100, hi * 100)) / 100
    net = money(qty * price)
    sd = money(net * sd_pct / 100) if sd_pct else None
    rate = rng.choice(RATES)
    vat = money((net + (sd or 0)) * rate / 100)
    row = {
        "invoice_no": f"INV-{n:07d}",
        "issue_date": d.isoformat(),
        "issue_time": f"{rng.randrange(8, 20):02d}:{rng.randrange(60):02d}",
        "fiscal_year": fiscal_label(d, rng.randrange(3)),
        "seller_name": seller, "seller_bin": bin13(rng), "seller_address": seller_addr,
        "buyer_name": buyer, "buyer_bin": bin13(rng) if rng.random() < 0.5 else "",
        "buyer_address": buyer_addr, "description": desc,
        "quantity": str(qty), "unit_price": str(price), "net_amount": str(net),
        "sd_amount": str(sd) if sd is not None else "",
        "vat_rate": str(rate), "vat_amount": str(vat),
        "total_amount": str(net + (sd or 0) + vat),
    }
    # Some clerks type Bengali digits; the pack reads them as ASCII.
    if rng.random() < 0.05:
        row["quantity"] = row["quantity"].translate(BENGALI_DIGITS)
    return row, d, net, sd


def plant(rng, kind, row, d, net, sd, earlier_numbers):
    if kind == "bad_seller_bin":
        row["seller_bin"] = row["seller_bin"][:12]
    elif kind == "legacy_buyer_bin":
        row["buyer_bin"] = row["buyer_bin"][:9] if row["buyer_bin"] else "123456789"
    elif kind == "vat_mismatch":
        vat = Decimal(row["vat_amount"]) + PAISA
        row["vat_amount"] = str(vat)
        row["total_amount"] = str(net + (sd or 0) + vat)
    elif kind == "bad_rate":
        vat = money((net + (sd or 0)) * 12 / 100)
        row["vat_rate"], row["vat_amount"] = "12", str(vat)
        row["total_amount"] = str(net + (sd or 0) + vat)
    elif kind == "total_mismatch":
        row["total_amount"] = str(Decimal(row["total_amount"]) + 1)
    elif kind == "wrong_fiscal_year":
        row["fiscal_year"] = fiscal_label(d.replace(year=d.year - 1) if not (d.month == 2 and d.day == 29)
                                          else d - datetime.timedelta(days=366), 0)
    elif kind == "missing_issue_time":
        row["issue_time"] = ""
    elif kind == "duplicate_invoice_no":
        row["invoice_no"] = rng.choice(earlier_numbers)
    elif kind == "decomposed_bengali":
        row["buyer_name"] = unicodedata.normalize("NFD", "রূপসা কোম্পানি")
    elif kind == "exempt_without_ref":
        row["vat_rate"], row["vat_amount"] = "exempt", "0.00"
        row["total_amount"] = str(net + (sd or 0))
    elif kind == "sd_on_zero_rated":
        sd = sd if sd is not None else money(net * 10 / 100)
        row["sd_amount"], row["vat_rate"], row["vat_amount"] = str(sd), "0", "0.00"
        row["total_amount"] = str(net + sd)


def csv_line(row):
    # No generated value holds a comma, quote or newline, so no quoting is needed.
    return ",".join(row[c] for c in COLUMNS) + "\n"


def is_number(text):
    # ASCII decimal text (not `exempt`, not Bengali digits): a JSON number.
    return text.isascii() and text.replace(".", "", 1).lstrip("-").isdigit()


def jsonl_line(row):
    parts = []
    for c in COLUMNS:
        v = row[c]
        if v == "":
            continue  # an absent key, as JSON exports write optional fields
        # Decimals as JSON numbers with their exact text (scale kept); Bengali
        # digits cannot be a JSON number, so those stay strings.
        text = v if c in DECIMAL_COLUMNS and is_number(v) else json.dumps(v, ensure_ascii=False)
        parts.append(f"{json.dumps(c)}:{text}")
    return "{" + ",".join(parts) + "}\n"


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("n", type=int)
    ap.add_argument("out")
    ap.add_argument("--jsonl", action="store_true", help="write JSON Lines instead of CSV")
    ap.add_argument("--seed", type=int, default=20240701)
    ap.add_argument("--fault-rate", type=float, default=0.02,
                    help="share of rows carrying one planted fault")
    ap.add_argument("--faults-json", help="write the expected findings per rule here")
    args = ap.parse_args(argv)
    if args.n < 0 or not 0 <= args.fault_rate <= 1:
        ap.error("N must be >= 0 and --fault-rate in [0, 1]")

    rng = random.Random(args.seed)
    kinds = sorted(FAULTS)
    counts = {rule: 0 for rule in sorted(FAULTS.values())}
    numbers = []
    line = csv_line if not args.jsonl else jsonl_line
    with open(args.out, "w", encoding="utf-8", newline="") as out:
        if not args.jsonl:
            out.write(",".join(COLUMNS) + "\n")
        for i in range(args.n):
            row, d, net, sd = clean_row(rng, i + 1)
            if rng.random() < args.fault_rate:
                kind = rng.choice(kinds)
                if kind == "duplicate_invoice_no" and not numbers:
                    kind = "missing_issue_time"  # nothing earlier to repeat yet
                plant(rng, kind, row, d, net, sd, numbers)
                counts[FAULTS[kind]] += 1
            if row["invoice_no"] == f"INV-{i + 1:07d}":
                numbers.append(row["invoice_no"])
            out.write(line(row))
    if args.faults_json:
        with open(args.faults_json, "w", encoding="utf-8") as f:
            json.dump({"rows": args.n, "seed": args.seed, "findings": counts}, f, indent=2, sort_keys=True)
            f.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
