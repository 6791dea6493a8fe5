#!/usr/bin/env bash
# Runs every test of lightfab under ASan + UBSan and closes with
# "N passed, M failed".  Called by `make test`.
#   - cmocka unit tests: build/asan/test_*
#   - bad-input corpus: tests/bad/*.yaml, each with "# expect: <text>" on
#     its first line; lightfab must exit 1, print the text, and leave no
#     output file behind
#   - CLI checks: tests/cli.sh
#   - HTTP checks of `lightfab serve`: tests/http.sh
#   - browser checks of the web UI and report.html: tests/browser.sh
#     (headless Chromium; skipped with a message when chromium is missing)
#   - MPI sweep checks: tests/mpi.sh (2 ranks, byte-identical to the serial
#     sweep; skipped with a message when OpenMPI is missing)
#   - golden outputs: tests/golden.sh (every example, verb and format, byte
#     for byte against tests/golden/; --update after an intended change)
#   - layers: tests/layers.sh (no include or call from a lower layer of src/
#     to a higher one)
#   - design doc: tests/design.py (every function docs/design.md names exists
#     where it says)
#   - sim doc: tests/simdoc.sh (docs/sim.md's validation table, and the
#     counts docs/sim.md and README.md give, are the model's)
#   - fuzz smoke: make fuzz FUZZ_SECONDS=15, one check (skipped without clang)
set -u
cd "$(dirname "$0")/.."
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
pass=0 fail=0
failed=()

for t in build/asan/test_*; do
  [ -x "$t" ] || continue
  out=$("$t" 2>&1); rc=$?
  p=$(printf '%s\n' "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' | tail -1)
  f=$(printf '%s\n' "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' | tail -1)
  p=${p:-0}; f=${f:-0}
  if [ $rc -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi   # crashed or sanitizer report
  pass=$((pass + p)); fail=$((fail + f))
  if [ "$f" -ne 0 ]; then failed+=("$t"); printf '%s\n' "$out" | tail -40; fi
  echo "$(basename "$t"): $p passed, $f failed"
done

tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
bad_pass=0 bad_fail=0
for f in tests/bad/*.yaml; do
  [ -e "$f" ] || continue
  expect=$(sed -n '1s/^# expect: //p' "$f")
  args=$(sed -n '2s/^# args: //p' "$f")
  out="$tmp/out.json"
  rm -f "$out"
  # shellcheck disable=SC2086
  msg=$(build/asan/lightfab plan $args --json -o "$out" "$f" 2>&1 >/dev/null); rc=$?
  if [ -z "$expect" ]; then why="no '# expect:' line"
  elif [ $rc -ne 1 ]; then why="exit status $rc, expected 1"
  elif ! grep -qF -- "$expect" <<<"$msg"; then why="message differs"
  elif [ -e "$out" ] || ls "$tmp"/out.json.tmp.* >/dev/null 2>&1; then why="output file left behind"
  else bad_pass=$((bad_pass + 1)); continue
  fi
  bad_fail=$((bad_fail + 1)); failed+=("$f")
  printf 'FAIL %s: %s\n  expected: %s\n  got:      %s\n' "$f" "$why" "$expect" "$msg"
done
echo "bad-input corpus: $bad_pass passed, $bad_fail failed"
pass=$((pass + bad_pass)); fail=$((fail + bad_fail))

if [ -x tests/cli.sh ]; then
  out=$(tests/cli.sh 2>&1); rc=$?
  p=$(printf '%s\n' "$out" | sed -n 's/^cli: \([0-9]*\) passed, \([0-9]*\) failed$/\1/p')
  f=$(printf '%s\n' "$out" | sed -n 's/^cli: \([0-9]*\) passed, \([0-9]*\) failed$/\2/p')
  p=${p:-0}; f=${f:-1}
  [ $rc -ne 0 ] && [ "$f" -eq 0 ] && f=1
  pass=$((pass + p)); fail=$((fail + f))
  [ "$f" -ne 0 ] && { failed+=("tests/cli.sh"); printf '%s\n' "$out"; }
  echo "cli: $p passed, $f failed"
fi

# HTTP, browser, MPI, install, Python, golden, layer and design-doc checks:
# each script (tests/NAME.sh or .py) closes with "<name>: N passed, M failed"
for script in http browser mpi install python golden layers design simdoc; do
  sf=tests/$script.sh
  [ -x "$sf" ] || sf=tests/$script.py
  [ -x "$sf" ] || continue
  out=$("$sf" 2>&1); rc=$?
  p=$(printf '%s\n' "$out" | sed -n "s/^$script: \([0-9]*\) passed, \([0-9]*\) failed.*/\1/p")
  f=$(printf '%s\n' "$out" | sed -n "s/^$script: \([0-9]*\) passed, \([0-9]*\) failed.*/\2/p")
  p=${p:-0}; f=${f:-1}
  [ $rc -ne 0 ] && [ "$f" -eq 0 ] && f=1
  pass=$((pass + p)); fail=$((fail + f))
  [ "$f" -ne 0 ] && { failed+=("$sf"); printf '%s\n' "$out"; }
  printf '%s\n' "$out" | grep '^skip ' || true
  printf '%s\n' "$out" | tail -1
done

# fuzz smoke: both libFuzzer targets for 15 s each (needs clang)
if command -v "${FUZZ_CC:-clang}" >/dev/null 2>&1; then
  out=$(make -s fuzz FUZZ_SECONDS=15 2>&1); rc=$?
  if [ $rc -eq 0 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); failed+=("fuzz"); printf '%s\n' "$out" | tail -40; fi
  printf '%s\n' "$out" | tail -1
else
  echo "fuzz: skipped (no clang)"
fi

if ((${#failed[@]})); then echo "failing: ${failed[*]}"; fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
