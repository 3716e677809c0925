# Shared by the bench scripts; source it after scripts/lib.sh. Defines functions only.

# Builds the bench module bench/jmh (and the service it measures) and sets bench_cp and
# bench_jvm_opts: the JIT flags from config/jvm.options, the one place the project keeps them.
bench_build() {
  local root="$1"
  (cd "$root" && mvn -q -B -Pbench -pl bench/jmh -am -DskipTests package)
  bench_cp="$root/bench/jmh/target/classes:$root/bench/jmh/target/lib/*"
  bench_jvm_opts=$(grep -v '^#' "$root/config/jvm.options" | sed "s|@NSL_ROOT@|$root|g" | xargs)
}
