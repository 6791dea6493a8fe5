#!/usr/bin/env bash
# MPI checks of the distributed sweep (build/lightfab-mpi): 2 ranks give
# byte-identical CSV and JSON to the serial `lightfab sweep`, a compare too,
# and a bad --vary fails on every rank with the serial message.
# Skipped with a message when OpenMPI (mpirun, build/lightfab-mpi) is absent.
# Closes with "mpi: N passed, M failed".
set -u
cd "$(dirname "$0")/.."
pass=0 fail=0
ok()  { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

if ! command -v mpirun >/dev/null 2>&1 || [ ! -x build/lightfab-mpi ]; then
  echo "skip mpi: OpenMPI not found (scripts/setup.sh installs openmpi-bin libopenmpi-dev; make builds build/lightfab-mpi)"
  echo "mpi: 0 passed, 0 failed (skipped)"
  exit 0
fi

# root in a container, 2 cores, no network: shared memory only
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
export OMPI_MCA_plm=isolated OMPI_MCA_btl=self,vader OMPI_MCA_rmaps_base_oversubscribe=1
MPIRUN=(mpirun -np 2 --oversubscribe)
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
SER=build/lightfab MPI=build/lightfab-mpi

# 1. the example sweep (plan + simulation, an infeasible point), CSV and JSON
for fmt in csv json; do
  $SER sweep --$fmt --quiet --sweep examples/sweep-h100-rails.yaml > "$tmp/serial.$fmt" 2>"$tmp/serial.err"
  "${MPIRUN[@]}" $MPI sweep --$fmt --quiet --sweep examples/sweep-h100-rails.yaml > "$tmp/mpi.$fmt" 2>"$tmp/mpi.err"
  rc=$?
  if [ $rc -ne 0 ]; then bad "mpi sweep --$fmt exit $rc: $(head -5 "$tmp/mpi.err")"
  elif [ ! -s "$tmp/serial.$fmt" ]; then bad "serial sweep --$fmt empty: $(head -3 "$tmp/serial.err")"
  elif cmp -s "$tmp/serial.$fmt" "$tmp/mpi.$fmt"; then ok
  else bad "mpi sweep --$fmt differs from serial"; diff "$tmp/serial.$fmt" "$tmp/mpi.$fmt" | head -10
  fi
done
# the example has 12 points, one of which infeasible, rows in point order
if [ "$(wc -l < "$tmp/mpi.csv")" -eq 13 ] && grep -q '^11,.*,infeasible,' "$tmp/mpi.csv"; then ok
else bad "mpi CSV: expected 12 rows in order with the infeasible 2,048-server points"; fi

# 2. a --vary sweep with more points than ranks, output to a file (-o)
args=(sweep --csv --quiet examples/dgx-h100-1su.yaml --vary cluster.servers=4,8,16,24,32
      --vary 'fabric.tiers[0].oversubscription=1:1,2:1,3:1' --vary fabric.planes=1,2)
$SER "${args[@]}" -o "$tmp/s2.csv"
"${MPIRUN[@]}" $MPI "${args[@]}" -o "$tmp/m2.csv" 2>"$tmp/mpi.err"
if cmp -s "$tmp/s2.csv" "$tmp/m2.csv" && [ "$(wc -l < "$tmp/m2.csv")" -eq 31 ]; then ok
else bad "mpi --vary sweep -o differs from serial"; fi

# 3. compare over MPI
$SER compare --csv --quiet examples/dgx-h100-1su.yaml examples/dgx-h100-4su.yaml > "$tmp/c.csv"
"${MPIRUN[@]}" $MPI compare --csv --quiet examples/dgx-h100-1su.yaml examples/dgx-h100-4su.yaml > "$tmp/mc.csv" 2>"$tmp/mpi.err"
if cmp -s "$tmp/c.csv" "$tmp/mc.csv"; then ok; else bad "mpi compare differs from serial"; fi

# 3b. a layout search (workload.* axes): each rank edits the workload per point
$SER sweep --csv --quiet --sweep examples/sweep-llama70b-parallel.yaml > "$tmp/w.csv"
"${MPIRUN[@]}" $MPI sweep --csv --quiet --sweep examples/sweep-llama70b-parallel.yaml > "$tmp/mw.csv" 2>"$tmp/mpi.err"
if cmp -s "$tmp/w.csv" "$tmp/mw.csv" && [ "$(wc -l < "$tmp/mw.csv")" -eq 37 ]; then ok
else bad "mpi layout search differs from serial: $(head -3 "$tmp/mpi.err")"; fi

# 4. a bad --vary: the serial message, exit 1, printed once
"${MPIRUN[@]}" $MPI sweep examples/dgx-h100-1su.yaml --vary fabric.plane=1,2 > "$tmp/o" 2>"$tmp/e"; rc=$?
n=$(grep -c 'did you mean "planes"' "$tmp/e")
if [ $rc -ne 0 ] && [ "$n" -eq 1 ] && [ ! -s "$tmp/o" ]; then ok
else bad "mpi bad --vary: exit $rc, message printed $n times: $(cat "$tmp/e" | head -3)"; fi

echo "mpi: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
