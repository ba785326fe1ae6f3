#!/bin/sh
# First load of the console (issue: console): the page and everything it
# imports before anyone clicks (HTML, CSS, the modules reached by static
# imports, one catalog), transferred gzip-compressed as a browser asks for
# it; target <= 200 KB. Starts its own server on a fresh database; prints
# "name value unit" lines and a met/missed line.
set -eu

BUILD=${BUILD:-build}
DESK=$BUILD/desk
TMP=$(mktemp -d "${TMPDIR:-/tmp}/desk-bench-console.XXXXXX")
PID=
cleanup() {
    status=$?
    if [ -n "$PID" ]; then
        kill "$PID" 2>/dev/null || true
        wait "$PID" 2>/dev/null || true
    fi
    [ "$status" -eq 0 ] || tail -n 20 "$TMP/server.log" >&2 || true
    rm -rf "$TMP"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

"$DESK" init --db "$TMP/desk.db" >"$TMP/server.log" 2>&1
"$DESK" serve --db "$TMP/desk.db" --listen 127.0.0.1:0 >>"$TMP/server.log" 2>&1 &
PID=$!
port=
tries=0
while [ -z "$port" ] && [ "$tries" -lt 100 ]; do
    port=$(sed -n 's/.*event=listening url=http:\/\/127\.0\.0\.1:\([0-9]*\).*/\1/p' "$TMP/server.log")
    [ -n "$port" ] || sleep 0.1
    tries=$((tries + 1))
done
[ -n "$port" ] || { echo "bench/console: the server did not start" >&2; exit 1; }
BASE=http://127.0.0.1:$port

# Bytes on the wire for one path (compressed when the server compresses).
size() {
    curl -sf -H 'Accept-Encoding: gzip' -o "$TMP/body" -w '%{size_download}' "$BASE$1"
}

total=$(size /console/)
queue=$(curl -sf --compressed "$BASE/console/" | grep -o '\(src\|href\)="/assets/[^"]*"' |
    sed 's/.*="\(.*\)"/\1/')
seen=""
while [ -n "$queue" ]; do
    ref=$(printf '%s\n' "$queue" | head -n 1)
    queue=$(printf '%s\n' "$queue" | sed 1d)
    case " $seen " in *" $ref "*) continue ;; esac
    seen="$seen $ref"
    total=$((total + $(size "$ref")))
    # Static imports are fetched at once; import('./x.mjs') waits for a click.
    deps=$(curl -sf --compressed "$BASE$ref" | grep -o "from '\./[A-Za-z0-9_.-]*\.mjs'" |
        sed "s/from '\.\/\(.*\)'/\/assets\/\1/" || true)
    [ -z "$deps" ] || queue=$(printf '%s\n%s\n' "$queue" "$deps" | sed '/^$/d')
done
total=$((total + $(size /assets/i18n.pl.json)))
echo "console_first_load_bytes $total bytes"
echo "console_first_load_kb $((total / 1024)) KB"
echo "console_first_load_target_200KB $([ "$total" -le 204800 ] && echo met || echo missed)"
