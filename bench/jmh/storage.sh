#!/usr/bin/env bash
# Encrypted vs plain RocksDB storage (1 KiB values, compression off, so the difference is sealing),
# and RocksDB vs PostgreSQL (StorageEngineBenchmark: get, put, list, batch as a function uses them;
# PostgreSQL from the machine's installation, or NSL_BENCH_PG_URL).
#   bench/jmh/storage.sh [PATTERN [JMH options]]  JMH, StorageBenchmark by default; e.g.
#                                               StorageBenchmark.read1KiB -p syncWrites=false -prof gc
#                                               StorageEngineBenchmark -t 8
#   bench/jmh/storage.sh cpu [rounds] [reads]   ReadCpuTime: the reading thread's own CPU time per read,
#                                               the two stores in alternating rounds (for a loaded machine)
# Storage needs no GraalJS, so no JIT flags.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
source "$root/scripts/lib.sh"
source "$root/bench/lib.sh"
nsl_find_java
bench_build "$root"
echo "# load before: $(cat /proc/loadavg)" >&2
if [ "${1:-}" = cpu ]; then
  shift
  java --enable-native-access=ALL-UNNAMED -cp "$bench_cp" io.nsl.bench.storage.ReadCpuTime "$@"
else
  java -Djmh.ignoreLock=true -cp "$bench_cp" org.openjdk.jmh.Main "${@:-StorageBenchmark}"
fi
echo "# load after: $(cat /proc/loadavg)" >&2
