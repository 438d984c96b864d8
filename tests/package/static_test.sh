#!/usr/bin/env bash
# The portable binary (POLICY_STATIC=ON): readelf finds no NEEDED library (no
# dynamic section at all), and the binary checks a compose file inside an
# otherwise empty root: the root holds the binary and the fixture, nothing else
# (no /lib, no loader, no /etc, no /proc). chroot as root, else `unshare -r` for
# a user namespace; exit 77 (skipped) when neither is allowed here.
# Usage: static_test.sh BINARY SOURCE_DIR
set -euo pipefail
bin=$1 source=$2
fail() { echo "FAIL: $*" >&2; exit 1; }

needed=$(readelf -d "$bin" 2>/dev/null | grep '(NEEDED)' || true)
[ -z "$needed" ] || fail "the binary needs shared libraries: $needed"
readelf -l "$bin" | grep -q 'INTERP' && fail "the binary asks for a program interpreter (ld.so)"

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
cp "$bin" "$root/policy-check"
cp "$source/examples/compose.yaml" "$root/compose.yaml"

run_in_root() {
  if [ "$(id -u)" -eq 0 ] && chroot "$root" /policy-check --version >/dev/null 2>&1; then
    chroot "$root" "$@"
  elif unshare -r chroot "$root" /policy-check --version >/dev/null 2>&1; then
    unshare -r chroot "$root" "$@"
  else
    echo "SKIP: neither chroot nor unshare -r chroot is allowed here" >&2
    exit 77
  fi
}

run_in_root /policy-check --version
set +e
out=$(run_in_root /policy-check /compose.yaml 2>&1)
code=$?
set -e
[ "$code" -eq 1 ] || { echo "$out" >&2; fail "exit $code on compose.yaml in the empty root, want 1"; }
grep -q '\[RDY-IMG-001\]' <<<"$out" || { echo "$out" >&2; fail "no RDY-IMG-001 finding"; }
echo "static: ok ($(stat -c %s "$bin") bytes, no NEEDED, runs in an empty root)"
