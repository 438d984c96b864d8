#!/usr/bin/env python3
"""The seven invoice checks of benchmarks/rules/invoices.policy, in pandas.

    pandas_check.py invoices.csv [counts.json]

What a data engineer would write instead of a rule file: read_csv, then each
check vectorised over the whole frame. Prints one line per rule with the number
of failing rows, the read and check times, and compares with counts.json when
given (exit 1 on a difference). Differences from policy-check, stated so the
timing is read fairly: no locations, no messages, no per-cell type errors (a
bad number would make read_csv fail or fall back to object), the whole file in
memory, and the arithmetic in binary floating point on integer paisa (exact for
these magnitudes, since every amount has two decimals).
"""
import json
import sys
import time

import numpy as np
import pandas as pd


def main(argv):
    if len(argv) not in (1, 2):
        print(__doc__, file=sys.stderr)
        return 2
    t0 = time.perf_counter()
    df = pd.read_csv(argv[0], dtype={
        "invoice_no": str, "issue_date": str, "fiscal_year": str, "seller_bin": str,
        "buyer_tin": str, "buyer_mobile": str, "net_amount": str, "vat_rate": str,
        "vat_amount": str, "total_amount": str, "description": str,
    }, keep_default_na=False, na_values=[""])
    t1 = time.perf_counter()

    def paisa(col):
        # "1234.50" -> 123450 exactly: float parse then round, safe below 2^53 / 100.
        return np.rint(pd.to_numeric(df[col]) * 100).astype("int64")

    def ident(col):
        return df[col].str.replace(r"[\s\-./()\u200b-\u200d\ufeff]", "", regex=True)

    failed = {}
    s = ident("seller_bin")
    failed["BENCH-BIN-001"] = int((s.notna() & ~s.str.fullmatch(r"[0-9]{13}", na=False)).sum())
    t = ident("buyer_tin")
    failed["BENCH-TIN-001"] = int((t.notna() & ~t.str.fullmatch(r"[0-9]{12}", na=False)).sum())
    m = ident("buyer_mobile").str.replace(r"^(\+880|00880|880)", "0", regex=True)
    failed["BENCH-MOB-001"] = int((m.notna() & ~m.str.fullmatch(r"01[3-9][0-9]{8}", na=False)).sum())

    net = paisa("net_amount")
    vat = paisa("vat_amount")
    total = paisa("total_amount")
    # Rate in tenths of a percent; VAT = net * rate / 1000 rounded half away from zero.
    rate = np.rint(pd.to_numeric(df["vat_rate"]) * 10).astype("int64")
    expected = (net * rate * 2 + 1000) // 2000
    failed["BENCH-VAT-001"] = int((vat != expected).sum())

    dates = pd.to_datetime(df["issue_date"], format="%Y-%m-%d")
    start = dates.dt.year - (dates.dt.month < 7).astype("int64")
    label = start.astype(str) + "-" + ((start + 1) % 100).astype(str).str.zfill(2)
    failed["BENCH-FY-001"] = int((df["fiscal_year"].notna() & (df["fiscal_year"] != label)).sum())

    failed["BENCH-TOT-001"] = int((total != net + vat).sum())
    failed["BENCH-INV-001"] = int(df["invoice_no"].dropna().duplicated().sum())
    t2 = time.perf_counter()

    for rule, n in failed.items():
        print(f"{rule} {n}")
    print(f"rows={len(df)} read_csv={t1 - t0:.3f}s checks={t2 - t1:.3f}s total={t2 - t0:.3f}s")
    if len(argv) == 2:
        with open(argv[1], encoding="utf-8") as f:
            want = json.load(f)["expected_findings"]
        bad = {k: (failed.get(k), v) for k, v in want.items() if failed.get(k) != v}
        if bad:
            print(f"MISMATCH against {argv[1]}: {bad}", file=sys.stderr)
            return 1
        print(f"matches {argv[1]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
