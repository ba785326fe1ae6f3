#!/bin/sh
# Installs the Debian packages that desk's build, tests and benchmarks need.
# Idempotent: does nothing when everything is present; runs apt-get update
# only when a package is missing. Called by the Makefile before building.
set -eu

PKGS="build-essential pkg-config clang clang-format clang-tidy
libmicrohttpd-dev libjansson-dev libsqlite3-dev libsodium-dev libcmocka-dev
sqlite3 curl"

missing=""
for p in $PKGS; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
        missing="$missing $p"
    fi
done
# The machine image may ship Node.js with its own npm (which conflicts with
# Debian's npm package); only install Debian's when there is none.
command -v npm >/dev/null 2>&1 || missing="$missing nodejs npm"
[ -z "$missing" ] && exit 0

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
echo "deps: installing$missing" >&2
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
