#!/usr/bin/env bash
# Installs the pinned neo-go into .tools/bin/neo-go (git-ignored). Idempotent.
#
# The version is pinned by scripts/neo-go-tool/go.mod (+ go.sum for checksums). We build from that
# module instead of `go install ...@v0.122.0` because the module proxy here refuses the version
# list that `go install pkg@version` asks for when checking deprecation.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
tool="$root/scripts/neo-go-tool"
version="$(awk '$1=="require" && $2=="github.com/nspcc-dev/neo-go" {print $3}' "$tool/go.mod")"
bin="$root/.tools/bin"
target="$bin/neo-go"

if [ -x "$target" ] && "$target" --version 2>/dev/null | grep -q "${version#v}"; then
  exit 0
fi
if ! command -v go >/dev/null 2>&1; then
  echo "error: Go is not installed; neo-go $version is built from source with Go. Install Go 1.25 or newer and retry." >&2
  exit 1
fi
# The interop module version neo-go itself pins: new contracts get the same one.
interop="$(cd "$tool" && go mod download -json github.com/nspcc-dev/neo-go | awk -F'"' '/"GoMod"/ {print $4}' | xargs awk '$1 ~ /pkg\/interop$/ {print $2; exit}')"
echo "==> building neo-go $version into .tools/bin (first time only; about a minute)"
mkdir -p "$bin"
# Version strings: without them the binary reports no version and 'contract init' writes
# 'interop latest' into new contracts' go.mod.
ldflags="-X github.com/nspcc-dev/neo-go/pkg/config.Version=${version#v}"
ldflags="$ldflags -X github.com/nspcc-dev/neo-go/cli/smartcontract.ModVersion=$interop"
(cd "$tool" && CGO_ENABLED=0 go build -mod=mod -trimpath -ldflags "$ldflags" -o "$target.tmp" github.com/nspcc-dev/neo-go/cli)
mv "$target.tmp" "$target"
"$target" --version | head -2
