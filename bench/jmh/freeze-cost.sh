#!/usr/bin/env bash
# What Object.freeze of each core intrinsic costs per fresh GraalJS context (the prelude's freeze is
# ~40 % of a trivial execution): bench/jmh/freeze-cost.sh [contexts=6000].
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
source "$root/scripts/lib.sh"
source "$root/bench/lib.sh"
nsl_find_java
bench_build "$root"
# shellcheck disable=SC2086
java $bench_jvm_opts -cp "$bench_cp" io.nsl.bench.js.FreezeCost "$@"
