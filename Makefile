# SPDX-License-Identifier: GPL-2.0-or-later
# fw: fw-save, fw-restore, fw-persist. Plain make; see README.md.

PREFIX ?= /usr/local
SBINDIR ?= $(PREFIX)/sbin
MANDIR ?= $(PREFIX)/share/man
SYSCONFDIR ?= /etc
PKG_CONFIG ?= pkg-config
SYSTEMDUNITDIR ?= $(shell $(PKG_CONFIG) --variable=systemdsystemunitdir systemd 2>/dev/null || echo /lib/systemd/system)
DESTDIR ?=

CC ?= cc
B := build
CFLAGS ?= -O2 -g
WARN := -std=gnu11 -Wall -Wextra -Wmissing-prototypes -Wstrict-prototypes \
	-Wshadow -Wformat=2 -Wwrite-strings -Wundef -Wvla \
	-Wdeclaration-after-statement -Wno-unused-parameter
ifdef DEVELOPER
WARN += -Werror
endif
ifdef SANITIZE
SANFLAGS := -fsanitize=$(SANITIZE) -fno-sanitize-recover=$(SANITIZE) \
	-fno-omit-frame-pointer
endif

NL_CFLAGS := $(shell $(PKG_CONFIG) --cflags libmnl libnftnl)
NL_LIBS := $(shell $(PKG_CONFIG) --libs libnftnl libmnl)
YAML_CFLAGS := $(shell $(PKG_CONFIG) --cflags yaml-0.1)
YAML_LIBS := $(shell $(PKG_CONFIG) --libs yaml-0.1)
SD_CFLAGS := $(shell $(PKG_CONFIG) --cflags libsystemd)
SD_LIBS := $(shell $(PKG_CONFIG) --libs libsystemd)

ALL_CFLAGS = $(WARN) $(CFLAGS) $(EXTRA_CFLAGS) $(SANFLAGS) -Icommon -I$(B) $(NL_CFLAGS) $(YAML_CFLAGS) $(SD_CFLAGS)
ALL_LDFLAGS = $(LDFLAGS) $(SANFLAGS)
LIBS = $(NL_LIBS) $(YAML_LIBS)

COMMON_SRC := $(sort $(wildcard common/*.c) $(wildcard common/ext/*.c))
COMMON_OBJ := $(COMMON_SRC:%.c=$(B)/%.o)
SAVE_OBJ := $(B)/save/main.o
RESTORE_OBJ := $(B)/restore/main.o
PERSIST_SRC := $(sort $(wildcard persist/*.c))
PERSIST_OBJ := $(PERSIST_SRC:%.c=$(B)/%.o)
UNIT_SRC := $(sort $(wildcard tests/unit/*.c))
UNIT_OBJ := $(UNIT_SRC:%.c=$(B)/%.o)

PROGRAMS := $(B)/fw-save $(B)/fw-restore
ifneq ($(PERSIST_SRC),)
PROGRAMS += $(B)/fw-persist
endif

all: $(PROGRAMS)

$(B)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c -o $@ $<

# The extension list: every "const struct fw_ext fw_ext_NAME = {" in
# common/ext/*.c, so adding an extension is adding its file.
EXT_SRC := $(sort $(wildcard common/ext/*.c))
$(B)/exts-gen.h: $(EXT_SRC) Makefile
	@mkdir -p $(B)
	{ echo '#define FW_EXTS(X) \\'; \
	  sed -n 's/^const struct fw_ext fw_ext_\([a-z0-9_]*\) = {$$/	X(\1) \\/p' $(EXT_SRC); \
	  echo '	/* end */'; } > $@.tmp && mv $@.tmp $@

$(B)/common/ext.o: $(B)/exts-gen.h

$(B)/libfw.a: $(COMMON_OBJ)
	rm -f $@
	$(AR) rcs $@ $^

$(B)/fw-save: $(SAVE_OBJ) $(B)/libfw.a
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

$(B)/fw-restore: $(RESTORE_OBJ) $(B)/libfw.a
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

$(B)/fw-persist: $(PERSIST_OBJ) $(B)/libfw.a
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS) $(SD_LIBS)

$(B)/unit-tests: $(UNIT_OBJ) $(B)/libfw.a
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

check: check-unit check-nl check-bats

# Every fuzz seed (past crashes among them) replayed through its target,
# built with the compiler and sanitizers of this build (tests/fuzz/replay.c).
REPLAY_TARGETS := text property decode yaml
REPLAY_BINS := $(REPLAY_TARGETS:%=$(B)/replay-%)

$(B)/replay-%: $(B)/tests/fuzz/fuzz-%.o $(B)/tests/fuzz/replay.o $(B)/libfw.a
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)
.SECONDARY: $(REPLAY_TARGETS:%=$(B)/tests/fuzz/fuzz-%.o) $(B)/tests/fuzz/replay.o

