#!/usr/bin/env bash
# How long each memory bomb runs before the counted budget stops it (decision 0710):
# bench/jmh/memory-bombs.sh [warmupRounds=5] [measuredRounds=5] [only] [memoryBytes], where only
# keeps the bombs whose name contains it (or one of its |-separated parts) and memoryBytes gives each
# bomb that budget instead of the default 128 MiB. JAVA_OPTS adds JVM options
# (e.g. -Xmx2g: the bombs allocate up to their 128 MiB budget, one 160 MB typed array at once).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
source "$root/scripts/lib.sh"
source "$root/bench/lib.sh"
nsl_find_java
bench_build "$root"
# shellcheck disable=SC2086
java $bench_jvm_opts -Xss16m -DNSL_LOG_LEVEL=WARN ${JAVA_OPTS:-} -cp "$bench_cp" io.nsl.bench.js.MemoryBombTime "$@"
