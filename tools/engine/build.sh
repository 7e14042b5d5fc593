#!/usr/bin/env bash
# Builds the Pulumi engine (CLI, Node.js language host, Kubernetes provider), the local
# cluster's control plane (etcd, kube-apiserver, kube-controller-manager) and Helm from Go modules, at the
# versions the npm lockfile pins, into a cache outside the work tree. Idempotent: a build whose
# inputs (go.mod, go.sum, version) are unchanged is reused.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
source "$root/tools/env.sh"
engine_dir="$root/tools/engine"

step() { printf '[setup] %s\n' "$*"; }
die() { printf '[setup] error: %s\n' "$*" >&2; exit 1; }

lock_version() {
  node -e 'const l=require(process.argv[1]); const p=l.packages["node_modules/"+process.argv[2]]; if(!p) process.exit(3); console.log(p.version)' \
    "$root/package-lock.json" "$1" || die "$1 is not in package-lock.json; run npm install first"
}

pulumi_version="$(lock_version @pulumi/pulumi)"
k8s_provider_version="$(lock_version @pulumi/kubernetes)"
kube_version="$(cat "$engine_dir/cluster/VERSION")"

grep -q "github.com/pulumi/pulumi/pkg/v3 v$pulumi_version\$" "$engine_dir/pulumi/go.mod" ||
  die "tools/engine/pulumi/go.mod does not pin pkg/v3 v$pulumi_version (the @pulumi/pulumi version in package-lock.json); change both together"
[ "$(cat "$engine_dir/kubernetes/VERSION")" = "$k8s_provider_version" ] ||
  die "tools/engine/kubernetes/VERSION says $(cat "$engine_dir/kubernetes/VERSION") but package-lock.json has @pulumi/kubernetes $k8s_provider_version; pin the provider module at that release's commit"

command -v go >/dev/null || die "go is not installed; install Go >= 1.25 (https://go.dev/dl) and re-run npm run setup"
go_minor="$(go env GOVERSION | sed -E 's/^go1\.([0-9]+).*/\1/')"
[ "$go_minor" -ge 25 ] || die "Go $(go env GOVERSION) is too old; kube-apiserver $kube_version needs Go >= 1.25"

export CGO_ENABLED=0 GOFLAGS=-mod=readonly
# The checksum database here does not answer for these Pulumi module versions; the committed
# go.sum files pin every hash instead.
export GONOSUMDB="github.com/pulumi"

