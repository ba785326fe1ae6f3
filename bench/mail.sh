#!/bin/sh
# bench/mail: email in. Parses and stores a corpus of typical ~5 KB messages
# (transport headers, text and HTML alternatives, some with attachments, a
# third of them replies; see make_typical in bench/mail.c) in-process through
# desk_mail_ingest from 16 threads (their writes share the store's group
# commit; each message is durable when its call returns), then pipes more of
# the same corpus through `desk mailgate` one process per message, as an MTA
# does, sequentially and 4 at a time. Limits measured in the same run: GMime
# parsing the corpus alone, and SQLite storing each message as one row
# (raw bytes and text) with desk's writer settings, 16 messages per commit.
# Also prints the CPU per message (whole process, and the store's writer
# thread), which a busy machine skews less than the rate, and the rate those
# allow on 2 idle cores. Then the same in-process run on a text-heavy corpus
# (4.6 KB of plain text per message: mail_textheavy_* figures). Prints "name value unit" lines and a met/missed line
# for the target (2,000 messages/s in-process). Run by bench/run.sh, or alone:
#   BUILD=build sh bench/mail.sh
set -eu
BUILD=${BUILD:-build}
CC=${CC:-cc}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
MAIL_N=${MAIL_N:-6000}         # messages stored in-process
MAIL_THREADS=${MAIL_THREADS:-16}
MAIL_GATE_N=${MAIL_GATE_N:-300} # messages piped through desk mailgate
MAIL_TEXT_N=${MAIL_TEXT_N:-3000} # text-heavy messages stored in-process
case $BUILD in
/*) B=$BUILD ;;
*) B=$ROOT/$BUILD ;;
esac
PKGS=$(make -s --no-print-directory -C "$ROOT" print-pkgs)

mkdir -p "$B/bench"
BIN=$B/bench/mail
# shellcheck disable=SC2046 # pkg-config output is a word list
$CC -std=c11 -O2 -D_GNU_SOURCE -I"$ROOT/src" -pthread -o "$BIN" "$HERE/mail.c" \
    "$B/libdesk.a" $(pkg-config --cflags $PKGS) \
    $(make -s --no-print-directory -C "$ROOT" print-libs)
TMP=$(mktemp -d "${TMPDIR:-/tmp}/desk-bench-mail.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
DESK=$B/desk
"$DESK" init --db "$TMP/desk.db" >/dev/null 2>&1
mkdir "$TMP/eml"
echo "mail_loadavg_before $(cut -d ' ' -f 1 /proc/loadavg 2>/dev/null || echo 0) runnable"
"$BIN" -d "$TMP/desk.db" -n "$MAIL_N" -t "$MAIL_THREADS" -o "$TMP/eml" -f "$MAIL_GATE_N" \
    -l "$TMP" 2>"$TMP/log" |
    tee "$TMP/figs"
# The text-heavy corpus (4.6 KB of plain text per message) on a database of its own.
"$DESK" init --db "$TMP/text.db" >/dev/null 2>&1
"$BIN" -d "$TMP/text.db" -n "$MAIL_TEXT_N" -t "$MAIL_THREADS" -c text 2>>"$TMP/log" | tee -a "$TMP/figs"

# Through mailgate: a process per message (open the store, parse, store, exit).
ls "$TMP/eml" >"$TMP/list"
half=$((MAIL_GATE_N / 2))
start=$(date +%s.%N)
head -n "$half" "$TMP/list" | while read -r f; do
    "$DESK" mailgate --db "$TMP/desk.db" --mail-rate 0 <"$TMP/eml/$f" >/dev/null 2>>"$TMP/log" ||
        echo "bench: mailgate failed on $f" >&2
done
end=$(date +%s.%N)
echo "$half $start $end" | awk '{ printf "mail_mailgate_c1_rate %.0f msgs/s\n", $1 / ($3 - $2) }' |
    tee -a "$TMP/figs"
start=$(date +%s.%N)
tail -n +"$((half + 1))" "$TMP/list" |
    xargs -P 4 -I{} sh -c "'$DESK' mailgate --db '$TMP/desk.db' --mail-rate 0 <'$TMP/eml/{}' >/dev/null 2>>'$TMP/log'"
end=$(date +%s.%N)
echo "$((MAIL_GATE_N - half)) $start $end" |
    awk '{ printf "mail_mailgate_c4_rate %.0f msgs/s\n", $1 / ($3 - $2) }' | tee -a "$TMP/figs"
stored=$(sqlite3 "$TMP/desk.db" "SELECT count(*) FROM mail_messages")
echo "mail_stored_total $stored messages"
[ "$stored" -eq $((MAIL_N + MAIL_GATE_N)) ] || echo "bench: expected $((MAIL_N + MAIL_GATE_N)) stored messages" >&2
rate=$(awk '$1 == "mail_inprocess_rate" { print $2 }' "$TMP/figs")
awk -v r="$rate" 'BEGIN { print "mail_inprocess_target_2000", (r + 0 >= 2000 ? "met" : "missed") }'
