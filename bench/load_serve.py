#!/usr/bin/env python3
"""Load test of `lightfab serve` (python3 standard library only).

    bench/load_serve.py [--lightfab build/lightfab] [--requests 1000]
                        [--concurrency 50] [--warmup 100] [--max-jobs 4]

Starts `lightfab serve --port 0` (its own process), warms it up with
WARMUP requests of the mix at full concurrency, waits 2 s, reads its RSS
(VmRSS, /proc): the post-warm-up level.  Then it sends
REQUESTS requests from CONCURRENCY client threads at once, mixing:

    plan     POST /api/plan, the 4-SU DGX H100 spec (YAML body)
    report   POST /api/report, the 1-SU spec with the reliability section
    sim      POST /api/report, the 1-SU spec and a workload: all-reduce over
             its 256 GPUs at 1, 4, 16 and 64 MiB and an all-to-all of 16 MiB
             inside each server (a Simulation section)

in turn (request i is kind i % 3).  Every answer must be 200, or 503 with
the busy message (all work slots taken after the wait: documented, see
docs/report.md); anything else is a failure.  Then it waits 2 s, reads the
RSS again and stops the server with SIGINT (it must exit 0).

Prints the figures and one closing line:
    load: N requests, C concurrent: F failures, B busy (503), S s, R req/s,
          RSS warm W kB -> after A kB (+P%)
and exits 1 when there was a failure, the RSS grew more than 20% over the
warm level, or the server did not exit 0.  tests/http.sh runs a small
version (--requests 150 --concurrency 15) under ASan; bench/README.md
records the full run.
"""
import argparse
import concurrent.futures
import http.client
import json
import os
import re
import signal
import subprocess
import sys
import time

ap = argparse.ArgumentParser()
ap.add_argument("--lightfab", default="build/lightfab")
ap.add_argument("--requests", type=int, default=1000)
ap.add_argument("--concurrency", type=int, default=50)
ap.add_argument("--warmup", type=int, default=100)
ap.add_argument("--max-jobs", type=int, default=4)
a = ap.parse_args()
os.chdir(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

srv = subprocess.Popen([a.lightfab, "serve", "--port", "0", "--max-jobs", str(a.max_jobs),
                        "--timeout", "30"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       text=True)
line = srv.stdout.readline()
m = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
if not m:
    print("load: the server did not start: %s %s" % (line, srv.stderr.read()))
    sys.exit(1)
port = int(m.group(1))

ex4 = open("examples/dgx-h100-4su.yaml").read()
ex1 = open("examples/dgx-h100-1su.yaml").read()
wl = ("name: load\ncollectives:\n"
      "  - {type: all-reduce, sweep: {from: 1MiB, to: 64MiB, factor: 4}}\n"
      "  - {type: all-to-all, communicator: node, bytes: 16MiB}\n")
KINDS = (("plan", "/api/plan", ex4.encode(), {}),
         ("report", "/api/report", json.dumps({"spec": ex1, "reliability": True}).encode(),
          {"Content-Type": "application/json"}),
         ("sim", "/api/report", json.dumps({"spec": ex1, "workload": wl}).encode(),
          {"Content-Type": "application/json"}))


def rss_kb():
    with open("/proc/%d/status" % srv.pid) as f:
        for ln in f:
            if ln.startswith("VmRSS:"):
                return int(ln.split()[1])
    return 0


def one(i):
    kind, path, body, hdr = KINDS[i % len(KINDS)]
    t = time.time()
    try:
        c = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        c.request("POST", path, body, hdr)
        r = c.getresponse()
        data = r.read()
        c.close()
        st = r.status
        if st == 503 and b"busy" not in data:
            st = -503           # a 503 that is not the documented busy answer
        if st == 200 and kind == "sim" and b'id="simulation"' not in data:
            st = -200
        return kind, st, time.time() - t
    except Exception as e:  # noqa: BLE001 - a dropped answer is a failure
        return kind, str(e), time.time() - t


with concurrent.futures.ThreadPoolExecutor(max_workers=a.concurrency) as pool:
    list(pool.map(one, range(a.warmup)))   # at full concurrency: every thread's arena
time.sleep(2)
rss_warm = rss_kb()
t0 = time.time()
with concurrent.futures.ThreadPoolExecutor(max_workers=a.concurrency) as pool:
    res = list(pool.map(one, range(a.requests)))
took = time.time() - t0
time.sleep(2)
rss_after = rss_kb()
srv.send_signal(signal.SIGINT)
try:
    rc = srv.wait(60)
except subprocess.TimeoutExpired:
    srv.kill()
    rc = "hung"

fails = [r for r in res if r[1] not in (200, 503)]
busy = sum(1 for r in res if r[1] == 503)
for kind in ("plan", "report", "sim"):
    ts = sorted(r[2] for r in res if r[0] == kind and r[1] == 200)
    if ts:
        print("  %-6s %4d ok, latency median %.3f s, p95 %.3f s, max %.3f s"
              % (kind, len(ts), ts[len(ts) // 2], ts[int(len(ts) * 0.95)], ts[-1]))
for r in fails[:5]:
    print("  failure: %s -> %s" % (r[0], r[1]))
grow = 100.0 * (rss_after - rss_warm) / rss_warm if rss_warm else 0
print("load: %d requests, %d concurrent: %d failures, %d busy (503), %.1f s, %.1f req/s, "
      "RSS warm %d kB -> after %d kB (%+.1f%%), server exit %s"
      % (a.requests, a.concurrency, len(fails), busy, took, a.requests / took, rss_warm,
         rss_after, grow, rc))
sys.exit(0 if not fails and grow <= 20 and rc == 0 else 1)
