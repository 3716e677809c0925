#!/usr/bin/env bash
# What Object.freeze of each core intrinsic costs per fresh GraalJS context (the prelude's freeze is
# ~40 % of a trivial execution): bench/freeze-cost.sh [contexts=6000].
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
source "$root/scripts/lib.sh"
nsl_find_java
(cd "$root" && mvn -q -B -Pbench -pl bench -am -DskipTests package)
java -XX:+UnlockExperimentalVMOptions -XX:+EnableJVMCI --sun-misc-unsafe-memory-access=allow \
  --enable-native-access=org.graalvm.truffle,ALL-UNNAMED \
  --module-path "$root/plugin/target/graal" --add-modules org.graalvm.polyglot \
  --upgrade-module-path "$root/plugin/target/jvmci/compiler-25.0.3.jar" \
  -cp "$root/bench/target/classes:$root/bench/target/lib/*" io.nsl.bench.FreezeCost "$@"
