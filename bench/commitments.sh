#!/bin/sh
# Commitment scheduler (issue: commitments and the calendar): the cost of one
# scheduler round on a store with COMMIT_SMALL open commitments and on one
# with COMMIT_LARGE, all due later; target: large/small <= 1.5 (a round reads
# the head of an index, it never scans). Prints "name value unit" lines and a
# met/missed line. Links build/libdesk.a, so `make` first.
set -eu

BUILD=${BUILD:-build}
CC=${CC:-cc}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
BIN=$BUILD/bench
COMMIT_SMALL=${COMMIT_SMALL:-10000}
COMMIT_LARGE=${COMMIT_LARGE:-1000000}

mkdir -p "$BIN"
PKGS=$(make -s --no-print-directory -C "$ROOT" print-pkgs)
# shellcheck disable=SC2046,SC2086 # pkg-config output is a word list
$CC -std=c11 -D_GNU_SOURCE -Wall -Wextra -O2 -pthread -I"$ROOT/src" -o "$BIN/commitments" \
    "$HERE/commitments.c" "$BUILD/libdesk.a" $(make -s --no-print-directory -C "$ROOT" print-libs)

TMP=$(mktemp -d "${TMPDIR:-/tmp}/desk-bench-commitments.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
"$BIN/commitments" "$COMMIT_SMALL" "$COMMIT_LARGE" "$TMP" 2>"$TMP/log" >"$TMP/out" || {
    echo "bench/commitments: failed" >&2
    tail -n 20 "$TMP/log" >&2
    exit 1
}
cat "$TMP/out"
awk '$1 == "commitments_round_ratio" { print "commitments_round_target_ratio_1.5", ($2 <= 1.5 ? "met" : "missed") }' \
    "$TMP/out"
