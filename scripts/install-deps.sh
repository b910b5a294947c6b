#!/bin/sh
# Install the Debian packages bangfu's build, tests and demo need.
# Idempotent; prints nothing when everything is already there.
#
# Every package is listed with the reason it is needed.  A header the build
# includes must come from a package listed here: tests/t0000-deps.sh asks the
# compiler for every header each source reaches, asks dpkg which package
# owns it, and fails when that package is not listed, so that a clean
# machine never meets a header the development machine happened to have.
# `install-deps.sh --list` prints the package names.
set -eu

# package                 why
PKG_TABLE="
gcc                       the C compiler
make                      the build
pkg-config                compile and link flags of every library below
libc6-dev                 libc headers, glibc iconv (encodings)
libxlsxwriter-dev         writing every workbook (xlsxwriter.h)
libcsv-dev                parsing delimited text (csv.h; no .pc file, linked with -lcsv)
libsqlite3-dev            the database (sqlite3.h)
libpcre2-dev              patterns in templates and place names (pcre2.h)
nettle-dev                SHA-256 of every input file (nettle/sha2.h)
libminizip-dev            the zip container: reading returned xlsx and zips (unzip.h), writing zips (zip.h)
zlib1g-dev                zlib.h, which minizip's unzip.h includes (minizip.pc does not say so)
libexpat1-dev             reading returned xlsx: streaming XML (expat.h)
gettext                   msgfmt: the message catalogs (po/*.po → build/locale), xgettext for make po
check                     the unit tests (check.h)
libsubunit-dev            check's pkg-config links -lsubunit
sqlite3                   the end-to-end tests inspect the database; the benchmark's peer
python3                   tests that read workbooks back; the demo's simulated answers
python3-openpyxl          reading xlsx outputs back in tests and the demo
time                      GNU time: peak memory in the benchmark and hostile-input tests
clang-14                  make fuzz (libFuzzer needs clang)
libfuzzer-14-dev          make fuzz
libclang-rt-14-dev        make fuzz: the fuzzer and sanitizer runtimes clang links
"
PKGS=$(printf '%s\n' "$PKG_TABLE" | awk 'NF { print $1 }')
if [ "${1:-}" = "--list" ]; then
	printf '%s\n' "$PKGS"
	exit 0
fi

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
# Wait for another apt (unattended upgrades, a second make) instead of failing.
lock="-o DPkg::Lock::Timeout=300"
# shellcheck disable=SC2086
if ! { $SUDO apt-get $lock update -qq && $SUDO apt-get $lock install -y -qq --no-install-recommends $missing; } >"$log" 2>&1; then
	cat "$log" >&2
	rm -f "$log"
	echo "install-deps: apt-get failed" >&2
	exit 1
fi
rm -f "$log"
