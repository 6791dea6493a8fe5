#!/usr/bin/env bash
# mkdeb.sh VERSION ARCH OUT.deb — a Debian package of lightfab from a staged
# `make install PREFIX=/usr` (dpkg-deb; no debian/ tree needed).  Depends:
# the packages that own the shared libraries lightfab's binary and library
# need (objdump NEEDED -> the resolved path -> dpkg -S), at the installed
# versions or later.
set -euo pipefail
version=$1 arch=$2 out=$3
cd "$(dirname "$0")/.."
root=build/deb-root
rm -rf "$root"
make --no-print-directory install DESTDIR="$PWD/$root" PREFIX=/usr >/dev/null
# Debian's layout: binaries stripped, documentation gzipped
strip --strip-unneeded "$root"/usr/bin/* "$root"/usr/lib/liblightfab.so.*.*.*
gzip -9n "$root"/usr/share/man/man1/lightfab.1 "$root"/usr/share/man/man5/lightfab-spec.5
cp README.md "$root/usr/share/doc/lightfab/README.md"
deps=()
for f in "$root/usr/bin/lightfab" "$root"/usr/lib/liblightfab.so.*.*.*; do
  for lib in $(objdump -p "$f" | awk '/NEEDED/ {print $2}'); do
    case "$lib" in liblightfab.so*) continue ;; esac
    path=$(LD_LIBRARY_PATH="$root/usr/lib" ldd "$f" | awk -v l="$lib" '$1 == l {print $3}')
    [ -n "$path" ] || continue
    real=$(readlink -f "$path")
    pkg=$(dpkg -S "$real" 2>/dev/null || dpkg -S "$path" 2>/dev/null || true)
    pkg=${pkg%%:*}
    [ -n "$pkg" ] || continue
    ver=$(dpkg-query -W -f='${Version}' "$pkg")
    deps+=("$pkg (>= ${ver%%-*})")
  done
done
depends=$(printf '%s\n' "${deps[@]}" | sort -u | paste -sd, - | sed 's/,/, /g')
size=$(du -sk "$root" | cut -f1)
mkdir -p "$root/DEBIAN"
cat >"$root/DEBIAN/control" <<CTL
Package: lightfab
Version: $version
Section: science
Priority: optional
Architecture: $arch
Installed-Size: $size
Depends: $depends
Maintainer: lightfab developers <lightfab@localhost>
Description: plan, simulate and source the optical interconnect of AI GPU clusters
 lightfab reads a YAML description of a GPU cluster and answers with the exact
 fabric and bill of materials (switches, links, cables, fibres, transceivers
 by SKU, power, capex), collective and training-step times simulated on that
 fabric, an optics order plan under laser-supply limits (GLPK), reliability
 and spares, comparisons, sweeps, an HTML report and a local web UI.
CTL
# the shared library in /usr/lib: refresh ld.so's cache on install and removal
echo "activate-noawait ldconfig" >"$root/DEBIAN/triggers"
dpkg-deb --root-owner-group --build "$root" "$out" >/dev/null
echo "$out: Depends: $depends"
