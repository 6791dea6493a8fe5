#!/usr/bin/env bash
# Golden outputs: every bundled example under every verb and format, and
# every verb's --help, compared byte for byte with tests/golden/*.out.
#
# A refactoring must leave them all identical.  A change that is meant to
# alter an output regenerates them and commits the diff, saying why:
#   tests/golden.sh --update      (then review `git diff tests/golden`)
#
# Runs build/lightfab (LIGHTFAB= overrides).  Closes with
# "golden: N passed, M failed" for tests/run.sh.
set -u
cd "$(dirname "$0")/.."
bin=${LIGHTFAB:-build/lightfab}
dir=tests/golden
update=0
[ "${1:-}" = "--update" ] && update=1
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0

# case NAME ARGS...: run `lightfab ARGS` from the repository root (stdout,
# then stderr — notes and errors are part of the contract — then the exit
# status; the checkout's path is written as ".") and compare with NAME.out
case_() {
	local name=$1; shift
	local out="$tmp/$name.out"
	"$bin" "$@" >"$tmp/o" 2>"$tmp/e"; local rc=$?
	{ cat "$tmp/o"; echo "--- stderr"; cat "$tmp/e"; echo "--- exit $rc"; } |
		sed -e "s#$PWD#.#g" -e "$timing" > "$out"
	# outputs over 64 KiB (reports, large drawings) are kept as a digest
	if [ "$(stat -c %s "$out")" -gt 65536 ]; then
		echo "sha256 $(sha256sum < "$out" | cut -d' ' -f1) bytes $(stat -c %s "$out")" > "$out.d"
		mv "$out.d" "$out"
	fi
	if [ $update -eq 1 ]; then
		cp "$out" "$dir/$name.out"
	elif cmp -s "$out" "$dir/$name.out"; then
		pass=$((pass + 1)); return
	else
		fail=$((fail + 1))
		echo "FAIL golden $name: lightfab $*"
		diff -u "$dir/$name.out" "$out" 2>&1 | head -20
	fi
}

# wall-clock figures vary run to run: masked
timing='s/\("\(wall\|solve\)_s": \)[0-9.e+-]*/\1T/; s/solved in [0-9.]* s/solved in T s/; s/, [0-9.]* s wall$/, T s wall/'
mkdir -p "$dir"
ex=examples
# help of every verb
case_ help lightfab --help
for v in plan sim source reliability report serve compare sweep; do
	case_ "help-$v" help "$v"
done

# every spec: plan in every format, reliability, the report
specs=(b300-800g-eml b300-dual-1.6t b300-dual-800g b300-q3400-staged b300-q3450-cpo b300-spectrum-x
       dgx-h100-1su dgx-h100-4su dgx-h100-4su-layout gb200-nvl72-superpod gb300-nvl72-xdr
       llama3-16k)
for s in "${specs[@]}"; do
	for f in table json csv dot; do
		case_ "plan-$s.$f" plan --$f "$ex/$s.yaml"
	done
	for f in table json csv; do
		case_ "reliability-$s.$f" reliability --$f "$ex/$s.yaml"
	done
	case_ "report-$s" report "$ex/$s.yaml"
done
case_ cabling-4su-layout plan --cabling - "$ex/dgx-h100-4su-layout.yaml"
case_ reliability-llama3 reliability --params "$ex/llama3-reliability.yaml" "$ex/llama3-16k.yaml"
case_ reliability-compare reliability --compare "$ex/dgx-h100-4su.yaml" "$ex/dgx-h100-1su.yaml"

# workloads on the 4-SU SuperPOD
for w in workload-allreduce-sweep workload-llama70b workload-permutation workload-qwen3-moe; do
	for f in table json csv; do
		case_ "sim-$w.$f" sim --$f "$ex/dgx-h100-4su.yaml" "$ex/$w.yaml"
	done
done
case_ report-sim report --workload "$ex/workload-llama70b.yaml" "$ex/dgx-h100-4su.yaml"

# sourcing scenarios
for sc in supply-dual-track supply-eml-rescue supply-eml-shortage supply-portfolio \
          supply-uncertain-lasers supply-cpo-lasers; do
	for f in table json csv; do
		case_ "source-$sc.$f" source --$f "$ex/$sc.yaml"
	done
done

# break-even: the sweep in every format and in the report (1,500..4,000 CW
# lasers a month: every point proven optimal well inside the time limit)
for f in table json csv; do
	case_ "source-sweep-dual-track.$f" source --$f --sweep-capacity cw-sipho=1500..4000 --steps 6 \
		"$ex/supply-dual-track.yaml"
done
case_ report-dual-track-sweep report --no-topology --supply "$ex/supply-dual-track.yaml" \
	--sweep-capacity cw-sipho=1500..4000 --steps 6 "$ex/b300-dual-1.6t.yaml"

# compare and sweep
case_ compare compare "$ex/dgx-h100-1su.yaml" "$ex/dgx-h100-4su.yaml"
case_ compare.json compare --json "$ex/dgx-h100-1su.yaml" "$ex/dgx-h100-4su.yaml"
case_ sweep.csv sweep --csv --sweep "$ex/sweep-h100-rails.yaml"
case_ sweep.json sweep --json --sweep "$ex/sweep-h100-rails.yaml"
case_ sweep-parallel.csv sweep --csv --sweep "$ex/sweep-llama70b-parallel.yaml"
case_ sweep-moe.csv sweep --csv --sweep "$ex/sweep-qwen3-moe.yaml"

# a few errors: the message and the exit status are part of the contract
case_ err-verb frobnicate "$ex/dgx-h100-1su.yaml"
case_ err-usage plan --bogus "$ex/dgx-h100-1su.yaml"

echo "golden: $pass passed, $fail failed"
[ $update -eq 1 ] && echo "golden: updated $(ls "$dir" | wc -l) files in $dir"
[ $fail -eq 0 ]
