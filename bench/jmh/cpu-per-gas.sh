#!/usr/bin/env bash
# CPU time per gas, workload by workload (issue 17): marginal process CPU ns per gas between n and
# 2n of each workload, and the worst / average ratio: bench/jmh/cpu-per-gas.sh [warmupSeconds=60]
# [secondsPerWorkload=4] [repeats=3] (the median of the repeats is reported). JAVA_OPTS adds JVM options.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
source "$root/scripts/lib.sh"
source "$root/bench/lib.sh"
nsl_find_java
bench_build "$root"
# shellcheck disable=SC2086
java $bench_jvm_opts -Xss16m -DNSL_LOG_LEVEL=WARN ${JAVA_OPTS:-} -cp "$bench_cp" io.nsl.bench.js.CpuPerGas "$@"
