#!/usr/bin/env bash
# Set up everything (incl. dev tools), make sure a PostgreSQL server is there, then run
# ruff, import-linter, mypy and pytest, stopping at the first failure. Exit code: the failing
# step's, else pytest's.
#
# Usage: scripts/test.sh [pytest args…]      (paths relative to the repository root)
#
# PostgreSQL: if a server answers on 127.0.0.1:5432 and lets user postgres create a
# database, a fresh one (gvcommand_test_<unix time>_<pid>) is made there and dropped at
# exit. Otherwise a throwaway cluster is initialised in a temporary directory, started on
# a free port (55432…) and removed at exit. Either way the tests get
#   GVCOMMAND_TEST_PG_URL=postgresql+psycopg://postgres@127.0.0.1:PORT/DBNAME
#   QT_QPA_PLATFORM=offscreen
# Environment knobs:
#   GVCOMMAND_TEST_PG_URL=…         already set: used as is, nothing is created or dropped
#   GVCOMMAND_TEST_PG_FORCE_LOCAL=1  skip the 5432 probe and always use a throwaway cluster
#   GVCOMMAND_TEST_PG_PORT=N         probe 127.0.0.1:N instead of 5432
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

say() { printf '==> test: %s\n' "$*" >&2; }
warn() { printf '==> test: WARNING: %s\n' "$*" >&2; }
die() {
  printf '==> test: ERROR: %s\n' "$*" >&2
  exit 1
}
now_ms() { local t="${EPOCHREALTIME/[.,]/}"; echo "$((t / 1000))"; }

say "setup (scripts/setup.sh --dev)"
bash "$ROOT/scripts/setup.sh" --dev

export QT_QPA_PLATFORM=offscreen

# --- PostgreSQL ------------------------------------------------------------------------------

PG_DB="gvcommand_test_$(date +%s)_$$"
PG_PORT=""
PG_BIN=""
DROP_DB_ON=""   # port of a shared server on which we created PG_DB
CLUSTER_DIR=""  # temporary cluster: its directory…
CLUSTER_UP=0    # …and whether it is running
AS_PG=()        # runs initdb/pg_ctl as the postgres user when we are root
MQTT_PID=""     # a throwaway Mosquitto we started
MQTT_PORT=""

