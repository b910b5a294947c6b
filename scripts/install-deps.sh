#!/bin/sh
# Install the Debian packages bangfu's build, tests and demo need.
# Idempotent; prints nothing when everything is already there.
set -eu
PKGS="gcc make pkg-config libc6-dev
libxlsxwriter-dev libcsv-dev libsqlite3-dev libpcre2-dev nettle-dev libminizip-dev libexpat1-dev
check libsubunit-dev sqlite3 python3 python3-openpyxl time
clang-14 libfuzzer-14-dev"

missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

echo "install-deps: installing$missing" >&2
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
	if command -v sudo >/dev/null 2>&1; then SUDO=sudo; else
		echo "install-deps: need root (or sudo) to install:$missing" >&2
		exit 1
	fi
fi
export DEBIAN_FRONTEND=noninteractive
log=$(mktemp)
# shellcheck disable=SC2086
if ! { $SUDO apt-get update -qq && $SUDO apt-get install -y -qq --no-install-recommends $missing; } >"$log" 2>&1; then
	cat "$log" >&2
	rm -f "$log"
	echo "install-deps: apt-get failed" >&2
	exit 1
fi
rm -f "$log"
