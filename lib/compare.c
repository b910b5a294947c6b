/* compare — see compare.h.  The work-region rule reads a place name the way
 * a clerk writes it: an optional province (湖南省 or 湖南), an optional city
 * (长沙市 or 长沙), a county (宁乡市, 澧县), each matched as a whole name at
 * its position, never as a substring (南县 is not inside 衡南县).  Names come
 * from the GB/T 2260 table of region.h, indexed once by name. */
#include "compare.h"

#include <stdlib.h>
#include <string.h>

#include "region.h"

/* ---- UTF-8 helpers ---- */

/* Length of the UTF-8 sequence starting with byte c (1 for bad bytes). */
static size_t u8len(unsigned char c)
{
	if (c < 0x80)
		return 1;
	if ((c & 0xE0) == 0xC0)
		return 2;
	if ((c & 0xF0) == 0xE0)
		return 3;
	if ((c & 0xF8) == 0xF0)
		return 4;
	return 1;
}

/* Decode one code point at s (n bytes available); *len gets its length.
 * Bad bytes come back as themselves with length 1. */
static unsigned u8dec(const unsigned char *s, size_t n, size_t *len)
{
	size_t l = u8len(s[0]);
	unsigned cp;

	if (l > n || l == 1) {
		*len = 1;
		return s[0];
	}
	cp = s[0] & (0xFF >> (l + 1));
	for (size_t i = 1; i < l; i++) {
		if ((s[i] & 0xC0) != 0x80) {
			*len = 1;
			return s[0];
		}
		cp = (cp << 6) | (s[i] & 0x3F);
	}
	*len = l;
	return cp;
}

struct out {
	char *p;
	size_t n, sz;
};

static void put_bytes(struct out *o, const char *s, size_t n)
{
	if (o->sz == 0)
		return;
	if (o->n + n > o->sz - 1)
		n = o->n < o->sz - 1 ? o->sz - 1 - o->n : 0;
	memcpy(o->p + o->n, s, n);
	o->n += n;
	o->p[o->n] = '\0';
}

