#!/bin/sh
# desk benchmarks, run by `make bench`: ticket ingest through the HTTP API
# against the SQLite limit (the same rows in one transaction), and ticket
# reads against /healthz, all on the real server with a fresh database.
# Prints "name value unit" lines and one met/missed line per target; exits
# non-zero only when something fails (server, build, unexpected status).
set -eu

BUILD=${BUILD:-build}
CC=${CC:-cc}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
DESK=$BUILD/desk
BIN=$BUILD/bench

WARMUP_N=${WARMUP_N:-500}       # tickets, 4 clients, not reported
INGEST_C1_N=${INGEST_C1_N:-3000} # tickets with 1 client
INGEST_C4_N=${INGEST_C4_N:-6000} # tickets with 4 clients; also the SQLite limit's count
INGEST_MAX_S=${INGEST_MAX_S:-20} # each ingest run stops here even if short of its count
READ_S=${READ_S:-2}              # seconds of each read run
READ_ROUNDS=${READ_ROUNDS:-3}    # alternating ticket/healthz runs; the median is shown
SUBJECT='Bench ticket {{n}}'

WARN="-std=c11 -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wformat=2"
mkdir -p "$BIN"
# shellcheck disable=SC2046,SC2086 # WARN and pkg-config output are word lists
$CC $WARN -O2 -pthread -o "$BIN/load" "$HERE/load.c"
# shellcheck disable=SC2046,SC2086
$CC $WARN -O2 $(pkg-config --cflags sqlite3) -o "$BIN/sqlite_limit" "$HERE/sqlite_limit.c" \
    $(pkg-config --libs sqlite3)

TMP=$(mktemp -d "${TMPDIR:-/tmp}/desk-bench.XXXXXX")
DB=$TMP/desk.db
LOG=$TMP/server.log
SERVER_PID=

