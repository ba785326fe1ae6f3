#!/bin/sh
# Installs the Debian packages that desk's build, tests and benchmarks need.
# Idempotent: does nothing when everything is present; runs apt-get update
# only when a package is missing. Called by the Makefile before building.
#
# The build's libraries are listed here; each capability whose tests need a
# real server (an MTA, an IMAP server, a browser, PostgreSQL) lists those
# packages in scripts/deps.d/NAME.list (one or more per line, # comments),
# with debconf answers, if the package asks questions, in NAME.debconf.
# Services are installed, never started: tests start private instances.
set -eu
cd "$(dirname "$0")"

PKGS="build-essential pkg-config clang clang-format clang-tidy
libmicrohttpd-dev libjansson-dev libsqlite3-dev libsodium-dev libcmocka-dev
libgmime-3.0-dev libcurl4-openssl-dev libicu-dev libcld2-dev
libhunspell-dev hunspell-en-us hunspell-es hunspell-cs hunspell-pl
libcmark-dev libpq-dev liblinear-dev gettext sqlite3 curl"
for f in deps.d/*.list; do
    [ -f "$f" ] && PKGS="$PKGS $(sed 's/#.*//' "$f")"
done

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
for f in deps.d/*.debconf; do
    [ -f "$f" ] && $SUDO debconf-set-selections "$f"
done
# Keep package scripts from starting system services (exit 101: not allowed).
policy=/usr/sbin/policy-rc.d
added=""
if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$policy" >/dev/null
    $SUDO chmod 755 "$policy"
    added=1
fi
trap '[ -n "$added" ] && $SUDO rm -f "$policy"' EXIT
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
