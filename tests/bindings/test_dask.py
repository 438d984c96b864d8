"""libpolicy.dask on LocalClusters of worker processes: the same report as one
process (policy-check itself for the command), loud failures, never a partial
report. Run by ctest ("bindings: python dask") with PYTHONPATH at the build's
python/ and POLICY_CHECK naming the policy-check binary."""

import json
import os
import random
import subprocess
import sys

import pytest

import distributed  # noqa: E402  (scripts/deps.sh installs it: a missing one fails, never skips)

import libpolicy.dask as pdask  # noqa: E402

RULES = """
rule PART-001 {
  title "n is small"
  on records
  where row.n != null
  require decimal(row.n) < 10
  at row.n
}
rule PART-002 {
  title "notes say no TODO"
  severity warning
  on records
  where row.note != null
  require not contains(row.note, "TODO")
  at row.note
}
"""

UNIQUE_RULE = """
rule PART-U {
  title "ids are unique"
  on records
  unique row.id
}
"""


def write_csv(path, seed, rows, crlf=False, bom=False, final_newline=True):
    rng = random.Random(seed)
    nl = "\r\n" if crlf else "\n"
    out = ["\ufeff" if bom else "", "id,n,note", nl]
    for i in range(rows):
        note = rng.choice(["plain", "TODO later", f'"two{nl}lines, ""quoted"""', "",
                           f'"a, TODO{nl}{nl}three"'])
        cells = [f"r{i % (rows - 3)}", str(rng.randrange(14))]
        if rng.randrange(19):
            cells.append(note)  # else a short row: a SCHEMA finding
        if i % 37 == 5:
            cells = ["dup", "12", "TODO again"]  # the same finding again: fingerprint ":N"
        out.append(",".join(cells))
        if i + 1 < rows or final_newline:
            out.append(nl)
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write("".join(out))


def write_jsonl(path, seed, rows, bad_one_in=23):
    rng = random.Random(seed)
    with open(path, "w", encoding="utf-8") as f:
        for i in range(rows):
            if rng.randrange(bad_one_in) == 0:
                f.write('{"id": 1, oops\n')  # malformed: an input problem at its line
                continue
            f.write(json.dumps({"id": f"j{i}", "n": rng.randrange(14),
                                "note": rng.choice(["TODO", "ok", "two\nlines"])}) + "\n")


@pytest.fixture(scope="module")
def data(tmp_path_factory):
    d = tmp_path_factory.mktemp("dask_data")
    (d / "rules.policy").write_text(RULES)
    (d / "unique.policy").write_text(RULES + UNIQUE_RULE)
    write_csv(d / "a.csv", 1, 700, crlf=True, bom=True, final_newline=False)
    write_csv(d / "b.csv", 2, 500)
    write_jsonl(d / "c.jsonl", 3, 600)
    # Over 100 lines that are no record: listed up to 100 per input, the rest counted.
    write_jsonl(d / "d.jsonl", 4, 500, bad_one_in=2)
    return d


@pytest.fixture(scope="module")
def client():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=":0") as cluster, \
            distributed.Client(cluster) as c:
        yield c


def without_time(report):
    report = dict(report)
    report.pop("elapsed_ms")
    return report


def paths(data):
    return [str(data / n) for n in ("a.csv", "b.csv", "c.jsonl", "d.jsonl")]


