#!/usr/bin/env bash
# bench/run_sim_compare.sh [REF] — the simulator's speed before and after a
# change, measured in one run on this machine (bench/README.md records it).
#
# Builds liblightfab of git REF (default: the merge-base of HEAD and main)
# into build/old-REF/ once, compiles bench/bench_sim.c against it (the file
# uses only calls and config fields the older API has; it reads that
# version's own catalog), then runs each of
# the issue-12 scenarios with the old and the new engine back to back,
# without the naive baseline (-N).  Each run is capped at BENCH_CAP seconds
# (default 120, CPU time) and BENCH_MEM MiB of address space (default 8192: the old
# engine builds all n^2 all-to-all flows up front and would need far more
# at 8,192 GPUs).
set -euo pipefail
cd "$(dirname "$0")/.."
ref=${1:-$(git merge-base HEAD main)}
ref=$(git rev-parse --short "$ref")
cap=${BENCH_CAP:-120}
mem=${BENCH_MEM:-8192}
old=build/old-$ref
make -s build/bench_sim
if [ ! -x "$old/bench_sim" ]; then
  rm -rf "$old" && mkdir -p "$old/src"
  git archive "$ref" | tar -x -C "$old/src"
  make -s -C "$old/src" -j2 build/liblightfab.a
  # shellcheck disable=SC2046
  cc -std=c17 -D_GNU_SOURCE -O2 -g -I"$old/src/include" -DLF_DATADIR="\"$PWD/$old/src/data/catalog\"" \
     bench/bench_sim.c "$old/src/build/liblightfab.a" \
     $(pkg-config --libs yaml-0.1 jansson libcgraph libgvc libmicrohttpd) -lglpk -lm -pthread \
     -L"$(pkg-config --variable=libdir libgvc)/graphviz" \
     -Wl,-rpath,"$(pkg-config --variable=libdir libgvc)/graphviz" \
     -lgvplugin_dot_layout -lgvplugin_core -o "$old/bench_sim"
fi
echo "# $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# new: $(git rev-parse --short HEAD)$(git diff --quiet || echo '+dirty'), old: $ref"
scenarios=("65,536" "3t ECMP" "8,192 GPUs, spray" "8,192 GPUs, ECMP" "chunked" "k=16" \
           "hier" "all-to-all 1 GiB, 1,024" "ECMP, 256" "512 ranks")
# BENCH_ONLY="a;b": only the scenarios whose names contain a or b
if [ -n "${BENCH_ONLY:-}" ]; then IFS=';' read -r -a scenarios <<<"$BENCH_ONLY"; fi
for sc in "${scenarios[@]}"; do
  for which in new old; do
    bin=build/bench_sim
    [ "$which" = old ] && bin=$old/bench_sim
    { "$bin" -N -b "$cap" -m "$mem" -s "$sc" || true; } | tail -n +2 | sed "s/^/$which  /"
  done
done
