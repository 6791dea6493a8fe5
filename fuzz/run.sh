#!/usr/bin/env bash
# fuzz/run.sh [SECONDS] — run every built libFuzzer target (build/fuzz/fuzz_*)
# for SECONDS each (default 20) over a copy of its seed corpus
# (fuzz/corpus/<name>/) in a temporary directory: two thirds of the time
# with -max_len=4096 and fuzz/yaml.dict, one third with -max_len=1048576
# and fuzz/yaml.dict + fuzz/nested.dict (deep nesting, aliases of aliases).
# Builds nothing: `make fuzz` builds the targets and then calls this script.
# Fails when a target crashes (the reproducer is copied to build/fuzz/).
# Closes with one summary line:
#   fuzz: N target(s), E execs in S s, C crash(es)
set -u
cd "$(dirname "$0")/.."
secs=${1:-20}
case $secs in ''|*[!0-9]*) echo "fuzz/run.sh: SECONDS must be a whole number, got \"$secs\"" >&2; exit 2;; esac
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
targets=0 crashes=0 total_execs=0
cat fuzz/yaml.dict fuzz/nested.dict >"$tmp/big.dict"
for bin in build/fuzz/fuzz_*; do
  [ -x "$bin" ] || continue
  name=$(basename "$bin"); kind=${name#fuzz_}
  targets=$((targets + 1))
  mkdir -p "$tmp/$kind" "$tmp/art-$kind"
  [ -d "fuzz/corpus/$kind" ] && cp -r "fuzz/corpus/$kind/." "$tmp/$kind/"
  log="$tmp/$kind.log"
  # two thirds of the time on small inputs, then one third on inputs up to
  # 1 MiB with the nested-structure dictionary (depth, aliases, long numbers)
  small=$((secs - secs / 3)); large=$((secs / 3))
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    "$bin" -max_total_time="$small" -max_len=4096 -timeout=10 -rss_limit_mb=2048 \
      -dict=fuzz/yaml.dict -print_final_stats=1 -artifact_prefix="$tmp/art-$kind/" \
      "$tmp/$kind" >"$log" 2>&1
  rc=$?
  if [ $rc -eq 0 ] && [ "$large" -gt 0 ]; then
    ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
      "$bin" -max_total_time="$large" -max_len=1048576 -len_control=0 -timeout=10 \
        -rss_limit_mb=2048 -dict="$tmp/big.dict" -print_final_stats=1 \
        -artifact_prefix="$tmp/art-$kind/" "$tmp/$kind" >>"$log" 2>&1
    rc=$?
  fi
  execs=$(sed -n 's/^stat::number_of_executed_units: *\([0-9]*\).*/\1/p' "$log" |
          awk '{ s += $1 } END { print s + 0 }')
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
  ft=$(grep -o 'ft: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
  corp=$(find "$tmp/$kind" -type f | wc -l)
  execs=${execs:-0}
  total_execs=$((total_execs + execs))
  arts=$(find "$tmp/art-$kind" -type f | wc -l)
  if [ $rc -ne 0 ] || [ "$arts" -ne 0 ]; then
    crashes=$((crashes + 1))
    mkdir -p build/fuzz/artifacts
    cp "$tmp/art-$kind"/* build/fuzz/artifacts/ 2>/dev/null
    grep -A30 -m1 'ERROR\|runtime error\|deadly signal\|timeout' "$log" | head -40
    echo "$name: FAILED (exit $rc), reproducer(s) in build/fuzz/artifacts/"
  else
    echo "$name: ok, $execs execs in ${secs}s, cov ${cov:-?}, ft ${ft:-?}, corpus $corp"
  fi
done
echo "fuzz: $targets target(s), $total_execs execs, ${secs}s each, $crashes crash(es)"
[ "$targets" -gt 0 ] && [ "$crashes" -eq 0 ]
