#!/bin/sh
# SLA benchmarks: business-hours due times per second on one core, and the
# breach scheduler's cost per tick with 10k and 1M open targets (see
# bench/sla.c). Builds build/bench/sla against $BUILD/libdesk.a (make builds
# it) and prints "name value unit" lines and met/missed lines for the targets.
set -eu
BUILD=${BUILD:-build}
CC=${CC:-cc}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
cd "$ROOT"
[ -f "$BUILD/libdesk.a" ] || { echo "sla bench: build $BUILD/libdesk.a first (make)" >&2; exit 1; }
PKGS=$(make -s --no-print-directory -C "$ROOT" print-pkgs)
mkdir -p "$BUILD/bench"
# shellcheck disable=SC2046 # pkg-config output is a word list
$CC -std=c11 -O2 -Wall -Wextra -D_GNU_SOURCE -Isrc -pthread -o "$BUILD/bench/sla" bench/sla.c \
    "$BUILD/libdesk.a" $(pkg-config --cflags $PKGS) \
    $(make -s --no-print-directory -C "$ROOT" print-libs)
TMP=$(mktemp -d "${TMPDIR:-/tmp}/desk-sla-bench.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
# One core: the figures are per core, and the machine is shared.
if command -v taskset >/dev/null 2>&1; then
    taskset -c 0 "$BUILD/bench/sla" "$TMP"
else
    "$BUILD/bench/sla" "$TMP"
fi
