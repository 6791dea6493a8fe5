#!/usr/bin/env bash
# End-to-end checks of the lightfab command line; run by tests/run.sh (which
# reads the closing "cli: N passed, M failed" line).  Every check prints
# "ok <name>" or "FAIL <name>: why".  Exit status 0 when nothing failed.
#
#   tests/cli.sh                      uses build/asan/lightfab
#   LIGHTFAB=build/lightfab tests/cli.sh
#
# Covers: help and usage errors (exit 0 / 2), `plan` on the DGX H100
# SuperPOD examples in every format (table, JSON, CSV, DOT agree on the same
# numbers, and match the published figures of
# ../shared/validation/dgx-h100-superpod.md), -o (atomic: a failing run leaves
# neither the file nor a *.tmp.* behind and keeps an existing file intact),
# bad spec (exit 1, file:line:col), I/O errors (exit 3).
set -u
cd "$(dirname "$0")/.."
LF=${LIGHTFAB:-build/asan/lightfab}
pass=0 fail=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

ok() { echo "ok   $1"; pass=$((pass + 1)); }
bad() { echo "FAIL $1: $2"; fail=$((fail + 1)); }

# run ARGS...: runs lightfab, stdout -> $tmp/out, stderr -> $tmp/err, status -> $rc
run() {
  "$LF" "$@" >"$tmp/out" 2>"$tmp/err"
  rc=$?
}

# expect NAME STATUS [TEXT [STREAM]]: the last run exited STATUS and its
# STREAM (out or err, default out) contains TEXT
expect() {
  local name=$1 want=$2 text=${3-} stream=${4:-out}
  if [ "$rc" -ne "$want" ]; then
    bad "$name" "exit status $rc, expected $want ($(head -c 300 "$tmp/err"))"
  elif [ -n "$text" ] && ! grep -qF -- "$text" "$tmp/$stream"; then
    bad "$name" "std$stream lacks \"$text\""
  else
    ok "$name"
  fi
}

# verdict NAME: ok when $out (a check's output) is "ok", else bad with it
verdict() {
  if [ "$out" = ok ]; then ok "$1"; else bad "$1" "$out"; fi
}

# json_check NAME CODE: python CODE asserts on j, the last run's stdout as
# JSON
json_check() {
  out=$(python3 -c "import json,sys; j=json.load(sys.stdin); $2; print('ok')" <"$tmp/out" 2>&1)
  verdict "$1"
}

# no_leftovers NAME DIR BASENAME: neither DIR/BASENAME nor DIR/BASENAME.tmp.* exist
no_leftovers() {
  local name=$1 dir=$2 base=$3 left
  left=$(cd "$dir" && ls -d "$base" "$base".tmp.* .*.tmp.* 2>/dev/null)
  if [ -n "$left" ]; then bad "$name" "left behind: $left"; else ok "$name"; fi
}

if [ ! -x "$LF" ]; then
  echo "FAIL setup: $LF not built (make test builds it)"
  echo "cli: 0 passed, 1 failed"
  exit 1
fi

# ------------------------------------------------------------ help and usage
run --help
expect "--help exits 0 with an example" 0 "lightfab plan examples/"
run -h
expect "-h exits 0" 0 "usage: lightfab"
run help plan
expect "help plan exits 0 with an example" 0 "lightfab plan --json -o plan.json examples/"
run plan --help
expect "plan --help exits 0 with an example" 0 "lightfab plan --json -o plan.json examples/"
run plan -h
expect "plan -h exits 0" 0 "usage: lightfab plan"
run --version
expect "--version exits 0" 0 "lightfab "
run
expect "no arguments exits 2 with usage on stderr" 2 "usage:" err
run frobnicate examples/dgx-h100-1su.yaml
expect "unknown verb exits 2" 2 "unknown verb" err
run plna examples/dgx-h100-1su.yaml
expect "a misspelt verb gets a did-you-mean (the verb table)" 2 'unknown verb "plna" (did you mean "plan"?)' err
run serve --catalog tests/bad/catalog/unknown-section.yaml
expect "serve with a bad catalog exits 1 like every verb, with file:line:col" 1 "unknown-section.yaml:1:1: unknown key" err
run plan --bogus examples/dgx-h100-1su.yaml
expect "unknown plan option exits 2" 2 "--bogus" err
run plan -z examples/dgx-h100-1su.yaml
expect "unknown short option exits 2" 2 "" err
run plan
expect "plan without a spec exits 2" 2 "expected one SPEC.yaml" err
run plan examples/dgx-h100-1su.yaml examples/dgx-h100-4su.yaml
expect "plan with two specs exits 2" 2 "expected one SPEC.yaml" err
run plan -o
expect "-o without a value exits 2" 2 "" err

