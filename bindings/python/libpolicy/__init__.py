"""libpolicy: readiness and compliance rules for compose files and record data.

Compile rules once, check many inputs::

    import libpolicy

    engine = libpolicy.Engine(rules=["policy/"], builtin=False,
                              params={"bd.vat_rate": "7.5"})
    for f in engine.check_file("docker-compose.yml"):
        print(f"{f.file}:{f.line}:{f.column}: {f.severity}: {f.message} [{f.rule}]")

    rows = [{"invoice_no": "INV-1", "net_amount": Decimal("100.00")}]
    report = engine.check_records(rows, schema="invoice")

An Engine is immutable: share it between threads; checks release the GIL.
Rule errors raise CompileError (with .diagnostics); unreadable or malformed
inputs raise InputError (with .problems and the .report of what was found).
"""

from __future__ import annotations

import datetime as _datetime
import decimal as _decimal
import json as _json
import os as _os
from typing import Any, Iterable, Mapping, Optional, Sequence, Union

from ._libpolicy import Diagnostic, Finding, Problem, Report, __version__
from . import _libpolicy

__all__ = [
    "CompileError",
    "Diagnostic",
    "Engine",
    "Error",
    "Finding",
    "InputError",
    "Problem",
    "Report",
    "__version__",
]

PathLike = Union[str, "_os.PathLike[str]"]


class Error(Exception):
    """Base class of libpolicy's exceptions."""


class CompileError(Error):
    """The rules have errors. ``diagnostics`` lists them all (and any warnings)."""

    def __init__(self, diagnostics: Sequence[Diagnostic]):
        self.diagnostics = list(diagnostics)
        errors = [d for d in self.diagnostics if d.severity == "error"]
        first = f": {errors[0]}" if errors else ""
        super().__init__(f"{len(errors)} error(s) in the rules{first}")


class InputError(Error):
    """An input could not be read or parsed.

    ``problems`` says why; ``report`` holds whatever was found before the problem.
    """

    def __init__(self, report: Report):
        self.report = report
        self.problems = list(report.problems)
        super().__init__("; ".join(str(p) for p in self.problems))


def _param_text(value: Any) -> str:
    """A param value as the YAML flow text --param takes; str is passed as is."""
    if isinstance(value, str):
        return value
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, _decimal.Decimal):
        if not value.is_finite():
            raise ValueError(f"param value {value} is not a finite number")
        return str(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, _datetime.datetime):
        raise TypeError("datetime param values are not dates; pass .date()")
    if isinstance(value, _datetime.date):
        return value.isoformat()
    if isinstance(value, (list, tuple)):
        # Items are quoted when they are strings, so "yes" stays a string.
        return "[" + ", ".join(
            _json.dumps(v, ensure_ascii=False) if isinstance(v, str) else _param_text(v)
            for v in value) + "]"
    raise TypeError(f"a {type(value).__name__} cannot be a param value")


class Engine:
    """Compiled rules, ready to check inputs.

    rules: .policy files or directories (walked for .policy files).
    builtin: include the built-in packs.
    params: overrides by full name ("bd.vat_rate"); a str is YAML flow text as
        given to ``policy-check --param``, other values (int, Decimal, float,
        bool, date, list) are converted exactly.
    jobs: worker threads per check; 0 uses every core; at most 4096.
    """

    def __init__(self, rules: Union[PathLike, Iterable[PathLike]] = (), builtin: bool = True,
                 params: Optional[Mapping[str, Any]] = None, jobs: int = 0):
        if isinstance(rules, (str, _os.PathLike)):
            rules = [rules]
        paths = [_os.fspath(r) for r in rules]
        overrides = [(name, _param_text(v)) for name, v in (params or {}).items()]
        jobs = int(jobs)
        if jobs < 0:
            raise ValueError(f"jobs is {jobs}; 0 (every core) to 4096")
        program, diagnostics = _libpolicy.compile(paths, bool(builtin), overrides, jobs)
        if program is None:
            raise CompileError(diagnostics)
        self._program = program
        #: Warnings from compiling (a failed compile raises CompileError instead).
        self.diagnostics = diagnostics

    @property
    def rule_ids(self) -> list:
        """Ids of the enabled rules, sorted."""
        return self._program.rule_ids()

    def check_file(self, path: PathLike, kind: Optional[str] = None,
                   schema: Optional[str] = None) -> Report:
        """Checks a file. kind: "compose", "records", "document", "dotenv", or None to
        infer it from the name (and, for a YAML or JSON document, its content:
        a top-level `services` mapping makes it compose, as for stack.yml);
        schema: the record schema (default: by file stem)."""
        return self._done(self._program.check_file(_os.fspath(path), kind, schema))

    def check_text(self, text: Union[str, bytes], kind: str, name: Optional[str] = None,
                   schema: Optional[str] = None) -> Report:
        """Checks text as if read from a file called name (default "<text>", or
        "<text>.jsonl" style names to choose a record format: .csv .tsv .jsonl .json)."""
        if isinstance(text, bytes):
            text = text.decode("utf-8")
        return self._done(self._program.check_text(text, kind, name or "<text>", schema))

    def check_records(self, rows: Iterable[Mapping[str, Any]], schema: Optional[str] = None) -> Report:
        """Checks in-memory rows (dicts) as a record set bound to schema.

        Values may be str, int, float, Decimal, bool, None or datetime.date; they
        reach the engine exactly (Decimal as str(), float as repr()). Findings
        name the file "<records>" and line index + 1.
        """
        return self._done(self._program.check_records(rows, schema))

    @staticmethod
    def _done(report: Report) -> Report:
        if report.problems:
            raise InputError(report)
        return report
