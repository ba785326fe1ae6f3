#!/bin/sh
# Similar solved tickets (docs/concessions.md) on SIMILAR_N tickets (default
# 20000, four in five solved): the use case's p50/p90 against the ticket
# search on the same store, SIMILAR_Q queries. Called by bench/run.sh; uses
# $BUILD/libdesk.a.
set -eu
BUILD=${BUILD:-build}
CC=${CC:-cc}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
PKGS=$(make -s --no-print-directory -C "$ROOT" print-pkgs)
mkdir -p "$BUILD/bench"
# shellcheck disable=SC2046 # pkg-config output is a word list
$CC -O2 -D_GNU_SOURCE -Isrc $(pkg-config --cflags $PKGS) -pthread -o "$BUILD/bench/similar" \
    "$HERE/similar.c" "$BUILD/libdesk.a" $(make -s --no-print-directory -C "$ROOT" print-libs)
TMP=$(mktemp -d "${TMPDIR:-/tmp}/desk-similar.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
"$BUILD/bench/similar" "$TMP/desk.db" "${SIMILAR_N:-20000}" "${SIMILAR_Q:-200}" 2>"$TMP/log" ||
    { cat "$TMP/log" >&2; exit 1; }
