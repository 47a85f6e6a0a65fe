#!/usr/bin/env bash
# Make sure a PostgreSQL server answers on 127.0.0.1:5432 (installing and starting Debian's
# cluster when needed), so the storage tests run on PostgreSQL as well as SQLite.
set -euo pipefail
ready() { pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; }
if ! command -v pg_isready >/dev/null 2>&1 || ! ls /etc/postgresql/*/main >/dev/null 2>&1; then
  echo "ensure-postgres: installing postgresql" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi
if ! ready; then
  echo "ensure-postgres: starting the cluster" >&2
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -n 1)" main start || true
fi
for _ in $(seq 1 30); do ready && break; sleep 1; done
if ! ready; then
  echo "ensure-postgres: PostgreSQL is not reachable on 127.0.0.1:5432" >&2
  exit 1
fi
# The test database and trust for the postgres user over TCP (as on the CI machines).
if ! psql -h 127.0.0.1 -U postgres -d test -c 'select 1' >/dev/null 2>&1; then
  su postgres -c "psql -c \"ALTER USER postgres PASSWORD NULL\"" >/dev/null 2>&1 || true
  hba=$(su postgres -c "psql -tAc 'show hba_file'")
  if ! grep -q '^host all all 127.0.0.1/32 trust' "$hba"; then
    sed -i '1i host all all 127.0.0.1/32 trust' "$hba"
    su postgres -c "psql -c 'select pg_reload_conf()'" >/dev/null
  fi
  su postgres -c "createdb test" 2>/dev/null || true
fi
psql -h 127.0.0.1 -U postgres -d test -c 'select 1' >/dev/null
