#!/usr/bin/env bash
# The cost of the PostgreSQL ledger's locking (issue 17), measured with pgbench on the test server:
# a write transaction as the ledger runs it (advisory transaction lock + the check that this
# process's batch lock is still held) against the same transaction without them.
#
#   eval "$(bash scripts/postgres-test-server.sh start)"; bash scripts/bench-ledger-lock.sh [TRANSACTIONS]
set -euo pipefail
cd "$(dirname "$0")/.."
: "${DEALREG_TEST_POSTGRES_URL:?start a server first: eval \"\$(bash scripts/postgres-test-server.sh start)\"}"
transactions=${1:-3000}
database=dealreg_lockbench_$$
work=$(mktemp -d)
trap 'psql "$DEALREG_TEST_POSTGRES_URL" -qc "DROP DATABASE IF EXISTS $database" >/dev/null 2>&1 || true; rm -rf "$work"' EXIT
psql "$DEALREG_TEST_POSTGRES_URL" -qc "CREATE DATABASE $database"
url=${DEALREG_TEST_POSTGRES_URL%/*}/$database
swift run -q dealreg migrate --ledger "$url" >/dev/null
cat >"$work/plain.sql" <<'SQL'
BEGIN;
SELECT 1 FROM processed_file WHERE sha256 = 'x';
COMMIT;
SQL
# The keys of Sources/DealregLedger/PostgresBackend.swift (PostgresLockKey.write and .batch).
cat >"$work/locked.sql" <<'SQL'
BEGIN;
SELECT pg_advisory_xact_lock(7234309634006001410);
SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted AND pid = pg_backend_pid() AND ((classid::bigint << 32) | objid::bigint) = 7234309634006001409;
SELECT 1 FROM processed_file WHERE sha256 = 'x';
COMMIT;
SQL
for kind in plain locked; do
  latency=$(pgbench -n -M extended -c 1 -t "$transactions" -f "$work/$kind.sql" "$url" 2>&1 | sed -n 's/^latency average = //p')
  echo "| $kind | $transactions | $latency |"
done
