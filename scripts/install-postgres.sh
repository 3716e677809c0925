#!/usr/bin/env bash
# Makes sure the PostgreSQL server programs (initdb, pg_ctl, postgres) are on this machine, for the
# tests and the devnet's local PostgreSQL (io.nsl.devnet.LocalPostgres, decision 0905). Idempotent:
# does nothing when they are found where LocalPostgres looks (NSL_POSTGRES_BIN, PATH,
# /usr/lib/postgresql/<major>/bin); else installs Debian's `postgresql` package (needs root or sudo).
# The package's own cluster service is not used: LocalPostgres runs initdb into its own folders.
set -euo pipefail
has_server() { [ -x "$1/initdb" ] && [ -x "$1/pg_ctl" ] && [ -x "$1/postgres" ]; }
found() {
  if [ -n "${NSL_POSTGRES_BIN:-}" ]; then has_server "$NSL_POSTGRES_BIN" && return 0; return 1; fi
  local d
  IFS=: read -ra dirs <<<"${PATH:-}"
  for d in "${dirs[@]}" /usr/lib/postgresql/*/bin; do
    [ -n "$d" ] && has_server "$d" && return 0
  done
  return 1
}
if found; then
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "error: the PostgreSQL server programs (initdb, pg_ctl, postgres) are not installed and this" >&2
  echo "       is not a Debian-like system. Install PostgreSQL 14 or newer and set NSL_POSTGRES_BIN" >&2
  echo "       to the folder holding initdb." >&2
  exit 1
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 || { echo "error: installing postgresql needs root (or sudo)" >&2; exit 1; }
  sudo="sudo"
fi
echo "==> installing Debian's postgresql package (server programs for the tests' local PostgreSQL)"
$sudo apt-get update -qq
$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql postgresql-client >/dev/null
found || { echo "error: postgresql installed but initdb is still not found" >&2; exit 1; }
