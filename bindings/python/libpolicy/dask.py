"""libpolicy.dask: the checks of ``policy-check`` over a dask.distributed cluster.

Record files (CSV, TSV, JSON Lines) are cut into partitions at record
boundaries (line numbers stay exact); every partition, and every other input
whole, is one task. The reduce step merges the task results in file and
partition order into the report one ``policy-check`` process gives on the same
files: same findings in the same order, lines, messages, fingerprints, counts::

    from distributed import Client
    import libpolicy.dask

    with Client("scheduler:8786") as client:
        report = libpolicy.dask.check(client, ["/shared/invoices/*.csv"],
                                      rules=["policy/"], partition_bytes=64 << 20)
    print(libpolicy.dask.render(report, "text", rules=["policy/"]))

Every worker must see the files at the same paths (shared storage) and have
libpolicy installed; each worker process compiles the rules once.

What no task can judge alone travels as state: ``mostly`` tallies of a split
file, the group tables of grouped rules (bytes, libpolicy/eval/group_table_io.h);
the reduce adds them and judges once (libpolicy/partition.h, FinishPieces).
A task is given the sources of the indexes its rules read, read whole.
``unique`` keys travel as key logs (every key with its record's byte place):
after the tasks, each log is cut into buckets by key hash, each bucket is
resolved on a worker in input and partition order, and each file's repeats are
built by a task that reads their records again (partition.h). A dataframe or
bag under a ``unique`` rule is refused (WholeInputRulesError) until its
partitions' text can be read again.
"""

from __future__ import annotations

import glob as _glob
import os as _os
import re as _re
import time as _time
import uuid as _uuid
from dataclasses import dataclass
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Tuple

from . import _libpolicy, _param_text, CompileError

#: The layout of a task result; merge() rejects any other. Version 2 carries
#: the piece's report and its "state": {"mostly": [(rule, passed, total)...]
#: of a partition's `mostly` rules, "groups": the group tables as bytes}.
RESULT_VERSION = 2

#: The default partition size: big enough that a task's fixed cost (a few ms)
#: is noise, small enough that two partitions per worker core keep it busy.
DEFAULT_PARTITION_BYTES = 64 << 20

#: Test hook: "kill-once:PATH" makes the first task that finds no file at PATH
#: create it and kill its own worker process, as a crash mid-run would;
#: "kill-always" kills the worker of every task (a run that cannot finish).
FAULT_ENV = "LIBPOLICY_DASK_FAULT"


class WholeInputRulesError(Exception):
    """Some selected `unique` rule would judge records in memory (a dataframe or
    bag) whose partitions cannot be read again to build its repeats."""

    def __init__(self, rules: Sequence[str], files: Sequence[str]):
        self.rules = list(rules)
        self.files = list(files)
        super().__init__(
            "`unique` rules cannot judge records held in memory across partitions yet: "
            + ", ".join(self.rules)
            + f" (on {self.files[0]}); write the records to CSV or JSON Lines files and check "
            "those, or skip these rules")


@dataclass(frozen=True)
class EngineSpec:
    """What a worker compiles: hashable, so each worker process compiles it once."""

    rules: Tuple[str, ...] = ()
    builtin: bool = True
    params: Tuple[Tuple[str, str], ...] = ()

    @staticmethod
    def make(rules: Iterable[str] = (), builtin: bool = True,
             params: Optional[Mapping[str, Any]] = None) -> "EngineSpec":
        if isinstance(rules, (str, _os.PathLike)):
            rules = [rules]
        return EngineSpec(tuple(_os.path.abspath(_os.fspath(r)) for r in rules), bool(builtin),
                          tuple((k, _param_text(v)) for k, v in (params or {}).items()))


@dataclass(frozen=True)
class CheckSettings:
    """The CLI's options that change what a check finds."""

    kind: Optional[str] = None
    schema: Optional[str] = None
    max_findings: Optional[int] = None
    only: Tuple[str, ...] = ()
    skip: Tuple[str, ...] = ()
    repo_root: str = ""
    jobs: int = 1  # threads per task


