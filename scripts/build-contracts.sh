#!/usr/bin/env bash
# Compiles every contract under contracts/<name>/ (a <name>.yml beside its Go code) to
# contracts/build/<name>.nef and <name>.manifest.json with the pinned neo-go.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/install-neo-go.sh"
neogo="$root/.tools/bin/neo-go"
out="$root/contracts/build"
mkdir -p "$out"
for yml in "$root"/contracts/*/*.yml; do
  dir="$(dirname "$yml")"
  name="$(basename "$yml" .yml)"
  # Skip up-to-date outputs so repeated runs (tests, demo) cost nothing.
  if [ -f "$out/$name.nef" ] && [ -z "$(find "$dir" -newer "$out/$name.nef" -name '*.go' -o -newer "$out/$name.nef" -name '*.yml' | grep -v _test.go)" ]; then
    continue
  fi
  echo "==> compiling contract $name"
  (cd "$root/contracts" && "$neogo" contract compile -i "$dir" -c "$yml" \
      -o "$out/$name.nef" -m "$out/$name.manifest.json")
done
