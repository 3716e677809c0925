# Shared by the bench scripts; source it after scripts/lib.sh. Defines functions only.

# Builds the bench module bench/jmh (and the service it measures) and sets bench_cp and
# bench_jvm_opts: the JIT flags from config/jvm.options, the one place the project keeps them.
bench_build() {
  local root="$1"
  (cd "$root" && mvn -q -B -Pbench -pl bench/jmh -am -DskipTests package)
  bench_cp="$root/bench/jmh/target/classes:$root/bench/jmh/target/lib/*"
  bench_jvm_opts=$(nsl_jvm_options "$root")
}

# For the reports that drive the real stack from the service's test classes (io.nsl.load): the
# pinned neo-go, the contracts, plugin/ built with its tests; sets bench_test_cp and bench_jvm_opts.
bench_build_service_tests() {
  local root="$1"
  "$root/scripts/install-neo-go.sh"
  "$root/scripts/build-contracts.sh" >/dev/null
  (cd "$root" && mvn -q -B -DskipTests package test-compile)
  bench_test_cp="$root/plugin/target/test-classes:$root/plugin/target/classes:$root/plugin/target/lib/*"
  bench_jvm_opts=$(nsl_jvm_options "$root")
}