@dataclass(frozen=True)
class Task:
    """One unit of work: a whole input, or a partition of a record file."""

    file: str                      # as named: findings say it
    index: int                     # the input's place in the run
    part: int = 0                  # the partition's place in the file
    range: Optional[Tuple[int, int, int]] = None  # begin, end, first line
    sources: Tuple[str, ...] = ()  # index sources its rules read, read whole (index-only)


_programs: Dict[Tuple[EngineSpec, int], Any] = {}


def _program(spec: EngineSpec, jobs: int = 1):
    """The compiled rules of `spec`, compiled once per process."""
    key = (spec, jobs)
    program = _programs.get(key)
    if program is None:
        program, diagnostics = _libpolicy.compile(list(spec.rules), spec.builtin,
                                                  list(spec.params), jobs)
        if program is None:
            raise CompileError(diagnostics)
        _programs[key] = program
    return program


def _maybe_fault() -> None:
    hook = _os.environ.get(FAULT_ENV, "")
    if hook == "kill-always":
        _os._exit(17)
    if not hook.startswith("kill-once:"):
        return
    marker = hook[len("kill-once:"):]
    try:
        fd = _os.open(marker, _os.O_CREAT | _os.O_EXCL | _os.O_WRONLY)
    except FileExistsError:
        return
    _os.close(fd)
    _os._exit(17)  # the worker process dies mid-task, its result never sent


def run_task(spec: EngineSpec, settings: CheckSettings, task: Task) -> Dict[str, Any]:
    """Checks one task where it runs (a worker); returns a versioned result dict."""
    _maybe_fault()
    program = _program(spec, settings.jobs)
    report, state = program.check_piece(task.file, list(task.sources), settings.kind,
                                        settings.schema, task.range, settings.max_findings,
                                        set(settings.only), set(settings.skip),
                                        settings.repo_root)
    return {"version": RESULT_VERSION, "file": task.file, "index": task.index,
            "part": task.part, "range": task.range, "report": report, "state": state}


def expand(paths: Iterable[str]) -> List[str]:
    """Paths and globs, globs expanded in sorted order; a glob that matches
    nothing stays as written (its task then reports the file as missing)."""
    out: List[str] = []
    for p in paths:
        p = _os.fspath(p)
        matches = sorted(_glob.glob(p, recursive=True)) if _glob.has_magic(p) else [p]
        out.extend(matches or [p])
    return out


def plan(spec: EngineSpec, paths: Iterable[str], settings: CheckSettings = CheckSettings(),
         partition_bytes: int = DEFAULT_PARTITION_BYTES) -> List[Task]:
    """The tasks of a run: every record file cut into partitions of about
    `partition_bytes` (0: one task per file), every other input whole.

    Runs where it is called, reading each record file once (memchr speed)."""
    program = _program(spec)
    tasks: List[Task] = []
    split: List[str] = []
    files = expand(paths)
    # Indexes span inputs: each task reads whole the sources its rules read.
    sources = program.index_sources(files, settings.kind, settings.schema, set(settings.only),
                                    set(settings.skip)) if files else []
    for index, path in enumerate(files):
        feeds = tuple(files[j] for j in sources[index])
        ranges = None
        if partition_bytes > 0 and _os.path.isfile(path):
            try:
                parts = program.split_records(path, partition_bytes, settings.kind, settings.schema)
            except ValueError:  # a kind the name does not tell: its task says so
                parts = None
            if parts and parts["splittable"] and len(parts["ranges"]) > 1:
                ranges = parts["ranges"]
        if ranges is None:
            tasks.append(Task(path, index, sources=feeds))
            continue
        split.append(path)
        tasks.extend(Task(path, index, part, tuple(r), feeds) for part, r in enumerate(ranges))
    return tasks


def _listing_limit(max_findings: Optional[int]) -> Optional[int]:
    """Findings listed per rule and record input (CheckOptions::max_findings)."""
    if max_findings is None:
        return 100
    return None if max_findings == 0 else max_findings


