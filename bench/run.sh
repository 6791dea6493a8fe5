#!/usr/bin/env bash
# Planning benchmarks of lightfab; called by `make bench` (which builds
# build/lightfab and build/bench_plan first).  bench/README.md records the
# figures and explains the columns.
#
#   bench/run.sh                 all specs of bench/specs, smallest first
#   BENCH_REPS=21 BENCH_SECS=3 bench/run.sh   at least 21 repetitions and 3 s per spec
#                                (defaults 11 and 1 s)
#   bench/run.sh SPEC...         only these specs
#
# Part 1 (build/bench_plan): the library, in-process, each spec in its own
# child process: load / build / json / dot times (min and median) and peak RSS,
# then time per GPU relative to the smallest spec, then the 131,072-GPU
# target (< 0.5 s, < 1 GiB).
# Part 2: the CLI end to end (`lightfab plan --json SPEC > /dev/null`, process
# start to exit), min and median wall time over CLI_REPS runs and peak RSS.
set -euo pipefail
cd "$(dirname "$0")/.."

reps=${BENCH_REPS:-11}
secs=${BENCH_SECS:-1}
cli_reps=${CLI_REPS:-5}
if (($#)); then
  specs=("$@")
else
  specs=(bench/specs/gpus-1024.yaml bench/specs/gpus-16384.yaml bench/specs/gpus-131072.yaml)
fi
for b in build/lightfab build/bench_plan; do
  [ -x "$b" ] || { echo "bench/run.sh: $b missing; run: make bench" >&2; exit 2; }
done

cpu=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -1)
cores=$(nproc)
mem=$(awk '/^MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo)
echo "machine: ${cpu:-unknown CPU}, $cores core(s), $mem RAM; $(uname -sr)"
echo "date:    $(date -u '+%Y-%m-%d %H:%M UTC'); lightfab $(git rev-parse --short HEAD 2>/dev/null || echo '?')$(git diff --quiet HEAD -- src include 2>/dev/null || echo ' (+ uncommitted src changes)')"
echo "load:    $(cut -d" " -f1-3 /proc/loadavg) (1, 5, 15 min load average before the run)"
echo

build/bench_plan -q -n "$reps" -t "$secs" "${specs[@]}"

echo
echo "CLI end to end: lightfab plan --json SPEC > /dev/null, $cli_reps runs"
printf '%-28s %10s %10s %10s\n' spec "min ms" "median ms" "peak RSS"
have_time=0
[ -x /usr/bin/time ] && have_time=1
for s in "${specs[@]}"; do
  ms=()
  for ((i = 0; i < cli_reps; i++)); do
    t0=$(date +%s%N)
    build/lightfab plan --json "$s" >/dev/null
    t1=$(date +%s%N)
    ms+=($(((t1 - t0) / 1000)))
  done
  sorted=($(printf '%s\n' "${ms[@]}" | sort -n))
  min=${sorted[0]} med=${sorted[$((cli_reps / 2))]}
  rss="n/a"
  if ((have_time)); then
    kb=$(/usr/bin/time -f '%M' build/lightfab plan --json "$s" 2>&1 >/dev/null | tail -1)
    rss=$(awk -v k="$kb" 'BEGIN {printf "%.1f MiB", k / 1024}')
  fi
  printf '%-28s %10.1f %10.1f %10s\n' "$(basename "$s" .yaml)" \
    "$(awk -v u="$min" 'BEGIN {print u / 1000}')" "$(awk -v u="$med" 'BEGIN {print u / 1000}')" "$rss"
done
