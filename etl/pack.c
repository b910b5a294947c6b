/* pack — see pack.h.
 *
 * Which file is whose: the county workbooks are named by xlsx_split,
 * PREFIX_市州_县市区_期.xlsx, so a file of a folder belongs to a county when
 * its name is that county's with any prefix; a re-verification list is
 * named by verify_list_name for each township v_township_check says must
 * recalibrate.  Nothing is parsed out of a name: each county's names are
 * made and looked for. */
#include "pack.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <iconv.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <unzip.h>
#include <zip.h>
#include <zlib.h>

#include "db.h"
#include "msg.h"
#include "outputs.h"
#include "strbuf.h"
#include "verify.h"
#include "xlsx.h"
#include "bangfu.h"
#include "cli.h"

static const struct pack_kind_info {
	const char *from_sub; /* the folder bangfu-month writes it to, under its --out */
	const char *label;    /* in the 填报说明 */
	const char *todo;     /* what the township does with it */
	const char *back;     /* whether it comes back */
	const char *option;   /* bangfu-pack's option for its folder */
} KINDS[PACK_NKINDS] = {
	[PACK_SHEETS] = {"check-sheets", "抽查核实表",
			 "逐人电话回访、现场核查或交叉检查，只填黄色列（核查结果、核查方式、更正后就业状态/地点/单位、核查人、核查日期、备注）",
			 "报回：原样保存为 .xlsx，不改表头，不增删行", "sheets"},
	[PACK_TOWNSHIPS] = {"townships", "乡镇工作清单",
			    "逐项办理，在黄色列填写整改情况（已整改/整改中/无法整改）、整改日期、经办人，无法整改的写明整改说明",
			    "报回", "townships"},
	[PACK_FOLLOWUP] = {"followup", "乡镇跟进名单",
			   "逐人跟进：就业转失业人员一对一帮扶，返乡人员及时更新登记，补足“311”服务，"
			   "向有培训意愿的人员推送培训信息",
			   "不必报回", "followup"},
	[PACK_SUBSIDIES] = {"subsidies", "补贴筛选名单",
			    "“符合”的人员告知本人并组织申领；“待核实事项”逐项核实", "不必报回", "subsidies"},
	[PACK_RECALIBRATE] = {"recalibrate", "重新校准清单",
			      "抽查准确率低于 90%，须重新开展信息校准：逐人核实，填写校准列",
			      "报回", "recalibrate"},
};

/* Copying a file into a zip, and unpacking one: in pieces of this size. */
#define CHUNK 65536
/* The most a returned file may unpack to: far beyond any check sheet. */
#define UNPACK_MAX ((long long)512 << 20)

/* ---- which files are a county's ---- */

struct county {
	char *city, *county;
	char **files; /* paths, by kind then name */
	int *kinds;
	int nfiles;
};

/* What xlsx_split names a county's workbook after PREFIX: "_市州_县市区_期.xlsx". */
static void county_suffix(const char *city, const char *county, const char *period, char *out, size_t outsz)
{
	snprintf(out, outsz, "_%s_%s_%s.xlsx", city[0] ? city : "未填市州", county[0] ? county : "未填县市区", period);
	for (char *p = out; *p; p++)
		if (*p == '/' || *p == '\\')
			*p = '_';
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names of the .xlsx files of a folder, sorted; NULL-terminated. */
static char **folder_files(const char *dir, struct bangfu_err *err)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **names = NULL;
	size_t n = 0;

	if (!d) {
		bangfu_fail(err, ERR_INPUT, dir, 0, 0, "unreadable", "cannot read the folder: %s", strerror(errno));
		return NULL;
	}
	while ((e = readdir(d)) != NULL) {
		size_t len = strlen(e->d_name);

		if (e->d_name[0] == '.' || len < 5 || strcasecmp(e->d_name + len - 5, ".xlsx") != 0)
			continue;
		names = realloc(names, (n + 2) * sizeof *names);
		if (!names)
			abort();
		names[n++] = xstrdup(e->d_name);
	}
	closedir(d);
	names = realloc(names, (n + 1) * sizeof *names);
	if (!names)
		abort();
	names[n] = NULL;
	qsort(names, n, sizeof *names, cmp_str);
	return names;
}

static void free_names(char **names)
{
	for (char **p = names; p && *p; p++)
		free(*p);
	free(names);
}

static void county_add(struct county *c, const char *dir, const char *name, int kind)
{
	struct strbuf path;

	strbuf_init(&path);
	strbuf_addf(&path, "%s/%s", dir, name);
	c->files = realloc(c->files, (size_t)(c->nfiles + 1) * sizeof *c->files);
	c->kinds = realloc(c->kinds, (size_t)(c->nfiles + 1) * sizeof *c->kinds);
	if (!c->files || !c->kinds)
		abort();
	c->files[c->nfiles] = path.buf ? path.buf : xstrdup("");
	c->kinds[c->nfiles++] = kind;
}

