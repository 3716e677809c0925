#!/usr/bin/env bash
# What one fresh GraalJS context costs before NSL adds anything, next to NSL's whole trivial
# execution, in one JVM: bench/jmh/realm-floor.sh [warmupSeconds=60] [measureSeconds=10] [ways=bare,constrained,nsl]
# (each way is warmed, then measured). JAVA_OPTS adds JVM options (e.g. a JFR recording).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
source "$root/scripts/lib.sh"
source "$root/bench/lib.sh"
nsl_find_java
bench_build "$root"
# shellcheck disable=SC2086
java $bench_jvm_opts -Xss16m -DNSL_LOG_LEVEL=WARN ${JAVA_OPTS:-} -cp "$bench_cp" io.nsl.bench.js.RealmFloor "$@"
