#!/bin/sh
# Starts the installed example service under cdb-run, asks it for /health
# on loopback, then stops it with SIGTERM and shows its exit status.
# Usage: demo.sh [SPEC]    (default: the installed execution.json)
set -eu

spec=${1:-/usr/local/share/cdb-run/examples/execution.json}
url=http://127.0.0.1:8080/health

cdb-run --spec "$spec" &
pid=$!
trap 'kill "$pid" 2>/dev/null || true' EXIT

# The host's own python3 does the asking, so the demo needs no curl.
/usr/bin/python3 - "$url" <<'PY'
import sys, time, urllib.request
for _ in range(100):
    try:
        with urllib.request.urlopen(sys.argv[1], timeout=1) as answer:
            print("GET", sys.argv[1], "->", answer.status)
            print(answer.read().decode().strip())
            sys.exit(0)
    except OSError:
        time.sleep(0.1)
sys.exit("the service did not answer on " + sys.argv[1])
PY

kill -TERM "$pid"
status=0
wait "$pid" || status=$?
trap - EXIT
echo "cdb-run exited with status $status after SIGTERM"
