#!/usr/bin/env bash
# pip install as the README says: a fresh venv with Debian's python and
# --system-site-packages (setuptools, wheel, pytest from Debian), then
# `pip install --no-build-isolation .` offline, and the Python example run with
# that venv's python, away from the source and build trees.
# LIBPOLICY_CMAKE_BUILD_DIR makes setup.py reuse this build's _libpolicy target
# instead of configuring and compiling the library again (setup.py explains).
# Usage: pip_test.sh BUILD_DIR SOURCE_DIR VERSION PYTHON
set -euo pipefail
build=$1 source=$2 version=$3 python=$4
work=$build/package-pip-test
rm -rf "$work"
mkdir -p "$work"
fail() { echo "FAIL: $*" >&2; exit 1; }
unset PYTHONPATH

# --without-pip: Debian's pip (python3-pip) is seen through --system-site-packages
# and installs into the venv; ensurepip would spend half this test copying its own.
"$python" -m venv --system-site-packages --without-pip "$work/venv"
py=$work/venv/bin/python
LIBPOLICY_CMAKE_BUILD_DIR=$build LIBPOLICY_BUILD_BASE=$work/setuptools \
  "$py" -m pip install --no-build-isolation --no-index --no-deps -q "$source" >"$work/pip.log" 2>&1 ||
  { cat "$work/pip.log" >&2; fail "pip install"; }

cd "$work"
installed=$("$py" -c 'import libpolicy, pathlib; print(pathlib.Path(libpolicy.__file__).parent)')
[[ "$installed" == "$work/venv/"* ]] || fail "libpolicy imported from $installed, not the venv"
for f in __init__.py _libpolicy.pyi py.typed; do
  [ -f "$installed/$f" ] || fail "$f not installed"
done
got=$("$py" -c 'import libpolicy; print(libpolicy.__version__)')
[ "$got" = "$version" ] || fail "libpolicy.__version__ is $got, want $version"
meta=$("$py" -m pip show libpolicy | sed -n 's/^Version: //p')
[ "$meta" = "$version" ] || fail "pip show says $meta, want $version"
"$py" -c 'import json, libpolicy; json.loads(libpolicy.Engine(builtin=True).check_text("services: {a: {image: redis}}\n", "compose", name="compose.yaml").to_sarif())'

# The example exits 1 (it has findings): its output decides.
set +e
out=$(cd "$source" && "$py" examples/embedding/example.py examples/rules examples/compose.yaml 2>&1)
code=$?
set -e
[ "$code" -eq 1 ] || { echo "$out" >&2; fail "example.py exit $code, want 1"; }
grep -q '<records>:2: error: VAT 20.00 should be 30.00' <<<"$out" || { echo "$out" >&2; fail "example output"; }
cd / && rm -rf "$work"
echo "pip: ok (libpolicy $version in a fresh venv)"
