#!/usr/bin/env bash
# Installed lightfab, checked as a user meets it (issue: "install like a real
# tool"):
#   - `make install DESTDIR=$tmp PREFIX=/usr`, then the installed binary, run
#     from outside the source tree with LD_LIBRARY_PATH into $tmp only,
#     plans, simulates and sources every example byte-identically to the
#     in-tree build, and rates reliability;
#   - a C program built with `pkg-config --cflags --libs lightfab` against a
#     PREFIX install plans an example;
#   - the man pages render with no groff warning, and name every verb and
#     option of --help; the bash completion knows every verb;
#   - `make uninstall` removes what install put there;
#   - `make deb`: the package lists the files and Depends; where dpkg can
#     install (root), it installs, runs `lightfab plan` on an installed
#     example and is removed cleanly.
# Closes with "install: N passed, M failed".
set -u
cd "$(dirname "$0")/.."
src=$PWD
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "ok   $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1: $2"; }
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT

stage=$tmp/stage
if make -s install DESTDIR="$stage" PREFIX=/usr >"$tmp/make.log" 2>&1; then
  ok "make install DESTDIR PREFIX=/usr"
else
  bad "make install DESTDIR PREFIX=/usr" "$(tail -5 "$tmp/make.log")"
  echo "install: $pass passed, $((fail + 1)) failed"; exit 1
fi
for f in usr/bin/lightfab usr/lib/liblightfab.a usr/lib/liblightfab.so usr/lib/liblightfab.so.0 \
         usr/lib/pkgconfig/lightfab.pc usr/include/lightfab.h usr/share/lightfab/catalog/servers.yaml \
         usr/share/doc/lightfab/examples/dgx-h100-4su.yaml usr/share/man/man1/lightfab.1 \
         usr/share/man/man5/lightfab-spec.5 usr/share/bash-completion/completions/lightfab; do
  [ -e "$stage/$f" ] || { bad "installed $f" "missing"; continue; }
done
ok "install puts the binary, libraries, header, .pc, catalog, examples, man pages, completion"
soname=$(objdump -p "$stage/usr/lib/liblightfab.so" | awk '/SONAME/ {print $2}')
[ "$soname" = "liblightfab.so.0" ] && ok "shared library soname liblightfab.so.0" || bad "soname" "$soname"
if objdump -T "$stage/usr/lib/liblightfab.so" | grep -q ' lfi_vec_push$'; then
  bad "the shared library exports only the public API" "lfi_vec_push is exported"
else
  ok "the shared library exports only the public API"
fi

# the installed binary, away from the source tree, with no path into it
inst() { (cd "$1" && env -i PATH=/usr/bin:/bin HOME="$tmp" LD_LIBRARY_PATH="$stage/usr/lib" \
                      "$stage/usr/bin/lightfab" "${@:2}"); }
if strings "$stage/usr/bin/lightfab" "$stage/usr/lib/liblightfab.so" | grep -qF "$src"; then
  bad "nothing installed points back at the build tree" "$src found in the binary or library"
else
  ok "nothing installed points back at the build tree"
fi
ex=$stage/usr/share/doc/lightfab/examples
inst "$tmp" --help >/dev/null && ok "installed --help runs" || bad "installed --help" "exit $?"
inst "$tmp" --help | grep -qF "$stage/usr/share/lightfab/catalog" &&
  ok "installed binary finds its catalog under its own prefix" ||
  bad "installed catalog" "$(inst "$tmp" --help | grep -i catalog | head -2)"
same() {   # same NAME ARGS...: the in-tree and the installed binary print the same bytes
  local name=$1; shift
  (cd examples && ../build/lightfab "$@" >"$tmp/a" 2>&1); local ra=$?
  inst "$ex" "$@" >"$tmp/b" 2>&1; local rb=$?
  # wall-clock figures differ from run to run
  sed -i -E 's/"(wall_s|solve_s)": [0-9.e+-]+/"\1": 0/; s/[0-9.]+ s wall/0 s wall/' "$tmp/a" "$tmp/b"
  # where the catalog lives is part of a cited source: the same file either way
  sed -i "s#$src/data/catalog#CATALOG#g; s#$stage/usr/share/lightfab/catalog#CATALOG#g" "$tmp/a" "$tmp/b"
  if [ $ra -ne 0 ] || [ $rb -ne 0 ]; then bad "$name" "exit $ra / $rb: $(head -c 200 "$tmp/b")"
  elif cmp -s "$tmp/a" "$tmp/b"; then ok "$name"
  else bad "$name" "outputs differ: $(diff "$tmp/a" "$tmp/b" | head -4)"; fi
}
for spec in examples/dgx-h100-1su.yaml examples/dgx-h100-4su.yaml examples/b300-800g-eml.yaml \
            examples/b300-q3400-staged.yaml examples/llama3-16k.yaml; do
  b=$(basename "$spec")
  same "installed plan --json $b is byte-identical" plan --json "$b"
