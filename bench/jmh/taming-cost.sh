#!/usr/bin/env bash
# What override taming (decision 0301) costs per fresh context, all ways in ONE JVM: NSL's
# trivial execution (JavaScriptEngine.execute) on an engine with the prelude as it is, on one whose
# tamed-name list is empty (nothing tamed; everything else the same) and on one per variant prelude
# file given; the engines take turns execution by execution, each execution costed by the CPU of
# the guest thread that ran it (io.nsl.js.TamingCost):
# bench/jmh/taming-cost.sh [warmupCpuSeconds=60] [measureCpuSeconds=30] [variantPrelude.js ...].
# Prints per engine the median CPU per execution, fresh contexts per CPU-second, the ratio to the
# untamed engine (overall and per fifth of the run) and the load average before and after.
# JAVA_OPTS adds JVM options.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
source "$root/scripts/lib.sh"
source "$root/bench/lib.sh"
nsl_find_java
bench_build "$root"
# shellcheck disable=SC2086
exec java $bench_jvm_opts -Xss16m -DNSL_LOG_LEVEL=WARN ${JAVA_OPTS:-} -cp "$bench_cp" \
  io.nsl.js.TamingCost "${1:-60}" "${2:-30}" "${@:3}"
