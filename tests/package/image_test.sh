#!/usr/bin/env bash
# The OCI image of scripts/image.sh: built from the static binary, unpacked with
# `umoci unpack --rootless`, its config names the entrypoint and working
# directory, and the binary checks a compose file from inside the unpacked root
# (chroot, or unshare -r chroot; run in place when neither is allowed).
# Usage: image_test.sh BINARY SOURCE_DIR WORK_DIR
set -euo pipefail
bin=$1 source=$2 work=$3
fail() { echo "FAIL: $*" >&2; exit 1; }
rm -rf "$work"
mkdir -p "$work"
trap 'rm -rf "$work"' EXIT

"$source/scripts/image.sh" "$bin" "$work/out" >"$work/image.log" 2>&1 ||
  { cat "$work/image.log" >&2; fail "scripts/image.sh"; }
version=$("$bin" --version | awk '{print $2}')
[ -f "$work/out/policy-check-$version-oci.tar" ] || fail "no OCI archive"
umoci unpack --rootless --image "$work/out/oci:$version" "$work/bundle" >/dev/null
root=$work/bundle/rootfs
[ -x "$root/usr/bin/policy-check" ] || fail "no /usr/bin/policy-check in the image"
[ -f "$root/usr/share/libpolicy/rules/readiness/images.policy" ] || fail "no packs in the image"
# FROM scratch: the image holds only what image.sh put there.
extra=$(cd "$root" && find . -mindepth 1 -maxdepth 1 | sort | tr '\n' ' ')
[ "$extra" = "./src ./usr " ] || fail "unexpected top-level entries: $extra"
python3 - "$work/bundle/config.json" <<'PY'
import json, sys
process = json.load(open(sys.argv[1]))["process"]
assert process["args"] == ["/usr/bin/policy-check"], process["args"]
assert process["cwd"] == "/src", process["cwd"]
PY

cp "$source/examples/compose.yaml" "$root/src/compose.yaml"
# The root's paths, through chroot when allowed, else the same files from outside.
if [ "$(id -u)" -eq 0 ] && chroot "$root" /usr/bin/policy-check --version >/dev/null 2>&1; then
  cmd=(chroot "$root" /usr/bin/policy-check /src/compose.yaml)
elif unshare -r chroot "$root" /usr/bin/policy-check --version >/dev/null 2>&1; then
  cmd=(unshare -r chroot "$root" /usr/bin/policy-check /src/compose.yaml)
else
  echo "note: no chroot here; running the unpacked binary in place" >&2
  cmd=("$root/usr/bin/policy-check" "$root/src/compose.yaml")
fi
set +e
out=$("${cmd[@]}" 2>&1)
code=$?
set -e
[ "$code" -eq 1 ] || { echo "$out" >&2; fail "exit $code in the image root, want 1"; }
grep -q '\[RDY-IMG-001\]' <<<"$out" || { echo "$out" >&2; fail "no RDY-IMG-001 finding"; }
echo "image: ok (policy-check $version from the unpacked OCI image)"