def _finding_key(f: Mapping[str, Any]):
    return (f["file"], f["line"], f["column"], f["rule"], f["message"], f["path"])


#: Records that could not be read are listed per input up to this many, the
#: rest counted in one more problem (record_pipeline.cpp, kMaxListedProblems).
MAX_LISTED_RECORD_PROBLEMS = 100
_MORE_RECORDS = _re.compile(r"^(\d+) more records could not be read \(not listed\)$")


def _stops_input(p: Mapping[str, Any]) -> bool:
    """A problem after which one process reads no more of the input: a record
    over the length limit, or a quoted CSV value never closed (docs/CLI.md)."""
    return p["line"] > 0 and (p["code"] == "input.too_large"
                              or p["message"].startswith("unterminated quoted field"))


def _merge_problems(reports: List[Dict[str, Any]]) -> List[Dict[str, Any]]:
    """The problems of one input's partitions as one process lists them: the
    records that could not be read (the first 100 in file order), the error
    that stopped the input, the count of the unlisted ones, then the problems
    of the input as a whole (no line), once."""
    listed: List[Dict[str, Any]] = []
    stop: List[Dict[str, Any]] = []
    whole: List[Dict[str, Any]] = []
    seen = set()
    unlisted = 0
    for rep in reports:
        for p in rep["problems"]:
            more = _MORE_RECORDS.match(p["message"]) if p["line"] == 0 else None
            if more:
                unlisted += int(more.group(1))
            elif _stops_input(p):
                stop.append(p)
            elif p["line"] > 0:
                if len(listed) < MAX_LISTED_RECORD_PROBLEMS:
                    listed.append(p)
                else:
                    unlisted += 1
            else:
                key = (p["file"], p["message"], p["warning"])
                if key not in seen:
                    seen.add(key)
                    whole.append(p)
    more_problems = []
    if unlisted:
        more_problems.append({"file": reports[0]["inputs"][0]["file"], "line": 0, "column": 0,
                              "message": f"{unlisted} more records could not be read (not listed)",
                              "warning": False, "code": ""})
    # Check() adds its whole-input warnings after the pipeline's problems; an
    # input that could not be opened has no others.
    return listed + stop + more_problems + whole


def _list(findings: Iterable[Dict[str, Any]], limit: Optional[int], listed: Dict[str, int],
          into: Dict[str, Any]) -> int:
    """Appends `findings` to into["findings"] while their rule has fewer than
    `limit` listed (`listed` counts them per rule); each one cut is taken off
    its rule's listed count in into["by_rule"]. Returns how many were cut."""
    cut = 0
    for f in findings:
        n = listed.get(f["rule"], 0)
        if limit is not None and n >= limit:
            into["by_rule"][f["rule"]]["listed"] -= 1
            cut += 1
            continue
        listed[f["rule"]] = n + 1
        into["findings"].append(f)
    return cut


def _merge_file(results: List[Dict[str, Any]], limit: Optional[int],
                mostly: Sequence[Dict[str, Any]] = ()) -> Dict[str, Any]:
    """One input's task results (partitions in order) as its single-process
    report; `mostly`: its `mostly` findings, judged from all its partitions."""
    reports = [r["report"] for r in results]
    if len(reports) == 1 and not mostly:
        return reports[0]
    # One process reads no further than an error that stops the input.
    for i, rep in enumerate(reports):
        if any(_stops_input(p) for p in rep["problems"]):
            reports = reports[:i + 1]
            break
    merged: Dict[str, Any] = {"findings": [], "problems": _merge_problems(reports),
                              "unused_suppressions": [], "by_rule": {}, "truncated": 0}
    for rep in reports:
        for rule, c in rep["by_rule"].items():
            total = merged["by_rule"].setdefault(rule, dict.fromkeys(c, 0))
            for k, v in c.items():
                total[k] += v
        merged["truncated"] += rep["truncated"]
        merged["unused_suppressions"].extend(rep["unused_suppressions"])
    # --max-findings holds per rule and input: the first `limit` listed in
    # file order stay, the rest are counted, as one process counts them.
    listed: Dict[str, int] = {}
    for rep in reports:
        merged["truncated"] += _list(rep["findings"], limit, listed, merged)
    # A `mostly` finding is added past the listing limit, as FinishMostly adds it.
    for f in mostly:
        counters = merged["by_rule"].setdefault(
            f["rule"], {"evaluated": 0, "skipped": 0, "failed": 0, "errors": 0, "listed": 0})
        counters["failed"] += 1
        counters["listed"] += 1
        merged["findings"].append(dict(f))
    merged["findings"].sort(key=_finding_key)
    summary = dict(reports[0]["inputs"][0])
    summary["checked"] = all(rep["inputs"][0]["checked"] for rep in reports)
    merged["inputs"] = [summary]
    return merged