@pytest.mark.parametrize("max_findings", [None, 0, 7])
def test_partitioned_run_gives_the_single_process_report(data, client, max_findings):
    rules = [str(data / "rules.policy")]
    settings = pdask.CheckSettings(max_findings=max_findings, repo_root=str(data))
    tasks = pdask.plan(pdask.EngineSpec.make(rules, False), paths(data), settings, 2000)
    assert len(tasks) > 20  # every file is split
    run = pdask.Run()
    merged = pdask.check(client, paths(data), rules=rules, builtin=False,
                         partition_bytes=2000, settings=settings, run=run)
    assert run.tasks == len(tasks)
    local = pdask.check_local(paths(data), rules=rules, builtin=False, settings=settings)
    assert local["findings"] and local["problems"]
    assert any(p["message"].endswith("more records could not be read (not listed)")
               for p in local["problems"])
    if max_findings == 0:  # all listed: the repeats are, and are numbered over the file
        assert any(":" in f["fingerprint"] for f in local["findings"])
    assert without_time(merged) == without_time(local)
    for fmt in ("text", "json", "junit", "markdown", "codequality"):
        text, _ = pdask.render(merged, fmt, rules=rules, builtin=False)
        assert text == pdask.render(local, fmt, rules=rules, builtin=False)[0]
    assert pdask.exit_code(merged) == 2  # the malformed JSON lines


@pytest.mark.parametrize("max_findings", [None, 0, 3])
def test_unique_over_partitions_is_decided_as_one_process_decides_it(data, client, max_findings):
    # PART-U on inputs bound to no schema: each file compares within itself,
    # its keys spread over many partitions (repeats in the same and in other
    # partitions), resolved by bucket after the tasks.
    rules = [str(data / "unique.policy")]
    settings = pdask.CheckSettings(max_findings=max_findings)
    merged = pdask.check(client, paths(data), rules=rules, builtin=False, partition_bytes=2000,
                         settings=settings)
    local = pdask.check_local(paths(data), rules=rules, builtin=False, settings=settings)
    assert sum(f["rule"] == "PART-U" for f in local["findings"]) > 3
    assert without_time(merged) == without_time(local)


DATA_SET_RULES = """
schema sale { id : string  branch : string  serial : string }
rule SET-U {
  title "ids are unique in the data set"
  on records(sale)
  unique row.id
}
rule SET-W {
  title "serials are unique per branch"
  on records(sale)
  unique row.serial within row.branch
  message "serial {row.serial} again"
}
"""


def test_unique_across_the_files_of_a_data_set_on_partitions(client, tmp_path):
    (tmp_path / "set.policy").write_text(DATA_SET_RULES)
    files = []
    for k in range(3):  # sales-0.csv ... bind to schema sale by their first word
        rows = ["id,branch,serial"]
        for i in range(400):
            rows.append(f"S{(i * 7 + k * 11) % 900},{'AB'[i % 2]},{(i + k * 150) % 500}")
        path = tmp_path / f"sales-{k}.csv"
        path.write_text("\n".join(rows) + "\n")
        files.append(str(path))
    rules = [str(tmp_path / "set.policy")]
    settings = pdask.CheckSettings(max_findings=0)
    local = pdask.check_local(files, rules=rules, builtin=False, settings=settings)
    across = [f for f in local["findings"] if "sales-0.csv:" in f["message"]
              and f["file"].endswith("sales-2.csv")]
    assert across  # repeats name the first place in another file
    for size in (0, 1500):
        merged = pdask.check(client, files, rules=rules, builtin=False, partition_bytes=size,
                             settings=settings)
        assert without_time(merged) == without_time(local), size


def test_a_dataframe_under_a_unique_rule_is_refused_not_judged_per_partition(data, client):
    import dask.dataframe as dd
    import pandas as pd
    df = dd.from_pandas(pd.DataFrame({"id": ["a", "b", "a", "c"]}), npartitions=2)
    with pytest.raises(pdask.WholeInputRulesError) as e:
        pdask.check_dataframe(client, df, rules=[str(data / "unique.policy")], builtin=False)
    assert e.value.rules == ["PART-U"]
    assert "records held in memory" in str(e.value)


MOSTLY_RULES = """
rule PART-M {
  title "n is mostly small"
  on records
  where row.n != null
  require decimal(row.n) < 12 mostly 90%
}
rule PART-M2 {
  title "notes are mostly set"
  on records
  require row.note != null mostly 50%
}
"""

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BD_DATASET = os.path.join(REPO, "rules", "bd", "tests", "dataset")
CROSS_INPUT = ["BD-REF-001", "BD-RET-001", "BD-SER-001", "BD-CRN-001"]


