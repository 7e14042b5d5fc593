#!/usr/bin/env bash
# npm run setup: everything a fresh machine needs, idempotent. Node 22, npm packages, the Pulumi
# engine and the local cluster binaries (built from Go modules and cached), state and passphrase.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
started=$SECONDS
bash "$root/tools/node.sh"
source "$root/tools/env.sh"

if [ ! -f "$root/node_modules/.package-lock.json" ] || [ "$root/package-lock.json" -nt "$root/node_modules/.package-lock.json" ]; then
  echo "[setup] npm ci..."
  # Install scripts stay off: @pulumi/kubernetes' would try to download its plugin, which we build.
  (cd "$root" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
else
  echo "[setup] npm packages: up to date"
fi

bash "$root/tools/engine/build.sh"
# The CLI and the stack program run compiled (dist/); `npm run build` again after changing the source.
(cd "$root" && tools/run tools/build.ts)
bash "$root/tools/chromium.sh"

mkdir -p "$PLATFORM_DATA/state"
if [ -z "${PULUMI_CONFIG_PASSPHRASE:-}" ] && [ ! -f "$PULUMI_CONFIG_PASSPHRASE_FILE" ]; then
  (umask 077 && head -c 32 /dev/urandom | base64 > "$PULUMI_CONFIG_PASSPHRASE_FILE")
  echo "[setup] generated a stack passphrase in $PULUMI_CONFIG_PASSPHRASE_FILE (0600, not in git)"
fi
# The local environment installs the real charts from a mirror, filled from a folder of chart archives:
# PLATFORM_CHART_SOURCE, or ../shared/charts beside the checkout (where CI puts it), or beside the
# local checkout this one was cloned from (a `git clone . /tmp/x` check of CI).
chart_source="${PLATFORM_CHART_SOURCE:-$root/../shared/charts}"
if [ -z "${PLATFORM_CHART_SOURCE:-}" ] && [ ! -d "$chart_source" ]; then
  origin="$(git -C "$root" remote get-url origin 2>/dev/null || true)"
  if [ -n "$origin" ] && [ -d "$origin/../shared/charts" ]; then
    chart_source="$(cd "$origin/../shared/charts" && pwd)"
    echo "[setup] chart folder: $chart_source (beside $origin, the checkout this clone came from)"
    # Tests and chart lookups read it through tools/env.sh, as they would ../shared/charts.
    echo "$chart_source" > "$PLATFORM_DATA/chart-source"
  fi
fi
if [ -d "$chart_source" ]; then
  (cd "$root" && tools/run tools/charts/cli.ts fill --env local --from "$chart_source")
elif ! (cd "$root" && tools/run tools/charts/cli.ts check --env local >/dev/null); then
  echo "[setup] error: the chart mirror .platform/charts lacks pinned charts and there is no chart folder at $chart_source;" >&2
  echo "[setup] fill it with \`npm run charts -- fill --from <folder of chart archives>\` or \`npm run charts -- fill --from upstream\`" >&2
  exit 1
fi
echo "[setup] state backend: $PULUMI_BACKEND_URL"
echo "[setup] done in $((SECONDS - started))s"
