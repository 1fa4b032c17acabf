#!/usr/bin/env bash
# Builds kube-apiserver and etcd from the Go module proxy only, into a git-ignored folder
# (.tools/k8s-<version>/bin), for the cluster tests (test/cluster) and `npm run bench:audit`.
# Does nothing when both binaries are already there with the pinned versions.
#
# Why a scratch module: `go install` cannot build either (k8s.io/kubernetes replaces its
# staging modules with ./staging paths, etcd's server module replaces its siblings), so
# tools/cluster/module/go.mod requires k8s.io/kubernetes and maps every staging module to
# its published v0.<minor>.<patch> tag; go.sum is committed, so the build is pinned and
# checksummed. `tools/cluster/build.sh --update` regenerates go.mod/go.sum (for a version bump).
#
# Needs: go (>= the go line of k8s.io/kubernetes), network access to the Go module proxy on
# a cold cache. Costs: 4-8 min and ~2 GB RAM on a cold 2-core machine, ~10 s warm.
set -euo pipefail
K8S=v1.35.4      # k8s.io/kubernetes
ETCD=v3.6.5      # the etcd version k8s.io/kubernetes v1.35.4 pins itself (shares its dependencies)
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
MOD="$HERE/module"
OUT=${PALISADE_K8S_BIN:-"$ROOT/.tools/k8s-$K8S/bin"}
GO=${GO:-$(command -v go || echo /usr/local/go/bin/go)}
export GOTOOLCHAIN=local GOFLAGS="-modcacherw -buildvcs=false"

say() { printf 'cluster build: %s\n' "$*" >&2; }

if [[ "${1:-}" == "--update" ]]; then
  STAGING=v0.${K8S#v1.}
  KMOD=$(cd "$MOD" && "$GO" mod download -json "k8s.io/kubernetes@$K8S" | sed -n 's/.*"GoMod": "\(.*\)",/\1/p')
  {
    printf 'module apiserverbuild\n\ngo %s\n\nrequire k8s.io/kubernetes %s\n\nreplace (\n' \
      "$(awk '$1=="go" {print $2; exit}' "$KMOD")" "$K8S"
    sed -n '/^replace (/,/^)/p' "$KMOD" | awk -v v="$STAGING" '$2=="=>" && $3 ~ /^\.\/staging/ {print "\t" $1 " => " $1 " " v}'
    printf ')\n'
  } > "$MOD/go.mod.new"
  mv "$MOD/go.mod.new" "$MOD/go.mod"
  rm -f "$MOD/go.sum"
  (cd "$MOD" && "$GO" get "k8s.io/kubernetes/cmd/kube-apiserver@$K8S" "go.etcd.io/etcd/server/v3@$ETCD")
  say "regenerated $MOD/go.mod and go.sum"
fi

# The version is read into a variable first: `| grep -q` would close the pipe early, and the
# binary's SIGPIPE fails the check under pipefail (a needless rebuild).
have() { [[ -x "$OUT/$1" ]] || return 1; local v; v=$("$OUT/$1" --version 2>/dev/null) || return 1; [[ "$v" == *"$2"* ]]; }
if have kube-apiserver "Kubernetes $K8S" && have etcd "etcd Version: ${ETCD#v}"; then
  say "kube-apiserver $K8S and etcd $ETCD already in $OUT"
  exit 0
fi
command -v "$GO" >/dev/null || { say "go not found (set GO=/path/to/go)"; exit 2; }

mkdir -p "$OUT"
START=$(date +%s)
LDX=""
for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  LDX="$LDX -X $p.gitVersion=$K8S -X $p.gitMajor=1 -X $p.gitMinor=$(echo "$K8S" | cut -d. -f2) -X $p.gitTreeState=clean"
done
cd "$MOD"
# Build to temp names and rename, so an interrupted build never leaves a half-written binary.
"$GO" build -trimpath -ldflags="-s -w$LDX" -o "$OUT/kube-apiserver.tmp" k8s.io/kubernetes/cmd/kube-apiserver
"$GO" build -trimpath -ldflags="-s -w" -o "$OUT/etcd.tmp" go.etcd.io/etcd/server/v3
mv "$OUT/kube-apiserver.tmp" "$OUT/kube-apiserver"
mv "$OUT/etcd.tmp" "$OUT/etcd"
ETCD_VERSION=$("$OUT/etcd" --version)
say "built $("$OUT/kube-apiserver" --version) and ${ETCD_VERSION%%$'\n'*} in $(( $(date +%s) - START )) s into $OUT"
