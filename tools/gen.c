/* bangfu-gen — synthetic test data for bangfu: a poverty-office roster
 * (扶贫/乡村振兴 system export), an HR-platform dump (省平台) and the ground
 * truth of how reconciliation must classify every person in them.
 *
 * People live in the real rural townships and villages of Hunan (read at run
 * time from data/), in households, with valid GB 11643 ID numbers, and work
 * where Hunan's rural labour works (GB/T 2260, through region.h).  Then a
 * seeded, adjustable share of them is damaged the way real files are: people
 * missing from one source, conflicting fields, typed-wrong or Excel-mangled
 * ID numbers, duplicates, harmless format differences.  The same arguments
 * give byte-identical files on every machine (xoshiro256** seeded by
 * SplitMix64, integer arithmetic, no locale, no libm).
 *
 * Not for: statistics about real people (every person is invented), and not
 * a second implementation of the rules — the ID check character comes from
 * lib/idno, dates from lib/datefmt; what counts as "the same" value is
 * lib/compare's business, and this file only produces values on the right
 * side of those rules.
 *
 * The truth (truth.csv, expected_category; SPEC §5, codes of §10).  A person
 * carries at most one "structural" kind (the first eleven below) and at most
 * one ID-damage kind; conflict kinds go only to persons with no structural
 * kind, so that their fields are really compared.
 *
 *   no kind                              consistent
 *   name_format, employer_format,        consistent: spaces / middle-dot
 *   id_format, id_legacy15,              variants, bracket and 有限公司 forms,
 *   gender_mismatch                      full-width / ' / x / spaces in the
 *                                        ID, a 15-digit number whose upgrade is
 *                                        the true ID, and a declared gender
 *                                        contradicting the ID *in both sources
 *                                        alike* — a warning, not a conflict.
 *   conflict_name, conflict_gender,      conflict; truth_fields.csv has one
 *   conflict_employed, conflict_region,  row per kind: name, gender, employed,
 *   conflict_employer, conflict_phone    work_region, employer, phone.  The
 *                                        side that differs is chosen at
 *                                        random.  conflict_employed leaves the
 *                                        "not employed" side without work
 *                                        place and employer, so it is never
 *                                        also a region or employer conflict.
 *   roster_only / hr_only                roster_only / hr_only
 *   duplicate_roster / duplicate_hr      duplicate (the person is also in the
 *                                        other source; the second row follows
 *                                        its household, half the time with a
 *                                        different phone, household number or
 *                                        update time, sometimes with its ID
 *                                        written differently)
 *   id_typo, id_transposition,           invalid_id: one source's record
 *   excel_scientific, excel_rounded,     cannot be matched (check character
 *   bad_length, bad_birth, bad_province  fails, Excel damage, 17/19 chars,
 *                                        impossible / pre-1900 / future birth
 *                                        date or no province — the last two
 *                                        with a *correct* check character so
 *                                        the error is the only one).  The
 *                                        other source's record is intact, so
 *                                        v_person also shows the person under
 *                                        true_id as hr_only / roster_only —
 *                                        the side whose *_id_raw equals
 *                                        true_id — which is where a repair
 *                                        proposal must point.
 *
 * Rates are shares of the persons a kind can apply to (employer kinds need
 * an employer, id_legacy15 a birth before 2000, the Excel kinds a digit as
 * check character).  A kind fires on a person when its running share
 * reaches a random threshold, so even 300 persons at 0.5% get the kind at
 * least once and a million get it within one of the rate.  The persons
 * themselves come from their own random stream: neither the rates nor
 * --form change who is generated, and truth.csv is the same for both forms.
 *
 * --evolve-from DIR makes the month after an earlier run's: the same
 * persons with the month's changes (new jobs, jobs lost, returns, ID fixes,
 * departures, arrivals, a lagging roster) and changes_truth.csv, what
 * bangfu-reconcile's person_change must hold (see "next month" below).
 *
 * The policy fields (populations, relocation, training intent, the
 * employer's place on the platform) and truth_subsidy.csv — which subsidy
 * rule lists whom, for the screening's precision and recall — are
 * described where they are made (employer_place_draw, the truth of the
 * subsidy screening).  The policy fields come from a stream of their own,
 * so that they move nobody else; a month after another carries them over
 * with its rows and writes no truth_subsidy.csv. */
#include <errno.h>
#include <iconv.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "compare.h"
#include "csvin.h"
#include "cli.h"
#include "datefmt.h"
#include "idno.h"
#include "msg.h"
#include "region.h"
#include "strbuf.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* ---- xoshiro256** 1.0 (Blackman and Vigna 2018), seeded by SplitMix64 ---- */

struct rng {
	uint64_t s[4];
};

static uint64_t splitmix64_next(uint64_t *x)
{
	uint64_t z = (*x += UINT64_C(0x9e3779b97f4a7c15));

	z = (z ^ (z >> 30)) * UINT64_C(0xbf58476d1ce4e5b9);
	z = (z ^ (z >> 27)) * UINT64_C(0x94d049bb133111eb);
	return z ^ (z >> 31);
}

/* One seed gives several independent streams (area, persons, damage), so
 * that changing a damage rate does not move a single person. */
static void rng_seed(struct rng *r, uint64_t seed, uint64_t stream)
{
	uint64_t x = seed ^ (stream * UINT64_C(0xd1b54a32d192ed03));

	for (int i = 0; i < 4; i++)
		r->s[i] = splitmix64_next(&x);
}

