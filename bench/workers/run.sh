#!/usr/bin/env bash
# Several workers on one PostgreSQL (issue 19): sustained answers/s and p95 blocks-to-answer for
# 1, 2 and 3 workers, side by side with the ratio to 1 worker, and the CPU of every process.
#   [WORKLOAD=double|latency|latency:MIN-MAX] bench/workers/run.sh [REQUESTS=1500]
#       [WORKER_COUNTS=1,2,3] [FUNCTIONS=6, 30 for latency] [WARMUP=200]
# WARMUP requests per worker are answered first and not counted (a fresh worker JVM spends most of
# its first minutes compiling; 3 of them would otherwise pay 3 times that inside the measured span).
# WORKLOAD=double (the default): requests go round-robin to FUNCTIONS copies of
# examples/functions/double.js, a few ms of JavaScript each (on 2 cores the machine is the limit).
# WORKLOAD=latency: to FUNCTIONS copies of bench/workers/quote.js, which fetch an endpoint the
# report runs on loopback that answers in 200-500 ms (latency:MIN-MAX for other delays); the
# devnet's workers are restarted with a dev-mode fetch rule (plain http to 127.0.0.1) to reach it.
# The runs of one function are serial across all workers (its lock in the shared store, decision
# 1010), hence several functions.
# Each count gets a fresh './nsl devnet up --workers N --store postgresql' (in a temporary folder,
# purged after). The driver is io.nsl.load.WorkersReport in the service's test classes (it uses
# the test harness's GatewayEvents), so this builds plugin/ with its tests.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
source "$root/scripts/lib.sh"
source "$root/bench/lib.sh"
nsl_find_java
"$root/scripts/build-console.sh"
bench_build_service_tests "$root"
echo "load average at start: $(cat /proc/loadavg)"
# shellcheck disable=SC2086
exec java $bench_jvm_opts -Xmx1g -Dnsl.root="$root" -DNSL_LOG_LEVEL=WARN \
  -Dnsl.bench.workload="${WORKLOAD:-double}" \
  -cp "$bench_test_cp" io.nsl.load.WorkersReport "$@"