def _renumber(findings: List[Dict[str, Any]]) -> None:
    """":N" marks the Nth repeat of a fingerprint in a file, counted over the
    whole file (each partition counted only its own)."""
    seen: Dict[Tuple[str, str], int] = {}
    for f in findings:
        base = f["fingerprint"].split(":", 1)[0]
        n = seen.get((f["file"], base), 0) + 1
        seen[(f["file"], base)] = n
        f["fingerprint"] = base if n == 1 else f"{base}:{n}"


def _has_state(result: Mapping[str, Any]) -> bool:
    state = result.get("state") or {}
    return bool(state.get("mostly") or state.get("groups") or state.get("unique"))


def _split_log(log: bytes, buckets: int) -> List[bytes]:
    return _libpolicy.split_unique_keys(log, buckets)


def _bucket(split: Sequence[bytes], b: int) -> bytes:
    return split[b]


def _resolve(*logs: bytes) -> bytes:
    return _libpolicy.resolve_unique_keys(list(logs))


def run_repeats_task(spec: EngineSpec, settings: CheckSettings, path: str,
                     repeats: Sequence[bytes]) -> Dict[str, Any]:
    """The findings of one file's `unique` repeats, its records read again."""
    program = _program(spec, settings.jobs)
    return program.unique_repeat_findings(path, list(repeats), settings.kind, settings.schema,
                                          settings.max_findings, set(settings.only),
                                          set(settings.skip), settings.repo_root)


def unique_repeats(client, spec: EngineSpec, settings: CheckSettings, files: Sequence[str],
                   results: Sequence[Dict[str, Any]], retries: int = 1) -> Dict[int, Dict[str, Any]]:
    """`unique` across every task, exactly as one process decides it: the
    tasks' key logs (in input, then partition order) cut into buckets by key
    hash and resolved one bucket per task, then each file with repeats gets a
    task building their findings. By input position: a report dict to add."""
    ordered = sorted(results, key=lambda r: (r["index"], r["part"]))
    logs = [r["state"]["unique"] for r in ordered if (r.get("state") or {}).get("unique")]
    if not logs:
        return {}
    workers = len(client.scheduler_info().get("workers", {})) or 1
    buckets = max(1, min(2 * workers, 64))
    splits = client.map(_split_log, logs, [buckets] * len(logs), pure=False, retries=retries)
    resolved = [client.submit(_resolve, *[client.submit(_bucket, f, b, pure=False)
                                          for f in splits], pure=False, retries=retries)
                for b in range(buckets)]
    repeats = [r for r in client.gather(resolved) if len(r) > 8]  # more than a bare header
    if not repeats:
        return {}
    indexes = sorted({r["index"] for r in ordered if (r.get("state") or {}).get("unique")})
    futures = client.map(run_repeats_task, [spec] * len(indexes), [settings] * len(indexes),
                         [files[i] for i in indexes], [repeats] * len(indexes), pure=False,
                         retries=retries)
    return {i: rep for i, rep in zip(indexes, client.gather(futures)) if rep["findings"]
            or rep["problems"] or any(c["failed"] for c in rep["by_rule"].values())}


