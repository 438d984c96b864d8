"""Type stubs for the compiled module (bindings/python/_libpolicy.cpp).

Use the libpolicy package; this module is its native half. Keep these in step
with the pybind11 definitions: tests/bindings/test_python.py checks that every
name here exists in the built module.
"""

from typing import AbstractSet, Any, Iterable, Iterator, Mapping, Optional, Sequence, Tuple

__version__: str

class Finding:
    """One failed check, at a place in an input."""

    @property
    def rule(self) -> str: ...
    @property
    def severity(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def message(self) -> str: ...
    @property
    def file(self) -> str: ...
    @property
    def line(self) -> int: ...
    @property
    def column(self) -> int: ...
    @property
    def path(self) -> str: ...
    @property
    def fingerprint(self) -> str: ...
    @property
    def suppressed(self) -> bool: ...

class Diagnostic:
    """A problem in a rule file."""

    @property
    def code(self) -> str: ...
    @property
    def severity(self) -> str: ...
    @property
    def message(self) -> str: ...
    @property
    def file(self) -> str: ...
    @property
    def line(self) -> int: ...
    @property
    def column(self) -> int: ...
    @property
    def text(self) -> str: ...

class Problem:
    """An input that could not be read or parsed."""

    @property
    def file(self) -> str: ...
    @property
    def line(self) -> int: ...
    @property
    def column(self) -> int: ...
    @property
    def message(self) -> str: ...

class Report:
    """The outcome of one check; iterating it yields its findings."""

    @property
    def findings(self) -> list[Finding]: ...
    @property
    def problems(self) -> list[Problem]: ...
    @property
    def errors(self) -> int: ...
    @property
    def warnings(self) -> int: ...
    def to_json(self) -> str: ...
    def to_sarif(self) -> str: ...
    def __len__(self) -> int: ...
    def __iter__(self) -> Iterator[Finding]: ...
    def __getitem__(self, index: int) -> Finding: ...

class Program:
    """Compiled rules; immutable and shared by threads."""

    def check_file(self, path: str, kind: Optional[str] = ..., schema: Optional[str] = ...) -> Report: ...
    def check_text(self, text: str, kind: Optional[str], name: str, schema: Optional[str] = ...) -> Report: ...
    def check_records(self, rows: Iterable[Mapping[str, Any]], schema: Optional[str] = ...) -> Report: ...
    def rule_ids(self) -> list[str]: ...
    # libpolicy.dask: one check as a report dict (version 1), partitions of a
    # record file, the rules that need whole inputs, a report dict formatted.
    def check_to_dict(
        self,
        paths: Sequence[str],
        kind: Optional[str] = ...,
        schema: Optional[str] = ...,
        range: Optional[Tuple[int, int, int]] = ...,
        max_findings: Optional[int] = ...,
        only: AbstractSet[str] = ...,
        skip: AbstractSet[str] = ...,
        repo_root: str = ...,
    ) -> dict[str, Any]: ...
    # A piece of a split run (partition.h): (report dict, state dict with
    # "mostly" [(rule, passed, total)] and "groups" bytes).
    def check_piece(
        self,
        path: str,
        index_sources: Sequence[str] = ...,
        kind: Optional[str] = ...,
        schema: Optional[str] = ...,
        range: Optional[Tuple[int, int, int]] = ...,
        max_findings: Optional[int] = ...,
        only: AbstractSet[str] = ...,
        skip: AbstractSet[str] = ...,
        repo_root: str = ...,
        text: Optional[str] = ...,
    ) -> Tuple[dict[str, Any], dict[str, Any]]: ...
    def index_sources(
        self,
        paths: Sequence[str],
        kind: Optional[str] = ...,
        schema: Optional[str] = ...,
        only: AbstractSet[str] = ...,
        skip: AbstractSet[str] = ...,
    ) -> list[list[int]]: ...
    # The reduce: {"mostly": [[finding dict]] per path, "whole": report dict, "fed": [bool]}.
    def finish_pieces(
        self,
        paths: Sequence[str],
        kind: Optional[str] = ...,
        schema: Optional[str] = ...,
        pieces: Sequence[Tuple[int, Mapping[str, Any]]] = ...,
        max_findings: Optional[int] = ...,
        only: AbstractSet[str] = ...,
        skip: AbstractSet[str] = ...,
        repo_root: str = ...,
        jsonl: bool = ...,
    ) -> dict[str, Any]: ...
    def split_records(
        self, path: str, target_bytes: int, kind: Optional[str] = ..., schema: Optional[str] = ...
    ) -> dict[str, Any]: ...
    def whole_input_rules(self, only: AbstractSet[str] = ..., skip: AbstractSet[str] = ...) -> list[str]: ...
    def cross_input_rules(self, only: AbstractSet[str] = ..., skip: AbstractSet[str] = ...) -> list[str]: ...
    def render(
        self,
        report: Mapping[str, Any],
        format: str,
        color: bool = ...,
        verbose: bool = ...,
        fail_at: Optional[str] = ...,
    ) -> Tuple[str, str]: ...
    def _time_native(self, path: str, kind: str, n: int) -> float: ...

def records_jsonl(rows: Iterable[Mapping[str, Any]]) -> str: ...
def compile(
    rules: Sequence[str], builtin: bool, params: Sequence[Tuple[str, str]], jobs: int
) -> Tuple[Optional[Program], list[Diagnostic]]: ...
