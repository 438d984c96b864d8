#!/usr/bin/env bash
# Builds an OCI image FROM scratch with umoci (Debian's umoci), no registry and no
# daemon: the portable policy-check (POLICY_STATIC=ON) at /usr/bin/policy-check and
# the rule packs at /usr/share/libpolicy/rules, entrypoint policy-check, working
# directory /src. The Dockerfile builds the same content where a registry is at hand.
#
#   scripts/image.sh [BINARY] [OUT]
# BINARY defaults to build-static/cli/policy-check, built first when missing
# (BUILD_DIR=build-static scripts/build.sh -DPOLICY_STATIC=ON, policy-check only).
# OUT (default build-static/image) receives the OCI layout oci/ (tag = the version)
# and policy-check-VERSION-oci.tar, which `podman load`, `skopeo copy oci-archive:...`
# and `docker load` (Docker 25 or later) read.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-build-static/cli/policy-check}
out=${2:-build-static/image}
if [ ! -x "$bin" ] && [ $# -eq 0 ]; then
  echo "image.sh: building the static binary in build-static/" >&2
  BUILD_DIR=build-static POLICY_BUILD_TARGET=policy-check ./scripts/build.sh -DPOLICY_STATIC=ON
fi
[ -x "$bin" ] || { echo "image.sh: no binary at $bin" >&2; exit 2; }
command -v umoci >/dev/null || { echo "image.sh: needs umoci (apt-get install umoci)" >&2; exit 2; }
if readelf -d "$bin" 2>/dev/null | grep -q '(NEEDED)'; then
  echo "image.sh: $bin needs shared libraries; FROM scratch wants the POLICY_STATIC=ON build" >&2
  exit 2
fi
version=$("$bin" --version | awk '{print $2}')
commit=$("$bin" --version | sed -n 's/.*(commit \(.*\))/\1/p')

layout=$out/oci
bundle=$out/bundle
rm -rf "$layout" "$bundle"
mkdir -p "$out"
umoci init --layout "$layout"
umoci new --image "$layout:$version"
umoci unpack --rootless --image "$layout:$version" "$bundle" >/dev/null
rootfs=$bundle/rootfs
install -D -s -m 0755 "$bin" "$rootfs/usr/bin/policy-check"
mkdir -p "$rootfs/usr/share/libpolicy" "$rootfs/src" "$rootfs/usr/share/doc/policy-check"
cp -r rules "$rootfs/usr/share/libpolicy/rules"
cp LICENSE NOTICE "$rootfs/usr/share/doc/policy-check/"
umoci repack --image "$layout:$version" "$bundle"
umoci config --image "$layout:$version" \
  --config.entrypoint /usr/bin/policy-check --config.workingdir /src \
  --config.user 65534:65534 \
  --config.label "org.opencontainers.image.title=policy-check" \
  --config.label "org.opencontainers.image.version=$version" \
  --config.label "org.opencontainers.image.revision=$commit" \
  --config.label "org.opencontainers.image.licenses=Apache-2.0"
umoci gc --layout "$layout"
rm -rf "$bundle"
tar -C "$layout" -cf "$out/policy-check-$version-oci.tar" .
echo "image: $layout:$version and $out/policy-check-$version-oci.tar ($(du -sh "$layout" | cut -f1))"