def test_mostly_over_partitions_is_judged_once_from_the_added_tallies(data, client, tmp_path):
    rules = tmp_path / "mostly.policy"
    rules.write_text(RULES + MOSTLY_RULES)
    settings = pdask.CheckSettings(max_findings=0)
    merged = pdask.check(client, paths(data), rules=[str(rules)], builtin=False,
                         partition_bytes=2000, settings=settings)
    local = pdask.check_local(paths(data), rules=[str(rules)], builtin=False, settings=settings)
    mostly = [f for f in local["findings"] if f["rule"] == "PART-M"]
    assert mostly and all(f["line"] == 1 for f in mostly)  # one per file that fails
    assert without_time(merged) == without_time(local)
    # Each task left its tally unjudged: no task result holds a mostly finding.
    spec = pdask.EngineSpec.make([str(rules)], False)
    tasks = pdask.plan(spec, [str(data / "a.csv")], settings, 2000)
    result = pdask.run_task(spec, settings, tasks[0])
    assert {t[0] for t in result["state"]["mostly"]} == {"PART-M", "PART-M2"}
    assert not any(f["rule"].startswith("PART-M") for f in result["report"]["findings"])
    with pytest.raises(ValueError, match="rule state"):
        pdask.merge([result])


def bd_files(root):
    return sorted(str(p) for p in root.iterdir() if p.suffix == ".csv")


@pytest.mark.parametrize("size", [0, 150])
def test_groups_and_indexes_of_the_bd_fixture_split_into_pieces(client, tmp_path, size):
    files = sorted(os.path.join(BD_DATASET, n) for n in os.listdir(BD_DATASET)
                   if n.endswith(".csv"))
    settings = pdask.CheckSettings(only=tuple(CROSS_INPUT), max_findings=0)
    spec = pdask.EngineSpec.make()
    tasks = pdask.plan(spec, files, settings, size)
    if size:
        assert len(tasks) > len(files) + 4  # the invoices are cut into pieces
    merged = pdask.check(client, files, partition_bytes=size, settings=settings)
    local = pdask.check_local(files, settings=settings)
    found = {f["rule"] for f in local["findings"]}
    assert {"BD-RET-001", "BD-SER-001", "BD-REF-001"} <= found
    assert without_time(merged) == without_time(local)
    # A finding placed in the return file names it (at ret.output_vat).
    assert any(f["rule"] == "BD-RET-001" and f["file"].endswith("returns.csv")
               for f in merged["findings"])


def test_generated_data_set_with_planted_faults_on_partitions(client, tmp_path):
    gen = os.path.join(REPO, "benchmarks", "gen_bd_dataset.py")
    faults = tmp_path / "faults.json"
    # 24000 invoices: past serial 500 in some books, where a serial is skipped.
    subprocess.run([sys.executable, gen, str(tmp_path / "ds"), "--invoices", "24000",
                    "--parties", "300", "--faults-json", str(faults)], check=True,
                   capture_output=True, timeout=60)
    planted = json.loads(faults.read_text())
    files = bd_files(tmp_path / "ds")
    settings = pdask.CheckSettings(only=tuple(CROSS_INPUT))
    run = pdask.Run()
    merged = pdask.check(client, files, partition_bytes=256 << 10, settings=settings, run=run)
    assert run.partitions > 8
    local = pdask.check_local(files, settings=settings)
    assert without_time(merged) == without_time(local)
    for rule in ("BD-REF-001", "BD-RET-001", "BD-SER-001"):
        assert planted["findings"][rule] >= 1
        assert merged["by_rule"][rule]["failed"] == planted["findings"][rule], rule


