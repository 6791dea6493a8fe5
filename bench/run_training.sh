#!/usr/bin/env bash
# bench/run_training.sh — speed of one 16,384-GPU training step (issue 13):
# `lightfab sim bench/specs/sim-h100-16k.yaml bench/training-16k.yaml`
# (TP 8 x PP 16 x DP 128, every kind of traffic in one simulation), process
# start to exit, REPS runs (default 5): min and median wall time, peak RSS.
# BASE_BIN=path/to/old/lightfab also times the pre-issue-13 model on the same
# step (bench/training-16k-base.yaml: each kind simulated in its own run) in
# the same session, for the ratio.  Target: < 10 s.
set -euo pipefail
cd "$(dirname "$0")/.."
reps=${REPS:-5}
spec=bench/specs/sim-h100-16k.yaml
time_it() {   # label, binary, workload
  local ts=() rss=0
  for ((i = 0; i < reps; i++)); do
    local out
    out=$( { /usr/bin/time -f '%e %M' "$2" sim --quiet "$spec" "$3" > /dev/null; } 2>&1 | tail -1)
    ts+=("${out% *}")
    local r=${out#* }
    ((r > rss)) && rss=$r
  done
  local sorted
  sorted=$(printf '%s\n' "${ts[@]}" | sort -n)
  printf '%-44s min %6.2f s  median %6.2f s  peak RSS %5d MiB\n' "$1" \
    "$(echo "$sorted" | head -1)" "$(echo "$sorted" | sed -n "$(((reps + 1) / 2))p")" $((rss / 1024))
}
[ -x build/lightfab ] || { echo "bench/run_training.sh: build/lightfab missing; run make" >&2; exit 2; }
time_it "one step, all traffic in one simulation" build/lightfab bench/training-16k.yaml
if [ -n "${BASE_BIN:-}" ]; then
  time_it "baseline: kinds simulated apart (old model)" "$BASE_BIN" bench/training-16k-base.yaml
fi
./build/lightfab sim --quiet "$spec" bench/training-16k.yaml | grep -E '^# [0-9]+ flows'
