#!/usr/bin/env bash
# The whole test suite, as CI runs it: Go contract tests (neotest), then the service's unit and
# integration tests (Maven verify: surefire *Test, failsafe *IT against a real neo-go node), then
# a compile of the benchmark module.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
source "$root/scripts/lib.sh"
nsl_find_java
nsl_require go "Install Go 1.25 or newer." 
nsl_require mvn "Install Apache Maven 3.8 or newer (apt-get install maven)."

nsl_step "installing the pinned neo-go"
"$root/scripts/install-neo-go.sh"
nsl_step "PostgreSQL server programs (for the PostgreSQL storage tests; installed when missing)"
"$root/scripts/install-postgres.sh"
nsl_step "compiling contracts"
"$root/scripts/build-contracts.sh"
nsl_step "contract formatting (gofmt)"
unformatted=$(cd "$root/contracts" && gofmt -l .)
if [ -n "$unformatted" ]; then
  echo "error: these Go files are not gofmt-formatted; run 'gofmt -w contracts':" >&2
  echo "$unformatted" >&2
  exit 1
fi
nsl_step "contract tests (go test, neotest)"
(cd "$root/contracts" && go test -count=1 ./...)
# The web console is bundled before Maven so its files are on the service's classpath; its
# browser test (ConsoleBrowserIT) drives Debian's headless Chromium, installed here when missing.
NSL_CONSOLE_REQUIRED=1 "$root/scripts/build-console.sh"
nsl_step "web console unit tests (node --test)"
(cd "$root/console" && npm test)
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    nsl_step "installing Debian's chromium for the console's browser test"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "error: the console's browser test needs Debian's chromium: apt-get install chromium" >&2
    exit 1
  fi
fi
nsl_step "service tests (mvn verify: unit + integration)"
(cd "$root" && mvn -B ${NSL_MVN_ARGS:-} verify)
# The benchmark module is never run here, but it must keep compiling against the service.
nsl_step "benchmark module compiles (bench/jmh; not run)"
(cd "$root" && mvn -B -q ${NSL_MVN_ARGS:-} -Pbench -pl bench/jmh -am -DskipTests test-compile)
if [ -d "$root/clients/js" ]; then
  nsl_step "JavaScript client tests"
  (cd "$root/clients/js" && npm ci --no-audit --no-fund >/dev/null && npm test)
fi
nsl_step "all tests passed"
