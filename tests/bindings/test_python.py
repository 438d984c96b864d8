"""The libpolicy Python package, imported from the build tree (ctest sets
PYTHONPATH=<build>/python and POLICY_SOURCE_DIR)."""

import ast
import concurrent.futures
import datetime
import json
import os
import pathlib
from decimal import Decimal

import pytest

import libpolicy

SOURCE = pathlib.Path(os.environ.get("POLICY_SOURCE_DIR", pathlib.Path(__file__).resolve().parents[2]))
EXAMPLES = SOURCE / "examples"

RULES = """\
package t

param min_qty: decimal = 0
param skus: list = ["A-1", "A-2", "A-3"]

rule T-IMG-001 {
  title "Images name a tag"
  on compose
  for name, svc in compose.services
  require svc.image matches /:[A-Za-z0-9._-]+$/
  at svc.image
  message "service '{name}' image has no tag"
}

schema item {
  sku   : string  required
  qty   : decimal required
  price : decimal
  day   : date
  gift  : bool
}

rule T-QTY-001 {
  title "Quantities are above the minimum"
  severity warning
  on records(item)
  require row.qty > min_qty
  at row.qty
  message "quantity {row.qty} is not above {min_qty}"
}

rule T-SUM-001 {
  title "Price is exactly 0.30"
  on records(item)
  where row.price != null
  require row.price == 0.1 + 0.2
  at row.price
  message "price {row.price} is not 0.30"
}

rule T-DAY-001 {
  title "Days are in 2024"
  on records(item)
  where row.day != null
  require year(row.day) == 2024
  at row.day
  message "day {row.day} is not in 2024"
}

rule T-GIFT-001 {
  title "Gifts cost nothing"
  on records(item)
  where row.gift == true
  require row.price == null or row.price == 0
  at row.price
}

rule T-SKU-001 {
  title "Known SKUs"
  on records(item)
  require row.sku in skus
  at row.sku
  message "unknown sku {row.sku}"
}
"""

COMPOSE = """\
services:
  db:
    image: postgres:16
  cache:
    image: redis
"""


@pytest.fixture(scope="module")
def rules_dir(tmp_path_factory):
    d = tmp_path_factory.mktemp("rules")
    (d / "t.policy").write_text(RULES)
    return d


@pytest.fixture(scope="module")
def engine(rules_dir):
    return libpolicy.Engine(rules=[rules_dir], builtin=False)


def test_version():
    assert libpolicy.__version__ == os.environ["POLICY_PROJECT_VERSION"]


def test_engine_lists_rules(engine):
    assert engine.rule_ids == ["T-DAY-001", "T-GIFT-001", "T-IMG-001", "T-QTY-001", "T-SKU-001", "T-SUM-001"]
    assert engine.diagnostics == []


def test_check_text_compose(engine):
    report = engine.check_text(COMPOSE, "compose", name="docker-compose.yml")
    assert len(report) == 1 and report.errors == 1 and report.warnings == 0
    f = report[0]
    assert (f.rule, f.severity, f.kind) == ("T-IMG-001", "error", "finding")
    assert f.message == "service 'cache' image has no tag"
    assert (f.file, f.line, f.column) == ("docker-compose.yml", 5, 12)
    assert f.path == "services.cache.image"
    assert len(f.fingerprint) == 16 and not f.suppressed
    assert list(report) == report.findings
    assert report[-1].rule == "T-IMG-001"
    with pytest.raises(IndexError):
        report[1]


def test_compose_by_content_whatever_the_name(engine, tmp_path):
    stack = tmp_path / "stack.yml"
    stack.write_text(COMPOSE)
    for report in (engine.check_file(stack), engine.check_text(COMPOSE, "auto", name="pwd.yml")):
        assert [f.rule for f in report] == ["T-IMG-001"]


def test_check_text_default_name(engine):
    report = engine.check_text(COMPOSE, "compose")
    assert report[0].file == "<text>"


def test_check_file_examples():
    engine = libpolicy.Engine(rules=EXAMPLES / "rules", builtin=False)
    report = engine.check_file(EXAMPLES / "compose.yaml")
    got = sorted((f.rule, f.line) for f in report)
    assert ("EX-SEC-001", 31) in got and ("EX-IMG-001", 41) in got and ("EX-DEP-001", 124) in got
    sec = next(f for f in report if f.rule == "EX-SEC-001" and f.line == 31)
    assert sec.column == 26 and "er****" in sec.message and "erp-admin-2024" not in sec.message
    invoices = engine.check_file(EXAMPLES / "invoices.csv")
    assert {f.rule for f in invoices} >= {"EX-VAT-001", "EX-FY-001", "EX-INV-001", "SCHEMA"}
    assert all(f.file.endswith("invoices.csv") for f in invoices)


