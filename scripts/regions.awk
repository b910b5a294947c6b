# Turn data/gbt2260_counties.csv (county_code,county,city_code,city,
# province_code,province; no quoted fields) into C initialiser lines for
# lib/region.c, sorted by county code.
BEGIN { FS = "," }
NR == 1 { next }
{
	sub(/\r$/, "")
	if (NF < 6 || $1 !~ /^[0-9]+$/)
		next
	for (i = 2; i <= 6; i++) {
		gsub(/\\/, "\\\\", $i)
		gsub(/"/, "\\\"", $i)
	}
	line[$1] = sprintf("\t{%d, \"%s\", %d, \"%s\", %d, \"%s\"},", $1, $2, $3, $4, $5, $6)
	codes[++n] = $1
}
END {
	# insertion sort on numeric code (awk has no portable sort; ~3000 rows)
	for (i = 2; i <= n; i++) {
		v = codes[i]
		for (j = i - 1; j >= 1 && codes[j] + 0 > v + 0; j--)
			codes[j + 1] = codes[j]
		codes[j + 1] = v
	}
	for (i = 1; i <= n; i++)
		print line[codes[i]]
}