/* A county workbook of this county: "PREFIX" + suffix, PREFIX without "_". */
static int is_county_book(const char *name, const char *suffix)
{
	size_t n = strlen(name), m = strlen(suffix);

	if (n <= m || strcmp(name + n - m, suffix) != 0)
		return 0;
	for (size_t i = 0; i < n - m; i++)
		if (name[i] == '_')
			return 0;
	return 1;
}

static int wanted(const struct pack_options *opt, const char *city, const char *county)
{
	char both[512];

	if (!opt->counties)
		return 1;
	snprintf(both, sizeof both, "%s%s", city, county);
	for (const char *const *p = opt->counties; *p; p++)
		if (strcmp(*p, county) == 0 || strcmp(*p, both) == 0)
			return 1;
	return 0;
}

static void free_counties(struct county *cs, int n)
{
	for (int i = 0; i < n; i++) {
		for (int k = 0; k < cs[i].nfiles; k++)
			free(cs[i].files[k]);
		free(cs[i].files);
		free(cs[i].kinds);
		free(cs[i].city);
		free(cs[i].county);
	}
	free(cs);
}

/* The period's counties, each with its files. */
static int gather(sqlite3 *db, const struct pack_options *opt, struct county **out, int *nout,
		  struct bangfu_err *err)
{
	char **names[PACK_NKINDS] = {0};
	struct county *cs = NULL;
	sqlite3_stmt *st = NULL, *towns = NULL;
	int n = 0, step, rc = -1;

	for (int k = 0; k < PACK_NKINDS; k++)
		if (opt->dirs[k] && !(names[k] = folder_files(opt->dirs[k], err)))
			goto out;
	if (db_prepare(db, "SELECT DISTINCT coalesce(city, ''), coalesce(county, '') FROM person WHERE period = ?"
			   " ORDER BY 1, 2",
		       &st, err) != 0 ||
	    db_prepare(db, "SELECT township FROM v_township_check WHERE period = ?1 AND coalesce(city, '') = ?2"
			   " AND coalesce(county, '') = ?3 AND verdict = 'recalibrate' ORDER BY township",
		       &towns, err) != 0)
		goto out;
	sqlite3_bind_text(st, 1, opt->period, -1, SQLITE_STATIC);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		const char *city = (const char *)sqlite3_column_text(st, 0);
		const char *county = (const char *)sqlite3_column_text(st, 1);
		struct county *c;
		char suffix[768];

		if (!wanted(opt, city, county))
			continue;
		cs = realloc(cs, (size_t)(n + 1) * sizeof *cs);
		if (!cs)
			abort();
		c = &cs[n++];
		memset(c, 0, sizeof *c);
		c->city = xstrdup(city);
		c->county = xstrdup(county);
		county_suffix(city, county, opt->period, suffix, sizeof suffix);
		for (int k = 0; k < PACK_RECALIBRATE; k++)
			for (char **p = names[k]; p && *p; p++)
				if (is_county_book(*p, suffix))
					county_add(c, opt->dirs[k], *p, k);
		if (!names[PACK_RECALIBRATE])
			continue;
		sqlite3_bind_text(towns, 1, opt->period, -1, SQLITE_STATIC);
		sqlite3_bind_text(towns, 2, city, -1, SQLITE_STATIC);
		sqlite3_bind_text(towns, 3, county, -1, SQLITE_STATIC);
		while ((step = sqlite3_step(towns)) == SQLITE_ROW) {
			const char *township = (const char *)sqlite3_column_text(towns, 0);
			char list[768];

			verify_list_name(county, township ? township : "", opt->period, list, sizeof list);
			for (char **p = names[PACK_RECALIBRATE]; *p; p++)
				if (strcmp(*p, list) == 0)
					county_add(c, opt->dirs[PACK_RECALIBRATE], *p, PACK_RECALIBRATE);
		}
		sqlite3_reset(towns);
		if (step != SQLITE_DONE) {
			db_fail(db, err, "reading the townships to recalibrate");
			goto out;
		}
	}
	if (step != SQLITE_DONE) {
		db_fail(db, err, "reading the counties");
		goto out;
	}
	rc = 0;
out:
	sqlite3_finalize(st);
	sqlite3_finalize(towns);
	for (int k = 0; k < PACK_NKINDS; k++)
		free_names(names[k]);
	if (rc == 0) {
		*out = cs;
		*nout = n;
	} else {
		free_counties(cs, n);
	}
	return rc;
}

/* ---- the 填报说明 ---- */

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

static int write_instructions(const struct pack_options *opt, const struct county *c, const char *path,
			      struct bangfu_err *err)
{
	static const struct xlsx_column note_cols[] = {{"项目", 12}, {"说明", 90}};
	static const struct xlsx_column file_cols[] = {{"序号", 6}, {"文件", 40}, {"内容", 14}, {"请办理", 50},
						       {"是否报回", 16}};
	struct xlsx_book book;
	lxw_worksheet *ws;
	char unit[512], title[512], text[1024];
	int row, has[PACK_NKINDS] = {0};