check-unit: $(B)/unit-tests $(REPLAY_BINS)
	$(B)/unit-tests
	for t in $(REPLAY_TARGETS); do \
		$(B)/replay-$$t tests/fuzz/seeds/$$t || exit 1; \
	done

# The netlink layer against the kernel, in a namespace of its own
# (tests/nl/nltest.c: dumps, pipelined dumps, batches, errors).
check-nl:
	CC="$(CC)" SANITIZE="$(SANITIZE)" tests/nl/run.sh

check-bats: $(PROGRAMS)
	FW_BIN=$(abspath $(B)) bats tests/bats

demo: $(PROGRAMS)
	FW_BIN=$(abspath $(B)) tests/demo

# Fuzzing (clang, libFuzzer, ASan+UBSan): make fuzz FUZZ_TIME=seconds
FUZZ_B := build-fuzz
FUZZ_TARGETS := text property decode $(if $(wildcard tests/fuzz/fuzz-yaml.c),yaml)
FUZZ_TIME ?= 60
FUZZ_BINS := $(FUZZ_TARGETS:%=$(FUZZ_B)/fuzz-%)

fuzz-build:
	$(MAKE) B=$(FUZZ_B) CC=clang CFLAGS="-g -O1" SANITIZE=address,undefined \
		EXTRA_CFLAGS="-fsanitize=fuzzer-no-link -DFW_FUZZING" $(FUZZ_B)/libfw.a
	for t in $(FUZZ_TARGETS); do \
		clang -g -O1 -DFW_FUZZING -Icommon -I$(FUZZ_B) $(NL_CFLAGS) $(YAML_CFLAGS) \
			-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
			-o $(FUZZ_B)/fuzz-$$t tests/fuzz/fuzz-$$t.c $(FUZZ_B)/libfw.a \
			$(LIBS) || exit 1; \
	done

# Each target runs FUZZ_TIME seconds from its seeds (tests/fuzz/seeds/T);
# what it finds goes to $(FUZZ_B)/corpus-T and crashes to $(FUZZ_B)/.
# Every seed is run first: the seeds include the inputs of past crashes.
# FUZZ_SEED=N fixes libFuzzer's random seed: from a clean tree the run is
# then the same mutation sequence each time (CI uses it).
fuzz: fuzz-build
	for t in $(FUZZ_TARGETS); do \
		mkdir -p $(FUZZ_B)/corpus-$$t; \
		$(FUZZ_B)/fuzz-$$t -runs=0 tests/fuzz/seeds/$$t || exit 1; \
		$(FUZZ_B)/fuzz-$$t -max_total_time=$(FUZZ_TIME) -timeout=10 \
			$(if $(FUZZ_SEED),-seed=$(FUZZ_SEED)) \
			-rss_limit_mb=2048 -artifact_prefix=$(FUZZ_B)/$$t- \
			-print_final_stats=1 $(FUZZ_B)/corpus-$$t \
			tests/fuzz/seeds/$$t || exit 1; \
	done

