# Shared helpers for ./nsl and the scripts. Source it; it defines functions only.

nsl_root() { cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd; }

# Finds a JDK 25 or newer and exports JAVA_HOME. Order: $NSL_JAVA_HOME, $JAVA_HOME,
# then the Temurin JDKs installed beside the system one.
nsl_find_java() {
  local candidates=("${NSL_JAVA_HOME:-}" "${JAVA_HOME:-}")
  local d
  for d in /usr/lib/jvm/temurin-2[5-9]* /usr/lib/jvm/*-2[5-9]-* /usr/lib/jvm/jdk-2[5-9]* /opt/java/*2[5-9]*; do
    [ -d "$d" ] && candidates+=("$d")
  done
  for d in "${candidates[@]}"; do
    [ -n "$d" ] && [ -x "$d/bin/java" ] || continue
    local major
    major="$("$d/bin/java" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2}')"
    if [ -n "$major" ] && [ "${major%%.*}" -ge 25 ] 2>/dev/null; then
      export JAVA_HOME="$d"
      export PATH="$JAVA_HOME/bin:$PATH"
      # Maven 3.8 bundles a Guava that calls sun.misc.Unsafe; JDK 25 warns on every run.
      export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
      return 0
    fi
  done
  echo "error: NSL needs a JDK 25 or newer and found none." >&2
  echo "       Looked at \$NSL_JAVA_HOME, \$JAVA_HOME and /usr/lib/jvm/temurin-25*." >&2
  echo "       Install Temurin 25 (apt package temurin-25-jdk) or set NSL_JAVA_HOME to a JDK 25 folder." >&2
  return 1
}

# Prints the JVM flags of config/jvm.options under $1 (the project folder), the one place the
# project keeps them: '#' lines are comments, @NSL_ROOT@ is that folder.
nsl_jvm_options() {
  grep -v '^#' "$1/config/jvm.options" 2>/dev/null | sed "s|@NSL_ROOT@|$1|g" | xargs
}

nsl_require() {
  local tool="$1" hint="$2"
  command -v "$tool" >/dev/null 2>&1 && return 0
  echo "error: '$tool' is not installed. $hint" >&2
  return 1
}

nsl_step() { printf '\033[1m==> %s\033[0m\n' "$*"; }