	for (int i = 0; i < c->nfiles; i++)
		has[c->kinds[i]] = 1;
	snprintf(unit, sizeof unit, "%s%s", c->city, c->county);
	if (xlsx_open(&book, path, unit, opt->period, err) != 0)
		return -1;
	snprintf(title, sizeof title, "%s就业帮扶数据核查乡镇材料 填报说明（%s）", c->county, opt->period);
	ws = xlsx_sheet(&book, "填报说明", title, 0, note_cols, 2, &row);
	snprintf(text, sizeof text,
		 "本包是 %s 就业帮扶数据核查下发给%s%s各乡镇（街道）的材料，共 %d 个文件，见“文件清单”。"
		 "每个工作簿按乡镇分工作表，各乡镇只填本乡镇的工作表。",
		 opt->period, c->city, c->county, c->nfiles);
	xlsx_note(&book, ws, row++, "本包内容", text);
	for (int k = 0; k < PACK_NKINDS; k++) {
		if (!has[k])
			continue;
		snprintf(text, sizeof text, "%s。%s。", KINDS[k].todo, KINDS[k].back);
		xlsx_note(&book, ws, row++, KINDS[k].label, text);
	}
	if (opt->due) {
		snprintf(text, sizeof text, "%s 前报回需报回的文件。", opt->due);
		xlsx_note(&book, ws, row++, "报回期限", text);
	}
	xlsx_note(&book, ws, row++, "怎样报回",
		  "填好的文件保存为 .xlsx，文件名不要改，可单独报回，也可压缩成一个 zip 报回。"
		  "某个文件有问题时，只退回那一个文件并附“退回说明”（写明工作表、行、列和应怎样填），"
		  "其他文件照常导入；按退回说明改好后重新报回那个文件即可。");
	xlsx_note(&book, ws, row++, "个人信息",
		  "材料含个人信息（证件号码和联系电话已部分隐去），仅限本项工作使用，不得外传，用后妥善保管。");
	worksheet_set_column(ws, 1, 1, 90, book.text_wrap);

	ws = xlsx_sheet(&book, "文件清单", title, 0, file_cols, 5, &row);
	for (int i = 0; i < c->nfiles; i++, row++) {
		const struct pack_kind_info *k = &KINDS[c->kinds[i]];

		xlsx_put_number(&book, ws, row, 0, i + 1, book.count);
		xlsx_put_text(&book, ws, row, 1, base_name(c->files[i]), book.text);
		xlsx_put_text(&book, ws, row, 2, k->label, book.text);
		xlsx_put_text(&book, ws, row, 3, k->todo, book.text_wrap);
		xlsx_put_text(&book, ws, row, 4, k->back, book.text_wrap);
	}
	return xlsx_close(&book, err);
}

/* ---- writing a zip ---- */

static void zip_time(time_t t, zip_fileinfo *zi)
{
	struct tm tm;

	localtime_r(&t, &tm);
	memset(zi, 0, sizeof *zi);
	zi->tmz_date.tm_sec = (uInt)tm.tm_sec;
	zi->tmz_date.tm_min = (uInt)tm.tm_min;
	zi->tmz_date.tm_hour = (uInt)tm.tm_hour;
	zi->tmz_date.tm_mday = (uInt)tm.tm_mday;
	zi->tmz_date.tm_mon = (uInt)tm.tm_mon;
	zi->tmz_date.tm_year = (uInt)tm.tm_year + 1900;
	/* made on Unix, mode 0600: a file of personal data unpacks as one */
	zi->external_fa = (uLong)(0100600u) << 16;
}

/* One file into the zip under name: UTF-8 names flagged as such (general
 * purpose bit 11), which Windows' own unzipping, 7-Zip and WinRAR read. */