def _add_repeats(one: Dict[str, Any], rep: Optional[Mapping[str, Any]],
                 limit: Optional[int]) -> Dict[str, Any]:
    """An input's merged report with its `unique` repeats: counted, and listed
    while its rule has room under --max-findings (repeats after the other
    findings of their rule: an evaluation error of a `unique` rule listed
    among repeats past the limit may differ from one process)."""
    if not rep:
        return one
    out = dict(one, findings=list(one["findings"]), problems=one["problems"] + rep["problems"],
               by_rule={k: dict(v) for k, v in one["by_rule"].items()})
    for rule, c in rep["by_rule"].items():
        total = out["by_rule"].setdefault(rule, dict.fromkeys(c, 0))
        for k, v in c.items():
            total[k] += v
    out["truncated"] = one["truncated"] + rep["truncated"]
    listed: Dict[str, int] = {}
    for f in one["findings"]:
        listed[f["rule"]] = listed.get(f["rule"], 0) + 1
    out["truncated"] += _list(rep["findings"], limit, listed, out)
    out["findings"].sort(key=_finding_key)
    return out


def finish(spec: "EngineSpec", paths: Sequence[str], results: Sequence[Dict[str, Any]],
           settings: "CheckSettings" = None, jsonl: bool = False) -> Dict[str, Any]:
    """What needs every task, judged once where it is called (the reduce):
    `mostly` shares of split files, groups, index findings (FinishPieces in
    libpolicy/partition.h). `paths`: the run's files, expanded, in order."""
    settings = settings or CheckSettings()
    ordered = sorted(results, key=lambda r: (r["index"], r["part"]))
    # One process reads an input no further than an error that stops it: the
    # partitions after it add nothing (as _merge_file drops their reports).
    stopped = set()
    kept = []
    for r in ordered:
        if r["index"] in stopped:
            continue
        kept.append(r)
        if any(_stops_input(p) for p in r["report"]["problems"]):
            stopped.add(r["index"])
    pieces = [(r["index"], r["state"] or {"mostly": [], "groups": b""}) for r in kept]
    program = _program(spec, settings.jobs)
    return program.finish_pieces(list(paths), settings.kind, settings.schema, pieces,
                                 settings.max_findings, set(settings.only), set(settings.skip),
                                 settings.repo_root, jsonl)


def merge(results: Iterable[Dict[str, Any]], max_findings: Optional[int] = None,
          elapsed_ms: float = 0.0, totals: Optional[Mapping[str, Any]] = None,
          repeats: Optional[Mapping[int, Mapping[str, Any]]] = None) -> Dict[str, Any]:
    """Task results (any order) as the report dict of one process on the same
    inputs; `totals` is finish() of the same results (needed when a task
    left state: `mostly` tallies, groups; and for index findings)."""
    by_input: Dict[int, List[Dict[str, Any]]] = {}
    rules_run = 0
    for r in results:
        if r.get("version") != RESULT_VERSION:
            raise ValueError(f"a task result of version {r.get('version')}; "
                             f"this merge reads version {RESULT_VERSION}")
        if totals is None and _has_state(r):
            raise ValueError("a task result with rule state: merge it with its totals (finish())")
        by_input.setdefault(r["index"], []).append(r)
        rules_run = max(rules_run, r["report"]["rules_run"])
    if totals is not None:
        rules_run = totals["whole"]["rules_run"]
    limit = _listing_limit(max_findings)
    report: Dict[str, Any] = {"version": 1, "findings": [], "problems": [], "inputs": [],
                              "unused_suppressions": [], "by_rule": {}, "files": 0,
                              "truncated": 0, "rules_run": rules_run, "elapsed_ms": elapsed_ms}
    for index in sorted(by_input):
        parts = sorted(by_input[index], key=lambda r: r["part"])
        if [p["part"] for p in parts] != list(range(len(parts))):
            raise ValueError(f"{parts[0]['file']}: partitions missing from the results")
        mostly = totals["mostly"][index] if totals is not None else ()
        one = _merge_file(parts, limit, mostly)
        one = _add_repeats(one, (repeats or {}).get(index), limit)
        if totals is not None and totals["fed"][index]:
            # Read for an index: one process says nothing of it having no rule.
            one = dict(one, problems=[p for p in one["problems"]
                                      if p["code"] != "input.no_rule"])
        _renumber(one["findings"])
        report["findings"].extend(one["findings"])
        report["problems"].extend(one["problems"])
        report["inputs"].extend(one["inputs"])
        report["unused_suppressions"].extend(one["unused_suppressions"])
        for rule, c in one["by_rule"].items():
            total = report["by_rule"].setdefault(rule, dict.fromkeys(c, 0))
            for k, v in c.items():
                total[k] += v
        report["truncated"] += one["truncated"]
        report["files"] += 1
    if totals is not None:  # groups and index building: after every input, as Check()
        whole = totals["whole"]
        report["findings"].extend(whole["findings"])
        report["problems"].extend(whole["problems"])
        for rule, c in whole["by_rule"].items():
            total = report["by_rule"].setdefault(rule, dict.fromkeys(c, 0))
            for k, v in c.items():
                total[k] += v
    # As Check orders them: by file, line, column, rule, message, path (stable).
    report["findings"].sort(key=_finding_key)
    report["by_rule"] = dict(sorted(report["by_rule"].items()))
    return report