done
same "installed sim of the all-reduce sweep is byte-identical" sim --json dgx-h100-4su.yaml workload-allreduce-sweep.yaml
same "installed sim of the Llama-70B step is byte-identical" sim --json dgx-h100-4su.yaml workload-llama70b.yaml
for sc in supply-eml-shortage.yaml supply-eml-rescue.yaml; do
  same "installed source --json $sc is byte-identical" source --json "$sc"
done
same "installed reliability --json is byte-identical" reliability --json --params reliability.yaml dgx-h100-4su.yaml

# the installed Python module finds the installed library and catalog
pyout=$(cd "$tmp" && env -i PATH=/usr/bin:/bin PYTHONPATH="$stage/usr/lib/python3/dist-packages" \
        python3 -c "import lightfab; p = lightfab.plan('$ex/dgx-h100-4su.yaml'); print(p['links_total'])" 2>&1)
[ "$pyout" = "2048" ] && ok "the installed Python module plans an example" || bad "installed python" "$pyout"

# C program through pkg-config, against a PREFIX install
pfx=$tmp/prefix
if make -s install PREFIX="$pfx" >"$tmp/make2.log" 2>&1; then ok "make install PREFIX=$pfx"
else bad "make install PREFIX" "$(tail -3 "$tmp/make2.log")"; fi
cat >"$tmp/prog.c" <<'C'
#include <stdio.h>
#include <stdlib.h>
#include <lightfab.h>
int main(int argc, char **argv)
{
	lf_catalog *cat; lf_spec *spec; lf_plan *plan; lf_error err = { 0 };
	if (lf_catalog_new(&cat, &err) || lf_catalog_load_path(cat, argv[1], &err) ||
	    lf_spec_load(argv[2], cat, &spec, &err) || lf_catalog_finish(cat, &err) ||
	    lf_spec_resolve(spec, cat, &err) || lf_plan_build(spec, cat, &plan, &err)) {
		char buf[1600];
		fprintf(stderr, "%s\n", lf_error_format(&err, buf, sizeof buf));
		return 1;
	}
	printf("%s %zu links %s\n", lf_version(), plan->n_links, plan->name);
	lf_plan_free(plan); lf_spec_free(spec); lf_catalog_free(cat);
	(void)argc;
	return 0;
}
C
if cc "$tmp/prog.c" $(PKG_CONFIG_PATH="$pfx/lib/pkgconfig" pkg-config --cflags --libs lightfab) \
      -o "$tmp/prog" 2>"$tmp/cc.log"; then
  ok "cc \$(pkg-config --cflags --libs lightfab) links"
  out=$(LD_LIBRARY_PATH="$pfx/lib" "$tmp/prog" "$pfx/share/lightfab/catalog" \
        "$pfx/share/doc/lightfab/examples/dgx-h100-4su.yaml")
  [ "$out" = "0.1.0 $(build/lightfab plan --json examples/dgx-h100-4su.yaml | python3 -c 'import json,sys; print(json.load(sys.stdin)["links_total"])') links dgx-h100-superpod-4su" ] && ok "the C program plans an example" ||
    bad "the C program plans an example" "$out"
else
  bad "pkg-config link" "$(head -5 "$tmp/cc.log")"
fi
if make -s uninstall PREFIX="$pfx" >/dev/null 2>&1 && [ -z "$(find "$pfx" -type f)" ]; then
  ok "make uninstall removes every installed file"
else
  bad "make uninstall" "left: $(find "$pfx" -type f | head -3)"
fi

# man pages and completion
man1=$stage/usr/share/man/man1/lightfab.1 man5=$stage/usr/share/man/man5/lightfab-spec.5
for m in "$man1" "$man5"; do
  w=$(groff -ww -z -man "$m" 2>&1)
  [ -z "$w" ] && ok "$(basename "$m") renders with no groff warning" || bad "groff $(basename "$m")" "$w"
