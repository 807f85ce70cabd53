#!/usr/bin/env bash
# Start or stop a private PostgreSQL cluster (Debian's packages; it refuses to run as root, so the
# cluster belongs to the postgres user). Usage: .ci/postgres.sh start|stop
set -euo pipefail
PGDIR="${PG_CI_DIR:-/tmp/wfc-pg}"
PGPORT="${PG_CI_PORT:-55432}"
BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"

case "${1:-}" in
  start)
    if [ -z "$BIN" ]; then
      apt-get update -qq
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
      BIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
    fi
    if [ ! -f "$PGDIR/PG_VERSION" ]; then
      rm -rf "$PGDIR"; mkdir -p "$PGDIR"; chown postgres:postgres "$PGDIR"
      su postgres -c "$BIN/initdb -D $PGDIR -U postgres --auth=trust -E UTF8 --locale=C.UTF-8" >/dev/null
    fi
    if ! su postgres -c "$BIN/pg_ctl -D $PGDIR status" >/dev/null 2>&1; then
      su postgres -c "$BIN/pg_ctl -D $PGDIR -l $PGDIR/server.log -o '-p $PGPORT -k $PGDIR -c listen_addresses=127.0.0.1 -c fsync=off' -w start" >/dev/null
    fi
    echo "postgres://postgres@127.0.0.1:$PGPORT/postgres"
    ;;
  stop)
    [ -n "$BIN" ] && [ -f "$PGDIR/postmaster.pid" ] && su postgres -c "$BIN/pg_ctl -D $PGDIR -m fast -w stop" >/dev/null || true
    ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
