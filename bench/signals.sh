#!/bin/sh
# Text-signal benchmark (bench/signals.c): builds it against the library,
# prints its figures and, given the 4-client ingest rate measured in the same
# run as $1, whether scoring a typical message costs under a tenth of a ticket
# write (signals_message_target_10x_ingest: scoring runs inside the write).
set -eu
BUILD=${BUILD:-build}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
mkdir -p "$BUILD/bench"
# shellcheck disable=SC2046 # pkg-config output is a word list
${CC:-cc} -std=c11 -O2 -D_GNU_SOURCE -I"$ROOT/src" -o "$BUILD/bench/signals" "$HERE/signals.c" \
    "$BUILD/libdesk.a" $(pkg-config --libs icu-uc icu-i18n) -lm -pthread
OUT=$("$BUILD/bench/signals" "$ROOT/tests/unit/model/data/signals")
echo "$OUT"
if [ -n "${1:-}" ]; then
    echo "$OUT" | awk -v ing="$1" '$1 == "signals_message_rate" {
        print "signals_message_target_10x_ingest", ($2 + 0 >= 10 * ing ? "met" : "missed") }'
fi