@dataclass
class Run:
    """What check() did, besides the report: for the command's messages."""

    tasks: int = 0
    partitions: int = 0
    wall_s: float = 0.0


def check(client, paths: Iterable[str], *, rules: Iterable[str] = (), builtin: bool = True,
          params: Optional[Mapping[str, Any]] = None,
          partition_bytes: int = DEFAULT_PARTITION_BYTES,
          settings: CheckSettings = CheckSettings(), retries: int = 1,
          progress: bool = False, run: Optional[Run] = None) -> Dict[str, Any]:
    """Checks `paths` (files or globs every worker sees) on the dask.distributed
    `client`; returns the merged report dict (render() formats it).

    A task whose worker dies is run again by Dask (the scheduler's
    allowed-failures, then `retries` more); a task that still fails raises,
    so a report is complete or there is none."""
    start = _time.monotonic()
    # Expanded once: the totals name the inputs by their place in this list,
    # which a glob expanded again later (a file added meanwhile) could shift.
    files = expand(paths)
    spec = EngineSpec.make(rules, builtin, params)
    tasks = plan(spec, files, settings, partition_bytes)
    run_id = _uuid.uuid4().hex[:12]
    futures = client.map(run_task, [spec] * len(tasks), [settings] * len(tasks), tasks,
                         key=[f"libpolicy-check-{run_id}-{t.index}-{t.part}" for t in tasks],
                         pure=False, retries=retries)
    if progress:
        from distributed.diagnostics.progressbar import progress as _progress
        _progress(futures)
    results = client.gather(futures)  # raises when a task failed for good
    totals = finish(spec, files, results, settings)
    repeats = unique_repeats(client, spec, settings, files, results, retries)
    wall = _time.monotonic() - start
    if run is not None:
        run.tasks = len(tasks)
        run.partitions = sum(1 for t in tasks if t.range is not None)
        run.wall_s = wall
    return merge(results, settings.max_findings, elapsed_ms=wall * 1000.0, totals=totals,
                 repeats=repeats)


# Records in memory: a dask.dataframe or dask.bag. Each partition's rows are
# written as JSON Lines (records_jsonl: exact decimals, ISO dates), one record
# a line, and checked as a piece of one input named `name`: row R of
# partition P is on line 1 + (rows in partitions before P) + R, the line it
# has in the JSON Lines text of every row in order. So the report is that of
# one process checking that text (check_records of all rows, or policy-check
# on it written to a file of that name), fingerprints included.


