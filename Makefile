# desk — build, test, run. Plain make with pkg-config; see README.md.
#   make            release build (build/desk)
#   make run        install deps, build, create desk.db with demo data, serve
#   make test       install deps, build, run every test (release and sanitized builds),
#                   print "N passed, M failed"
#   make asan       only the address+undefined build's run of the tests
#   make bench      benchmarks (name value unit lines)
#   make fuzz       run each fuzz target for FUZZ_SECONDS
#   make format / make lint

PKGS     := libmicrohttpd jansson sqlite3 libsodium gmime-3.0 libcurl icu-uc icu-i18n \
            hunspell libcmark libpq libxml-2.0
# Libraries without a pkg-config file: CLD2 (language detection; its interface is
# C++, so src/model/lang_cld2.cc is compiled as C++ and the C++ runtime linked).
NOPKG    := -lcld2 -lstdc++
CC       ?= cc
CXX      ?= c++
WARN     := -std=c11 -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes \
            -Wmissing-prototypes -Wformat=2 -Wno-overlength-strings
ifdef CI
WARN     += -Werror
endif
OPT      ?= -O2 -g
BUILD    ?= build
CPPFLAGS += -D_GNU_SOURCE -Isrc -I$(BUILD)
CFLAGS   += $(OPT) $(WARN) -pthread $(SANFLAGS) $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
CXXFLAGS += $(OPT) -std=c++17 -Wall -Wextra -pthread $(SANFLAGS)
LDLIBS   += $(shell pkg-config --libs $(PKGS) 2>/dev/null) $(NOPKG) -lm -pthread
LDFLAGS  += $(SANFLAGS)