static uint64_t rotl64(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static uint64_t rng_next(struct rng *r)
{
	uint64_t *s = r->s;
	const uint64_t result = rotl64(s[1] * 5, 7) * 9;
	const uint64_t t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl64(s[3], 45);
	return result;
}

/* Uniform in [0, n) by multiply-shift (Lemire); n < 2^32. */
static uint32_t rng_below(struct rng *r, uint32_t n)
{
	return (uint32_t)(((rng_next(r) >> 32) * (uint64_t)n) >> 32);
}

static int rng_range(struct rng *r, int lo, int hi)
{
	return lo + (int)rng_below(r, (uint32_t)(hi - lo + 1));
}

static int rng_permille(struct rng *r, unsigned permille)
{
	return rng_below(r, 1000) < permille;
}

/* [0, 1) with 53 bits: exact in every IEEE double implementation. */
static double rng_unit(struct rng *r)
{
	return (double)(rng_next(r) >> 11) * 0x1.0p-53;
}

/* ---- small text helpers ---- */

static void die_internal(const char *what)
{
	msg_errorf("internal error: %s", what);
	exit(EXIT_INTERNAL);
}

/* snprintf that refuses to cut text: a cut UTF-8 sequence would make the
 * GB18030 conversion fail much later and far from the cause. */
static void textf(char *dst, size_t dstsz, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void textf(char *dst, size_t dstsz, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(dst, dstsz, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= dstsz)
		die_internal("a generated text does not fit its buffer");
}

static int starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return n >= k && memcmp(s + n - k, suffix, k) == 0;
}

static size_t utf8_char_len(const char *s)
{
	unsigned char c = (unsigned char)*s;

	return c < 0x80 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
}

static int utf8_count(const char *s)
{
	int n = 0;

	for (; *s; s += utf8_char_len(s))
		n++;
	return n;
}

/* Byte offset of the i-th character. */
static size_t utf8_offset(const char *s, int i)
{
	const char *p = s;

	while (i-- > 0 && *p)
		p += utf8_char_len(p);
	return (size_t)(p - s);
}

/* Replace the bytes [at, at+len) of s by rep, in place (s has room sz). */
static void splice(char *s, size_t sz, size_t at, size_t len, const char *rep)
{
	char tail[512];

	textf(tail, sizeof tail, "%s", s + at + len);
	s[at] = '\0';
	if (strlen(s) + strlen(rep) + strlen(tail) >= sz)
		die_internal("splice overflow");
	strcat(s, rep);
	strcat(s, tail);
}

/* ---- weighted choices ---- */

struct wentry {
	const char *text;
	unsigned weight;
};

struct wtable {
	const struct wentry *entries;
	size_t n;
	unsigned total;
};

#define WTABLE(arr) {arr, ARRAY_SIZE(arr), 0}

static const char *wpick(struct rng *r, struct wtable *t)
{
	unsigned x;

	if (t->total == 0)
		for (size_t i = 0; i < t->n; i++)
			t->total += t->entries[i].weight;
	x = rng_below(r, t->total);
	for (size_t i = 0; i < t->n; i++) {
		if (x < t->entries[i].weight)
			return t->entries[i].text;
		x -= t->entries[i].weight;
	}
	return t->entries[t->n - 1].text;
}

static const char *pick(struct rng *r, const char *const *list, size_t n)
{
	return list[rng_below(r, (uint32_t)n)];
}

#define PICK(r, list) pick(r, list, ARRAY_SIZE(list))

/* ---- the people's world: names and attributes ---- */

/* Surnames as common in Hunan (per 10,000, rounded). */
static const struct wentry SURNAMES[] = {
	{"刘", 780}, {"李", 700}, {"陈", 560}, {"张", 520}, {"王", 500}, {"周", 360}, {"彭", 330},
	{"唐", 330}, {"黄", 330}, {"杨", 330}, {"邓", 300}, {"罗", 300}, {"谭", 280}, {"胡", 270},
	{"曾", 260}, {"吴", 250}, {"肖", 240}, {"谢", 200}, {"蒋", 170}, {"朱", 170}, {"何", 170},
	{"廖", 160}, {"向", 150}, {"龙", 150}, {"易", 140}, {"邹", 140}, {"贺", 130}, {"田", 120},
	{"赵", 110}, {"钟", 110}, {"袁", 100}, {"徐", 100}, {"姚", 90}, {"戴", 90}, {"郭", 90},
	{"雷", 90}, {"文", 90}, {"石", 90}, {"许", 80}, {"段", 80}, {"伍", 80}, {"孙", 80},
	{"熊", 80}, {"江", 70}, {"付", 70}, {"莫", 70}, {"颜", 70}, {"汤", 70}, {"宋", 70},
	{"马", 70}, {"尹", 70}, {"梁", 70}, {"毛", 70}, {"余", 70}, {"欧阳", 60}, {"傅", 60},
	{"冯", 60}, {"阳", 60}, {"夏", 60}, {"聂", 60}, {"卢", 60}, {"曹", 60}, {"丁", 50},
	{"汪", 50}, {"苏", 50}, {"符", 50}, {"康", 50}, {"舒", 50}, {"粟", 50}, {"覃", 50},
	{"邱", 50}, {"杜", 50}, {"魏", 50}, {"蔡", 50}, {"潘", 50}, {"瞿", 40}, {"侯", 40},
	{"任", 40}, {"匡", 40}, {"吕", 40}, {"万", 40}, {"严", 40}, {"左", 40}, {"陶", 40},
	{"钱", 30}, {"鲁", 30}, {"沈", 30}, {"饶", 30}, {"满", 30}, {"滕", 30}, {"麻", 30},
	{"司马", 6}, {"上官", 6}, {"诸葛", 4},
};

static struct wtable surnames = WTABLE(SURNAMES);

/* Given-name characters by gender and generation: names of people born
 * before 1980 sound different from their children's. */
static const char *const GIVEN_MALE_OLD[] = {
	"建", "国", "华", "明", "军", "平", "志", "文", "德", "成", "春", "生", "福", "贵", "和",
	"红", "新", "强", "林", "海", "清", "云", "祥", "伟", "忠", "荣", "勇", "兵", "辉", "良",
	"正", "光", "学", "金", "山", "发", "才", "友", "长", "满", "顺", "喜", "利", "松",
};
static const char *const GIVEN_MALE_YOUNG[] = {
	"杰", "涛", "鹏", "飞", "峰", "俊", "超", "亮", "宇", "浩", "豪", "轩", "博", "晨", "阳",
	"磊", "鑫", "凯", "睿", "航", "锐", "泽", "子", "一", "思", "然", "宏", "翔", "斌", "波",
	"坤", "帅", "伟", "强", "文", "明", "俊", "健",
};
static const char *const GIVEN_FEMALE_OLD[] = {
	"秀", "英", "兰", "珍", "桂", "芳", "梅", "凤", "玉", "华", "莲", "娥", "翠", "菊", "琴",
	"红", "霞", "花", "云", "萍", "香", "丽", "群", "春", "金", "美", "淑", "爱",
};
static const char *const GIVEN_FEMALE_YOUNG[] = {
	"婷", "静", "敏", "丽", "娟", "燕", "雪", "慧", "倩", "颖", "佳", "欣", "怡", "萱", "琳",
	"雨", "诗", "梦", "涵", "琪", "璐", "瑶", "妍", "蕾", "薇", "晶", "芳", "玲",
};
/* Characters a clerk types instead of the right one (homophones and
 * look-alikes of the pools above). */
static const char *const NAME_SLIPS[] = {
	"化", "名", "君", "萍", "宏", "玲", "方", "敏", "峰", "锋", "军", "均", "辉", "慧", "丽",
	"利", "云", "芸", "春", "纯", "明", "铭", "杰", "洁", "英", "瑛", "红", "鸿", "强", "蔷",
};

/* Uyghur names (given name · father's name): Hunan's Uyghur community of
 * 桃源县 and the middle dot every Chinese system writes differently. */
static const char *const UYGHUR_MALE[] = {
	"阿不都", "买买提", "艾力", "吐尔逊", "热合曼", "依明", "艾买提", "努尔", "亚森", "肉孜",
	"库尔班", "阿里木", "艾尔肯", "塔依尔",
};
static const char *const UYGHUR_FEMALE[] = {
	"古丽", "阿依古丽", "热依拉", "帕提古丽", "阿依努尔", "米热古丽", "再努尔", "布海丽且姆",
};

static const char MIDDLE_DOT[] = "\xc2\xb7"; /* U+00B7, what the systems should use */

static const struct wentry ETHNIC_XIANGXI[] = {{"土家族", 40}, {"苗族", 35}, {"汉族", 25}};
static const struct wentry ETHNIC_ZHANGJIAJIE[] = {{"土家族", 70}, {"汉族", 25}, {"白族", 3}, {"苗族", 2}};
static const struct wentry ETHNIC_HUAIHUA[] = {
	{"汉族", 50}, {"侗族", 25}, {"苗族", 18}, {"瑶族", 5}, {"土家族", 2}};
static const struct wentry ETHNIC_YONGZHOU[] = {{"汉族", 90}, {"瑶族", 10}};
static const struct wentry ETHNIC_CHENZHOU[] = {{"汉族", 95}, {"瑶族", 5}};
static const struct wentry ETHNIC_SHAOYANG[] = {{"汉族", 92}, {"苗族", 6}, {"瑶族", 2}};
static const struct wentry ETHNIC_CHANGDE[] = {{"汉族", 92}, {"土家族", 6}, {"回族", 1}, {"白族", 1}};
static const struct wentry ETHNIC_OTHER[] = {{"汉族", 98}, {"土家族", 1}, {"回族", 1}};
static struct wtable ethnic_xiangxi = WTABLE(ETHNIC_XIANGXI);
static struct wtable ethnic_zhangjiajie = WTABLE(ETHNIC_ZHANGJIAJIE);
static struct wtable ethnic_huaihua = WTABLE(ETHNIC_HUAIHUA);
static struct wtable ethnic_yongzhou = WTABLE(ETHNIC_YONGZHOU);
static struct wtable ethnic_chenzhou = WTABLE(ETHNIC_CHENZHOU);
static struct wtable ethnic_shaoyang = WTABLE(ETHNIC_SHAOYANG);
static struct wtable ethnic_changde = WTABLE(ETHNIC_CHANGDE);
static struct wtable ethnic_other = WTABLE(ETHNIC_OTHER);

static const struct wentry EDU_BEFORE_1965[] = {
	{"文盲或半文盲", 25}, {"小学", 50}, {"初中", 21}, {"高中", 4}};
static const struct wentry EDU_BEFORE_1985[] = {
	{"文盲或半文盲", 3}, {"小学", 25}, {"初中", 55}, {"高中", 11}, {"中专", 5}, {"大专", 1}};
static const struct wentry EDU_LATER[] = {
	{"小学", 4}, {"初中", 42}, {"高中", 24}, {"中专", 16}, {"大专", 10}, {"本科及以上", 4}};
static struct wtable edu_before_1965 = WTABLE(EDU_BEFORE_1965);
static struct wtable edu_before_1985 = WTABLE(EDU_BEFORE_1985);
static struct wtable edu_later = WTABLE(EDU_LATER);

static const struct wentry HEALTH_YOUNG[] = {{"健康", 93}, {"长期慢性病", 3}, {"患有大病", 1}, {"残疾", 3}};
static const struct wentry HEALTH_MIDDLE[] = {{"健康", 82}, {"长期慢性病", 11}, {"患有大病", 2}, {"残疾", 5}};
static const struct wentry HEALTH_OLD[] = {{"健康", 62}, {"长期慢性病", 25}, {"患有大病", 5}, {"残疾", 8}};
static struct wtable health_young = WTABLE(HEALTH_YOUNG);
static struct wtable health_middle = WTABLE(HEALTH_MIDDLE);
static struct wtable health_old = WTABLE(HEALTH_OLD);

/* The five labour-ability values of SPEC §3. */
static const char LA_NORMAL[] = "普通劳动力";
static const char LA_SKILLED[] = "技能劳动力";
static const char LA_WEAK[] = "弱劳动力或半劳动力";
static const char LA_LOST[] = "丧失劳动力";
static const char LA_NONE[] = "无劳动力";

static const struct wentry SERVICE_NEEDS[] = {
	{"职业介绍", 30}, {"技能培训", 25}, {"职业指导", 15}, {"公益性岗位", 10}, {"创业服务", 5},
	{"暂无需求", 15}};
static struct wtable service_needs = WTABLE(SERVICE_NEEDS);

static const char *const PHONE_PREFIXES[] = {
	"130", "131", "132", "133", "134", "135", "136", "137", "138", "139", "150", "151", "152",
	"153", "155", "156", "157", "158", "159", "166", "173", "175", "176", "177", "178", "180",
	"181", "182", "183", "184", "185", "186", "187", "188", "189", "191", "193", "195", "198",
	"199",
};

/* Employers: trade names and trades, put together as companies are named. */
static const char *const BRANDS[] = {
	"华鑫", "鑫达", "宏图", "永兴", "联创", "金源", "恒通", "富民", "兴旺", "盛世", "东方",
	"天宇", "新华", "顺发", "远大", "中联", "嘉利", "润丰", "瑞祥", "众诚", "万隆", "腾达",
	"汇丰源", "德胜", "吉祥", "隆盛", "和顺", "福泰", "昌盛", "海天", "光明", "华美", "锦绣",
	"金鹏", "正邦", "佳宝", "宏发", "长丰", "信达", "永安", "天成", "华强", "新世纪", "安达",
	"百川", "创维达", "精诚", "立信", "明珠", "凯旋", "富康", "豪盛", "美佳", "荣昌", "晟达",
	"伟业", "博远", "聚力", "湘能", "楚天",
};
static const char *const TRADES[] = {
	"电子科技", "五金制品", "塑胶制品", "服装", "鞋业", "家具", "建筑劳务", "物流", "餐饮管理",
	"物业管理", "食品", "玩具", "纺织", "机械设备", "汽车配件", "包装材料", "建材", "环保科技",
	"农业开发", "劳务派遣", "保安服务", "家政服务", "商贸", "酒店管理", "印刷", "光电",
	"精密制造", "新能源", "医疗器械", "茶业",
};
static const char *const WORKSHOPS[] = {"服装厂", "五金加工厂", "竹木制品厂", "电子厂", "鞋厂", "食品厂"};
static const char *const SMALL_BUSINESSES[] = {
	"养殖场", "种植专业合作社", "农家乐", "便利店", "小吃店", "生猪养殖场", "茶叶专业合作社",
	"农机维修部"};

/* ---- reference data: Hunan's rural townships and villages ---- */

#define TEXT_MAX 96

struct township {
	char code[16];
	char name[TEXT_MAX];
	int county_code;
	char county[TEXT_MAX];
	int city_code;
	char city[TEXT_MAX];
	const struct region *region; /* the county in GB/T 2260 */
	int first_village, nvillages; /* into the villages, sorted by township then code */
};

struct village {
	char code[16];
	char name[TEXT_MAX];
	int township;
};

/* Split a line of a reference CSV (these files have no quoting) in place. */
static int split_commas(char *line, char **fields, int max)
{
	int n = 0;

	line[strcspn(line, "\r\n")] = '\0';
	fields[n++] = line;
	for (char *p = line; *p; p++) {
		if (*p == ',') {
			*p = '\0';
			if (n == max)
				return max + 1;
			fields[n++] = p + 1;
		}
	}
	return n;
}

static int copy_field(char *dst, size_t dstsz, const char *src)
{
	size_t n = strlen(src);

	if (n == 0 || n >= dstsz)
		return -1;
	memcpy(dst, src, n + 1);
	return 0;
}

static int is_digits(const char *s, size_t n)
{
	return strlen(s) == n && strspn(s, "0123456789") == n;
}

/* Rural poverty rosters are rural: 街道 (urban sub-districts), industrial
 * parks, farms, forest farms and prisons are no 乡镇. */
static int township_is_rural(const char *name)
{
	return !ends_with(name, "街道") && (ends_with(name, "镇") || ends_with(name, "乡"));
}

/* The village's name as a roster writes it (清溪村), from the data set's
 * committee names (韶山市清溪镇清溪村村民委员会, 金华村委会); 0 when it is no
 * rural village (社区, 居委会, the living quarters of farms). */
static int village_clean_name(const char *raw, const struct township *t, char *out, size_t outsz)
{
	static const char *const URBAN[] = {"社区", "居委会", "居民委员会", "生活区", "管理区", "虚拟"};
	static const char *const COMMITTEE[] = {
		"村民委员会会", "村民委委会", "村民委员会", "村委会会", "村委会", "村季会", "委员会"};
	const char *s = raw;

	for (size_t i = 0; i < ARRAY_SIZE(URBAN); i++)
		if (strstr(raw, URBAN[i]))
			return 0;
	if (starts_with(s, t->county))
		s += strlen(t->county);
	if (starts_with(s, t->name))
		s += strlen(t->name);
	if (strlen(s) + 4 >= outsz)
		return 0;
	strcpy(out, s);
	for (size_t i = 0; i < ARRAY_SIZE(COMMITTEE); i++) {
		if (ends_with(out, COMMITTEE[i])) {
			out[strlen(out) - strlen(COMMITTEE[i])] = '\0';
			if (!ends_with(out, "村"))
				strcat(out, "村");
			break;
		}
	}
	if (ends_with(out, "村村"))
		out[strlen(out) - strlen("村")] = '\0';
	return ends_with(out, "村") && utf8_count(out) >= 2;
}

static void *grow_array(void *array, size_t elem, size_t *cap, size_t need)
{
	if (need <= *cap)
		return array;
	*cap = *cap ? *cap * 2 : 1024;
	if (*cap < need)
		*cap = need;
	array = realloc(array, *cap * elem);
	if (!array)
		die_internal("out of memory");
	return array;
}

static int cmp_township(const void *a, const void *b)
{
	return strcmp(((const struct township *)a)->code, ((const struct township *)b)->code);
}

static int cmp_village(const void *a, const void *b)
{
	const struct village *x = a, *y = b;

	if (x->township != y->township)
		return x->township < y->township ? -1 : 1;
	return strcmp(x->code, y->code);
}

struct refdata {
	struct township *townships;
	int ntownships;
	struct village *villages;
	int nvillages;
};

static FILE *ref_open(const char *dir, const char *name, const char *header, char *path, size_t pathsz,
		      struct bangfu_err *err)
{
	char *line = NULL;
	size_t cap = 0;
	FILE *fp;

	textf(path, pathsz, "%s/%s", dir, name);
	fp = fopen(path, "r");
	if (!fp) {
		bangfu_fail(err, ERR_INPUT, path, 0, 0, "no_file", "cannot open: %s", strerror(errno));
		return NULL;
	}
	if (getline(&line, &cap, fp) < 0 || (line[strcspn(line, "\r\n")] = '\0', strcmp(line, header) != 0)) {
		bangfu_fail(err, ERR_INPUT, path, 1, 0, "bad_header", "expected the header \"%s\"", header);
		free(line);
		fclose(fp);
		return NULL;
	}
	free(line);
	return fp;
}

static int load_townships(const char *dir, struct refdata *ref, struct bangfu_err *err)
{
	char path[PATH_MAX];
	char *line = NULL;
	size_t cap = 0, alloc = 0;
	long lineno = 1;
	FILE *fp = ref_open(dir, "hunan_townships.csv", "township_code,township,county_code,county,city_code,city",
			    path, sizeof path, err);

	if (!fp)
		return -1;
	while (getline(&line, &cap, fp) >= 0) {
		char *f[8];
		int n = split_commas(line, f, 8);
		struct township *t;

		lineno++;
		if (n == 1 && f[0][0] == '\0')
			continue;
		if (n != 6)
			goto bad;
		if (!township_is_rural(f[1]))
			continue;
		ref->townships = grow_array(ref->townships, sizeof *ref->townships, &alloc, (size_t)ref->ntownships + 1);
		t = &ref->townships[ref->ntownships];
		memset(t, 0, sizeof *t);
		if (!is_digits(f[0], 9) || !is_digits(f[2], 6) || !is_digits(f[4], 4) ||
		    copy_field(t->code, sizeof t->code, f[0]) || copy_field(t->name, sizeof t->name, f[1]) ||
		    copy_field(t->county, sizeof t->county, f[3]) || copy_field(t->city, sizeof t->city, f[5]))
			goto bad;
		t->county_code = atoi(f[2]);
		t->city_code = atoi(f[4]);
		t->region = region_by_code(t->county_code);
		if (!t->region) {
			bangfu_fail(err, ERR_INPUT, path, lineno, 3, "unknown_county",
				    "county code %d is not in GB/T 2260 (region.h)", t->county_code);
			goto fail;
		}
		ref->ntownships++;
	}
	free(line);
	fclose(fp);
	qsort(ref->townships, (size_t)ref->ntownships, sizeof *ref->townships, cmp_township);
	return 0;
bad:
	bangfu_fail(err, ERR_INPUT, path, lineno, 0, "bad_row",
		    "expected township_code (9 digits),township,county_code (6),county,city_code (4),city");
fail:
	free(line);
	fclose(fp);
	return -1;
}

static int load_villages(const char *dir, struct refdata *ref, struct bangfu_err *err)
{
	char path[PATH_MAX];
	char *line = NULL;
	size_t cap = 0, alloc = 0;
	long lineno = 1;
	FILE *fp = ref_open(dir, "hunan_villages.csv", "village_code,village,township_code", path, sizeof path, err);

	if (!fp)
		return -1;
	while (getline(&line, &cap, fp) >= 0) {
		char *f[4];
		int n = split_commas(line, f, 4);
		struct township key, *t;
		struct village *v;

		lineno++;
		if (n == 1 && f[0][0] == '\0')
			continue;
		if (n != 3 || !is_digits(f[0], 12) || !is_digits(f[2], 9) || f[1][0] == '\0') {
			bangfu_fail(err, ERR_INPUT, path, lineno, 0, "bad_row",
				    "expected village_code (12 digits),village,township_code (9 digits)");
			free(line);
			fclose(fp);
			return -1;
		}
		textf(key.code, sizeof key.code, "%s", f[2]);
		t = bsearch(&key, ref->townships, (size_t)ref->ntownships, sizeof *ref->townships, cmp_township);
		if (!t)
			continue; /* a 街道 or other non-rural township */
		ref->villages = grow_array(ref->villages, sizeof *ref->villages, &alloc, (size_t)ref->nvillages + 1);
		v = &ref->villages[ref->nvillages];
		if (!village_clean_name(f[1], t, v->name, sizeof v->name))
			continue;
		textf(v->code, sizeof v->code, "%s", f[0]);
		v->township = (int)(t - ref->townships);
		ref->nvillages++;
	}
	free(line);
	fclose(fp);
	qsort(ref->villages, (size_t)ref->nvillages, sizeof *ref->villages, cmp_village);
	for (int i = 0; i < ref->nvillages; i++) {
		struct township *t = &ref->townships[ref->villages[i].township];

		if (t->nvillages++ == 0)
			t->first_village = i;
	}
	return 0;
}

/* ---- where the work is: GB/T 2260 from region.h ---- */

struct place_weight {
	const struct region *region;
	unsigned weight;
};

struct province_weight {
	int first, n;          /* into places.out */
	unsigned places_total; /* sum of the places' weights */
	unsigned weight;       /* how many of Hunan's migrants go there */
};

/* Where Hunan's migrant labour goes: mostly the Pearl River delta. */
static const struct {
	int province_code;
	unsigned weight;
} PROVINCE_DRAW[] = {
	{44, 5500}, {33, 1500}, {35, 500}, {32, 500}, {31, 400}, {11, 300},
	{42, 300},  {36, 200},  {45, 200}, {52, 100}, {50, 100}, {51, 100},
};
#define PROVINCE_DRAW_OTHER 10

/* Cities that draw more than their number of counties says (a weight for
 * the whole city, shared by its counties; an ordinary county weighs 10). */
static const struct {
	int city_code;
	unsigned weight;
} CITY_DRAW[] = {
	{4403, 1000}, {4419, 800}, {4401, 600}, {4406, 400}, {4420, 200}, {4413, 200}, {3301, 300},
	{3302, 250},  {3303, 250}, {3307, 300}, {3205, 400}, {3502, 250}, {3505, 200},
};

struct places {
	struct place_weight *out;       /* counties outside Hunan */
	int nout;
	struct province_weight *provinces;
	int nprovinces;
	unsigned provinces_total;
	struct place_weight *hunan;     /* Hunan's counties, Changsha weighted up */
	int nhunan;
	unsigned hunan_total;
};

static int places_build(struct places *pl)
{
	static int city_counties[10000];
	int n = region_count();

	if (n <= 0)
		return -1;
	for (int i = 0; i < n; i++) {
		int c = region_at(i)->city_code;

		if (c >= 0 && c < 10000)
			city_counties[c]++;
	}
	pl->out = calloc((size_t)n, sizeof *pl->out);
	pl->hunan = calloc((size_t)n, sizeof *pl->hunan);
	pl->provinces = calloc(100, sizeof *pl->provinces);
	if (!pl->out || !pl->hunan || !pl->provinces)
		die_internal("out of memory");
	for (int i = 0; i < n; i++) {
		const struct region *r = region_at(i);

		if (r->province_code == 43) {
			unsigned w = r->city_code == 4301 ? 30 : 10;

			pl->hunan[pl->nhunan++] = (struct place_weight){r, w};
			pl->hunan_total += w;
		} else {
			unsigned w = 10;
			struct province_weight *pw;

			for (size_t k = 0; k < ARRAY_SIZE(CITY_DRAW); k++)
				if (CITY_DRAW[k].city_code == r->city_code && city_counties[r->city_code] > 0)
					w = CITY_DRAW[k].weight / (unsigned)city_counties[r->city_code];
			if (pl->nprovinces == 0 ||
			    pl->out[pl->provinces[pl->nprovinces - 1].first].region->province_code != r->province_code) {
				if (pl->nprovinces == 100)
					return -1;
				pw = &pl->provinces[pl->nprovinces++];
				pw->first = pl->nout;
				pw->weight = PROVINCE_DRAW_OTHER;
				for (size_t k = 0; k < ARRAY_SIZE(PROVINCE_DRAW); k++)
					if (PROVINCE_DRAW[k].province_code == r->province_code)
						pw->weight = PROVINCE_DRAW[k].weight;
				pl->provinces_total += pw->weight;
			}
			pw = &pl->provinces[pl->nprovinces - 1];
			pl->out[pl->nout++] = (struct place_weight){r, w};
			pw->n++;
			pw->places_total += w;
		}
	}
	return pl->nhunan > 1 && pl->nprovinces > 0 ? 0 : -1;
}

static void places_free(struct places *pl)
{
	free(pl->out);
	free(pl->hunan);
	free(pl->provinces);
}

static const struct region *place_draw(struct rng *r, const struct place_weight *w, int n, unsigned total)
{
	unsigned x = rng_below(r, total);

	for (int i = 0; i < n; i++) {
		if (x < w[i].weight)
			return w[i].region;
		x -= w[i].weight;
	}
	return w[n - 1].region;
}

static const struct region *place_out_of_province(const struct places *pl, struct rng *r)
{
	unsigned x = rng_below(r, pl->provinces_total);
	const struct province_weight *pw = &pl->provinces[pl->nprovinces - 1];

	for (int i = 0; i < pl->nprovinces; i++) {
		if (x < pl->provinces[i].weight) {
			pw = &pl->provinces[i];
			break;
		}
		x -= pl->provinces[i].weight;
	}
	return place_draw(r, pl->out + pw->first, pw->n, pw->places_total);
}

/* Another county of Hunan: the home city's neighbours first, then anywhere
 * (Changsha most). */
static const struct region *place_in_province(const struct places *pl, struct rng *r, int home_code)
{
	const struct region *where;

	if (rng_permille(r, 400)) {
		int same_city = 0;

		for (int i = 0; i < pl->nhunan; i++)
			if (pl->hunan[i].region->city_code == home_code / 100 && pl->hunan[i].region->county_code != home_code)
				same_city++;
		if (same_city > 0) {
			int k = (int)rng_below(r, (uint32_t)same_city);

			for (int i = 0; i < pl->nhunan; i++)
				if (pl->hunan[i].region->city_code == home_code / 100 &&
				    pl->hunan[i].region->county_code != home_code && k-- == 0)
					return pl->hunan[i].region;
		}
	}
	do
		where = place_draw(r, pl->hunan, pl->nhunan, pl->hunan_total);
	while (where->county_code == home_code);
	return where;
}

/* GB/T 2260 puts 市辖区 / 县 / 省直辖县级行政区划 where a city would be. */
static int region_has_city(const struct region *r)
{
	return strcmp(r->city, "市辖区") != 0 && strcmp(r->city, "县") != 0 && !strstr(r->city, "直辖县级行政区划");
}

/* The city as people name it: 深圳市; 北京市 for a municipality; 仙桃市
 * for a county-level city under the province. */
static const char *region_city_name(const struct region *r)
{
	if (region_has_city(r))
		return r->city;
	return ends_with(r->province, "市") ? r->province : r->county;
}

/* 深圳市 → 深圳, 新化县 → 新化, 回龙圩管理区 → 回龙圩; 湘西土家族苗族自治州 stays. */
static void short_place_name(const char *name, char *out, size_t outsz)
{
	textf(out, outsz, "%s", name);
	if (utf8_count(out) >= 5 && ends_with(out, "管理区"))
		out[strlen(out) - strlen("管理区")] = '\0';
	else if (utf8_count(out) >= 3 && (ends_with(out, "市") || ends_with(out, "县") || ends_with(out, "区")))
		out[strlen(out) - strlen("市")] = '\0';
}

/* ---- persons ---- */

enum { CLASS_OUT_PROVINCE, CLASS_IN_PROVINCE, CLASS_IN_COUNTY };
/* How much of the place the roster writes (real form only; plain is full). */
enum { PLACE_FULL, PLACE_CITY, PLACE_PROVINCE, PLACE_NO_PROVINCE, PLACE_BENXIAN, PLACE_XIANNEI };
enum { HR_EMPLOYED, HR_NOT_EMPLOYED, HR_JOBLESS };

static const char T_MIGRANT[] = "外出务工";
static const char T_NEARBY[] = "就地就近就业";
static const char T_PUBLIC[] = "公益性岗位";
static const char T_WORKSHOP[] = "就业帮扶车间";
static const char T_OWN[] = "自主创业";
static const char T_FLEXIBLE[] = "灵活就业";

static const struct wentry TYPES_OUT[] = {{T_MIGRANT, 88}, {T_FLEXIBLE, 8}, {T_OWN, 4}};
static const struct wentry TYPES_PROVINCE[] = {{T_MIGRANT, 65}, {T_FLEXIBLE, 15}, {T_OWN, 10}, {T_NEARBY, 10}};
static const struct wentry TYPES_COUNTY[] = {
	{T_NEARBY, 35}, {T_PUBLIC, 25}, {T_WORKSHOP, 15}, {T_OWN, 10}, {T_FLEXIBLE, 15}};
static struct wtable types_out = WTABLE(TYPES_OUT);
static struct wtable types_province = WTABLE(TYPES_PROVINCE);
static struct wtable types_county = WTABLE(TYPES_COUNTY);

#define EMPLOYER_MAX 256

/* The policy fields' rates, per mille (the policy stream, see struct gen). */
#define LOW_INCOME_PERMILLE 40          /* of the households not monitored: 农村低收入人口 */
#define EMPLOYER_ELSEWHERE_PERMILLE 80  /* an employer not at the work place */
#define EMPLOYER_UNRECORDED_PERMILLE 50 /* 用人单位所在地 left empty */

struct job {
	int present;
	int cls;                      /* CLASS_* */
	const struct region *where;
	int detail;                   /* PLACE_* */
	int hr_no_county;             /* the platform left the county empty */
	const char *type;             /* employment_type */
	char employer[EMPLOYER_MAX];
	int brand;                    /* index into BRANDS, -1 for none */
	long start;                   /* days since 1970-01-01 */
	/* 用人单位所在地 as the platform records it: NULL when it records none */
	const struct region *employer_where;
	int employer_cls;             /* CLASS_* of employer_where against the home county */
};

struct person {
	long number;                  /* 1-based, the person_key */
	const struct township *township;
	const struct village *village;
	char household_id[40];
	int household_seq;
	const char *relation;
	char name[TEXT_MAX];
	int male;
	long birth;
	int birth_y;
	char id[19];
	const char *ethnicity, *politics, *education, *health, *labor_ability;
	char phone[16];
	struct job job;
	int hr_status;                /* HR_* */
	int returned;
	long return_date;
	long registered, updated;     /* days */
	int registered_s, updated_s;  /* seconds into the day */
	const char *intent, *service_need, *training_intent;
	const char *household_type, *relocated;
	int date_form;                /* how the real roster writes this row's dates */
	const char *remark;
};

struct household {
	char id[40];
	int seq;
	int uyghur;
	const char *surname;
	const char *ethnicity;
	const char *household_type, *relocated;
	char head_phone[16];
};

/* The household types (户类型) the roster writes, and the platform's 人员类别
 * for each. */
static const char HT_EXITED[] = "脱贫户";
static const char HT_MONITORED[] = "监测对象";
static const char HT_LOW_INCOME[] = "农村低收入人口";

struct member_plan {
	const char *relation;
	int male;
	int age;
	int head_surname; /* carries the head's surname */
};

/* ---- the kinds of damage ---- */

enum kind {
	/* structural: at most one per person */
	K_ROSTER_ONLY,
	K_HR_ONLY,
	K_DUPLICATE_ROSTER,
	K_DUPLICATE_HR,
	K_ID_TYPO,
	K_ID_TRANSPOSITION,
	K_EXCEL_SCIENTIFIC,
	K_EXCEL_ROUNDED,
	K_BAD_LENGTH,
	K_BAD_BIRTH,
	K_BAD_PROVINCE,
	/* harmless ID forms: at most one, never with an ID-breaking kind */
	K_ID_FORMAT,
	K_ID_LEGACY15,
	/* conflicts: only for persons without a structural kind */
	K_CONFLICT_NAME,
	K_CONFLICT_GENDER,
	K_CONFLICT_EMPLOYED,
	K_CONFLICT_REGION,
	K_CONFLICT_EMPLOYER,
	K_CONFLICT_PHONE,
	/* harmless format differences and the gender warning */
	K_NAME_FORMAT,
	K_EMPLOYER_FORMAT,
	K_GENDER_MISMATCH,
	/* the month's changes (--evolve-from): at most one of the first six per
	 * person; an arrival ticks on a roster person and brings a new
	 * household; a lagging roster goes with a new job or a job lost */
	K_NEW_JOB,
	K_JOB_LOSS,
	K_RETURN,
	K_ID_FIX,
	K_ID_BREAK,
	K_DEPARTURE,
	K_ARRIVAL,
	K_ROSTER_LAG,
	K_COUNT
};

#define KBIT(k) (UINT32_C(1) << (k))
#define STRUCTURAL_KINDS (KBIT(K_BAD_PROVINCE + 1) - 1)
#define ID_BREAKING_KINDS                                                                                  \
	(KBIT(K_ID_TYPO) | KBIT(K_ID_TRANSPOSITION) | KBIT(K_EXCEL_SCIENTIFIC) | KBIT(K_EXCEL_ROUNDED) | \
	 KBIT(K_BAD_LENGTH) | KBIT(K_BAD_BIRTH) | KBIT(K_BAD_PROVINCE))

static const struct {
	const char *name;
	double default_rate;
	const char *field; /* the conflicting field it makes, for truth_fields.csv */
} KIND_INFO[K_COUNT] = {
	[K_ROSTER_ONLY] = {"roster_only", 0.03, NULL},
	[K_HR_ONLY] = {"hr_only", 0.02, NULL},
	[K_DUPLICATE_ROSTER] = {"duplicate_roster", 0.01, NULL},
	[K_DUPLICATE_HR] = {"duplicate_hr", 0.01, NULL},
	[K_ID_TYPO] = {"id_typo", 0.01, NULL},
	[K_ID_TRANSPOSITION] = {"id_transposition", 0.005, NULL},
	[K_EXCEL_SCIENTIFIC] = {"excel_scientific", 0.005, NULL},
	[K_EXCEL_ROUNDED] = {"excel_rounded", 0.005, NULL},
	[K_BAD_LENGTH] = {"bad_length", 0.005, NULL},
	[K_BAD_BIRTH] = {"bad_birth", 0.005, NULL},
	[K_BAD_PROVINCE] = {"bad_province", 0.005, NULL},
	[K_ID_FORMAT] = {"id_format", 0.02, NULL},
	[K_ID_LEGACY15] = {"id_legacy15", 0.01, NULL},
	[K_CONFLICT_NAME] = {"conflict_name", 0.01, "name"},
	[K_CONFLICT_GENDER] = {"conflict_gender", 0.005, "gender"},
	[K_CONFLICT_EMPLOYED] = {"conflict_employed", 0.03, "employed"},
	[K_CONFLICT_REGION] = {"conflict_region", 0.02, "work_region"},
	[K_CONFLICT_EMPLOYER] = {"conflict_employer", 0.02, "employer"},
	[K_CONFLICT_PHONE] = {"conflict_phone", 0.02, "phone"},
	[K_NAME_FORMAT] = {"name_format", 0.02, NULL},
	[K_EMPLOYER_FORMAT] = {"employer_format", 0.03, NULL},
	[K_GENDER_MISMATCH] = {"gender_mismatch", 0.005, NULL},
	[K_NEW_JOB] = {"new_job", 0.03, NULL},
	[K_JOB_LOSS] = {"job_loss", 0.02, NULL},
	[K_RETURN] = {"return", 0.02, NULL},
	[K_ID_FIX] = {"id_fix", 0.4, NULL},
	[K_ID_BREAK] = {"id_break", 0.002, NULL},
	[K_DEPARTURE] = {"departure", 0.01, NULL},
	[K_ARRIVAL] = {"arrival", 0.01, NULL},
	[K_ROSTER_LAG] = {"roster_lag", 0.25, NULL},
};

/* A kind fires when its running share passes a threshold drawn anew after
 * each firing: counts follow the rate closely (within one or two), which
 * plain coin flips would not for small files, and the gaps stay irregular. */
struct kind_state {
	double rate;
	double acc;
	double threshold;
	long applied;
};

enum category { CAT_CONSISTENT, CAT_CONFLICT, CAT_ROSTER_ONLY, CAT_HR_ONLY, CAT_INVALID_ID, CAT_DUPLICATE, CAT_COUNT };
static const char *const CATEGORY_CODE[CAT_COUNT] = {
	"consistent", "conflict", "roster_only", "hr_only", "invalid_id", "duplicate"};

/* Employer names that need quoting in a CSV — an ASCII quote, an ASCII
 * comma before the branch, a line break inside the cell (Alt+Enter) — come
 * at fixed shares of the company names, on the same clock as the kinds, so
 * that even the 300-person sample has each. */
enum { SPECIAL_QUOTE, SPECIAL_COMMA, SPECIAL_NEWLINE, SPECIAL_COUNT };
static const double SPECIAL_RATE[SPECIAL_COUNT] = {0.02, 0.025, 0.01};

/* ---- output tables ---- */

struct table_out {
	FILE *fp;
	char path[PATH_MAX];
	char tmp_path[PATH_MAX];
	char delim;
	const char *eol;
	const char *specials;   /* characters that make a field quoted */
	iconv_t to_gb18030;     /* (iconv_t)-1: written as UTF-8 */
	struct strbuf row;
	int nfields;
	long rows;
};

static int table_open(struct table_out *t, const char *dir, const char *name, char delim, const char *eol,
		      int gb18030, struct bangfu_err *err)
{
	memset(t, 0, sizeof *t);
	strbuf_init(&t->row);
	t->delim = delim;
	t->eol = eol;
	/* Commas are quoted in tab-separated files too: Excel does, and a
	 * reader that splits on commas first must not be the only one tested. */
	t->specials = delim == '\t' ? "\t,\"\r\n" : ",\"\r\n";
	t->to_gb18030 = (iconv_t)-1;
	textf(t->path, sizeof t->path, "%s/%s", dir, name);
	textf(t->tmp_path, sizeof t->tmp_path, "%s/.%s.tmp", dir, name);
	if (gb18030) {
		t->to_gb18030 = iconv_open("GB18030", "UTF-8");
		if (t->to_gb18030 == (iconv_t)-1)
			return bangfu_fail(err, ERR_INTERNAL, NULL, 0, 0, "iconv", "iconv cannot convert to GB18030");
	}
	t->fp = fopen(t->tmp_path, "w");
	if (!t->fp)
		return bangfu_fail(err, ERR_INTERNAL, t->tmp_path, 0, 0, "open", "cannot create: %s", strerror(errno));
	setvbuf(t->fp, NULL, _IOFBF, 1 << 20);
	return 0;
}

static void table_field(struct table_out *t, const char *s)
{
	if (t->nfields++)
		strbuf_addch(&t->row, t->delim);
	if (!s || !*s)
		return;
	if (!strpbrk(s, t->specials)) {
		strbuf_addstr(&t->row, s);
		return;
	}
	strbuf_addch(&t->row, '"');
	for (const char *p = s; *p; p++) {
		if (*p == '"')
			strbuf_addch(&t->row, '"');
		strbuf_addch(&t->row, *p);
	}
	strbuf_addch(&t->row, '"');
}

static void table_end_row(struct table_out *t)
{
	char chunk[4096];
	char *in;
	size_t inleft;

	strbuf_addstr(&t->row, t->eol);
	in = t->row.buf;
	inleft = t->row.len;
	if (t->to_gb18030 == (iconv_t)-1) {
		fwrite(in, 1, inleft, t->fp);
	} else {
		/* A line at a time: GB18030 is stateless, and a whole-file
		 * buffer would grow with the output. */
		while (inleft > 0) {
			char *out = chunk;
			size_t outleft = sizeof chunk;

			if (iconv(t->to_gb18030, &in, &inleft, &out, &outleft) == (size_t)-1 && errno != E2BIG)
				die_internal("a generated text has no GB18030 form");
			fwrite(chunk, 1, sizeof chunk - outleft, t->fp);
		}
	}
	strbuf_reset(&t->row);
	t->nfields = 0;
	t->rows++;
}

/* Close and move into place; a file is either complete or not there. */
static int table_close(struct table_out *t, struct bangfu_err *err)
{
	int rc = 0;

	if (t->fp) {
		if (ferror(t->fp) | fclose(t->fp))
			rc = bangfu_fail(err, ERR_INTERNAL, t->tmp_path, 0, 0, "write", "cannot write: %s",
					 strerror(errno));
		else if (rename(t->tmp_path, t->path) != 0)
			rc = bangfu_fail(err, ERR_INTERNAL, t->path, 0, 0, "rename", "cannot rename %s: %s",
					 t->tmp_path, strerror(errno));
		if (rc)
			unlink(t->tmp_path);
		t->fp = NULL;
	}
	if (t->to_gb18030 != (iconv_t)-1)
		iconv_close(t->to_gb18030);
	t->to_gb18030 = (iconv_t)-1;
	strbuf_free(&t->row);
	return rc;
}

/* A run that failed: no half-written file stays behind. */
static void table_discard(struct table_out *t)
{
	if (t->fp) {
		fclose(t->fp);
		unlink(t->tmp_path);
		t->fp = NULL;
	}
	if (t->to_gb18030 != (iconv_t)-1 && t->to_gb18030)
		iconv_close(t->to_gb18030);
	t->to_gb18030 = (iconv_t)-1;
	strbuf_free(&t->row);
}

/* Columns of the roster and the HR dump, and their headers per form. */
enum roster_col {
	RC_SEQ, RC_ID, RC_NAME, RC_GENDER, RC_ETHNICITY, RC_POLITICS, RC_EDUCATION, RC_HEALTH, RC_LABOR,
	RC_PHONE, RC_CITY, RC_COUNTY, RC_TOWNSHIP, RC_VILLAGE, RC_HOUSEHOLD, RC_RELATION, RC_EMPLOYED,
	RC_WORK_PLACE, RC_EMPLOYER, RC_WORK_START, RC_INTENT, RC_SERVICE, RC_TRAINING, RC_HOUSEHOLD_TYPE,
	RC_RELOCATED, RC_REMARK,
};

struct column {
	int col;
	const char *header;
};

/* plain: the canonical order and the first alias of templates/columns.csv */
static const struct column ROSTER_PLAIN[] = {
	{RC_ID, "证件号码"},       {RC_NAME, "姓名"},         {RC_GENDER, "性别"},
	{RC_ETHNICITY, "民族"},    {RC_POLITICS, "政治面貌"}, {RC_EDUCATION, "文化程度"},
	{RC_HEALTH, "健康状况"},   {RC_LABOR, "劳动能力"},    {RC_PHONE, "联系方式"},
	{RC_CITY, "市州"},         {RC_COUNTY, "县市区"},     {RC_TOWNSHIP, "乡镇"},
	{RC_VILLAGE, "行政村"},    {RC_HOUSEHOLD, "户编号"},  {RC_RELATION, "与户主关系"},
	{RC_EMPLOYED, "是否已就业"}, {RC_WORK_PLACE, "就业地点"}, {RC_EMPLOYER, "就业单位名称"},
	{RC_WORK_START, "就业时间"}, {RC_INTENT, "就业意向"}, {RC_SERVICE, "就业服务需求"},
	{RC_TRAINING, "培训意愿"}, {RC_HOUSEHOLD_TYPE, "户类型"}, {RC_RELOCATED, "是否易地搬迁"},
};

/* real: the order of the 就业信息表 as counties fill it in Excel, other
 * aliases, a 序号 and a 备注 column that map to no field */
static const struct column ROSTER_REAL[] = {
	{RC_SEQ, "序号"},            {RC_CITY, "所属市州"},          {RC_COUNTY, "县（市、区）"},
	{RC_TOWNSHIP, "所属乡镇"},   {RC_VILLAGE, "村（社区）"},     {RC_HOUSEHOLD, "户编号"},
	{RC_NAME, "姓名"},           {RC_GENDER, "性别"},            {RC_ID, "身份证号码"},
	{RC_RELATION, "与户主关系"}, {RC_ETHNICITY, "民族"},         {RC_POLITICS, "政治面貌"},
	{RC_EDUCATION, "文化程度"},  {RC_HEALTH, "健康状况"},        {RC_LABOR, "劳动技能"},
	{RC_PHONE, "联系电话"},      {RC_HOUSEHOLD_TYPE, "户属性"},  {RC_RELOCATED, "是否易地搬迁"},
	{RC_EMPLOYED, "是否就业"},   {RC_WORK_PLACE, "就业地点"},    {RC_EMPLOYER, "就业单位名称"},
	{RC_WORK_START, "就业时间"}, {RC_INTENT, "未就业人员就业意向"}, {RC_SERVICE, "未就业人员就业服务需求"},
	{RC_TRAINING, "是否有培训意愿"}, {RC_REMARK, "备注"},
};

enum hr_col {
	HC_ID, HC_NAME, HC_GENDER, HC_PHONE, HC_CITY, HC_COUNTY, HC_TOWNSHIP, HC_PERSON_CLASS, HC_STATUS,
	HC_TYPE, HC_PROVINCE, HC_WORK_CITY, HC_WORK_COUNTY, HC_EMPLOYER, HC_WORK_START, HC_RETURNED,
	HC_RETURN_DATE, HC_REGISTERED, HC_UPDATED, HC_ENTERED_BY, HC_EMPLOYER_PLACE, HC_NCOLS
};

static const struct column HR_PLAIN[] = {
	{HC_ID, "证件号码"},        {HC_NAME, "姓名"},          {HC_GENDER, "性别"},
	{HC_PHONE, "联系方式"},     {HC_CITY, "市州"},          {HC_COUNTY, "县市区"},
	{HC_TOWNSHIP, "乡镇"},      {HC_STATUS, "就业状态"},    {HC_TYPE, "就业类型"},
	{HC_PROVINCE, "就业省份"},  {HC_WORK_CITY, "就业城市"}, {HC_WORK_COUNTY, "就业县区"},
	{HC_EMPLOYER, "就业单位名称"}, {HC_WORK_START, "就业时间"}, {HC_RETURNED, "是否返乡回流"},
	{HC_RETURN_DATE, "返乡时间"}, {HC_REGISTERED, "登记时间"}, {HC_UPDATED, "更新时间"},
	{HC_ENTERED_BY, "录入单位"}, {HC_EMPLOYER_PLACE, "用人单位所在地"}, {HC_PERSON_CLASS, "人员类别"},
};

static const struct column HR_REAL[] = {
	{HC_ID, "身份证件号码"},    {HC_NAME, "姓名"},            {HC_GENDER, "性别"},
	{HC_PHONE, "手机号码"},     {HC_CITY, "所属市州"},        {HC_COUNTY, "所属县市区"},
	{HC_TOWNSHIP, "乡镇（街道）"}, {HC_PERSON_CLASS, "人员类别"}, {HC_STATUS, "就业状态"},
	{HC_TYPE, "就业形式"},      {HC_PROVINCE, "务工省份"},    {HC_WORK_CITY, "务工城市"},
	{HC_WORK_COUNTY, "务工县区"}, {HC_EMPLOYER, "务工单位"},  {HC_WORK_START, "务工时间"},
	{HC_RETURNED, "是否返乡"},  {HC_RETURN_DATE, "返乡日期"}, {HC_REGISTERED, "登记日期"},
	{HC_UPDATED, "最后更新时间"}, {HC_ENTERED_BY, "经办机构"}, {HC_EMPLOYER_PLACE, "用工单位所在地"},
};

/* ---- the generator ---- */

struct gen {
	/* options */
	long people;
	uint64_t seed;
	char period[8];
	int end_y, end_m, end_d; /* the period's last day */
	long end;                /* the same, in days */
	int form_real;
	const char *out_dir;
	char data_dir[PATH_MAX];

	struct refdata ref;
	struct places places;
	int *area;               /* chosen villages, in code order */
	long *quota;             /* persons per chosen village */
	int narea;
	char reporting_unit[2 * TEXT_MAX];

	struct rng area_rng, person_rng, damage_rng;
	/* the policy fields added later (population split, employer's place):
	 * their own stream, so that they move nobody else */
	struct rng policy_rng;
	struct kind_state kinds[K_COUNT];
	struct kind_state specials[SPECIAL_COUNT];

	uint64_t *ids;           /* open-addressing set of the 17-digit ID bodies */
	size_t ids_mask;

	struct table_out roster, hr, truth, truth_fields, truth_subsidy;
	long subsidy_rows[32];   /* truth_subsidy.csv rows per rule */
	struct table_out changes;  /* --evolve-from: changes_truth.csv */
	struct evolve *evolve;     /* --evolve-from: the persons of the month before */
	const struct column *roster_cols, *hr_cols;
	size_t nroster_cols, nhr_cols;

	long persons_made;
	long roster_seq;         /* the 序号 column */

	/* --services: the service records and their truth (a stream of their own) */
	int svc_on;
	struct rng svc_rng;
	struct table_out services, svc_truth_out;
	long svc_from, svc_wfrom; /* the 12 months' first day, the period's first Monday */
	int svc_weeks;
	long *svc_truth;          /* per township, ST_COUNT counts */
	long svc_records, svc_counted, svc_unmatched;
	long category[CAT_COUNT];
};

/* ---- dates ---- */

static void date_parts(long days, int *y, int *m, int *d)
{
	datefmt_civil_from_days(days, y, m, d);
}

static void date_iso(long days, char *out, size_t outsz)
{
	int y, m, d;

	date_parts(days, &y, &m, &d);
	textf(out, outsz, "%04d-%02d-%02d", y, m, d);
}

static void datetime_iso(long days, int seconds, char *out, size_t outsz)
{
	int y, m, d;

	date_parts(days, &y, &m, &d);
	textf(out, outsz, "%04d-%02d-%02d %02d:%02d:%02d", y, m, d, seconds / 3600, seconds / 60 % 60,
	      seconds % 60);
}

/* The forms of SPEC §3 as clerks type them; `form` is 0..99. */
static void date_mixed(long days, int form, char *out, size_t outsz)
{
	int y, m, d;

	date_parts(days, &y, &m, &d);
	if (form < 15)
		textf(out, outsz, "%04d-%02d-%02d", y, m, d);
	else if (form < 40)
		textf(out, outsz, "%d/%d/%d", y, m, d);
	else if (form < 55)
		textf(out, outsz, "%d年%d月%d日", y, m, d);
	else if (form < 65)
		textf(out, outsz, "%04d%02d%02d", y, m, d);
	else if (form < 75)
		textf(out, outsz, "%d.%d.%d", y, m, d);
	else if (form < 90)
		textf(out, outsz, "%ld", days + 25569); /* Excel's serial: days since 1899-12-30 */
	else
		textf(out, outsz, "%04d-%02d", y, m);
}

static int age_at_end(const struct gen *g, long birth)
{
	int y, m, d;

	date_parts(birth, &y, &m, &d);
	return g->end_y - y - (g->end_m < m || (g->end_m == m && g->end_d < d));
}

static long sixteenth_birthday(long birth)
{
	int y, m, d;

	date_parts(birth, &y, &m, &d);
	return datefmt_days_from_civil(y + 16, m, d);
}

static long birth_for_age(struct gen *g, struct rng *r, int age)
{
	long hi = datefmt_days_from_civil(g->end_y - age, g->end_m, g->end_d);
	long lo = datefmt_days_from_civil(g->end_y - age - 1, g->end_m, g->end_d) + 1;

	for (int tries = 0; tries < 8; tries++) {
		long b = lo + (long)rng_below(r, (uint32_t)(hi - lo + 1));

		if (age_at_end(g, b) == age)
			return b;
	}
	return hi - 1; /* only a 29 February period end gets here */
}

/* ---- ID numbers ---- */

/* 1 when the birth date in digits 7-14 is one idno accepts: a real date,
 * not before 1900, not after the period. */
static int id_birth_ok(const struct gen *g, const char *id)
{
	int y = 0, m = 0, d = 0;

	for (int i = 6; i < 10; i++)
		y = y * 10 + (id[i] - '0');
	m = (id[10] - '0') * 10 + (id[11] - '0');
	d = (id[12] - '0') * 10 + (id[13] - '0');
	if (!datefmt_valid_ymd(y, m, d) || y < 1900)
		return 0;
	return datefmt_days_from_civil(y, m, d) <= g->end;
}

static uint64_t id_body(const char *id)
{
	uint64_t v = 0;

	for (int i = 0; i < 17; i++)
		v = v * 10 + (uint64_t)(id[i] - '0');
	return v;
}

/* Add to the set of issued IDs; 0 when it was issued already. */
static int ids_add(struct gen *g, uint64_t body)
{
	size_t i = (size_t)((body * UINT64_C(0x9e3779b97f4a7c15)) >> 20) & g->ids_mask;

	while (g->ids[i]) {
		if (g->ids[i] == body)
			return 0;
		i = (i + 1) & g->ids_mask;
	}
	g->ids[i] = body;
	return 1;
}

/* A new ID: home county, birth date, a sequence number whose parity is the
 * gender (odd = male) and that nobody else has, the check character. */
static void id_issue(struct gen *g, struct rng *r, struct person *p)
{
	int y, m, d;
	char buf[40];

	date_parts(p->birth, &y, &m, &d);
	for (;;) {
		int seq = rng_range(r, 0, 499) * 2 + (p->male ? 1 : 0);

		if (seq == 0)
			continue;
		textf(buf, sizeof buf, "%06d%04d%02d%02d%03d", p->township->county_code, y, m, d, seq);
		if (ids_add(g, id_body(buf)))
			break;
	}
	memcpy(p->id, buf, 17);
	p->id[17] = idno_check_char(p->id);
	p->id[18] = '\0';
	if (p->id[17] == 0)
		die_internal("idno_check_char refused 17 digits");
}

/* ---- names, phones ---- */

static void name_generate(struct rng *r, const struct household *hh, int head_surname, int male, int birth_y,
			  char *out, size_t outsz)
{
	const char *surname, *first, *second;
	int old = birth_y < 1980;

	if (hh->uyghur) {
		textf(out, outsz, "%s%s%s", male ? PICK(r, UYGHUR_MALE) : PICK(r, UYGHUR_FEMALE), MIDDLE_DOT,
		      PICK(r, UYGHUR_MALE));
		return;
	}
	surname = head_surname ? hh->surname : wpick(r, &surnames);
	if (male) {
		first = old ? PICK(r, GIVEN_MALE_OLD) : PICK(r, GIVEN_MALE_YOUNG);
		second = old ? PICK(r, GIVEN_MALE_OLD) : PICK(r, GIVEN_MALE_YOUNG);
	} else {
		first = old ? PICK(r, GIVEN_FEMALE_OLD) : PICK(r, GIVEN_FEMALE_YOUNG);
		second = old ? PICK(r, GIVEN_FEMALE_OLD) : PICK(r, GIVEN_FEMALE_YOUNG);
	}
	if (rng_permille(r, 220))
		textf(out, outsz, "%s%s", surname, first);
	else
		textf(out, outsz, "%s%s%s", surname, first, second);
}

static void phone_generate(struct rng *r, char *out, size_t outsz)
{
	textf(out, outsz, "%s%04u%04u", PICK(r, PHONE_PREFIXES), (unsigned)rng_below(r, 10000),
	      (unsigned)rng_below(r, 10000));
}

/* ---- employers ---- */

/* Which special form the next company name takes, or -1 (SPECIAL_*). */
static int special_draw(struct gen *g, struct rng *r)
{
	int best = -1;
	double best_margin = 0;

	for (int i = 0; i < SPECIAL_COUNT; i++) {
		struct kind_state *ks = &g->specials[i];

		ks->acc += ks->rate;
		if (ks->acc >= ks->threshold && (best < 0 || ks->acc - ks->threshold > best_margin)) {
			best = i;
			best_margin = ks->acc - ks->threshold;
		}
	}
	if (best >= 0) {
		g->specials[best].acc -= 1.0;
		g->specials[best].threshold = 1.0 - rng_unit(r);
		g->specials[best].applied++;
	}
	return best;
}

/* special: SPECIAL_* or -1 */
static void company_name(struct rng *r, const struct job *job, const struct person *p, int brand, int special,
			 char *out, size_t outsz)
{
	const char *prefix = region_city_name(job->where);
	const char *b = BRANDS[brand], *trade = PICK(r, TRADES);
	char short_prefix[TEXT_MAX], short_county[TEXT_MAX];
	unsigned form = rng_below(r, 100);

	/* A local firm is named after its county as often as after its city. */
	if (job->cls == CLASS_IN_COUNTY && rng_permille(r, 500))
		prefix = p->township->county;
	short_place_name(prefix, short_prefix, sizeof short_prefix);
	{
		/* GB/T 2260 names some zones with their city: 永州市回龙圩管理区 */
		const char *county = job->where->county;

		if (starts_with(county, job->where->city) && strcmp(county, job->where->city) != 0)
			county += strlen(job->where->city);
		short_place_name(county, short_county, sizeof short_county);
	}
	if (special == SPECIAL_QUOTE) {
		/* a quote inside the name, as some registrations have */
		textf(out, outsz, "%s\"%s\"%s有限公司", prefix, b, trade);
		return;
	}
	if (form < 40)
		textf(out, outsz, "%s%s%s有限公司", prefix, b, trade);
	else if (form < 60)
		textf(out, outsz, "%s%s%s有限责任公司", prefix, b, trade);
	else if (form < 72)
		textf(out, outsz, "%s（%s）%s有限公司", b, short_prefix, trade);
	else if (form < 80)
		textf(out, outsz, "%s%s%s股份有限公司", prefix, b, trade);
	else if (form < 92)
		textf(out, outsz, "%s%s%s", prefix, b, PICK(r, WORKSHOPS));
	else
		textf(out, outsz, "%s%s集团有限公司", b, trade);
	if (special == SPECIAL_COMMA) {
		/* the branch after an ASCII comma, as typed into a platform field */
		size_t n = strlen(out);

		textf(out + n, outsz - n, ",%s分厂", short_county);
	} else if (special == SPECIAL_NEWLINE) {
		/* Alt+Enter inside the Excel cell */
		size_t n = strlen(out);

		textf(out + n, outsz - n, "\n（%s分厂）", short_county);
	}
}

static void employer_generate(struct gen *g, struct rng *r, struct job *job, const struct person *p, int avoid_brand)
{
	int brand;

	do
		brand = (int)rng_below(r, ARRAY_SIZE(BRANDS));
	while (brand == avoid_brand);
	job->brand = brand;
	if (job->type == T_PUBLIC) {
		job->brand = -1;
		if (rng_permille(r, 600))
			textf(job->employer, sizeof job->employer, "%s村民委员会", p->village->name);
		else
			textf(job->employer, sizeof job->employer, "%s人民政府", p->township->name);
	} else if (job->type == T_WORKSHOP) {
		textf(job->employer, sizeof job->employer, "%s%s%s%s", p->township->name, BRANDS[brand],
		      PICK(r, WORKSHOPS), rng_permille(r, 300) ? "（就业帮扶车间）" : "");
	} else if (job->type == T_OWN) {
		textf(job->employer, sizeof job->employer, "%s%s%s",
		      job->cls == CLASS_IN_COUNTY ? p->township->name : region_city_name(job->where), BRANDS[brand],
		      PICK(r, SMALL_BUSINESSES));
	} else if (job->type == T_FLEXIBLE) {
		job->brand = -1;
		textf(job->employer, sizeof job->employer, "%s", rng_permille(r, 400) ? "个体" : "");
	} else {
		/* Only the persons' own stream moves the special clock, so that the
		 * damage settings never change a person's employer. */
		company_name(r, job, p, brand, r == &g->person_rng ? special_draw(g, r) : -1, job->employer,
			     sizeof job->employer);
	}
}

/* ---- jobs ---- */

static int class_draw(struct rng *r)
{
	unsigned x = rng_below(r, 100);

	return x < 45 ? CLASS_OUT_PROVINCE : x < 75 ? CLASS_IN_PROVINCE : CLASS_IN_COUNTY;
}

/* Where, and how the roster writes it.  Every draw is made in both forms so
 * that --form changes how people are written, never who they are. */
static void job_place(struct gen *g, struct rng *r, struct job *job, const struct person *p, int cls)
{
	unsigned detail = rng_below(r, 100);
	int no_county = rng_permille(r, 150);

	job->cls = cls;
	if (cls == CLASS_OUT_PROVINCE)
		job->where = place_out_of_province(&g->places, r);
	else if (cls == CLASS_IN_PROVINCE)
		job->where = place_in_province(&g->places, r, p->township->county_code);
	else
		job->where = p->township->region;
	job->detail = PLACE_FULL;
	job->hr_no_county = 0;
	if (!g->form_real)
		return;
	if (cls == CLASS_OUT_PROVINCE) {
		job->detail = detail < 75 ? PLACE_FULL : detail < 93 ? PLACE_CITY : PLACE_PROVINCE;
		job->hr_no_county = no_county;
	} else if (cls == CLASS_IN_PROVINCE) {
		job->detail = detail < 88 ? PLACE_FULL : PLACE_NO_PROVINCE;
	} else {
		job->detail = detail < 86 ? PLACE_FULL : detail < 96 ? PLACE_NO_PROVINCE
				: detail < 98 ? PLACE_BENXIAN : PLACE_XIANNEI;
	}
}

/* Work start: within ten years and after the 16th birthday, recent more
 * often (the smaller of two uniform draws back from the period end). */
static long work_start_draw(struct gen *g, struct rng *r, const struct person *p, long not_before)
{
	long lo = sixteenth_birthday(p->birth), span;
	uint32_t a, b;

	if (lo < g->end - 3650)
		lo = g->end - 3650;
	if (lo < not_before)
		lo = not_before;
	if (lo > g->end)
		lo = g->end;
	span = g->end - lo;
	a = rng_below(r, (uint32_t)span + 1);
	b = rng_below(r, (uint32_t)span + 1);
	return g->end - (long)(a < b ? a : b);
}

/* 用人单位所在地: for a job with an employer, where the employer is — the
 * work place as a rule, elsewhere (a Hunan firm's site in another
 * province, a branch) at EMPLOYER_ELSEWHERE_PERMILLE, unrecorded at
 * EMPLOYER_UNRECORDED_PERMILLE; a business's own place; the home county for
 * a public-welfare post; none for flexible work.  Drawn from the policy
 * stream. */
static void employer_place_draw(struct gen *g, struct job *job, const struct person *p)
{
	struct rng *r = &g->policy_rng;
	unsigned x = rng_below(r, 1000);

	job->employer_where = NULL;
	if (job->type == T_FLEXIBLE)
		return;
	if (job->type == T_PUBLIC) {
		job->employer_where = p->township->region;
		job->employer_cls = CLASS_IN_COUNTY;
		return;
	}
	if (x < EMPLOYER_UNRECORDED_PERMILLE)
		return;
	job->employer_where = job->where;
	job->employer_cls = job->cls;
	if (job->type == T_OWN || x >= EMPLOYER_UNRECORDED_PERMILLE + EMPLOYER_ELSEWHERE_PERMILLE)
		return;
	/* elsewhere: one of the two classes the work place is not */
	job->employer_cls = (job->cls + 1 + (int)rng_below(r, 2)) % 3;
	job->employer_where = job->employer_cls == CLASS_OUT_PROVINCE ? place_out_of_province(&g->places, r)
			      : job->employer_cls == CLASS_IN_PROVINCE
				      ? place_in_province(&g->places, r, p->township->county_code)
				      : p->township->region;
}

static void job_generate(struct gen *g, struct rng *r, struct job *job, const struct person *p, long not_before)
{
	int cls = class_draw(r);

	memset(job, 0, sizeof *job);
	job->present = 1;
	job_place(g, r, job, p, cls);
	job->type = wpick(r, cls == CLASS_OUT_PROVINCE ? &types_out
			     : cls == CLASS_IN_PROVINCE ? &types_province : &types_county);
	employer_generate(g, r, job, p, -1);
	job->start = work_start_draw(g, r, p, not_before);
	employer_place_draw(g, job, p);
}

/* ---- households and persons ---- */

static int plan_household(struct rng *r, int size, struct member_plan *plan)
{
	int n = 0, head_age = 26 + (int)rng_below(r, 25) + (int)rng_below(r, 25);
	int head_male = rng_permille(r, 860), oldest_child = 0;

	plan[n++] = (struct member_plan){"户主", head_male, head_age, 1};
	if (n < size && rng_permille(r, 850)) {
		int age = head_age + (head_male ? rng_range(r, -6, 3) : rng_range(r, -3, 6));

		age = age < 18 ? 18 : age > 75 ? 75 : age;
		plan[n++] = (struct member_plan){"配偶", !head_male, age, 0};
	}
	for (int tries = 0; n < size && tries < 10; tries++) {
		unsigned what = rng_below(r, 10);
		int male = (int)rng_below(r, 2), age;

		if (what < 6) {
			age = head_age - rng_range(r, 21, 36);
			if (age < 16)
				continue;
			if (age > oldest_child)
				oldest_child = age;
			plan[n++] = (struct member_plan){male ? "之子" : "之女", male, age,
							 head_male || rng_permille(r, 700)};
		} else if (what < 7) {
			age = head_age + rng_range(r, 21, 32);
			if (age > 75)
				continue;
			plan[n++] = (struct member_plan){male ? "之父" : "之母", male, age, male && head_male};
		} else if (what < 9) {
			if (oldest_child < 22)
				continue;
			age = oldest_child + rng_range(r, -3, 3);
			/* sons-in-law marry in rarely */
			male = rng_permille(r, 150);
			plan[n++] = (struct member_plan){male ? "之女婿" : "之儿媳", male, age < 18 ? 18 : age, 0};
		} else {
			age = head_age - rng_range(r, 44, 58);
			if (age < 16)
				continue;
			plan[n++] = (struct member_plan){male ? "之孙子" : "之孙女", male, age, head_male};
		}
	}
	return n;
}

static const char *ethnicity_draw(struct rng *r, int city_code)
{
	switch (city_code) {
	case 4331: return wpick(r, &ethnic_xiangxi);
	case 4308: return wpick(r, &ethnic_zhangjiajie);
	case 4312: return wpick(r, &ethnic_huaihua);
	case 4311: return wpick(r, &ethnic_yongzhou);
	case 4310: return wpick(r, &ethnic_chenzhou);
	case 4305: return wpick(r, &ethnic_shaoyang);
	case 4307: return wpick(r, &ethnic_changde);
	default: return wpick(r, &ethnic_other);
	}
}

static void household_start(struct gen *g, struct household *hh, const struct village *v, int seq)
{
	struct rng *r = &g->person_rng;

	memset(hh, 0, sizeof *hh);
	hh->seq = seq;
	textf(hh->id, sizeof hh->id, "H%s-%04d", v->code, seq);
	hh->uyghur = rng_permille(r, 5);
	hh->surname = wpick(r, &surnames);
	hh->ethnicity = hh->uyghur ? "维吾尔族" : ethnicity_draw(r, g->ref.townships[v->township].city_code);
	hh->household_type = rng_permille(r, 930) ? HT_EXITED : HT_MONITORED;
	hh->relocated = rng_permille(r, 120) ? "是" : "否";
	/* 农村低收入人口 (民政 low-income households) among those not monitored */
	if (hh->household_type == HT_EXITED && rng_permille(&g->policy_rng, LOW_INCOME_PERMILLE))
		hh->household_type = HT_LOW_INCOME;
}

static const char *labor_ability_draw(struct rng *r, int age, const char *health)
{
	if (strcmp(health, "患有大病") == 0 || strcmp(health, "残疾") == 0)
		return rng_permille(r, 550) ? LA_LOST : LA_WEAK;
	if (age <= 18 && rng_permille(r, 500))
		return LA_NONE; /* still at school */
	if (age > 65) {
		unsigned x = rng_below(r, 100);

		return x < 45 ? LA_WEAK : x < 60 ? LA_LOST : x < 70 ? LA_NONE : LA_NORMAL;
	}
	if (strcmp(health, "长期慢性病") == 0)
		return rng_permille(r, 500) ? LA_WEAK : LA_NORMAL;
	return rng_permille(r, 780) ? LA_NORMAL : LA_SKILLED;
}

static int can_work(const char *labor_ability)
{
	return labor_ability != LA_LOST && labor_ability != LA_NONE;
}

static void person_generate(struct gen *g, struct person *p, const struct village *v, struct household *hh,
			    const struct member_plan *m)
{
	struct rng *r = &g->person_rng;
	int age, labour_age, able, weak;
	unsigned employ_permille = 0;
	long sixteen;

	memset(p, 0, sizeof *p);
	p->number = ++g->persons_made;
	p->village = v;
	p->township = &g->ref.townships[v->township];
	textf(p->household_id, sizeof p->household_id, "%s", hh->id);
	p->household_seq = hh->seq;
	p->relation = m->relation;
	p->male = m->male;
	p->birth = birth_for_age(g, r, m->age);
	date_parts(p->birth, &p->birth_y, &(int){0}, &(int){0});
	age = age_at_end(g, p->birth);
	id_issue(g, r, p);
	name_generate(r, hh, m->head_surname, p->male, p->birth_y, p->name, sizeof p->name);
	p->ethnicity = hh->ethnicity;
	if (age <= 28)
		p->politics = rng_permille(r, 200) ? "共青团员" : rng_permille(r, 25) ? "中共党员" : "群众";
	else
		p->politics = rng_permille(r, 50) ? "中共党员" : "群众";
	p->education = wpick(r, p->birth_y < 1965 ? &edu_before_1965 : p->birth_y < 1985 ? &edu_before_1985 : &edu_later);
	p->health = wpick(r, age < 45 ? &health_young : age <= 60 ? &health_middle : &health_old);
	p->labor_ability = labor_ability_draw(r, age, p->health);
	/* The old and the young often give the head's number. */
	if ((age >= 65 || age <= 18) && hh->head_phone[0] && rng_permille(r, 500))
		textf(p->phone, sizeof p->phone, "%s", hh->head_phone);
	else
		phone_generate(r, p->phone, sizeof p->phone);
	if (strcmp(m->relation, "户主") == 0)
		textf(hh->head_phone, sizeof hh->head_phone, "%s", p->phone);
	p->household_type = hh->household_type;
	p->relocated = hh->relocated;

	labour_age = age >= 16 && age <= 60;
	able = p->labor_ability == LA_NORMAL || p->labor_ability == LA_SKILLED;
	weak = p->labor_ability == LA_WEAK;
	if (able && labour_age)
		employ_permille = 650;
	else if (weak && labour_age)
		employ_permille = 300;
	else if (able)
		employ_permille = 200;
	sixteen = sixteenth_birthday(p->birth);
	if (rng_permille(r, employ_permille))
		job_generate(g, r, &p->job, p, 0);
	/* Returnees (返乡回流): back from work elsewhere in the last 18 months;
	 * working locally now or looking. */
	if ((able || weak) && labour_age && (!p->job.present || p->job.cls != CLASS_OUT_PROVINCE) &&
	    rng_permille(r, p->job.present ? 120 : 200)) {
		long back = g->end - (long)rng_below(r, 540);

		if (back > sixteen + 365) {
			p->returned = 1;
			p->return_date = back;
			if (p->job.present && p->job.start < back)
				p->job.start = work_start_draw(g, r, p, back);
		}
	}
	if (p->job.present)
		p->hr_status = HR_EMPLOYED;
	else if ((able || weak) && labour_age && (p->returned || rng_permille(r, 250)))
		p->hr_status = HR_JOBLESS;
	else
		p->hr_status = HR_NOT_EMPLOYED;
	if (!p->job.present && (able || weak) && labour_age) {
		p->intent = rng_permille(r, 550) ? "县内" : "县外";
		p->service_need = wpick(r, &service_needs);
	} else {
		p->intent = "";
		p->service_need = "";
	}
	p->training_intent = able && labour_age && rng_permille(r, 350) ? "是" : "否";
	/* On the platform since it opened (2016), after the 16th birthday. */
	{
		long lo = datefmt_days_from_civil(2016, 3, 1), hi = g->end - 20;

		if (lo < sixteen)
			lo = sixteen;
		if (lo > hi)
			lo = hi;
		p->registered = lo + (long)rng_below(r, (uint32_t)(hi - lo + 1));
		p->registered_s = 8 * 3600 + (int)rng_below(r, 10 * 3600);
		lo = p->registered > g->end - 400 ? p->registered : g->end - 400;
		p->updated = lo + (long)rng_below(r, (uint32_t)(g->end - lo + 1));
		p->updated_s = 8 * 3600 + (int)rng_below(r, 10 * 3600);
		if (p->updated == p->registered && p->updated_s < p->registered_s)
			p->updated_s = p->registered_s;
	}
	p->date_form = (int)rng_below(r, 100);
	{
		unsigned x = rng_below(r, 1000);

		p->remark = x < 10 ? "已电话回访,情况属实" : x < 20 ? "户主代填，本人在外务工"
			    : x < 25 ? "电话\"空号\"，待核实" : "";
	}
}

/* ---- damage: IDs ---- */

static void id_recheck(char *id)
{
	id[17] = idno_check_char(id);
	if (id[17] == 0)
		die_internal("idno_check_char refused 17 digits");
}

/* One digit typed wrong (outside the province and the gender digit), the
 * birth date still possible: only the check character gives it away. */
static int id_typo(const struct gen *g, struct rng *r, const char *id, char *out)
{
	for (int tries = 0; tries < 50; tries++) {
		char t[19];
		int pos = 2 + (int)rng_below(r, 15);

		memcpy(t, id, 19);
		if (pos == 16)
			pos = 17;
		if (pos == 17) {
			static const char CHECK_CHARS[] = "0123456789X";
			char c;

			do
				c = CHECK_CHARS[rng_below(r, 11)];
			while (c == t[17]);
			t[17] = c;
		} else {
			char c = (char)('0' + rng_below(r, 9));

			if (c >= t[pos])
				c++;
			t[pos] = c;
		}
		if (!id_birth_ok(g, t) || idno_check_char(t) == t[17])
			continue;
		memcpy(out, t, 19);
		return 0;
	}
	return -1;
}

/* Two different adjacent digits swapped; MOD 11-2 has no two equal
 * neighbouring weights, so the check always fails — verified anyway. */
static int id_transposition(const struct gen *g, struct rng *r, const char *id, char *out)
{
	for (int tries = 0; tries < 50; tries++) {
		char t[19], c;
		int pos = 2 + (int)rng_below(r, 13); /* pairs (2,3) .. (14,15) */

		memcpy(t, id, 19);
		if (t[pos] == t[pos + 1])
			continue;
		c = t[pos];
		t[pos] = t[pos + 1];
		t[pos + 1] = c;
		if (!id_birth_ok(g, t) || idno_check_char(t) == t[17])
			continue;
		memcpy(out, t, 19);
		return 0;
	}
	return -1;
}

/* Excel's General format shows six significant digits: 4.30124E+17. */
static void id_scientific(const char *id, char *out, size_t outsz)
{
	unsigned long first7 = 0, m;
	char digits[16];
	int n;

	for (int i = 0; i < 7; i++)
		first7 = first7 * 10 + (unsigned long)(id[i] - '0');
	m = (first7 + 5) / 10;
	textf(digits, sizeof digits, "%lu", m);
	n = (int)strlen(digits);
	while (n > 1 && digits[n - 1] == '0')
		digits[--n] = '\0';
	if (n == 1)
		textf(out, outsz, "%sE+%d", digits, 17 + (m >= 1000000));
	else
		textf(out, outsz, "%c.%sE+%d", digits[0], digits + 1, 17 + (m >= 1000000));
}

/* Excel keeps 15 significant digits and sets the rest to 0: truncation,
 * not rounding (Microsoft KB 269370), so 431228196408161963 becomes
 * 431228196408161000. */
static int id_rounded(const char *id, char *out)
{
	uint64_t first16 = 0, m;
	char t[40];

	if (id[17] == 'X')
		return -1; /* text to Excel, never rounded */
	for (int i = 0; i < 16; i++)
		first16 = first16 * 10 + (uint64_t)(id[i] - '0');
	m = first16 / 10;
	textf(t, sizeof t, "%llu000", (unsigned long long)m);
	/* Only a number that changed and now fails its check is damage one can
	 * see; a rounded number that happens to be valid is someone else. */
	if (strlen(t) != 18 || strcmp(t, id) == 0 || idno_check_char(t) == t[17])
		return -1;
	memcpy(out, t, 19);
	return 0;
}

static void id_bad_length(struct rng *r, const char *id, char *out, size_t outsz)
{
	int pos = 6 + (int)rng_below(r, 11);

	if (rng_permille(r, 500))
		textf(out, outsz, "%.*s%s", pos, id, id + pos + 1); /* a digit lost */
	else
		textf(out, outsz, "%.*s%c%s", pos, id, (char)('0' + rng_below(r, 10)), id + pos); /* one too many */
}

/* Impossible, pre-1900 or future birth date, check character recomputed so
 * that the date is the only thing wrong. */
static void id_bad_birth(struct rng *r, const char *id, char *out)
{
	static const char *const IMPOSSIBLE[] = {"1301", "0015", "0132", "0230", "1100", "0431", "0931", "0000"};
	char t[19];
	unsigned x = rng_below(r, 10);

	memcpy(t, id, 19);
	if (x < 6) {
		memcpy(t + 10, PICK(r, IMPOSSIBLE), 4);
	} else if (x < 8) {
		t[6] = '1';
		t[7] = '8';
	} else {
		memcpy(t + 6, "209", 3);
		t[9] = (char)('5' + rng_below(r, 5));
	}
	id_recheck(t);
	memcpy(out, t, 19);
}

/* First two digits that are no province of GB/T 2260 (11-15, 21-23, 31-37,
 * 41-46, 50-54, 61-65, 71, 81, 82 are). */
static void id_bad_province(struct rng *r, const char *id, char *out)
{
	static const char *const NOT_PROVINCES[] = {
		"00", "10", "19", "20", "24", "27", "30", "38", "40", "47", "49", "55",
		"60", "66", "68", "70", "72", "80", "84", "88", "90", "93", "96", "99"};
	char t[19];

	memcpy(t, id, 19);
	memcpy(t, PICK(r, NOT_PROVINCES), 2);
	id_recheck(t);
	memcpy(out, t, 19);
}

/* Harmless forms: normalisation (SPEC §4) gives the ID back. */
static void id_format_variant(struct rng *r, const char *id, char *out, size_t outsz)
{
	unsigned x = rng_below(r, id[17] == 'X' ? 5 : 4);

	if (x == 0) {
		textf(out, outsz, "'%s", id);
	} else if (x == 1) {
		/* full-width digits U+FF10.., Ｘ U+FF38 */
		size_t n = 0;

		for (int i = 0; i < 18; i++) {
			if (n + 4 > outsz)
				die_internal("full-width ID overflow");
			out[n++] = '\xef';
			out[n++] = '\xbc';
			out[n++] = id[i] == 'X' ? '\xb8' : (char)(0x90 + (id[i] - '0'));
		}
		out[n] = '\0';
	} else if (x == 2) {
		textf(out, outsz, "%.6s %.8s %.4s", id, id + 6, id + 14);
	} else if (x == 3) {
		textf(out, outsz, "'%.6s %.12s", id, id + 6);
	} else {
		textf(out, outsz, "%.17sx", id);
	}
}

/* ---- damage: names, employers, phones ---- */

static void name_slip(struct rng *r, char *name, size_t namesz)
{
	int n = utf8_count(name);

	for (int tries = 0; tries < 20; tries++) {
		int i = strstr(name, MIDDLE_DOT) ? (int)rng_below(r, (uint32_t)n) : 1 + (int)rng_below(r, (uint32_t)(n - 1));
		size_t at = utf8_offset(name, i), len = utf8_char_len(name + at);
		const char *slip = PICK(r, NAME_SLIPS);

		if ((len == strlen(slip) && memcmp(name + at, slip, len) == 0) ||
		    (len == strlen(MIDDLE_DOT) && memcmp(name + at, MIDDLE_DOT, len) == 0))
			continue;
		splice(name, namesz, at, len, slip);
		return;
	}
	die_internal("no name slip found");
}

/* Spaces inside the name, or another middle dot (SPEC §5: not a conflict). */
static void name_reformat(struct rng *r, char *name, size_t namesz)
{
	static const char *const DOTS[] = {"\xe2\x80\xa2", "\xef\xbc\x8e", "\xe3\x83\xbb", " \xc2\xb7 "};
	static const char *const SPACES[] = {" ", " ", "\xe3\x80\x80", "\xc2\xa0"};
	char *dot = strstr(name, MIDDLE_DOT);

	if (dot) {
		splice(name, namesz, (size_t)(dot - name), strlen(MIDDLE_DOT), PICK(r, DOTS));
	} else {
		int n = utf8_count(name);

		splice(name, namesz, utf8_offset(name, 1 + (int)rng_below(r, (uint32_t)(n - 1))), 0, PICK(r, SPACES));
	}
}

static void replace_all(char *s, size_t sz, const char *from, const char *to)
{
	char *p;
	size_t at = 0;

	while ((p = strstr(s + at, from)) != NULL) {
		at = (size_t)(p - s);
		splice(s, sz, at, strlen(from), to);
		at += strlen(to);
	}
}

/* 有限公司 vs 有限责任公司, （） vs (), a space: the same employer (SPEC §5). */
static void employer_reformat(struct rng *r, char *s, size_t sz)
{
	int suffix = ends_with(s, "有限责任公司") || (ends_with(s, "有限公司") && !ends_with(s, "股份有限公司"));
	int brackets = strstr(s, "（") || strchr(s, '(');
	unsigned x = rng_below(r, 3);

	if (x == 0 && suffix) {
		if (ends_with(s, "有限责任公司"))
			strcpy(s + strlen(s) - strlen("有限责任公司"), "有限公司");
		else if (strlen(s) + strlen("责任") < sz)
			strcpy(s + strlen(s) - strlen("公司"), "责任公司");
	} else if (x == 1 && brackets) {
		if (strstr(s, "（")) {
			replace_all(s, sz, "（", "(");
			replace_all(s, sz, "）", ")");
		} else {
			replace_all(s, sz, "(", "（");
			replace_all(s, sz, ")", "）");
		}
	} else {
		int n = utf8_count(s);

		splice(s, sz, utf8_offset(s, 1 + (int)rng_below(r, (uint32_t)(n - 1))), 0,
		       rng_permille(r, 700) ? " " : "\xe3\x80\x80");
	}
}

/* ---- deciding and applying the kinds ---- */

/* A person the kind can apply to moves the kind's clock; 1 when it is due.
 * The margin says how overdue, to choose among exclusive kinds. */
static int kind_tick(struct gen *g, enum kind k, double *margin)
{
	struct kind_state *ks = &g->kinds[k];

	if (ks->rate <= 0)
		return 0;
	ks->acc += ks->rate;
	*margin = ks->acc - ks->threshold;
	return ks->acc >= ks->threshold;
}

static void kind_fire(struct gen *g, enum kind k, uint32_t *kinds)
{
	struct kind_state *ks = &g->kinds[k];

	ks->acc -= 1.0;
	ks->threshold = 1.0 - rng_unit(&g->damage_rng);
	ks->applied++;
	*kinds |= KBIT(k);
}

/* Fire the most overdue of the due kinds among `from..to` that `ok` allows. */
static void kinds_exclusive(struct gen *g, int from, int to, uint32_t ok, uint32_t *kinds)
{
	int best = -1;
	double best_margin = 0;

	for (int k = from; k <= to; k++) {
		double margin;

		if ((ok & KBIT(k)) && kind_tick(g, (enum kind)k, &margin) && (best < 0 || margin > best_margin)) {
			best = k;
			best_margin = margin;
		}
	}
	if (best >= 0)
		kind_fire(g, (enum kind)best, kinds);
}

static void kind_maybe(struct gen *g, enum kind k, int ok, uint32_t *kinds)
{
	double margin;

	if (ok && kind_tick(g, k, &margin))
		kind_fire(g, k, kinds);
}

static uint32_t kinds_decide(struct gen *g, const struct person *p)
{
	uint32_t kinds = 0, ok = STRUCTURAL_KINDS;
	char scratch[19];
	int employed = p->job.present, has_employer = employed && p->job.employer[0];
	int in_both;

	if (p->id[17] == 'X')
		ok &= ~(KBIT(K_EXCEL_SCIENTIFIC) | KBIT(K_EXCEL_ROUNDED));
	else if (id_rounded(p->id, scratch) != 0)
		ok &= ~KBIT(K_EXCEL_ROUNDED);
	kinds_exclusive(g, K_ROSTER_ONLY, K_BAD_PROVINCE, ok, &kinds);
	if (!(kinds & ID_BREAKING_KINDS))
		kinds_exclusive(g, K_ID_FORMAT, K_ID_LEGACY15,
				KBIT(K_ID_FORMAT) | (p->birth_y <= 1999 ? KBIT(K_ID_LEGACY15) : 0), &kinds);
	in_both = !(kinds & (KBIT(K_ROSTER_ONLY) | KBIT(K_HR_ONLY)));
	if (!(kinds & STRUCTURAL_KINDS)) {
		kind_maybe(g, K_CONFLICT_NAME, 1, &kinds);
		kind_maybe(g, K_CONFLICT_GENDER, 1, &kinds);
		kind_maybe(g, K_CONFLICT_EMPLOYED, can_work(p->labor_ability), &kinds);
		/* Public-welfare posts and assistance workshops are local by nature. */
		kind_maybe(g, K_CONFLICT_REGION,
			   employed && !(kinds & KBIT(K_CONFLICT_EMPLOYED)) && p->job.type != T_PUBLIC &&
				   p->job.type != T_WORKSHOP,
			   &kinds);
		kind_maybe(g, K_CONFLICT_EMPLOYER, has_employer && !(kinds & KBIT(K_CONFLICT_EMPLOYED)), &kinds);
		kind_maybe(g, K_CONFLICT_PHONE, 1, &kinds);
	}
	kind_maybe(g, K_NAME_FORMAT, in_both && !(kinds & KBIT(K_CONFLICT_NAME)), &kinds);
	kind_maybe(g, K_EMPLOYER_FORMAT,
		   in_both && has_employer && utf8_count(p->job.employer) >= 2 &&
			   !(kinds & (KBIT(K_CONFLICT_EMPLOYER) | KBIT(K_CONFLICT_EMPLOYED))),
		   &kinds);
	kind_maybe(g, K_GENDER_MISMATCH, !(kinds & KBIT(K_CONFLICT_GENDER)), &kinds);
	return kinds;
}

struct record {
	struct person v; /* the values this source writes */
	char id_raw[96];
};

static struct record *side_draw(struct rng *r, uint32_t kinds, struct record *ros, struct record *hr)
{
	if (kinds & KBIT(K_ROSTER_ONLY))
		return ros;
	if (kinds & KBIT(K_HR_ONLY))
		return hr;
	return rng_below(r, 2) ? hr : ros;
}

static void id_damage(struct gen *g, struct rng *r, uint32_t kinds, const char *id, char *out, size_t outsz)
{
	char t[19], up[19];

	if (kinds & KBIT(K_ID_TYPO)) {
		if (id_typo(g, r, id, t) != 0)
			die_internal("no ID typo found");
		textf(out, outsz, "%s", t);
	} else if (kinds & KBIT(K_ID_TRANSPOSITION)) {
		if (id_transposition(g, r, id, t) != 0)
			die_internal("no ID transposition found");
		textf(out, outsz, "%s", t);
	} else if (kinds & KBIT(K_EXCEL_SCIENTIFIC)) {
		id_scientific(id, out, outsz);
	} else if (kinds & KBIT(K_EXCEL_ROUNDED)) {
		if (id_rounded(id, t) != 0)
			die_internal("excel_rounded chosen for an ID it cannot damage");
		textf(out, outsz, "%s", t);
	} else if (kinds & KBIT(K_BAD_LENGTH)) {
		id_bad_length(r, id, out, outsz);
	} else if (kinds & KBIT(K_BAD_BIRTH)) {
		id_bad_birth(r, id, t);
		textf(out, outsz, "%s", t);
	} else if (kinds & KBIT(K_BAD_PROVINCE)) {
		id_bad_province(r, id, t);
		textf(out, outsz, "%s", t);
	} else if (kinds & KBIT(K_ID_LEGACY15)) {
		textf(out, outsz, "%.6s%.9s", id, id + 8);
		/* the truth says the upgrade gives the true ID: make sure */
		if (idno_upgrade15(out, up) != 0 || strcmp(up, id) != 0)
			die_internal("a 15-digit ID does not upgrade to its person's ID");
	} else if (kinds & KBIT(K_ID_FORMAT)) {
		id_format_variant(r, id, out, outsz);
	}
}

/* Make `job` (of the side that conflicts) name a place of another
 * work-region class; the platform's employment type follows the place. */
static void job_relocate(struct gen *g, struct rng *r, struct job *job, const struct person *p, int retype)
{
	int cls;

	do
		cls = class_draw(r);
	while (cls == job->cls);
	job_place(g, r, job, p, cls);
	if (retype)
		job->type = cls == CLASS_IN_COUNTY ? T_NEARBY : T_MIGRANT;
}

static void records_build(struct gen *g, const struct person *p, uint32_t kinds, struct record *ros,
			  struct record *hr)
{
	struct rng *r = &g->damage_rng;
	struct record *side;

	ros->v = *p;
	hr->v = *p;
	textf(ros->id_raw, sizeof ros->id_raw, "%s", p->id);
	textf(hr->id_raw, sizeof hr->id_raw, "%s", p->id);
	if (kinds & (ID_BREAKING_KINDS | KBIT(K_ID_FORMAT) | KBIT(K_ID_LEGACY15))) {
		side = side_draw(r, kinds, ros, hr);
		id_damage(g, r, kinds, p->id, side->id_raw, sizeof side->id_raw);
	}
	if (kinds & KBIT(K_CONFLICT_NAME)) {
		side = side_draw(r, kinds, ros, hr);
		name_slip(r, side->v.name, sizeof side->v.name);
	}
	if (kinds & KBIT(K_CONFLICT_GENDER)) {
		side = side_draw(r, kinds, ros, hr);
		side->v.male = !side->v.male;
	}
	if (kinds & KBIT(K_CONFLICT_EMPLOYED)) {
		side = side_draw(r, kinds, ros, hr);
		if (p->job.present) {
			side->v.job.present = 0;
			side->v.hr_status = rng_permille(r, 300) ? HR_JOBLESS : HR_NOT_EMPLOYED;
			side->v.intent = rng_permille(r, 550) ? "县内" : "县外";
			side->v.service_need = wpick(r, &service_needs);
		} else {
			job_generate(g, r, &side->v.job, p, g->end - 730);
			side->v.hr_status = HR_EMPLOYED;
			side->v.intent = "";
			side->v.service_need = "";
		}
	}
	if (kinds & KBIT(K_CONFLICT_REGION)) {
		side = side_draw(r, kinds, ros, hr);
		job_relocate(g, r, &side->v.job, p, side == hr);
	}
	if (kinds & KBIT(K_CONFLICT_EMPLOYER)) {
		side = side_draw(r, kinds, ros, hr);
		/* a company with another trade name: really someone else */
		company_name(r, &side->v.job, p,
			     (p->job.brand + 1 + (int)rng_below(r, ARRAY_SIZE(BRANDS) - 1)) % (int)ARRAY_SIZE(BRANDS), -1,
			     side->v.job.employer, sizeof side->v.job.employer);
	}
	if (kinds & KBIT(K_CONFLICT_PHONE)) {
		side = side_draw(r, kinds, ros, hr);
		do
			phone_generate(r, side->v.phone, sizeof side->v.phone);
		while (strcmp(side->v.phone, p->phone) == 0);
	}
	if (kinds & KBIT(K_NAME_FORMAT)) {
		side = side_draw(r, kinds, ros, hr);
		name_reformat(r, side->v.name, sizeof side->v.name);
	}
	if (kinds & KBIT(K_EMPLOYER_FORMAT)) {
		side = side_draw(r, kinds, ros, hr);
		employer_reformat(r, side->v.job.employer, sizeof side->v.job.employer);
	}
	if (kinds & KBIT(K_GENDER_MISMATCH)) {
		/* the person's declared gender, the same in both sources; the ID's
		 * sequence digit says otherwise */
		ros->v.male = !p->male;
		hr->v.male = !p->male;
	}
}

/* The second row of a duplicated person: half the time a plain copy, else
 * with what a second registration changes. */
static void duplicate_make(struct gen *g, const struct record *orig, struct record *dup, int roster)
{
	struct rng *r = &g->damage_rng;
	unsigned x = rng_below(r, 10);

	*dup = *orig;
	if (x == 5 || x == 6) {
		phone_generate(r, dup->v.phone, sizeof dup->v.phone);
	} else if (x >= 7) {
		if (roster) {
			textf(dup->v.household_id, sizeof dup->v.household_id, "H%s-%04d", orig->v.village->code,
			      orig->v.household_seq + rng_range(r, 1, 30));
		} else {
			dup->v.updated = orig->v.updated + rng_range(r, 1, 60);
			if (dup->v.updated > g->end)
				dup->v.updated = g->end;
			dup->v.updated_s = 8 * 3600 + (int)rng_below(r, 10 * 3600);
		}
	}
	if (strcmp(orig->id_raw, orig->v.id) == 0 && rng_permille(r, 300))
		textf(dup->id_raw, sizeof dup->id_raw, rng_permille(r, 500) ? "'%s" : "%s ", orig->v.id);
}

static enum category category_of(uint32_t kinds)
{
	if (kinds & ID_BREAKING_KINDS)
		return CAT_INVALID_ID;
	if (kinds & (KBIT(K_DUPLICATE_ROSTER) | KBIT(K_DUPLICATE_HR)))
		return CAT_DUPLICATE;
	if (kinds & KBIT(K_ROSTER_ONLY))
		return CAT_ROSTER_ONLY;
	if (kinds & KBIT(K_HR_ONLY))
		return CAT_HR_ONLY;
	for (int k = K_CONFLICT_NAME; k <= K_CONFLICT_PHONE; k++)
		if (kinds & KBIT(k))
			return CAT_CONFLICT;
	return CAT_CONSISTENT;
}

/* ---- writing rows ---- */

static void work_place_text(const struct job *job, char *out, size_t outsz)
{
	const struct region *w = job->where;
	const char *city = region_has_city(w) ? w->city : "";
	const char *county = strcmp(w->county, region_city_name(w)) == 0 ? "" : w->county;

	switch (job->detail) {
	case PLACE_CITY:
		textf(out, outsz, "%s%s", w->province, region_has_city(w) ? w->city : county);
		break;
	case PLACE_PROVINCE:
		textf(out, outsz, "%s", w->province);
		break;
	case PLACE_NO_PROVINCE:
		textf(out, outsz, "%s%s", region_city_name(w), county);
		break;
	case PLACE_BENXIAN:
		textf(out, outsz, "本县");
		break;
	case PLACE_XIANNEI:
		textf(out, outsz, "县内");
		break;
	default:
		textf(out, outsz, "%s%s%s", w->province, city, county);
	}
}

static void roster_write(struct gen *g, const struct record *rec)
{
	const struct person *v = &rec->v;
	const struct job *job = v->job.present ? &v->job : NULL;
	char buf[EMPLOYER_MAX];

	g->roster_seq++;
	for (size_t i = 0; i < g->nroster_cols; i++) {
		const char *s = "";

		buf[0] = '\0';
		switch (g->roster_cols[i].col) {
		case RC_SEQ: textf(buf, sizeof buf, "%ld", g->roster_seq); s = buf; break;
		case RC_ID: s = rec->id_raw; break;
		case RC_NAME: s = v->name; break;
		case RC_GENDER: s = v->male ? "男" : "女"; break;
		case RC_ETHNICITY: s = v->ethnicity; break;
		case RC_POLITICS: s = v->politics; break;
		case RC_EDUCATION: s = v->education; break;
		case RC_HEALTH: s = v->health; break;
		case RC_LABOR: s = v->labor_ability; break;
		case RC_PHONE: s = v->phone; break;
		case RC_CITY: s = v->township->city; break;
		case RC_COUNTY: s = v->township->county; break;
		case RC_TOWNSHIP: s = v->township->name; break;
		case RC_VILLAGE: s = v->village->name; break;
		case RC_HOUSEHOLD: s = v->household_id; break;
		case RC_RELATION: s = v->relation; break;
		case RC_EMPLOYED: s = job ? "是" : "否"; break;
		case RC_WORK_PLACE:
			if (job)
				work_place_text(job, buf, sizeof buf);
			s = buf;
			break;
		case RC_EMPLOYER: s = job ? job->employer : ""; break;
		case RC_WORK_START:
			if (job && g->form_real)
				date_mixed(job->start, v->date_form, buf, sizeof buf);
			else if (job)
				date_iso(job->start, buf, sizeof buf);
			s = buf;
			break;
		case RC_INTENT: s = v->intent; break;
		case RC_SERVICE: s = v->service_need; break;
		case RC_TRAINING: s = v->training_intent; break;
		case RC_HOUSEHOLD_TYPE: s = v->household_type; break;
		case RC_RELOCATED: s = v->relocated; break;
		case RC_REMARK: s = v->remark; break;
		}
		table_field(&g->roster, s);
	}
	table_end_row(&g->roster);
}

/* "湖南省长沙市雨花区": province, city and county as the platform writes a place. */
static void region_full_name(const struct region *w, char *out, size_t outsz)
{
	const char *city = region_has_city(w) ? w->city : "";
	const char *county = strcmp(w->county, region_city_name(w)) == 0 ? "" : w->county;

	textf(out, outsz, "%s%s%s", w->province, city, county);
}

static void hr_write(struct gen *g, const struct record *rec)
{
	static const char *const STATUS[] = {"已就业", "未就业", "失业"};
	const struct person *v = &rec->v;
	const struct job *job = v->job.present ? &v->job : NULL;
	const struct region *w = job ? job->where : NULL;
	char buf[256];

	for (size_t i = 0; i < g->nhr_cols; i++) {
		const char *s = "";

		buf[0] = '\0';
		switch (g->hr_cols[i].col) {
		case HC_ID: s = rec->id_raw; break;
		case HC_NAME: s = v->name; break;
		case HC_GENDER: s = v->male ? "男" : "女"; break;
		case HC_PHONE: s = v->phone; break;
		case HC_CITY: s = v->township->city; break;
		case HC_COUNTY: s = v->township->county; break;
		case HC_TOWNSHIP: s = v->township->name; break;
		case HC_PERSON_CLASS:
			s = v->household_type == HT_EXITED ? "脱贫劳动力"
			    : v->household_type == HT_MONITORED ? "监测对象劳动力" : "农村低收入人口";
			break;
		case HC_STATUS: s = STATUS[v->hr_status]; break;
		case HC_TYPE: s = job ? job->type : ""; break;
		case HC_PROVINCE: s = w ? w->province : ""; break;
		case HC_WORK_CITY: s = w ? region_city_name(w) : ""; break;
		case HC_WORK_COUNTY:
			if (w && !job->hr_no_county && strcmp(w->county, region_city_name(w)) != 0)
				s = w->county;
			break;
		case HC_EMPLOYER: s = job ? job->employer : ""; break;
		case HC_WORK_START:
			if (job)
				date_iso(job->start, buf, sizeof buf);
			s = buf;
			break;
		case HC_RETURNED: s = v->returned ? "是" : "否"; break;
		case HC_RETURN_DATE:
			if (v->returned)
				date_iso(v->return_date, buf, sizeof buf);
			s = buf;
			break;
		case HC_REGISTERED:
			if (g->form_real)
				datetime_iso(v->registered, v->registered_s, buf, sizeof buf);
			else
				date_iso(v->registered, buf, sizeof buf);
			s = buf;
			break;
		case HC_UPDATED:
			if (g->form_real)
				datetime_iso(v->updated, v->updated_s, buf, sizeof buf);
			else
				date_iso(v->updated, buf, sizeof buf);
			s = buf;
			break;
		case HC_ENTERED_BY:
			textf(buf, sizeof buf, "%s人社局", v->township->county);
			s = buf;
			break;
		case HC_EMPLOYER_PLACE:
			if (job && job->employer_where)
				region_full_name(job->employer_where, buf, sizeof buf);
			s = buf;
			break;
		}
		table_field(&g->hr, s);
	}
	table_end_row(&g->hr);
}

static void truth_write(struct gen *g, const struct person *p, uint32_t kinds, enum category cat,
			const struct record *ros, const struct record *hr)
{
	char key[24];
	struct strbuf list;
	int in_roster = !(kinds & KBIT(K_HR_ONLY)), in_hr = !(kinds & KBIT(K_ROSTER_ONLY));

	strbuf_init(&list);
	for (int k = 0; k < K_COUNT; k++) {
		if (!(kinds & KBIT(k)))
			continue;
		if (list.len)
			strbuf_addch(&list, ';');
		strbuf_addstr(&list, KIND_INFO[k].name);
		if (KIND_INFO[k].field) {
			table_field(&g->truth_fields, p->id);
			table_field(&g->truth_fields, KIND_INFO[k].field);
			table_end_row(&g->truth_fields);
		}
	}
	textf(key, sizeof key, "P%07ld", p->number);
	table_field(&g->truth, key);
	table_field(&g->truth, p->id);
	table_field(&g->truth, in_roster ? ros->id_raw : "");
	table_field(&g->truth, in_hr ? hr->id_raw : "");
	table_field(&g->truth, in_roster ? "1" : "0");
	table_field(&g->truth, in_hr ? "1" : "0");
	table_field(&g->truth, CATEGORY_CODE[cat]);
	table_field(&g->truth, strbuf_str(&list));
	table_field(&g->truth, p->household_id);
	table_field(&g->truth, p->township->city);
	table_field(&g->truth, p->township->county);
	table_field(&g->truth, p->township->name);
	table_field(&g->truth, p->name);
	table_end_row(&g->truth);
	strbuf_free(&list);
}

/* ---- service records (--services) ----
 *
 * The public employment service platform's records of the 12 months to
 * the period's end for every person of the file, from a stream of their
 * own (nobody else's draws move), and the truth of each measure of
 * bangfu's services (etl/services.c, schema/019) per township in
 * services_truth.csv.  Who wants work, returned or wants training is what
 * the person's rows say (the HR platform's employment, else the roster's;
 * the roster's 就业意向 and 培训意愿, the platform's 是否返乡回流): exact for
 * files without damage (--no-damage), where every person is one person. */

#define SVC_MATCH_DAYS 30 /* templates/service_policy.csv's match_days */
#define SVC_MAX 96

enum { SVC_JOB_PUSH, SVC_REFERRAL, SVC_TRAINING_INFO, SVC_TRAINING_ENROL, SVC_GUIDANCE, SVC_NTYPES };

static const char *const SVC_TYPE_TEXTS[SVC_NTYPES][3] = {
	{"岗位信息推送", "岗位推送", "点对点岗位推送"}, {"职业介绍", "推荐岗位", "职业介绍"},
	{"职业培训信息", "培训信息", "培训信息推送"},   {"培训报名", "参加培训", "培训报名"},
	{"职业指导", "就业指导", "职业指导"},
};
static const char *const SVC_CHANNELS[] = {"短信", "电话", "现场", "微信", "网络", "微信群"};
static const char *const SVC_HIRED[] = {"录用", "已录用", "入职", "已上岗"};
static const char *const SVC_OTHER_OUTCOMES[] = {"应聘", "面试", "未录用"};
static const char *const SVC_JOBS[] = {"普工", "分拣员", "保洁员", "电工", "焊工", "厨师", "保安", "营业员",
				       "护工", "快递员", "缝纫工", "装配工"};
static const char *const SVC_COURSES[] = {"电工培训班", "家政服务培训", "中式烹调师培训", "育婴员培训",
					  "电子商务培训", "挖掘机操作培训"};

/* What is measured per township (v_service_township's columns). */
enum {
	ST_WANT, ST_JOBS3, ST_TRAINING1, ST_GUIDANCE1, ST_ALL311, ST_RETURNEES, ST_RETURNEES_WEEKLY, ST_WANT_WEEKLY,
	ST_PUSHED, ST_HIRED, ST_TRAINING_INTENT, ST_TRAINING_FOLLOWED, ST_COUNT
};
static const char *const ST_NAMES[ST_COUNT] = {
	"want_work", "jobs3", "training1", "guidance1", "all311", "returnees", "returnees_weekly", "want_weekly",
	"pushed", "hired", "training_intent", "training_followed"};

struct svc_rec {
	long day;
	int type;      /* SVC_* */
	int hired;     /* the outcome is a hire */
	char item[64];
	int copies;    /* written this many times (the same record in two places) */
};

/* The window (12 months), the period's weeks (Monday to Sunday, in the
 * month of their Thursday) and the counts of the run. */
static void svc_setup(struct gen *g)
{
	int fy = g->end_y, fm = g->end_m - 11;
	long first = datefmt_days_from_civil(g->end_y, g->end_m, 1), monday;

	if (fm < 1) {
		fm += 12;
		fy--;
	}
	g->svc_from = datefmt_days_from_civil(fy, fm, 1);
	monday = first - ((first % 7 + 7 + 3) % 7);
	g->svc_weeks = 0;
	for (; monday <= g->end; monday += 7) {
		int y, m, d;

		datefmt_civil_from_days(monday + 3, &y, &m, &d);
		if (y == g->end_y && m == g->end_m) {
			if (!g->svc_weeks)
				g->svc_wfrom = monday;
			g->svc_weeks++;
		}
	}
	g->svc_truth = xcalloc((size_t)g->ref.ntownships * ST_COUNT, sizeof *g->svc_truth);
}

/* A day of [lo, hi] within the window. */
static long svc_day(struct gen *g, long lo, long hi)
{
	if (lo < g->svc_from)
		lo = g->svc_from;
	if (hi > g->end)
		hi = g->end;
	if (hi < lo)
		return -1;
	return lo + (long)rng_below(&g->svc_rng, (uint32_t)(hi - lo + 1));
}

static void svc_add(struct gen *g, struct svc_rec *recs, int *n, long day, int type, int hired)
{
	struct rng *r = &g->svc_rng;
	struct svc_rec *x;

	if (day < 0 || *n >= SVC_MAX)
		return;
	x = &recs[(*n)++];
	x->day = day;
	x->type = type;
	x->hired = hired;
	x->copies = rng_permille(r, 20) ? 2 : 1;
	if (type == SVC_TRAINING_INFO || type == SVC_TRAINING_ENROL)
		textf(x->item, sizeof x->item, "%s", PICK(r, SVC_COURSES));
	else if (type == SVC_GUIDANCE)
		x->item[0] = 0;
	else
		textf(x->item, sizeof x->item, "%s%s", PICK(r, WORKSHOPS), PICK(r, SVC_JOBS));
}

static void svc_write(struct gen *g, const char *id, const struct person *p, const struct svc_rec *x)
{
	struct rng *r = &g->svc_rng;
	char date[16], unit[2 * TEXT_MAX];
	const char *outcome = x->hired ? PICK(r, SVC_HIRED) : rng_permille(r, 150) ? PICK(r, SVC_OTHER_OUTCOMES) : "";

	date_iso(x->day, date, sizeof date);
	textf(unit, sizeof unit, "%s%s", p->township->county, rng_permille(r, 700) ? "人社局" : "就业服务中心");
	for (int c = 0; c < x->copies; c++) {
		table_field(&g->services, id);
		table_field(&g->services, p->name);
		table_field(&g->services, date);
		table_field(&g->services, SVC_TYPE_TEXTS[x->type][rng_below(r, 3)]);
		table_field(&g->services, PICK(r, SVC_CHANNELS));
		table_field(&g->services, x->item);
		table_field(&g->services, outcome);
		table_field(&g->services, unit);
		table_field(&g->services, p->township->name);
		table_end_row(&g->services);
	}
}

static int svc_is_job(int type)
{
	return type == SVC_JOB_PUSH || type == SVC_REFERRAL;
}

/* The records as bangfu counts them: the same day, kind of service and job
 * or course once, a hire when any of them says so. */
static int svc_merge(const struct svc_rec *recs, int n, struct svc_rec *out)
{
	int m = 0;

	for (int i = 0; i < n; i++) {
		int k = 0;

		while (k < m && !(out[k].day == recs[i].day && out[k].type == recs[i].type &&
				  strcmp(out[k].item, recs[i].item) == 0))
			k++;
		if (k == m)
			out[m++] = recs[i];
		else
			out[k].hired |= recs[i].hired;
	}
	return m;
}

/* One person's records and their part of the truth. */
static void services_emit(struct gen *g, const struct person *p, enum category cat, const struct record *ros,
			  const struct record *hr, uint32_t kinds)
{
	struct rng *r = &g->svc_rng;
	struct svc_rec recs[SVC_MAX], merged[SVC_MAX];
	unsigned week_seen = 0;
	int n = 0, m, in_hr = !(kinds & KBIT(K_ROSTER_ONLY));
	int in_roster = !(kinds & KBIT(K_HR_ONLY));
	int employed = in_hr ? hr->v.hr_status == HR_EMPLOYED : ros->v.job.present;
	int want = !employed && in_roster && ros->v.intent && ros->v.intent[0];
	int returnee = in_hr && hr->v.returned;
	int training = in_roster && ros->v.training_intent && strcmp(ros->v.training_intent, "是") == 0;
	long wto = g->svc_wfrom + 7L * g->svc_weeks - 1;
	long *t = &g->svc_truth[(size_t)(p->township - g->ref.townships) * ST_COUNT];
	long jobs = 0, trainings = 0, guidance = 0, weeks = 0, hired = 0, pushed = 0;

	(void)cat;
	/* every week of the period: a job message for most of those it is owed to */
	if (want || returnee) {
		unsigned weekly = 700 + 250 * (unsigned)(p->township->code[strlen(p->township->code) - 1] % 2);

		for (int w = 0; w < g->svc_weeks; w++)
			if (rng_permille(r, weekly)) {
				long mon = g->svc_wfrom + 7L * w;
				long day = svc_day(g, mon, mon + 6);

				svc_add(g, recs, &n, day, rng_permille(r, 850) ? SVC_JOB_PUSH : SVC_REFERRAL, 0);
				/* a hire after it: within the days that count, or later */
				if (day >= 0 && rng_permille(r, 180)) {
					long h = day + (long)rng_below(r, rng_permille(r, 800) ? SVC_MATCH_DAYS + 1 : 60);

					if (h <= g->end)
						svc_add(g, recs, &n, h, SVC_REFERRAL, 1);
				}
			}
	}
	if (want) {
		int more = (int)rng_below(r, 4);

		for (int k = 0; k < more; k++)
			svc_add(g, recs, &n, svc_day(g, g->svc_from, g->svc_wfrom - 1), SVC_JOB_PUSH, 0);
		if (rng_permille(r, 650))
			svc_add(g, recs, &n, svc_day(g, g->svc_from, g->end),
				rng_permille(r, 700) ? SVC_TRAINING_INFO : SVC_TRAINING_ENROL, 0);
		if (rng_permille(r, 600))
			svc_add(g, recs, &n, svc_day(g, g->svc_from, g->end), SVC_GUIDANCE, 0);
	}
	if (training && rng_permille(r, 450))
		svc_add(g, recs, &n, svc_day(g, g->svc_from, g->end), SVC_TRAINING_INFO, 0);
	if (!want && !returnee && rng_permille(r, 40))
		svc_add(g, recs, &n, svc_day(g, g->svc_from, g->end), rng_permille(r, 500) ? SVC_GUIDANCE : SVC_JOB_PUSH,
			0);

	/* records older than the 12 months: not counted */
	if ((want || returnee) && rng_permille(r, 100)) {
		struct svc_rec old = {.day = g->svc_from - 1 - (long)rng_below(r, 60), .type = SVC_GUIDANCE, .copies = 1};

		svc_write(g, p->id, p, &old);
	}
	for (int i = 0; i < n; i++) {
		svc_write(g, p->id, p, &recs[i]);
		g->svc_records += recs[i].copies;
	}
	m = svc_merge(recs, n, merged);
	g->svc_counted += m;
	for (int i = 0; i < m; i++) {
		const struct svc_rec *x = &merged[i];
		long week;

		jobs += svc_is_job(x->type);
		trainings += x->type == SVC_TRAINING_INFO || x->type == SVC_TRAINING_ENROL;
		guidance += x->type == SVC_GUIDANCE;
		/* a job message: a job record that is not itself the hire */
		if (!svc_is_job(x->type) || x->hired || x->day < g->svc_wfrom || x->day > wto)
			continue;
		pushed = 1;
		week = (x->day - g->svc_wfrom) / 7;
		if (!(week_seen & (1u << week))) {
			week_seen |= 1u << week;
			weeks++;
		}
		for (int k = 0; k < m && !hired; k++)
			hired = merged[k].hired && merged[k].day >= x->day && merged[k].day <= x->day + SVC_MATCH_DAYS;
	}
	/* someone not in the files: a record of an ID of another province */
	if (rng_permille(r, 10)) {
		char other[19];
		struct svc_rec x = {.day = g->end - (long)rng_below(r, 20), .type = SVC_JOB_PUSH, .copies = 1};

		textf(other, sizeof other, "440305%s", p->id + 6);
		id_recheck(other);
		textf(x.item, sizeof x.item, "%s", "普工");
		svc_write(g, other, p, &x);
		g->svc_records++;
		g->svc_unmatched++;
		g->svc_counted++;
	}
	t[ST_WANT] += want;
	t[ST_JOBS3] += want && jobs >= 3;
	t[ST_TRAINING1] += want && trainings >= 1;
	t[ST_GUIDANCE1] += want && guidance >= 1;
	t[ST_ALL311] += want && jobs >= 3 && trainings >= 1 && guidance >= 1;
	t[ST_RETURNEES] += returnee;
	t[ST_RETURNEES_WEEKLY] += returnee && g->svc_weeks > 0 && weeks == g->svc_weeks;
	t[ST_WANT_WEEKLY] += want && g->svc_weeks > 0 && weeks == g->svc_weeks;
	t[ST_PUSHED] += pushed;
	t[ST_HIRED] += pushed && hired;
	t[ST_TRAINING_INTENT] += training;
	t[ST_TRAINING_FOLLOWED] += training && trainings >= 1;
}

/* services_truth.csv: per township with anyone measured, every count. */
static void services_truth_write(struct gen *g)
{
	char num[32];

	table_field(&g->svc_truth_out, "city");
	table_field(&g->svc_truth_out, "county");
	table_field(&g->svc_truth_out, "township");
	for (int k = 0; k < ST_COUNT; k++)
		table_field(&g->svc_truth_out, ST_NAMES[k]);
	table_end_row(&g->svc_truth_out);
	for (int i = 0; i < g->ref.ntownships; i++) {
		const long *t = &g->svc_truth[(size_t)i * ST_COUNT];
		long any = 0;

		for (int k = 0; k < ST_COUNT; k++)
			any |= t[k];
		if (!any)
			continue;
		table_field(&g->svc_truth_out, g->ref.townships[i].city);
		table_field(&g->svc_truth_out, g->ref.townships[i].county);
		table_field(&g->svc_truth_out, g->ref.townships[i].name);
		for (int k = 0; k < ST_COUNT; k++) {
			textf(num, sizeof num, "%ld", t[k]);
			table_field(&g->svc_truth_out, num);
		}
		table_end_row(&g->svc_truth_out);
	}
	/* the records: in the window (each once), of nobody */
	table_field(&g->svc_truth_out, "");
	table_field(&g->svc_truth_out, "");
	table_field(&g->svc_truth_out, "*records");
	textf(num, sizeof num, "%ld", g->svc_counted);
	table_field(&g->svc_truth_out, num);
	textf(num, sizeof num, "%ld", g->svc_unmatched);
	table_field(&g->svc_truth_out, num);
	table_end_row(&g->svc_truth_out);
}

/* ---- the truth of the subsidy screening ----
 *
 * Who each subsidy rule of the two policy documents lists, and with which
 * status, for every person the screening sees under a valid ID (the rows of
 * a damaged ID are persons of their own; the test checks those are all
 * 待核实).  The rules are written out here again from 湘人社发〔2017〕58号
 * and 湘人社规〔2021〕10号, not read from templates/subsidy_rules.csv, and
 * the facts come from what the generator wrote into each source, the way
 * reconciliation takes them (the platform's job when the person is on the
 * platform, else the roster's).  Labour age: templates/policy.csv's
 * defaults (16; men male_60, women female_55), by the rule of the 2024
 * decision.  Three-valued as the screening is: 0 false, 1 true, 2 the data
 * cannot tell. */

enum { POP_EXITED = 1, POP_MONITORED = 2, POP_LOW_INCOME = 4, POP_ALL = 16 };
enum { CONFLICT_EMPLOYED = 1, CONFLICT_REGION = 2, CONFLICT_EMPLOYER = 4, CONFLICT_OTHER = 8 };
#define CLS(c) (1u << (c))

struct facts {
	int population;   /* POP_*, -1 unknown */
	int employed, relocated, training, returned, labour; /* 1 / 0 / -1 */
	const char *type; /* NULL unknown */
	int region, employer_region; /* CLASS_*, -1 unknown */
	int months_min, months_max;  /* -1 unknown */
	int category;     /* CAT_* of the valid-ID person */
	unsigned conflicts;
};

struct truth_rule {
	const char *id, *from, *to;
	unsigned pops;        /* POP_*; POP_ALL: no population condition */
	int employed;         /* -1 none, else the value required */
	unsigned regions;     /* CLS() of work_region allowed; 0 none */
	const char *types[4]; /* employment types allowed; none: no condition */
	int months;           /* months in post at least; -1 none */
	unsigned employer;    /* CLS() of the employer's place allowed; 0 none */
	int labour;           /* 0 none, 1 required, 2 required for 就业专项资金 only (else 待核实) */
	int training;         /* training intent required */
	int startup;          /* 脱贫人口 or 返乡下乡创业人员 */
	int unverified;       /* a condition no data holds */
	int not_person;       /* paid to the employer or the agency */
};

#define F17 "2017-07-01", "2020-12-31"
#define F21 "2021-07-26", "2025-12-31"
#define OUTSIDE (CLS(CLASS_OUT_PROVINCE) | CLS(CLASS_IN_PROVINCE))
#define IN_HUNAN (CLS(CLASS_IN_COUNTY) | CLS(CLASS_IN_PROVINCE))
#define LOCAL CLS(CLASS_IN_COUNTY)

static const struct truth_rule TRUTH_RULES[] = {
	/* 湘人社发〔2017〕58号: 建档立卡贫困劳动力 (脱贫人口), 适龄劳动者 */
	{"transport_2017", F17, POP_EXITED, 1, OUTSIDE, {NULL}, -1, 0, 1, 0, 0, 0, 0},
	{"service_2017", F17, POP_EXITED, 1, 0, {NULL}, 6, 0, 1, 0, 0, 1, 1},
	{"post_2017", F17, POP_EXITED, 1, 0, {T_MIGRANT, T_NEARBY, T_WORKSHOP, NULL}, 12, IN_HUNAN, 1, 0, 0, 1, 1},
	{"post_poor_2017", F17, POP_EXITED, 1, 0, {T_MIGRANT, T_NEARBY, T_WORKSHOP, NULL}, 12, LOCAL, 1, 0, 0, 1, 1},
	{"social_2017", F17, POP_EXITED, 1, 0, {T_MIGRANT, T_NEARBY, T_WORKSHOP, NULL}, 12, IN_HUNAN, 1, 0, 0, 1, 1},
	{"training_2017", F17, POP_EXITED, -1, 0, {NULL}, -1, 0, 1, 1, 0, 1, 0},
	{"skill_upgrade_2017", F17, POP_EXITED, 1, 0, {T_MIGRANT, T_NEARBY, T_WORKSHOP, NULL}, -1, 0, 1, 1, 0, 1, 0},
	{"living_2017", F17, POP_EXITED, 0, 0, {NULL}, -1, 0, 1, 1, 0, 1, 0},
	{"loan_2017", F17, POP_EXITED, 1, LOCAL, {T_OWN, NULL}, -1, 0, 1, 0, 0, 1, 0},
	/* 湘人社规〔2021〕10号: 就业专项资金 only within labour age (一（二）) */
	{"transport_2021", F21, POP_EXITED | POP_MONITORED, 1, OUTSIDE, {NULL}, -1, 0, 0, 0, 0, 0, 0},
	{"service_2021", F21, POP_EXITED, 1, OUTSIDE, {NULL}, 6, 0, 1, 0, 0, 1, 1},
	{"social_2021", F21, POP_EXITED, 1, 0, {T_MIGRANT, T_NEARBY, T_WORKSHOP, NULL}, 12, IN_HUNAN, 1, 0, 0, 1, 1},
	{"skill_cert_2021", "2021-07-26", "2021-12-31", POP_ALL, 1, 0, {T_MIGRANT, T_NEARBY, T_WORKSHOP, NULL}, -1, 0, 0, 0,
	 0, 1, 0},
	{"loan_employer_2021", F21, POP_EXITED, 1, 0, {T_MIGRANT, T_NEARBY, T_WORKSHOP, NULL}, -1, IN_HUNAN, 0, 0, 0, 1, 1},
	{"loan_2021", F21, POP_EXITED, 1, LOCAL, {T_OWN, NULL}, -1, 0, 0, 0, 0, 1, 0},
	{"workfare_2021", "2021-07-26", "2021-12-31", POP_EXITED, 1, 0, {T_MIGRANT, T_NEARBY, T_WORKSHOP, NULL}, -1, IN_HUNAN,
	 2, 0, 0, 1, 1},
	{"startup_2021", F21, POP_ALL, 1, LOCAL, {T_OWN, NULL}, 6, 0, 1, 0, 1, 1, 0},
	{"flexible_2021", F21, POP_EXITED, 1, 0, {T_FLEXIBLE, NULL}, -1, 0, 1, 0, 0, 1, 0},
	{"public_post_2021", F21, POP_EXITED | POP_MONITORED, 1, 0, {T_PUBLIC, NULL}, -1, 0, 0, 0, 0, 0, 0},
	{"training_2021", F21, POP_EXITED, -1, 0, {NULL}, -1, 0, 2, 1, 0, 1, 0},
	{"living_2021", F21, POP_EXITED, -1, 0, {NULL}, -1, 0, 2, 1, 0, 1, 0},
};

static int tri_and(int a, int b)
{
	return a == 0 || b == 0 ? 0 : a == 2 || b == 2 ? 2 : 1;
}

static int tri_or(int a, int b)
{
	return a == 1 || b == 1 ? 1 : a == 2 || b == 2 ? 2 : 0;
}

/* value == want, or 2 when the value is unknown */
static int tri_is(int value, int want)
{
	return value < 0 ? 2 : value == want;
}

static int tri_class(int cls, unsigned allowed)
{
	return cls < 0 ? 2 : (allowed & CLS(cls)) != 0;
}

/* The statutory retirement age in months (men male_60, women female_55). */
static int retirement_months(int male, int y, int m)
{
	int base = male ? 60 : 55, since = y * 12 + m - 1 - (male ? 1965 : 1970) * 12;

	if (since < 0)
		return base * 12;
	return base * 12 + (since / 4 + 1 > 36 ? 36 : since / 4 + 1);
}

static long add_months_days(int y, int m, int d, int months)
{
	int t = y * 12 + m - 1 + months, ny = t / 12, nm = t % 12 + 1;

	return datefmt_days_from_civil(ny, nm, d > datefmt_month_days(ny, nm) ? datefmt_month_days(ny, nm) : d);
}

static int labour_at_end(const struct gen *g, const struct person *p)
{
	int y, m, d;

	date_parts(p->birth, &y, &m, &d);
	return g->end >= add_months_days(y, m, d, 16 * 12) && g->end < add_months_days(y, m, d, retirement_months(p->male, y, m));
}

/* Whole months in post at the period's end, as the view counts them: the
 * months to the day after the last day, one less when the start day is
 * after the 1st; a month-only start gives the range. */
static void months_of(const struct gen *g, long start, int month_only, int *lo, int *hi)
{
	int y, m, d, to_next;

	date_parts(start, &y, &m, &d);
	to_next = g->end_y * 12 + g->end_m + 1 - (y * 12 + m);
	if (month_only) {
		*lo = to_next - 1;
		*hi = to_next;
	} else {
		*lo = *hi = to_next - (d > 1);
	}
}

static int population_of(const char *household_type)
{
	return household_type == HT_MONITORED ? POP_MONITORED : household_type == HT_LOW_INCOME ? POP_LOW_INCOME : POP_EXITED;
}

static void facts_gather(const struct gen *g, const struct person *p, uint32_t kinds, const struct record *ros,
			 const struct record *hr, struct facts *f)
{
	int broken = (kinds & ID_BREAKING_KINDS) != 0;
	int in_roster = !(kinds & KBIT(K_HR_ONLY)) && !(broken && strcmp(ros->id_raw, p->id) != 0);
	int in_hr = !(kinds & KBIT(K_ROSTER_ONLY)) && !(broken && strcmp(hr->id_raw, p->id) != 0);
	const struct job *rj = in_roster && ros->v.job.present ? &ros->v.job : NULL;
	const struct job *hj = in_hr && hr->v.job.present ? &hr->v.job : NULL;

	memset(f, 0, sizeof *f);
	f->population = in_roster ? population_of(ros->v.household_type) : population_of(hr->v.household_type);
	f->relocated = in_roster ? !strcmp(ros->v.relocated, "是") : -1;
	f->training = in_roster ? !strcmp(ros->v.training_intent, "是") : -1;
	f->returned = in_hr ? hr->v.returned : -1;
	f->employed = in_hr ? hr->v.hr_status == HR_EMPLOYED : rj != NULL;
	f->type = hj ? hj->type : NULL;
	f->region = in_hr ? (hj ? hj->cls : -1) : (rj ? rj->cls : -1);
	f->employer_region = hj && hj->employer_where ? hj->employer_cls : -1;
	f->months_min = f->months_max = -1;
	if (hj)
		months_of(g, hj->start, 0, &f->months_min, &f->months_max);
	else if (rj)
		/* the real roster writes some dates as a month only (date_mixed) */
		months_of(g, rj->start, g->form_real && ros->v.date_form >= 90, &f->months_min, &f->months_max);
	f->labour = labour_at_end(g, p);
	f->category = !in_roster ? CAT_HR_ONLY : !in_hr ? CAT_ROSTER_ONLY
		      : kinds & (KBIT(K_DUPLICATE_ROSTER) | KBIT(K_DUPLICATE_HR)) ? CAT_DUPLICATE
										       : category_of(kinds);
	f->conflicts = (kinds & KBIT(K_CONFLICT_EMPLOYED) ? CONFLICT_EMPLOYED : 0) |
		       (kinds & KBIT(K_CONFLICT_REGION) ? CONFLICT_REGION : 0) |
		       (kinds & KBIT(K_CONFLICT_EMPLOYER) ? CONFLICT_EMPLOYER : 0) |
		       (kinds & (KBIT(K_CONFLICT_NAME) | KBIT(K_CONFLICT_GENDER) | KBIT(K_CONFLICT_PHONE)) ? CONFLICT_OTHER
														: 0);
}

/* 0 not listed, 1 符合, 2 待核实. */
static int truth_rule_status(const struct truth_rule *r, const struct facts *f)
{
	int v = 1, ntypes = 0;
	unsigned touched = 0;

	if (r->pops != POP_ALL)
		v = tri_and(v, f->population < 0 ? 2 : (r->pops & (unsigned)f->population) != 0);
	if (r->startup)
		v = tri_and(v, tri_or(f->population < 0 ? 2 : f->population == POP_EXITED, tri_is(f->returned, 1)));
	if (r->employed >= 0)
		v = tri_and(v, tri_is(f->employed, r->employed));
	if (r->regions)
		v = tri_and(v, tri_class(f->region, r->regions));
	while (ntypes < 4 && r->types[ntypes])
		ntypes++;
	if (ntypes) {
		int ok = 0;

		for (int i = 0; i < ntypes && f->type; i++)
			ok |= !strcmp(f->type, r->types[i]);
		v = tri_and(v, f->type ? ok : 2);
	}
	if (r->months >= 0)
		v = tri_and(v, f->months_min < 0 ? 2 : f->months_min >= r->months ? 1 : f->months_max < r->months ? 0 : 2);
	if (r->employer)
		v = tri_and(v, tri_class(f->employer_region, r->employer));
	if (r->training)
		v = tri_and(v, tri_is(f->training, 1));
	if (r->labour == 1)
		v = tri_and(v, tri_is(f->labour, 1));
	else if (r->labour == 2)
		v = tri_and(v, f->labour == 1 ? 1 : 2);
	if (v == 0)
		return 0;
	/* the fields of a conflict the rule reads */
	if (r->employed >= 0 || r->regions || ntypes || r->months >= 0 || r->employer)
		touched |= CONFLICT_EMPLOYED;
	if (r->regions)
		touched |= CONFLICT_REGION;
	if (ntypes || r->months >= 0 || r->employer || r->not_person)
		touched |= CONFLICT_EMPLOYER;
	if (v == 2 || r->unverified || !(f->category == CAT_CONSISTENT || f->category == CAT_CONFLICT) ||
	    (f->category == CAT_CONFLICT && (f->conflicts & touched)))
		return 2;
	return 1;
}

static void subsidy_truth_write(struct gen *g, const struct person *p, uint32_t kinds, const struct record *ros,
				const struct record *hr)
{
	char end[16];
	struct facts f;

	date_iso(g->end, end, sizeof end);
	facts_gather(g, p, kinds, ros, hr, &f);
	for (size_t i = 0; i < ARRAY_SIZE(TRUTH_RULES); i++) {
		const struct truth_rule *r = &TRUTH_RULES[i];
		int status;

		if (strcmp(r->from, end) > 0 || strcmp(end, r->to) > 0 || !(status = truth_rule_status(r, &f)))
			continue;
		table_field(&g->truth_subsidy, p->id);
		table_field(&g->truth_subsidy, r->id);
		table_field(&g->truth_subsidy, status == 1 ? "符合" : "待核实");
		table_end_row(&g->truth_subsidy);
		g->subsidy_rows[i]++;
	}
}

static void evolve_note_arrival(struct gen *g, const struct person *p, uint32_t kinds, const struct record *ros,
				const struct record *hr);

/* One household: its members' rows in both sources, the duplicates either
 * right after the original or after the household, and the truth. */
static void household_emit(struct gen *g, const struct village *v, int seq, int size)
{
	struct household hh;
	struct member_plan plan[6];
	struct person members[6];
	struct record ros, hr, later_ros[6], later_hr[6];
	int n, nlater_ros = 0, nlater_hr = 0;

	household_start(g, &hh, v, seq);
	n = plan_household(&g->person_rng, size, plan);
	for (int i = 0; i < n; i++)
		person_generate(g, &members[i], v, &hh, &plan[i]);
	for (int i = 0; i < n; i++) {
		const struct person *p = &members[i];
		uint32_t kinds = kinds_decide(g, p);
		enum category cat = category_of(kinds);
		struct record dup;

		records_build(g, p, kinds, &ros, &hr);
		if (!(kinds & KBIT(K_HR_ONLY))) {
			roster_write(g, &ros);
			if (kinds & KBIT(K_DUPLICATE_ROSTER)) {
				duplicate_make(g, &ros, &dup, 1);
				if (rng_below(&g->damage_rng, 2))
					roster_write(g, &dup);
				else
					later_ros[nlater_ros++] = dup;
			}
		}
		if (!(kinds & KBIT(K_ROSTER_ONLY))) {
			hr_write(g, &hr);
			if (kinds & KBIT(K_DUPLICATE_HR)) {
				duplicate_make(g, &hr, &dup, 0);
				if (rng_below(&g->damage_rng, 2))
					hr_write(g, &dup);
				else
					later_hr[nlater_hr++] = dup;
			}
		}
		truth_write(g, p, kinds, cat, &ros, &hr);
		if (g->svc_on)
			services_emit(g, p, cat, &ros, &hr, kinds);
		if (g->truth_subsidy.fp)
			subsidy_truth_write(g, p, kinds, &ros, &hr);
		if (g->evolve)
			evolve_note_arrival(g, p, kinds, &ros, &hr);
		g->category[cat]++;
	}
	for (int i = 0; i < nlater_ros; i++)
		roster_write(g, &later_ros[i]);
	for (int i = 0; i < nlater_hr; i++)
		hr_write(g, &later_hr[i]);
}

/* ---- the area: which townships and villages the people live in ---- */

/* About 60 persons per township (so every township of a small file can be
 * sampled), at most ~sqrt(townships) per county (so there are several
 * counties), about 30 persons per village.  A million people fill all of
 * rural Hunan's 1,500-odd townships (~650 persons each). */
static void area_choose(struct gen *g)
{
	struct rng *r = &g->area_rng;
	struct refdata *ref = &g->ref;
	int *usable = calloc((size_t)ref->ntownships + 1, sizeof *usable);
	int *runs = calloc((size_t)ref->ntownships + 1, sizeof *runs);
	char *chosen = calloc((size_t)ref->ntownships + 1, 1);
	char *vchosen = calloc((size_t)ref->nvillages + 1, 1);
	int nusable = 0, nruns = 0, target, cap = 2, nchosen = 0;
	long per_township;
	unsigned *weights;
	unsigned long long wtotal = 0;
	long assigned = 0;
	int same_county = 1, same_city = 1, first = -1;

	if (!usable || !runs || !chosen || !vchosen)
		die_internal("out of memory");
	for (int i = 0; i < ref->ntownships; i++)
		if (ref->townships[i].nvillages > 0)
			usable[nusable++] = i;
	target = (int)((g->people + 59) / 60);
	if (target > nusable)
		target = nusable;
	if (target < 1)
		target = 1;
	while (cap * cap < target)
		cap++;
	/* runs of usable townships of one county (townships are sorted by code) */
	for (int i = 0; i < nusable; i++)
		if (i == 0 || ref->townships[usable[i]].county_code != ref->townships[usable[i - 1]].county_code)
			runs[nruns++] = i;
	runs[nruns] = nusable;
	{
		int *order = calloc((size_t)nruns, sizeof *order);

		if (!order)
			die_internal("out of memory");
		for (int i = 0; i < nruns; i++)
			order[i] = i;
		for (int i = nruns - 1; i > 0; i--) {
			int j = (int)rng_below(r, (uint32_t)i + 1), t = order[i];

			order[i] = order[j];
			order[j] = t;
		}
		/* The first county's city before the rest: a small file is what
		 * one city's office sends, not a scatter over the province. */
		{
			int city = ref->townships[usable[runs[order[0]]]].city_code, front = 0;

			for (int i = 0; i < nruns; i++) {
				if (ref->townships[usable[runs[order[i]]]].city_code == city) {
					int t = order[i];

					memmove(order + front + 1, order + front, (size_t)(i - front) * sizeof *order);
					order[front++] = t;
				}
			}
		}
		for (int k = 0; k < nruns && nchosen < target; k++) {
			int from = runs[order[k]], n = runs[order[k] + 1] - from;
			int take = n < cap ? n : cap;

			if (take > target - nchosen)
				take = target - nchosen;
			/* a partial Fisher-Yates over the county's townships */
			for (int i = 0; i < take; i++) {
				int j = i + (int)rng_below(r, (uint32_t)(n - i)), t = usable[from + i];

				usable[from + i] = usable[from + j];
				usable[from + j] = t;
				chosen[usable[from + i]] = 1;
				nchosen++;
			}
		}
		free(order);
	}
	per_township = g->people / nchosen;
	for (int t = 0; t < ref->ntownships; t++) {
		struct township *tw = &ref->townships[t];
		int nv, *idx;

		if (!chosen[t])
			continue;
		nv = (int)((per_township + 29) / 30);
		nv = nv < 1 ? 1 : nv > tw->nvillages ? tw->nvillages : nv;
		idx = calloc((size_t)tw->nvillages, sizeof *idx);
		if (!idx)
			die_internal("out of memory");
		for (int i = 0; i < tw->nvillages; i++)
			idx[i] = tw->first_village + i;
		for (int i = 0; i < nv; i++) {
			int j = i + (int)rng_below(r, (uint32_t)(tw->nvillages - i)), x = idx[i];

			idx[i] = idx[j];
			idx[j] = x;
			vchosen[idx[i]] = 1;
		}
		free(idx);
		if (first < 0)
			first = t;
		same_county &= tw->county_code == ref->townships[first].county_code;
		same_city &= tw->city_code == ref->townships[first].city_code;
	}
	g->area = calloc((size_t)ref->nvillages, sizeof *g->area);
	g->quota = calloc((size_t)ref->nvillages, sizeof *g->quota);
	weights = calloc((size_t)ref->nvillages, sizeof *weights);
	if (!g->area || !g->quota || !weights)
		die_internal("out of memory");
	for (int i = 0; i < ref->nvillages; i++) {
		if (!vchosen[i])
			continue;
		g->area[g->narea] = i;
		weights[g->narea] = (unsigned)rng_range(r, 2, 6); /* villages differ in size */
		wtotal += weights[g->narea];
		g->narea++;
	}
	for (int i = 0; i < g->narea; i++) {
		g->quota[i] = (long)((unsigned long long)g->people * weights[i] / wtotal);
		assigned += g->quota[i];
	}
	for (int i = 0; assigned < g->people; i = (i + 1) % g->narea, assigned++)
		g->quota[i]++;
	if (same_county)
		textf(g->reporting_unit, sizeof g->reporting_unit, "%s人社局", ref->townships[first].county);
	else if (same_city)
		textf(g->reporting_unit, sizeof g->reporting_unit, "%s人社局", ref->townships[first].city);
	else
		textf(g->reporting_unit, sizeof g->reporting_unit, "湖南省人力资源和社会保障厅");
	free(weights);
	free(usable);
	free(runs);
	free(chosen);
	free(vchosen);
}

static void generate(struct gen *g)
{
	static const unsigned SIZE_WEIGHTS[] = {8, 20, 25, 25, 14, 8}; /* households of 1..6 in the roster */

	for (int a = 0; a < g->narea; a++) {
		const struct village *v = &g->ref.villages[g->area[a]];
		long left = g->quota[a];
		int seq = 0;

		while (left > 0) {
			unsigned x = rng_below(&g->person_rng, 100);
			int size = 1;
			long before = g->persons_made;

			for (size_t k = 0; k < ARRAY_SIZE(SIZE_WEIGHTS) && x >= SIZE_WEIGHTS[k]; k++) {
				x -= SIZE_WEIGHTS[k];
				size++;
			}
			if (size > left)
				size = (int)left;
			household_emit(g, v, ++seq, size);
			left -= g->persons_made - before;
		}
		msg_progress("generating", (unsigned long long)g->persons_made, (unsigned long long)g->people);
	}
	msg_progress_end();
}

/* ---- headers ---- */

static void headers_write(struct gen *g)
{
	size_t n = g->nroster_cols;

	if (g->form_real) {
		char title[256];
		int y = g->end_y + (g->end_m == 12), m = g->end_m % 12 + 1;

		/* Title rows as Excel exports them: padded to the table's width. */
		table_field(&g->roster, "湖南省农村贫困劳动力就业信息表");
		for (size_t i = 1; i < n; i++)
			table_field(&g->roster, "");
		table_end_row(&g->roster);
		textf(title, sizeof title, "填报单位：%s  填报日期：%d年%d月10日", g->reporting_unit, y, m);
		table_field(&g->roster, title);
		for (size_t i = 1; i < n; i++)
			table_field(&g->roster, "");
		table_end_row(&g->roster);
		/* Two-level header: the group cell over its three columns. */
		for (size_t i = 0; i < n; i++) {
			int c = g->roster_cols[i].col;

			table_field(&g->roster, c == RC_WORK_PLACE ? "已就业人员就业信息"
						: c == RC_EMPLOYER || c == RC_WORK_START ? "" : g->roster_cols[i].header);
		}
		table_end_row(&g->roster);
		for (size_t i = 0; i < n; i++) {
			int c = g->roster_cols[i].col;

			table_field(&g->roster, c == RC_WORK_PLACE || c == RC_EMPLOYER || c == RC_WORK_START
							? g->roster_cols[i].header : "");
		}
		table_end_row(&g->roster);
	} else {
		for (size_t i = 0; i < n; i++)
			table_field(&g->roster, g->roster_cols[i].header);
		table_end_row(&g->roster);
	}
	for (size_t i = 0; i < g->nhr_cols; i++)
		table_field(&g->hr, g->hr_cols[i].header);
	table_end_row(&g->hr);
	{
		static const char *const TRUTH[] = {
			"person_key", "true_id", "roster_id_raw", "hr_id_raw", "in_roster", "in_hr", "expected_category",
			"kinds", "household_id", "city", "county", "township", "name"};

		for (size_t i = 0; i < ARRAY_SIZE(TRUTH); i++)
			table_field(&g->truth, TRUTH[i]);
		table_end_row(&g->truth);
	}
	table_field(&g->truth_fields, "true_id");
	table_field(&g->truth_fields, "field");
	table_end_row(&g->truth_fields);
	if (g->truth_subsidy.fp) {
		table_field(&g->truth_subsidy, "true_id");
		table_field(&g->truth_subsidy, "rule_id");
		table_field(&g->truth_subsidy, "status");
		table_end_row(&g->truth_subsidy);
	}
	/* data rows only from here on */
	g->roster.rows = g->hr.rows = g->truth.rows = g->truth_fields.rows = g->truth_subsidy.rows = 0;
}

/* ---- next month: --evolve-from DIR ----
 *
 * The files of an earlier run (roster.csv, hr.csv and truth.csv, in either
 * form) become the next month's: every row carried over as it was, damage,
 * duplicates and all, except for the persons the month changes:
 *
 *   new_job     a person who can work and had no job has one, in both sources
 *   job_loss    an employed person has none (platform 失业 or 未就业, roster 否)
 *   return      a person on the platform comes home (是否返乡回流 是, 返乡时间
 *               this month); a job outside the province ends with it
 *   id_fix      a roster ID damaged in DIR is the person's true ID now
 *   id_break    the reverse: a sound roster ID is typed wrong or mangled by
 *               Excel (typo, transposition, rounded, scientific)
 *   departure   the person leaves both sources
 *   arrival     a new household in the village of a roster person, whose
 *               members get the ordinary damage kinds at their rates
 *   roster_lag  a new job or a lost one reaches the platform only: the
 *               roster keeps its 是否已就业 this month (a conflict of
 *               employed) and follows the month after
 *
 * The job events go to persons whose sources agree on their employment and
 * who can work (the roster's 劳动能力, labour age); ID events to persons
 * whose name is theirs alone in their household, so that nothing but the ID
 * tells them apart.  A row is matched to its person of truth.csv by its ID
 * when that is valid; the rows with invalid IDs come in the order of the
 * persons damaged on that side.  The truth files are written for the new
 * month, and changes_truth.csv: one row per change bangfu-reconcile must
 * find against DIR's month, in its codes (person_change), with the event
 * that caused it. */

#define CONFLICT_KINDS                                                                                     \
	(KBIT(K_CONFLICT_NAME) | KBIT(K_CONFLICT_GENDER) | KBIT(K_CONFLICT_EMPLOYED) | KBIT(K_CONFLICT_REGION) | \
	 KBIT(K_CONFLICT_EMPLOYER) | KBIT(K_CONFLICT_PHONE))

/* A lagging roster's person: the platform's job, which the roster follows
 * this month. */
struct hr_values {
	int employed;
	char *province, *city, *county, *employer, *start;
};

struct ev_person {
	long number;
	char id[19];
	uint32_t kinds;             /* truth.csv's */
	uint32_t after;             /* this month's */
	uint64_t who;               /* household and name key, hashed (0: no roster row) */
	const struct village *village;
	char *roster_raw;           /* damaged on the roster: its ID as written */
	char *new_roster_raw;       /* id_fix, id_break: the roster's ID this month */
	struct job *job;            /* new_job */
	struct hr_values *hr;       /* a lagging roster catching up */
	const char *intent, *service_need; /* a job lost: what the roster says now */
	long day;                   /* when the change happened */
	int event;                  /* K_NEW_JOB .. K_DEPARTURE, or -1 */
	signed char emp_r, emp_h, returned; /* as the rows say; -1: no row */
	unsigned char in_roster, in_hr, roster_bad, hr_bad, able, out_province, clash;
	unsigned char population;   /* the roster's 户类型: 0 脱贫户, 1 监测对象, 2 农村低收入人口 */
	unsigned char lag, loses_job, jobless, date_form;
};

struct evolve {
	const char *dir;
	struct ev_person *p;
	long n;
	size_t cap;
	uint64_t *map_keys;         /* true ID body → index into p */
	long *map_vals;
	size_t map_mask;
	struct tmpl_columns roster_cols, hr_cols;
	struct tmpl_column roster_col[RC_REMARK + 1], hr_col[HC_NCOLS];
	int roster_at[RC_REMARK + 1], hr_at[HC_NCOLS]; /* column of each field, or -1 */
	int form_real_in;
	int *village_order;         /* ref villages sorted by county, township, name */
	int *village_seq;           /* the highest household number of each village */
	const struct village **arrivals; /* where an arrival ticked, in order */
	long narrivals;
	size_t arrivals_cap;
	long month_start;
	int same_county, same_city;
	char first_city[TEXT_MAX], first_county[TEXT_MAX];
	long events[K_COUNT], changes;
};

static const char *const CHANGE_HEADER[] = {
	"person_key", "id_number", "change", "event", "old_id", "roster_lag", "city", "county", "township"};

static void change_row(struct gen *g, const char *key, const char *id, const char *change, const char *event,
		       const char *old_id, int lag, const char *city, const char *county, const char *township)
{
	table_field(&g->changes, key);
	table_field(&g->changes, id);
	table_field(&g->changes, change);
	table_field(&g->changes, event);
	table_field(&g->changes, old_id ? old_id : "");
	table_field(&g->changes, lag ? "1" : "0");
	table_field(&g->changes, city);
	table_field(&g->changes, county);
	table_field(&g->changes, township);
	table_end_row(&g->changes);
	g->evolve->changes++;
}

/* What reconcile sees of a person under the true ID: in a source with a
 * valid ID, employed (the platform's, else the roster's) and returned (the
 * platform's); -1 for nothing. */
struct seen {
	int roster, hr, employed, returned;
};

/* The changes between two views of one person, as person_change has them. */
static void changes_between(struct gen *g, const struct seen *b, const struct seen *a, const char *key,
			    const char *id, const char *event, int lag, const char *const place[3],
			    const char *fixed_from, const char *broken_to)
{
	int was = b->roster || b->hr, is = a->roster || a->hr;

	if (b->roster && !a->roster) {
		if (broken_to)
			change_row(g, key, broken_to, "id_damaged", event, id, lag, place[0], place[1], place[2]);
		else
			change_row(g, key, id, "gone_from_roster", event, NULL, lag, place[0], place[1], place[2]);
	}
	if (!b->roster && a->roster) {
		if (fixed_from)
			change_row(g, key, id, "id_corrected", event, fixed_from, lag, place[0], place[1], place[2]);
		else
			change_row(g, key, id, "new_in_roster", event, NULL, lag, place[0], place[1], place[2]);
	}
	if (b->hr && !a->hr)
		change_row(g, key, id, "gone_from_hr", event, NULL, lag, place[0], place[1], place[2]);
	if (!b->hr && a->hr)
		change_row(g, key, id, "new_in_hr", event, NULL, lag, place[0], place[1], place[2]);
	if (was && is && b->employed == 0 && a->employed == 1)
		change_row(g, key, id, "newly_employed", event, NULL, lag, place[0], place[1], place[2]);
	if (was && is && b->employed == 1 && a->employed == 0)
		change_row(g, key, id, "became_unemployed", event, NULL, lag, place[0], place[1], place[2]);
	if (is && a->returned == 1 && !(was && b->returned == 1))
		change_row(g, key, id, "newly_returned", event, NULL, lag, place[0], place[1], place[2]);
}

static void evolve_note_arrival(struct gen *g, const struct person *p, uint32_t kinds, const struct record *ros,
				const struct record *hr)
{
	struct seen before = {0, 0, -1, -1}, now;
	int in_roster = !(kinds & KBIT(K_HR_ONLY)), in_hr = !(kinds & KBIT(K_ROSTER_ONLY));
	int broken = (kinds & ID_BREAKING_KINDS) != 0;
	const char *place[3] = {p->township->city, p->township->county, p->township->name};
	char key[24];

	now.roster = in_roster && !(broken && strcmp(ros->id_raw, p->id) != 0);
	now.hr = in_hr && !(broken && strcmp(hr->id_raw, p->id) != 0);
	now.employed = now.hr ? hr->v.hr_status == HR_EMPLOYED : now.roster ? ros->v.job.present : -1;
	now.returned = now.hr ? hr->v.returned : -1;
	textf(key, sizeof key, "P%07ld", p->number);
	changes_between(g, &before, &now, key, p->id, "arrival", 0, place, NULL, NULL);
}

/* ---- reading DIR ---- */

/* The header map csvin reads gen's own files with: a field per column
 * kind, whose aliases are its headers in both forms. */
static void columns_for(struct tmpl_columns *tc, struct tmpl_column *cols, int ncols, const struct column *a,
			size_t na, const struct column *b, size_t nb, int id_col, int name_col)
{
	memset(cols, 0, (size_t)ncols * sizeof *cols);
	for (int c = 0; c < ncols; c++) {
		struct tmpl_column *tc_col = &cols[c];

		if (c == id_col)
			textf(tc_col->field, sizeof tc_col->field, "id_number");
		else if (c == name_col)
			textf(tc_col->field, sizeof tc_col->field, "name");
		else
			textf(tc_col->field, sizeof tc_col->field, "c%02d", c);
		tc_col->required = c == id_col || c == name_col;
		tc_col->aliases = xcalloc(2, sizeof *tc_col->aliases);
		for (size_t i = 0; i < na + nb; i++) {
			const struct column *col = i < na ? &a[i] : &b[i - na];

			if (col->col != c || (tc_col->naliases == 1 && strcmp(tc_col->aliases[0], col->header) == 0))
				continue;
			if (tc_col->naliases == 0)
				textf(tc_col->label, sizeof tc_col->label, "%s", col->header);
			tc_col->aliases[tc_col->naliases++] = (char *)col->header;
		}
	}
	tc->cols = cols;
	tc->n = ncols;
}

static void columns_free(struct tmpl_columns *tc)
{
	for (int c = 0; c < tc->n; c++)
		free(tc->cols[c].aliases);
}

static void map_put(struct evolve *e, uint64_t body, long idx)
{
	size_t i = (size_t)((body * UINT64_C(0x9e3779b97f4a7c15)) >> 20) & e->map_mask;

	while (e->map_keys[i] && e->map_keys[i] != body)
		i = (i + 1) & e->map_mask;
	e->map_keys[i] = body;
	e->map_vals[i] = idx;
}

static long map_get(const struct evolve *e, uint64_t body)
{
	size_t i = (size_t)((body * UINT64_C(0x9e3779b97f4a7c15)) >> 20) & e->map_mask;

	while (e->map_keys[i]) {
		if (e->map_keys[i] == body)
			return e->map_vals[i];
		i = (i + 1) & e->map_mask;
	}
	return -1;
}

static const struct refdata *village_ref; /* for the qsort and bsearch below */

static int village_key_cmp(const char *county, const char *township, const char *name, const struct village *v)
{
	const struct township *t = &village_ref->townships[v->township];
	int d = strcmp(county, t->county);

	if (d == 0)
		d = strcmp(township, t->name);
	return d ? d : strcmp(name, v->name);
}

static int cmp_village_name(const void *a, const void *b)
{
	const struct village *x = &village_ref->villages[*(const int *)a];
	const struct township *t = &village_ref->townships[x->township];

	return village_key_cmp(t->county, t->name, x->name, &village_ref->villages[*(const int *)b]);
}

/* The village a roster row names, or -1. */
static int village_find(const struct gen *g, const char *county, const char *township, const char *name)
{
	int lo = 0, hi = g->ref.nvillages - 1;

	while (lo <= hi) {
		int mid = lo + (hi - lo) / 2, idx = g->evolve->village_order[mid];
		int d = village_key_cmp(county, township, name, &g->ref.villages[idx]);

		if (d == 0)
			return idx;
		if (d < 0)
			hi = mid - 1;
		else
			lo = mid + 1;
	}
	return -1;
}

static struct csvin *evolve_open(const struct evolve *e, const char *name, const struct tmpl_columns *cols,
				 struct bangfu_err *err)
{
	char path[PATH_MAX];
	struct csvin_options opt = {0};

	textf(path, sizeof path, "%s/%s", e->dir, name);
	opt.columns = cols;
	return csvin_open(path, &opt, err);
}

static const char *field_at(const struct csvin_row *row, int col)
{
	return col >= 0 && col < row->nfields ? row->fields[col] : "";
}

/* A row csvin refused, in a file gen wrote: DIR is not what it should be. */
static int row_refused(const struct evolve *e, const char *name, const struct csvin_row *row, struct bangfu_err *err)
{
	char path[PATH_MAX];

	textf(path, sizeof path, "%s/%s", e->dir, name);
	return bangfu_fail(err, ERR_INPUT, path, row->line, row->reject_col, "bad_row", "%s",
			   row->rejected ? row->reject_message : "not the row of truth.csv's person here");
}

static uint32_t kinds_parse(const char *list)
{
	uint32_t kinds = 0;

	while (list && *list) {
		size_t n = strcspn(list, ";");

		for (int k = 0; k < K_COUNT; k++)
			if (strlen(KIND_INFO[k].name) == n && strncmp(KIND_INFO[k].name, list, n) == 0)
				kinds |= KBIT(k);
		list += n + (list[n] == ';');
	}
	return kinds;
}

static long birth_of_id(const char *id)
{
	int y = 0, m, d;

	for (int i = 6; i < 10; i++)
		y = y * 10 + (id[i] - '0');
	m = (id[10] - '0') * 10 + (id[11] - '0');
	d = (id[12] - '0') * 10 + (id[13] - '0');
	return datefmt_days_from_civil(y, m, d);
}

static uint64_t fnv64(uint64_t h, const char *s)
{
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * UINT64_C(1099511628211);
	return h;
}

static int truth_columns(const struct evolve *e, struct csvin *in, int at[13], struct bangfu_err *err)
{
	static const char *const COLS[] = {"person_key", "true_id", "roster_id_raw", "hr_id_raw", "in_roster", "in_hr",
					   "expected_category", "kinds", "household_id", "city", "county", "township",
					   "name"};

	for (int i = 0; i < 13; i++)
		if ((at[i] = csvin_find_column(in, COLS[i])) < 0) {
			char path[PATH_MAX];

			textf(path, sizeof path, "%s/truth.csv", e->dir);
			return bangfu_fail(err, ERR_INPUT, path, 1, 0, "bad_header",
					   "no column %s: not a truth.csv of bangfu-gen", COLS[i]);
		}
	return 0;
}

enum { T_KEY, T_ID, T_ROSTER_RAW, T_HR_RAW, T_IN_ROSTER, T_IN_HR, T_CATEGORY, T_KINDS, T_HOUSEHOLD, T_CITY,
       T_COUNTY, T_TOWNSHIP, T_NAME };

static int evolve_read_truth(struct gen *g, struct evolve *e, struct bangfu_err *err)
{
	struct csvin *in = evolve_open(e, "truth.csv", NULL, err);
	struct csvin_row *row;
	int at[13], rc;
	size_t cap;

	if (!in || truth_columns(e, in, at, err) != 0) {
		csvin_close(in);
		return -1;
	}
	e->same_county = e->same_city = 1;
	while ((rc = csvin_next(in, &row, err)) == 1) {
		struct ev_person *p;
		const char *id = field_at(row, at[T_ID]), *key = field_at(row, at[T_KEY]);

		if (row->rejected) {
			rc = row_refused(e, "truth.csv", row, err);
			break;
		}
		if (strlen(id) != 18 || key[0] != 'P') {
			rc = row_refused(e, "truth.csv", row, err);
			break;
		}
		e->p = grow_array(e->p, sizeof *e->p, &e->cap, (size_t)e->n + 1);
		p = &e->p[e->n++];
		memset(p, 0, sizeof *p);
		p->number = strtol(key + 1, NULL, 10);
		memcpy(p->id, id, 19);
		p->kinds = kinds_parse(field_at(row, at[T_KINDS]));
		p->in_roster = strcmp(field_at(row, at[T_IN_ROSTER]), "1") == 0;
		p->in_hr = strcmp(field_at(row, at[T_IN_HR]), "1") == 0;
		p->emp_r = p->emp_h = p->returned = -1;
		p->event = -1;
		if (p->kinds & ID_BREAKING_KINDS) {
			p->roster_bad = p->in_roster && strcmp(field_at(row, at[T_ROSTER_RAW]), id) != 0;
			p->hr_bad = p->in_hr && strcmp(field_at(row, at[T_HR_RAW]), id) != 0;
			if (p->roster_bad)
				p->roster_raw = xstrdup(field_at(row, at[T_ROSTER_RAW]));
		}
		if (p->number > g->persons_made)
			g->persons_made = p->number;
		if (e->n == 1) {
			textf(e->first_city, sizeof e->first_city, "%s", field_at(row, at[T_CITY]));
			textf(e->first_county, sizeof e->first_county, "%s", field_at(row, at[T_COUNTY]));
		}
		e->same_city &= strcmp(e->first_city, field_at(row, at[T_CITY])) == 0;
		e->same_county &= e->same_city && strcmp(e->first_county, field_at(row, at[T_COUNTY])) == 0;
	}
	csvin_close(in);
	if (rc != 0)
		return -1;
	if (e->n == 0)
		return bangfu_fail(err, ERR_INPUT, e->dir, 0, 0, "empty", "truth.csv has no person");
	for (cap = 1024; cap < (size_t)e->n * 2 + 64; cap *= 2)
		;
	e->map_keys = xcalloc(cap, sizeof *e->map_keys);
	e->map_vals = xcalloc(cap, sizeof *e->map_vals);
	e->map_mask = cap - 1;
	for (long i = 0; i < e->n; i++)
		map_put(e, id_body(e->p[i].id), i);
	return 0;
}

/* The person of a row: by its ID when that is valid, else the next person
 * damaged on that side (*next_bad walks through them). */
static long person_of_row(const struct gen *g, const struct evolve *e, const char *raw, int roster, long *next_bad)
{
	struct idno x;

	idno_parse(raw, g->end_y * 10000 + g->end_m * 100 + g->end_d, &x);
	if (x.status == IDNO_OK)
		return map_get(e, id_body(x.id));
	while (*next_bad < e->n && !(roster ? e->p[*next_bad].roster_bad : e->p[*next_bad].hr_bad))
		(*next_bad)++;
	return *next_bad < e->n ? (*next_bad)++ : -1;
}

static int row_unmatched(const struct evolve *e, const char *name, long line, struct bangfu_err *err)
{
	char path[PATH_MAX];

	textf(path, sizeof path, "%s/%s", e->dir, name);
	return bangfu_fail(err, ERR_INPUT, path, line, 0, "not_in_truth",
			   "the row's person is not in truth.csv (the files of --evolve-from must come from one "
			   "bangfu-gen run, unedited)");
}

static int evolve_read_roster(struct gen *g, struct evolve *e, struct bangfu_err *err)
{
	struct csvin *in = evolve_open(e, "roster.csv", &e->roster_cols, err);
	struct csvin_row *row;
	long next_bad = 0;
	int rc;

	if (!in)
		return -1;
	for (int c = 0; c <= RC_REMARK; c++)
		e->roster_at[c] = csvin_field_column(in, c);
	e->form_real_in = e->roster_at[RC_SEQ] >= 0;
	while ((rc = csvin_next(in, &row, err)) == 1) {
		long idx;
		struct ev_person *p;
		const char *ability;
		char name_key[256];
		int v, age;

		if (row->rejected) {
			rc = row_refused(e, "roster.csv", row, err);
			break;
		}
		idx = person_of_row(g, e, field_at(row, e->roster_at[RC_ID]), 1, &next_bad);
		if (idx < 0 || !e->p[idx].in_roster) {
			rc = row_unmatched(e, "roster.csv", row->line, err);
			break;
		}
		p = &e->p[idx];
		if (p->roster_bad && strcmp(p->roster_raw, field_at(row, e->roster_at[RC_ID])) != 0) {
			rc = row_unmatched(e, "roster.csv", row->line, err);
			break;
		}
		if (p->emp_r >= 0)
			continue; /* a duplicate row: the first one says */
		p->emp_r = strcmp(field_at(row, e->roster_at[RC_EMPLOYED]), "是") == 0;
		v = village_find(g, field_at(row, e->roster_at[RC_COUNTY]), field_at(row, e->roster_at[RC_TOWNSHIP]),
				 field_at(row, e->roster_at[RC_VILLAGE]));
		if (v >= 0) {
			const char *hh = field_at(row, e->roster_at[RC_HOUSEHOLD]);
			const char *dash = strrchr(hh, '-');

			p->village = &g->ref.villages[v];
			if (dash && atoi(dash + 1) > e->village_seq[v])
				e->village_seq[v] = atoi(dash + 1);
		}
		ability = field_at(row, e->roster_at[RC_LABOR]);
		age = age_at_end(g, birth_of_id(p->id));
		p->able = ability[0] && strcmp(ability, LA_LOST) != 0 && strcmp(ability, LA_NONE) != 0 && age >= 16 &&
			  age <= 60;
		p->population = strcmp(field_at(row, e->roster_at[RC_HOUSEHOLD_TYPE]), HT_MONITORED) == 0    ? 1
				: strcmp(field_at(row, e->roster_at[RC_HOUSEHOLD_TYPE]), HT_LOW_INCOME) == 0 ? 2
													     : 0;
		compare_name_key(field_at(row, e->roster_at[RC_NAME]), name_key, sizeof name_key);
		p->who = fnv64(fnv64(fnv64(UINT64_C(1469598103934665603), field_at(row, e->roster_at[RC_HOUSEHOLD])),
				     "\x1f"),
			       name_key) | 1;
	}
	csvin_close(in);
	return rc == 0 ? 0 : -1;
}

static int evolve_read_hr(struct gen *g, struct evolve *e, struct bangfu_err *err)
{
	struct csvin *in = evolve_open(e, "hr.csv", &e->hr_cols, err);
	struct csvin_row *row;
	long next_bad = 0;
	int rc;

	if (!in)
		return -1;
	for (int c = 0; c < HC_NCOLS; c++)
		e->hr_at[c] = csvin_field_column(in, c);
	while ((rc = csvin_next(in, &row, err)) == 1) {
		long idx;
		struct ev_person *p;
		const char *province;

		if (row->rejected) {
			rc = row_refused(e, "hr.csv", row, err);
			break;
		}
		idx = person_of_row(g, e, field_at(row, e->hr_at[HC_ID]), 0, &next_bad);
		if (idx < 0 || !e->p[idx].in_hr) {
			rc = row_unmatched(e, "hr.csv", row->line, err);
			break;
		}
		p = &e->p[idx];
		if (p->emp_h >= 0)
			continue;
		p->emp_h = strcmp(field_at(row, e->hr_at[HC_STATUS]), "已就业") == 0;
		p->returned = strcmp(field_at(row, e->hr_at[HC_RETURNED]), "是") == 0;
		province = field_at(row, e->hr_at[HC_PROVINCE]);
		p->out_province = p->emp_h && province[0] && strcmp(province, "湖南省") != 0;
		if (p->kinds & KBIT(K_ROSTER_LAG)) {
			p->hr = xcalloc(1, sizeof *p->hr);
			p->hr->employed = p->emp_h;
			p->hr->province = xstrdup(province);
			p->hr->city = xstrdup(field_at(row, e->hr_at[HC_WORK_CITY]));
			p->hr->county = xstrdup(field_at(row, e->hr_at[HC_WORK_COUNTY]));
			p->hr->employer = xstrdup(field_at(row, e->hr_at[HC_EMPLOYER]));
			p->hr->start = xstrdup(field_at(row, e->hr_at[HC_WORK_START]));
		}
	}
	csvin_close(in);
	return rc == 0 ? 0 : -1;
}

static int cmp_u64_index(const void *a, const void *b)
{
	const uint64_t *x = a, *y = b;

	return x[0] != y[0] ? (x[0] < y[0] ? -1 : 1) : (x[1] < y[1] ? -1 : x[1] > y[1]);
}

/* Persons who share their name (key) with another of their household: an
 * ID event would leave nothing to tell them apart by, so they get none. */
static void mark_name_clashes(struct evolve *e)
{
	uint64_t(*pairs)[2] = xcalloc((size_t)e->n + 1, sizeof *pairs);
	long n = 0;

	for (long i = 0; i < e->n; i++)
		if (e->p[i].who) {
			pairs[n][0] = e->p[i].who;
			pairs[n++][1] = (uint64_t)i;
		}
	qsort(pairs, (size_t)n, sizeof *pairs, cmp_u64_index);
	for (long i = 1; i < n; i++)
		if (pairs[i][0] == pairs[i - 1][0])
			e->p[pairs[i][1]].clash = e->p[pairs[i - 1][1]].clash = 1;
	free(pairs);
}

/* IDs DIR's own month let go (departures, corrected IDs): not issued again. */
static void ids_of_changes(struct gen *g, const struct evolve *e)
{
	struct bangfu_err ignored;
	struct csvin *in;
	struct csvin_row *row;
	char path[PATH_MAX];
	int c_id, c_old;

	textf(path, sizeof path, "%s/changes_truth.csv", e->dir);
	if (access(path, R_OK) != 0 || !(in = csvin_open(path, NULL, &ignored)))
		return;
	c_id = csvin_find_column(in, "id_number");
	c_old = csvin_find_column(in, "old_id");
	while (csvin_next(in, &row, &ignored) == 1) {
		const char *ids[2] = {field_at(row, c_id), field_at(row, c_old)};

		for (int k = 0; k < 2; k++)
			if (strlen(ids[k]) == 18 && strspn(ids[k], "0123456789") >= 17)
				ids_add(g, id_body(ids[k]));
	}
	csvin_close(in);
}

/* ---- deciding the month ---- */

/* A person like the one of DIR, as job_generate needs it: home, birth. */
static void person_stub(const struct gen *g, const struct ev_person *p, struct person *out)
{
	memset(out, 0, sizeof *out);
	out->village = p->village;
	out->township = &g->ref.townships[p->village->township];
	out->birth = birth_of_id(p->id);
	date_parts(out->birth, &out->birth_y, &(int){0}, &(int){0});
	textf(out->id, sizeof out->id, "%s", p->id);
}

static long day_of_month(struct gen *g, struct evolve *e)
{
	return e->month_start + (long)rng_below(&g->damage_rng, (uint32_t)(g->end - e->month_start + 1));
}

/* A sound roster ID gone wrong: typed wrong, two digits swapped, or through
 * Excel.  Returns the kind. */
static enum kind id_broken(struct gen *g, const char *id, char *out, size_t outsz)
{
	struct rng *r = &g->damage_rng;
	unsigned x = rng_below(r, 10);
	char t[19];

	if (x < 4 && id_typo(g, r, id, t) == 0) {
		textf(out, outsz, "%s", t);
		return K_ID_TYPO;
	}
	if (x < 6 && id_transposition(g, r, id, t) == 0) {
		textf(out, outsz, "%s", t);
		return K_ID_TRANSPOSITION;
	}
	if (x < 8 && id[17] != 'X' && id_rounded(id, t) == 0) {
		textf(out, outsz, "%s", t);
		return K_EXCEL_ROUNDED;
	}
	if (id[17] != 'X') {
		id_scientific(id, out, outsz);
		return K_EXCEL_SCIENTIFIC;
	}
	if (id_typo(g, r, id, t) != 0)
		die_internal("no ID typo found");
	textf(out, outsz, "%s", t);
	return K_ID_TYPO;
}

static void evolve_decide(struct gen *g, struct evolve *e)
{
	struct rng *r = &g->damage_rng;

	for (long i = 0; i < e->n; i++) {
		struct ev_person *p = &e->p[i];
		int lagging = (p->kinds & KBIT(K_ROSTER_LAG)) != 0;
		int emp = p->in_hr ? p->emp_h : p->emp_r;
		int settled = !(p->kinds & KBIT(K_CONFLICT_EMPLOYED)) && !lagging;
		int job_ok = p->in_roster && p->village && p->able && settled && emp >= 0;
		uint32_t ok = 0, fired = 0, arrival = 0;

		p->after = p->kinds;
		if (lagging && p->hr) {
			/* the roster follows the platform now */
			p->after &= ~(KBIT(K_ROSTER_LAG) | KBIT(K_CONFLICT_EMPLOYED));
			if (!p->hr->employed) {
				p->intent = rng_permille(r, 550) ? "县内" : "县外";
				p->service_need = wpick(r, &service_needs);
			}
		}
		if (job_ok)
			ok |= emp ? KBIT(K_JOB_LOSS) : KBIT(K_NEW_JOB);
		if (job_ok && p->in_hr && !p->hr_bad && p->returned == 0 && (emp == 0 || p->out_province))
			ok |= KBIT(K_RETURN);
		if (p->roster_bad && !p->clash)
			ok |= KBIT(K_ID_FIX);
		if (p->in_roster && p->in_hr && !p->clash && p->who &&
		    !(p->kinds & (STRUCTURAL_KINDS | CONFLICT_KINDS | KBIT(K_ID_FORMAT) | KBIT(K_ID_LEGACY15) |
				  KBIT(K_ROSTER_LAG))))
			ok |= KBIT(K_ID_BREAK);
		if (p->in_roster)
			ok |= KBIT(K_DEPARTURE);
		kinds_exclusive(g, K_NEW_JOB, K_DEPARTURE, ok, &fired);
		if (p->in_roster && p->village) {
			kind_maybe(g, K_ARRIVAL, 1, &arrival);
			if (arrival) {
				e->arrivals = grow_array(e->arrivals, sizeof *e->arrivals, &e->arrivals_cap,
							 (size_t)e->narrivals + 1);
				e->arrivals[e->narrivals++] = p->village;
			}
		}
		for (int k = K_NEW_JOB; k <= K_DEPARTURE; k++)
			if (fired & KBIT(k))
				p->event = k;
		if (p->event < 0)
			continue;
		e->events[p->event]++;
		switch (p->event) {
		case K_NEW_JOB: {
			struct person stub;

			person_stub(g, p, &stub);
			p->job = xcalloc(1, sizeof *p->job);
			job_generate(g, r, p->job, &stub, e->month_start);
			p->day = p->job->start;
			p->date_form = (unsigned char)rng_below(r, 100);
			break;
		}
		case K_RETURN:
			p->day = day_of_month(g, e);
			if (emp == 1)
				p->loses_job = 1;
			break;
		case K_JOB_LOSS:
			p->day = day_of_month(g, e);
			p->loses_job = 1;
			break;
		case K_ID_FIX:
			p->new_roster_raw = xstrdup(p->id);
			p->after &= ~ID_BREAKING_KINDS;
			break;
		case K_ID_BREAK: {
			char broken[64];

			p->after |= KBIT(id_broken(g, p->id, broken, sizeof broken));
			p->new_roster_raw = xstrdup(broken);
			break;
		}
		default:
			break;
		}
		if (p->loses_job) {
			p->jobless = rng_permille(r, 600);
			p->intent = rng_permille(r, 550) ? "县内" : "县外";
			p->service_need = wpick(r, &service_needs);
			/* nothing left for the two sources to differ on but employment */
			p->after &= ~(KBIT(K_CONFLICT_REGION) | KBIT(K_CONFLICT_EMPLOYER) | KBIT(K_EMPLOYER_FORMAT));
		}
		if ((p->event == K_NEW_JOB || p->event == K_JOB_LOSS) && p->in_hr && !(p->kinds & STRUCTURAL_KINDS)) {
			uint32_t lag = 0;

			kind_maybe(g, K_ROSTER_LAG, 1, &lag);
			if (lag) {
				p->lag = 1;
				p->after |= KBIT(K_ROSTER_LAG) | KBIT(K_CONFLICT_EMPLOYED);
			}
		}
	}
}

/* ---- writing the month ---- */

static void date_text(const struct gen *g, long day, int form, char *out, size_t outsz)
{
	if (g->form_real)
		date_mixed(day, form, out, outsz);
	else
		date_iso(day, out, outsz);
}

static void roster_write_fields(struct gen *g, const char **f)
{
	char seq[24];

	g->roster_seq++;
	textf(seq, sizeof seq, "%ld", g->roster_seq);
	for (size_t i = 0; i < g->nroster_cols; i++) {
		int c = g->roster_cols[i].col;

		table_field(&g->roster, c == RC_SEQ ? seq : f[c] ? f[c] : "");
	}
	table_end_row(&g->roster);
}

static int evolve_write_roster(struct gen *g, struct evolve *e, struct bangfu_err *err)
{
	struct csvin *in = evolve_open(e, "roster.csv", &e->roster_cols, err);
	struct csvin_row *row;
	long next_bad = 0;
	int rc;

	if (!in)
		return -1;
	while ((rc = csvin_next(in, &row, err)) == 1) {
		const char *f[RC_REMARK + 1];
		char place[EMPLOYER_MAX], start[64];
		struct ev_person *p;
		long idx = person_of_row(g, e, field_at(row, e->roster_at[RC_ID]), 1, &next_bad);

		if (idx < 0) {
			rc = row_unmatched(e, "roster.csv", row->line, err);
			break;
		}
		p = &e->p[idx];
		if (p->event == K_DEPARTURE)
			continue;
		for (int c = 0; c <= RC_REMARK; c++)
			f[c] = field_at(row, e->roster_at[c]);
		if (p->new_roster_raw)
			f[RC_ID] = p->new_roster_raw;
		if (p->job && !p->lag) {
			work_place_text(p->job, place, sizeof place);
			date_text(g, p->job->start, p->date_form, start, sizeof start);
			f[RC_EMPLOYED] = "是";
			f[RC_WORK_PLACE] = place;
			f[RC_EMPLOYER] = p->job->employer;
			f[RC_WORK_START] = start;
			f[RC_INTENT] = f[RC_SERVICE] = "";
		} else if (p->loses_job && !p->lag) {
			f[RC_EMPLOYED] = "否";
			f[RC_WORK_PLACE] = f[RC_EMPLOYER] = f[RC_WORK_START] = "";
			f[RC_INTENT] = p->intent;
			f[RC_SERVICE] = p->service_need;
		} else if (p->hr) {
			/* last month's lag: the roster writes what the platform has */
			const struct hr_values *h = p->hr;

			f[RC_EMPLOYED] = h->employed ? "是" : "否";
			if (h->employed) {
				textf(place, sizeof place, "%s%s%s", h->province,
				      strcmp(h->city, h->province) != 0 ? h->city : "", h->county);
				f[RC_WORK_PLACE] = place;
				f[RC_EMPLOYER] = h->employer;
				f[RC_WORK_START] = h->start;
				f[RC_INTENT] = f[RC_SERVICE] = "";
			} else {
				f[RC_WORK_PLACE] = f[RC_EMPLOYER] = f[RC_WORK_START] = "";
				f[RC_INTENT] = p->intent;
				f[RC_SERVICE] = p->service_need;
			}
		}
		roster_write_fields(g, f);
	}
	csvin_close(in);
	return rc == 0 ? 0 : -1;
}

static void hr_write_fields(struct gen *g, const char **f)
{
	for (size_t i = 0; i < g->nhr_cols; i++) {
		int c = g->hr_cols[i].col;

		table_field(&g->hr, f[c] ? f[c] : "");
	}
	table_end_row(&g->hr);
}

static int evolve_write_hr(struct gen *g, struct evolve *e, struct bangfu_err *err)
{
	static const char *const STATUS[] = {"已就业", "未就业", "失业"};
	struct csvin *in = evolve_open(e, "hr.csv", &e->hr_cols, err);
	struct csvin_row *row;
	long next_bad = 0;
	int rc;

	if (!in)
		return -1;
	while ((rc = csvin_next(in, &row, err)) == 1) {
		const char *f[HC_NCOLS];
		char start[32], updated[32], back[32], employer_place[256];
		struct ev_person *p;
		long idx = person_of_row(g, e, field_at(row, e->hr_at[HC_ID]), 0, &next_bad);

		if (idx < 0) {
			rc = row_unmatched(e, "hr.csv", row->line, err);
			break;
		}
		p = &e->p[idx];
		if (p->event == K_DEPARTURE)
			continue;
		for (int c = 0; c < HC_NCOLS; c++)
			f[c] = field_at(row, e->hr_at[c]);
		if (!f[HC_PERSON_CLASS][0])
			f[HC_PERSON_CLASS] = p->population == 1	  ? "监测对象劳动力"
					     : p->population == 2 ? "农村低收入人口"
								  : "脱贫劳动力";
		if (p->event >= 0 && p->day) {
			if (g->form_real)
				datetime_iso(p->day, 8 * 3600 + (int)(p->number % 36000), updated, sizeof updated);
			else
				date_iso(p->day, updated, sizeof updated);
			f[HC_UPDATED] = updated;
		}
		if (p->job) {
			const struct region *w = p->job->where;

			date_iso(p->job->start, start, sizeof start);
			f[HC_STATUS] = STATUS[HR_EMPLOYED];
			f[HC_TYPE] = p->job->type;
			f[HC_PROVINCE] = w->province;
			f[HC_WORK_CITY] = region_city_name(w);
			f[HC_WORK_COUNTY] =
				!p->job->hr_no_county && strcmp(w->county, region_city_name(w)) != 0 ? w->county : "";
			f[HC_EMPLOYER] = p->job->employer;
			f[HC_WORK_START] = start;
			employer_place[0] = '\0';
			if (p->job->employer_where)
				region_full_name(p->job->employer_where, employer_place, sizeof employer_place);
			f[HC_EMPLOYER_PLACE] = employer_place;
		} else if (p->loses_job) {
			f[HC_STATUS] = STATUS[p->jobless ? HR_JOBLESS : HR_NOT_EMPLOYED];
			f[HC_TYPE] = f[HC_PROVINCE] = f[HC_WORK_CITY] = f[HC_WORK_COUNTY] = f[HC_EMPLOYER] =
				f[HC_WORK_START] = f[HC_EMPLOYER_PLACE] = "";
		}
		if (p->event == K_RETURN) {
			date_iso(p->day, back, sizeof back);
			f[HC_RETURNED] = "是";
			f[HC_RETURN_DATE] = back;
		}
		hr_write_fields(g, f);
	}
	csvin_close(in);
	return rc == 0 ? 0 : -1;
}

/* What reconcile sees of a person of DIR, last month (after = 0) or this
 * month (after = 1). */
static struct seen seen_of(const struct ev_person *p, int after)
{
	struct seen s;
	int roster_bad = p->roster_bad, emp_r = p->emp_r, emp_h = p->emp_h, returned = p->returned;

	if (after && p->event == K_DEPARTURE)
		return (struct seen){0, 0, -1, -1};
	if (after) {
		roster_bad = p->event == K_ID_FIX ? 0 : p->event == K_ID_BREAK ? 1 : roster_bad;
		emp_h = p->job ? 1 : p->loses_job ? 0 : emp_h;
		if (p->hr)
			emp_r = p->hr->employed;
		else if (!p->lag)
			emp_r = p->job ? 1 : p->loses_job ? 0 : emp_r;
		returned = p->event == K_RETURN ? 1 : returned;
	}
	s.roster = p->in_roster && !roster_bad;
	s.hr = p->in_hr && !p->hr_bad;
	s.employed = s.hr ? emp_h : s.roster ? emp_r : -1;
	s.returned = s.hr ? returned : -1;
	return s;
}

static const char *event_name(const struct ev_person *p)
{
	return p->event >= 0 ? KIND_INFO[p->event].name : "";
}

/* truth.csv again, person by person: this month's row of each who stays,
 * the conflicting fields of their kinds, and their changes. */
static int evolve_write_truth(struct gen *g, struct evolve *e, struct bangfu_err *err)
{
	struct csvin *in = evolve_open(e, "truth.csv", NULL, err);
	struct csvin_row *row;
	struct strbuf list;
	int at[13], rc;
	long i = 0;

	if (!in || truth_columns(e, in, at, err) != 0) {
		csvin_close(in);
		return -1;
	}
	strbuf_init(&list);
	while ((rc = csvin_next(in, &row, err)) == 1 && i < e->n) {
		struct ev_person *p = &e->p[i++];
		const char *place[3] = {field_at(row, at[T_CITY]), field_at(row, at[T_COUNTY]),
					field_at(row, at[T_TOWNSHIP])};
		struct seen before = seen_of(p, 0), now = seen_of(p, 1);
		char fixed_from[64], broken_to[64];
		enum category cat = category_of(p->after);

		if (row->rejected || strcmp(field_at(row, at[T_ID]), p->id) != 0) {
			rc = row_refused(e, "truth.csv", row, err);
			break;
		}
		if (p->event == K_ID_FIX)
			idno_normalise(p->roster_raw, fixed_from, sizeof fixed_from);
		if (p->event == K_ID_BREAK)
			idno_normalise(p->new_roster_raw, broken_to, sizeof broken_to);
		changes_between(g, &before, &now, field_at(row, at[T_KEY]), p->id, event_name(p), p->lag, place,
				p->event == K_ID_FIX ? fixed_from : NULL, p->event == K_ID_BREAK ? broken_to : NULL);
		if (p->event == K_DEPARTURE)
			continue;
		strbuf_reset(&list);
		for (int k = 0; k < K_COUNT; k++) {
			if (!(p->after & KBIT(k)))
				continue;
			if (list.len)
				strbuf_addch(&list, ';');
			strbuf_addstr(&list, KIND_INFO[k].name);
			if (KIND_INFO[k].field) {
				table_field(&g->truth_fields, p->id);
				table_field(&g->truth_fields, KIND_INFO[k].field);
				table_end_row(&g->truth_fields);
			}
		}
		for (int c = 0; c < 13; c++) {
			const char *s = field_at(row, at[c]);

			if (c == T_ROSTER_RAW && p->new_roster_raw)
				s = p->new_roster_raw;
			else if (c == T_CATEGORY)
				s = CATEGORY_CODE[cat];
			else if (c == T_KINDS)
				s = strbuf_str(&list);
			table_field(&g->truth, s);
		}
		table_end_row(&g->truth);
		g->category[cat]++;
	}
	strbuf_free(&list);
	csvin_close(in);
	if (rc == 1)
		rc = bangfu_fail(err, ERR_INPUT, e->dir, 0, 0, "changed", "truth.csv changed while it was read");
	return rc == 0 ? 0 : -1;
}

/* The new households: one member per arrival that ticked, in households of
 * one to three in the villages where they ticked. */
static void evolve_arrivals(struct gen *g, struct evolve *e)
{
	long left = e->narrivals;

	for (long k = 0; left > 0 && k < e->narrivals; k++) {
		const struct village *v = e->arrivals[k];
		int size = 1 + (int)rng_below(&g->person_rng, 3);
		long before = g->persons_made;

		if (size > left)
			size = (int)left;
		household_emit(g, v, ++e->village_seq[v - g->ref.villages], size);
		left -= g->persons_made - before;
	}
}

/* Read DIR and decide the month; the files are written by evolve_write. */
static int evolve_prepare(struct gen *g, struct evolve *e, struct bangfu_err *err)
{
	size_t cap;

	columns_for(&e->roster_cols, e->roster_col, RC_REMARK + 1, ROSTER_PLAIN, ARRAY_SIZE(ROSTER_PLAIN),
		    ROSTER_REAL, ARRAY_SIZE(ROSTER_REAL), RC_ID, RC_NAME);
	columns_for(&e->hr_cols, e->hr_col, HC_NCOLS, HR_PLAIN, ARRAY_SIZE(HR_PLAIN), HR_REAL,
		    ARRAY_SIZE(HR_REAL), HC_ID, HC_NAME);
	e->village_order = xcalloc((size_t)g->ref.nvillages + 1, sizeof *e->village_order);
	e->village_seq = xcalloc((size_t)g->ref.nvillages + 1, sizeof *e->village_seq);
	for (int i = 0; i < g->ref.nvillages; i++)
		e->village_order[i] = i;
	village_ref = &g->ref;
	qsort(e->village_order, (size_t)g->ref.nvillages, sizeof *e->village_order, cmp_village_name);
	e->month_start = datefmt_days_from_civil(g->end_y, g->end_m, 1);
	if (evolve_read_truth(g, e, err) != 0)
		return -1;
	/* every ID of DIR stays taken; arrivals get new ones */
	for (cap = 1024; cap < (size_t)e->n * 4 + 64; cap *= 2)
		;
	g->ids = xcalloc(cap, sizeof *g->ids);
	g->ids_mask = cap - 1;
	for (long i = 0; i < e->n; i++)
		ids_add(g, id_body(e->p[i].id));
	ids_of_changes(g, e);
	if (evolve_read_roster(g, e, err) != 0 || evolve_read_hr(g, e, err) != 0)
		return -1;
	mark_name_clashes(e);
	{
		long lost = 0;

		for (long i = 0; i < e->n; i++)
			lost += e->p[i].in_roster && !e->p[i].village;
		if (lost)
			msg_errorf("warning: %ld roster persons live in villages %s/hunan_villages.csv does not have: they "
				   "get no new job, job loss or return and bring no arrival (give the --data of DIR's "
				   "first month)",
				   lost, g->data_dir);
	}
	if (e->same_county)
		textf(g->reporting_unit, sizeof g->reporting_unit, "%s人社局", e->first_county);
	else if (e->same_city)
		textf(g->reporting_unit, sizeof g->reporting_unit, "%s人社局", e->first_city);
	else
		textf(g->reporting_unit, sizeof g->reporting_unit, "湖南省人力资源和社会保障厅");
	evolve_decide(g, e);
	return 0;
}

static int evolve_write(struct gen *g, struct evolve *e, struct bangfu_err *err)
{
	if (evolve_write_roster(g, e, err) != 0 || evolve_write_hr(g, e, err) != 0 ||
	    evolve_write_truth(g, e, err) != 0)
		return -1;
	evolve_arrivals(g, e);
	return 0;
}

static void evolve_free(struct evolve *e)
{
	for (long i = 0; i < e->n; i++) {
		struct ev_person *p = &e->p[i];

		free(p->roster_raw);
		free(p->new_roster_raw);
		free(p->job);
		if (p->hr) {
			free(p->hr->province);
			free(p->hr->city);
			free(p->hr->county);
			free(p->hr->employer);
			free(p->hr->start);
			free(p->hr);
		}
	}
	free(e->p);
	free(e->map_keys);
	free(e->map_vals);
	free(e->village_order);
	free(e->village_seq);
	free(e->arrivals);
	columns_free(&e->roster_cols);
	columns_free(&e->hr_cols);
}

/* ---- options ---- */

static int usage_error(const char *fmt, const char *arg)
{
	msg_errorf(fmt, arg);
	fprintf(stderr, "Try 'bangfu-gen --help'.\n");
	return EXIT_USAGE;
}

static int parse_period(struct gen *g, const char *s)
{
	int y, m;
	char tail;

	if (strlen(s) != 7 || sscanf(s, "%4d-%2d%c", &y, &m, &tail) != 2 || s[4] != '-' || y < 1990 ||
	    y > 2100 || m < 1 || m > 12)
		return -1;
	textf(g->period, sizeof g->period, "%04d-%02d", y, m);
	g->end_y = y;
	g->end_m = m;
	g->end_d = datefmt_month_days(y, m);
	g->end = datefmt_days_from_civil(y, m, g->end_d);
	return 0;
}

static int file_exists(const char *dir, const char *name)
{
	char path[PATH_MAX];
	struct stat st;

	if (strlen(dir) + strlen(name) + 2 > sizeof path)
		return 0;
	textf(path, sizeof path, "%s/%s", dir, name);
	return stat(path, &st) == 0;
}

/* --data, else ./data, else the executable's ../data (bin/ of a checkout),
 * else the installed share directory. */
static int data_dir_find(struct gen *g, const char *opt, const char *argv0)
{
	char exe[PATH_MAX];
	ssize_t n;
	char *slash;

	if (opt) {
		textf(g->data_dir, sizeof g->data_dir, "%s", opt);
		return 0;
	}
	if (file_exists("data", "hunan_townships.csv")) {
		textf(g->data_dir, sizeof g->data_dir, "data");
		return 0;
	}
	n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0)
		exe[n] = '\0';
	else
		textf(exe, sizeof exe, "%s", argv0);
	slash = strrchr(exe, '/');
	if (slash) {
		*slash = '\0';
		if (strlen(exe) + 10 < sizeof g->data_dir) {
			textf(g->data_dir, sizeof g->data_dir, "%s/../data", exe);
			if (file_exists(g->data_dir, "hunan_townships.csv"))
				return 0;
		}
	}
#ifdef BANGFU_DATADIR
	textf(g->data_dir, sizeof g->data_dir, "%s/data", BANGFU_DATADIR);
	if (file_exists(g->data_dir, "hunan_townships.csv"))
		return 0;
#endif
	return -1;
}