def _frame_rows(part) -> List[Dict[str, Any]]:
    """A pandas partition's rows as dicts of plain Python values: missing
    values (NaN, None, NaT) as None, numpy numbers as int or float."""
    if hasattr(part, "to_dict") and hasattr(part, "columns"):
        plain = part.astype(object)
        plain = plain.where(plain.notna(), None)
        return plain.to_dict("records")
    return list(part)  # a bag's partition: dicts already


def _partition_text(part) -> str:
    return _libpolicy.records_jsonl(_frame_rows(part))


def _count_records(text: str) -> int:
    return text.count("\n")


def run_records_task(spec: EngineSpec, settings: CheckSettings, name: str, part: int,
                     text: str, first_line: int) -> Dict[str, Any]:
    """Checks one partition of in-memory records (JSON Lines `text`, its
    first record on `first_line` of the whole) where it runs."""
    _maybe_fault()
    program = _program(spec, settings.jobs)
    begin = 0
    if first_line > 1:
        # A range from byte 0 is an input's first partition, numbered from
        # line 1; one byte before the records makes it a later one, numbered
        # from `first_line` (that byte is never read as a record).
        text = "\n" + text
        begin = 1
    piece = (begin, len(text.encode("utf-8")), first_line)
    report, state = program.check_piece(name, [], "records", settings.schema, piece,
                                        settings.max_findings, set(settings.only),
                                        set(settings.skip), settings.repo_root, text)
    return {"version": RESULT_VERSION, "file": name, "index": 0, "part": part,
            "range": piece, "report": report, "state": state}


def _check_partitions(client, parts, name: str, spec: EngineSpec, settings: CheckSettings,
                      retries: int, progress: bool, run: Optional[Run]) -> Dict[str, Any]:
    start = _time.monotonic()
    settings = CheckSettings(**{**settings.__dict__, "kind": "records"})
    program = _program(spec)
    if program.index_sources([name], "records", settings.schema, set(settings.only),
                             set(settings.skip))[0]:
        raise ValueError(f"{name}: the rules on these records read an index over them; "
                         "records in memory cannot be an index source (check files)")
    run_id = _uuid.uuid4().hex[:12]
    # Each partition is computed once: its text stays on a worker, its
    # record count comes back, then the checks start at their first lines.
    texts = client.compute([_dask_delayed(_partition_text)(p) for p in parts])
    counts = client.gather(client.map(_count_records, texts, pure=False))
    first_lines, line = [], 1
    for n in counts:
        first_lines.append(line)
        line += n
    n = len(texts)
    futures = client.map(run_records_task, [spec] * n, [settings] * n, [name] * n, range(n),
                         texts, first_lines, pure=False, retries=retries,
                         key=[f"libpolicy-records-{run_id}-{i}" for i in range(n)])
    if progress:
        from distributed.diagnostics.progressbar import progress as _progress
        _progress(futures)
    results = client.gather(futures)
    unique = [r["report"]["inputs"][0]["file"] for r in results
              if (r.get("state") or {}).get("unique")]
    if unique:
        raise WholeInputRulesError(program.whole_input_rules(set(settings.only),
                                                             set(settings.skip)), unique[:1])
    totals = finish(spec, [name], results, settings, jsonl=True)
    wall = _time.monotonic() - start
    if run is not None:
        run.tasks = run.partitions = n
        run.wall_s = wall
    return merge(results, settings.max_findings, elapsed_ms=wall * 1000.0, totals=totals)


def _dask_delayed(fn):
    from dask import delayed
    return delayed(fn, pure=True)


def check_dataframe(client, df, *, schema: Optional[str] = None, name: str = "<records>",
                    rules: Iterable[str] = (), builtin: bool = True,
                    params: Optional[Mapping[str, Any]] = None,
                    settings: CheckSettings = CheckSettings(), retries: int = 1,
                    progress: bool = False, run: Optional[Run] = None) -> Dict[str, Any]:
    """Checks the rows of a dask.dataframe (one task per partition) as
    records of `schema`, named `name` in findings; returns the merged report
    dict, that of one process checking every row in order (check_records).
    Row R of partition P is on line 1 + the rows of the partitions before P + R."""
    spec = EngineSpec.make(rules, builtin, params)
    settings = CheckSettings(**{**settings.__dict__, "schema": schema})
    return _check_partitions(client, df.to_delayed(), name, spec, settings, retries, progress,
                             run)


