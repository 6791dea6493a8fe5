#!/usr/bin/env bash
# HTTP tests of `lightfab serve`; run by tests/run.sh, which reads the closing
# "http: N passed, M failed" line.
#
#   tests/http.sh                    uses build/asan/lightfab
#   LIGHTFAB=build/lightfab tests/http.sh
#
# Starts the server on a free loopback port (--port 0, --timeout 2) under
# ASan with a small quarantine (so RSS tracks live memory), runs
# tests/http_test.py against it, stops it with SIGTERM and checks that it
# exits 0 with no sanitizer report (leaks included).  Then: SIGINT stops it
# too, --time-limit cancels a simulation (503), SIGINT answers requests in
# flight, ::1 is loopback, a non-loopback --address warns, bad options exit 2.
set -u
cd "$(dirname "$0")/.."
LF=${LIGHTFAB:-build/asan/lightfab}
tmp=$(mktemp -d)
srv=""
cleanup() { [ -n "$srv" ] && kill "$srv" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
pass=0 fail=0
ok() { echo "ok   $1"; pass=$((pass + 1)); }
bad() { echo "FAIL $1: $2"; fail=$((fail + 1)); }
finish() { echo "http: $pass passed, $fail failed"; [ "$fail" -eq 0 ]; exit; }

if [ ! -x "$LF" ] || ! command -v python3 >/dev/null; then
  bad setup "$LF not built or python3 missing"; finish
fi
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}:quarantine_size_mb=16:abort_on_error=0

# start_server OUT ERR ARGS...: starts lightfab serve, sets $srv and $port
start_server() {
  local out=$1 err=$2; shift 2
  "$LF" serve --port 0 "$@" >"$out" 2>"$err" &
  srv=$!
  port=""
  for _ in $(seq 100); do
    port=$(sed -n 's#^lightfab serve: http://127\.0\.0\.1:\([0-9]*\)/.*#\1#p' "$out")
    [ -n "$port" ] && return 0
    kill -0 "$srv" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}

# stop_server SIGNAL NAME ERR: the server exits 0 on SIGNAL within 15 s, clean
stop_server() {
  local sig=$1 name=$2 err=$3 rc
  kill -"$sig" "$srv" 2>/dev/null
  for _ in $(seq 150); do kill -0 "$srv" 2>/dev/null || break; sleep 0.1; done
  if kill -0 "$srv" 2>/dev/null; then
    bad "$name" "still running 15 s after SIG$sig"; kill -9 "$srv"; srv=""; return
  fi
  wait "$srv"; rc=$?; srv=""
  if [ $rc -ne 0 ]; then bad "$name" "exit status $rc: $(tail -5 "$err")"
  elif grep -q "Sanitizer" "$err"; then bad "$name" "sanitizer report: $(grep -m3 -A8 Sanitizer "$err")"
  else ok "$name"; fi
}

if ! start_server "$tmp/out" "$tmp/err" --timeout 2; then
  bad "server starts" "$(cat "$tmp/err")"; finish
fi
ok "server starts on 127.0.0.1:$port"
python3 tests/http_test.py "$LF" "$port" "$srv" >"$tmp/py" 2>&1
cat "$tmp/py" | grep -v '^http: '
p=$(sed -n 's/^http: \([0-9]*\) passed, \([0-9]*\) failed$/\1/p' "$tmp/py")
f=$(sed -n 's/^http: \([0-9]*\) passed, \([0-9]*\) failed$/\2/p' "$tmp/py")
if [ -z "$p" ]; then tail -20 "$tmp/py"; f=1; p=0; fi
pass=$((pass + p)); fail=$((fail + f))
stop_server TERM "SIGTERM: clean exit 0, no leaks or sanitizer reports" "$tmp/err"

if start_server "$tmp/out2" "$tmp/err2"; then
  stop_server INT "SIGINT: clean exit 0" "$tmp/err2"
else
  bad "second server starts" "$(cat "$tmp/err2")"
fi

# the wall-time limit: a simulation over --time-limit is cancelled, 503 with the
# reason; SIGINT then answers every request in flight (a report without a
# simulation finishes: 200; a running simulation is cancelled: 503) and exits 0
if start_server "$tmp/out10" "$tmp/err10" --time-limit 1 --max-work 100000000; then
  r=$(python3 tests/http_inflight.py "$port" limit)
  if [ "${r%% *}" = 503 ] && grep -q "time limit of 1 s" <<<"$r"; then
    ok "a simulation over --time-limit 1 is cancelled: 503 with the reason"
  else bad "--time-limit" "$r"; fi
  stop_server TERM "server with --time-limit: clean exit" "$tmp/err10"
else bad "server with --time-limit starts" "$(cat "$tmp/err10")"; fi