SRC      := $(filter-out src/main.c,$(wildcard src/*/*.c))
SRC_CXX  := $(wildcard src/*/*.cc)
OBJ      := $(SRC:%.c=$(BUILD)/%.o) $(SRC_CXX:%.cc=$(BUILD)/%.o) $(BUILD)/gen/migrations.o \
            $(BUILD)/gen/fold_table.o $(BUILD)/gen/signals_weights.o
DEPS_OK  := $(BUILD)/.deps-ok

# The web console: the files in web/ and the catalogs in po/ (checked by
# msgfmt, turned into JSON), each also gzip -9n compressed, embedded in the
# binary as desk_web_assets.
WEB_SRC  := $(sort $(wildcard web/*))
PO_SRC   := $(sort $(wildcard po/*.po))
WEB_GEN  := $(WEB_SRC:web/%=$(BUILD)/gen/web/%) $(PO_SRC:po/%.po=$(BUILD)/gen/web/i18n.%.json)
OBJ      += $(BUILD)/gen/web.o

UNIT_SRC := $(wildcard tests/unit/*/test_*.c)
UNIT_BIN := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
FUZZ_SRC := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_BIN := $(FUZZ_SRC:tests/fuzz/%.c=$(BUILD)/fuzz/%)
# Test tools the e2e tests call (tests/tools/NAME.c, linked with the libraries in NAME.pkgs).
TOOL_SRC := $(wildcard tests/tools/*.c)
TOOL_BIN := $(TOOL_SRC:tests/tools/%.c=$(BUILD)/tools/%)

.PHONY: all bins run test asan bench fuzz format lint clean deps print-pkgs print-libs
all: $(BUILD)/desk

deps: $(DEPS_OK)
$(DEPS_OK): scripts/deps.sh $(wildcard scripts/deps.d/*)
	@sh scripts/deps.sh
	@mkdir -p $(BUILD) && touch $@

$(BUILD)/desk: $(DEPS_OK) $(BUILD)/src/main.o $(BUILD)/libdesk.a
	$(CC) $(LDFLAGS) -o $@ $(BUILD)/src/main.o $(BUILD)/libdesk.a $(LDLIBS)

$(BUILD)/libdesk.a: $(OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/%.o: %.c $(DEPS_OK)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/%.o: %.cc $(DEPS_OK)
	@mkdir -p $(dir $@)
	$(CXX) $(CPPFLAGS) $(CXXFLAGS) -MMD -MP -c -o $@ $<

$(BUILD)/gen/migrations.c: $(sort $(wildcard src/store/migrations/*.sql)) scripts/embed.sh
	@mkdir -p $(dir $@)
	sh scripts/embed.sh desk_migrations $(sort $(wildcard src/store/migrations/*.sql)) > $@

$(BUILD)/gen/migrations.o: $(BUILD)/gen/migrations.c
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(BUILD)/gen/web/%: web/%
	@mkdir -p $(dir $@)
	cp $< $@

# Search folding's letter table, from ICU at build time (scripts/fold_table.c).
$(BUILD)/gen/fold_table: scripts/fold_table.c src/model/fold.h $(DEPS_OK)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -O2 -Wall -o $@ $< $(shell pkg-config --cflags --libs icu-uc icu-i18n)

$(BUILD)/gen/fold_table.c: $(BUILD)/gen/fold_table
	$(BUILD)/gen/fold_table > $@

$(BUILD)/gen/fold_table.o: $(BUILD)/gen/fold_table.c
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

# The learned half of the text signals (src/model/signals_model.h), trained with
# LIBLINEAR at build time on the tuned labelled sets: never on the blind set.
SIG_SETS := $(filter-out %/blind_cs.tsv %/blind_en.tsv %/blind_es.tsv %/blind_pl.tsv, \
            $(sort $(wildcard tests/unit/model/data/signals/*.tsv)))
SIG_TRAIN_SRC := scripts/signals_train.c src/model/signals_model.c src/model/fold.c \
            src/core/arena.c
$(BUILD)/gen/signals_train: $(SIG_TRAIN_SRC) src/model/signals_model.h $(BUILD)/gen/fold_table.c \
            $(DEPS_OK)
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) -O2 -Wall -o $@ $(SIG_TRAIN_SRC) $(BUILD)/gen/fold_table.c \
	    $(shell pkg-config --cflags --libs icu-uc icu-i18n) -llinear -lm

$(BUILD)/gen/signals_weights.c: $(BUILD)/gen/signals_train $(SIG_SETS)
	@echo "$(BUILD)/gen/signals_train tests/unit/model/data/signals/... > $@"
	@$(BUILD)/gen/signals_train $(SIG_SETS) > $@.tmp
	@mv $@.tmp $@

$(BUILD)/gen/signals_weights.o: $(BUILD)/gen/signals_weights.c
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(BUILD)/gen/mo2json: scripts/mo2json.c
	@mkdir -p $(dir $@)
	$(CC) -O2 -Wall -o $@ $<

$(BUILD)/gen/web/i18n.%.json: po/%.po $(BUILD)/gen/mo2json $(DEPS_OK)
	@mkdir -p $(dir $@)
	msgfmt --check -o $(BUILD)/gen/$*.mo $<
	$(BUILD)/gen/mo2json $* $(BUILD)/gen/$*.mo > $@

$(BUILD)/gen/web/%.gz: $(BUILD)/gen/web/%
	gzip -9nc $< > $@

$(BUILD)/gen/web.c: $(WEB_GEN) $(WEB_GEN:%=%.gz) scripts/embed.sh
	sh scripts/embed.sh desk_web_assets $(WEB_GEN) $(WEB_GEN:%=%.gz) > $@

$(BUILD)/gen/web.o: $(BUILD)/gen/web.c
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libdesk.a
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -Itests/unit -o $@ $< $(BUILD)/libdesk.a $(LDLIBS) -lcmocka

$(BUILD)/fuzz/%: tests/fuzz/%.c tests/fuzz/driver.c $(BUILD)/libdesk.a
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS) $(CFLAGS) -o $@ $< tests/fuzz/driver.c $(BUILD)/libdesk.a $(LDLIBS)

# Tools are helpers, not desk: built without the sanitizers, whatever the build.
$(BUILD)/tools/%: tests/tools/%.c tests/tools/%.pkgs $(DEPS_OK)
	@mkdir -p $(dir $@)
	$(CC) -std=c11 -O1 -g -Wall -Wextra -o $@ $< $$(pkg-config --cflags --libs $$(cat tests/tools/$*.pkgs))

run: $(BUILD)/desk
	@test -f desk.db || $(BUILD)/desk init --demo --db desk.db
	$(BUILD)/desk serve --db desk.db --listen 127.0.0.1:8080

ASAN_MAKE = $(MAKE) --no-print-directory BUILD=build-asan OPT="-O1 -g -fno-omit-frame-pointer" \
	    SANFLAGS="-fsanitize=address,undefined -fno-sanitize-recover=undefined"

# Everything a test run needs in one build directory.
bins: $(BUILD)/desk $(UNIT_BIN) $(FUZZ_BIN) $(TOOL_BIN)

# make test runs every suite twice: on the release build and on the
# address+undefined sanitized build, with one closing count for both.
test: bins
	@$(ASAN_MAKE) bins
	@BUILDS="$(BUILD) build-asan" sh tests/run.sh

asan:
	@$(ASAN_MAKE) bins
	@BUILDS=build-asan sh tests/run.sh

bench: $(BUILD)/desk
	@BUILD=$(BUILD) sh bench/run.sh

fuzz:
	@sh tests/fuzz/run.sh

format:
	clang-format -i $(shell git ls-files 'src/*.c' 'src/*.cc' 'src/*.h' 'tests/*.c' 'tests/*.h' 'bench/*.c')

lint: $(BUILD)/desk
	clang-format --dry-run --Werror $(shell git ls-files 'src/*.c' 'src/*.cc' 'src/*.h' 'tests/*.c' 'bench/*.c')
	clang-tidy --quiet $(SRC) src/main.c -- $(CPPFLAGS) -std=c11 $(shell pkg-config --cflags $(PKGS))

# The pkg-config packages every build links, and every library flag the
# programs linking libdesk.a need (tests/fuzz/run.sh and bench/ read them).
print-pkgs:
	@echo $(PKGS)

print-libs:
	@echo $(shell pkg-config --libs $(PKGS)) $(NOPKG) -lm -pthread

clean:
	rm -rf build build-asan build-fuzz

-include $(OBJ:.o=.d) $(BUILD)/src/main.d
