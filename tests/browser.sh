#!/usr/bin/env bash
# Browser tests of the web UI and the HTML report in headless Chromium
# (Debian's chromium, installed by scripts/setup.sh); run by tests/run.sh,
# which reads the closing "browser: N passed, M failed" line.  Without
# chromium every check is skipped with a message and the line says
# "browser: 0 passed, 0 failed (skipped: no chromium)".
#
#   tests/browser.sh                 uses build/asan/lightfab
#   LIGHTFAB=build/lightfab CHROMIUM=/usr/bin/chromium tests/browser.sh
#
# 1. `lightfab serve` on a free loopback port; Chromium loads
#    /?example=dgx-h100-4su, whose script fetches the example, posts it to
#    /api/report and renders the result; the DOM after the script ran
#    (--dump-dom, virtual time) must show the numbers of `lightfab plan
#    --json` (48 switches for the published 4-SU design) and the topology.
# 2. A spec with an error (#spec=...) shows the error next to the editor,
#    with the line and column of the CLI's message.
# 3. report.html rendered from file://: the same numbers, the topology, the
#    charts, the reliability section; printed to PDF.
# 4. report.html with --workload (the all-reduce sweep on the 4-SU example):
#    the busBW chart's polyline has one point per size, the 384 GB/s bound
#    is drawn, and the table rows equal `lightfab sim --json`.
# 5. report.html with --supply and --sweep-capacity (the dual-track example):
#    the break-even chart's polyline has one point per capacity, a dashed
#    flip line at each flip, one band cell per stage and point with the
#    option, and the points table equals `lightfab source --sweep-capacity
#    --json` (objective, MIP gap, option per stage); the flip is stage-1
#    going 1.6T by the sampled 2,500 CW lasers a month, bisected to 2,176,
#    which the list shows (tests/test_supply.c checks both against brute
#    force).
# Screenshots, the DOMs and the PDF are kept in build/artifacts/.
set -u
cd "$(dirname "$0")/.."
LF=${LIGHTFAB:-build/asan/lightfab}
CHROMIUM=${CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}
ART=build/artifacts
tmp=$(mktemp -d)
srv=""
cleanup() { [ -n "$srv" ] && kill "$srv" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
pass=0 fail=0
ok() { echo "ok   $1"; pass=$((pass + 1)); }
bad() { echo "FAIL $1: $2"; fail=$((fail + 1)); }

if [ -z "$CHROMIUM" ] || [ ! -x "$CHROMIUM" ]; then
  echo "skip browser tests: chromium not found (scripts/setup.sh installs it)"
  echo "browser: 0 passed, 0 failed (skipped: no chromium)"
  exit 0
fi
if [ ! -x "$LF" ]; then bad setup "$LF not built"; echo "browser: $pass passed, $fail failed"; exit 1; fi
mkdir -p "$ART"

# chrome ARGS...: headless Chromium with a fresh profile, no network beyond
# what the page asks of loopback; 90 s at most
chrome() {
  local prof
  prof=$(mktemp -d "$tmp/profile.XXXX")
  timeout 90 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --disable-extensions --user-data-dir="$prof" "$@" 2>>"$tmp/chrome.log"
}

# check_dom NAME FILE JSON [reliability]: the DOM's cards and BOM rows equal the plan JSON
check_dom() {
  local name=$1 dom=$2 json=$3 rel=${4:-}
  local why
  why=$(python3 - "$dom" "$json" "$rel" 2>&1 <<'EOF'
import html.parser, json, sys
dom, j, rel = open(sys.argv[1]).read(), json.load(open(sys.argv[2])), sys.argv[3]
class P(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(); self.cards = {}; self.bom = []; self.ids = set(); self.t = False
    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a: self.ids.add(a["id"])
        if "data-key" in a: self.cards[a["data-key"]] = a.get("data-value")
        if tag == "table": self.t = a.get("id") == "bom-total"
        if tag == "tr" and self.t and "data-sku" in a:
            self.bom.append((a["data-category"], a["data-sku"], a["data-end"], int(a["data-count"])))
p = P(); p.feed(dom)
want = {"gpus": j["gpus"], "switches": j["switches_total"], "links": j["links_total"],
        "modules": j["modules_total"], "cables": j["cables_total"], "fibres": j["fibres_total"],
        "power_typ_w": j["power_w"]["typ"], "power_max_w": j["power_w"]["max"],
        "capex_usd": j["capex_usd"]}
errs = []
for k, v in want.items():
    g = p.cards.get(k)
    if g is None or abs(float(g) - v) > 1e-6 * max(1, abs(v)):
        errs.append("%s: page %s, json %s" % (k, g, v))
if p.cards.get("ratio") != j["gpu_transceiver_ratio"]:
    errs.append("ratio %s vs %s" % (p.cards.get("ratio"), j["gpu_transceiver_ratio"]))
jb = [(l["category"], l["sku"], "" if l["end"] == "none" else l["end"], l["count"]) for l in j["bom"]]
if p.bom != jb:
    errs.append("BOM rows %s vs %s" % (p.bom, jb))
need = ["summary", "fabric", "topology", "bom"] + (["reliability"] if rel else [])
errs += ["no #%s section" % s for s in need if s not in p.ids]
if "<svg" not in dom or 'class="node"' not in dom:
    errs.append("no rendered SVG topology")
print("; ".join(errs))
EOF
) || why="the checker failed: $why"
  if [ -z "$why" ]; then ok "$name"; else bad "$name" "$why"; fi
}

"$LF" plan --json examples/dgx-h100-4su.yaml >"$tmp/plan.json" || bad "plan --json" "failed"

# ------------------------------------------------------------------ the web UI
"$LF" serve --port 0 >"$tmp/serve.out" 2>"$tmp/serve.err" &
srv=$!
port=""
for _ in $(seq 100); do
  port=$(sed -n 's#^lightfab serve: http://127\.0\.0\.1:\([0-9]*\)/.*#\1#p' "$tmp/serve.out")
  [ -n "$port" ] && break
  sleep 0.1
done
if [ -z "$port" ]; then
  bad "serve starts" "$(cat "$tmp/serve.err")"
else
  url="http://127.0.0.1:$port/?example=dgx-h100-4su&reliability=1"
  chrome --dump-dom --virtual-time-budget=10000 "$url" >"$ART/serve-h100-4su.dom.html"
  if grep -q 'data-state="done"' "$ART/serve-h100-4su.dom.html" &&
     grep -q 'data-key="switches" data-value="48"' "$ART/serve-h100-4su.dom.html"; then
    ok "web UI: example submitted, 48 switches rendered"
  else
    bad "web UI: example submitted" "state $(grep -o 'data-state="[a-z]*"' "$ART/serve-h100-4su.dom.html"); see $ART/serve-h100-4su.dom.html"
  fi
  check_dom "web UI shows the numbers of plan --json" "$ART/serve-h100-4su.dom.html" "$tmp/plan.json" rel
  if grep -q '<div class="lf-report" data-name="dgx-h100-superpod-4su">' "$ART/serve-h100-4su.dom.html"; then
    ok "web UI: the results are those of the example loaded into the editor"
  else
    bad "web UI: results of the example" "no report for dgx-h100-superpod-4su"
  fi
  chrome --screenshot="$ART/serve-h100-4su.png" --window-size=1280,2000 \
    --virtual-time-budget=10000 "$url" >/dev/null
  if [ -s "$ART/serve-h100-4su.png" ]; then ok "web UI screenshot: $ART/serve-h100-4su.png"
  else bad "web UI screenshot" "no file"; fi

  # a spec with an error: the message, line and column show next to the editor
  badspec=$(sed 's/oversubscription: 1:1/oversubscription: 0.5/' examples/dgx-h100-4su.yaml)
  enc=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.stdin.read(), safe=""))' <<<"$badspec")
  chrome --dump-dom --virtual-time-budget=10000 "http://127.0.0.1:$port/#spec=$enc" >"$tmp/err.dom"
  cli=$("$LF" plan /dev/stdin <<<"$badspec" 2>&1 >/dev/null)
  line=$(sed -n 's#^lightfab: /dev/stdin:\([0-9]*\):\([0-9]*\):.*#\1#p' <<<"$cli")
  col=$(sed -n 's#^lightfab: /dev/stdin:\([0-9]*\):\([0-9]*\):.*#\2#p' <<<"$cli")
  if grep -q 'data-state="error"' "$tmp/err.dom" &&
     grep -q "<div id=\"error\" role=\"alert\" data-line=\"$line\" data-column=\"$col\">line $line, column $col: [^<]*oversubscription" "$tmp/err.dom"; then
    ok "web UI: a spec error shows at line $line, column $col next to the editor"
  else
    bad "web UI: spec error shown" "cli says $line:$col; page: $(grep -o '<div id="error"[^<]*' "$tmp/err.dom")"
  fi
  chrome --screenshot="$ART/serve-error.png" --window-size=1280,900 \
    --virtual-time-budget=10000 "http://127.0.0.1:$port/#spec=$enc" >/dev/null
  kill -TERM "$srv"; wait "$srv"; rc=$?; srv=""
  if [ $rc -eq 0 ] && ! grep -q Sanitizer "$tmp/serve.err"; then ok "server stops cleanly after the browser"
  else bad "server stops cleanly" "status $rc $(grep -m2 -A5 Sanitizer "$tmp/serve.err")"; fi