static int zip_add(zipFile zf, const char *zip_path, const char *name, const char *path, struct bangfu_err *err)
{
	FILE *in = fopen(path, "rb");
	struct stat sb;
	zip_fileinfo zi;
	char *buf;
	size_t n;
	int rc = 0;

	if (!in)
		return bangfu_fail(err, ERR_INPUT, path, 0, 0, "unreadable", "cannot read: %s", strerror(errno));
	zip_time(fstat(fileno(in), &sb) == 0 ? sb.st_mtime : time(NULL), &zi);
	if (zipOpenNewFileInZip4_64(zf, name, &zi, NULL, 0, NULL, 0, NULL, Z_DEFLATED, Z_DEFAULT_COMPRESSION, 0,
				    -MAX_WBITS, 8, Z_DEFAULT_STRATEGY, NULL, 0, 3 << 8 | 20, 1 << 11, 0) != ZIP_OK) {
		fclose(in);
		return bangfu_fail(err, ERR_INPUT, zip_path, 0, 0, "cannot_write", "cannot add %s to the zip", name);
	}
	buf = malloc(CHUNK);
	if (!buf)
		abort();
	while ((n = fread(buf, 1, CHUNK, in)) > 0)
		if (zipWriteInFileInZip(zf, buf, (unsigned)n) != ZIP_OK) {
			rc = bangfu_fail(err, ERR_INPUT, zip_path, 0, 0, "cannot_write", "cannot write the zip (disk full?)");
			break;
		}
	if (rc == 0 && ferror(in))
		rc = bangfu_fail(err, ERR_INPUT, path, 0, 0, "unreadable", "cannot read: %s", strerror(errno));
	free(buf);
	fclose(in);
	if (zipCloseFileInZip(zf) != ZIP_OK && rc == 0)
		rc = bangfu_fail(err, ERR_INPUT, zip_path, 0, 0, "cannot_write", "cannot write the zip (disk full?)");
	return rc;
}

/* The county's zip: 下发材料_市州_县市区_期.zip in the output folder. */
static int zip_path(const struct pack_options *opt, const struct county *c, char *path, size_t pathsz,
		    struct bangfu_err *err)
{
	char name[768];

	snprintf(name, sizeof name, "下发材料_%s_%s_%s.zip", c->city[0] ? c->city : "未填市州",
		 c->county[0] ? c->county : "未填县市区", opt->period);
	for (char *p = name; *p; p++)
		if (*p == '/' || *p == '\\')
			*p = '_';
	if ((size_t)snprintf(path, pathsz, "%s/%s", opt->out_dir, name) >= pathsz)
		return bangfu_fail(err, ERR_INPUT, opt->out_dir, 0, 0, "cannot_write", "the path is too long");
	return 0;
}

static int write_zip(const struct pack_options *opt, struct outputs *outs, const struct county *c,
		     struct bangfu_err *err)
{
	char path[PATH_MAX], instructions[PATH_MAX];
	const char *tmp;
	zipFile zf;
	int fd, rc = -1;

	if (zip_path(opt, c, path, sizeof path, err) != 0)
		return -1;
	if ((size_t)snprintf(instructions, sizeof instructions, "%s/.填报说明.%ld.XXXXXX", opt->out_dir,
			     (long)getpid()) >= sizeof instructions)
		return bangfu_fail(err, ERR_INPUT, opt->out_dir, 0, 0, "cannot_write", "the path is too long");
	if (outputs_add(outs, path, &tmp, err) != 0)
		return -1;
	fd = mkstemp(instructions);
	if (fd < 0)
		return bangfu_fail(err, ERR_INPUT, opt->out_dir, 0, 0, "cannot_write", "cannot create a file: %s",
				   strerror(errno));
	close(fd);
	if (write_instructions(opt, c, instructions, err) != 0)
		goto out;
	/* the reserved file, mode 0600, truncated and written */
	zf = zipOpen64(tmp, APPEND_STATUS_CREATE);
	if (!zf) {
		bangfu_fail(err, ERR_INPUT, path, 0, 0, "cannot_write", "cannot create the zip");
		goto out;
	}
	rc = zip_add(zf, path, "填报说明.xlsx", instructions, err);
	for (int i = 0; i < c->nfiles && rc == 0; i++)
		rc = zip_add(zf, path, base_name(c->files[i]), c->files[i], err);
	if (zipClose(zf, NULL) != ZIP_OK && rc == 0)
		rc = bangfu_fail(err, ERR_INPUT, path, 0, 0, "cannot_write", "cannot write the zip (disk full?)");
out:
	unlink(instructions);
	return rc;
}