def test_a_partition_that_cannot_be_read_names_the_file_and_byte_range(data, client, tmp_path):
    src = tmp_path / "shrinks.csv"
    write_csv(src, 5, 400)
    spec = pdask.EngineSpec.make([str(data / "rules.policy")], False)
    settings = pdask.CheckSettings()
    tasks = pdask.plan(spec, [str(src)], settings, 2000)
    last = tasks[-1]
    with open(src, "r+b") as f:  # the file shrinks after it was split
        f.truncate(last.range[0] + 10)
    futures = client.map(pdask.run_task, [spec] * len(tasks), [settings] * len(tasks), tasks,
                         pure=False)
    report = pdask.merge(client.gather(futures))
    problems = [p for p in report["problems"] if not p["warning"]]
    assert problems, report["problems"]
    assert problems[-1]["file"] == str(src)
    assert f"byte range {last.range[0]}-{last.range[1]}" in problems[-1]["message"]
    assert pdask.exit_code(report) == 2


def test_merge_refuses_missing_partitions_and_other_versions(data, client):
    spec = pdask.EngineSpec.make([str(data / "rules.policy")], False)
    tasks = pdask.plan(spec, [str(data / "b.csv")], pdask.CheckSettings(), 2000)
    results = [pdask.run_task(spec, pdask.CheckSettings(), t) for t in tasks]
    with pytest.raises(ValueError, match="partitions missing"):
        pdask.merge(results[:1] + results[2:])
    with pytest.raises(ValueError, match="version"):
        pdask.merge([dict(results[0], version=99)])


def test_a_worker_killed_mid_run_gives_the_same_answer(data, tmp_path, monkeypatch):
    rules = [str(data / "rules.policy")]
    marker = tmp_path / "killed"
    # The workers inherit the hook: the first task to run kills its worker.
    monkeypatch.setenv(pdask.FAULT_ENV, f"kill-once:{marker}")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=":0") as cluster, \
            distributed.Client(cluster) as c:
        merged = pdask.check(c, paths(data), rules=rules, builtin=False, partition_bytes=4000)
    assert marker.exists()  # a worker did die
    monkeypatch.delenv(pdask.FAULT_ENV)
    local = pdask.check_local(paths(data), rules=rules, builtin=False)
    assert without_time(merged) == without_time(local)


def run_command(args, cwd):
    env = dict(os.environ)
    return subprocess.run([sys.executable, "-m", "libpolicy", "check"] + args, cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=120)


@pytest.mark.skipif("POLICY_CHECK" not in os.environ, reason="needs the policy-check binary")
def test_command_output_and_exit_code_are_policy_checks(data):
    files = ["a.csv", "b.csv"]
    common = ["--no-builtin", "-r", "rules.policy", "-f", "json"]
    cli = subprocess.run([os.environ["POLICY_CHECK"]] + common + files, cwd=data,
                         capture_output=True, text=True, timeout=60)
    ours = run_command(["--local-cluster", "2", "--partition-size", "3K"] + common + files, data)
    assert ours.returncode == cli.returncode == 1, ours.stderr
    assert json.loads(ours.stdout) == json.loads(cli.stdout)
    # The formats that name files from the repository's root (absolute paths
    # named: rebased), and the text report.
    for fmt in ("sarif", "github", "text"):
        args = ["--no-builtin", "-r", "rules.policy", "-f", fmt] + [str(data / f) for f in files]
        cli = subprocess.run([os.environ["POLICY_CHECK"]] + args, cwd=data, capture_output=True,
                             text=True, timeout=60)
        ours = run_command(["--local-cluster", "1", "--partition-size", "3K"] + args, data)
        assert (ours.returncode, ours.stdout) == (cli.returncode, cli.stdout), fmt
        if fmt != "text":
            assert str(data) not in ours.stdout  # rebased on the root
    # A unique rule and files that split: decided after the tasks, as policy-check decides it.
    args = ["--no-builtin", "-r", "unique.policy", "-f", "json", "a.csv", "b.csv"]
    cli = subprocess.run([os.environ["POLICY_CHECK"]] + args, cwd=data, capture_output=True,
                         text=True, timeout=60)
    ours = run_command(["--local-cluster", "1", "--partition-size", "3K"] + args, data)
    assert ours.returncode == cli.returncode == 1, ours.stderr
    assert json.loads(ours.stdout) == json.loads(cli.stdout)


