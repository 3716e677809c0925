#!/usr/bin/env bash
# What override taming (decision 0301) costs per fresh context: NSL's trivial execution
# (RealmFloor's nsl way) with the prelude as it is, and with a copy whose tamed-name list is empty
# (so nothing is tamed; everything else the same), in alternating JVMs:
# bench/jmh/taming-cost.sh [warmupSeconds=40] [measureSeconds=15] [pairs=3].
# Prints ops per CPU-second of each run and the median of each side.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
source "$root/scripts/lib.sh"
source "$root/bench/lib.sh"
nsl_find_java
bench_build "$root"
warm="${1:-40}"
measure="${2:-15}"
pairs="${3:-3}"
untamed="$root/bench/jmh/target/untamed"
mkdir -p "$untamed/io/nsl/js/internal"
# The list is one array literal starting at "const tamedKeys = [" and ending at "];".
perl -0pe 's/const tamedKeys = \[[^;]*\];/const tamedKeys = [];/ or die "no tamedKeys list"' \
  "$root/plugin/src/main/resources/io/nsl/js/internal/prelude.js" \
  >"$untamed/io/nsl/js/internal/prelude.js"
run() { # $1: extra classpath in front (empty: the prelude as built)
  # shellcheck disable=SC2086
  java $bench_jvm_opts -Xss16m -DNSL_LOG_LEVEL=WARN ${JAVA_OPTS:-} -cp "$1$bench_cp" \
    io.nsl.bench.js.RealmFloor "$warm" "$measure" nsl | awk -F'|' '/^\| nsl/ { gsub(/ /, "", $8); print $8 }'
}
echo "# load before: $(cat /proc/loadavg)"
tamed=()
bare=()
for ((i = 1; i <= pairs; i++)); do
  t=$(run "")
  u=$(run "$untamed:")
  echo "pair $i: tamed $t, untamed $u ops per CPU-second"
  tamed+=("$t")
  bare+=("$u")
done
median() { printf '%s\n' "$@" | sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
mt=$(median "${tamed[@]}")
mu=$(median "${bare[@]}")
echo "median: tamed $mt, untamed $mu ops per CPU-second; taming costs $(awk -v t="$mt" -v u="$mu" 'BEGIN { printf "%.1f", 100 * (u - t) / u }') %"
echo "# load after: $(cat /proc/loadavg)"
