#!/bin/sh
# Outbound mail benchmarks (run by bench/run.sh): how fast notices render
# in-process; what queuing a notice costs a reply on the write path (public
# replies, which each queue one, against internal notes, which queue none,
# through the HTTP API with 4 clients); and how fast the mail thread
# delivers them to a local relay (aiosmtpd from Debian, itself the slower
# side: the figure is a floor). Prints "name value unit" lines.
set -eu

BUILD=${BUILD:-build}
CC=${CC:-cc}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
DESK=$ROOT/$BUILD/desk
BIN=$ROOT/$BUILD/bench
REPLIES_N=${MAIL_REPLIES_N:-2000}
PKGS=$(make -s --no-print-directory -C "$ROOT" print-pkgs)
mkdir -p "$BIN"
# shellcheck disable=SC2046
$CC -O2 -D_GNU_SOURCE -I"$ROOT/src" $(pkg-config --cflags $PKGS) -o "$BIN/mail_render" \
    "$HERE/mail_render.c" "$ROOT/$BUILD/libdesk.a" $(make -s --no-print-directory -C "$ROOT" print-libs)
[ -x "$BIN/load" ] || $CC -O2 -pthread -o "$BIN/load" "$HERE/load.c"

"$BIN/mail_render" 3

TMP=$(mktemp -d "${TMPDIR:-/tmp}/desk-bench-mail.XXXXXX")
SERVER_PID=
SINK_PID=
cleanup() {
    [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
    [ -n "$SINK_PID" ] && kill "$SINK_PID" 2>/dev/null && wait "$SINK_PID" 2>/dev/null
    rm -rf "$TMP"
}
trap cleanup EXIT
die() {
    echo "bench mail_out: $*" >&2
    [ -f "$TMP/server.log" ] && tail -n 20 "$TMP/server.log" >&2
    exit 1
}

mkdir "$TMP/sink"
/usr/bin/python3 "$ROOT/tests/e2e/lib/smtp_sink.py" "$TMP/sink" >"$TMP/sink.out" 2>&1 &
SINK_PID=$!
tries=0
until grep -q PORT "$TMP/sink.out" 2>/dev/null; do
    tries=$((tries + 1))
    [ "$tries" -lt 100 ] || die "the SMTP sink did not start"
    sleep 0.1
done
SMTP_PORT=$(sed -n 's/^PORT //p' "$TMP/sink.out")

DB=$TMP/desk.db
"$DESK" init --db "$DB" >/dev/null 2>&1 || die "desk init failed"
"$DESK" user create --db "$DB" --email agent@bench.test --name Agent --role agent >/dev/null
"$DESK" user create --db "$DB" --email customer@bench.test --name Customer >/dev/null
AUTH="Basic $(printf '%s' "agent@bench.test/token:$("$DESK" token create --db "$DB" \
    --email agent@bench.test)" | base64 | tr -d '\n')"

# Starts the server with the options given; sets SERVER_PID and ADDR.
start() {
    : >"$TMP/server.log"
    "$DESK" serve --db "$DB" --listen 127.0.0.1:0 "$@" >"$TMP/server.log" 2>&1 &
    SERVER_PID=$!
    tries=0
    ADDR=
    while [ -z "$ADDR" ]; do
        tries=$((tries + 1))
        [ "$tries" -lt 100 ] || die "the server did not start"
        sleep 0.1
        ADDR=$(sed -n 's/.*event=listening url=http:\/\/\([0-9.:]*\).*/\1/p' "$TMP/server.log")
    done
}
stop() {
    kill "$SERVER_PID" && wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=
}
metric() {
    curl -sf "http://$ADDR/metrics" | awk -v k="$1" '$1 == k { print $2 }'
}

# ---- the write path: a reply queues a notice, a note does not (no mail thread running) ----
start
# Two tickets that grow alike: notes go on the first, replies on the second.
for t in 1 2; do
    curl -sf -o /dev/null -H "Authorization: $AUTH" -H 'Content-Type: application/json' \
        -d '{"ticket":{"subject":"Bench","requester":{"email":"customer@bench.test"},"comment":{"body":"#1","public":false}}}' \
        "http://$ADDR/api/v2/tickets.json" || die "cannot create ticket $t"
done
printf '{"ticket":{"comment":{"body":"Internal note {{n}}: checked the order.","public":false}}}' \
    >"$TMP/note.json"
printf '{"ticket":{"comment":{"body":"Dobrý den, odpověď č. {{n}}: zásilka je na cestě.","public":true}}}' \
    >"$TMP/reply.json"
"$BIN/load" -p mail_out_note_c4 -c 4 -n "$REPLIES_N" -u notes/s -m PUT -a "$AUTH" \
    -b "$TMP/note.json" -s 200 "$ADDR" /api/v2/tickets/1.json >"$TMP/note.out"
"$BIN/load" -p mail_out_reply_c4 -c 4 -n "$REPLIES_N" -u replies/s -m PUT -a "$AUTH" \
    -b "$TMP/reply.json" -s 200 "$ADDR" /api/v2/tickets/2.json >"$TMP/reply.out"
grep -hE '_rate |_p50 |_p99 ' "$TMP/note.out" "$TMP/reply.out"
awk '$1 ~ /_rate$/ { r[FILENAME] = $2 } END {
    printf "mail_out_reply_share_of_note %.2f ratio\n", r[ARGV[2]] / r[ARGV[1]] }' \
    "$TMP/note.out" "$TMP/reply.out"
[ "$(metric 'desk_mail_outbox{state="queued"}')" -eq "$REPLIES_N" ] || die "not every reply queued a notice"
stop

# ---- delivery: the mail thread renders and sends the queued notices to the relay ----
start --smtp "smtp://127.0.0.1:$SMTP_PORT" --smtp-tls none --mail-from support@bench.test
begin=$(date +%s.%N)
tries=0
while [ "$(metric desk_mail_sent_total)" -lt "$REPLIES_N" ]; do
    tries=$((tries + 1))
    [ "$tries" -lt 3000 ] || die "only $(metric desk_mail_sent_total) of $REPLIES_N notices sent in 300 s"
    sleep 0.1
done
end=$(date +%s.%N)
awk -v n="$REPLIES_N" -v s="$begin" -v e="$end" \
    'BEGIN { printf "mail_out_delivered_rate %.0f messages/s\n", n / (e - s) }'
[ "$(ls "$TMP/sink" | grep -c '\.eml$')" -eq "$REPLIES_N" ] || die "the sink holds the wrong count"