int pack_run(sqlite3 *db, const struct pack_options *opt, struct pack_summary *sum, struct bangfu_err *err)
{
	struct outputs outs = {0};
	struct county *cs = NULL;
	int n = 0, any_dir = 0;
	struct stat sb;

	memset(sum, 0, sizeof *sum);
	for (int k = 0; k < PACK_NKINDS; k++)
		any_dir |= opt->dirs[k] != NULL;
	if (!any_dir)
		return bangfu_fail(err, ERR_INPUT, "", 0, 0, "nothing_to_pack",
				   "nothing to pack: none of the folders of check sheets, township work lists, subsidy "
				   "lists or re-verification lists is there");
	if (gather(db, opt, &cs, &n, err) != 0)
		return -1;
	if (n == 0) {
		free_counties(cs, n);
		return bangfu_fail(err, ERR_INPUT, "", 0, 0, "no_persons",
				   opt->counties ? msg_tr("no county of %s is named so")
						  : msg_tr("%s has no persons: run bangfu-reconcile for it first"),
				   opt->period);
	}
	if (stat(opt->out_dir, &sb) != 0 && mkdir(opt->out_dir, 0700) != 0) {
		bangfu_fail(err, ERR_INPUT, opt->out_dir, 0, 0, "cannot_write", "cannot create the directory: %s",
			    strerror(errno));
		goto fail;
	}
	/* Whole or not at all: a name that is taken by a folder would fail
	 * only when the zips are put in place, after others were. */
	for (int i = 0; i < n; i++) {
		char path[PATH_MAX];

		if (cs[i].nfiles > 0 && zip_path(opt, &cs[i], path, sizeof path, err) != 0)
			goto fail;
		if (cs[i].nfiles > 0 && lstat(path, &sb) == 0 && !S_ISREG(sb.st_mode)) {
			bangfu_fail(err, ERR_INPUT, path, 0, 0, "cannot_write", "is there and is not a file: move it away");
			goto fail;
		}
	}
	for (int i = 0; i < n; i++) {
		sum->counties++;
		if (cs[i].nfiles == 0) {
			size_t len = strlen(sum->empty_names);

			if (len + strlen(cs[i].county) + 8 < sizeof sum->empty_names)
				snprintf(sum->empty_names + len, sizeof sum->empty_names - len, "%s%s", len ? "、" : "",
					 cs[i].county);
			sum->empty++;
			continue;
		}
		if (write_zip(opt, &outs, &cs[i], err) != 0)
			goto fail;
		sum->zips++;
		sum->files += cs[i].nfiles;
		for (int k = 0; k < cs[i].nfiles; k++)
			sum->per_kind[cs[i].kinds[k]]++;
	}
	if (sum->zips == 0) {
		bangfu_fail(err, ERR_INPUT, "", 0, 0, "nothing_to_pack",
			    "nothing to pack: no file of a county of %s in the folders given", opt->period);
		goto fail;
	}
	free_counties(cs, n);
	return outputs_commit(&outs, err);
fail:
	outputs_discard(&outs);
	free_counties(cs, n);
	return -1;
}

/* ---- the returned files ---- */

