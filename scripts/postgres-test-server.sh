#!/usr/bin/env bash
# A throwaway PostgreSQL cluster on loopback for the PostgreSQL ledger tests (issue 17).
#
#   eval "$(bash scripts/postgres-test-server.sh start)"   # prints: export DEALREG_TEST_POSTGRES_URL=...
#   swift test
#   bash scripts/postgres-test-server.sh stop
#
# Needs Debian's postgresql package (.ci/run installs it). The server may not run as root, so
# as root initdb and pg_ctl run as the postgres user. The cluster lives in a folder under /tmp
# (DEALREG_PG_DIR), listens on 127.0.0.1 only, on a free port (DEALREG_PG_PORT to choose one),
# trusts local connections (no password: a test cluster, never a real ledger), and is removed by stop.
set -euo pipefail
dir=${DEALREG_PG_DIR:-/tmp/dealreg-pg-test}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -n "$bin" ] || { echo "postgres-test-server: no PostgreSQL server installed (apt-get install postgresql)" >&2; exit 69; }

as_server_user() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "${1:-}" in
start)
  port=${DEALREG_PG_PORT:-$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
  if [ -f "$dir/data/postmaster.pid" ]; then as_server_user "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true; fi
  rm -rf "$dir"
  mkdir -p "$dir"
  [ "$(id -u)" = 0 ] && chown postgres: "$dir"
  as_server_user "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; exit 1; }
  # fsync off: a throwaway cluster; the tests exercise transactions and locks, not the disk.
  as_server_user "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off -c max_connections=200" start >/dev/null \
    || { cat "$dir/server.log" >&2; exit 1; }
  as_server_user "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres dealreg_test
  echo "$port" >"$dir/port"
  echo "export DEALREG_TEST_POSTGRES_URL=postgres://postgres@127.0.0.1:$port/dealreg_test"
  ;;
stop)
  if [ -d "$dir/data" ]; then as_server_user "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true; fi
  rm -rf "$dir"
  ;;
*)
  echo "usage: $0 start|stop" >&2
  exit 64
  ;;
esac
