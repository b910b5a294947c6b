# bangfu — plain GNU make.  `make` builds bin/; `make check` installs missing
# Debian packages, builds and runs every test; `make demo` runs the pipeline
# on samples/.  Objects go to $(B)/, executables to $(BIN)/.

PREFIX  ?= /usr/local
DESTDIR ?=
B       ?= build
BIN     ?= bin
CC      ?= cc

# Every library with a .pc file is found through pkg-config, zlib included:
# minizip's unzip.h includes zlib.h but minizip.pc does not require zlib.
# libcsv has no .pc file.  The flags are computed on first use (after
# `make check` / `make demo` have installed what is missing), and a missing
# package stops the build with pkg-config's own message instead of leaving
# the flags empty.  scripts/install-deps.sh lists the Debian packages.
PKGS := xlsxwriter libpcre2-8 sqlite3 nettle minizip zlib expat
pkg_flags = $(call pkg_ok,$(shell pkg-config $(1) $(2) 2>/dev/null || echo PKG-CONFIG-FAILED),$(2))
pkg_ok = $(if $(filter PKG-CONFIG-FAILED,$(1)),$(error $(shell pkg-config --print-errors --exists $(2) 2>&1 \
	| head -n 1); run scripts/install-deps.sh (or make check / make demo, which do)),$(1))
PKG_CFLAGS = $(eval PKG_CFLAGS := $$(call pkg_flags,--cflags,$(PKGS)) )$(PKG_CFLAGS)
PKG_LIBS   = $(eval PKG_LIBS := $$(call pkg_flags,--libs,$(PKGS)) -lcsv)$(PKG_LIBS)
CHECK_CFLAGS = $(eval CHECK_CFLAGS := $$(call pkg_flags,--cflags,check) )$(CHECK_CFLAGS)
CHECK_LIBS   = $(eval CHECK_LIBS := $$(call pkg_flags,--libs,check))$(CHECK_LIBS)

WARN := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes
ifeq ($(CI),true)
WARN += -Werror
endif
CFLAGS ?= -O2 -g
SAN ?=
ALL_CFLAGS = -std=c11 -D_GNU_SOURCE -pthread $(WARN) $(CFLAGS) $(SAN) -MMD -MP \
	-I. -Ilib -Ietl -Ireport -I$(B)/gen $(PKG_CFLAGS) -DBANGFU_DATADIR='"$(PREFIX)/share/bangfu"' \
	-DBANGFU_LOCALEDIR='"$(PREFIX)/share/locale"'
ALL_LDFLAGS := -pthread $(LDFLAGS) $(SAN)