# --------------------------------------- plan: every format, same numbers
# check_formats NAME SPEC EXPECTED-JSON: runs table/json/csv/dot and hands
# them to the Python checker, which prints ok/FAIL lines of its own.
check_formats() {
  local name=$1 spec=$2 expected=$3 f fmt_ok=1
  for f in table json csv dot; do
    "$LF" plan --$f "$spec" >"$tmp/$name.$f" 2>"$tmp/$name.$f.err"
    rc=$?
    if [ $rc -ne 0 ]; then
      bad "$name: plan --$f" "exit status $rc: $(head -c 300 "$tmp/$name.$f.err")"
      fmt_ok=0
    elif [ -s "$tmp/$name.$f.err" ]; then
      bad "$name: plan --$f" "wrote to stderr: $(head -c 300 "$tmp/$name.$f.err")"
      fmt_ok=0
    else
      ok "$name: plan --$f exits 0"
    fi
  done
  [ $fmt_ok -eq 1 ] || return
  if command -v dot >/dev/null 2>&1; then
    if dot -Tsvg "$tmp/$name.dot" >/dev/null 2>"$tmp/dot.err"; then
      ok "$name: graphviz dot accepts the DOT output"
    else
      bad "$name: graphviz dot accepts the DOT output" "$(head -c 300 "$tmp/dot.err")"
    fi
  fi
  local out
  out=$(python3 - "$tmp/$name" "$expected" "$name" <<'PY'
import csv, json, re, sys
base, expected, name = sys.argv[1], json.loads(sys.argv[2]), sys.argv[3]
def say(ok, what, why=""):
    print(("ok   %s: %s" % (name, what)) if ok else ("FAIL %s: %s: %s" % (name, what, why)))
def same(what, got, want):
    say(got == want, what, "got %r, expected %r" % (got, want))
num = lambda s: int(s.replace(",", ""))

try:
    j = json.load(open(base + ".json"))
    say(True, "JSON parses")
except Exception as e:
    say(False, "JSON parses", e)
    sys.exit(0)
table = open(base + ".table").read()
rows = list(csv.DictReader(open(base + ".csv", newline="")))
dot = open(base + ".dot").read()

# contract fields (docs/design.md, output contract)
missing = [k for k in ("name", "gpus", "servers", "tiers", "links_total", "cables_total",
                       "fibres_total", "transceivers", "cables", "power_w", "capex_usd")
           if k not in j]
say(not missing, "JSON has the contract fields", "missing %s" % missing)

# published figures
tiers = {(t["name"], t["plane"]): t for t in j["tiers"]}
for key, want in expected.items():
    if key.startswith("tier:"):          # tier:<name>:<field>
        _, tname, field = key.split(":")
        got = tiers.get((tname, 0), {}).get(field)
    else:
        got = j.get(key)
    same("published %s" % key, got, want)

# table vs JSON: the tier rows
trows = {}
for m in re.finditer(r"^\s+(\S+)\s+(\d+)\s+(\S+)\s+([\d,]+)\s+([\d,]+)\s+([\d,]+)\s+(\S+)\s+(\d+)/(\d+)\s",
                     table, re.M):
    trows[(m.group(1), int(m.group(2)))] = m
same("table has a row per JSON tier", sorted(trows), sorted(tiers))
for k, t in tiers.items():
    m = trows.get(k)
    if not m:
        continue
    got = (m.group(3), num(m.group(4)), num(m.group(5)), num(m.group(6)),
           int(m.group(8)), int(m.group(9)))
    want = (t["switch_model"], t["switches"], t["links_down"], t["links_up"],
            t["ports_down"], t["ports_up"])
    same("table = JSON for tier %s plane %d (model, switches, down, up, ports)" % k, got, want)

# table vs JSON: totals line
m = re.search(r"links ([\d,]+)\s+cables ([\d,]+)\s+fibres ([\d,]+)\s+modules ([\d,]+) "
              r"\(switch end ([\d,]+), server end ([\d,]+)\)", table)
say(m is not None, "table has the totals line", "no 'links .. cables .. fibres .. modules' line")
if m:
    same("table totals = JSON (links, cables, fibres, modules, switch end, server end)",
         tuple(num(x) for x in m.groups()),
         (j["links_total"], j["cables_total"], j["fibres_total"],
          sum(t["count"] for t in j["transceivers"]),
          sum(t["count"] for t in j["transceivers"] if t["end"] == "switch"),
          sum(t["count"] for t in j["transceivers"] if t["end"] == "server")))
m = re.search(r"capex\s+\$([\d,]+)", table)
if m:
    same("table capex = JSON capex_usd (rounded)", num(m.group(1)), round(j["capex_usd"]))

# links per tier add up
same("links_total = sum of tier links_down", j["links_total"],
     sum(t["links_down"] for t in j["tiers"]))
up = sum(t["links_up"] for t in j["tiers"])
down_above_leaf = sum(t["links_down"] for t in j["tiers"] if t["tier"] > 1)
same("links up from each tier = links down into the next", up, down_above_leaf)

# CSV vs JSON
total = [r for r in rows if r["scope"] == "total"]
say(bool(total), "CSV has scope=total rows", "none")
csv_tx = sorted((r["sku"], r["end"], int(r["count"])) for r in total if r["category"] == "transceiver")
js_tx = sorted((t["sku"], t["end"], t["count"]) for t in j["transceivers"])
same("CSV transceiver counts = JSON transceivers", csv_tx, js_tx)
csv_sw = sum(int(r["count"]) for r in total if r["category"] == "switch")
same("CSV switch count = JSON switches per tier", csv_sw, sum(t["switches"] for t in j["tiers"]))
csv_cab = sorted((r["sku"], int(r["count"])) for r in total if r["category"] in ("cable", "fibre"))
js_cab = sorted((c["sku"], c["count"]) for c in j["cables"])
same("CSV cables and fibres = JSON cables", csv_cab, js_cab)
capex = sum(float(r["price_usd"]) for r in total)
say(abs(capex - j["capex_usd"]) < 0.5, "CSV price_usd sums to JSON capex_usd",
    "%.2f vs %.2f" % (capex, j["capex_usd"]))
ptyp = sum(float(r["power_typ_w"]) for r in total)
say(abs(ptyp - j["power_w"]["typ"]) < 0.5, "CSV power_typ_w sums to JSON power_w.typ",
    "%.2f vs %.2f" % (ptyp, j["power_w"]["typ"]))
for r in total:
    p = int(r["count"]) * float(r["unit_price_usd"])
    if abs(p - float(r["price_usd"])) > 0.5:
        say(False, "CSV price_usd = count x unit price", "%s: %s" % (r["sku"], r))
        break
else:
    say(True, "CSV price_usd = count x unit price")

# DOT vs JSON: edge labels "<links> x <speed>" and node labels "<n> x <model>"
edges = re.findall(r'->[^\[]*\[[^\]]*?label="(\d+) x [\d.]+[GT]"', dot, re.S)
same("DOT edge labels sum to links_total", sum(map(int, edges)), j["links_total"])
models = {t["switch_model"] for t in j["tiers"]}
nodes = re.findall(r'label="[^"]*?\n?(\d+) x ([\w.-]+)"', dot)
sw = sum(int(n) for n, mdl in nodes if mdl in models)
same("DOT switch node labels sum to the switches", sw, sum(t["switches"] for t in j["tiers"]))
PY
)
  printf '%s\n' "$out"
  pass=$((pass + $(grep -c '^ok ' <<<"$out")))
  fail=$((fail + $(grep -c '^FAIL ' <<<"$out")))
  grep -q . <<<"$out" || bad "$name: cross-format checks" "the checker printed nothing"
}

# Published DGX H100 SuperPOD figures (../shared/validation/dgx-h100-superpod.md)
check_formats 4su examples/dgx-h100-4su.yaml '{
  "tier:leaf:switches": 32, "tier:spine:switches": 16,
  "tier:leaf:links_down": 1024, "tier:spine:links_down": 1024,
  "tier:leaf:ports_down": 32, "tier:leaf:ports_up": 32, "tier:spine:ports_down": 64,
  "links_total": 2048, "modules_switch_end": 1536, "modules_server_end": 512,
  "gpus": 1016, "servers": 127}'
check_formats 1su examples/dgx-h100-1su.yaml '{
  "tier:leaf:switches": 8, "tier:spine:switches": 4,
  "tier:leaf:links_down": 256, "tier:spine:links_down": 256,
  "tier:leaf:ports_down": 32, "tier:leaf:ports_up": 32, "tier:spine:ports_down": 64,
  "links_total": 512, "modules_switch_end": 384, "modules_server_end": 128,
  "gpus": 256, "servers": 32}'

# ------------------------------------------------------------------ -o FILE
d="$tmp/o"
mkdir -p "$d"
run plan examples/dgx-h100-4su.yaml --json -o "$d/plan.json"
expect "-o exits 0 and prints nothing" 0
if [ -s "$tmp/out" ]; then bad "-o leaves stdout empty" "stdout: $(head -c 200 "$tmp/out")"
else ok "-o leaves stdout empty"; fi
if [ -f "$d/plan.json" ] && cmp -s "$d/plan.json" "$tmp/4su.json"; then
  ok "-o writes the same JSON as stdout"
