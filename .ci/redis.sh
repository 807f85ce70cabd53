#!/usr/bin/env bash
# Start or stop a private Redis (Debian's redis-server) on 127.0.0.1, idempotent; prints its URL.
# Usage: REDIS_CI_DIR=/tmp/wfc-redis REDIS_CI_PORT=6379 .ci/redis.sh start|stop
set -euo pipefail
DIR="${REDIS_CI_DIR:-/tmp/wfc-redis}"
PORT="${REDIS_CI_PORT:-6379}"

case "${1:-}" in
  start)
    if ! command -v redis-server >/dev/null; then
      apt-get update -qq
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends redis-server >/dev/null
    fi
    mkdir -p "$DIR"
    if ! redis-cli -p "$PORT" ping >/dev/null 2>&1; then
      redis-server --bind 127.0.0.1 --port "$PORT" --dir "$DIR" --daemonize yes \
        --pidfile "$DIR/redis.pid" --logfile "$DIR/redis.log" --save "" --appendonly no >/dev/null
      for _ in $(seq 1 50); do redis-cli -p "$PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
    fi
    echo "redis://127.0.0.1:$PORT/0"
    ;;
  stop)
    if [ -f "$DIR/redis.pid" ]; then
      redis-cli -p "$PORT" shutdown nosave >/dev/null 2>&1 || true
      rm -f "$DIR/redis.pid"
    fi
    ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
