#!/usr/bin/env bash
# `make run` as a visitor meets it: start it (gunicorn on the embedded defaults), wait for the
# site, send 50 inquiries at the same moment (bench/concurrent_inquiries.py prints JSON and fails
# unless 50 are accepted and 50 stored), then stop it. Usage: .ci/make_run_check.sh
set -euo pipefail
cd "$(dirname "$0")/.."
BIND="${MAKE_RUN_BIND:-127.0.0.1:8000}"
mkdir -p data
setsid make run WEB_BIND="$BIND" > data/make-run.log 2>&1 &
RUN_PID=$!
stop() { kill -- -"$RUN_PID" 2>/dev/null || true; wait "$RUN_PID" 2>/dev/null || true; }
trap stop EXIT
for _ in $(seq 1 600); do
  curl -fs -o /dev/null "http://$BIND/" && break
  kill -0 "$RUN_PID" 2>/dev/null || { tail -50 data/make-run.log; exit 1; }
  sleep 1
done
.venv/bin/python bench/concurrent_inquiries.py --base "http://$BIND" --n 50
