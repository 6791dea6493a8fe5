#!/usr/bin/env bash
# lightfab setup: install the Debian packages lightfab needs (idempotent),
# build it, and plan the bundled example.  Uses sudo when not root.
#   scripts/setup.sh            install + build + run the example
#   scripts/setup.sh --deps     install packages only
set -euo pipefail
cd "$(dirname "$0")/.."

PKGS=(
  build-essential pkg-config     # compiler, make, pkg-config
  clang libclang-rt-14-dev       # libFuzzer targets, sanitizer runtimes
  libyaml-dev                    # spec, catalog, workload, supply parsers
  libjansson-dev                 # JSON output
  libglpk-dev glpk-utils         # LP/MIP solver for `lightfab source`
  libgraphviz-dev graphviz       # topology drawing (libcgraph, libgvc)
  fonts-liberation2              # graphviz's recommended fonts (the tests ran with them)
  libcmocka-dev                  # unit tests
  libmicrohttpd-dev              # `lightfab serve`
  chromium                       # browser tests of the web UI and report (tests/browser.sh)
  python3                        # HTTP and browser test drivers, JSON checks in tests/cli.sh
  openmpi-bin libopenmpi-dev     # distributed sweeps: build/lightfab-mpi (tests/mpi.sh)
  groff-base bsdextrautils       # man pages: build and check them (tests/install.sh)
)

missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  echo "setup: installing ${missing[*]}" >&2
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "setup: all packages present" >&2
fi
[ "${1:-}" = "--deps" ] && exit 0

make -j"$(nproc)"
echo "setup: built build/lightfab; planning examples/dgx-h100-4su.yaml" >&2
./build/lightfab plan examples/dgx-h100-4su.yaml
