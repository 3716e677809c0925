#!/usr/bin/env bash
# Does GraalJS VERSION run compiled on this JDK with Graal compiler COMPILER (decision 0711)?
#   bench/graal-probe/probe.sh VERSION [COMPILER=25.0.3] [ICU4J=VERSION]
# Resolves org.graalvm.polyglot:polyglot, org.graalvm.js:js-language and
# org.graalvm.truffle:truffle-runtime at VERSION (icu4j at ICU4J: 25.0.5.0.x has none of its own)
# and org.graalvm.compiler:compiler at COMPILER with Maven into target/graal-probe/, then runs
# Probe.java with the flags of config/jvm.options on that module path. Prints Truffle's fallback
# warning, if any, and the probe's answer.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
source "$root/scripts/lib.sh"
nsl_find_java
v="$1"; c="${2:-25.0.3}"; icu="${3:-$1}"
dir="$root/bench/graal-probe/target/$v"
mkdir -p "$dir"
cat > "$dir/pom.xml" <<POM
<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
  <groupId>io.nsl</groupId><artifactId>graal-probe</artifactId><version>1</version><packaging>pom</packaging>
  <dependencyManagement><dependencies>
    <dependency><groupId>org.graalvm.shadowed</groupId><artifactId>icu4j</artifactId><version>$icu</version></dependency>
  </dependencies></dependencyManagement>
  <dependencies>
    <dependency><groupId>org.graalvm.polyglot</groupId><artifactId>polyglot</artifactId><version>$v</version></dependency>
    <dependency><groupId>org.graalvm.js</groupId><artifactId>js-language</artifactId><version>$v</version></dependency>
    <dependency><groupId>org.graalvm.truffle</groupId><artifactId>truffle-runtime</artifactId><version>$v</version></dependency>
  </dependencies>
</project>
POM
(cd "$dir" && mvn -B -q dependency:copy-dependencies -DincludeTypes=jar -DoutputDirectory="$dir/graal" \
  && mvn -B -q dependency:copy -Dartifact="org.graalvm.compiler:compiler:$c" -DoutputDirectory="$dir/jvmci")
javac -d "$dir/classes" -cp "$dir/graal/polyglot-$v.jar" "$root/bench/graal-probe/Probe.java"
java -XX:+UnlockExperimentalVMOptions -XX:+EnableJVMCI --sun-misc-unsafe-memory-access=allow \
  --enable-native-access=org.graalvm.truffle,ALL-UNNAMED --module-path "$dir/graal" \
  --add-modules org.graalvm.polyglot --upgrade-module-path "$dir/jvmci/compiler-$c.jar" \
  -cp "$dir/classes" Probe 2>&1 | grep -v -e '^\[To redirect' -e "^\* '" -e '^\* Configure' || true