def test_json_report(engine):
    report = engine.check_text(COMPOSE, "compose", name="docker-compose.yml")
    doc = json.loads(report.to_json())
    assert doc["tool_version"] == libpolicy.__version__
    assert [f["rule"] for f in doc["findings"]] == ["T-IMG-001"]
    assert doc["findings"][0]["fingerprint"] == report[0].fingerprint


def test_sarif_report(engine):
    report = engine.check_text(COMPOSE, "compose", name="docker-compose.yml")
    doc = json.loads(report.to_sarif())
    assert doc["version"] == "2.1.0"
    driver = doc["runs"][0]["tool"]["driver"]
    assert driver["name"] == "policy-check"
    assert driver["version"] == libpolicy.__version__
    assert "T-IMG-001" in [r["id"] for r in driver["rules"]]
    results = doc["runs"][0]["results"]
    assert [r["ruleId"] for r in results] == ["T-IMG-001"]
    region = results[0]["locations"][0]["physicalLocation"]["region"]
    assert (region["startLine"], region["startColumn"]) == (report[0].line, report[0].column)


def test_check_records_exact_values(engine):
    rows = [
        {"sku": "A-1", "qty": 3, "price": Decimal("0.30")},    # exact: no finding
        {"sku": "A-2", "qty": Decimal("0"), "price": 0.3},     # qty warning; float 0.3 is "0.3": equal
        {"sku": "A-3", "qty": 1.5, "price": Decimal("0.3000000000000000000001")},
        {"sku": "A-1", "qty": 2, "day": datetime.date(2023, 12, 31)},
        {"sku": "A-1", "qty": 2, "gift": True, "price": Decimal("0.3")},
        {"sku": "Z-9", "qty": 2, "gift": False, "price": None},
    ]
    report = engine.check_records(rows, schema="item")
    got = [(f.rule, f.line, f.path) for f in report]
    assert got == [
        ("T-QTY-001", 2, "row.qty"),
        ("T-SUM-001", 3, "row.price"),
        ("T-DAY-001", 4, "row.day"),
        ("T-GIFT-001", 5, "row.price"),
        ("T-SKU-001", 6, "row.sku"),
    ]
    assert all(f.file == "<records>" for f in report)
    assert report[0].message == "quantity 0 is not above 0"
    assert report[0].severity == "warning"
    assert report[1].message == "price 0.3000000000000000000001 is not 0.30"
    assert report[2].message == "day 2023-12-31 is not in 2024"
    assert json.loads(report.to_json())["findings"][0]["file"] == "<records>"


def test_check_records_schema_findings(engine):
    report = engine.check_records([{"sku": "A-1"}, {"sku": "A-2", "qty": "many"}], schema="item")
    schema = [(f.rule, f.kind, f.line) for f in report if f.rule == "SCHEMA"]
    assert schema == [("SCHEMA", "schema", 1), ("SCHEMA", "schema", 2)]


def test_check_records_strings_are_escaped(engine):
    odd = 'quote " back \\ tab \t nl \n bell \x07 bengali ০১৭'
    report = engine.check_records([{"sku": odd, "qty": 1}], schema="item")
    assert [f.rule for f in report] == ["T-SKU-001"]
    assert report[0].message == f"unknown sku {odd}"


def test_check_records_accepts_generators_and_mappings(engine):
    class Row(dict):
        pass

    report = engine.check_records((Row(sku="A-1", qty=q) for q in (1, 0, 2)), schema="item")
    assert [(f.rule, f.line) for f in report] == [("T-QTY-001", 2)]
    assert len(engine.check_records([], schema="item")) == 0


@pytest.mark.parametrize("row, error", [
    ({"sku": "A-1", "qty": float("nan")}, ValueError),
    ({"sku": "A-1", "qty": float("inf")}, ValueError),
    ({"sku": "A-1", "qty": Decimal("NaN")}, ValueError),
    ({"sku": "A-1", "day": datetime.datetime(2024, 1, 1, 12, 0)}, TypeError),
    ({"sku": "A-1", "qty": [1, 2]}, TypeError),
    ({"sku": "A-1", 7: 1}, TypeError),
    (["sku", "A-1"], TypeError),
])
def test_check_records_rejects_inexact_values(engine, row, error):
    with pytest.raises(error):
        engine.check_records([{"sku": "A-1", "qty": 1}, row], schema="item")


def test_params(rules_dir):
    engine = libpolicy.Engine(rules=[rules_dir], builtin=False,
                              params={"t.min_qty": Decimal("10"), "t.skus": ["A-1", "yes"]})
    report = engine.check_records([{"sku": "yes", "qty": 11}, {"sku": "A-2", "qty": 10}], schema="item")
    assert [(f.rule, f.line) for f in report] == [("T-SKU-001", 2), ("T-QTY-001", 2)]  # by column
    # A str is YAML flow text, as with policy-check --param.
    engine = libpolicy.Engine(rules=[rules_dir], builtin=False, params={"t.min_qty": "2.5"})
    assert [f.line for f in engine.check_records([{"sku": "A-1", "qty": 2.5}], schema="item")] == [1]


