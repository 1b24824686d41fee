#!/usr/bin/env bash
# A local Citus cluster (a coordinator and two workers) for CI and for trying the schema on
# Citus by hand (docs/scale-out.md, issue 16). Everything lives in the ignored folder .citus/:
#   .citus/build/   Citus 13.2.2 built from ../shared/vendor (patched for PostgreSQL 15.20); kept,
#                   so a second run installs the cached build without compiling again
#   .citus/data/    the three clusters (initdb of the machine's PostgreSQL 15, owned by postgres;
#                   in /var/tmp when the postgres user cannot enter the clone's folder)
#   .citus/log/     their server logs
# The machine's own cluster on 5432 is never touched.
#
#   scripts/citus.sh build    build (once) and install the extension into PostgreSQL 15
#   scripts/citus.sh start    build if needed, initdb if needed, start the three, join them
#   scripts/citus.sh stop     stop the three (fast shutdown)
#   scripts/citus.sh status
#   scripts/citus.sh url      prints postgres://postgres@127.0.0.1:9700/postgres
#
# Ports: coordinator CITUS_PORT (9700), workers CITUS_PORT+1 and +2.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

version=13.2.2
vendor=$(cd "${CITUS_VENDOR:-../shared/vendor}" && pwd)
tarball=$vendor/citus-$version.tar.gz
patchfile=$vendor/citus-$version-pg15.20.patch
sha256=dd2453caec20a830e5e63f1def5c5a98cb6f57ae510407cdcd800916fcdab430
pgbin=/usr/lib/postgresql/15/bin
base=$root/.citus
port=${CITUS_PORT:-9700}
ports=("$port" "$((port + 1))" "$((port + 2))")
names=(coordinator worker1 worker2)

as_postgres() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

build() {
  local packages=(postgresql-server-dev-15 build-essential autoconf flex bison libcurl4-openssl-dev
    liblz4-dev libzstd-dev libssl-dev libkrb5-dev libicu-dev)
  local missing=()
  for p in "${packages[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "citus: installing ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
  local src=$base/build/citus-$version
  local stamp=$base/build/.built-$version-$(md5sum <"$patchfile" | cut -c1-12)
  if [ ! -f "$stamp" ]; then
    echo "citus: building $version from $tarball (a few minutes)"
    echo "$sha256  $tarball" | sha256sum -c --quiet
    rm -rf "$src" && mkdir -p "$base/build"
    tar xzf "$tarball" -C "$base/build"
    (cd "$src" && patch -p1 -s <"$patchfile")
    (cd "$src" && ./configure --quiet >"$base/build/configure.log" 2>&1 && make -s -j"$(nproc)" >"$base/build/make.log" 2>&1)
    touch "$stamp"
  fi
  local libdir
  libdir=$("$pgbin/pg_config" --pkglibdir)
  if ! cmp -s "$src/src/backend/distributed/citus.so" "$libdir/citus.so" ||
    ! cmp -s "$src/src/backend/distributed/citus.control" "$("$pgbin/pg_config" --sharedir)/extension/citus.control"; then
    echo "citus: installing the cached build"
    (cd "$src" && make -s install >"$base/build/install.log" 2>&1)
  fi
}

# The clusters' folder must be reachable by the postgres user; a clone in a folder it cannot
# enter keeps them in /var/tmp instead (one folder per clone).
data=$base/data
if [ "$(id -u)" = 0 ] && ! runuser -u postgres -- test -x "$base/.." 2>/dev/null; then
  data=/var/tmp/wenming-citus-$(echo "$root" | md5sum | cut -c1-8)
fi

running() { as_postgres "$pgbin/pg_ctl" -D "$data/$1" status >/dev/null 2>&1; }

start() {
  build
  mkdir -p "$data" "$base/log"
  chown postgres: "$data" "$base/log"
  for i in 0 1 2; do
    local dir=$data/${names[$i]}
    if [ ! -f "$dir/PG_VERSION" ]; then
      as_postgres "$pgbin/initdb" -D "$dir" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
      cat >>"$dir/postgresql.conf" <<EOF
# scripts/citus.sh
port = ${ports[$i]}
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir'
shared_preload_libraries = 'citus'
max_connections = 400
shared_buffers = 64MB
max_prepared_transactions = 200
fsync = off
synchronous_commit = off
full_page_writes = off
citus.shard_count = 4
# citus_stat_counters: apps/server/test/citus-routing.test.ts counts multi-shard statements per request
citus.enable_stat_counters = on
citus.max_client_connections = 390
citus.log_distributed_deadlock_detection = off
EOF
    fi
    if ! running "${names[$i]}"; then
      as_postgres "$pgbin/pg_ctl" -D "$dir" -l "$base/log/${names[$i]}.log" -w -t 60 start >/dev/null
    fi
  done
  local psql=("$pgbin/psql" -h 127.0.0.1 -U postgres -d postgres -v ON_ERROR_STOP=1 -qAt)
  for i in 0 1 2; do "${psql[@]}" -p "${ports[$i]}" -c 'CREATE EXTENSION IF NOT EXISTS citus' >/dev/null; done
  "${psql[@]}" -p "$port" -c "SELECT citus_set_coordinator_host('127.0.0.1', $port)" >/dev/null
  for i in 1 2; do
    "${psql[@]}" -p "$port" -c "SELECT citus_add_node('127.0.0.1', ${ports[$i]}) WHERE NOT EXISTS (SELECT 1 FROM pg_dist_node WHERE nodeport = ${ports[$i]})" >/dev/null
  done
  echo "citus: coordinator on $port, workers on ${ports[1]} and ${ports[2]}"
}

stop() {
  for i in 0 1 2; do
    if [ -d "$data/${names[$i]}" ] && running "${names[$i]}"; then
      as_postgres "$pgbin/pg_ctl" -D "$data/${names[$i]}" -m fast -w -t 60 stop >/dev/null
    fi
  done
  echo "citus: stopped"
}

status() {
  for i in 0 1 2; do
    if [ -d "$data/${names[$i]}" ] && running "${names[$i]}"; then echo "${names[$i]} ${ports[$i]} running"; else echo "${names[$i]} ${ports[$i]} stopped"; fi
  done
}

case "${1:-}" in
  build) build ;;
  start) start ;;
  stop) stop ;;
  status) status ;;
  url) echo "postgres://postgres@127.0.0.1:$port/postgres" ;;
  *)
    echo "usage: scripts/citus.sh build|start|stop|status|url" >&2
    exit 2
    ;;
esac
