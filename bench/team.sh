#!/bin/sh
# Routing benchmarks (run by bench/run.sh): bench/routing.c against the routing
# model — decision time over 1,000 agents (target 10 us) and fairness over
# 10,000 tickets (target max/min <= 1.05, never above capacity) — and
# bench/routing_pool.c against the built library: what routing adds to a
# ticket write in a group of 1,000 agents. Prints "name value unit" lines.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
BUILD=${BUILD:-build}
CC=${CC:-cc}
BIN=$BUILD/bench
WARN="-std=c11 -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wformat=2"
mkdir -p "$BIN"
# shellcheck disable=SC2046,SC2086 # WARN and pkg-config output are word lists
$CC $WARN -O2 -D_GNU_SOURCE -I"$ROOT/src" -o "$BIN/routing" "$HERE/routing.c" \
    "$ROOT/src/model/routing.c" "$ROOT/src/model/staff.c" "$ROOT/src/core/buf.c" \
    $(pkg-config --cflags --libs icu-uc icu-i18n)
"$BIN/routing"
# What routing costs a ticket write in the server: a fresh store, 1,000 agents.
LIBS=$(make -s --no-print-directory -C "$ROOT" print-pkgs)
# shellcheck disable=SC2046,SC2086
$CC $WARN -O2 -D_GNU_SOURCE -I"$ROOT/src" -I"$BUILD" -o "$BIN/routing_pool" "$HERE/routing_pool.c" \
    "$BUILD/libdesk.a" $(pkg-config --cflags $LIBS) \
    $(make -s --no-print-directory -C "$ROOT" print-libs)
TMP=$(mktemp -d "${TMPDIR:-/tmp}/desk-routing.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
"$BIN/routing_pool" "$TMP/desk.db" 2>"$TMP/log" || { cat "$TMP/log" >&2; exit 1; }
