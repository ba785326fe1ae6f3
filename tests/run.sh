#!/bin/sh
# Runs every test for each build directory in $BUILDS (default "build"): the
# cmocka unit tests under $BUILD/tests, the fuzz corpora as regression
# inputs, and the end-to-end suite (node's test runner against the real
# binary). Prints each suite's output and one closing "N passed, M failed"
# line for all of them; exits non-zero on any failure.
set -u
BUILDS=${BUILDS:-build}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
pass=0
fail=0
log=$(mktemp -d)
trap 'rm -rf "$log"' EXIT

# (Again when the lock file changed since the last install: a new test dependency.)
if [ ! -d tests/e2e/node_modules ] ||
    [ tests/e2e/package-lock.json -nt tests/e2e/node_modules/.package-lock.json ]; then
    (cd tests/e2e && npm ci --silent --no-audit --no-fund) || {
        echo "npm ci failed"
        fail=$((fail + 1))
    }
fi

for BUILD in $BUILDS; do
echo "== unit tests ($BUILD)"
for t in "$BUILD"/tests/*/test_*; do
    [ -x "$t" ] || continue
    name=${t#"$BUILD"/tests/}
    out="$log/unit.out"
    "$t" >"$out" 2>&1
    rc=$?
    p=$(sed -n 's/^\[  PASSED  \] \([0-9][0-9]*\) test.*/\1/p' "$out" | tail -n 1)
    f=$(sed -n 's/^\[  FAILED  \] \([0-9][0-9]*\) test.*/\1/p' "$out" | tail -n 1)
    p=${p:-0}
    f=${f:-0}
    if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
        f=1 # crashed or sanitizer report
    fi
    pass=$((pass + p))
    fail=$((fail + f))
    if [ "$f" -ne 0 ]; then
        cat "$out"
        echo "FAIL $name"
    else
        echo "ok   $name ($p)"
    fi
done

if [ -d tests/fuzz ]; then
    echo "== fuzz corpora as regression inputs ($BUILD)"
    for target in tests/fuzz/fuzz_*.c; do
        [ -f "$target" ] || continue
        name=$(basename "$target" .c)
        corpus="tests/fuzz/corpus/${name#fuzz_}"
        bin="$BUILD/fuzz/$name"
        [ -x "$bin" ] && [ -d "$corpus" ] || continue
        if "$bin" "$corpus"/* >"$log/fuzz.out" 2>&1; then
            pass=$((pass + 1))
            echo "ok   $name ($(ls "$corpus" | wc -l) inputs)"
        else
            fail=$((fail + 1))
            cat "$log/fuzz.out"
            echo "FAIL $name"
        fi
    done
fi

echo "== end-to-end tests ($BUILD)"
DESK_BIN="$ROOT/$BUILD/desk" node --test --test-concurrency=2 --test-reporter=tap \
    tests/e2e/ >"$log/e2e.out" 2>&1
rc=$?
p=$(sed -n 's/^# pass \([0-9][0-9]*\)$/\1/p' "$log/e2e.out" | tail -n 1)
f=$(sed -n 's/^# fail \([0-9][0-9]*\)$/\1/p' "$log/e2e.out" | tail -n 1)
p=${p:-0}
f=${f:-0}
if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
    f=1
fi
# Each failure's error and where it was raised sit right under its "not ok"
# line, so a CI log cut around that line still says why.
awk '
    /^(not ok|ok) / { print "  " $0; failing = /^not ok/; shown = 0; next }
    failing && /^  (error|location|expected|actual):/ { grab = 1 }
    failing && /^  (code|stack|failureType|duration_ms):/ { grab = 0 }
    failing && /^  \.\.\.$/ { failing = 0 }
    failing && grab && shown < 12 { print "      " $0; shown++ }
' "$log/e2e.out" | head -n 300
if [ "$f" -ne 0 ]; then
    echo "-- failures:"
    grep -n -A 30 '^not ok\|^    not ok' "$log/e2e.out" | head -n 400
fi
pass=$((pass + p))
fail=$((fail + f))
done

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