else
  bad "-o writes the same JSON as stdout" "$d/plan.json missing or different"
fi
run plan --output "$d/plan.txt" examples/dgx-h100-4su.yaml
if [ "$rc" -eq 0 ] && cmp -s "$d/plan.txt" "$tmp/4su.table"; then ok "--output writes the table"
else bad "--output writes the table" "exit status $rc, or file differs from stdout"; fi
if ls "$d"/*.tmp.* "$d"/.*.tmp.* >/dev/null 2>&1; then
  bad "-o leaves no temporary file after success" "$(ls -a "$d")"
else ok "-o leaves no temporary file after success"; fi

# a failing run: missing spec
run plan --json -o "$d/missing.json" "$tmp/no-such-spec.yaml"
expect "missing spec exits 3" 3 "no-such-spec.yaml" err
no_leftovers "missing spec leaves no output and no *.tmp.*" "$d" missing.json

# a failing run: a spec with an error (exit 1, file:line:col)
cat >"$tmp/bad.yaml" <<'EOF'
name: bad-oversubscription
cluster:
  server: dgx-h100
  servers: 32
fabric:
  kind: rail-optimized
  tiers:
    - {name: leaf, switch: qm9700, oversubscription: 0.5}
    - {name: spine, switch: qm9700}
EOF
run plan --json -o "$d/bad.json" "$tmp/bad.yaml"
expect "spec error exits 1" 1 "bad.yaml:8:" err
no_leftovers "spec error leaves no output and no *.tmp.*" "$d" bad.json
cat >"$tmp/bad2.yaml" <<'EOF'
name: bad-switch
cluster: {server: dgx-h100, servers: 32}
fabric:
  kind: rail-optimized
  tiers:
    - {name: leaf, switch: no-such-switch}
EOF
run plan --csv -o "$d/bad2.csv" "$tmp/bad2.yaml"
expect "unknown switch exits 1 and names it" 1 "no-such-switch" err
no_leftovers "unknown switch leaves no output and no *.tmp.*" "$d" bad2.csv

# a failing run does not touch an existing output file
echo "previous contents" >"$d/keep.json"
run plan --json -o "$d/keep.json" "$tmp/bad.yaml"
if [ "$rc" -eq 1 ] && [ "$(cat "$d/keep.json")" = "previous contents" ]; then
  ok "failing run keeps an existing -o file intact"
else
  bad "failing run keeps an existing -o file intact" "exit $rc, file: $(head -c 100 "$d/keep.json")"
fi
if ls "$d"/keep.json.tmp.* "$d"/.keep.json.tmp.* >/dev/null 2>&1; then
  bad "failing run over an existing file leaves no *.tmp.*" "$(ls -a "$d")"
else ok "failing run over an existing file leaves no *.tmp.*"; fi

# -o into a directory that does not exist: I/O error, exit 3, with a message
run plan --json -o "$tmp/no/such/dir/plan.json" examples/dgx-h100-1su.yaml
expect "-o into a missing directory exits 3 with a message" 3 "$tmp/no/such/dir/plan.json" err
if [ -e "$tmp/no" ]; then bad "-o into a missing directory creates nothing" "$tmp/no exists"
else ok "-o into a missing directory creates nothing"; fi

# -o onto a directory: cannot replace it, exit 3, directory untouched
mkdir -p "$d/adir"
run plan --json -o "$d/adir" examples/dgx-h100-1su.yaml
if [ "$rc" -eq 3 ] && [ -d "$d/adir" ] && [ -s "$tmp/err" ]; then
  ok "-o onto a directory exits 3 and keeps the directory"
else
  bad "-o onto a directory exits 3 and keeps the directory" "exit $rc"
fi
if ls "$d"/adir.tmp.* "$d"/.adir.tmp.* >/dev/null 2>&1; then
  bad "-o onto a directory leaves no *.tmp.*" "$(ls -a "$d")"
else ok "-o onto a directory leaves no *.tmp.*"; fi

# ------------------------------------------------------------------- sim
# `lightfab sim SPEC WORKLOAD`: help, a tiny run in every format, JSON that
# parses and agrees with itself, bad workloads with file:line:col.
run sim --help
expect "sim --help exits 0 with an example" 0 "lightfab sim examples/dgx-h100-4su.yaml examples/workload-allreduce-sweep.yaml"
for opt in --routing --seed --failed-links --gpus --threads --json --csv --output --quiet --fct; do
  if grep -qF -- "$opt" "$tmp/out"; then ok "sim --help explains $opt"
  else bad "sim --help explains $opt" "missing"; fi
done
run help sim
expect "help sim exits 0" 0 "usage: lightfab sim"
run --help
expect "--help lists sim" 0 "  sim "
run sim examples/dgx-h100-1su.yaml
expect "sim without a workload exits 2" 2 "expected SPEC.yaml and WORKLOAD.yaml" err
run sim --routing ecmq examples/dgx-h100-1su.yaml examples/workload-allreduce-sweep.yaml
expect "sim --routing checks its value (exit 2)" 2 "ecmp, spray, adaptive, ftree or default" err
# NCCL's algorithms: unknown names list the valid ones; what the hardware
# cannot run names the part and why, at the collective's position
printf 'collectives:\n  - {type: all-reduce, algorithm: nvlstree, bytes: 1GiB}\n' >"$tmp/wa.yaml"
run sim examples/dgx-h100-1su.yaml "$tmp/wa.yaml"
expect "sim: an unknown algorithm lists the valid ones" 1 "wa.yaml:2:35: collective algorithm must be one of auto, ring, tree, hierarchical, direct, pairwise, nvls, nvls-tree, collnet-direct, collnet-chain, pat" err
printf 'sim: {protocol: LL64}\ncollectives:\n  - {type: all-reduce, bytes: 1GiB}\n' >"$tmp/wa.yaml"
run sim examples/dgx-h100-1su.yaml "$tmp/wa.yaml"
expect "sim: an unknown protocol lists the valid ones" 1 "wa.yaml:1:17: sim protocol must be one of auto, LL, LL128, Simple" err
printf 'job: {gpus: 16}\ncollectives:\n  - {type: all-reduce, algorithm: nvls, bytes: 1GiB}\n' >"$tmp/wa.yaml"
run sim examples/dgx-h100-1su.yaml "$tmp/wa.yaml"
expect "sim: NVLS across nodes without SHARP is refused at the entry" 1 "wa.yaml:3:5: algorithm nvls does not run all-reduce over these 16 ranks (2 nodes of 8 ranks; NVLS across nodes needs SHARP" err
printf 'collectives:\n  - {type: all-reduce, algorithm: collnet-direct, bytes: 1GiB}\n' >"$tmp/wa.yaml"
run sim examples/dgx-h100-1su.yaml "$tmp/wa.yaml"
expect "sim: CollNet without sharp: true says how to enable it" 1 "wa.yaml:2:5: algorithm collnet-direct uses SHARP: enable it with \`sharp: true\`" err
printf 'job: {gpus: 16}\nsim: {sharp: true}\ncollectives:\n  - {type: all-reduce, bytes: 1GiB}\n' >"$tmp/wa.yaml"
run sim examples/dgx-h100-1su.yaml "$tmp/wa.yaml"
expect "sim: sharp on QM9700 runs (SHARP switch)" 0 "busbw"
# a training step that needs more memory than the GPU has: said, with what
# would help, and still simulated (exit 0); 70B at TP 8, micro-batch 2 of
# 8,192 tokens, no recomputation: 112 GiB of activations
printf 'job: {gpus: 32}\ntraining:\n  model: {layers: 80, hidden: 8192, heads: 64, kv_heads: 8, ffn_hidden: 28672, mlp: swiglu, vocab: 128256, seq_len: 8192, global_batch: 256, micro_batch: 2}\n  parallel: {tp: 8}\n  optimizer: {zero: 1}\n' >"$tmp/wm.yaml"
run sim examples/dgx-h100-4su.yaml "$tmp/wm.yaml"
expect "sim: a step over the GPU's memory says so" 0 "# DOES NOT FIT: 171 GiB needed of the GPU's 80 GiB"
expect "sim: ... and what would help" 0 "recompute (recompute_modules, full), offload_layers, more tp or pp, or a smaller micro_batch"
printf 'job: {gpus: 32}\ntraining:\n  model: {layers: 80, hidden: 8192, heads: 64, kv_heads: 8, ffn_hidden: 28672, mlp: swiglu, vocab: 128256, seq_len: 8192, global_batch: 256, micro_batch: 2}\n  parallel: {tp: 8}\n  compute: {recompute: full}\n  optimizer: {zero: 2}\n' >"$tmp/wm.yaml"
run sim examples/dgx-h100-4su.yaml "$tmp/wm.yaml"
expect "sim: with full recomputation and ZeRO-2 it fits" 0 "# fits: 85% of the GPU's 80 GiB"
# a pipeline layout whose chunks do not match pp x virtual_stages: exit 1 at
# the layout's position, nothing printed on stdout
printf 'job: {gpus: 16}\ntraining:\n  model: {layers: 8, hidden: 1024, seq_len: 1024, global_batch: 64}\n  parallel: {pp: 2, virtual_stages: 2,\n             layout: "Ett|(tt|)*3,ttL"}\n' >"$tmp/wl.yaml"
run sim examples/dgx-h100-1su.yaml "$tmp/wl.yaml"
expect "sim: a layout with the wrong chunk count is refused at its position" 1 "wl.yaml:5:22: parallel layout has 5 chunks, but pp x virtual_stages = 2 x 2 = 4" err
printf 'collectives:\n  - {type: all-gather, algorithm: pat, bytes: 1GiB}\n' >"$tmp/wa.yaml"
run sim examples/dgx-h100-1su.yaml "$tmp/wa.yaml"
expect "sim: PAT with 8 GPUs per node is refused" 1 "PAT needs one GPU per node" err
printf 'job: {gpus: 64}\nsim: {chunk: 4MiB}\ncollectives:\n  - {type: all-reduce, bytes: 1GiB}\n' >"$tmp/wa.yaml"
run sim examples/dgx-h100-1su.yaml "$tmp/wa.yaml"
expect "sim: a chunk the algorithm does not use is noted" 0 "# note: chunk is not used by nvls-tree"
run sim --json examples/dgx-h100-1su.yaml "$tmp/wa.yaml"
expect "sim --json: algorithm and protocol per row" 0 '"protocol": "Simple"'
cat >"$tmp/wl.yaml" <<'YAML'
name: tiny
job: {gpus: 64}
sim: {routing: spray, latency: 5us}
collectives:
  - {type: all-reduce, algorithm: ring, communicator: rail, sweep: {from: 1MiB, to: 4MiB}}
YAML
run sim examples/dgx-h100-1su.yaml "$tmp/wl.yaml"
expect "sim table has the nccl-tests columns" 0 "busbw"
rows=$(grep -c '^ *[0-9]' "$tmp/out")
if [ "$rows" -eq 3 ]; then ok "sim sweep 1..4 MiB gives 3 rows"; else bad "sim sweep 1..4 MiB gives 3 rows" "$rows rows"; fi
run sim --json -o "$d/sim.json" examples/dgx-h100-1su.yaml "$tmp/wl.yaml"
expect "sim --json -o exits 0" 0
out=$(python3 - "$d/sim.json" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
c = j["collectives"]
assert len(c) == 3, len(c)
assert j["job"]["gpus"] == 64 and j["sim"]["routing"] == "spray"
for r in c:
    assert r["communicator"] == "rail" and r["groups"] == 8 and r["ranks"] == 8, r
    want = r["algbw_gbs"] * 2 * 7 / 8
    assert abs(r["busbw_gbs"] - want) < 1e-6 * want, r
    # 8 servers per rail on 400G: busbw cannot beat the port's 50 GB/s
    assert 0 < r["busbw_gbs"] <= 50, r
print("ok")
PY
)
verdict "sim JSON parses: 3 sizes, rail groups, busbw = algbw x 2(n-1)/n"
run sim --csv examples/dgx-h100-1su.yaml "$tmp/wl.yaml"
expect "sim --csv has a header" 0 "type,algorithm,protocol,communicator,groups,ranks"
cat >"$tmp/step.yaml" <<'YAML'
job: {gpus: 64}
training:
  model: {layers: 32, hidden: 4096, heads: 32, vocab: 32000, seq_len: 4096, global_batch: 64}
  parallel: {tp: 8, pp: 2, sequence_parallel: true}
  compute: {recompute: selective}
  optimizer: {zero: 1}
YAML
run sim --failed-links 2 --seed 3 examples/dgx-h100-1su.yaml "$tmp/step.yaml"
expect "sim training step prints the step time" 0 "step time"
expect "sim training step prints tokens/s" 0 "tokens/s"
expect "sim training step prints MFU and HFU apart" 0 "HFU"
expect "sim training step breaks out the bubble" 0 "pipeline bubble"
run sim --json examples/dgx-h100-1su.yaml "$tmp/step.yaml"
json_check "sim training JSON: step = compute + exposed communication" 't=j["training"]; assert abs(t["step_s"] - t["pipeline_compute_s"] - t["comm_exposed_s"]) < 1e-9 * t["step_s"]; assert abs(t["pipeline_compute_s"] - t["compute_s"] - t["bubble_s"]) < 1e-9 * t["step_s"]; assert t["hfu"] >= t["mfu"] > 0; assert t["tokens_per_s"] > 0'
cat >"$tmp/badwl.yaml" <<'YAML'
collectives:
  - {type: all-reduce, bytes: 1GiB, comunicator: rail}
YAML
run sim --json -o "$d/badwl.json" examples/dgx-h100-1su.yaml "$tmp/badwl.yaml"
expect "bad workload exits 1 with file:line:col and did-you-mean" 1 "badwl.yaml:2:37: unknown key \"comunicator\" in collective (did you mean \"communicator\"?)" err
no_leftovers "bad workload leaves no output and no *.tmp.*" "$d" badwl.json
cat >"$tmp/badstep.yaml" <<'YAML'
training:
  model: {layers: 32, hidden: 4096, seq_len: 4096, global_batch: 64}
  parallel: {tp: 8, pp: 3}
YAML
run sim examples/dgx-h100-1su.yaml "$tmp/badstep.yaml"
expect "training that does not fit the job exits 1 at parallel" 1 "badstep.yaml:3:13: tp x cp x pp = 8 x 1 x 3 = 24 must divide" err
cat >"$tmp/badmoe.yaml" <<'YAML'
job: {gpus: 64}
training:
  model: {layers: 8, hidden: 2048, seq_len: 4096, global_batch: 64}
  moe: {experts: 60, top_k: 2}
  parallel: {tp: 1, ep: 8}
YAML
run sim --json -o "$d/badmoe.json" examples/dgx-h100-1su.yaml "$tmp/badmoe.yaml"
expect "experts not divisible by ep exits 1 at moe experts" 1 "badmoe.yaml:4:18: moe experts = 60 is not divisible by ep = 8" err
no_leftovers "a training error leaves no output and no *.tmp.*" "$d" badmoe.json
cat >"$tmp/moe.yaml" <<'YAML'
job: {gpus: 32}
training:
  model: {layers: 8, hidden: 2048, seq_len: 4096, global_batch: 64}
  moe: {experts: 16, top_k: 4, dispatcher: deepep}
  parallel: {ep: 16, ep_comm_overlap: true, dp_comm_overlap: false}
YAML
run sim examples/dgx-h100-1su.yaml "$tmp/moe.yaml"
# EP 16 over 2 DGX H100: a copy to each node a token reaches,
# 2 (1 - C(8, 4) / C(16, 4)) = 2 (1 - 70/1820) = 1.92
expect "an MoE step names its dispatcher and the copies a token" 0 "# moe: 16 experts, top-4, DeepEP dispatch: 1.92 copies a token, all-to-alls overlapped (combined 1F1B)"
expect "dp_comm_overlap false is said" 0 "dp traffic not overlapped"
run sim --json examples/dgx-h100-1su.yaml "$tmp/moe.yaml"
json_check "sim MoE JSON: dispatcher, overlaps, DP all exposed" 't=j["training"]; assert t["model"]["dispatcher"] == "deepep"; p = t["parallel"]; assert p["ep_comm_overlap"] and not p["dp_comm_overlap"]; assert abs(t["comm"]["dp"]["exposed_s"] - t["dp_s"]) < 1e-9 * t["step_s"]'
cat >"$tmp/badppo.yaml" <<'YAML'
job: {gpus: 64}
training:
  model: {layers: 8, hidden: 2048, seq_len: 4096, global_batch: 64}
  parallel: {tp: 8, pp: 2, virtual_stages: 2, pp_comm_overlap: sometimes}
YAML
run sim examples/dgx-h100-1su.yaml "$tmp/badppo.yaml"
expect "pp_comm_overlap not a boolean exits 1 at its value" 1 "badppo.yaml:4:64: parallel pp_comm_overlap must be one of false, true, no, yes, off, on, got \"sometimes\"" err
printf 'job: {gpus: 16, per_domain: 4}\ncollectives: [{type: all-reduce, bytes: 1MiB}]\n' >"$tmp/badpd.yaml"
run sim examples/dgx-h100-1su.yaml "$tmp/badpd.yaml"
expect "per_domain on single-server NVLink domains exits 1 at its value" 1 "badpd.yaml:1:29: job per_domain needs NVLink domains of several servers" err

# traffic: a CSV file next to the workload, --fct per flow, the summary
# table and JSON; a malformed row at file:line:col with nothing written
printf 'src,dst,bytes,start_us\n0,8,2MiB,0\n1,9,2MiB,0\n2,16,1MiB,10\n8,0,2MiB,0\n' >"$tmp/flows.csv"
printf 'sim: {routing: ecmp}\ntraffic: {file: flows.csv}\n' >"$tmp/traffic.yaml"
run sim --fct "$d/fct.csv" examples/dgx-h100-1su.yaml "$tmp/traffic.yaml"
expect "sim traffic prints the last flow" 0 "last flow finished"
expect "sim traffic prints FCT percentiles" 0 "flow completion time"
if [ "$(head -1 "$d/fct.csv")" = "src,dst,bytes,start_us,finish_us,fct_us,ideal_us,slowdown,path" ] &&
   [ "$(wc -l <"$d/fct.csv")" -eq 5 ] && grep -q '^2,16,1048576,10.0000,.*server 0>leaf' "$d/fct.csv"; then
  ok "sim --fct writes one row per flow with its path"
else bad "sim --fct writes one row per flow with its path" "$(head -3 "$d/fct.csv")"; fi
out=$(python3 - "$d/fct.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
for r in rows:
    fct = float(r["finish_us"]) - float(r["start_us"])
    assert abs(fct - float(r["fct_us"])) < 1e-3, r
    assert float(r["slowdown"]) >= 1 - 1e-6, r
print("ok")
PY
)
verdict "sim --fct rows: fct = finish - start, slowdown >= 1"
run sim --json --routing spray examples/dgx-h100-1su.yaml "$tmp/traffic.yaml"
json_check "sim traffic JSON: spray is labelled the fluid ideal, slowdown 1" 't=j["traffic"]; assert j["sim"]["fluid_ideal"] is True; assert t["flows"] == 4; assert t["fct_us"]["p50"] <= t["fct_us"]["p99"] <= t["fct_us"]["max"]; assert abs(t["slowdown"]["max"] - 1) < 1e-6'
printf 'src,dst,bytes\n0,8,2MiB\n1,9,-2\n' >"$tmp/flows.csv"
run sim --fct "$d/badfct.csv" -o "$d/badtraffic.txt" examples/dgx-h100-1su.yaml "$tmp/traffic.yaml"
expect "a malformed traffic row exits 1 at file:line:col" 1 "flows.csv:3:5: bytes must be a size > 0" err
no_leftovers "a malformed traffic file leaves no --fct file" "$d" badfct.csv
no_leftovers "a malformed traffic file leaves no -o file" "$d" badtraffic.txt
run sim --fct "$d/x.csv" examples/dgx-h100-1su.yaml "$tmp/wl.yaml"
expect "sim --fct on collectives exits 2" 2 "--fct writes the flows of a traffic: workload" err
printf 'collectives: [{type: send-recv, bytes: 64MiB}]\njob: {gpus: 16}\n' >"$tmp/sr.yaml"
run sim examples/dgx-h100-1su.yaml "$tmp/sr.yaml"
expect "sim runs send-recv" 0 "# send-recv, communicator all: 1 group(s) of 16 ranks"

# -o onto something that is not a regular file: written in place, never
# replaced by a rename (a FIFO stands in for /dev/null: the check must not
# break the machine's /dev/null if it fails)
mkfifo "$tmp/fifo"
timeout 20 cat "$tmp/fifo" >"$tmp/fifo.out" &   # bounded: a regression must not hang
run plan --json -o "$tmp/fifo" examples/dgx-h100-1su.yaml
wait
expect "-o a FIFO exits 0" 0
if [ -p "$tmp/fifo" ] && grep -q '"links_total": 512' "$tmp/fifo.out"; then
  ok "-o a FIFO writes through it and leaves it a FIFO"
else
  bad "-o a FIFO" "the FIFO was replaced or received nothing"
fi
run plan -o "$tmp" examples/dgx-h100-1su.yaml
expect "-o a directory exits 3" 3 "is a directory" err

# ---- compare and sweep from the command line (the library is tested in
# tests/test_sweep.c; here: exit codes, messages, and rows that equal plan)
run sweep examples/dgx-h100-1su.yaml --vary fabric.planez=1,2
expect "sweep with an unknown --vary path exits 1 with did-you-mean" 1 'fabric has no key "planez" (did you mean "planes"?)' err
# the spec's one key list (spec.c's schema): every key the parser takes can be varied
run sweep --csv examples/dgx-h100-4su-layout.yaml --vary fabric.dual_homed=false --vary layout.rack.units=42,48
expect "sweep varies fabric.dual_homed and layout.rack.units (keys of the spec's schema)" 0 "layout.rack.units" out
run sweep examples/dgx-h100-1su.yaml --vary layout.rack.unitz=42
expect "sweep: an unknown layout key has a did-you-mean" 1 'layout.rack has no key "unitz" (did you mean "units"?)' err
run sweep examples/dgx-h100-1su.yaml --vary fabric.planes=
expect "sweep with an empty --vary list exits 1" 1 "no values" err
run sweep --csv examples/dgx-h100-1su.yaml --vary cluster.servers=16,32 --vary 'fabric.tiers[0].oversubscription=1:1,3:1'
expect "sweep --csv exits 0" 0
if [ "$(wc -l <"$tmp/out")" -eq 5 ]; then ok "sweep: 4 points, 4 rows"; else bad "sweep rows" "$(wc -l <"$tmp/out") lines"; fi
cp "$tmp/out" "$tmp/sweep.csv"
sed 's/servers: 32/servers: 16/' examples/dgx-h100-1su.yaml >"$tmp/h16.yaml"
run plan --json "$tmp/h16.yaml"
links=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["links_total"])' "$tmp/out")
row=$(awk -F, 'NR > 1 && $3 == 16 && $4 == "1:1" {print $10}' "$tmp/sweep.csv")
if [ -n "$links" ] && [ "$row" = "$links" ]; then ok "sweep row equals plan --json of the same point ($links links)"
else bad "sweep row vs plan" "row $row, plan $links"; fi
run compare --json examples/dgx-h100-1su.yaml examples/dgx-h100-4su.yaml
expect "compare --json exits 0" 0
sw=$(python3 -c 'import json,sys; print(",".join(str(s["switches"]) for s in json.load(open(sys.argv[1]))["specs"]))' "$tmp/out")
if [ "$sw" = "12,48" ]; then ok "compare: 12 and 48 switches, as plan says"; else bad "compare switches" "$sw"; fi

# ---- hardening (issue 14): limits, output never destroys input, messages
# -o onto an input: exit 2, the input byte-identical (plan, report, sim,
# reliability --params, a hard link, a file of a --catalog directory)
cp examples/dgx-h100-1su.yaml "$tmp/in.yaml"
sum0=$(md5sum <"$tmp/in.yaml")
run plan --json -o "$tmp/in.yaml" "$tmp/in.yaml"
expect "plan -o onto its spec exits 2" 2 "refusing to overwrite an input" err
run report -o "$tmp/in.yaml" "$tmp/in.yaml"
expect "report -o onto its spec exits 2" 2 "refusing to overwrite an input" err
ln "$tmp/in.yaml" "$tmp/link.yaml"
run plan -o "$tmp/link.yaml" "$tmp/in.yaml"
expect "plan -o onto a hard link of its spec exits 2" 2 "is the input" err
cp examples/workload-allreduce-sweep.yaml "$tmp/wl.yaml"
wsum0=$(md5sum <"$tmp/wl.yaml")
run sim -o "$tmp/wl.yaml" examples/dgx-h100-1su.yaml "$tmp/wl.yaml"
expect "sim -o onto its workload exits 2" 2 "refusing to overwrite an input" err
cp examples/reliability.yaml "$tmp/rp.yaml"
run reliability --params "$tmp/rp.yaml" -o "$tmp/rp.yaml" examples/dgx-h100-1su.yaml
expect "reliability -o onto its --params exits 2" 2 "refusing to overwrite an input" err
mkdir "$tmp/cat"; cp examples/llama3-parts.yaml "$tmp/cat/parts.yaml"
run plan --catalog "$tmp/cat" -o "$tmp/cat/parts.yaml" examples/dgx-h100-1su.yaml
expect "plan -o onto a file of a --catalog directory exits 2" 2 "refusing to overwrite an input" err
if [ "$(md5sum <"$tmp/in.yaml")" = "$sum0" ] && [ "$(md5sum <"$tmp/wl.yaml")" = "$wsum0" ] &&
   cmp -s "$tmp/cat/parts.yaml" examples/llama3-parts.yaml && cmp -s "$tmp/rp.yaml" examples/reliability.yaml; then
  ok "-o onto an input leaves every input byte-identical"
else bad "-o onto an input" "an input changed"; fi
cp examples/dgx-h100-1su.yaml "$tmp/sw.yaml"
run sweep "$tmp/sw.yaml" --vary fabric.planes=1,2 -o "$tmp/sw.yaml"
expect "sweep -o onto its spec exits 2" 2 "refusing to overwrite an input" err
cmp -s "$tmp/sw.yaml" examples/dgx-h100-1su.yaml && ok "... and the spec is byte-identical" || bad "sweep -o" "spec changed"

# input size cap: /dev/zero under a 2 GB address-space ulimit, refused within 1 s
# (ASan reserves more address space than a 2 GB ulimit allows: the release build)
REL=${LIGHTFAB_REL:-build/lightfab}
t0=$(date +%s%N)
msg=$( (ulimit -v 2000000; timeout 10 "$REL" plan /dev/zero) 2>&1 >/dev/null); rc=$?
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
if [ $rc -eq 1 ] && grep -q "longer than the input limit of 64 MiB" <<<"$msg" && [ $ms -lt 1000 ]; then
  ok "plan /dev/zero (ulimit -v 2 GB): refused at the 64 MiB cap in $ms ms"
else bad "plan /dev/zero" "status $rc in $ms ms: $msg"; fi
head -c 2000000 /dev/zero | tr '\0' '#' >"$tmp/big.yaml"
run plan --max-input 1M "$tmp/big.yaml"
expect "a 2 MB file over --max-input 1M exits 1 naming the limit" 1 "over the input limit of 1 MiB" err
run plan --max-input 64M "$tmp/big.yaml"
expect "the same file under --max-input 64M is read (a comment: empty document)" 1 "document is empty" err
run plan --max-input=lots examples/dgx-h100-1su.yaml
expect "--max-input lots exits 2" 2 "--max-input must be a size" err

# messages and exit codes
run plan examples/dgx-h100-1su.yaml
"$LF" plan examples/dgx-h100-1su.yaml >/dev/full 2>"$tmp/err"; rc=$?
expect "plan > /dev/full exits 3 with a message" 3 "cannot write to standard output: No space left on device" err
run plan examples
expect "a directory as the spec says so (exit 3)" 3 "is a directory, expected a YAML file" err
run sweep examples/dgx-h100-1su.yaml --vary cluster.servers=$(seq -s, 1 4000) --vary cluster.final_servers=$(seq -s, 1 4000)
expect "a 16 M-point sweep is a usage error naming the limit (exit 2)" 2 "16000000 points, over the limit of 8000" err
run sweep examples/dgx-h100-1su.yaml --max-work 2999 --vary fabric.planes=1,2,4
expect "--max-work 2999 allows 2 sweep points: 3 are refused" 2 "3 points, over the limit of 2" err
cat >"$tmp/fl.yaml" <<'EOF'
name: fl
sim:
  failed_links: 100000
collectives:
  - {type: all-reduce, bytes: 1MiB}
EOF
run sim examples/dgx-h100-1su.yaml "$tmp/fl.yaml"
expect "failed_links: 100000 names its place (file:line:col)" 1 "fl.yaml:3:17: cannot fail 100000 links" err

# the work budget: aliases count what they repeat; --max-work raises it
{ echo "name: alias"; echo "collectives:"
  echo "  - &c {type: all-reduce, algorithm: tree, sweep: {from: 8B, to: 8GiB, factor: 2}}"
  for _ in $(seq 39); do echo "  - *c"; done; } >"$tmp/alias.yaml"
t0=$(date +%s%N)
run sim examples/dgx-h100-4su.yaml "$tmp/alias.yaml"
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
expect "an alias-expanded workload ($(wc -c <"$tmp/alias.yaml") bytes, 40 sweeps) is refused by the budget" 1 "is about 10,078,720 work units, over the limit of 8,000,000" err
[ $ms -lt 2000 ] && ok "... in $ms ms" || bad "alias refusal time" "$ms ms"
cat >"$tmp/a2a.yaml" <<'EOF'
name: a2a
job: {gpus: 256}
collectives:
  - {type: all-to-all, bytes: 1MiB}
EOF
run sim examples/dgx-h100-4su.yaml "$tmp/a2a.yaml"
expect "an all-to-all of 256 GPUs (65,280 flows) is within the default budget" 0 "all-to-all, communicator all: 1 group(s) of 256 ranks"
run sim --max-work 65279 examples/dgx-h100-4su.yaml "$tmp/a2a.yaml"
expect "... and over --max-work 65279, naming the figure" 1 "all-to-all over 256 GPUs at 1 sizes, 65,280 units" err
# over 256 ranks the all-to-all runs in rounds; --threads 1 and 2 agree byte for byte
sed 's/gpus: 256/gpus: 512/' "$tmp/a2a.yaml" >"$tmp/a2a512.yaml"
run sim --threads 1 --json examples/dgx-h100-4su.yaml "$tmp/a2a512.yaml"
grep -v wall "$tmp/out" >"$tmp/a2a-t1.json"
run sim --threads 2 --json examples/dgx-h100-4su.yaml "$tmp/a2a512.yaml"
grep -v wall "$tmp/out" >"$tmp/a2a-t2.json"
if grep -q "rounds without events" "$tmp/a2a-t1.json" && cmp -s "$tmp/a2a-t1.json" "$tmp/a2a-t2.json"
then ok "sim --threads 1 and 2: the same all-to-all in rounds (512 ranks)"
else bad "sim --threads 1 vs 2" "$(diff "$tmp/a2a-t1.json" "$tmp/a2a-t2.json" | head -5)"; fi
run sim --threads 3 examples/dgx-h100-4su.yaml "$tmp/a2a.yaml"
expect "sim --threads checks its value (exit 2)" 2 "--threads must be a whole number in 1..2" err
run plan --max-work 3047 examples/dgx-h100-4su.yaml
expect "a plan of 1,016 GPUs (3 units a GPU) over --max-work 3047 is refused" 1 "the fabric's build-out is about 3,048 work units, over the limit of 3,047" err
run plan --max-work 3048 examples/dgx-h100-4su.yaml
expect "... and planned under --max-work 3048" 0
{ echo "name: fl"; echo "sim:"; echo "  failed_links:"
  for i in $(seq 0 999); do echo "    - {level: leaf-spine, plane: 0, lower: $((i % 4)), upper: 0}"; done
  echo "collectives:"; echo "  - {type: all-reduce, bytes: 1MiB}"; } >"$tmp/fl-list.yaml"
run sim --max-work 9000 examples/dgx-h100-1su.yaml "$tmp/fl-list.yaml"
expect "a YAML document of 9,000+ nodes over --max-work 9000 is refused before it is built" 1 "the YAML document (a unit a node, aliases expanded) is about 9,0" err
run plan --max-work=0 examples/dgx-h100-1su.yaml
expect "--max-work 0 exits 2" 2 "--max-work must be a whole number" err

# source, choose: per-stage: the dual-track example mixes 800G and 1.6T
run source --json examples/supply-dual-track.yaml
expect "source per-stage --json exits 0" 0
ch=$(python3 -c 'import json,sys; a=json.load(open(sys.argv[1]))["options"][0]; print(",".join(c["option"] for c in a["choices"]), all(c["force_usd"][o] > 0 for c in a["choices"] for o in c["force_usd"] if o != c["option"]))' "$tmp/out")
if [ "$ch" = "800g,1.6t,1.6t True" ]; then ok "source per-stage: stage-1 on 800G, stages 2-3 on 1.6T; forcing the other costs more"
else bad "source per-stage choice" "$ch"; fi

# source --sweep-capacity: the per-stage choice at no CW lasers and at 4,000 a month
run source --csv --sweep-capacity cw-sipho=0..4000 --steps 2 examples/supply-dual-track.yaml
expect "source --sweep-capacity exits 0" 0 "0,"
rows=$(tail -n +2 "$tmp/out" | cut -d, -f1,5-7 | tr '\n' ' ')
if [ "$rows" = "0,800g,800g,800g 4000,1.6t,1.6t,1.6t " ]; then ok "sweep-capacity: all 800G without CW lasers, all 1.6T at 4,000 a month"
else bad "sweep-capacity rows" "$rows"; fi
run source --sweep-capacity cw=0..10 examples/supply-dual-track.yaml
expect "sweep-capacity: unknown pool is an error" 1 'no laser pool "cw"' err
run report --sweep-capacity cw-sipho=0..10 examples/b300-dual-1.6t.yaml
expect "report --sweep-capacity without --supply is an error" 2 'needs --supply' err
run report --supply examples/supply-dual-track.yaml --sweep-capacity cw-sipho=10 examples/b300-dual-1.6t.yaml
expect "report --sweep-capacity: a malformed range is an error" 2 'expects POOL=FROM..TO' err

# source, uncertainty: the stochastic plan signs the reservation, the mean-value plan does not
run source --json examples/supply-uncertain-lasers.yaml
expect "source uncertainty --json exits 0" 0
st=$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); s=d["stochastic"]; a=d["options"]; print(len(a), s["vss_usd"] > 0, s["evpi_usd"] > 0, abs(sum(x["probability"]*x["cost"]["objective_usd"] for x in a) - s["expected_usd"]) < 1, "mean-value plan: 0%" in s["note"])' "$tmp/out")
if [ "$st" = "3 True True True True" ]; then ok "source uncertainty: 3 scenarios, VSS > 0, EVPI > 0, expected = sum p x cost, mean-value plan signs nothing"
else bad "source uncertainty" "$st"; fi

# ---- cabling schedule (the library is tested in tests/test_layout.c)
run plan --cabling "$tmp/cables.csv" examples/dgx-h100-4su-layout.yaml
expect "plan --cabling exits 0 and states the layout defaults" 0 "layout defaults:" err
if [ "$(wc -l <"$tmp/cables.csv")" -eq 2049 ]; then ok "cabling: 1,024 + 1,024 cables, one row each"
else bad "cabling rows" "$(wc -l <"$tmp/cables.csv") lines"; fi
run plan --cabling - --cabling-format ufm-p2p examples/dgx-h100-4su-layout.yaml
expect "--cabling - --cabling-format ufm-p2p writes the P2P columns" 0 "A-Node Name,A-Type,A-Port,Z-Node Name,Z-Type,Z-Port"
if grep -q "lightfab plan:" "$tmp/out"; then bad "--cabling -" "the plan table went to stdout too"; else ok "--cabling - keeps stdout for the schedule"; fi
run plan --cabling - --cabling-format dot examples/dgx-h100-1su.yaml
expect "--cabling-format dot without layout: derives one" 0 '"su1-srv01":"OSFP1P1" -- "su1-leaf1":"1/1";'
run plan --cabling - --cabling-format xlsx examples/dgx-h100-1su.yaml
expect "--cabling-format xlsx exits 2" 2 "must be csv, ufm-p2p or dot" err
run plan --cabling "$tmp/bad-cables.csv" tests/bad/layout-beyond-reach.yaml
expect "a link beyond reach exits 1 naming the link" 1 "routed over" err
no_leftovers "a failed --cabling leaves no file" "$tmp" bad-cables.csv
cp examples/dgx-h100-4su-layout.yaml "$tmp/lay.yaml"
run plan --cabling "$tmp/lay.yaml" "$tmp/lay.yaml"
expect "--cabling onto its spec exits 2" 2 "refusing to overwrite an input" err
cmp -s "$tmp/lay.yaml" examples/dgx-h100-4su-layout.yaml && ok "... and the spec is byte-identical" || bad "--cabling onto spec" "changed"

# stages: --cabling-stage NAME is the stage's work order (csv) and the BOM's
# increment counts the same cables per part and length; p2p lists the
# fabric as built by the stage's end
{ cat examples/dgx-h100-4su-layout.yaml
  printf 'stages:\n  - {name: half, need_by: 2026-03, servers: 64}\n  - {name: full, need_by: 2026-06, servers: 127}\n'; } >"$tmp/staged.yaml"
run plan --csv -o "$tmp/bom.csv" --cabling "$tmp/all.csv" "$tmp/staged.yaml"
expect "staged layout plan exits 0" 0
for st in half full; do
  run plan --cabling "$tmp/$st.csv" --cabling-stage "$st" -o "$tmp/ignored.txt" "$tmp/staged.yaml"
  expect "--cabling-stage $st exits 0" 0
done
run plan --cabling - --cabling-format ufm-p2p --cabling-stage half "$tmp/staged.yaml"
p2p_half=$(($(wc -l <"$tmp/out") - 1))
res=$(python3 - "$tmp" <<'PY'
import csv, sys, collections
d = sys.argv[1]
def cables(f):
    seen, n = set(), collections.Counter()
    for r in csv.DictReader(open(f"{d}/{f}")):
        if r["cable"] not in seen:
            seen.add(r["cable"]); n[(r["part"], float(r["length_m"]))] += 1
    return n
def bom(scope):
    n = collections.Counter()
    for r in csv.DictReader(open(f"{d}/bom.csv")):
        if r["scope"] == scope and r["category"] in ("cable", "fibre"):
            n[(r["sku"], float(r["length_m"]))] += int(r["count"])
    return n
rows = {s: sum(1 for _ in csv.DictReader(open(f"{d}/{s}.csv"))) for s in ("half", "full", "all")}
print(cables("all.csv") == bom("total"), cables("half.csv") == bom("stage:half"),
      cables("full.csv") == bom("stage:full"), rows["half"] + rows["full"] == rows["all"],
      rows["half"], len(bom("total")) > 1)
PY
)
if [ "$res" = "True True True True 1024 True" ]; then ok "per stage: BOM cables per part and length = the schedule's, the whole and each stage (half: 1,024 cables)"
else bad "stage schedule vs BOM" "$res"; fi
if [ "$p2p_half" -eq 1024 ]; then ok "--cabling-stage with ufm-p2p: the fabric built by the stage (1,024 links)"
else bad "p2p stage" "$p2p_half rows"; fi
run plan --cabling - --cabling-stage phase-9 "$tmp/staged.yaml"
expect "--cabling-stage of no stage exits 1 naming the stages" 1 '"phase-9" is not a stage of the spec (half, full)' err

run plan --netbox "$tmp/nb" examples/dgx-h100-4su-layout.yaml
expect "plan --netbox DIR exits 0" 0
if [ "$(ls "$tmp/nb" | tr '\n' ' ')" = "01-sites.csv 02-manufacturers.csv 03-device-roles.csv 04-device-types.csv 05-racks.csv 06-devices.csv 07-interfaces.csv 08-cables.csv " ] &&
   [ "$(wc -l <"$tmp/nb/08-cables.csv")" -eq 2049 ]; then ok "--netbox: eight import files, 2,048 cables"
else bad "--netbox files" "$(ls "$tmp/nb")"; fi

echo "cli: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
