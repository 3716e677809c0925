#!/usr/bin/env bash
# Does a prelude change charge exactly what the earlier prelude charged? Runs the hostile corpus
# (but its TIMEOUT cases) and a list of JSON cases on the prelude as built and on the given one,
# comparing status, gas used, result and message, and for the JSON cases the memory count
# (io.nsl.js.ChargeParity); exits 1 on any difference:
#   git show HEAD~1:plugin/src/main/resources/io/nsl/js/internal/prelude.js > /tmp/before.js
#   bench/jmh/charge-parity.sh /tmp/before.js [hostileDir] [caseNameRegex]
# The earlier prelude must only call bridge methods the current GuestBridge still has.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
source "$root/scripts/lib.sh"
source "$root/bench/lib.sh"
nsl_find_java
bench_build "$root"
# shellcheck disable=SC2086
exec java $bench_jvm_opts -Xss16m -DNSL_LOG_LEVEL=WARN -Dnsl.root="$root" ${JAVA_OPTS:-} \
  -cp "$bench_cp" io.nsl.js.ChargeParity "$@"