static void add_skipped(struct pack_returns *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void add_skipped(struct pack_returns *r, const char *fmt, ...)
{
	char line[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof line, msg_tr(fmt), ap);
	va_end(ap);
	r->skipped = realloc(r->skipped, (size_t)(r->nskipped + 1) * sizeof *r->skipped);
	if (!r->skipped)
		abort();
	r->skipped[r->nskipped++] = xstrdup(line);
}

static void add_file(struct pack_returns *r, const char *path, const char *shown)
{
	r->files = realloc(r->files, (size_t)(r->n + 1) * sizeof *r->files);
	if (!r->files)
		abort();
	r->files[r->n].path = xstrdup(path);
	r->files[r->n].shown = xstrdup(shown);
	r->n++;
}

static int has_ext(const char *name, const char *ext)
{
	size_t n = strlen(name), m = strlen(ext);

	return n > m && strcasecmp(name + n - m, ext) == 0;
}

/* A file a county returns: a workbook or a CSV (.xls and .et too, for
 * verify to refuse with the advice to save as .xlsx). */
static int is_returned_file(const char *name)
{
	return has_ext(name, ".xlsx") || has_ext(name, ".csv") || has_ext(name, ".xls") || has_ext(name, ".et");
}

/* Left out without a word: hidden files, Office's lock files, the notes
 * bangfu writes. */
static int is_ignored(const char *name)
{
	return name[0] == '.' || strncmp(name, "~$", 2) == 0 || strncmp(name, "填报说明", strlen("填报说明")) == 0 ||
	       strncmp(name, "退回说明", strlen("退回说明")) == 0;
}

static int valid_utf8(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;

	while (*p) {
		int n = *p < 0x80 ? 0 : (*p & 0xE0) == 0xC0 ? 1 : (*p & 0xF0) == 0xE0 ? 2 : (*p & 0xF8) == 0xF0 ? 3 : -1;

		if (n < 0 || (n == 1 && *p < 0xC2))
			return 0;
		p++;
		for (int i = 0; i < n; i++, p++)
			if ((*p & 0xC0) != 0x80)
				return 0;
	}
	return 1;
}

/* An entry's name as UTF-8: as it is when flagged UTF-8 or valid UTF-8,
 * else from GB18030 (zips made by Chinese Windows). */
static void entry_name_utf8(const char *raw, int utf8_flag, char *out, size_t outsz)
{
	iconv_t cd;
	char *in = (char *)raw, *o = out;
	size_t inleft = strlen(raw), outleft = outsz - 1;

	if (utf8_flag || valid_utf8(raw) || (cd = iconv_open("UTF-8", "GB18030")) == (iconv_t)-1) {
		snprintf(out, outsz, "%s", raw);
		return;
	}
	if (iconv(cd, &in, &inleft, &o, &outleft) == (size_t)-1) {
		snprintf(out, outsz, "%s", raw);
	} else {
		*o = '\0';
	}
	iconv_close(cd);
}

/* Unpack one entry to path (mode 0600), at most UNPACK_MAX bytes: 1 done,
 * 0 when the entry cannot be read (why says so), -1 with err when it
 * cannot be written. */
static int unpack_entry(unzFile uz, const char *path, char *why, size_t whysz, struct bangfu_err *err)
{
	FILE *out;
	char *buf;
	long long total = 0;
	int n, fd, rc = 1;

	if (unzOpenCurrentFile(uz) != UNZ_OK) {
		snprintf(why, whysz, "%s", msg_tr("cannot be unpacked (damaged, or protected by a password)"));
		return 0;
	}
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	if (fd < 0 || !(out = fdopen(fd, "wb"))) {
		if (fd >= 0)
			close(fd);
		unzCloseCurrentFile(uz);
		return bangfu_fail(err, ERR_INPUT, path, 0, 0, "cannot_write", "cannot unpack a returned file: %s",
				   strerror(errno));
	}
	buf = malloc(CHUNK);
	if (!buf)
		abort();
	while ((n = unzReadCurrentFile(uz, buf, CHUNK)) > 0) {
		total += n;
		if (total > UNPACK_MAX) {
			snprintf(why, whysz, msg_tr("unpacks to more than %lld MB: no returned sheet is that large"),
				 UNPACK_MAX >> 20);
			rc = 0;
			break;
		}
		if (fwrite(buf, 1, (size_t)n, out) != (size_t)n) {
			rc = bangfu_fail(err, ERR_INPUT, path, 0, 0, "cannot_write",
					 "cannot unpack a returned file (disk full?)");
			break;
		}
	}
	if (n < 0 && rc == 1) {
		snprintf(why, whysz, "%s", msg_tr("cannot be unpacked (damaged, or protected by a password)"));
		rc = 0;
	}
	free(buf);
	if (fclose(out) != 0 && rc == 1)
		rc = bangfu_fail(err, ERR_INPUT, path, 0, 0, "cannot_write", "cannot unpack a returned file: %s",
				 strerror(errno));
	if (unzCloseCurrentFile(uz) == UNZ_CRCERROR && rc == 1) {
		snprintf(why, whysz, "%s", msg_tr("is damaged (its checksum does not match)"));
		rc = 0;
	}
	if (rc != 1)
		unlink(path);
	return rc;
}

static int make_tmpdir(struct pack_returns *r, struct bangfu_err *err)
{
	const char *base = getenv("TMPDIR");

	if (r->tmpdir[0])
		return 0;
	snprintf(r->tmpdir, sizeof r->tmpdir, "%s/bangfu-returns.XXXXXX", base && base[0] ? base : "/tmp");
	if (!mkdtemp(r->tmpdir)) {
		r->tmpdir[0] = '\0';
		return bangfu_fail(err, ERR_INPUT, "", 0, 0, "cannot_write", "cannot make a temporary folder: %s",
				   strerror(errno));
	}
	return 0;
}

/* The returned files inside a zip; a zip that cannot be opened is taken as
 * a file (verify refuses it with a 退回说明). */
static int find_in_zip(struct pack_returns *r, const char *path, const char *shown, struct bangfu_err *err)
{
	unzFile uz = unzOpen64(path);
	int rc, taken = 0;

	if (!uz) {
		add_file(r, path, shown);
		return 0;
	}
	for (rc = unzGoToFirstFile(uz); rc == UNZ_OK; rc = unzGoToNextFile(uz)) {
		unz_file_info64 info;
		char raw[1024], name[1024], entry_shown[2048], dir[PATH_MAX], out[PATH_MAX], why[256] = "";
		const char *base;
		int got;

		if (unzGetCurrentFileInfo64(uz, &info, raw, sizeof raw, NULL, 0, NULL, 0) != UNZ_OK)
			break;
		entry_name_utf8(raw, (info.flag & (1 << 11)) != 0, name, sizeof name);
		if (name[0] == '\0' || name[strlen(name) - 1] == '/' || strncmp(name, "__MACOSX/", 9) == 0)
			continue;
		/* only the base name: an entry never reaches outside the folder */
		base = strrchr(name, '/');
		base = base ? base + 1 : name;
		if (strrchr(base, '\\'))
			base = strrchr(base, '\\') + 1;
		snprintf(entry_shown, sizeof entry_shown, "%s: %s", shown, name);
		if (is_ignored(base))
			continue;
		if (has_ext(base, ".zip")) {
			add_skipped(r, "%s: a zip inside a zip: unpack it and put its files in the folder", entry_shown);
			continue;
		}
		if (!is_returned_file(base)) {
			add_skipped(r, "%s: not a returned file (.xlsx, .csv or .zip): passed over", entry_shown);
			continue;
		}
		if (make_tmpdir(r, err) != 0) {
			unzClose(uz);
			return -1;
		}
		/* a folder of its own for each, so that the file keeps its name */
		if ((size_t)snprintf(dir, sizeof dir, "%s/%d", r->tmpdir, r->n) >= sizeof dir ||
		    (size_t)snprintf(out, sizeof out, "%s/%s", dir, base) >= sizeof out) {
			add_skipped(r, "%s: the name is too long: passed over", entry_shown);
			continue;
		}
		if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
			unzClose(uz);
			return bangfu_fail(err, ERR_INPUT, dir, 0, 0, "cannot_write", "cannot make a folder: %s",
					   strerror(errno));
		}
		got = unpack_entry(uz, out, why, sizeof why, err);
		if (got < 0) {
			unzClose(uz);
			return -1;
		}
		if (got == 0) {
			add_skipped(r, "%s %s: send it again", entry_shown, why);
			continue;
		}
		add_file(r, out, entry_shown);
		taken++;
	}
	unzClose(uz);
	if (rc != UNZ_END_OF_LIST_OF_FILE && rc != UNZ_OK)
		add_skipped(r, "%s: the zip is damaged after its first %d files: send it again", shown, taken);
	return 0;
}