def test_compile_error(tmp_path):
    bad = tmp_path / "bad.policy"
    bad.write_text('package bad\nrule B-001 {\n  title "Broken"\n  on compose\n  require no_such_function(compose)\n}\n')
    with pytest.raises(libpolicy.CompileError) as info:
        libpolicy.Engine(rules=[bad], builtin=False)
    diags = info.value.diagnostics
    assert isinstance(info.value, libpolicy.Error)
    assert [d.code for d in diags] == ["name.unknown_function"]
    d = diags[0]
    assert (d.severity, d.file, d.line, d.column) == ("error", str(bad), 5, 11)
    assert "no_such_function" in d.message and "^" in d.text
    assert "no_such_function" in str(info.value)


def test_input_errors(engine, tmp_path):
    with pytest.raises(libpolicy.InputError) as info:
        engine.check_file(tmp_path / "missing-compose.yml", kind="compose")
    assert info.value.problems[0].file.endswith("missing-compose.yml")
    with pytest.raises(libpolicy.InputError) as info:
        engine.check_text("services: [\n", "compose", name="compose.yml")
    assert info.value.problems[0].line >= 1
    assert len(info.value.report) == 0


@pytest.mark.parametrize("jobs", [100000, -1])
def test_jobs_capped_like_the_cli(rules_dir, jobs):
    # 100000 threads would abort the process; the cap is policy-check --jobs's.
    with pytest.raises(ValueError, match="jobs"):
        libpolicy.Engine(rules=[rules_dir], builtin=False, jobs=jobs)
    assert libpolicy.Engine(rules=[rules_dir], builtin=False, jobs=4096).rule_ids


def test_unknown_kind(engine):
    with pytest.raises(ValueError, match="spreadsheet"):
        engine.check_text("a: 1\n", "spreadsheet")
    with pytest.raises(ValueError, match="kind"):
        engine.check_file("notes.txt")


def test_builtin_packs():
    engine = libpolicy.Engine()
    assert len(engine.rule_ids) > 0
    report = engine.check_file(EXAMPLES / "compose.yaml")
    assert report.errors > 0


def test_threads_share_an_engine(engine):
    expected = [(f.rule, f.line, f.fingerprint) for f in engine.check_text(COMPOSE, "compose", name="compose.yml")]
    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        results = list(pool.map(
            lambda _: [(f.rule, f.line, f.fingerprint)
                       for f in engine.check_text(COMPOSE, "compose", name="compose.yml")], range(32)))
    assert all(r == expected for r in results)


def test_check_records_unknown_schema_is_an_error(engine):
    # A misspelt schema would type nothing and run none of its rules: an error, as on the
    # command line, never a silent pass.
    with pytest.raises(libpolicy.InputError) as caught:
        engine.check_records([{"sku": "A-1", "qty": 1}], schema="itemz")
    assert "unknown schema 'itemz'" in str(caught.value)


def test_type_stubs_name_what_the_module_has():
    """_libpolicy.pyi beside the module, and every name it declares is real."""
    from libpolicy import _libpolicy

    package = pathlib.Path(libpolicy.__file__).parent
    assert (package / "py.typed").is_file()
    stub = ast.parse((package / "_libpolicy.pyi").read_text())
    for node in stub.body:
        if isinstance(node, ast.ClassDef):
            cls = getattr(_libpolicy, node.name)
            for member in node.body:
                if isinstance(member, ast.FunctionDef):
                    assert hasattr(cls, member.name), f"{node.name}.{member.name}"
        elif isinstance(node, ast.FunctionDef):
            assert callable(getattr(_libpolicy, node.name)), node.name
        elif isinstance(node, ast.AnnAssign):
            assert hasattr(_libpolicy, node.target.id), node.target.id


def test_dotenv_kind_with_the_builtin_packs(tmp_path):
    engine = libpolicy.Engine()
    text = "# app\nLOG_LEVEL=info\nSTRIPE_API_KEY=sk_live_0123456789abcdef\nEMPTY_TOKEN=\n"
    report = engine.check_text(text, "dotenv", name="app.env")
    assert [(f.rule, f.line, f.column) for f in report] == [("RDY-SEC-008", 3, 16)]
    assert all("sk_live" not in f.message for f in report)  # redacted
    path = tmp_path / ".env.production"
    path.write_text(text)
    assert [f.rule for f in engine.check_file(path)] == ["RDY-SEC-008"]  # kind by name