def test_a_run_that_cannot_finish_is_a_loud_failure_with_no_report(data):
    # Every task kills its worker; no re-run is allowed: exit 3, nothing on stdout.
    env = dict(os.environ, **{pdask.FAULT_ENV: "kill-always",
                              "DASK_DISTRIBUTED__SCHEDULER__ALLOWED_FAILURES": "0"})
    out = subprocess.run([sys.executable, "-m", "libpolicy", "check", "--local-cluster", "1",
                          "--retries", "0", "--no-builtin", "-r", "rules.policy", "-f", "json",
                          "a.csv"], cwd=data, env=env, capture_output=True, text=True,
                         timeout=120)
    assert out.returncode == 3, out.stderr
    assert out.stdout == ""
    assert "the run did not complete, no report: KilledWorker" in out.stderr


GROUP_RULE = """
rule PART-G {
  title "few rows per note"
  on records
  where row.note != null
  group by note = row.note
  let rows = count()
  require rows < 5
  at argmax(decimal(row.n))
  message "note {note}: {rows} rows, n up to {max(decimal(row.n))}"
}
"""


def frame_rows(seed, rows):
    rng = random.Random(seed)
    out = []
    for i in range(rows):
        note = rng.choice(["plain", "TODO later", None, "two\nlines", "x"])
        out.append({"id": f"r{i}", "n": rng.randrange(14), "note": note})
    return out


def records_reference(tmp_path, rows, rules):
    """One process checking every row in order: the rows as JSON Lines in a
    file, checked by check_local (the name findings carry is the file's)."""
    import libpolicy._libpolicy as native
    path = tmp_path / "frame.jsonl"
    path.write_text(native.records_jsonl(rows), encoding="utf-8")
    return str(path), pdask.check_local([str(path)], rules=rules, builtin=False,
                                        settings=pdask.CheckSettings(max_findings=0))


def test_a_dataframe_checked_by_partitions_is_one_process_on_its_rows(client, tmp_path):
    import dask.dataframe as dd
    import pandas as pd
    rules = tmp_path / "frame.policy"
    rules.write_text(RULES + MOSTLY_RULES + GROUP_RULE)
    rows = frame_rows(7, 300)
    frame = pd.DataFrame(rows)
    frame["n"] = frame["n"].astype("Int64")  # integers with a missing value
    frame.loc[3, "n"] = pd.NA  # null, as in the JSON Lines
    rows[3]["n"] = None
    name, local = records_reference(tmp_path, rows, [str(rules)])
    assert {"PART-001", "PART-002", "PART-M", "PART-G"} <= {f["rule"] for f in local["findings"]}
    run = pdask.Run()
    merged = pdask.check_dataframe(client, dd.from_pandas(frame, npartitions=4), name=name,
                                   rules=[str(rules)], builtin=False, run=run,
                                   settings=pdask.CheckSettings(max_findings=0))
    assert run.partitions == 4
    assert without_time(merged) == without_time(local)
    # Row 250 (partition 3) is on line 251, as in the whole.
    assert any(f["line"] > 225 for f in merged["findings"])


def test_a_bag_of_dicts_checked_by_partitions_is_one_process_on_its_rows(client, tmp_path):
    import dask.bag as db
    rules = tmp_path / "bag.policy"
    rules.write_text(RULES + MOSTLY_RULES + GROUP_RULE)
    rows = frame_rows(8, 200)
    name, local = records_reference(tmp_path, rows, [str(rules)])
    merged = pdask.check_bag(client, db.from_sequence(rows, npartitions=5), name=name,
                             rules=[str(rules)], builtin=False,
                             settings=pdask.CheckSettings(max_findings=0))
    assert without_time(merged) == without_time(local)