def check_bag(client, bag, *, schema: Optional[str] = None, name: str = "<records>",
              rules: Iterable[str] = (), builtin: bool = True,
              params: Optional[Mapping[str, Any]] = None,
              settings: CheckSettings = CheckSettings(), retries: int = 1,
              progress: bool = False, run: Optional[Run] = None) -> Dict[str, Any]:
    """check_dataframe for a dask.bag of dicts (one record each)."""
    spec = EngineSpec.make(rules, builtin, params)
    settings = CheckSettings(**{**settings.__dict__, "schema": schema})
    return _check_partitions(client, bag.to_delayed(), name, spec, settings, retries, progress,
                             run)


def check_local(paths: Iterable[str], *, rules: Iterable[str] = (), builtin: bool = True,
                params: Optional[Mapping[str, Any]] = None,
                settings: CheckSettings = CheckSettings()) -> Dict[str, Any]:
    """The same inputs checked by one process here: the reference check() equals."""
    spec = EngineSpec.make(rules, builtin, params)
    program = _program(spec, settings.jobs)
    return program.check_to_dict(expand(paths), settings.kind, settings.schema, None,
                                 settings.max_findings, set(settings.only), set(settings.skip),
                                 settings.repo_root)


#: The formats that place findings by their path from the repository's root
#: (code scanning, annotations, the merge-request widget), as policy-check does.
REBASED_FORMATS = ("sarif", "github", "codequality")


def rebased_on(report: Mapping[str, Any], root: str) -> Dict[str, Any]:
    """The report with file names relative to `root` where they are inside it
    (policy-check's RebasedOn)."""
    cache: Dict[str, str] = {}

    def rebase(name: str) -> str:
        if not name or name == "-" or not root:
            return name
        if name not in cache:
            rel = _os.path.relpath(_os.path.normpath(_os.path.abspath(name)), root)
            cache[name] = name if rel == "." or rel.startswith("..") else rel.replace(_os.sep, "/")
        return cache[name]

    out = dict(report)
    for key in ("findings", "problems", "unused_suppressions"):
        out[key] = [dict(item, file=rebase(item["file"])) for item in report[key]]
    return out


def render(report: Mapping[str, Any], fmt: str = "text", *, rules: Iterable[str] = (),
           builtin: bool = True, params: Optional[Mapping[str, Any]] = None,
           color: bool = False, verbose: bool = False, fail_on: str = "error",
           repo_root: str = "") -> Tuple[str, str]:
    """The report in one of policy-check's formats (text json sarif junit
    github markdown codequality), by the library's own reporters: (report text,
    summary line). SARIF, GitHub and Code Quality name files from `repo_root`."""
    program = _program(EngineSpec.make(rules, builtin, params))
    if fmt in REBASED_FORMATS and repo_root:
        report = rebased_on(report, repo_root)
    return program.render(dict(report), fmt, color, verbose,
                          None if fail_on == "never" else fail_on)


def exit_code(report: Mapping[str, Any], fail_on: str = "error") -> int:
    """policy-check's exit code for the report (docs/CLI.md "Exit codes")."""
    problems = report["problems"]
    if any(p["message"].startswith("internal error") or "out of memory" in p["message"]
           for p in problems):
        return 3
    if any(not p["warning"] for p in problems):
        return 2
    if fail_on == "never":
        return 0
    rank = {"error": 0, "warning": 1, "info": 2}
    threshold = rank[fail_on]
    for f in report["findings"]:
        if f["suppressed"] is not None:
            continue
        severity = "error" if f["kind"] in ("evaluation_error", "schema") else f["severity"]
        if rank[severity] <= threshold:
            return 1
    return 0