static int mkdir_p(const char *dir)
{
	char path[PATH_MAX];

	if (strlen(dir) >= sizeof path)
		return -1;
	strcpy(path, dir);
	for (char *p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0777) != 0 && errno != EEXIST)
			return -1;
		*p = '/';
	}
	return mkdir(path, 0777) != 0 && errno != EEXIST ? -1 : 0;
}

static int rates_set(struct gen *g, const char *spec)
{
	const char *eq = strchr(spec, '=');
	char *end;
	double p;

	if (!eq)
		return -1;
	errno = 0;
	p = strtod(eq + 1, &end);
	if (errno || end == eq + 1 || *end || !(p >= 0.0 && p <= 1.0))
		return -1;
	for (int k = 0; k < K_COUNT; k++) {
		if (strlen(KIND_INFO[k].name) == (size_t)(eq - spec) &&
		    strncmp(KIND_INFO[k].name, spec, (size_t)(eq - spec)) == 0) {
			g->kinds[k].rate = p;
			return 0;
		}
	}
	return -1;
}

static double seconds_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

static const char *const FORMS[] = {"plain", "real", NULL};

/* The kinds and their default rates, after the options in --help. */
static void kinds_help(char *out, size_t outsz)
{
	size_t n = 0;

	n += (size_t)snprintf(out + n, outsz - n, "kinds of damage and default rates (--rate KIND=P):\n");
	for (int k = 0; k < K_COUNT && n < outsz; k++) {
		if (k == K_NEW_JOB)
			n += (size_t)snprintf(out + n, outsz - n,
					      "\nthe month's changes (--evolve-from) and default rates:\n");
		if (n < outsz)
			n += (size_t)snprintf(out + n, outsz - n, "  %-18s %.3f\n", KIND_INFO[k].name,
					      KIND_INFO[k].default_rate);
	}
	if (n < outsz)
		snprintf(out + n, outsz - n,
			 "\nnew_job, job_loss and return: of the persons who can work (return: on the\n"
			 "platform, not returned yet, without a job or with one outside the province);\n"
			 "id_fix: of the persons whose roster ID is damaged; id_break: of the sound ones;\n"
			 "departure, arrival: of the roster persons (an arrival is a new household's\n"
			 "member); roster_lag: of the new jobs and jobs lost.  Exit status: 0 written,\n"
			 "1 bad input (DIR's files), 2 usage, 3 internal error.");
}

