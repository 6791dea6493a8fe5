#!/bin/sh
# tests/simdoc.sh — docs/sim.md's validation table is the model's: the table
# between its header and "Where it misses" must be what
# tests/validation/table.sh prints from build/lightfab now, and the counts
# docs/sim.md and README.md state ("N of the M rows are within 10 %",
# "M published ... N within 10 %") must be the table's.  After an intended
# change: tests/validation/table.sh --pin, and paste its output into
# docs/sim.md.  Closes with "simdoc: N passed, M failed".
set -u
cd "$(dirname "$0")/.."
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "ok   $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1"; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

sh tests/validation/table.sh > "$tmp/model.md"
sed -n '/^| row | GPUs |/,/^$/p' docs/sim.md | sed '/^$/d' > "$tmp/doc.md"
if [ ! -s "$tmp/doc.md" ]; then
  bad "docs/sim.md has no validation table"
elif diff -u "$tmp/doc.md" "$tmp/model.md" > "$tmp/diff"; then
  ok "docs/sim.md's validation table is the model's ($(($(wc -l < "$tmp/model.md") - 2)) rows)"
else
  bad "docs/sim.md's validation table differs from tests/validation/table.sh:"
  cat "$tmp/diff"
fi

# rows within 10 % and rows in all, from the model's table
rows=$(($(wc -l < "$tmp/model.md") - 2))
within=$(awk -F'|' 'NR > 2 { e = $7; gsub(/[ %+]/, "", e); e += 0; if (e < 0) e = -e; if (e <= 10) n++ }
                    END { print n + 0 }' "$tmp/model.md")
if grep -q "$within of the $rows rows are within 10 %" docs/sim.md; then
  ok "docs/sim.md says $within of the $rows rows are within 10 %"
else
  bad "docs/sim.md does not say \"$within of the $rows rows are within 10 %\""
fi
if tr '\n' ' ' < README.md | grep -q "against $rows published.* $within within 10 %"; then
  ok "README.md says $within of $rows within 10 %"
else
  bad "README.md does not say \"against $rows published ... $within within 10 %\""
fi

echo "simdoc: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
