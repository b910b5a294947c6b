# Turn data/gbt2260_counties.csv into the C initialiser lines of the
# static const struct region regions[] in lib/region.c, sorted by county
# code.  Columns: county_code,county,city_code,city,province_code,province
# (UTF-8, CRLF or LF, optional BOM).  Fields may be RFC 4180-quoted on one
# line; a row this script cannot read stops the build with the line number
# rather than silently dropping a county.  Not here: what the names mean.

# Split one CSV line into f[1..n]; returns n, or -1 for a broken quote.
function split_csv(s, f,    n, c, i, field, inq) {
	n = 0
	field = ""
	inq = 0
	for (i = 1; i <= length(s); i++) {
		c = substr(s, i, 1)
		if (inq) {
			if (c == "\"" && substr(s, i + 1, 1) == "\"") {
				field = field "\""
				i++
			} else if (c == "\"") {
				inq = 0
			} else {
				field = field c
			}
		} else if (c == "\"" && field == "") {
			inq = 1
		} else if (c == ",") {
			f[++n] = field
			field = ""
		} else {
			field = field c
		}
	}
	if (inq)
		return -1
	f[++n] = field
	return n
}

function trim(s) {
	gsub(/^[ \t]+|[ \t]+$/, "", s)
	return s
}

# A C string literal: backslash, quote and "?" (no trigraphs in -std=c11)
# escaped.  A loop, not gsub, because awks disagree on backslashes in
# gsub's replacement text.
function cstr(s,    out, c, i) {
	out = ""
	for (i = 1; i <= length(s); i++) {
		c = substr(s, i, 1)
		if (c == "\\" || c == "\"" || c == "?")
			out = out "\\" c
		else
			out = out c
	}
	return "\"" out "\""
}

function fail(msg) {
	printf "%s:%d: %s\n", FILENAME, FNR, msg > "/dev/stderr"
	failed = 1
	exit 1
}

{
	sub(/\r$/, "")
	if (FNR == 1) {
		sub(/^\357\273\277/, "")
		if ($0 != "county_code,county,city_code,city,province_code,province")
			fail("unexpected header (want county_code,county,city_code,city,province_code,province)")
		next
	}
	if ($0 ~ /^[ \t]*$/)
		next
	if (split_csv($0, f) != 6)
		fail("expected 6 fields")
	for (i = 1; i <= 6; i++)
		f[i] = trim(f[i])
	if (f[1] !~ /^[1-9][0-9][0-9][0-9][0-9][0-9]$/ || f[3] !~ /^[1-9][0-9][0-9][0-9]$/ ||
	    f[5] !~ /^[1-9][0-9]$/)
		fail("codes must be 6, 4 and 2 digits")
	if (substr(f[1], 1, 4) != f[3] || substr(f[1], 1, 2) != f[5])
		fail("county " f[1] " does not lie in city " f[3] " / province " f[5])
	if (f[1] in line)
		fail("county code " f[1] " appears twice")
	line[f[1]] = sprintf("\t{%d, %s, %d, %s, %d, %s},", f[1], cstr(f[2]), f[3], cstr(f[4]), f[5], cstr(f[6]))
	codes[++n] = f[1] + 0
}

END {
	if (failed)
		exit 1
	if (n == 0) {
		print "regions.awk: no counties read" > "/dev/stderr"
		exit 1
	}
	# Insertion sort: the file is normally in order already, which makes
	# this linear, and awk has no portable sort.
	for (i = 2; i <= n; i++) {
		v = codes[i]
		for (j = i - 1; j >= 1 && codes[j] > v; j--)
			codes[j + 1] = codes[j]
		codes[j + 1] = v
	}
	for (i = 1; i <= n; i++)
		print line[codes[i]]
}
