#!/usr/bin/env bash
# How long each memory bomb runs in a warm service (decision 0710, "Fifth session"): the engine
# runs the ordinary workloads for warmCpuSeconds of process CPU first, then each bomb runs as a
# fresh upload `runs` times and once more as the same source, under each budget:
# bench/jmh/memory-bombs-warm.sh [warmCpuSeconds=90] [runs=3] [only=per-element] [budgets=default,8388608]
# JAVA_OPTS adds JVM options (e.g. -Xmx2g, or -Dpolyglot.engine.Mode=latency to compare).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
source "$root/scripts/lib.sh"
source "$root/bench/lib.sh"
nsl_find_java
bench_build "$root"
# shellcheck disable=SC2086
java $bench_jvm_opts -Xss16m -Dnsl.root="$root" -DNSL_LOG_LEVEL=WARN ${JAVA_OPTS:-} -cp "$bench_cp" \
  io.nsl.bench.js.WarmMemoryBombTime "$@"