cleanup() {
    status=$?
    if [ -n "$SERVER_PID" ]; then
        kill "$SERVER_PID" 2>/dev/null || true
        tries=0
        while kill -0 "$SERVER_PID" 2>/dev/null && [ "$tries" -lt 50 ]; do
            sleep 0.1
            tries=$((tries + 1))
        done
        if kill -0 "$SERVER_PID" 2>/dev/null; then
            echo "bench: the server did not stop within 5 s of SIGTERM; killing it" >&2
            kill -9 "$SERVER_PID" 2>/dev/null || true
        fi
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    if [ "$status" -ne 0 ]; then
        echo "bench: failed (exit $status); files kept in $TMP" >&2
        if [ -s "$LOG" ]; then
            echo "bench: last lines of the server log $LOG:" >&2
            tail -n 40 "$LOG" >&2
        fi
    else
        rm -rf "$TMP"
    fi
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

die() {
    echo "bench: $*" >&2
    exit 1
}

# Fails unless the server we started is still running.
check_server() {
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
        wait "$SERVER_PID" && rc=0 || rc=$?
        SERVER_PID=
        die "the server exited (status $rc) during $1"
    fi
}

# Starts the server on port $1; returns 1 if it exits first (port taken), 0 once
# /healthz answers.
start_server() {
    "$DESK" serve --db "$DB" --listen "127.0.0.1:$1" >>"$LOG" 2>&1 &
    SERVER_PID=$!
    tries=0
    while [ "$tries" -lt 100 ]; do
        if ! kill -0 "$SERVER_PID" 2>/dev/null; then
            wait "$SERVER_PID" || true
            SERVER_PID=
            return 1
        fi
        if curl -sf -o /dev/null --max-time 2 "http://127.0.0.1:$1/healthz"; then
            check_server "start-up"
            return 0
        fi
        sleep 0.1
        tries=$((tries + 1))
    done
    die "the server did not answer /healthz on port $1 within 10 s"
}

# CPU time the server has used, in clock ticks (0 where there is no /proc).
server_ticks() {
    awk '{ print $14 + $15 }' "/proc/$SERVER_PID/stat" 2>/dev/null || echo 0
}
HZ=$(getconf CLK_TCK)

# Runs load with the arguments after $1 (-p prefix first) and writes its
# figures and the server's CPU use meanwhile to file $1.
measure_to() {
    out=$1
    shift
    ticks=$(server_ticks)
    "$BIN/load" "$@" >"$TMP/out"
    ticks=$(($(server_ticks) - ticks))
    awk -v p="$2" -v t="$ticks" -v hz="$HZ" '
        { print }
        $1 == p "_seconds" && $2 > 0 { printf "%s_server_cpu %.2f cores\n", p, t / hz / $2 }
    ' "$TMP/out" >"$out"
}

# Shows the figures in file $1 and keeps them in $FIG.
show() {
    cat "$1"
    cat "$1" >>"$FIG"
}
FIG=$TMP/figures

measure() {
    measure_to "$TMP/figs" "$@"
    show "$TMP/figs"
}

# The value of figure $1 from $FIG.
figure() {
    awk -v k="$1" '$1 == k { v = $2 } END { if (v == "") exit 1; print v }' "$FIG" ||
        die "no figure $1"
}

# Prints "$1 <$2 / $3> ratio" and keeps it.
ratio() {
    awk -v k="$1" -v a="$2" -v b="$3" 'BEGIN { printf "%s %.2f ratio\n", k, (b > 0 ? a / b : 0) }' |
        tee -a "$FIG"
}

# Prints "$1 met" when $2 >= $3, else "$1 missed".
target() {
    awk -v k="$1" -v a="$2" -v b="$3" 'BEGIN { print k, (a + 0 >= b + 0 ? "met" : "missed") }'
}

# ---- a fresh database, a bench admin and its API token ---------------------

"$DESK" init --db "$DB" >>"$LOG" 2>&1 || die "desk init failed"
"$DESK" user create --db "$DB" --email bench@example.com --name Bench --role admin \
    >>"$LOG" 2>&1 || die "desk user create failed"
TOKEN=$("$DESK" token create --db "$DB" --email bench@example.com 2>>"$LOG") ||
    die "desk token create failed"
[ -n "$TOKEN" ] || die "desk token create printed no token"
AUTH="Basic $(printf '%s' "bench@example.com/token:$TOKEN" | base64 | tr -d '\n')"

tr -d '\n' <"$HERE/description.txt" >"$TMP/description.txt"
if grep -q '["\\]' "$TMP/description.txt"; then
    die "bench/description.txt must not need JSON escapes"
fi
printf '{"ticket":{"subject":"%s","comment":{"body":"%s"}}}' "$SUBJECT" \
    "$(cat "$TMP/description.txt")" >"$TMP/ticket.json"

# ---- the server, on a free port --------------------------------------------

port=$((20000 + $$ % 20000))
attempt=0
while :; do
    attempt=$((attempt + 1))
    [ "$attempt" -le 10 ] || die "no free port found (server log: $LOG)"
    port=$((port + 1))
    # Something already answering there is not our server.
    if curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$port/"; then
        continue
    fi
    if start_server "$port"; then
        break
    fi
done
ADDR=127.0.0.1:$port

echo "bench_cpus $(getconf _NPROCESSORS_ONLN) cpus"
# Other work on the machine skews every figure: show how busy it was.
if [ -r /proc/loadavg ]; then
    echo "bench_loadavg_before $(cut -d ' ' -f 1 /proc/loadavg) runnable"
fi

# ---- ingest ----------------------------------------------------------------

# "<writes> <commits>" so far, from the server's group-commit histogram.
commits() {
    curl -sf --max-time 2 "http://$ADDR/metrics" | awk '
        $1 == "desk_store_write_batch_size_sum" { w = $2 }
        $1 == "desk_store_write_batch_size_count" { c = $2 }
        END { print w + 0, c + 0 }'
}

ingest() { # clients count first prefix
    before=$(commits)
    measure -p "$4" -c "$1" -n "$2" -d "$INGEST_MAX_S" -f "$3" -u tickets/s -m POST \
        -a "$AUTH" -b "$TMP/ticket.json" -s 201 "$ADDR" /api/v2/tickets.json
    check_server "$4"
    # How many writes shared each fsync: at most one per client.
    echo "$before $(commits)" | awk -v p="$4" '$4 > $2 {
        printf "%s_writes_per_commit %.2f writes\n", p, ($3 - $1) / ($4 - $2) }'
}
ingest 4 "$WARMUP_N" 1 ingest_warmup >/dev/null
ingest 1 "$INGEST_C1_N" $((WARMUP_N + 1)) ingest_c1
ingest 4 "$INGEST_C4_N" $((WARMUP_N + INGEST_C1_N + 1)) ingest_c4

