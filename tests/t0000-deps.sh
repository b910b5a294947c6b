#!/bin/sh
# Everything the build takes from the system comes from a Debian package
# that scripts/install-deps.sh installs, or from one of their dependencies.
# The compiler (-M) lists every header each source file reaches; the linker
# (--trace) lists every library file a stage, a unit test and a fuzz target
# link; dpkg says which package owns each file.  A file from a package that
# install-deps would not bring compiles here only because this machine
# happens to have it, and fails on a clean one (zlib.h came through
# minizip's unzip.h that way, libclang_rt.fuzzer through clang's
# -fsanitize=fuzzer).
. "$(dirname "$0")/lib.sh"

test_every_system_file_the_build_uses_comes_from_a_package_install_deps_brings() {
	listed=$(sh "$TOP/scripts/install-deps.sh" --list)
	# What apt brings with them (Depends, recursively), and what every Debian
	# system has (Priority required: libc6, libgcc-s1 ...).
	brought=$( {
		echo "$listed"
		apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts --no-breaks \
			--no-replaces --no-enhances $listed 2>/dev/null | grep -v '^[ <]'
		dpkg-query -W -f='${Package} ${Priority}\n' | awk '$2 == "required" { print $1 }'
	} | sort -u)

	flags=$(make -s -C "$TOP" --no-print-directory print-flags) || { bad "make print-flags"; return; }
	cflags=$(echo "$flags" | sed -n 's/^cflags: //p' | sed 's/ -MMD -MP//')
	libs=$(echo "$flags" | sed -n 's/^libs: //p')

	# Headers, then library files, as absolute paths without following symlinks
	# (the linker opens libsqlite3.so, which libsqlite3-dev owns).
	(cd "$TOP" && for c in *.c lib/*.c etl/*.c report/*.c tools/*.c tests/*.c fuzz/*.c; do
		${CC:-cc} $cflags -M "$c" || echo "FAIL: cannot preprocess $c" >&2
	done) | tr ' \\' '\n\n' | sed 's/:$//' | grep '^/' >"$TMP/files"
	echo 'int main(void) { return 0; }' >"$TMP/main.c"
	${CC:-cc} "$TMP/main.c" -o "$TMP/main" $libs -lm -Wl,--trace 2>/dev/null | grep '^/' >>"$TMP/files"
	printf '#include <stddef.h>\n#include <stdint.h>\nint LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);\nint LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void)d; (void)n; return 0; }\n' \
		>"$TMP/fuzz.c"
	clang-14 -fsanitize=fuzzer,address,undefined "$TMP/fuzz.c" -o "$TMP/fuzz" -Wl,--trace 2>/dev/null |
		grep '^/' >>"$TMP/files" || echo "FAIL: clang-14 cannot link a fuzz target" >&2
	sed 's/[()].*//' "$TMP/files" | grep -E '^/(usr|lib)' | xargs realpath -s -- 2>/dev/null | sort -u >"$TMP/paths"

	# One dpkg query for all paths; a path dpkg does not know under that name
	# may be known under its usrmerge twin (/usr/lib/x/libgcc_s.so.1 is
	# /lib/x/libgcc_s.so.1 to dpkg).
	missing=0
	dpkg -S $(cat "$TMP/paths") 2>/dev/null | sed 's/:[a-z0-9]*\([,:]\)/\1/g' >"$TMP/owners"
	for f in $(cat "$TMP/paths"); do
		grep -q ": $f\$" "$TMP/owners" && continue
		twin=$(echo "$f" | sed 's,^/usr/lib/,/lib/,; t; s,^/lib/,/usr/lib/,')
		if [ "$twin" != "$f" ] && dpkg -S "$twin" 2>/dev/null | sed 's/:[a-z0-9]*\([,:]\)/\1/g' | sed "s,: .*,: $f," >>"$TMP/owners" &&
			grep -q ": $f\$" "$TMP/owners"; then
			continue
		fi
		echo "FAIL: $f belongs to no Debian package (installed by hand?)"
		missing=1
	done
	# Each file needs one of its owners brought (dpkg lists several for a
	# shared path).
	while IFS= read -r line; do
		owners=${line%%: *}
		found=""
		for pkg in $(echo "$owners" | tr ',' ' '); do
			echo "$brought" | grep -qx "$pkg" && found=$pkg
		done
		[ -n "$found" ] && continue
		echo "FAIL: ${line#*: } comes from $owners, which scripts/install-deps.sh does not install"
		missing=1
	done <"$TMP/owners"
	n=$(sed 's/: .*//' "$TMP/owners" | tr ',' '\n' | sed 's/^ *//' | sort -u | wc -l)
	[ $missing -eq 0 ] && ok || bad "the build uses system files that scripts/install-deps.sh does not bring"
	echo "$SUITE: $(wc -l <"$TMP/paths") system files the build uses, from $n packages"
}

run_tests
