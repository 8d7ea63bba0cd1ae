#!/usr/bin/env bash
# Puts the pure-Python packages Wax ships beside `bytewax` into DIR (the build's
# target/python-packages), taken from Debian's packages of them: prometheus_client, which Bytewax
# depends on and flows import for their own metrics, and decorator, which Debian's copy of it uses.
# WAX_DEBIAN_MIRROR picks another mirror than deb.debian.org.
set -euo pipefail

out=$1
mirror=${WAX_DEBIAN_MIRROR:-http://deb.debian.org/debian}
fetch=$(dirname "$0")/../bin/fetch-verified

# file in Debian's pool | SHA-256 | what to take from its dist-packages
packages=(
  "p/python-prometheus-client/python3-prometheus-client_0.16.0-0.1_all.deb|5cce797776781a193b2745df7ca65b51960f7bcf6783d75cd926950418155a4e|prometheus_client"
  "p/python-decorator/python3-decorator_5.1.1-3_all.deb|67f10c8e47f4fd9e262a7806f71c6584e66e0076b1ffcf15ac09b2633d60d1bf|decorator.py"
)

mkdir -p "$out"
for entry in "${packages[@]}"; do
  IFS='|' read -r pool sha256 take <<<"$entry"
  deb=$("$fetch" "$mirror/pool/main/$pool" "$sha256")
  unpacked=$(mktemp -d)
  dpkg-deb -x "$deb" "$unpacked"
  rm -rf "${out:?}/$take"
  cp -r "$unpacked/usr/lib/python3/dist-packages/$take" "$out/"
  rm -rf "$unpacked"
done
