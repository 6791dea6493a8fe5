#!/usr/bin/env bash
# Sweep benchmark: the 216-point sweep of bench/sweep-bench.yaml (each point
# planned and simulated), serial `lightfab sweep` against `mpirun -np 2
# build/lightfab-mpi sweep`, REPS runs each (default 3), alternating; wall
# time of the whole process (min and median), the speed-up, and a check
# that both CSVs are byte-identical.  Figures go into bench/README.md.
#   make build/lightfab build/lightfab-mpi && bench/run_sweep.sh
#   REPS=5 NP=2 bench/run_sweep.sh
#   SWEEP=examples/sweep-llama70b-parallel.yaml bench/run_sweep.sh   # a layout search
set -euo pipefail
cd "$(dirname "$0")/.."
REPS=${REPS:-3} NP=${NP:-2}
SWEEP=${SWEEP:-bench/sweep-bench.yaml}
[ -x build/lightfab-mpi ] || { echo "run_sweep: build/lightfab-mpi missing (install OpenMPI, make)" >&2; exit 2; }
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
export OMPI_MCA_plm=isolated OMPI_MCA_btl=self,vader
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

now() { date +%s.%N; }
echo "load: $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min load average before the run)"
echo "machine: $(nproc) cores, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)"
ser=() par=()
for r in $(seq 1 "$REPS"); do
  t0=$(now)
  /usr/bin/time -f '%U %S' -o "$tmp/st" build/lightfab sweep --csv --quiet --sweep "$SWEEP" \
    > "$tmp/serial.csv"
  t1=$(now)
  /usr/bin/time -f '%U %S' -o "$tmp/pt" mpirun -np "$NP" --oversubscribe build/lightfab-mpi \
    sweep --csv --quiet --sweep "$SWEEP" > "$tmp/mpi.csv"
  t2=$(now)
  ser+=("$(echo "$t1 - $t0" | bc)"); par+=("$(echo "$t2 - $t1" | bc)")
  cmp -s "$tmp/serial.csv" "$tmp/mpi.csv" || { echo "run_sweep: MPI CSV differs from serial" >&2; exit 1; }
  read -r su ss < "$tmp/st"; read -r pu ps < "$tmp/pt"
  printf 'run %d: serial %.2f s (CPU %.1f s), %d ranks %.2f s (CPU %.1f s, all ranks)\n' "$r" \
    "${ser[-1]}" "$(echo "$su + $ss" | bc)" "$NP" "${par[-1]}" "$(echo "$pu + $ps" | bc)"
done
points=$(($(wc -l < "$tmp/serial.csv") - 1))
ok=$(grep -c ',ok,' "$tmp/serial.csv" || true)
stats() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {printf "%.2f %.2f", a[1], a[int((NR+1)/2)]}'; }
read -r smin smed <<<"$(stats "${ser[@]}")"
read -r pmin pmed <<<"$(stats "${par[@]}")"
echo "points: $points ($ok planned and simulated), CSV byte-identical in every run"
printf 'serial:   min %.2f s, median %.2f s (%.1f ms per point)\n' "$smin" "$smed" "$(echo "$smed * 1000 / $points" | bc -l)"
printf '%d ranks:  min %.2f s, median %.2f s\n' "$NP" "$pmin" "$pmed"
printf 'speed-up: %.2fx (min / min), %.2fx (median / median); target >= 1.8x\n' \
  "$(echo "$smin / $pmin" | bc -l)" "$(echo "$smed / $pmed" | bc -l)"
echo "load: $(cut -d' ' -f1-3 /proc/loadavg) (after)"
