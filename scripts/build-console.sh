#!/usr/bin/env bash
# Builds the web console (console/: esbuild bundle) into console/dist, which the plugin's pom puts
# on the service's classpath as io/nsl/console/ (served at /console/). ./nsl (before its Maven
# build) and ./nsl test call it. npm ci runs only when package-lock.json changed; the bundle is
# rebuilt only when a source is newer than it. Needs Node 20+ and npm (apt-get install nodejs npm).
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
source "$root/scripts/lib.sh"
console="$root/console"
[ -d "$console" ] || exit 0
# Progress goes to stderr: ./nsl COMMAND --json keeps stdout for its JSON.
exec 1>&2

if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  if [ "${NSL_CONSOLE_REQUIRED:-}" = 1 ]; then
    echo "error: building the web console needs Node 20+ and npm: apt-get install nodejs npm" >&2
    exit 1
  fi
  echo "warning: node/npm not found, so the web console is not built (/console/ answers 404)." >&2
  echo "         apt-get install nodejs npm, then run ./nsl again." >&2
  exit 0
fi

stamp_deps="$console/node_modules/.nsl-installed"
if [ ! -f "$stamp_deps" ] || [ "$console/package-lock.json" -nt "$stamp_deps" ]; then
  nsl_step "installing the console's npm packages (npm ci)"
  (cd "$console" && npm ci --no-audit --no-fund --loglevel=error >/dev/null) || {
    echo "error: npm ci failed in console/; run 'cd console && npm ci' to see why." >&2
    exit 1
  }
  touch "$stamp_deps"
fi

index="$console/dist/index.html"
if [ -f "$index" ] && [ -z "$(find "$console/src" "$console/build.mjs" "$console/package-lock.json" "$root/clients/js/src" -newer "$index" -print -quit 2>/dev/null)" ]; then
  exit 0
fi
nsl_step "building the web console (esbuild)"
(cd "$console" && node build.mjs) || { echo "error: the console build failed; run 'cd console && node build.mjs' to see why." >&2; exit 1; }
