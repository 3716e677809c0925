#!/usr/bin/env bash
# Load report (issue 8): the real stack on a local chain, driven at fixed request rates.
#   bench/load/run.sh [RATES] [SECONDS_PER_RATE] [ws|poll]   e.g. bench/load/run.sh 10,50,200 15
# Prints latency in blocks and seconds (p50/p95), whether the service kept up, and the share of
# time per pipeline stage. The driver is io.nsl.load.LoadReport in the service's test classes (it
# uses the test harness), so this builds plugin/ with its tests: mvn -DskipTests package test-compile.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
source "$root/scripts/lib.sh"
source "$root/bench/lib.sh"
nsl_find_java
bench_build_service_tests "$root"
# shellcheck disable=SC2086
exec java $bench_jvm_opts -Xmx2g -Dnsl.root="$root" -DNSL_LOG_LEVEL=WARN \
  -cp "$bench_test_cp" io.nsl.load.LoadReport "$@"
