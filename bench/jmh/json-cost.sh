#!/usr/bin/env bash
# Where json_100k's time goes (issue 17, item 9), all ways in ONE run taking turns execution by
# execution, each execution costed in CPU time (io.nsl.js.JsonCost): Node vm (a child process,
# bench/node-vs/vm-once.js), plain GraalJS (same jars and engine options, no sandbox, no prelude),
# NSL's production path, the production path with GraalJS's own JSON.parse/stringify put back
# (NSL's JSON wrapping removed), and one engine per variant prelude file given:
# bench/jmh/json-cost.sh [warmupCpuSeconds=60] [measureCpuSeconds=60] [variantPrelude.js ...].
# BENCH_WORKLOADS (default json_100k,json_100k_parse,json_100k_stringify,trivial) picks workloads;
# JAVA_OPTS adds JVM options.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
source "$root/scripts/lib.sh"
source "$root/bench/lib.sh"
nsl_find_java
bench_build "$root"
# shellcheck disable=SC2086
exec java $bench_jvm_opts -Xss16m -DNSL_LOG_LEVEL=WARN -Dnsl.root="$root" \
  -Dbench.workloads="${BENCH_WORKLOADS:-json_100k,json_100k_parse,json_100k_stringify,trivial}" \
  ${JAVA_OPTS:-} -cp "$bench_cp" io.nsl.js.JsonCost "${1:-60}" "${2:-60}" "${@:3}"
