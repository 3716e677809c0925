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
