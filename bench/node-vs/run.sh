#!/usr/bin/env bash
# GraalJS (NSL engine, JMH) vs Node vm, same workloads (bench/workloads), one run; prints a table
# with the ratio.
#   bench/node-vs/run.sh    (BENCH_SECONDS=5 per iteration by default; 5 warm-up + 5 measured
#                            iterations after BENCH_WARMUP_SECONDS=20 of service warm-up;
#                            BENCH_WORKLOADS=trivial,fib25 for a subset)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
source "$root/scripts/lib.sh"
source "$root/bench/lib.sh"
nsl_find_java
secs="${BENCH_SECONDS:-5}"
warm="${BENCH_WARMUP_SECONDS:-20}"
bench_build "$root"
out="$root/bench/jmh/target"
echo "# load before: $(cat /proc/loadavg)" >&2
workloads="${BENCH_WORKLOADS:-trivial,fib25,sha256_100k,json_100k,sort_100k}"
# The JMH runner itself needs no JIT flags: it forks the measured JVM with config/jvm.options.
java -Djmh.ignoreLock=true -Dnsl.root="$root" -Dbench.seconds="$secs" -Dbench.warmupSeconds="$warm" -Dbench.workloads="$workloads" -cp "$bench_cp" io.nsl.bench.js.BenchMain >&2
BENCH_SECONDS="$secs" BENCH_WORKLOADS="$workloads" node "$root/bench/node-vs/vm-bench.js" > "$out/node.jsonl"
node -e '
const fs = require("fs");
const path = require("path");
const jmh = JSON.parse(fs.readFileSync(process.argv[1], "utf8"));
const node = Object.fromEntries(fs.readFileSync(process.argv[2], "utf8").trim().split("\n").map(l => JSON.parse(l)).map(o => [o.workload, o]));
const cpu = (w) => { try { return JSON.parse(fs.readFileSync(path.join(process.argv[3], "cpu-" + w + ".json"), "utf8")).opsPerCpuSecond; } catch (e) { return NaN; } };
console.log("| workload | GraalJS ops/s (wall) | Node vm ops/s (wall) | GraalJS / Node (wall) | GraalJS ops/CPU-s | Node vm ops/CPU-s | GraalJS / Node (CPU) |");
console.log("|---|---|---|---|---|---|---|");
for (const r of jmh) {
  const w = r.params.workload, g = r.primaryMetric.score, n = node[w].opsPerSec, gc = cpu(w), nc = node[w].opsPerCpuSecond;
  console.log(`| ${w} | ${g.toFixed(1)} ± ${r.primaryMetric.scoreError.toFixed(1)} | ${n.toFixed(1)} | ${(g / n).toFixed(2)}x | ${gc.toFixed(1)} | ${nc.toFixed(1)} | ${(gc / nc).toFixed(2)}x |`);
}' "$out/jmh.json" "$out/node.jsonl" "$out"
echo "# load after: $(cat /proc/loadavg)"
