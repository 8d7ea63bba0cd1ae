#!/usr/bin/env bash
# Puts Mermaid's browser bundle, which the dataflow API's page draws the flow with, into DIR (the
# build's generated resources), from the npm registry's package of it: the page fetches nothing
# from the internet.
set -euo pipefail

out=$1/dev/wax/bridge
package=$(dirname "$0")/../bin/fetch-verified
tarball=$("$package" https://registry.npmjs.org/mermaid/-/mermaid-11.9.0.tgz \
  457d14c241bf63fdca6fd6ef0463d3a15f2061496429769c01b28c9203442320)
mkdir -p "$out"
tar -xzf "$tarball" -O package/dist/mermaid.min.js >"$out/mermaid.min.js"
