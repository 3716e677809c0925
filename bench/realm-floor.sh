#!/usr/bin/env bash
# What one fresh GraalJS context costs before NSL adds anything, next to NSL's whole trivial
# execution, in one JVM: bench/realm-floor.sh [warmupSeconds=60] [measureSeconds=10] [ways=bare,constrained,nsl]
# (each way is warmed, then measured). JAVA_OPTS adds JVM options (e.g. a JFR recording).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
source "$root/scripts/lib.sh"
nsl_find_java
(cd "$root" && mvn -q -B -Pbench -pl bench -am -DskipTests package)
java -XX:+UnlockExperimentalVMOptions -XX:+EnableJVMCI --sun-misc-unsafe-memory-access=allow \
  --enable-native-access=org.graalvm.truffle,ALL-UNNAMED \
  --module-path "$root/plugin/target/graal" --add-modules org.graalvm.polyglot \
  --upgrade-module-path "$root/plugin/target/jvmci/compiler-25.0.3.jar" -Xss16m -DNSL_LOG_LEVEL=WARN ${JAVA_OPTS:-} \
  -cp "$root/bench/target/classes:$root/bench/target/lib/*" io.nsl.bench.RealmFloor "$@"
