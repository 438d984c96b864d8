#!/usr/bin/env bash
# The Debian package as a user gets it: `cpack -G DEB` from the build directory's
# CPack configuration gives policy-check_<version>_amd64.deb; its control fields
# are right, Depends names the package of every library the binary needs, and the
# binary extracted from it checks examples/compose.yaml with the built-in packs;
# its man page policy-check(1) renders without a warning and shows every option.
# Usage: deb_test.sh BUILD_DIR SOURCE_DIR VERSION
set -euo pipefail
build=$1 source=$2 version=$3
work=$build/package-deb-test
rm -rf "$work"
mkdir -p "$work"

fail() { echo "FAIL: $*" >&2; exit 1; }

cpack -G DEB --config "$build/CPackConfig.cmake" -B "$work" >"$work/cpack.log" 2>&1 ||
  { cat "$work/cpack.log" >&2; fail "cpack -G DEB"; }
deb=$work/policy-check_${version}_amd64.deb
[ -f "$deb" ] || fail "no $deb; cpack made: $(ls "$work")"

field() { dpkg-deb -f "$deb" "$1"; }
[ "$(field Package)" = policy-check ] || fail "Package: $(field Package)"
[ "$(field Version)" = "$version" ] || fail "Version: $(field Version), want $version"
[ "$(field Architecture)" = amd64 ] || fail "Architecture: $(field Architecture)"
[ -n "$(field Maintainer)" ] || fail "no Maintainer"
depends=$(field Depends)
echo "Depends: $depends"
# One package name a line, versions dropped.
depends_names=$(sed 's/ ([^)]*)//g; s/, */\n/g' <<<"$depends")

root=$work/root
dpkg-deb -x "$deb" "$root"
bin=$root/usr/bin/policy-check
[ -x "$bin" ] || fail "no usr/bin/policy-check in the package"
[ -f "$root/usr/share/libpolicy/rules/readiness/images.policy" ] || fail "the packs are not in the package"
[ -f "$root/usr/share/doc/policy-check/LICENSE" ] || fail "no LICENSE in usr/share/doc/policy-check"

# Every NEEDED library comes from a package that Depends names.
for lib in $(readelf -d "$bin" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
  # The native multiarch directory: not libc6-i386's /lib32 copy of the same name.
  owner=$(dpkg -S "*/$(gcc -print-multiarch)/$lib" 2>/dev/null | head -1 | cut -d: -f1)
  [ -n "$owner" ] || fail "no installed package holds $lib"
  grep -qxF "$owner" <<<"$depends_names" || fail "$lib comes from $owner, which Depends does not name"
done

# policy-check(1), made from --help at build time (cli/CMakeLists.txt).
man_page=$root/usr/share/man/man1/policy-check.1.gz
[ -f "$man_page" ] || fail "no usr/share/man/man1/policy-check.1.gz in the package"
warnings=$(zcat "$man_page" | groff -man -Tutf8 -ww -z 2>&1)
[ -z "$warnings" ] || fail "groff warns on the man page: $warnings"
if command -v man >/dev/null; then
  rendered=$(MANWIDTH=80 man --warnings -l "$man_page" 2>"$work/man.err")
  [ ! -s "$work/man.err" ] || fail "man -l warns: $(cat "$work/man.err")"
else
  rendered=$(zcat "$man_page" | groff -man -Tutf8 2>/dev/null)
fi
for section in NAME DESCRIPTION OPTIONS "EXIT STATUS" FILES "SEE ALSO"; do
  grep -q "^$section" <<<"$rendered" || fail "the man page has no $section section"
done
# Every option of --help is on the page (a hyphen may be rendered as U+2010).
rendered=$(sed 's/\xe2\x80\x90/-/g' <<<"$rendered")
for option in $("$bin" --help | grep -o -- '--[a-z][a-z-]*' | sort -u); do
  grep -q -- "$option" <<<"$rendered" || fail "$option is not on the man page"
done

out=$("$bin" --version)
[[ "$out" == "policy-check $version (commit "* ]] || fail "--version printed: $out"

# examples/compose.yaml has findings: exit 1, with the built-in readiness rules.
set +e
out=$(cd "$source" && "$bin" examples/compose.yaml 2>&1)
code=$?
set -e
[ "$code" -eq 1 ] || { echo "$out" >&2; fail "exit $code on examples/compose.yaml, want 1"; }
grep -q '\[RDY-IMG-001\]' <<<"$out" || { echo "$out" >&2; fail "no RDY-IMG-001 finding"; }
rm -rf "$work"
echo "deb: ok ($(basename "$deb"))"
