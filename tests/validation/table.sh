#!/bin/sh
# tests/validation/table.sh [--pin] — run every validation row of rows.tsv
# with build/lightfab and print the markdown table of docs/sim.md
# ("Validation: training throughput"); --pin also rewrites the pinned
# column of rows.tsv.
set -eu
cd "$(dirname "$0")"
bin=../../build/lightfab
pin=${1:-}
tmp=$(mktemp); trap 'rm -f "$tmp"' EXIT
printf '| row | GPUs | TP·CP·PP·DP (V) | published TF/s | model TF/s | error | bubble | TP | PP | CP | EP | DP exposed |\n'
printf '|---|---|---|---|---|---|---|---|---|---|---|---|\n'
grep -v '^#' rows.tsv | while IFS='	' read -r row spec pub metric pinned; do
  "$bin" sim --quiet --json "$spec" "$row.yaml" > "$tmp"
  python3 - "$tmp" "$row" "$pub" "$metric" <<'PY' >> "$tmp.rows"
import json, sys
d = json.load(open(sys.argv[1]))['training']
row, pub, metric = sys.argv[2], float(sys.argv[3]), sys.argv[4]
pk = d['compute']['gpu_tflops']
p = d['parallel']; c = d['comm']; st = d['step_s']
gpus = p['tp'] * p['cp'] * p['pp'] * p['dp']
v = (d['tokens_per_s'] / gpus if metric == 'tok'
     else (d['hfu'] if metric == 'hfu' else d['mfu']) * pk)
pc = lambda k: '%.1f%%' % (100 * c[k]['exposed_s'] / st) if k in c else '–'
lay = '%d·%d·%d·%d' % (p['tp'], p['cp'], p['pp'], p['dp'])
if p['virtual_stages'] > 1: lay += ' (%d)' % p['virtual_stages']
unit = ' tok/s' if metric == 'tok' else ''
print('%s\t%.1f\t| %s | %d | %s | %g%s | %.1f%s | %+.1f%% | %.1f%% | %s | %s | %s | %s | %s |' % (
    row, v, row, gpus, lay, pub, unit, v, unit, 100 * (v / pub - 1), 100 * d['bubble_s'] / st,
    pc('tp'), pc('pp'), pc('cp'), pc('ep'), pc('dp')))
PY
done
if [ "$pin" = --pin ]; then
  python3 - "$tmp.rows" <<'PY'
import sys
pins = dict(l.split('\t')[:2] for l in open(sys.argv[1]))
out = []
for l in open('rows.tsv'):
    f = l.rstrip('\n').split('\t')
    if not l.startswith('#') and len(f) == 5 and f[0] in pins:
        f[4] = pins[f[0]]
        l = '\t'.join(f) + '\n'
    out.append(l)
open('rows.tsv', 'w').write(''.join(out))
PY
  echo "pinned $(wc -l < "$tmp.rows") rows in rows.tsv" >&2
fi
cut -f3- "$tmp.rows"
rm -f "$tmp.rows"
