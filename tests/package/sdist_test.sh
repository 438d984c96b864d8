#!/usr/bin/env bash
# The sdist as a packager gets it: built through pyproject.toml's backend (the
# PEP 517 hook that `python3 -m build --sdist --no-isolation` calls), unpacked
# away from the checkout, and installed from the unpacked tree with
# `pip install --no-build-isolation` into a fresh venv (--system-site-packages),
# offline. The build compiles the library from the tarball's own files only, so
# a file MANIFEST.in forgets fails here. Then libpolicy is imported and checks a
# fixture. setup.py configures the tarball's tree in TREE/build, as deep as this
# checkout's build/, with CMAKE_ARGS (the build's own flags), so that ccache
# (CCACHE_BASEDIR: paths relative to the build directory) serves the objects this
# build compiled: about a minute instead of ten.
# Usage: sdist_test.sh BUILD_DIR SOURCE_DIR VERSION PYTHON [CMAKE_ARGS...]
set -euo pipefail
build=$1 source=$2 version=$3 python=$4
shift 4
work=$build/package-sdist-test
rm -rf "$work"
mkdir -p "$work"
fail() { echo "FAIL: $*" >&2; exit 1; }
unset PYTHONPATH
export LIBPOLICY_BUILD_BASE=$work/setuptools  # setuptools' scratch, out of the checkout

(cd "$source" && "$python" -c 'import sys; from setuptools import build_meta
print(build_meta.build_sdist(sys.argv[1]))' "$work/dist") >"$work/sdist.log" 2>&1 ||
  { cat "$work/sdist.log" >&2; fail "build_sdist"; }
tarball=$work/dist/libpolicy-$version.tar.gz
[ -f "$tarball" ] || fail "no $tarball; made: $(ls "$work/dist")"
listing=$(tar tzf "$tarball")
for f in LICENSE NOTICE CMakeLists.txt pyproject.toml setup.py MANIFEST.in \
  libpolicy/engine.h bindings/python/_libpolicy.cpp bindings/python/libpolicy/py.typed \
  rules/readiness/images.policy third_party/compose-spec/compose-spec.json; do
  grep -qxF "libpolicy-$version/$f" <<<"$listing" || fail "$f is not in the sdist"
done
grep -q "^libpolicy-$version/rules/.*/tests/" <<<"$listing" && fail "rule-pack tests are in the sdist"

mkdir "$work/src"
tar xzf "$tarball" -C "$work/src"
tree=$work/src/libpolicy-$version
"$python" -m venv --system-site-packages --without-pip "$work/venv"
py=$work/venv/bin/python
LIBPOLICY_CMAKE_BUILD_DIR=$tree/build LIBPOLICY_CMAKE_ARGS="$*" "$py" -m pip install --no-build-isolation --no-index --no-deps -q "$tree" \
  >"$work/pip.log" 2>&1 || { tail -40 "$work/pip.log" >&2; fail "pip install from the unpacked sdist"; }

cd "$work"
got=$("$py" -c 'import libpolicy; print(libpolicy.__version__)')
[ "$got" = "$version" ] || fail "libpolicy.__version__ is $got, want $version"
# The built-in packs came with the tarball: an unpinned image is found.
out=$("$py" -c 'import libpolicy
r = libpolicy.Engine(builtin=True).check_text("services: {a: {image: redis}}\n", "compose", name="compose.yaml")
print(" ".join(sorted({f.rule for f in r.findings})))')
grep -qw RDY-IMG-001 <<<"$out" || fail "no RDY-IMG-001 among: $out"
cd / && rm -rf "$work"
echo "sdist: ok (libpolicy-$version.tar.gz built and installed in a fresh venv)"