done
txt=$(groff -man -Tutf8 "$man1" 2>/dev/null | col -bx)
verbs=$(./build/lightfab --help | sed -n 's/^  \([a-z][a-z-]*\)  .*/\1/p' | grep -v '^help$')
missing=""
for v in $verbs; do
  grep -q "^ *$v\$" <<<"$(groff -man -Tutf8 "$man1" 2>/dev/null | col -bx | sed 's/^ *//')" ||
    grep -q "^   $v" <<<"$txt" || missing+=" $v"
  for o in $(./build/lightfab help "$v" | grep -o -- '--[a-z][a-z0-9-]*' | sort -u); do
    grep -qF -- "$o" <<<"$txt" || missing+=" $v:$o"
  done
done
[ -z "$missing" ] && ok "lightfab(1) names every verb and option of --help" || bad "lightfab(1)" "missing$missing"
for s in "THE SPEC" "THE WORKLOAD" "THE SUPPLY SCENARIO" "RELIABILITY PARAMETERS" "THE SWEEP FILE"; do
  groff -man -Tutf8 "$man5" 2>/dev/null | col -bx | grep -q "^$s" || missing+=" $s"
done
[ -z "$missing" ] && ok "lightfab-spec(5) has the spec, workload, supply, parameters and sweep formats" ||
  bad "lightfab-spec(5)" "missing$missing"
comp=$(bash -c "source '$stage/usr/share/bash-completion/completions/lightfab'
  COMP_WORDS=(lightfab ''); COMP_CWORD=1; _lightfab; echo \"\${COMPREPLY[*]}\"
  COMP_WORDS=(lightfab sim --ro); COMP_CWORD=2; _lightfab; echo \"\${COMPREPLY[*]}\"" 2>&1)
if grep -q "plan" <<<"$comp" && grep -q "source" <<<"$comp" && grep -q -- "--routing" <<<"$comp"; then
  ok "bash completion: verbs, and a verb's options"
else
  bad "bash completion" "$comp"
fi

# the Debian package
if command -v dpkg-deb >/dev/null; then
  if make -s deb >"$tmp/deb.log" 2>&1; then
    deb=$(ls build/lightfab_*_*.deb | head -1)
    ok "make deb builds $(basename "$deb")"
    dpkg-deb --contents "$deb" | grep './usr/bin/lightfab$' >/dev/null && ok "the .deb holds usr/bin/lightfab" ||
      bad "deb contents" "$(dpkg-deb --contents "$deb" | head -3)"
    dep=$(dpkg-deb -f "$deb" Depends)
    grep -q libglpk <<<"$dep" && grep -q libyaml <<<"$dep" && ok "the .deb Depends on its libraries ($dep)" ||
      bad "deb Depends" "$dep"
    if [ "$(id -u)" -eq 0 ] && [ -w /var/lib/dpkg ] && ! dpkg -s lightfab >/dev/null 2>&1; then
      if dpkg -i "$deb" >"$tmp/dpkg.log" 2>&1; then
        ok "dpkg -i installs it"
        (cd "$tmp" && env -u LIGHTFAB_CATALOG lightfab plan /usr/share/doc/lightfab/examples/dgx-h100-4su.yaml \
          | grep -q "links 2,048") && ok "the packaged lightfab plans an installed example" ||
          bad "packaged lightfab plan" "$(cd "$tmp" && lightfab plan /usr/share/doc/lightfab/examples/dgx-h100-4su.yaml 2>&1 | head -3)"
        # Debian's python3 (its dist-packages), not another one first on PATH
        (cd "$tmp" && /usr/bin/python3 -c "import lightfab; print(lightfab.plan('/usr/share/doc/lightfab/examples/dgx-h100-1su.yaml')['gpus'])") \
          >/dev/null 2>&1 && ok "the packaged Python module imports and plans" || bad "packaged python" \
          "$(cd "$tmp" && /usr/bin/python3 -c 'import lightfab' 2>&1 | tail -1)"
        dpkg -r lightfab >/dev/null 2>&1 && [ ! -e /usr/bin/lightfab ] && [ ! -e /usr/share/lightfab ] &&
          ok "dpkg -r removes it cleanly" || bad "dpkg -r" "files left"
      else
        bad "dpkg -i" "$(tail -3 "$tmp/dpkg.log")"
      fi
    else
      echo "skip dpkg -i: not root, or lightfab already installed by dpkg"
    fi
  else
    bad "make deb" "$(tail -5 "$tmp/deb.log")"
  fi
else
  echo "skip .deb: no dpkg-deb"
fi

echo "install: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