if start_server "$tmp/out11" "$tmp/err11" --max-work 100000000; then
  coproc INF { python3 tests/http_inflight.py "$port" sigint 2>&1; }
  read -r line <&"${INF[0]}"
  kill -INT "$srv"
  echo go >&"${INF[1]}"
  r=$(cat <&"${INF[0]}")
  if grep -q "^sim 503 .*stopping" <<<"$r" && grep -q "^plain 200 " <<<"$r"; then
    ok "SIGINT: a report in flight is answered 200, a running simulation 503"
  else bad "SIGINT with requests in flight" "$line / $r"; fi
  stop_server INT "SIGINT with requests in flight: clean exit 0" "$tmp/err11"
else bad "server for SIGINT starts" "$(cat "$tmp/err11")"; fi

# load: the mix of plan, report and sim, concurrently (bench/load_serve.py;
# the full 1,000 x 50 run is recorded in bench/README.md).  The warm-up must
# fill ASan's 16 MiB quarantine before the warm RSS is read: after 30
# requests it was still filling (+13 to +20 % over the next 150, CI failed at
# +20.2 %); after 150 it is full (measured -2 to +1 %).
if python3 bench/load_serve.py --lightfab "$LF" --requests 150 --concurrency 15 --warmup 150 >"$tmp/load" 2>&1; then
  ok "$(tail -1 "$tmp/load")"
else bad "load test (150 requests, 15 concurrent)" "$(cat "$tmp/load")"; fi

# ::1 is loopback: no warning, and it answers on [::1] (where IPv6 exists)
"$LF" serve --address ::1 --port 0 >"$tmp/out12" 2>"$tmp/err12" & pid=$!
for _ in $(seq 50); do grep -q "http://" "$tmp/out12" && break; kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
if grep -q "not loopback" "$tmp/err12"; then bad "--address ::1" "warns: $(cat "$tmp/err12")"
elif grep -q "http://\[::1\]:" "$tmp/out12" || grep -q "cannot listen" "$tmp/err12"; then
  ok "--address ::1 is loopback: no warning"
else bad "--address ::1" "$(cat "$tmp/out12" "$tmp/err12")"; fi

# a non-loopback address warns (and this one cannot be bound here: exit 3)
"$LF" serve --address 192.0.2.1 --port 0 >"$tmp/out3" 2>"$tmp/err3" & pid=$!
for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
if kill -0 "$pid" 2>/dev/null; then kill "$pid"; fi
wait "$pid" 2>/dev/null
if grep -q "warning: binding 192.0.2.1, not loopback" "$tmp/err3"; then ok "non-loopback --address warns"
else bad "non-loopback --address warns" "$(cat "$tmp/err3")"; fi

"$LF" serve --port 70000 >/dev/null 2>"$tmp/err4"; rc=$?
if [ $rc -eq 2 ] && grep -q "port must be" "$tmp/err4"; then ok "--port 70000 exits 2"
else bad "--port 70000 exits 2" "status $rc: $(cat "$tmp/err4")"; fi
"$LF" serve examples/dgx-h100-4su.yaml >/dev/null 2>"$tmp/err5"; rc=$?
if [ $rc -eq 2 ]; then ok "serve with a SPEC argument exits 2"; else bad "serve SPEC" "status $rc"; fi
"$LF" serve --help >"$tmp/out6" 2>&1; rc=$?
if [ $rc -eq 0 ] && grep -q "lightfab serve --port 8080" "$tmp/out6"; then ok "serve --help has an example"
else bad "serve --help" "status $rc"; fi
# the report verb's usage (its output is checked by test_report and browser.sh)
"$LF" report --help >"$tmp/out7" 2>&1; rc=$?
if [ $rc -eq 0 ] && grep -q "lightfab report -o report.html examples/" "$tmp/out7"; then ok "report --help has an example"
else bad "report --help" "status $rc"; fi
for opt in workload supply; do
  "$LF" report --$opt "$tmp/missing.yaml" -o "$tmp/r.html" examples/dgx-h100-1su.yaml 2>"$tmp/err8"; rc=$?
  if [ $rc -eq 3 ] && grep -q "missing.yaml: cannot open" "$tmp/err8" && [ ! -e "$tmp/r.html" ]; then
    ok "report --$opt of a missing file: exit 3, no file left"
  else bad "report --$opt missing file" "status $rc: $(cat "$tmp/err8")"; fi
done
"$LF" report -o "$tmp/r.html" tests/bad/empty.yaml 2>"$tmp/err9"; rc=$?
if [ $rc -eq 1 ] && [ ! -e "$tmp/r.html" ]; then ok "report of a bad spec: exit 1, no file left"
else bad "report of a bad spec" "status $rc"; fi
finish
