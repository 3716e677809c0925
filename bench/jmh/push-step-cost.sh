#!/usr/bin/env bash
# What one element of a push bomb costs once compiled, plain GraalJS against the service's engine,
# same source and fresh source (decision 0710, "Fifth session"):
# bench/jmh/push-step-cost.sh [warmCpuSeconds=60] [rounds=5] [n=1000000]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
source "$root/scripts/lib.sh"
source "$root/bench/lib.sh"
nsl_find_java
bench_build "$root"
# shellcheck disable=SC2086
java $bench_jvm_opts -Xss16m -Dnsl.root="$root" -DNSL_LOG_LEVEL=WARN ${JAVA_OPTS:-} -cp "$bench_cp" \
  io.nsl.bench.js.PushStepCost "$@"
