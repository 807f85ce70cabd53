#!/usr/bin/env bash
# A multi-node OpenSearch cluster on 127.0.0.1, one JVM per node (start.sh with
# OPENSEARCH_CLUSTER_HTTP_PORTS), so that a single node can be killed and restarted on its own.
#
#   cluster.sh start            start every node (in parallel) and wait for the cluster
#   cluster.sh stop             stop every node (SIGTERM, then SIGKILL)
#   cluster.sh start-node N     start node N (1-based) again; it rejoins with its data
#   cluster.sh stop-node N      stop node N gracefully
#   cluster.sh kill-node N      SIGKILL node N
#   cluster.sh pid N            the pid of node N's JVM
#   cluster.sh hosts            host:port list for SEARCH_URL (comma-separated)
#
# Environment:
#   OPENSEARCH_CLUSTER_DIR        base directory (default /tmp/wfc-os-cluster); node i in node-i/
#   OPENSEARCH_CLUSTER_HTTP_PORTS HTTP ports (default 9211,9212,9213; transport on port + 100;
#                                 the runner refuses HTTP ports above 9299)
#   OPENSEARCH_CLUSTER_NAME       cluster name (default wfc-rehearsal)
#   OPENSEARCH_HEAP               heap per node (default 512m)
#   OPENSEARCH_RESET=1            wipe the nodes' data on `start`
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
DIR="${OPENSEARCH_CLUSTER_DIR:-/tmp/wfc-os-cluster}"
export OPENSEARCH_CLUSTER_HTTP_PORTS="${OPENSEARCH_CLUSTER_HTTP_PORTS:-9211,9212,9213}"
export OPENSEARCH_CLUSTER_NAME="${OPENSEARCH_CLUSTER_NAME:-wfc-rehearsal}"
export OPENSEARCH_CLASSPATH_FILE="$DIR/classpath.txt"
HEAP="${OPENSEARCH_HEAP:-512m}"
IFS=',' read -ra PORTS <<<"$OPENSEARCH_CLUSTER_HTTP_PORTS"

log() { echo "[opensearch-cluster] $*" >&2; }

node_env() {
    local n="$1"
    [ "$n" -ge 1 ] && [ "$n" -le "${#PORTS[@]}" ] || { log "no node $n"; exit 2; }
    export OPENSEARCH_HOME_DIR="$DIR/node-$n"
    export OPENSEARCH_PORT="${PORTS[$((n - 1))]}"
    export OPENSEARCH_JAVA_OPTS="-Xms$HEAP -Xmx$HEAP ${OPENSEARCH_EXTRA_JAVA_OPTS:-}"
}

start_node() { (node_env "$1" && bash "$HERE/start.sh"); }
stop_node() { (node_env "$1" && bash "$HERE/stop.sh"); }

node_pid() {
    local file="$DIR/node-$1/opensearch.pid" pid
    pid="$(cat "$file" 2>/dev/null || true)"
    if [ -n "$pid" ] && tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q OpenSearchRunner; then
        echo "$pid"
    fi
}

case "${1:-}" in
  start)
    mkdir -p "$DIR"
    OPENSEARCH_HOME_DIR="$DIR" OPENSEARCH_RESOLVE_ONLY=1 bash "$HERE/start.sh"
    pids=()
    for n in $(seq 1 "${#PORTS[@]}"); do
        start_node "$n" >"$DIR/start-$n.log" 2>&1 &
        pids+=($!)
    done
    failed=0
    for i in "${!pids[@]}"; do
        if ! wait "${pids[$i]}"; then
            failed=1
            log "node $((i + 1)) failed to start:"
            tail -n 40 "$DIR/start-$((i + 1)).log" >&2 || true
        fi
    done
    if [ "$failed" = 1 ]; then
        "$0" stop || true
        exit 1
    fi
    nodes="$(curl -s -m 10 "http://127.0.0.1:${PORTS[0]}/_cat/nodes?h=name" | wc -l)"
    [ "$nodes" = "${#PORTS[@]}" ] || { log "cluster has $nodes nodes, expected ${#PORTS[@]}"; exit 1; }
    log "cluster $OPENSEARCH_CLUSTER_NAME up with $nodes nodes on ports $OPENSEARCH_CLUSTER_HTTP_PORTS"
    ;;
  stop)
    for n in $(seq 1 "${#PORTS[@]}"); do stop_node "$n" || true; done
    ;;
  start-node) start_node "${2:?node number}" ;;
  stop-node) stop_node "${2:?node number}" ;;
  kill-node)
    pid="$(node_pid "${2:?node number}")"
    [ -n "$pid" ] || { log "node $2 is not running"; exit 1; }
    kill -KILL "$pid"
    log "node $2 (pid $pid) killed"
    ;;
  pid) node_pid "${2:?node number}" ;;
  hosts)
    (IFS=','; for p in "${PORTS[@]}"; do echo -n "127.0.0.1:$p,"; done) | sed 's/,$//'
    echo
    ;;
  *) echo "usage: $0 start|stop|start-node N|stop-node N|kill-node N|pid N|hosts" >&2; exit 2 ;;
esac
