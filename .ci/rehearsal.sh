#!/usr/bin/env bash
# The rehearsal of the production stack without Docker (issue 13, item 8), on 127.0.0.1 in
# private directories: nginx → gunicorn (production settings) → PostgreSQL (its own cluster and a
# fresh database) + Redis + the task worker (db_worker) + a three-node OpenSearch cluster with one
# replica per shard. This script starts the services and seeds the site; .ci/rehearsal.py starts
# the web and the worker, checks every public page, the image path and runs the drills. The JSON
# figures go to stdout and test-artifacts/rehearsal.json; the exit status is non-zero when any
# criterion fails. Everything started here is stopped on exit, whatever happened.
#
#   bash .ci/rehearsal.sh          (needs `make install`; nginx, wrk, PostgreSQL, Redis, Maven, Java)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$(pwd)"

export REHEARSAL_DIR="${REHEARSAL_DIR:-/tmp/wfc-rehearsal}"
export REHEARSAL_NGINX_PORT="${REHEARSAL_NGINX_PORT:-8088}"
export REHEARSAL_WEB_PORT="${REHEARSAL_WEB_PORT:-8089}"
export PG_CI_DIR="$REHEARSAL_DIR/pg" PG_CI_PORT="${REHEARSAL_PG_PORT:-55433}"
export REDIS_CI_DIR="$REHEARSAL_DIR/redis" REDIS_CI_PORT="${REHEARSAL_REDIS_PORT:-6390}"
export OPENSEARCH_CLUSTER_DIR="$REHEARSAL_DIR/opensearch"
export OPENSEARCH_CLUSTER_HTTP_PORTS="${REHEARSAL_OPENSEARCH_PORTS:-9211,9212,9213}"
export NGINX_DIR="$REHEARSAL_DIR/nginx"
RUN="$REHEARSAL_DIR/run"

log() { echo "[rehearsal] $(date -u +%H:%M:%S) $*" >&2; }

# Stop a process by its pid file, only if it is still the process we started (a command-line match).
stop_pidfile() {
    local file="$1" pattern="$2" pid
    pid="$(cat "$file" 2>/dev/null || true)"
    if [ -n "$pid" ] && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q -- "$pattern"; then
        kill -TERM "$pid" 2>/dev/null || true
        for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
        kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f "$file"
}

stop_all() {
    log "stopping everything the rehearsal started"
    stop_pidfile "$RUN/gunicorn.pid" gunicorn
    stop_pidfile "$RUN/worker.pid" task_worker
    for pidfile in "$RUN"/load-*.pid; do [ -e "$pidfile" ] && stop_pidfile "$pidfile" rehearsal; done
    NGINX_PORT="$REHEARSAL_NGINX_PORT" bash .ci/nginx.sh stop || true
    bash .ci/opensearch/cluster.sh stop || true
    bash .ci/redis.sh stop || true
    bash .ci/postgres.sh stop || true
}
trap stop_all EXIT
trap "exit 143" TERM INT

started=$(date +%s)
rm -rf "$REHEARSAL_DIR/data" "$RUN" "$PG_CI_DIR" "$REDIS_CI_DIR" "$NGINX_DIR"
mkdir -p "$REHEARSAL_DIR/data" "$RUN" "$ROOT/test-artifacts"
chmod 755 "$REHEARSAL_DIR"

command -v wrk >/dev/null || {
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends wrk >/dev/null
}

log "PostgreSQL on $PG_CI_PORT (its own cluster: drill (d) restarts it)"
PG_URL="$(bash .ci/postgres.sh start)"
psql "$PG_URL" -q -c "DROP DATABASE IF EXISTS wfc_rehearsal" -c "CREATE DATABASE wfc_rehearsal"
log "Redis on $REDIS_CI_PORT"
REDIS_URL="$(bash .ci/redis.sh start)"
log "OpenSearch cluster on $OPENSEARCH_CLUSTER_HTTP_PORTS"
OPENSEARCH_RESET=1 bash .ci/opensearch/cluster.sh start

# The production environment of the web and the worker (read by .ci/rehearsal.py too).
export DJANGO_SETTINGS_MODULE=wfc_platform.settings.production
export DJANGO_SECRET_KEY="rehearsal-$(head -c 24 /dev/urandom | base64)"
export DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost"
export DATABASE_URL="${PG_URL%/*}/wfc_rehearsal"
export REDIS_URL
export TASKS_BACKEND=database
export SEARCH_URL="opensearch+http://$(bash .ci/opensearch/cluster.sh hosts)"
export SEARCH_INDEX_PREFIX=rehearsal
export SEARCH_INDEX_REPLICAS=1
export DATA_DIR="$REHEARSAL_DIR/data"
export TRUSTED_PROXY_DEPTH=1
export SITE_BASE_URL="http://127.0.0.1:$REHEARSAL_NGINX_PORT"
export DJANGO_SECURE_SSL_REDIRECT=false
# The drills search a few hundred times a minute from one address; the limit itself is tested
# in tests/api.
export API_RATE_LIMIT="100000/m"
export LOG_FORMAT=json

# Seeded as a deployment is: the content first (on the embedded index only, as if the server
# were not there yet), then the server's index built once from it.
log "seeding the site"
PY="$ROOT/.venv/bin/python"
"$PY" manage.py migrate --noinput -v0
"$PY" manage.py createcachetable
SEARCH_URL="" "$PY" manage.py load_fixtures >/dev/null
SEARCH_URL="" "$PY" manage.py load_indicators >/dev/null
"$PY" manage.py setup_roles >/dev/null
"$PY" manage.py ensure_admin >/dev/null
"$PY" manage.py collectstatic --noinput -v0
"$PY" manage.py search_index --rebuild --if-missing >&2

log "nginx on $REHEARSAL_NGINX_PORT → gunicorn on $REHEARSAL_WEB_PORT"
NGINX_PORT="$REHEARSAL_NGINX_PORT" NGINX_UPSTREAM="127.0.0.1:$REHEARSAL_WEB_PORT" \
    NGINX_STATIC_ROOT="$DATA_DIR/static" NGINX_MEDIA_ROOT="$DATA_DIR/media" bash .ci/nginx.sh start >/dev/null

export REHEARSAL_SETUP_SECONDS=$(( $(date +%s) - started ))
log "services up and site seeded in ${REHEARSAL_SETUP_SECONDS}s; checks and drills"
# In the background and waited for, so a TERM (the CI's time cap) runs the traps at once
# instead of after the drills.
"$PY" .ci/rehearsal.py &
drills=$!
wait "$drills"
