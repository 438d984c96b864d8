#!/usr/bin/env python3
"""Validates a SARIF file against the official SARIF 2.1.0 JSON schema.

usage: validate_sarif.py SCHEMA SARIF
Exit 0 when valid, 1 with the errors when not, 77 when jsonschema is missing.
"""
import json
import sys

try:
    import jsonschema
except ImportError:
    print("python3-jsonschema is not installed", file=sys.stderr)
    sys.exit(77)


def main():
    schema_path, sarif_path = sys.argv[1], sys.argv[2]
    with open(schema_path, encoding="utf-8") as f:
        schema = json.load(f)
    with open(sarif_path, encoding="utf-8") as f:
        sarif = json.load(f)
    validator_class = jsonschema.validators.validator_for(schema)
    validator = validator_class(schema)
    errors = sorted(validator.iter_errors(sarif), key=lambda e: list(e.absolute_path))
    for e in errors:
        where = "/".join(str(p) for p in e.absolute_path)
        print(f"{sarif_path}: /{where}: {e.message}", file=sys.stderr)
    if errors:
        return 1
    # What GitHub code scanning needs beyond the schema.
    run = sarif["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    for result in run["results"]:
        if rules[result["ruleIndex"]]["id"] != result["ruleId"]:
            print(f"ruleIndex {result['ruleIndex']} is not {result['ruleId']}", file=sys.stderr)
            return 1
        for loc in result.get("locations", []):
            uri = loc["physicalLocation"]["artifactLocation"]["uri"]
            if uri.startswith("/") or uri.startswith("./"):
                print(f"uri {uri} is not relative to %SRCROOT%", file=sys.stderr)
                return 1
    print(f"{sarif_path}: valid SARIF 2.1.0, {len(run['results'])} results")
    return 0


if __name__ == "__main__":
    sys.exit(main())
