#!/usr/bin/env python3
"""Fails when an #include under libpolicy/ crosses a layer the wrong way.

Every file under libpolicy/ belongs to one layer (LAYER_OF_DIRECTORY, with the
exceptions in LAYER_OF_FILE); a file may include headers of its own layer and
of the layers ALLOWED lists for it. A public header (installed: passed with
--public) may include only other public headers and the standard library,
since a consumer has nothing else on its include path.
docs/DEVELOPING.md explains the layers.

Usage: check_layers.py --root SOURCE_DIR [--public HEADER ...]
"""
import argparse
import pathlib
import re
import sys

# Which layers each layer may include (besides itself).
ALLOWED = {
    "core": set(),
    "syntax": {"core"},
    "load": {"core"},
    "builtins": {"core"},
    "eval": {"core", "syntax", "builtins"},
    "check": {"core", "syntax", "eval", "builtins"},
    # builtins: the record typer (run) converts fields with the builtins' own
    # text conversions, so a typed column and decimal()/date() agree.
    "run": {"core", "load", "eval", "check", "builtins"},
    "report": {"core"},
}

# First match wins; files directly in libpolicy/ are core.
LAYER_OF_DIRECTORY = [
    ("libpolicy/eval/builtins/", "builtins"),
    ("libpolicy/syntax/", "syntax"),
    ("libpolicy/load/", "load"),
    ("libpolicy/eval/", "eval"),
    ("libpolicy/check/", "check"),
    ("libpolicy/run/", "run"),
    ("libpolicy/report/", "report"),
]

LAYER_OF_FILE = {
    # The interface every builtin implements; the evaluator calls through it.
    "libpolicy/eval/builtins.h": "builtins",
}

# Edges that break the rules today, each with the change that removes it. An
# exception that no longer matches an include fails too, so the table shrinks.
KNOWN_EXCEPTIONS = {}

INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]')
SOURCE_SUFFIXES = {".h", ".hpp", ".cpp", ".cc", ".inc"}


def is_standard_header(name):
    """<map>, <cstdint>: the C++ standard library names its headers without a
    directory or an extension; <fmt/format.h>, <re2/re2.h> are libraries."""
    return "/" not in name and "." not in name


def layer_of(path):
    """The layer of a path relative to the source root, or None when no rule matches."""
    if path in LAYER_OF_FILE:
        return LAYER_OF_FILE[path]
    for prefix, layer in LAYER_OF_DIRECTORY:
        if path.startswith(prefix):
            return layer
    if path.startswith("libpolicy/") and path.count("/") == 1:
        return "core"
    return None


def check(root, public_headers):
    """Returns the list of problems, each a 'file:line: message' string."""
    root = pathlib.Path(root)
    problems = []
    exceptions_used = set()
    files = sorted(p for p in (root / "libpolicy").rglob("*") if p.suffix in SOURCE_SUFFIXES)
    for file in files:
        name = file.relative_to(root).as_posix()
        layer = layer_of(name)
        if layer is None:
            problems.append(f"{name}:1: no layer for this file: add its directory to "
                            f"LAYER_OF_DIRECTORY in {pathlib.Path(__file__).name}")
            continue
        lines = file.read_text(encoding="utf-8", errors="replace").splitlines()
        for number, line in enumerate(lines, start=1):
            match = INCLUDE.match(line)
            if not match:
                continue
            quote, target = match.groups()
            where = f"{name}:{number}"
            if not target.startswith("libpolicy/"):
                if quote == '"':
                    problems.append(f'{where}: #include "{target}": name libpolicy headers by their '
                                    'full path (libpolicy/...), so this check sees the edge')
                elif name in public_headers and not is_standard_header(target):
                    problems.append(f"{where}: #include <{target}>: forbidden edge public -> "
                                    "third-party (libpolicy::policy links its dependencies PRIVATE, "
                                    "so a consumer may not find this header)")
                continue
            target_layer = layer_of(target)
            if target_layer is None:
                problems.append(f"{where}: #include \"{target}\": no layer for the included file")
                continue
            if (name, target) in KNOWN_EXCEPTIONS:
                exceptions_used.add((name, target))
            elif target_layer != layer and target_layer not in ALLOWED[layer]:
                allowed = ", ".join(sorted(ALLOWED[layer])) or "nothing but itself"
                problems.append(f'{where}: #include "{target}": forbidden edge {layer} -> '
                                f"{target_layer} ({layer} may include {allowed})")
            if name in public_headers and target not in public_headers:
                problems.append(f'{where}: #include "{target}": forbidden edge public -> private '
                                "(an installed header may include only installed headers)")
    for (name, target), why in sorted(KNOWN_EXCEPTIONS.items()):
        if (name, target) not in exceptions_used:
            problems.append(f'{name}:1: KNOWN_EXCEPTIONS lists #include "{target}" ({why}), '
                            "which is gone: delete the entry")
    for name in sorted(LAYER_OF_FILE):
        if not (root / name).exists():
            problems.append(f"{name}:1: LAYER_OF_FILE lists this file, which is gone: delete the entry")
    return problems


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", required=True, help="the source root (holding libpolicy/)")
    parser.add_argument("--public", nargs="*", default=[], help="the installed headers")
    args = parser.parse_args()
    root = pathlib.Path(args.root).resolve()
    public = set()
    for header in args.public:
        path = pathlib.Path(header)
        path = path.resolve().relative_to(root) if path.is_absolute() else path
        public.add(path.as_posix())
    problems = check(root, public)
    for problem in problems:
        print(problem)
    if problems:
        print(f"{len(problems)} layering problem(s); see docs/DEVELOPING.md")
        return 1
    print(f"layers: ok ({len(public)} public headers)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
