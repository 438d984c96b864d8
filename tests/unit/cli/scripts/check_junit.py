#!/usr/bin/env python3
"""Parses a JUnit report with xml.etree and checks the structure CI servers read.

usage: check_junit.py JUNIT
Prints one line per suite: NAME TESTS FAILURES ERRORS; exit 1 on a structural error.
"""
import sys
import xml.etree.ElementTree as ET


def fail(message):
    print(message, file=sys.stderr)
    sys.exit(1)


def main():
    root = ET.parse(sys.argv[1]).getroot()
    if root.tag != "testsuites":
        fail(f"root is <{root.tag}>, not <testsuites>")
    total_tests = total_failures = 0
    for suite in root:
        if suite.tag != "testsuite":
            fail(f"<{suite.tag}> under <testsuites>")
        cases = suite.findall("testcase")
        failures = [c for c in cases if c.find("failure") is not None]
        errors = [c for c in cases if c.find("error") is not None]
        if int(suite.get("tests")) != len(cases):
            fail(f"{suite.get('name')}: tests={suite.get('tests')} but {len(cases)} testcases")
        if int(suite.get("failures")) != len(failures):
            fail(f"{suite.get('name')}: failures={suite.get('failures')} but {len(failures)}")
        if int(suite.get("errors")) != len(errors):
            fail(f"{suite.get('name')}: errors={suite.get('errors')} but {len(errors)}")
        names = [c.get("name") for c in cases]
        if len(names) != len(set(names)):
            fail(f"{suite.get('name')}: a (rule, file) pair twice")
        for c in cases:
            if c.get("classname") != suite.get("name"):
                fail(f"testcase {c.get('name')} has classname {c.get('classname')}")
            for f in c.findall("failure"):
                if not f.text or not f.text.strip():
                    fail(f"{c.get('name')}: empty failure text")
        total_tests += len(cases)
        total_failures += len(failures)
        print(suite.get("name"), len(cases), len(failures), len(errors))
        for c in failures:
            print("  FAIL", c.get("name"), c.find("failure").text.strip().replace("\n", " | "))
    if int(root.get("tests")) != total_tests or int(root.get("failures")) != total_failures:
        fail("totals of <testsuites> do not add up")


if __name__ == "__main__":
    main()
