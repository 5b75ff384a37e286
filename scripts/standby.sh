#!/usr/bin/env bash
# A throw-away PostgreSQL primary and its streaming standby on loopback, for tests/replica
# (config/db_router.py, docs/scaling.md). Never touches the machine's own PostgreSQL server.
#
#   scripts/standby.sh COMMAND [ARGS...]
#
# initdb's a primary (wal_level=replica, replication allowed from 127.0.0.1 only) in a temporary
# directory, starts it on a free loopback port, clones it with pg_basebackup -R into a hot standby on
# another free port, waits until the standby streams, creates the database, then runs COMMAND with
#   DATABASE_URL=postgres://postgres@127.0.0.1:<primary>/hcp_replica
#   DATABASE_REPLICA_URL=postgres://postgres@127.0.0.1:<standby>/hcp_replica
# and stops both servers and removes the directory when COMMAND ends (or fails, or is interrupted).
# PostgreSQL refuses to run as root, so as root the servers run as the "postgres" user (runuser).
set -euo pipefail

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
DB_NAME=${STANDBY_DB_NAME:-hcp_replica}
if [[ $# -eq 0 ]]; then
    echo "usage: $0 COMMAND [ARGS...]" >&2
    exit 2
fi
for tool in initdb pg_ctl pg_basebackup psql; do
    if [[ ! -x "$PG_BIN/$tool" ]]; then
        echo "standby: $PG_BIN/$tool not found (set PG_BIN)" >&2
        exit 1
    fi
done

if [[ $(id -u) -eq 0 ]]; then
    as_pg() { runuser -u postgres -- "$@"; }
else
    as_pg() { "$@"; }
fi

WORK=$(mktemp -d /tmp/hcp-standby.XXXXXX)
chmod 755 "$WORK"
[[ $(id -u) -eq 0 ]] && chown postgres: "$WORK"
PRIMARY="$WORK/primary"
STANDBY="$WORK/standby"

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

stop() {
    local code=$?
    for dir in "$STANDBY" "$PRIMARY"; do
        if [[ -f "$dir/postmaster.pid" ]]; then
            as_pg "$PG_BIN/pg_ctl" -D "$dir" -m fast -w stop >/dev/null 2>&1 || true
        fi
    done
    rm -rf "$WORK"
    exit $code
}
trap stop EXIT INT TERM

PRIMARY_PORT=$(free_port)
STANDBY_PORT=$(free_port)
while [[ $STANDBY_PORT == "$PRIMARY_PORT" ]]; do STANDBY_PORT=$(free_port); done

echo "standby: primary on 127.0.0.1:$PRIMARY_PORT, standby on 127.0.0.1:$STANDBY_PORT ($WORK)"
as_pg "$PG_BIN/initdb" -D "$PRIMARY" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$WORK/initdb.log"
cat >>"$PRIMARY/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $PRIMARY_PORT
unix_socket_directories = '$WORK'
wal_level = replica
max_wal_senders = 4
hot_standby = on
fsync = off
full_page_writes = off
shared_buffers = 64MB
EOF
cat >"$PRIMARY/pg_hba.conf" <<EOF
local all all trust
host all all 127.0.0.1/32 trust
host replication postgres 127.0.0.1/32 trust
EOF
as_pg "$PG_BIN/pg_ctl" -D "$PRIMARY" -l "$WORK/primary.log" -w start >/dev/null

as_pg "$PG_BIN/pg_basebackup" -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres -D "$STANDBY" -R -X stream
sed -i "s/^port = .*/port = $STANDBY_PORT/" "$STANDBY/postgresql.conf"
as_pg "$PG_BIN/pg_ctl" -D "$STANDBY" -l "$WORK/standby.log" -w start >/dev/null

psql_primary() { "$PG_BIN/psql" -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres -Atq "$@"; }
psql_standby() { "$PG_BIN/psql" -h 127.0.0.1 -p "$STANDBY_PORT" -U postgres -Atq "$@"; }

for _ in $(seq 1 100); do
    [[ $(psql_primary -c "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'") == 1 ]] && break
    sleep 0.1
done
if [[ $(psql_standby -c "SELECT pg_is_in_recovery()") != t ]]; then
    echo "standby: the standby is not in recovery; see $WORK/standby.log" >&2
    cat "$WORK/standby.log" >&2
    exit 1
fi
psql_primary -c "CREATE DATABASE $DB_NAME"
for _ in $(seq 1 100); do  # the new database reaches the standby a moment later
    [[ $(psql_standby -c "SELECT count(*) FROM pg_database WHERE datname = '$DB_NAME'") == 1 ]] && break
    sleep 0.1
done
echo "standby: streaming; running: $*"

export DATABASE_URL="postgres://postgres@127.0.0.1:$PRIMARY_PORT/$DB_NAME"
export DATABASE_REPLICA_URL="postgres://postgres@127.0.0.1:$STANDBY_PORT/$DB_NAME"
"$@"
