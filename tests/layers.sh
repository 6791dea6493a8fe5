#!/usr/bin/env bash
# The layers of src/, lowest first (the Makefile's LAYERS, docs/design.md):
#   core plan sim reliability source output app
# A file may include headers of its own layer or lower ones, and its object
# may call functions of its own layer or lower ones: never up.  Checked from
# the #include lines and from the objects' symbol tables (nm), so a call
# through a declaration placed in a lower header is caught too.  Also: each
# source file name is unique across layers (the objects are build/rel/NAME.o),
# and no two files call each other, directly or round a longer cycle.
# Closes with "layers: N passed, M failed" for tests/run.sh.
set -u
cd "$(dirname "$0")/.."
layers=$(sed -n 's/^LAYERS *:= *//p' Makefile)
pass=0 fail=0
declare -A rank where
i=0
for l in $layers; do rank[$l]=$i; i=$((i + 1)); done
for f in src/*/*.[ch]; do
	l=${f#src/}; l=${l%%/*}
	[ -n "${rank[$l]:-}" ] || { echo "FAIL layers: $f is in src/$l, not a layer of the Makefile"; fail=$((fail + 1)); continue; }
	b=$(basename "$f")
	if [ -n "${where[$b]:-}" ]; then
		echo "FAIL layers: $b is in both ${where[$b]} and $l"; fail=$((fail + 1))
	fi
	where[$b]=$l
done

# includes
bad=0
for f in src/*/*.[ch]; do
	l=${f#src/}; l=${l%%/*}
	while read -r h; do
		hl=${where[$h]:-}
		[ -n "$hl" ] || continue          # lightfab.h, system headers
		if [ "${rank[$hl]}" -gt "${rank[$l]}" ]; then
			echo "FAIL layers: $f (layer $l) includes $h (layer $hl)"; bad=$((bad + 1))
		fi
	done < <(sed -n 's/^#include "\([^"]*\)".*/\1/p' "$f")
done
if [ $bad -eq 0 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); fi

# calls: every undefined symbol of an object that another object defines
bad=0
if ls build/rel/*.o >/dev/null 2>&1; then
	defs=$(mktemp); trap 'rm -f "$defs"' EXIT
	for o in build/rel/*.o; do
		n=$(basename "$o" .o)
		nm --defined-only -g "$o" | awk -v n="$n" '$2 ~ /[TDBR]/ { print $3, n }'
	done | sort > "$defs"
	for o in build/rel/*.o; do
		n=$(basename "$o" .o); l=${where[$n.c]:-}
		[ -n "$l" ] || continue
		while read -r sym def; do
			dl=${where[$def.c]}
			if [ "${rank[$dl]}" -gt "${rank[$l]}" ]; then
				echo "FAIL layers: $n.c (layer $l) calls $sym of $def.c (layer $dl)"; bad=$((bad + 1))
			fi
		done < <(nm -u "$o" | awk '{ print $2 }' | sort | join - "$defs")
	done
	if [ $bad -eq 0 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); fi
	# no cycle between files either: the calls between objects form a DAG
	edges=$(for o in build/rel/*.o; do
		n=$(basename "$o" .o)
		nm -u "$o" | awk '{ print $2 }' | sort | join - "$defs" | awk -v n="$n" '$2 != n { print n, $2 }'
	done | sort -u)
	cyc=$(printf '%s\n' "$edges" | tsort 2>&1 >/dev/null | sed -n 's/^tsort: //p' | grep -v 'input contains a loop' | tr '\n' ' ')
	if [ -z "$cyc" ]; then
		pass=$((pass + 1))
	else
		echo "FAIL layers: files that call each other in a cycle: $cyc"; fail=$((fail + 1))
	fi
else
	echo "skip layers: calls (no build/rel objects; run make first)"
fi
echo "layers: $pass passed, $fail failed"
[ $fail -eq 0 ]