fi

# ------------------------------------------------------------------ report.html
if "$LF" report --reliability -o "$ART/report-h100-4su.html" examples/dgx-h100-4su.yaml 2>"$tmp/rep.err"; then
  ok "lightfab report writes $ART/report-h100-4su.html"
else
  bad "lightfab report" "$(cat "$tmp/rep.err")"
fi
page="file://$PWD/$ART/report-h100-4su.html"
chrome --dump-dom --virtual-time-budget=3000 "$page" >"$tmp/report.dom"
check_dom "report.html in Chromium shows the numbers of plan --json" "$tmp/report.dom" "$tmp/plan.json" rel
chrome --screenshot="$ART/report-h100-4su.png" --window-size=1280,2000 "$page" >/dev/null
if [ -s "$ART/report-h100-4su.png" ]; then ok "report screenshot: $ART/report-h100-4su.png"
else bad "report screenshot" "no file"; fi
chrome --print-to-pdf="$ART/report-h100-4su.pdf" --no-pdf-header-footer "$page" >/dev/null
if [ "$(head -c 5 "$ART/report-h100-4su.pdf" 2>/dev/null)" = "%PDF-" ]; then ok "report prints to PDF: $ART/report-h100-4su.pdf"
else bad "report prints to PDF" "no PDF"; fi