# shellcheck disable=SC2317  # invoked by the EXIT trap
cleanup() {
  local rc=$?
  trap - EXIT INT TERM HUP
  if [[ -n "$DROP_DB_ON" ]]; then
    # Ours, and those the test fixtures derived from it (${PG_DB}_tpl, …) if a crash left them.
    local db dbs
    dbs="$(pg_psql "$DROP_DB_ON" -At -c "SELECT datname FROM pg_database WHERE \
datname = '$PG_DB' OR left(datname, ${#PG_DB} + 1) = '${PG_DB}_'" 2>/dev/null)" || dbs="$PG_DB"
    for db in $dbs; do
      say "dropping database $db"
      pg_psql "$DROP_DB_ON" -c "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" >/dev/null 2>&1 ||
        pg_psql "$DROP_DB_ON" -c "DROP DATABASE IF EXISTS \"$db\"" >/dev/null ||
        warn "could not drop database $db on port $DROP_DB_ON"
    done
  fi
  if ((CLUSTER_UP)); then
    say "stopping the throwaway PostgreSQL on port $PG_PORT"
    pg_ctl_cluster stop -m fast -w -t 30 >/dev/null 2>&1 ||
      pg_ctl_cluster stop -m immediate -w -t 30 >/dev/null 2>&1 ||
      warn "could not stop the throwaway PostgreSQL in $CLUSTER_DIR"
  fi
  if [[ -n "$CLUSTER_DIR" ]]; then
    rm -rf "$CLUSTER_DIR"
    say "removed $CLUSTER_DIR"
  fi
  if [[ -n "$MQTT_PID" ]]; then
    say "stopping the throwaway Mosquitto on port $MQTT_PORT"
    kill "$MQTT_PID" 2>/dev/null || true
    wait "$MQTT_PID" 2>/dev/null || true
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

# Finds the newest installed server binaries (Debian/Ubuntu keep them off PATH).
find_pg_bin() {
  local dir
  for dir in $(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V -r); do
    if [[ -x "$dir/initdb" && -x "$dir/pg_ctl" ]]; then
      PG_BIN="$dir"
      return 0
    fi
  done
  if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
    PG_BIN="$(dirname "$(command -v initdb)")"
    return 0
  fi
  return 1
}

pg_tool() { # $1: tool name; the cluster's own copy when known, else the one on PATH
  if [[ -n "$PG_BIN" && -x "$PG_BIN/$1" ]]; then echo "$PG_BIN/$1"; else command -v "$1"; fi
}

pg_psql() { # $1: port, then psql args
  local port="$1"
  shift
  PGCONNECT_TIMEOUT=10 "$(pg_tool psql)" -X -q -w -v ON_ERROR_STOP=1 -h 127.0.0.1 \
    -p "$port" -U postgres -d postgres "$@"
}

pg_ctl_cluster() { # pg_ctl on our cluster, as the postgres user when root
  (cd "$CLUSTER_DIR" && "${AS_PG[@]}" "$PG_BIN/pg_ctl" -D "$CLUSTER_DIR/data" -s "$@")
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

use_shared_server() {
  local port="${GVCOMMAND_TEST_PG_PORT:-5432}" isready err
  isready="$(pg_tool pg_isready)" || return 1
  "$isready" -q -t 5 -h 127.0.0.1 -p "$port" || return 1
  if err="$(pg_psql "$port" -c "CREATE DATABASE \"$PG_DB\"" 2>&1)"; then
    DROP_DB_ON="$port"
    PG_PORT="$port"
    say "PostgreSQL answers on 127.0.0.1:$port: created database $PG_DB"
    return 0
  fi
  warn "PostgreSQL on 127.0.0.1:$port answers but user postgres cannot create a database"
  warn "(${err//$'\n'/ }); using a throwaway cluster instead"
  return 1
}

start_throwaway_cluster() {
  find_pg_bin || die "no PostgreSQL server binaries found (initdb, pg_ctl); install the \
postgresql package (scripts/setup.sh --dev does)"
  local t0
  t0="$(now_ms)"
  # Under /tmp so that the postgres user can reach it whatever TMPDIR says; short, because
  # the Unix socket lives here and its path is limited to ~100 bytes.
  CLUSTER_DIR="$(mktemp -d /tmp/gvcommand-pg.XXXXXX)"
  if ((EUID == 0)); then
    id -u postgres >/dev/null 2>&1 || die "no 'postgres' user to run the server as"
    chown postgres: "$CLUSTER_DIR"
    AS_PG=(runuser -u postgres --) # initdb and pg_ctl refuse to run as root
  fi
  local locale_args=(--no-locale)
  if locale -a 2>/dev/null | grep -qiE '^c\.utf-?8$'; then
    locale_args=(--locale=C.UTF-8)
  fi
  say "initdb with $PG_BIN in $CLUSTER_DIR"
  if ! (cd "$CLUSTER_DIR" && "${AS_PG[@]}" "$PG_BIN/initdb" -D "$CLUSTER_DIR/data" -U postgres \
    -A trust -E UTF8 "${locale_args[@]}" --no-sync >"$CLUSTER_DIR/initdb.log" 2>&1); then
    cat "$CLUSTER_DIR/initdb.log" >&2
    die "initdb failed"
  fi
  local port attempt
  port=55432
  for attempt in 1 2 3 4 5; do
    while port_in_use "$port"; do port=$((port + 1)); done
    # fsync off: the cluster is thrown away, so durability only costs time here.
    if pg_ctl_cluster -l "$CLUSTER_DIR/server.log" -w -t 60 -o "-p $port \
-c listen_addresses=127.0.0.1 -c unix_socket_directories=$CLUSTER_DIR -c fsync=off \
-c synchronous_commit=off -c full_page_writes=off" start; then
      CLUSTER_UP=1
      PG_PORT="$port"
      break
    fi
    warn "could not start PostgreSQL on port $port (attempt $attempt):"
    tail -n 5 "$CLUSTER_DIR/server.log" >&2 || true
    port=$((port + 1))
  done
  ((CLUSTER_UP)) || die "the throwaway PostgreSQL would not start (log above)"
  pg_psql "$PG_PORT" -c "CREATE DATABASE \"$PG_DB\"" >/dev/null
  say "throwaway PostgreSQL $("$PG_BIN/postgres" -V | awk '{print $3}') on 127.0.0.1:$PG_PORT," \
    "database $PG_DB (started in $(($(now_ms) - t0)) ms)"
}

if [[ -n "${GVCOMMAND_TEST_PG_URL:-}" ]]; then
  say "using the given GVCOMMAND_TEST_PG_URL (nothing created or dropped)"
else
  if [[ "${GVCOMMAND_TEST_PG_FORCE_LOCAL:-0}" == 1 ]]; then
    say "GVCOMMAND_TEST_PG_FORCE_LOCAL=1: not probing 127.0.0.1:${GVCOMMAND_TEST_PG_PORT:-5432}"
    start_throwaway_cluster
  else
    find_pg_bin || true # prefer the server's own client tools when installed
    use_shared_server || start_throwaway_cluster
  fi
  export GVCOMMAND_TEST_PG_URL="postgresql+psycopg://postgres@127.0.0.1:$PG_PORT/$PG_DB"
  say "GVCOMMAND_TEST_PG_URL=$GVCOMMAND_TEST_PG_URL"
fi

# --- MQTT broker (OwnTracks over MQTT) -----------------------------------------------------

if [[ -n "${GVCOMMAND_TEST_MQTT:-}" ]]; then
  say "using the given GVCOMMAND_TEST_MQTT=$GVCOMMAND_TEST_MQTT"
elif port_in_use 1883; then
  export GVCOMMAND_TEST_MQTT=127.0.0.1:1883
  say "an MQTT broker answers on $GVCOMMAND_TEST_MQTT"
else
  MOSQUITTO="$(command -v mosquitto || echo /usr/sbin/mosquitto)"
  [[ -x "$MOSQUITTO" ]] || die "no MQTT broker on 127.0.0.1:1883 and no mosquitto binary \
(scripts/setup.sh --dev installs the mosquitto package)"
  MQTT_PORT=18830
  while port_in_use "$MQTT_PORT"; do MQTT_PORT=$((MQTT_PORT + 1)); done
  MQTT_CONF="$(mktemp /tmp/gvcommand-mqtt.XXXXXX.conf)"
  printf 'listener %s 127.0.0.1\nallow_anonymous true\npersistence false\n' "$MQTT_PORT" \
    >"$MQTT_CONF"
  "$MOSQUITTO" -c "$MQTT_CONF" >/tmp/gvcommand-mqtt.log 2>&1 &
  MQTT_PID=$!
  for _ in $(seq 50); do port_in_use "$MQTT_PORT" && break; sleep 0.1; done
  port_in_use "$MQTT_PORT" || die "the throwaway Mosquitto would not start: \
$(tail -n 3 /tmp/gvcommand-mqtt.log)"
  export GVCOMMAND_TEST_MQTT="127.0.0.1:$MQTT_PORT"
  say "throwaway Mosquitto on $GVCOMMAND_TEST_MQTT"
fi

# --- checks and tests ----------------------------------------------------------------------

say "ruff check ."
rc=0
.venv/bin/ruff check . || rc=$?
((rc == 0)) || exit "$rc"

say "lint-imports (import contracts in pyproject.toml)"
.venv/bin/lint-imports || rc=$?
((rc == 0)) || exit "$rc"

say "mypy (strict on core and store)"
.venv/bin/mypy gvcommand/core gvcommand/store || rc=$?
((rc == 0)) || exit "$rc"

say "pytest $*"
.venv/bin/python -m pytest "$@" || rc=$?
say "pytest exited with $rc"
exit "$rc"
