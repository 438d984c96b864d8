#!/usr/bin/env bash
# Installs the Debian packages the build and tests need, when any is missing.
# As root it runs apt-get; otherwise it prints the line to run and fails.
set -euo pipefail
packages=(
  build-essential cmake ninja-build ccache pkg-config
  libboost-dev libfmt-dev libyaml-cpp-dev libfyaml-dev nlohmann-json3-dev doctest-dev libre2-dev
  libicu-dev libbenchmark-dev
  pybind11-dev python3-pybind11 python3-dev python3-pytest
  # libpolicy.dask and its tests: checks over a dask.distributed cluster (docs/SCALE.md);
  # pandas and numpy for dask.dataframe (only Recommends of python3-dask).
  python3-dask python3-distributed python3-pandas python3-numpy
  # Packaging: cpack -G DEB computes Depends with dpkg-shlibdeps (dpkg-dev);
  # pip install . builds with setuptools in a venv; help2man makes policy-check(1)
  # from --help at build time (groff-base renders it in the .deb test).
  dpkg-dev python3-venv python3-setuptools python3-wheel python3-pip help2man groff-base
)
if [ "${POLICY_WITH_TEST_TOOLS:-0}" = 1 ]; then
  # umoci: scripts/image.sh builds the OCI image without a daemon or registry.
  packages+=(python3 python3-jsonschema pre-commit git umoci)
fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "Missing packages. Run as root:" >&2
  echo "  apt-get update && apt-get install -y ${missing[*]}" >&2
  exit 1
fi
echo "Installing: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