# ------------------------------------------------- report.html with a sweep
# the Simulation section: Chromium's DOM has one polyline per collective
# entry with one point per sweep size, the dashed bound, and table rows
# equal to `lightfab sim --json` (a separate run: the engine is deterministic)
wl=examples/workload-allreduce-sweep.yaml
"$LF" sim --quiet --json examples/dgx-h100-4su.yaml "$wl" >"$tmp/sim.json" 2>"$tmp/sim.err" ||
  bad "sim --json" "$(cat "$tmp/sim.err")"
if "$LF" report --no-topology --workload "$wl" -o "$ART/report-sweep.html" examples/dgx-h100-4su.yaml 2>"$tmp/rep2.err"; then
  ok "lightfab report --workload writes $ART/report-sweep.html"
else
  bad "lightfab report --workload" "$(cat "$tmp/rep2.err")"
fi
page="file://$PWD/$ART/report-sweep.html"
chrome --dump-dom --virtual-time-budget=3000 "$page" >"$ART/report-sweep.dom.html"
why=$(python3 - "$ART/report-sweep.dom.html" "$tmp/sim.json" 2>&1 <<'EOF2'
import html.parser, json, sys
dom, j = open(sys.argv[1]).read(), json.load(open(sys.argv[2]))
class P(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(); self.lines = []; self.bounds = []; self.rows = []; self.sec = False
    def handle_starttag(self, tag, a):
        a = dict(a)
        if tag == "section" and a.get("id") == "simulation": self.sec = True
        if tag == "polyline" and "series" in (a.get("class") or ""):
            self.lines.append((int(a["data-points"]), len(a["points"].split())))
        if tag == "line" and a.get("class") == "bound": self.bounds.append(float(a["data-value"]))
        if tag == "tr" and "data-busbw" in a:
            self.rows.append([float(a[k]) for k in ("data-size", "data-time-us", "data-algbw", "data-busbw")])
p = P(); p.feed(dom)
errs = []
if not p.sec: errs.append("no #simulation section")
sizes = [c["size_bytes"] for c in j["collectives"]]
if p.lines != [(len(sizes), len(sizes))]:
    errs.append("polylines %s, want one of %d points" % (p.lines, len(sizes)))
if not any(abs(b - 384) < 1e-6 for b in p.bounds):
    errs.append("no 384 GB/s bound (8 x 400G x 0.96): %s" % p.bounds)
want = [[c["size_bytes"], c["time_us"], c["algbw_gbs"], c["busbw_gbs"]] for c in j["collectives"]]
if len(p.rows) != len(want):
    errs.append("%d table rows, sim --json has %d" % (len(p.rows), len(want)))
for g, w in zip(p.rows, want):
    if any(abs(a - b) > 1e-9 * max(1, abs(b)) for a, b in zip(g, w)):
        errs.append("row %s vs sim --json %s" % (g, w)); break
print("; ".join(errs))
EOF2
) || why="the checker failed: $why"
if [ -z "$why" ]; then ok "report --workload in Chromium: one polyline of $(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["collectives"]))' "$tmp/sim.json") points, 384 GB/s bound, rows equal sim --json"
else bad "report --workload in Chromium" "$why"; fi
chrome --screenshot="$ART/report-sweep.png" --window-size=1280,1600 "$page" >/dev/null
if [ -s "$ART/report-sweep.png" ]; then ok "report --workload screenshot: $ART/report-sweep.png"
else bad "report --workload screenshot" "no file"; fi

# ------------------------------------------- report.html with a break-even sweep
sc=examples/supply-dual-track.yaml
"$LF" source --json --sweep-capacity cw-sipho=1500..4000 --steps 6 "$sc" >"$tmp/be.json" 2>"$tmp/be.err" ||
  bad "source --sweep-capacity --json" "$(cat "$tmp/be.err")"
if "$LF" report --no-topology --supply "$sc" --sweep-capacity cw-sipho=1500..4000 --steps 6 \
     -o "$ART/report-breakeven.html" examples/b300-dual-1.6t.yaml 2>"$tmp/rep3.err"; then
  ok "lightfab report --supply --sweep-capacity writes $ART/report-breakeven.html"
else
  bad "lightfab report --supply --sweep-capacity" "$(cat "$tmp/rep3.err")"
fi
page="file://$PWD/$ART/report-breakeven.html"
chrome --dump-dom --virtual-time-budget=3000 "$page" >"$ART/report-breakeven.dom.html"
why=$(python3 - "$ART/report-breakeven.dom.html" "$tmp/be.json" 2>&1 <<'EOF3'
import html.parser, json, sys
dom, j = open(sys.argv[1]).read(), json.load(open(sys.argv[2]))
class P(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(); self.sec = False; self.lines = []; self.flips = []; self.cells = []
        self.rows = []; self.cur = None; self.td = None; self.items = []
    def handle_starttag(self, tag, a):
        a = dict(a)
        if a.get("id") == "breakeven": self.sec = True
        if not self.sec: return
        if tag == "polyline" and "series" in (a.get("class") or ""):
            self.lines.append((int(a["data-points"]), len(a["points"].split())))
        if tag == "line" and a.get("class") == "flip": self.flips.append(float(a["data-x"]))
        if tag == "rect" and a.get("class") == "choice": self.cells.append((float(a["data-x"]), a["data-class"]))
        if tag == "tr" and "data-capacity" in a:
            self.cur = {"capacity": float(a["data-capacity"]), "objective_usd": float(a["data-objective"]),
                        "mip_gap": float(a["data-gap"]), "choices": {}}
            self.rows.append(self.cur)
        if tag == "td" and self.cur is not None and "data-stage" in a: self.td = a["data-stage"]
        if tag == "li" and "data-capacity" in a:
            self.items.append((a["data-stage"], a["data-to"], float(a["data-capacity"])))
    def handle_data(self, d):
        if self.td: self.cur["choices"][self.td] = d; self.td = None
p = P(); p.feed(dom)
errs = []
pts = j["points"]
if not p.sec: errs.append("no #breakeven")
if p.lines != [(len(pts), len(pts))]: errs.append("polylines %s, want one of %d points" % (p.lines, len(pts)))
want_flips = [(f["stage"], f["to"], f["capacity"]) for f in j["flip_points"]]
if want_flips != [("stage-1", "1.6t", 2500.0)]: errs.append("JSON flips %s" % want_flips)
if sorted(p.flips) != sorted(f[2] for f in want_flips): errs.append("flip lines %s vs %s" % (p.flips, want_flips))
if p.items != want_flips: errs.append("flips listed %s vs %s" % (p.items, want_flips))
for f in j["flip_points"]:
    be = "{:,.0f}".format(f["first_new"])
    if not f["exact"] or "\u2265 %s lasers" % be not in dom: errs.append("break-even %s not listed" % be)
stages = list(pts[0]["choices"])
want_cells = [(q["capacity"], q["choices"][s]) for s in stages for q in pts]
if p.cells != want_cells: errs.append("band cells %s vs %s" % (p.cells, want_cells))
if len(p.rows) != len(pts): errs.append("%d rows vs %d points" % (len(p.rows), len(pts)))
for g, w in zip(p.rows, pts):
    if (abs(g["capacity"] - w["capacity"]) > 1e-9 or abs(g["objective_usd"] - w["objective_usd"]) > 0.006
        or g["mip_gap"] != w["mip_gap"] or g["choices"] != w["choices"]):
        errs.append("row %s vs source --json %s" % (g, w)); break
print("; ".join(errs))
EOF3
) || why="the checker failed: $why"
if [ -z "$why" ]; then ok "report break-even in Chromium: $(python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); print(len(j["points"]), "points,", j["flips"])' "$tmp/be.json"), chart and table equal source --json"
else bad "report break-even in Chromium" "$why"; fi
chrome --screenshot="$ART/report-breakeven.png" --window-size=1280,3000 "$page" >/dev/null
if [ -s "$ART/report-breakeven.png" ]; then ok "report break-even screenshot: $ART/report-breakeven.png"
else bad "report break-even screenshot" "no file"; fi

echo "browser: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
