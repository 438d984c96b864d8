"""Checks a compose file and a few in-memory invoices; prints the findings.
Usage: python3 example.py RULES_DIR COMPOSE_FILE"""
import sys
from datetime import date
from decimal import Decimal

import libpolicy

try:
    # Compile once; an Engine is immutable and may be shared by threads.
    engine = libpolicy.Engine(rules=[sys.argv[1]], builtin=False)
except libpolicy.CompileError as e:
    for d in e.diagnostics:
        print(d.text, file=sys.stderr, end="")
    sys.exit(2)

report = engine.check_file(sys.argv[2], kind="compose")
for f in report:
    print(f"{f.file}:{f.line}:{f.column}: {f.severity}: {f.message} [{f.rule}]")

# Rows from your own code: Decimal, date, int, str, None reach the rules exactly.
rows = [
    {"invoice_no": "INV-1", "issue_date": date(2024, 7, 14), "fiscal_year": "2024-25",
     "net_amount": Decimal("100.00"), "vat_amount": Decimal("15.00"), "total_amount": Decimal("115.00"), "description": "Printer toner"},
    {"invoice_no": "INV-2", "issue_date": date(2024, 7, 15), "fiscal_year": "2024-25",
     "net_amount": Decimal("200.00"), "vat_amount": Decimal("20.00"), "total_amount": Decimal("220.00"), "description": "Courier"},  # VAT is wrong
]
for f in engine.check_records(rows, schema="invoice"):
    print(f"{f.file}:{f.line}: {f.severity}: {f.message} [{f.rule}]")
sys.exit(1 if report.errors else 0)
