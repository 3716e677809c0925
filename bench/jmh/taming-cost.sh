#!/usr/bin/env bash
# What override taming (decision 0301) costs per fresh context, both ways in ONE JVM: NSL's
# trivial execution (JavaScriptEngine.execute) on an engine with the prelude as it is and on one
# whose tamed-name list is empty (nothing tamed; everything else the same), shared warm-up, then
# alternating blocks with the order swapped every round, counted in seconds of process CPU (io.nsl.js.TamingCost):
# bench/jmh/taming-cost.sh [warmupCpuSeconds=60] [blockCpuSeconds=4] [rounds=10].
# Prints each round (fresh executions per CPU-second both ways, their ratio), the medians and the
# load average before and after. JAVA_OPTS adds JVM options.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
source "$root/scripts/lib.sh"
source "$root/bench/lib.sh"
nsl_find_java
bench_build "$root"
# shellcheck disable=SC2086
exec java $bench_jvm_opts -Xss16m -DNSL_LOG_LEVEL=WARN ${JAVA_OPTS:-} -cp "$bench_cp" \
  io.nsl.js.TamingCost "${1:-60}" "${2:-4}" "${3:-10}"