# inputs_key DIR EXTRA: a hash of what a build depends on, so a changed pin forces a rebuild.
inputs_key() { cat "$1/go.mod" "$1/go.sum" "$1"/*.go 2>/dev/null | { cat; echo "$2"; } | sha256sum | cut -c1-16; }

# build_once NAME DIR OUT_DIR KEY COMMAND...: runs COMMAND in DIR unless OUT_DIR already holds that KEY.
build_once() {
  local name="$1" dir="$2" out="$3" key="$4"; shift 4
  if [ -f "$out/.built" ] && [ "$(cat "$out/.built")" = "$key" ]; then
    step "$name: cached in $out"
    return
  fi
  step "$name: building from Go modules (first time takes minutes)..."
  local started=$SECONDS
  mkdir -p "$out"
  (cd "$dir" && "$@") || die "$name failed to build; see the Go errors above. Check Go's module proxy is reachable (go env GOPROXY)"
  echo "$key" > "$out/.built"
  step "$name: built in $((SECONDS - started))s"
}

# The language host has no tagged versions and the module proxy serves it only at some release
# commits, so it is its own module pinned at the newest one served (see its VERSION and README).
language_host_version="$(cat "$engine_dir/language-nodejs/VERSION")"
engine_bin=""
existing="$(command -v pulumi || true)"
if [ -n "$existing" ] && [ "$("$existing" version 2>/dev/null)" = "v$pulumi_version" ] &&
  [ -x "$(dirname "$existing")/pulumi-language-nodejs" ]; then
  engine_bin="$(dirname "$existing")"
  step "pulumi v$pulumi_version found at $existing; using it"
else
  engine_bin="$PLATFORM_CACHE/engine/pulumi-v$pulumi_version/bin"
  build_once "pulumi v$pulumi_version" "$engine_dir/pulumi" "$engine_bin" \
    "$(inputs_key "$engine_dir/pulumi" "$pulumi_version")" \
    go build -trimpath -tags osusergo,grpcnotrace \
      -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$pulumi_version" \
      -o "$engine_bin/" github.com/pulumi/pulumi/pkg/v3/cmd/pulumi
  build_once "pulumi-language-nodejs v$language_host_version" "$engine_dir/language-nodejs" "$engine_bin/language-host" \
    "$(inputs_key "$engine_dir/language-nodejs" "$language_host_version")" \
    go build -trimpath -tags osusergo,grpcnotrace \
      -ldflags "-s -w -X github.com/pulumi/pulumi/sdk/v3/go/common/version.Version=v$language_host_version" \
      -o "$engine_bin/language-host/" github.com/pulumi/pulumi/sdk/nodejs/cmd/pulumi-language-nodejs/v3
  ln -sf language-host/pulumi-language-nodejs "$engine_bin/pulumi-language-nodejs"
fi
mkdir -p "$PLATFORM_DATA"
echo "$engine_bin" > "$PLATFORM_DATA/engine-bin"
export PATH="$engine_bin:$PATH"

provider_dir="$PLATFORM_CACHE/engine/kubernetes-v$k8s_provider_version"
build_kubernetes_provider() {
  local module_dir
  go mod download github.com/pulumi/pulumi-kubernetes/provider/v4
  module_dir="$(go list -m -f '{{.Dir}}' github.com/pulumi/pulumi-kubernetes/provider/v4)"
  node "$engine_dir/kubernetes/embed-schema.js" "$module_dir/cmd/pulumi-resource-kubernetes" "$k8s_provider_version" .
  go build -trimpath -tags osusergo,grpcnotrace \
    -ldflags "-s -w -X github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/version.Version=$k8s_provider_version" \
    -o "$provider_dir/pulumi-resource-kubernetes" .
}
build_once "pulumi-resource-kubernetes v$k8s_provider_version" "$engine_dir/kubernetes" "$provider_dir" \
  "$(inputs_key "$engine_dir/kubernetes" "$k8s_provider_version")" build_kubernetes_provider

plugin_dir="$PULUMI_HOME/plugins/resource-kubernetes-v$k8s_provider_version"
if [ -x "$plugin_dir/pulumi-resource-kubernetes" ] && cmp -s "$plugin_dir/pulumi-resource-kubernetes" "$provider_dir/pulumi-resource-kubernetes"; then
  step "plugin resource kubernetes $k8s_provider_version: installed"
else
  pulumi plugin install resource kubernetes "$k8s_provider_version" --file "$provider_dir/pulumi-resource-kubernetes" --reinstall >/dev/null
  step "plugin resource kubernetes $k8s_provider_version: installed into $PULUMI_HOME"
fi

cluster_bin="$PLATFORM_CACHE/cluster/kubernetes-$kube_version/bin"
kube_ldflags="-s -w -X k8s.io/component-base/version.gitVersion=$kube_version"
kube_ldflags+=" -X k8s.io/component-base/version.gitMajor=$(echo "$kube_version" | sed -E 's/^v([0-9]+)\..*/\1/')"
kube_ldflags+=" -X k8s.io/component-base/version.gitMinor=$(echo "$kube_version" | sed -E 's/^v[0-9]+\.([0-9]+).*/\1/')"
build_once "etcd, kube-apiserver, kube-controller-manager, kube-scheduler, kubectl $kube_version" "$engine_dir/cluster" "$cluster_bin" \
  "$(inputs_key "$engine_dir/cluster" "$kube_version")" \
  go build -trimpath -ldflags "$kube_ldflags" -o "$cluster_bin/" \
    k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager \
    k8s.io/kubernetes/cmd/kube-scheduler k8s.io/kubernetes/cmd/kubectl ./cmd/etcd

kwok_version="$(sed -nE 's/^require sigs.k8s.io\/kwok (v[0-9.]+)$/\1/p' "$engine_dir/kwok/go.mod")"
kwok_bin="$PLATFORM_CACHE/cluster/kwok-$kwok_version/bin"
build_once "kwok $kwok_version (simulated nodes)" "$engine_dir/kwok" "$kwok_bin" \
  "$(inputs_key "$engine_dir/kwok" "$kwok_version")" \
  go build -trimpath -ldflags "-s -w" -o "$kwok_bin/" sigs.k8s.io/kwok/cmd/kwok
ln -sf "$kwok_bin/kwok" "$cluster_bin/kwok"
echo "$cluster_bin" > "$PLATFORM_DATA/cluster-bin"

helm_version="$(sed -nE 's/^require helm.sh\/helm\/v3 (v[0-9.]+)$/\1/p' "$engine_dir/helm/go.mod")"
[ "$go_minor" -ge 26 ] || die "Go $(go env GOVERSION) is too old; helm $helm_version needs Go >= 1.26"
helm_bin="$PLATFORM_CACHE/helm-$helm_version/bin"
# Helm's Makefile stamps its default capabilities with the Kubernetes minor of its client-go
# (v0.37 -> 1.37); unstamped, `helm template` assumes v1.20 and current charts refuse to render.
helm_kube_minor="$(cd "$engine_dir/helm" && go list -m -f '{{.Version}}' k8s.io/client-go | sed -E 's/^v0\.([0-9]+)\..*/\1/')"
helm_ldflags="-s -w -X helm.sh/helm/v3/internal/version.version=$helm_version -X helm.sh/helm/v3/internal/version.gitTreeState=clean"
for pkg in pkg/lint/rules pkg/chartutil; do
  helm_ldflags+=" -X helm.sh/helm/v3/$pkg.k8sVersionMajor=1 -X helm.sh/helm/v3/$pkg.k8sVersionMinor=$helm_kube_minor"
done
build_once "helm $helm_version (renders charts in tests)" "$engine_dir/helm" "$helm_bin" \
  "$(inputs_key "$engine_dir/helm" "$helm_version $helm_kube_minor")" \
  go build -trimpath -ldflags "$helm_ldflags" -o "$helm_bin/" helm.sh/helm/v3/cmd/helm
ln -sf "$helm_bin/helm" "$cluster_bin/helm"

actionlint_version="$(sed -nE 's/^require github.com\/rhysd\/actionlint (v[0-9.]+)$/\1/p' "$engine_dir/actionlint/go.mod")"
actionlint_bin="$PLATFORM_CACHE/tools/actionlint-$actionlint_version/bin"
build_once "actionlint $actionlint_version (workflow checker)" "$engine_dir/actionlint" "$actionlint_bin" \
  "$(inputs_key "$engine_dir/actionlint" "$actionlint_version")" \
  go build -trimpath -ldflags "-s -w -X github.com/rhysd/actionlint.version=$actionlint_version" -o "$actionlint_bin/" github.com/rhysd/actionlint/cmd/actionlint

gofakes3_version="$(sed -nE 's/^require github.com\/johannesboyne\/gofakes3 (v[0-9.]+)$/\1/p' "$engine_dir/s3-emulator/go.mod")"
gofakes3_bin="$PLATFORM_CACHE/tools/gofakes3-$gofakes3_version/bin"
build_once "gofakes3 $gofakes3_version (S3 emulator for tests)" "$engine_dir/s3-emulator" "$gofakes3_bin" \
  "$(inputs_key "$engine_dir/s3-emulator" "$gofakes3_version")" \
  go build -trimpath -ldflags "-s -w" -o "$gofakes3_bin/" github.com/johannesboyne/gofakes3/cmd/gofakes3

prometheus_version="$(sed -nE 's/^require github.com\/prometheus\/prometheus (v[0-9.]+)$/\1/p' "$engine_dir/prometheus/go.mod")"
prometheus_bin="$PLATFORM_CACHE/tools/prometheus-$prometheus_version/bin"
# remove_all_sd leaves out the cloud service discoveries: the tests scrape a static loopback target.
build_once "prometheus $prometheus_version (metric-check tests)" "$engine_dir/prometheus" "$prometheus_bin" \
  "$(inputs_key "$engine_dir/prometheus" "$prometheus_version remove_all_sd")" \
  go build -trimpath -tags remove_all_sd -ldflags "-s -w -X github.com/prometheus/common/version.Version=${prometheus_version#v}" -o "$prometheus_bin/" github.com/prometheus/prometheus/cmd/prometheus

tools_bin="$PLATFORM_CACHE/tools/bin"
mkdir -p "$tools_bin"
ln -sf "$prometheus_bin/prometheus" "$tools_bin/prometheus"
ln -sf "$actionlint_bin/actionlint" "$tools_bin/actionlint"
ln -sf "$gofakes3_bin/gofakes3" "$tools_bin/gofakes3"
echo "$tools_bin" > "$PLATFORM_DATA/tools-bin"
step "engine ready: $(pulumi version) at $engine_bin; plugins in $PULUMI_HOME"