int main(int argc, char **argv)
{
	static struct gen g;
	static struct evolve evolve;
	static char epilogue[4096], description[1024];
	const char *period = NULL, *data_opt = NULL, *evolve_dir = NULL;
	struct cli_list rates = {0};
	int no_damage = 0, form = 0, form_given = 0, people_given = 0, status = EXIT_OK;
	const struct cli_option options[] = {
		{.kind = CLI_INT, .name = "people", .value = &g.people, .arg = "N", .min = 1, .max = 20000000,
		 .seen = &people_given, .help = "persons (1 .. 20000000); not with --evolve-from"},
		CLI_OPT_PERIOD(&period, "the month the files are for; ages and dates end at its last day"),
		CLI_OPT_REQUIRED("out", &g.out_dir, "DIR", "output directory (created)"),
		CLI_OPT_STRING("evolve-from", &evolve_dir, "DIR",
			       "the month after the one an earlier run wrote into DIR: its persons\n"
			       "and IDs, with this month's changes (the kinds new_job .. roster_lag);\n"
			       "also writes changes_truth.csv"),
		CLI_OPT_U64("seed", &g.seed, "S", NULL, "unsigned 64-bit seed (default 1)"),
		{.kind = CLI_CHOICE, .name = "form", .value = &form, .choices = FORMS, .seen = &form_given,
		 .help = "plain: UTF-8, comma, one header row of the first aliases (default)\n"
			 "real:  roster GB18030, CRLF, title rows, two-level header, other\n"
			 "       aliases, mixed date forms; HR UTF-8 tab-separated\n"
			 "(with --evolve-from: the form of DIR unless given)"},
		CLI_OPT_LIST("rate", &rates, "KIND=P", "share P (0..1) of the persons kind K can apply to; repeatable"),
		CLI_OPT_FLAG("services", &g.svc_on,
			     "also DIR/services.csv, the service records of the 12 months to the\n"
			     "period's end (job messages, training information, guidance, hires),\n"
			     "and DIR/services_truth.csv, bangfu's service measures per township\n"
			     "(exact with --no-damage); not with --evolve-from"),
		CLI_OPT_FLAG("no-damage", &no_damage,
			     "every damage rate 0 (then --rate turns single kinds back on);\n"
			     "the month's changes keep theirs"),
		CLI_OPT_STRING("data", &data_opt, "DIR",
			       "hunan_townships.csv and hunan_villages.csv (default ./data, then\n"
			       "the executable's ../data, then the installed share/bangfu/data)"),
		CLI_COMMON_OUTPUT,
		CLI_OPT_END(),
	};
	const struct cli_command cmd = {
		"bangfu-gen", NULL,
		description, epilogue, options};
	struct bangfu_err err;
	struct timespec t0;
	double structural = 0;
	size_t cap;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	bangfu_err_clear(&err);
	g.seed = 1;
	kinds_help(epilogue, sizeof epilogue);
	snprintf(description, sizeof description,
		 "Writes DIR/roster.csv, DIR/hr.csv, DIR/truth.csv, DIR/truth_fields.csv and\n"
		 "DIR/truth_subsidy.csv: N invented persons of rural Hunan in a poverty-office roster and\n"
		 "an HR-platform dump, damaged as real files are, how reconciliation must classify each,\n"
		 "and which subsidy rules of the period list whom (符合 / 待核实).  Populations (脱贫户,\n"
		 "监测对象, 农村低收入人口 %d‰ of the others), relocation, training intent and the\n"
		 "employer's place (elsewhere than the work %d‰, unrecorded %d‰) are drawn with the seed.\n"
		 "With --evolve-from, the next month of an earlier run and DIR/changes_truth.csv, every\n"
		 "change between the two months (its rows carry their populations and places over; no\n"
		 "truth_subsidy.csv).  Same arguments, same bytes.",
		 LOW_INCOME_PERMILLE, EMPLOYER_ELSEWHERE_PERMILLE, EMPLOYER_UNRECORDED_PERMILLE);
	if (cli_parse(&cmd, argc, argv, &status) < 0)
		return status;
	if (!people_given == !evolve_dir) {
		status = usage_error("give --people N for a first month or --evolve-from DIR for the next%s", "");
		goto out;
	}
	if (g.svc_on && evolve_dir) {
		status = usage_error("--services makes a first month's service records: not with --evolve-from%s", "");
		goto out;
	}
	if (parse_period(&g, period) != 0) {
		status = usage_error("--period: expected YYYY-MM, not '%s'", period);
		goto out;
	}
	if (strlen(g.out_dir) == 0 || strlen(g.out_dir) > PATH_MAX - 64) {
		status = usage_error("--out: expected a directory, not '%s'", g.out_dir);
		goto out;
	}
	if (data_opt && strlen(data_opt) > PATH_MAX - 64) {
		status = usage_error("--data: path too long: '%s'", data_opt);
		goto out;
	}
	for (int k = 0; k < K_COUNT; k++)
		g.kinds[k].rate = no_damage && (k < K_NEW_JOB || k == K_ID_BREAK) ? 0.0 : KIND_INFO[k].default_rate;
	for (int i = 0; i < rates.n; i++)
		if (rates_set(&g, rates.items[i]) != 0) {
			status = usage_error("--rate: expected KIND=P with a kind of --help and 0 <= P <= 1, not '%s'",
					     rates.items[i]);
			goto out;
		}
	for (int k = K_ROSTER_ONLY; k <= K_BAD_PROVINCE; k++)
		structural += g.kinds[k].rate;
	if (structural > 1.0 + 1e-9) {
		status = usage_error("--rate: roster_only .. bad_province exclude each other; their rates add up to more "
				     "than 1%s", "");
		goto out;
	}
	if (g.kinds[K_ID_FORMAT].rate + g.kinds[K_ID_LEGACY15].rate > 1.0 + 1e-9) {
		status = usage_error("--rate: id_format and id_legacy15 exclude each other; their rates add up to more "
				     "than 1%s", "");
		goto out;
	}
	if (evolve_dir) {
		char a[PATH_MAX], b[PATH_MAX];

		if (realpath(evolve_dir, a) && realpath(g.out_dir, b) && strcmp(a, b) == 0) {
			status = usage_error("--out must be another directory than --evolve-from %s", evolve_dir);
			goto out;
		}
	}

	/* One seed gives the streams; a month after another draws its changes
	 * from streams of its own period.  The policy fields have a stream of
	 * their own (stream 4), the service records theirs (stream 5), so that
	 * they move nobody else. */
	{
		uint64_t seed = g.seed;

		if (evolve_dir)
			seed ^= (uint64_t)(g.end_y * 100 + g.end_m) * UINT64_C(0x9e3779b97f4a7c15);
		rng_seed(&g.area_rng, seed, 1);
		rng_seed(&g.person_rng, seed, 2);
		rng_seed(&g.damage_rng, seed, 3);
		rng_seed(&g.policy_rng, seed, 4);
		rng_seed(&g.svc_rng, seed, 5);
	}
	/* the month's changes draw theirs only for a month after another, so
	 * that a first month is what it always was */
	for (int k = 0; k < (evolve_dir ? K_COUNT : K_NEW_JOB); k++)
		g.kinds[k].threshold = 1.0 - rng_unit(&g.damage_rng);
	for (int i = 0; i < SPECIAL_COUNT; i++) {
		g.specials[i].rate = SPECIAL_RATE[i];
		g.specials[i].threshold = 1.0 - rng_unit(&g.person_rng);
	}

	if (data_dir_find(&g, data_opt, argv[0]) != 0) {
		msg_errorf("hunan_townships.csv is in none of ./data, the executable's ../data and the "
			   "installed data directory; give --data DIR");
		status = EXIT_BAD_INPUT;
		goto out;
	}
	if (load_townships(g.data_dir, &g.ref, &err) != 0 || load_villages(g.data_dir, &g.ref, &err) != 0) {
		msg_error(&err);
		status = EXIT_BAD_INPUT;
		goto out;
	}
	if (g.ref.nvillages == 0) {
		msg_errorf("%s: no rural village in hunan_villages.csv", g.data_dir);
		status = EXIT_BAD_INPUT;
		goto out;
	}
	if (places_build(&g.places) != 0)
		die_internal("the GB/T 2260 table (region.h) is empty or has no Hunan");
	if (evolve_dir) {
		evolve.dir = evolve_dir;
		g.evolve = &evolve;
		if (evolve_prepare(&g, &evolve, &err) != 0) {
			status = msg_fail(&err);
			goto out;
		}
		g.form_real = form_given ? form == 1 : evolve.form_real_in;
	} else {
		g.form_real = form == 1;
		for (cap = 1024; cap < (size_t)g.people * 2 + 64; cap *= 2)
			;
		g.ids = xcalloc(cap, sizeof *g.ids);
		g.ids_mask = cap - 1;
		area_choose(&g);
	}

	if (mkdir_p(g.out_dir) != 0) {
		msg_errorf("%s: cannot create the output directory: %s", g.out_dir, strerror(errno));
		status = EXIT_INTERNAL;
		goto out;
	}
	if (evolve_dir) {
		/* no truth_subsidy.csv for a month after another: none of an
		 * earlier run stays to be taken for this month's */
		char stale[PATH_MAX];

		textf(stale, sizeof stale, "%s/truth_subsidy.csv", g.out_dir);
		if (unlink(stale) != 0 && errno != ENOENT) {
			msg_errorf("%s: cannot remove: %s", stale, strerror(errno));
			status = EXIT_INTERNAL;
			goto out;
		}
	}
	g.roster_cols = g.form_real ? ROSTER_REAL : ROSTER_PLAIN;
	g.nroster_cols = g.form_real ? ARRAY_SIZE(ROSTER_REAL) : ARRAY_SIZE(ROSTER_PLAIN);
	g.hr_cols = g.form_real ? HR_REAL : HR_PLAIN;
	g.nhr_cols = g.form_real ? ARRAY_SIZE(HR_REAL) : ARRAY_SIZE(HR_PLAIN);
	if (table_open(&g.roster, g.out_dir, "roster.csv", ',', g.form_real ? "\r\n" : "\n", g.form_real, &err) ||
	    table_open(&g.hr, g.out_dir, "hr.csv", g.form_real ? '\t' : ',', "\n", 0, &err) ||
	    table_open(&g.truth, g.out_dir, "truth.csv", ',', "\n", 0, &err) ||
	    table_open(&g.truth_fields, g.out_dir, "truth_fields.csv", ',', "\n", 0, &err) ||
	    (!evolve_dir && table_open(&g.truth_subsidy, g.out_dir, "truth_subsidy.csv", ',', "\n", 0, &err)) ||
	    (evolve_dir && table_open(&g.changes, g.out_dir, "changes_truth.csv", ',', "\n", 0, &err)) ||
	    (g.svc_on && (table_open(&g.services, g.out_dir, "services.csv", ',', "\n", 0, &err) ||
			  table_open(&g.svc_truth_out, g.out_dir, "services_truth.csv", ',', "\n", 0, &err)))) {
		msg_error(&err);
		status = EXIT_INTERNAL;
		goto out;
	}
	headers_write(&g);
	if (evolve_dir) {
		for (size_t i = 0; i < ARRAY_SIZE(CHANGE_HEADER); i++)
			table_field(&g.changes, CHANGE_HEADER[i]);
		table_end_row(&g.changes);
		g.changes.rows = 0;
		if (evolve_write(&g, &evolve, &err) != 0) {
			status = msg_fail(&err);
			goto out;
		}
	} else {
		if (g.svc_on) {
			static const char *const head[] = {"证件号码", "姓名", "服务日期", "服务类型", "服务渠道",
							   "岗位或课程", "服务结果", "服务单位", "乡镇"};

			svc_setup(&g);
			for (size_t i = 0; i < ARRAY_SIZE(head); i++)
				table_field(&g.services, head[i]);
			table_end_row(&g.services);
			g.services.rows = 0;
		}
		generate(&g);
		if (g.svc_on)
			services_truth_write(&g);
	}
	if (table_close(&g.roster, &err) || table_close(&g.hr, &err) || table_close(&g.truth, &err) ||
	    table_close(&g.truth_fields, &err) || (!evolve_dir && table_close(&g.truth_subsidy, &err)) ||
	    (evolve_dir && table_close(&g.changes, &err)) ||
	    (g.svc_on && (table_close(&g.services, &err) || table_close(&g.svc_truth_out, &err)))) {
		msg_error(&err);
		status = EXIT_INTERNAL;
		goto out;
	}
	if (evolve_dir)
		msg_info("%s -> %s (%s): %ld persons; new_job %ld, job_loss %ld, return %ld, id_fix %ld, id_break %ld, "
			 "departure %ld, arrival %ld (persons), roster_lag %ld; %ld changes in changes_truth.csv",
			 evolve_dir, g.out_dir, g.period, g.truth.rows, evolve.events[K_NEW_JOB],
			 evolve.events[K_JOB_LOSS], evolve.events[K_RETURN], evolve.events[K_ID_FIX],
			 evolve.events[K_ID_BREAK], evolve.events[K_DEPARTURE], g.kinds[K_ARRIVAL].applied,
			 g.kinds[K_ROSTER_LAG].applied, evolve.changes);
	msg_info("%ld persons in %s (%s) -> %s: roster.csv %ld rows, hr.csv %ld rows; "
		 "consistent %ld, conflict %ld, roster_only %ld, hr_only %ld, invalid_id %ld, duplicate %ld; %.2f s",
		 g.truth.rows, g.reporting_unit, g.form_real ? "real" : "plain", g.out_dir, g.roster.rows, g.hr.rows,
		 g.category[CAT_CONSISTENT], g.category[CAT_CONFLICT], g.category[CAT_ROSTER_ONLY],
		 g.category[CAT_HR_ONLY], g.category[CAT_INVALID_ID], g.category[CAT_DUPLICATE], seconds_since(&t0));
	if (g.svc_on)
		msg_info("services.csv: %ld service records (%ld as bangfu counts them in the 12 months, %ld of nobody in "
			 "the files); services_truth.csv",
			 g.services.rows, g.svc_counted, g.svc_unmatched);
	for (int k = 0; k < K_COUNT; k++)
		msg_verbose("  %-18s rate %.4f  applied %ld", KIND_INFO[k].name, g.kinds[k].rate, g.kinds[k].applied);
out:
	table_discard(&g.roster);
	table_discard(&g.hr);
	table_discard(&g.truth);
	table_discard(&g.truth_fields);
	table_discard(&g.truth_subsidy);
	table_discard(&g.changes);
	table_discard(&g.services);
	table_discard(&g.svc_truth_out);
	free(g.svc_truth);
	if (g.evolve)
		evolve_free(&evolve);
	cli_list_free(&rates);
	free(g.ids);
	free(g.area);
	free(g.quota);
	free(g.ref.townships);
	free(g.ref.villages);
	places_free(&g.places);
	return status;
}