static void put_cp(struct out *o, unsigned cp)
{
	char b[4];
	size_t n;

	if (cp < 0x80) {
		b[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		b[0] = (char)(0xC0 | (cp >> 6));
		b[1] = (char)(0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		b[0] = (char)(0xE0 | (cp >> 12));
		b[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		b[2] = (char)(0x80 | (cp & 0x3F));
		n = 3;
	} else {
		b[0] = (char)(0xF0 | (cp >> 18));
		b[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		b[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		b[3] = (char)(0x80 | (cp & 0x3F));
		n = 4;
	}
	put_bytes(o, b, n);
}

static int is_space_cp(unsigned cp)
{
	return cp == ' ' || cp == '\t' || cp == '\r' || cp == '\n' || cp == '\v' || cp == '\f' || cp == 0xA0 ||
	       cp == 0x3000 || (cp >= 0x2000 && cp <= 0x200B) || cp == 0x202F || cp == 0x205F || cp == 0xFEFF;
}

/* Full-width ASCII (U+FF01..U+FF5E) to half-width. */
static unsigned fold_width(unsigned cp)
{
	return cp >= 0xFF01 && cp <= 0xFF5E ? cp - 0xFEE0 : cp;
}

static int is_middle_dot(unsigned cp)
{
	return cp == 0x00B7 || cp == 0x2022 || cp == 0xFF0E || cp == 0x30FB || cp == 0x2027 || cp == 0x2219 ||
	       cp == 0x22C5 || cp == 0x0387 || cp == 0xFF65 || cp == 0x16EB || cp == 0x2E31 || cp == 0x00B7;
}

/* ---- names ---- */

size_t compare_name_key(const char *name, char *out, size_t outsz)
{
	struct out o = {out, 0, outsz};
	const unsigned char *s = (const unsigned char *)(name ? name : "");
	size_t n = strlen((const char *)s);

	if (outsz)
		out[0] = '\0';
	for (size_t i = 0; i < n;) {
		size_t l;
		unsigned cp = u8dec(s + i, n - i, &l);

		i += l;
		if (is_space_cp(cp))
			continue;
		if (is_middle_dot(cp)) {
			put_cp(&o, 0x00B7);
			continue;
		}
		cp = fold_width(cp);
		if (cp == '.') /* a full stop typed for the dot */
			cp = 0x00B7;
		put_cp(&o, cp);
	}
	return o.n;
}

/* ---- employers ---- */

static int is_bracket(unsigned cp)
{
	return cp == '(' || cp == ')' || cp == '[' || cp == ']' || cp == '{' || cp == '}' || cp == 0x3010 ||
	       cp == 0x3011 || cp == 0x3014 || cp == 0x3015 || cp == 0x300A || cp == 0x300B || cp == 0x3008 ||
	       cp == 0x3009 || cp == '"' || cp == '\'' || cp == 0x201C || cp == 0x201D || cp == 0x2018 ||
	       cp == 0x2019 || cp == 0x300C || cp == 0x300D;
}

static int ends_with_n(const char *s, size_t n, const char *suffix)
{
	size_t k = strlen(suffix);

	return n >= k && memcmp(s + n - k, suffix, k) == 0;
}

size_t compare_employer_key(const char *employer, char *out, size_t outsz)
{
	static const char *const FORMS[] = {"股份有限公司", "有限责任公司", "有限公司", "公司"};
	struct out o = {out, 0, outsz};
	const unsigned char *s = (const unsigned char *)(employer ? employer : "");
	size_t n = strlen((const char *)s);

	if (outsz)
		out[0] = '\0';
	for (size_t i = 0; i < n;) {
		size_t l;
		unsigned cp = u8dec(s + i, n - i, &l);

		i += l;
		cp = fold_width(cp);
		if (is_space_cp(cp) || is_bracket(cp) || cp == 0x3000)
			continue;
		if (cp >= 'A' && cp <= 'Z')
			cp += 'a' - 'A';
		put_cp(&o, cp);
	}
	/* The legal form, once, at the end: 有限责任公司 = 有限公司 = 公司. */
	for (size_t k = 0; k < sizeof FORMS / sizeof FORMS[0]; k++) {
		if (o.n > strlen(FORMS[k]) && ends_with_n(out, o.n, FORMS[k])) {
			o.n -= strlen(FORMS[k]);
			out[o.n] = '\0';
			put_bytes(&o, "公司", strlen("公司"));
			break;
		}
	}
	return o.n;
}

/* ---- phones ---- */

size_t compare_phone_key(const char *phone, char *out, size_t outsz)
{
	struct out o = {out, 0, outsz};
	const unsigned char *s = (const unsigned char *)(phone ? phone : "");
	size_t n = strlen((const char *)s);
	char digits[64];
	size_t nd = 0;
	const char *d = digits;

	if (outsz)
		out[0] = '\0';
	for (size_t i = 0; i < n;) {
		size_t l;
		unsigned cp = fold_width(u8dec(s + i, n - i, &l));

		i += l;
		if (cp >= '0' && cp <= '9' && nd < sizeof digits - 1)
			digits[nd++] = (char)cp;
	}
	digits[nd] = '\0';
	if (nd > 11 && strncmp(d, "0086", 4) == 0)
		d += 4;
	else if (nd > 11 && strncmp(d, "86", 2) == 0)
		d += 2;
	put_bytes(&o, d, strlen(d));
	return o.n;
}

/* ---- yes/no and gender ---- */

/* s with surrounding whitespace removed, into buf. */
static const char *trimmed(const char *s, char *buf, size_t bufsz)
{
	struct out o = {buf, 0, bufsz};
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s);

	buf[0] = '\0';
	for (size_t i = 0; i < n;) {
		size_t l;
		unsigned cp = u8dec(p + i, n - i, &l);

		if (!is_space_cp(cp))
			put_bytes(&o, (const char *)p + i, l);
		i += l;
	}
	return buf;
}

static int in_list(const char *s, const char *const *list)
{
	for (; *list; list++)
		if (strcmp(s, *list) == 0)
			return 1;
	return 0;
}

const char *compare_employed(const char *value)
{
	static const char *const YES[] = {"是", "已就业", "就业", "在岗", "务工", "Y", "y", "1", "yes", "Yes", NULL};
	static const char *const NO[] = {"否", "未就业", "失业", "无业", "待业", "N", "n", "0", "no", "No", NULL};
	char buf[64];

	if (!value || strlen(value) >= sizeof buf)
		return "";
	trimmed(value, buf, sizeof buf);
	if (in_list(buf, YES))
		return "是";
	if (in_list(buf, NO))
		return "否";
	return "";
}

const char *compare_gender(const char *value)
{
	static const char *const MALE[] = {"男", "男性", "M", "m", "1", NULL};
	static const char *const FEMALE[] = {"女", "女性", "F", "f", "2", NULL};
	char buf[64];

	if (!value || strlen(value) >= sizeof buf)
		return "";
	trimmed(value, buf, sizeof buf);
	if (in_list(buf, MALE))
		return "男";
	if (in_list(buf, FEMALE))
		return "女";
	return "";
}

const char *compare_region_label(enum compare_region r)
{
	switch (r) {
	case COMPARE_REGION_OUT_OF_PROVINCE:
		return "省外";
	case COMPARE_REGION_IN_PROVINCE:
		return "省内县外";
	case COMPARE_REGION_IN_COUNTY:
		return "县内";
	default:
		return "";
	}
}

/* ---- the place-name index ---- */

enum { LV_PROVINCE, LV_CITY, LV_COUNTY };

struct pname {
	const char *name; /* not NUL-terminated at len for short forms */
	size_t len;
	int level;
	int code;   /* 2, 4 or 6 digits */
	int parent; /* province for a city, city (or province) for a county */
	int next;   /* chain in the bucket, -1 at the end */
};

static struct {
	struct pname *e;
	int n, cap;
	int *bucket;
	unsigned nbucket;
	int ready;
	int cities[1024]; /* codes of the cities that exist, ascending */
	int ncities;
} idx;

static unsigned hash_bytes(const char *s, size_t n)
{
	unsigned h = 2166136261u;

	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

static int starts_with(const char *s, const char *p)
{
	return strncmp(s, p, strlen(p)) == 0;
}

static int ends_with(const char *s, const char *suffix)
{
	return ends_with_n(s, strlen(s), suffix);
}

static size_t utf8_chars(const char *s, size_t n)
{
	size_t c = 0;

	for (size_t i = 0; i < n; i += u8len((unsigned char)s[i]))
		c++;
	return c;
}

/* Byte length of the first k characters of s. */
static size_t utf8_prefix(const char *s, size_t k)
{
	size_t i = 0;

	while (k-- && s[i])
		i += u8len((unsigned char)s[i]);
	return i;
}

static void idx_add(const char *name, size_t len, int level, int code, int parent)
{
	unsigned h;

	if (len == 0)
		return;
	/* one entry per (name, level, code) */
	for (int i = idx.bucket ? idx.bucket[hash_bytes(name, len) & (idx.nbucket - 1)] : -1; i >= 0;
	     i = idx.e[i].next)
		if (idx.e[i].len == len && idx.e[i].level == level && idx.e[i].code == code &&
		    memcmp(idx.e[i].name, name, len) == 0)
			return;
	if (idx.n == idx.cap) {
		int cap = idx.cap ? idx.cap * 2 : 8192;
		struct pname *e = realloc(idx.e, (size_t)cap * sizeof *e);

		if (!e)
			return; /* an incomplete index only makes places unknown */
		idx.e = e;
		idx.cap = cap;
	}
	h = hash_bytes(name, len) & (idx.nbucket - 1);
	idx.e[idx.n] = (struct pname){name, len, level, code, parent, idx.bucket[h]};
	idx.bucket[h] = idx.n++;
}

/* A name and, when it is long enough to stay unambiguous, its short form
 * without the administrative suffix: 深圳市 → 深圳, 新化县 → 新化. */
static void idx_add_with_short(const char *name, int level, int code, int parent)
{
	static const char *const SUFFIXES[] = {"管理区", "自治县", "自治州", "地区", "市", "县", "区", "盟", "旗"};
	size_t len = strlen(name);

	idx_add(name, len, level, code, parent);
	for (size_t k = 0; k < sizeof SUFFIXES / sizeof SUFFIXES[0]; k++) {
		size_t sl = strlen(SUFFIXES[k]);

		if (ends_with(name, SUFFIXES[k]) && utf8_chars(name, len - sl) >= 2) {
			idx_add(name, len - sl, level, code, parent);
			break;
		}
	}
}

static int region_has_city(const struct region *r)
{
	return strcmp(r->city, "市辖区") != 0 && strcmp(r->city, "县") != 0 && !strstr(r->city, "直辖县级行政区划");
}

static void idx_build(void)
{
	int nr = region_count();

	idx.nbucket = 1;
	while (idx.nbucket < (unsigned)nr * 8)
		idx.nbucket <<= 1;
	idx.bucket = malloc(idx.nbucket * sizeof *idx.bucket);
	if (!idx.bucket) {
		idx.ready = 1;
		return;
	}
	memset(idx.bucket, 0xFF, idx.nbucket * sizeof *idx.bucket);
	for (int i = 0; i < nr; i++) {
		const struct region *r = region_at(i);
		const char *prov = r->province;
		size_t plen = strlen(prov);

		/* 湖南省 / 湖南; 北京市 / 北京; 广西壮族自治区 / 广西; 内蒙古自治区 / 内蒙古 */
		idx_add(prov, plen, LV_PROVINCE, r->province_code, 0);
		if (ends_with(prov, "省") || ends_with(prov, "市"))
			idx_add(prov, plen - strlen("省"), LV_PROVINCE, r->province_code, 0);
		else
			idx_add(prov, utf8_prefix(prov, starts_with(prov, "内蒙古") ? 3 : 2), LV_PROVINCE,
				r->province_code, 0);
		if (region_has_city(r)) {
			idx_add_with_short(r->city, LV_CITY, r->city_code, r->province_code);
			if ((idx.ncities == 0 || idx.cities[idx.ncities - 1] != r->city_code) &&
			    idx.ncities < (int)(sizeof idx.cities / sizeof idx.cities[0]))
				idx.cities[idx.ncities++] = r->city_code;
		}
		/* The county under its city; a zone named with its city
		 * (永州市回龙圩管理区) also under its own part (回龙圩管理区). */
		idx_add_with_short(r->county, LV_COUNTY, r->county_code, region_has_city(r) ? r->city_code : 0);
		if (region_has_city(r) && starts_with(r->county, r->city) && strcmp(r->county, r->city) != 0)
			idx_add_with_short(r->county + strlen(r->city), LV_COUNTY, r->county_code, r->city_code);
	}
	idx.ready = 1;
}

/* The entry of the given level whose name is the longest prefix of s and
 * that satisfies the filter (province or city code it must lie in; 0: any;
 * for ambiguous names without a filter, the home province is preferred and
 * otherwise the name must be unique).  NULL when none. */
static const struct pname *idx_match(const char *s, int level, int in_province, int in_city, int home_province)
{
	size_t n = strlen(s);
	size_t ends[16];
	int nends = 0;

	for (size_t i = 0; i < n && nends < 16;) {
		i += u8len((unsigned char)s[i]);
		ends[nends++] = i > n ? n : i;
	}
	for (int k = nends - 1; k >= 0; k--) {
		size_t len = ends[k];
		const struct pname *found = NULL;
		int nfound = 0, nhome = 0;
		const struct pname *home = NULL;

		if (utf8_chars(s, len) < 2)
			break;
		for (int i = idx.bucket[hash_bytes(s, len) & (idx.nbucket - 1)]; i >= 0; i = idx.e[i].next) {
			const struct pname *e = &idx.e[i];
			int prov = level == LV_PROVINCE ? e->code : level == LV_CITY ? e->parent : e->code / 10000;

			if (e->level != level || e->len != len || memcmp(e->name, s, len) != 0)
				continue;
			if (in_province && prov != in_province)
				continue;
			if (in_city && level == LV_COUNTY && e->code / 100 != in_city && e->parent != in_city)
				continue;
			if (found && found->code == e->code)
				continue;
			found = e;
			nfound++;
			if (prov == home_province) {
				home = e;
				nhome++;
			}
		}
		if (nfound == 1)
			return found;
		if (nhome == 1)
			return home;
		if (nfound > 1)
			return NULL; /* ambiguous: 朝阳区 without its city */
	}
	return NULL;
}

/* ---- the work-region class ---- */

struct home {
	int province; /* 43 */
	int city;     /* 4301, 0 when unknown */
	int county;   /* 430182, 0 when unknown */
};

static enum compare_region classify(const struct home *h, int province, int city, int county)
{
	if (!province || !h->province)
		return COMPARE_REGION_UNKNOWN;
	if (province != h->province)
		return COMPARE_REGION_OUT_OF_PROVINCE;
	if (county && h->county)
		return county == h->county ? COMPARE_REGION_IN_COUNTY : COMPARE_REGION_IN_PROVINCE;
	/* A city other than the home county's is outside the county. */
	if (city && h->city && city != h->city)
		return COMPARE_REGION_IN_PROVINCE;
	return COMPARE_REGION_UNKNOWN;
}

static int city_of(int county_code)
{
	const struct region *r = region_by_code(county_code);

	return r && region_has_city(r) ? r->city_code : 0;
}

static enum compare_region from_text(const struct home *h, const char *s)
{
	static const char *const IN_COUNTY[] = {"本县", "县内", "本县内", "本市", "本区", "本乡", "本镇", "乡内",
						"镇内", "本村", "村内", "本乡镇", "县域内", "本县域", NULL};
	static const char *const IN_PROVINCE[] = {"省内", "省内县外", "县外省内", "省内市外", NULL};
	static const char *const OUT_PROVINCE[] = {"省外", "外省", "境外", "国外", NULL};
	const struct pname *p, *c = NULL, *k = NULL;
	int province = 0, city = 0, county = 0;

	if (in_list(s, IN_COUNTY))
		return COMPARE_REGION_IN_COUNTY;
	if (in_list(s, IN_PROVINCE))
		return COMPARE_REGION_IN_PROVINCE;
	if (in_list(s, OUT_PROVINCE))
		return COMPARE_REGION_OUT_OF_PROVINCE;
	p = idx_match(s, LV_PROVINCE, 0, 0, 0);
	if (p) {
		province = p->code;
		s += p->len;
	}
	c = idx_match(s, LV_CITY, province, 0, h->province);
	if (c) {
		city = c->code;
		if (!province)
			province = c->parent;
		s += c->len;
	}
	k = idx_match(s, LV_COUNTY, province, city, h->province);
	if (k) {
		county = k->code;
		if (!province)
			province = county / 10000;
		if (!city)
			city = city_of(county);
	}
	/* A place without its province is in the home province when nothing
	 * says otherwise. */
	if (!province && (city || county))
		province = h->province;
	return classify(h, province, city, county);
}

static enum compare_region from_columns(const struct home *h, const char *prov, const char *city,
					const char *county)
{
	const struct pname *p = NULL, *c = NULL, *k = NULL;
	int province = 0, city_code = 0, county_code = 0;

	if (*prov) {
		p = idx_match(prov, LV_PROVINCE, 0, 0, 0);
		if (!p || p->len != strlen(prov))
			return COMPARE_REGION_UNKNOWN;
		province = p->code;
		if (province != h->province)
			return h->province ? COMPARE_REGION_OUT_OF_PROVINCE : COMPARE_REGION_UNKNOWN;
	}
	if (*city) {
		c = idx_match(city, LV_CITY, province, 0, h->province);
		if (c && c->len == strlen(city)) {
			city_code = c->code;
			if (!province)
				province = c->parent;
		} else {
			/* a county-level city under the province (仙桃市), or a
			 * municipality named as its own city (北京市) */
			k = idx_match(city, LV_COUNTY, province, 0, h->province);
			if (k && k->len == strlen(city))
				county_code = k->code;
			else if (!(p && strcmp(city, prov) == 0))
				return COMPARE_REGION_UNKNOWN;
		}
	}
	if (*county && !county_code) {
		k = idx_match(county, LV_COUNTY, province, city_code, h->province);
		if (!k || k->len != strlen(county))
			return COMPARE_REGION_UNKNOWN;
		county_code = k->code;
	}
	if (county_code) {
		if (!province)
			province = county_code / 10000;
		if (!city_code)
			city_code = city_of(county_code);
	}
	return classify(h, province, city_code, county_code);
}

static int city_known(int city_code)
{
	int lo = 0, hi = idx.ncities;

	while (lo < hi) {
		int mid = lo + (hi - lo) / 2;

		if (idx.cities[mid] == city_code)
			return 1;
		if (idx.cities[mid] < city_code)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

/* The home county: the roster's county name within the ID's province when
 * it names one (an ID keeps the code of an abolished county, 430124 for
 * 宁乡县, while the roster says 宁乡市), else the ID's own code. */
/* The home county by name where the names say it, else by code.  The
 * county name is looked up in the code's province; when that fails (an
 * invalid ID's digits name no province, or another one) the city name the
 * roster gives picks the county among its namesakes (张家界市 永定区, not
 * 龙岩市's). */
static void home_resolve(int code, const char *city_name, const char *county_name, struct home *h)
{
	const struct region *r = code ? region_by_code(code) : NULL;

	h->province = code / 10000;
	h->city = 0;
	h->county = 0;
	if (!region_province_name(h->province))
		h->province = 0;
	if (county_name && *county_name) {
		const struct pname *k = idx_match(county_name, LV_COUNTY, h->province, 0, h->province);

		if (!k && code)
			k = idx_match(county_name, LV_COUNTY, h->province, code / 100, h->province);
		if (!k && city_name && *city_name) {
			const struct pname *c = idx_match(city_name, LV_CITY, 0, 0, h->province);

			if (c && c->len == strlen(city_name))
				k = idx_match(county_name, LV_COUNTY, c->parent, c->code, c->parent);
		}
		if (k && k->len == strlen(county_name)) {
			h->county = k->code;
			h->province = k->code / 10000;
			h->city = city_of(k->code);
			return;
		}
	}
	if (r) {
		h->county = r->county_code;
		h->city = region_has_city(r) ? r->city_code : 0;
	} else if (code) {
		/* an abolished county: its city, when the city still exists */
		h->city = city_known(code / 100) ? code / 100 : 0;
	}
}

enum compare_region compare_work_region(const char *work_place, const char *work_province,
					const char *work_city, const char *work_county,
					int home_region_code, const char *home_city, const char *home_county)
{
	char place[256], prov[64], city[96], county[96];
	char hc[96], hcity[96];
	struct home h;

	if (!idx.ready)
		idx_build();
	if (!idx.bucket)
		return COMPARE_REGION_UNKNOWN;
	if (home_county && strlen(home_county) >= sizeof hc)
		home_county = NULL;
	if (home_city && strlen(home_city) >= sizeof hcity)
		home_city = NULL;
	home_resolve(home_region_code, home_city ? trimmed(home_city, hcity, sizeof hcity) : NULL,
		     home_county ? trimmed(home_county, hc, sizeof hc) : NULL, &h);
	if (work_place && *work_place) {
		if (strlen(work_place) >= sizeof place)
			return COMPARE_REGION_UNKNOWN;
		trimmed(work_place, place, sizeof place);
		if (*place)
			return from_text(&h, place);
	}
	prov[0] = city[0] = county[0] = '\0';
	if (work_province && strlen(work_province) < sizeof prov)
		trimmed(work_province, prov, sizeof prov);
	if (work_city && strlen(work_city) < sizeof city)
		trimmed(work_city, city, sizeof city);
	if (work_county && strlen(work_county) < sizeof county)
		trimmed(work_county, county, sizeof county);
	if (!*prov && !*city && !*county)
		return COMPARE_REGION_UNKNOWN;
	return from_columns(&h, prov, city, county);
}
