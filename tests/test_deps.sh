#!/bin/sh
# Every header the build includes comes from a Debian package that
# scripts/install-deps.sh installs.  The compiler (-M) lists every header
# each source file reaches; dpkg says which package owns each system header.  A header from a package the script does not list
# compiles here only because this machine happens to have it (zlib.h came
# through minizip's unzip.h that way) and fails on a clean one.
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
listed=$(sh "$TOP/scripts/install-deps.sh" --list)
# libc6-dev pulls these in itself: the kernel's headers and the compiler's own.
listed="$listed linux-libc-dev libgcc-12-dev"

cflags=$(make -s -C "$TOP" --no-print-directory print-cflags | sed "s/ -MMD -MP//") || exit 1
headers=$(cd "$TOP" && for c in lib/*.c etl/*.c report/*.c scripts/*.c tests/*.c fuzz/*.c; do
	${CC:-cc} $cflags -M "$c" || echo "FAIL: cannot preprocess $c" >&2
done | tr ' \\' '\n\n' | sed 's/:$//' | grep '^/usr/' | sort -u)
fail=0
n=0
for pkg in $(dpkg -S $(readlink -f $headers | sort -u) 2>/dev/null | sed 's/:.*//; s/, /\n/g' | sed 's/:.*//' | sort -u); do
	n=$((n + 1))
	case " $(echo $listed) " in
	*" $pkg "*) ;;
	*)
		echo "FAIL: the build includes headers of $pkg, which scripts/install-deps.sh does not install:"
		dpkg -S $(readlink -f $headers) 2>/dev/null | grep "^$pkg[:,]" | sed 's/^/    /'
		fail=1 ;;
	esac
done
unowned=$(for h in $(readlink -f $headers | sort -u); do dpkg -S "$h" >/dev/null 2>&1 || echo "$h"; done)
if [ -n "$unowned" ]; then
	echo "FAIL: headers no Debian package owns (installed by hand?):"
	echo "$unowned" | sed 's/^/    /'
	fail=1
fi
[ $fail -eq 0 ] && echo "test_deps: the build's system headers come from $n packages, all installed by install-deps"
exit $fail
