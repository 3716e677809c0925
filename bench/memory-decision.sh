#!/usr/bin/env bash
# Issue 5's memory decision, measured side by side in one run: the in-process heap guard against
# worker JVMs (own -Xmx, -XX:+ExitOnOutOfMemoryError, a supervisor that restarts them). Prints
# Markdown tables (also written to bench/target/memory-decision.md); progress goes to stderr.
#   bench/memory-decision.sh
#   MD_WARMUP_SECONDS=30 MD_RUNS=300 MD_BOMB_REPS=3 MD_WORKERS=2 MD_WORKER_SLOTS=2 MD_SOLO_WORKERS=3
#   MD_WORKER_XMX=256m MD_IN_PROCESS_XMX=2g MD_BOMBS=path,path (relative to the repo root)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
source "$root/scripts/lib.sh"
source "$root/bench/lib.sh"
nsl_find_java
bench_build "$root"
cp="$bench_cp"
opts="$bench_jvm_opts"
extra=()
[ -n "${MD_BOMBS:-}" ] && extra+=("-Dmd.bombs=$MD_BOMBS")
# shellcheck disable=SC2086
exec java $opts -Xmx"${MD_IN_PROCESS_XMX:-2g}" -Xss16m -Dnsl.root="$root" -DNSL_LOG_LEVEL=WARN \
  -Dmd.warmupSeconds="${MD_WARMUP_SECONDS:-30}" -Dmd.runs="${MD_RUNS:-300}" \
  -Dmd.bombReps="${MD_BOMB_REPS:-3}" -Dmd.workers="${MD_WORKERS:-2}" \
  -Dmd.workerSlots="${MD_WORKER_SLOTS:-2}" -Dmd.soloWorkers="${MD_SOLO_WORKERS:-3}" \
  -Dmd.workerXmx="${MD_WORKER_XMX:-256m}" -Dmd.pings="${MD_PINGS:-1000}" \
  "${extra[@]}" -cp "$cp" io.nsl.bench.worker.MemoryDecisionBench
