#!/bin/sh
# Live-wall latency (issue: console): 200 Server-Sent Events streams on
# GET /api/v2/live, tickets created at a steady pace, and the time from each
# ticket's commit to its event on every stream; target p99 <= 1000 ms.
# Starts its own server on a fresh database; prints "name value unit" lines
# and a met/missed line. Sizes: LIVE_STREAMS, LIVE_EVENTS, LIVE_PACE_MS.
set -eu

BUILD=${BUILD:-build}
CC=${CC:-cc}
HERE=$(cd "$(dirname "$0")" && pwd)
DESK=$BUILD/desk
BIN=$BUILD/bench
LIVE_STREAMS=${LIVE_STREAMS:-200}
LIVE_EVENTS=${LIVE_EVENTS:-200}
LIVE_PACE_MS=${LIVE_PACE_MS:-20}

mkdir -p "$BIN"
$CC -std=c11 -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
    -Wformat=2 -O2 -pthread -o "$BIN/live" "$HERE/live.c"

TMP=$(mktemp -d "${TMPDIR:-/tmp}/desk-bench-live.XXXXXX")
PID=
cleanup() {
    status=$?
    if [ -n "$PID" ]; then
        kill "$PID" 2>/dev/null || true
        wait "$PID" 2>/dev/null || true
    fi
    if [ "$status" -ne 0 ]; then
        echo "bench/live: failed (exit $status); server log:" >&2
        tail -n 20 "$TMP/server.log" >&2 || true
    fi
    rm -rf "$TMP"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

"$DESK" init --db "$TMP/desk.db" >"$TMP/server.log" 2>&1
"$DESK" user create --db "$TMP/desk.db" --email live@example.com --name Live --role supervisor \
    >>"$TMP/server.log" 2>&1
TOKEN=$("$DESK" token create --db "$TMP/desk.db" --email live@example.com 2>>"$TMP/server.log")
AUTH="Basic $(printf '%s' "live@example.com/token:$TOKEN" | base64 | tr -d '\n')"

"$DESK" serve --db "$TMP/desk.db" --listen 127.0.0.1:0 >>"$TMP/server.log" 2>&1 &
PID=$!
port=
tries=0
while [ -z "$port" ] && [ "$tries" -lt 100 ]; do
    port=$(sed -n 's/.*event=listening url=http:\/\/127\.0\.0\.1:\([0-9]*\).*/\1/p' "$TMP/server.log")
    [ -n "$port" ] || sleep 0.1
    tries=$((tries + 1))
done
[ -n "$port" ] || { echo "bench/live: the server did not start" >&2; exit 1; }

"$BIN/live" -a "$AUTH" -n "$LIVE_STREAMS" -m "$LIVE_EVENTS" -p "$LIVE_PACE_MS" "$port" >"$TMP/out"
cat "$TMP/out"
awk '$1 == "live_latency_p99" { print "live_latency_p99_target_1000ms", ($2 <= 1000 ? "met" : "missed") }' \
    "$TMP/out"