# lib/: the shared mechanisms (libbangfu.a).  etl/ and report/: the stages,
# each its logic and its command (libstages.a).  bangfu.c: the one program
# that runs them, installed also as bangfu-STAGE (hard links).  tools/: the
# test-data generator, built but not installed.
LIB_SRC := $(wildcard lib/*.c)
LIB_OBJ := $(LIB_SRC:%.c=$(B)/%.o) $(B)/gen/schema_sql.o
LIBA    := $(B)/libbangfu.a
STAGE_SRC := $(wildcard etl/*.c report/*.c)
STAGE_OBJ := $(STAGE_SRC:%.c=$(B)/%.o)
STAGEA    := $(B)/libstages.a
STAGES := month ingest reconcile sample verify ledger report checklist screen pack archive idcheck
BINS   := $(BIN)/bangfu $(STAGES:%=$(BIN)/bangfu-%)
TOOLS  := $(BIN)/bangfu-gen

# Messages in the user's language: GNU gettext, English msgids, one catalog
# per language in po/ (po/README.md).  `make po` extracts the messages of
# every source into po/bangfu.pot and merges them into each catalog.
LANGS := zh_CN
MO := $(LANGS:%=$(B)/locale/%/LC_MESSAGES/bangfu.mo)
XGETTEXT_KEYWORDS := --keyword=gettext --keyword=N_ --keyword=bangfu_fail:7 --keyword=msg_errorf:1 \
	--keyword=msg_info:1 --keyword=msg_verbose:1 --keyword=msg_progress:1 --keyword=msg_progress_share:1 \
	--keyword=db_progress:2 --keyword=db_fail:3 --keyword=CLI_OPT_STRING:4 --keyword=CLI_OPT_REQUIRED:4 \
	--keyword=CLI_OPT_FLAG:3 --keyword=CLI_OPT_INT:6 --keyword=CLI_OPT_U64:5 --keyword=CLI_OPT_PERIOD:2 \
	--keyword=CLI_OPT_DATE:3 --keyword=CLI_OPT_CHOICE:5 --keyword=CLI_OPT_LIST:4 --flag=bangfu_fail:7:c-format \
	--flag=msg_errorf:1:c-format --flag=msg_info:1:c-format --flag=msg_verbose:1:c-format

TEST_SRC  := $(wildcard tests/test_*.c)
TEST_BINS := $(TEST_SRC:tests/%.c=$(B)/tests/%)
TEST_SH   := $(sort $(wildcard tests/t[0-9][0-9][0-9][0-9]-*.sh))

FUZZ_SRC  := $(wildcard fuzz/fuzz_*.c)
FUZZ_BINS := $(FUZZ_SRC:fuzz/%.c=$(B)/fuzz/%)
FUZZ_TIME ?= 60
FUZZ_ARGS ?=

.PHONY: po print-flags all deps check check-run asan valgrind demo demo-run bench fuzz fuzz-run install clean tests
.DEFAULT_GOAL := all

all: $(BINS) $(TOOLS) $(MO)

$(B)/locale/%/LC_MESSAGES/bangfu.mo: po/%.po
	@mkdir -p $(dir $@)
	msgfmt --check -o $@ $<

po:
	xgettext --from-code=UTF-8 --language=C --package-name=bangfu --add-comments=TRANSLATORS: \
		--sort-by-file $(XGETTEXT_KEYWORDS) -o po/bangfu.pot bangfu.c lib/*.c lib/*.h etl/*.c report/*.c
	for l in $(LANGS); do msgmerge --quiet --update --backup=none --no-fuzzy-matching po/$$l.po po/bangfu.pot; done

$(B)/gen/schema_sql.c: $(sort $(wildcard schema/*.sql)) scripts/embed-sql.sh
	@mkdir -p $(dir $@)
	sh scripts/embed-sql.sh $(sort $(wildcard schema/*.sql)) > $@.tmp && mv $@.tmp $@

# A stage's fixed SQL in etl/NAME.sql or report/NAME.sql: a header of one
# string per section, included by NAME.c.
STAGE_SQL := $(wildcard etl/*.sql report/*.sql)
STAGE_SQL_H := $(patsubst %.sql,$(B)/gen/%_sql.h,$(notdir $(STAGE_SQL)))
$(B)/gen/%_sql.h: etl/%.sql scripts/embed-sql-parts.sh
	@mkdir -p $(dir $@)
	sh scripts/embed-sql-parts.sh $< > $@.tmp && mv $@.tmp $@
$(B)/gen/%_sql.h: report/%.sql scripts/embed-sql-parts.sh
	@mkdir -p $(dir $@)
	sh scripts/embed-sql-parts.sh $< > $@.tmp && mv $@.tmp $@
$(foreach f,$(STAGE_SQL),$(eval $(B)/$(f:.sql=.o): $(B)/gen/$(notdir $(f:.sql=))_sql.h))

$(B)/gen/regions.inc: data/gbt2260_counties.csv scripts/regions.awk
	@mkdir -p $(dir $@)
	awk -f scripts/regions.awk $< > $@.tmp && mv $@.tmp $@

$(B)/lib/region.o: $(B)/gen/regions.inc

$(B)/gen/schema_sql.o: $(B)/gen/schema_sql.c
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(B)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c $< -o $@

$(LIBA): $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(STAGEA): $(STAGE_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BIN)/bangfu: $(B)/bangfu.o $(STAGEA) $(LIBA)
	@mkdir -p $(BIN)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS) -lm

$(BIN)/bangfu-%: $(BIN)/bangfu
	ln -f $< $@

$(BIN)/bangfu-gen: $(B)/tools/gen.o $(LIBA)
	@mkdir -p $(BIN)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS) -lm

$(B)/tests/%: tests/%.c $(STAGEA) $(LIBA)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(CHECK_CFLAGS) $(ALL_LDFLAGS) -o $@ $< $(STAGEA) $(LIBA) $(PKG_LIBS) $(CHECK_LIBS) -lm

tests: $(TEST_BINS)

# The flags every source compiles and links with (tests/t0000-deps.sh asks
# which system files they reach).
print-flags: $(B)/gen/schema_sql.c $(B)/gen/regions.inc $(STAGE_SQL_H)
	@echo 'cflags: $(ALL_CFLAGS) $(CHECK_CFLAGS)'
	@echo 'libs: $(PKG_LIBS) $(CHECK_LIBS)'

$(B)/fuzz/%: fuzz/%.c $(STAGEA) $(LIBA)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -fsanitize=fuzzer $(ALL_LDFLAGS) -o $@ $< $(STAGEA) $(LIBA) $(PKG_LIBS) -lm

# The two commands of the README install what is missing first, then re-enter
# make so pkg-config sees the freshly installed packages.
deps:
	@sh scripts/install-deps.sh

check: deps
	@$(MAKE) --no-print-directory check-run
	@$(MAKE) --no-print-directory fuzz FUZZ_TIME=5 FUZZ_ARGS=-seed=1

# Check unit tests, then the shell suites (tests/tNNNN-*.sh, numbered by
# stage; tests/lib.sh), every one of them, with the assertions they passed
# added up; then the benchmark as a smoke test: it must run and its category
# counts must agree with sqlite3's (no timing asserted).
check-run: all tests
	@set -e; for t in $(TEST_BINS); do echo "== $$t"; CK_FORK=yes $$t; done
	@rm -rf $(B)/test-results; failed=; for t in $(TEST_SH); do echo "== $$t"; \
		BIN=$(abspath $(BIN)) TEST_RESULTS=$(abspath $(B))/test-results sh $$t || failed="$$failed $$t"; done; \
		cat $(B)/test-results/*.counts 2>/dev/null | awk '{ n[$$1] += $$2 } END { printf "== shell suites: %d passed, %d failed\n", n["passed"], n["failed"] }'; \
		if [ -n "$$failed" ]; then echo "FAILED:$$failed"; exit 1; fi
	@echo "== scripts/bench --people 20000 (smoke)"
	@BIN=$(abspath $(BIN)) sh scripts/bench --people 20000 --no-scaling --no-duckdb

# A sanitizer finding exits 99, so that no test mistakes it for the exit 1
# of a refused input.
asan: deps
	@ASAN_OPTIONS=exitcode=99:detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1:exitcode=99:print_stacktrace=1 \
		$(MAKE) --no-print-directory B=build/asan BIN=build/asan/bin \
		CFLAGS='-O1 -g' SAN='-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined' \
		check-run

# The end-to-end tests with every stage under valgrind (memcheck): any error
# or definite leak exits 99.  Slow (minutes); not part of make check.
valgrind: all
	@rm -rf $(B)/valgrind && mkdir -p $(B)/valgrind
	@for b in $(BINS); do n=$$(basename $$b); \
		printf '#!/bin/sh\nexec valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite %s "$$@"\n' \
			$(abspath $$b) >$(B)/valgrind/$$n; chmod +x $(B)/valgrind/$$n; done
	@set -e; for t in tests/t[1-4][0-9][0-9][0-9]-*.sh; do echo "== $$t"; BIN=$(abspath $(B)/valgrind) sh $$t; done

# libFuzzer (clang) on the readers: each target FUZZ_TIME seconds, starting
# from the committed seeds in fuzz/corpus/NAME; what it finds new goes to
# build/fuzz/corpus/NAME, crashes to build/fuzz/crash-*.  make check runs a
# short pass.
fuzz: deps
	@$(MAKE) --no-print-directory CC=clang-14 B=build/fuzz BIN=build/fuzz/bin CFLAGS='-O1 -g' \
		SAN='-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined' fuzz-run

fuzz-run: $(FUZZ_BINS)
	@set -e; for t in $(FUZZ_BINS); do n=$$(basename $$t | sed 's/^fuzz_//'); \
		mkdir -p $(B)/corpus/$$n; echo "== $$t ($(FUZZ_TIME) s)"; \
		BANGFU_TEMPLATES=$(abspath templates) $$t -max_total_time=$(FUZZ_TIME) -rss_limit_mb=2048 \
			-max_len=65536 -timeout=10 -print_final_stats=1 -artifact_prefix=$(B)/crash-$$n- $(FUZZ_ARGS) \
			$(B)/corpus/$$n fuzz/corpus/$$n 2>$(B)/fuzz-$$n.log || { tail -40 $(B)/fuzz-$$n.log; exit 1; }; \
		grep -E "^stat::number_of_executed_units|^stat::peak_rss_mb" $(B)/fuzz-$$n.log | tr '\n' ' '; echo; done

demo: deps
	@$(MAKE) --no-print-directory demo-run

demo-run: all
	@BIN=$(abspath $(BIN)) sh scripts/demo.sh

bench: all
	@BIN=$(abspath $(BIN)) sh scripts/bench

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/bangfu/templates
	install -m 755 $(BIN)/bangfu $(DESTDIR)$(PREFIX)/bin/
	for s in $(STAGES); do ln -f $(DESTDIR)$(PREFIX)/bin/bangfu $(DESTDIR)$(PREFIX)/bin/bangfu-$$s; done
	install -m 644 templates/*.csv $(DESTDIR)$(PREFIX)/share/bangfu/templates/
	for l in $(LANGS); do install -d $(DESTDIR)$(PREFIX)/share/locale/$$l/LC_MESSAGES && \
		install -m 644 $(B)/locale/$$l/LC_MESSAGES/bangfu.mo $(DESTDIR)$(PREFIX)/share/locale/$$l/LC_MESSAGES/; done
	install -d $(DESTDIR)$(PREFIX)/share/bangfu/data
	install -m 644 data/*.csv $(DESTDIR)$(PREFIX)/share/bangfu/data/

clean:
	rm -rf build bin

-include $(shell find $(B) -name '*.d' 2>/dev/null)
