# Sourced by .ci/run: find or start a PostgreSQL server and make a throw-away database.
# ci_postgres_database prints a postgres:// URL; ci_postgres_cleanup drops what it made.

CI_PG_DB="motcua_ci_$$"
CI_PG_PRIVATE=""

_ci_pg_ready() { pg_isready -q -h 127.0.0.1 -p "$1" 2>/dev/null; }

ci_postgres_database() {
  local port=5432
  if ! command -v pg_isready >/dev/null 2>&1 || ! _ci_pg_ready "$port"; then
    # A cluster that is installed but stopped: start it.
    if command -v pg_ctlcluster >/dev/null 2>&1 && ls /etc/postgresql/ >/dev/null 2>&1; then
      local version
      version=$(ls /etc/postgresql | sort -V | tail -n1)
      pg_ctlcluster --skip-systemctl-redirect "$version" main start >&2 || true
      sleep 2
    fi
  fi
  if ! _ci_pg_ready "$port"; then
    # None installed or none would start: a private throw-away cluster.
    if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
      DEBIAN_FRONTEND=noninteractive apt-get install -y -q postgresql >&2 || return 1
    fi
    local bin
    bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n1)
    CI_PG_PRIVATE=$(mktemp -d /tmp/motcua-pg.XXXXXX)
    chown postgres "$CI_PG_PRIVATE"
    port=55432
    su postgres -c "$bin/initdb -D $CI_PG_PRIVATE/data -A trust -U postgres" >&2 || return 1
    su postgres -c "$bin/pg_ctl -D $CI_PG_PRIVATE/data -l $CI_PG_PRIVATE/log -w -o '-c listen_addresses=127.0.0.1 -p $port -k $CI_PG_PRIVATE' start" >&2 || return 1
  fi
  CI_PG_PORT=$port
  psql -q -h 127.0.0.1 -p "$port" -U postgres -d postgres -c "CREATE DATABASE $CI_PG_DB" >&2 || return 1
  echo "postgres://postgres@127.0.0.1:$port/$CI_PG_DB"
}

ci_postgres_cleanup() {
  psql -q -h 127.0.0.1 -p "${CI_PG_PORT:-5432}" -U postgres -d postgres \
    -c "DROP DATABASE IF EXISTS $CI_PG_DB" >/dev/null 2>&1 || true
  psql -q -h 127.0.0.1 -p "${CI_PG_PORT:-5432}" -U postgres -d postgres \
    -c "DROP DATABASE IF EXISTS test_$CI_PG_DB" >/dev/null 2>&1 || true
  if [ -n "$CI_PG_PRIVATE" ]; then
    local bin
    bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n1)
    su postgres -c "$bin/pg_ctl -D $CI_PG_PRIVATE/data -m fast stop" >/dev/null 2>&1 || true
    rm -rf "$CI_PG_PRIVATE"
  fi
}
