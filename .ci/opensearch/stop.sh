#!/usr/bin/env bash
# Stop the node started by .ci/opensearch/start.sh (via its pid file).
# Environment: OPENSEARCH_HOME_DIR (default /tmp/wfc-opensearch),
#              OPENSEARCH_STOP_TIMEOUT seconds before SIGKILL (default 30).
set -uo pipefail

HOME_DIR="${OPENSEARCH_HOME_DIR:-/tmp/wfc-opensearch}"
PID_FILE="$HOME_DIR/opensearch.pid"
TIMEOUT="${OPENSEARCH_STOP_TIMEOUT:-30}"

log() { echo "[opensearch] $*" >&2; }

if [ ! -f "$PID_FILE" ]; then
    log "no pid file at $PID_FILE; nothing to stop"
    exit 0
fi

pid="$(cat "$PID_FILE" 2>/dev/null || true)"
if [ -z "$pid" ] || ! kill -0 "$pid" 2>/dev/null; then
    log "process ${pid:-?} is not running; removing stale pid file"
    rm -f "$PID_FILE"
    exit 0
fi
# Never signal a recycled pid that is not our node.
if ! tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q 'OpenSearchRunner'; then
    log "pid $pid is not an OpenSearch runner; removing stale pid file"
    rm -f "$PID_FILE"
    exit 0
fi

kill -TERM "$pid" 2>/dev/null || true
deadline=$(( $(date +%s) + TIMEOUT ))
while kill -0 "$pid" 2>/dev/null; do
    if [ "$(date +%s)" -ge "$deadline" ]; then
        log "pid $pid still alive after ${TIMEOUT}s; sending SIGKILL"
        kill -KILL "$pid" 2>/dev/null || true
        for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
        break
    fi
    sleep 0.5
done

if kill -0 "$pid" 2>/dev/null; then
    log "ERROR: could not stop pid $pid"
    exit 1
fi
rm -f "$PID_FILE"
log "stopped (pid $pid)"
exit 0