# Static analysis: cppcheck, and clang-tidy with .clang-tidy; both must
# be clean (tests/run-all runs this).
LINT_SRC := $(COMMON_SRC) $(wildcard save/*.c restore/*.c) $(PERSIST_SRC)
LINT_JOBS ?= $(shell nproc 2>/dev/null || echo 2)

lint: $(B)/exts-gen.h
	cppcheck -q --std=c11 --enable=warning,portability --inline-suppr \
		--suppressions-list=tests/cppcheck.supp --error-exitcode=1 \
		-D__GNUC__ -Icommon -I$(B) $(LINT_SRC)
	printf '%s\n' $(LINT_SRC) | xargs -P$(LINT_JOBS) -I{} clang-tidy \
		-quiet {} -- -std=gnu11 -Icommon -I$(B) $(NL_CFLAGS) \
		$(YAML_CFLAGS) $(SD_CFLAGS)

# The unit tests and a set of bats suites with every fw program run under
# valgrind (tests/valgrind-run: an error or a definite leak exits 99).
VALGRIND := tests/valgrind-run
# Every suite but 140 (races between writers, whose timing valgrind's 20x
# slowdown changes) and 170 (it traces the programs' own exec and links).
VALGRIND_BATS ?= 100 110 120 130 150 160 180 190 200 210 220 400 \
	500 510 520 530 540 550 560
check-valgrind: $(PROGRAMS) $(B)/unit-tests $(REPLAY_BINS)
	$(VALGRIND) $(B)/unit-tests
	for t in $(REPLAY_TARGETS); do \
		$(VALGRIND) $(B)/replay-$$t tests/fuzz/seeds/$$t || exit 1; \
	done
	rm -rf $(B)/valgrind
	mkdir -p $(B)/valgrind/real
	for p in $(notdir $(PROGRAMS)); do \
		ln -s $(abspath $(B))/$$p $(B)/valgrind/real/$$p; \
		ln -s $(abspath $(B))/$$p $(B)/valgrind/real/$$(echo $$p | sed s/fw-/fw6-/); \
		ln -s $(CURDIR)/tests/valgrind-run $(B)/valgrind/$$p; \
	done
	FW_BIN=$(abspath $(B))/valgrind FW_REAL_BIN=$(abspath $(B))/valgrind/real \
		FW_VALGRIND=1 bats \
		$(foreach n,$(VALGRIND_BATS),$(wildcard tests/bats/$(n)-*.bats))

.PHONY: all check check-unit check-nl check-bats clean install demo fuzz fuzz-build \
	lint check-valgrind

install: $(PROGRAMS)
	install -d $(DESTDIR)$(SBINDIR) $(DESTDIR)$(MANDIR)/man8
	install -m 0755 $(PROGRAMS) $(DESTDIR)$(SBINDIR)/
	ln -sf fw-save $(DESTDIR)$(SBINDIR)/fw6-save
	ln -sf fw-restore $(DESTDIR)$(SBINDIR)/fw6-restore
	install -m 0644 $(wildcard docs/*.8) $(DESTDIR)$(MANDIR)/man8/

# fw-persist: unit, ifupdown hook, default configuration; boot tests.
ifneq ($(PERSIST_SRC),)
install: install-persist
endif

install-persist: $(B)/fw-persist
	install -d $(DESTDIR)$(SYSTEMDUNITDIR) $(DESTDIR)$(SYSCONFDIR)/fw \
		$(DESTDIR)$(SYSCONFDIR)/network/if-pre-up.d
	sed 's|@sbindir@|$(SBINDIR)|g' units/fw-restore.service.in \
		> $(B)/fw-restore.service
	install -m 0644 $(B)/fw-restore.service $(DESTDIR)$(SYSTEMDUNITDIR)/
	install -m 0755 persist/fw-persist-ifupdown \
		$(DESTDIR)$(SYSCONFDIR)/network/if-pre-up.d/fw-persist
	[ -e $(DESTDIR)$(SYSCONFDIR)/fw/persist.conf ] || \
		install -m 0644 persist/persist.conf \
		$(DESTDIR)$(SYSCONFDIR)/fw/persist.conf

check-boot:
	FW_BOOT_BUILD=$(B) tests/boot/run.sh

.PHONY: install-persist check-boot

# Performance against iptables-nft and the kernel (bench/, docs/bench.md),
# in throwaway network namespaces; never part of make check.
# BENCH_ARGS: more options for bench/run.py, e.g. --sizes 100000.
BENCH_ARGS ?=

$(B)/enccheck: bench/enccheck.c $(B)/libfw.a
	$(CC) $(ALL_CFLAGS) $(ALL_LDFLAGS) -o $@ $^ $(LIBS)

bench: $(PROGRAMS) $(B)/enccheck
	FW_BIN=$(abspath $(B)) python3 bench/run.py $(BENCH_ARGS)

bench-quick: $(PROGRAMS) $(B)/enccheck
	FW_BIN=$(abspath $(B)) python3 bench/run.py --quick $(BENCH_ARGS)

.PHONY: bench bench-quick

clean:
	rm -rf $(B) $(FUZZ_B)

-include $(COMMON_OBJ:.o=.d) $(SAVE_OBJ:.o=.d) $(RESTORE_OBJ:.o=.d) \
	$(PERSIST_OBJ:.o=.d) $(UNIT_OBJ:.o=.d)
