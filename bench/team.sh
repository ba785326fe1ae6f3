#!/bin/sh
# Routing benchmarks (run by bench/run.sh): builds bench/routing.c against the
# routing model and prints its "name value unit" lines — decision time over
# 1,000 agents (target 10 us) and fairness over 10,000 tickets (target
# max/min <= 1.05, never above capacity).
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