"$BIN/sqlite_limit" -n "$INGEST_C4_N" -s "$SUBJECT" \
    "$ROOT/src/store/migrations/0001_init.sql" "$TMP/description.txt" >"$TMP/out"
cat "$TMP/out"
cat "$TMP/out" >>"$FIG"

C1=$(figure ingest_c1_rate)
C4=$(figure ingest_c4_rate)
LIMIT=$(figure ingest_sqlite_limit)
ratio ingest_c1_share_of_limit "$C1" "$LIMIT"
ratio ingest_c4_share_of_limit "$C4" "$LIMIT"
C4_SHARE=$(figure ingest_c4_share_of_limit)
ratio ingest_c4_share_of_4_per_commit "$C4" "$(figure ingest_sqlite_4_per_commit)"

# ---- read ------------------------------------------------------------------

# Runs alternate so that drift on a shared machine hits both sides alike.
round=1
while [ "$round" -le "$READ_ROUNDS" ]; do
    measure_to "$TMP/read_ticket.$round" -p read_ticket -c 4 -d "$READ_S" -a "$AUTH" -s 200 \
        "$ADDR" /api/v2/tickets/1.json
    check_server read_ticket
    measure_to "$TMP/read_healthz.$round" -p read_healthz -c 4 -d "$READ_S" -s 200 \
        "$ADDR" /healthz
    check_server read_healthz
    round=$((round + 1))
done
# Shows the figures of the run with the median rate among files $1.1, $1.2, ...
show_median() {
    for f in "$1".*; do
        printf '%s %s\n' "$(awk '$1 ~ /_rate$/ { print $2 }' "$f")" "$f"
    done | sort -n | awk -v m=$(((READ_ROUNDS + 1) / 2)) 'NR == m { print $2 }' >"$TMP/median"
    show "$(cat "$TMP/median")"
}
show_median "$TMP/read_ticket"
show_median "$TMP/read_healthz"
TICKET=$(figure read_ticket_rate)
HEALTHZ=$(figure read_healthz_rate)
ratio read_ticket_share_of_healthz "$TICKET" "$HEALTHZ"
READ_SHARE=$(figure read_ticket_share_of_healthz)

# ---- targets (issue: bench) --------------------------------------------------

target ingest_c4_target_5000 "$C4" 5000
target ingest_c4_target_share_0.25 "$C4_SHARE" 0.25
target read_ticket_target_share_0.50 "$READ_SHARE" 0.50
BUILD="$BUILD" CC="$CC" sh "$HERE/mail.sh" # email in: parse and store, in-process and through mailgate

# ---- SLA: due times per second, scheduler tick cost (bench/sla.sh) ----------
BUILD=$BUILD sh "$HERE/sla.sh"
BUILD="$BUILD" sh "$HERE/team.sh"
BUILD=$BUILD sh "$HERE/signals.sh" "$C4" # supervisor: text signals
BUILD=$BUILD sh "$HERE/similar.sh" # similar solved tickets (docs/concessions.md)
BUILD="$BUILD" CC="$CC" sh "$HERE/live.sh" # live wall: commit-to-event latency on 200 SSE streams
BUILD="$BUILD" sh "$HERE/console.sh" # console: first load, compressed
BUILD="$BUILD" CC="$CC" sh "$HERE/commitments.sh" # commitment scheduler: round cost vs open commitments
BUILD=$BUILD sh "$HERE/mail_out.sh" # outbound mail: rendering, the write path, delivery