/* The folder and its folders, in name order; symbolic links to folders are
 * not followed (no loops), to files they are. */
static int walk(struct pack_returns *r, const char *dir, const char *rel, int depth, struct bangfu_err *err)
{
	char **names;
	int rc = 0;
	DIR *d;
	struct dirent *e;
	size_t n = 0;

	if (depth > 16)
		return 0;
	if (!(d = opendir(dir)))
		return bangfu_fail(err, ERR_INPUT, dir, 0, 0, "unreadable", "cannot read the folder: %s",
				   strerror(errno));
	names = NULL;
	while ((e = readdir(d)) != NULL) {
		if (is_ignored(e->d_name))
			continue;
		names = realloc(names, (n + 1) * sizeof *names);
		if (!names)
			abort();
		names[n++] = xstrdup(e->d_name);
	}
	closedir(d);
	if (n > 1)
		qsort(names, n, sizeof *names, cmp_str);
	for (size_t i = 0; i < n && rc == 0; i++) {
		struct strbuf path, shown;
		struct stat sb;

		strbuf_init(&path);
		strbuf_init(&shown);
		strbuf_addf(&path, "%s/%s", dir, names[i]);
		strbuf_addf(&shown, "%s%s%s", rel, rel[0] ? "/" : "", names[i]);
		if (lstat(path.buf, &sb) == 0 && S_ISDIR(sb.st_mode))
			rc = walk(r, path.buf, shown.buf, depth + 1, err);
		else if (stat(path.buf, &sb) != 0 || !S_ISREG(sb.st_mode))
			; /* a dangling link, a device: nothing a county sends */
		else if (has_ext(names[i], ".zip"))
			rc = find_in_zip(r, path.buf, shown.buf, err);
		else if (is_returned_file(names[i]))
			add_file(r, path.buf, shown.buf);
		else
			add_skipped(r, "%s: not a returned file (.xlsx, .csv or .zip): passed over", shown.buf);
		strbuf_free(&path);
		strbuf_free(&shown);
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return rc;
}

int pack_returns_find(const char *dir, struct pack_returns *out, struct bangfu_err *err)
{
	struct stat sb;

	memset(out, 0, sizeof *out);
	if (stat(dir, &sb) != 0 || !S_ISDIR(sb.st_mode))
		return bangfu_fail(err, ERR_INPUT, dir, 0, 0, "not_a_folder", "no folder of returned files there");
	if (walk(out, dir, "", 0, err) != 0) {
		pack_returns_free(out);
		return -1;
	}
	return 0;
}

void pack_returns_free(struct pack_returns *r)
{
	for (int i = 0; i < r->n; i++) {
		if (r->tmpdir[0] && strncmp(r->files[i].path, r->tmpdir, strlen(r->tmpdir)) == 0) {
			char *slash;

			unlink(r->files[i].path);
			slash = strrchr(r->files[i].path, '/');
			*slash = '\0';
			rmdir(r->files[i].path);
		}
		free(r->files[i].path);
		free(r->files[i].shown);
	}
	for (int i = 0; i < r->nskipped; i++)
		free(r->skipped[i]);
	free(r->files);
	free(r->skipped);
	if (r->tmpdir[0]) {
		/* folders left by entries that were not taken */
		DIR *d = opendir(r->tmpdir);
		struct dirent *e;

		while (d && (e = readdir(d)) != NULL) {
			char sub[PATH_MAX];

			if (e->d_name[0] != '.' &&
			    (size_t)snprintf(sub, sizeof sub, "%s/%s", r->tmpdir, e->d_name) < sizeof sub)
				rmdir(sub);
		}
		if (d)
			closedir(d);
		rmdir(r->tmpdir);
	}
	memset(r, 0, sizeof *r);
}

/* ---- the command: bangfu-pack ---- */

int cmd_pack(int argc, char **argv)
{
	const char *db_path = "bangfu.db", *from = NULL;
	struct pack_options opt = {0};
	struct cli_list counties = {0};
	const char *dirs[PACK_NKINDS] = {0};
	char due[11] = "";
	const struct cli_option options[] = {
		CLI_OPT_PERIOD(&opt.period, "the month whose files go out"),
		CLI_OPT_REQUIRED("out", &opt.out_dir, "DIR", "where the zips go (created when missing)"),
		CLI_OPT_STRING("from", &from, "DIR",
			       "the month's folder as bangfu-month writes it: the\n"
			       "files in DIR/check-sheets, DIR/townships, DIR/followup,\n"
			       "DIR/subsidies and DIR/recalibrate (those that are there)"),
		CLI_OPT_STRING("sheets", &dirs[PACK_SHEETS], "DIR", "the check sheets (bangfu-sample --out)"),
		CLI_OPT_STRING("townships", &dirs[PACK_TOWNSHIPS], "DIR",
			       "the township work lists (bangfu-report --townships)"),
		CLI_OPT_STRING("followup", &dirs[PACK_FOLLOWUP], "DIR",
			       "the follow-up lists (bangfu-report --followup)"),
		CLI_OPT_STRING("subsidies", &dirs[PACK_SUBSIDIES], "DIR", "the subsidy lists (bangfu-screen --out)"),
		CLI_OPT_STRING("recalibrate", &dirs[PACK_RECALIBRATE], "DIR",
			       "the re-verification lists (bangfu-verify --out)"),
		CLI_OPT_DATE("due", due, "the day the sheets are due back, printed in the 填报说明", 0),
		CLI_OPT_LIST("county", &counties, "NAME",
			     "only this county (县市区, or 市州县市区); repeatable (default: all)"),
		CLI_COMMON(&db_path),
		CLI_OPT_END(),
	};
	const struct cli_command cmd = {
		"bangfu-pack", NULL,
		N_("Pack what goes to the townships, one zip per county: 下发材料_市州_县市区_期.zip\n"
		"holds the county's check sheets, township work lists, follow-up lists, subsidy\n"
		"lists, the re-verification lists of its townships to recalibrate, and a\n"
		"填报说明 (what each file is for and what comes back).  The files are those the\n"
		"stages wrote (give --from, or each folder).  The zips are written whole or not\n"
		"at all, mode 0600.  What comes back loads with bangfu-verify --from DIR."),
		NULL, options};
	struct pack_summary sum;
	struct bangfu_err err;
	sqlite3 *db = NULL;
	const char **only = NULL;
	char *from_dirs[PACK_NKINDS] = {0};
	int status = EXIT_OK;

	bangfu_err_clear(&err);
	if (cli_parse(&cmd, argc, argv, &status) < 0)
		goto out;
	opt.due = due[0] ? due : NULL;
	for (int k = 0; k < PACK_NKINDS; k++) {
		struct stat sb;

		opt.dirs[k] = dirs[k];
		if (dirs[k] || !from)
			continue;
		from_dirs[k] = malloc(strlen(from) + strlen(KINDS[k].from_sub) + 2);
		if (!from_dirs[k])
			abort();
		sprintf(from_dirs[k], "%s/%s", from, KINDS[k].from_sub);
		if (stat(from_dirs[k], &sb) == 0 && S_ISDIR(sb.st_mode))
			opt.dirs[k] = from_dirs[k];
	}
	if (counties.n > 0) {
		only = xcalloc((size_t)counties.n + 1, sizeof *only);
		for (int i = 0; i < counties.n; i++)
			only[i] = counties.items[i];
		opt.counties = only;
	}
	if (db_open_existing(db_path, &db, &err) != 0 || pack_run(db, &opt, &sum, &err) != 0) {
		status = msg_fail(&err);
		goto out;
	}
	msg_info("%s: wrote %ld zips to %s: %ld files (%ld check-sheet workbooks, %ld township work lists, %ld "
		 "follow-up lists, %ld subsidy lists, %ld re-verification lists) and a 填报说明 in each",
		 opt.period, sum.zips, opt.out_dir, sum.files, sum.per_kind[PACK_SHEETS], sum.per_kind[PACK_TOWNSHIPS],
		 sum.per_kind[PACK_FOLLOWUP], sum.per_kind[PACK_SUBSIDIES], sum.per_kind[PACK_RECALIBRATE]);
	for (int k = 0; k < PACK_NKINDS; k++)
		if (!opt.dirs[k])
			msg_info("no %s packed: no folder of them (--%s)", KINDS[k].label, KINDS[k].option);
	if (sum.empty)
		msg_info("%ld of %ld counties have no file to pack: %s", sum.empty, sum.counties, sum.empty_names);
out:
	free(only);
	for (int k = 0; k < PACK_NKINDS; k++)
		free(from_dirs[k]);
	cli_list_free(&counties);
	db_close(db);
	return status;
}
