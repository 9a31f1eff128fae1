/* SPDX-License-Identifier: GPL-2.0-or-later */
/* the unit-test driver's helpers (no kernel) */
#ifndef FW_UNIT_H
#define FW_UNIT_H

#include "base.h"

#include <stdio.h>

#include "err.h"
#include "rule.h"

extern unsigned unit_pass, unit_fail;

#define CHECK(cond, ...)						\
	do {								\
		if (cond) {						\
			unit_pass++;					\
		} else {						\
			unit_fail++;					\
			fprintf(stderr, "FAIL %s:%d: ", __FILE__, __LINE__); \
			fprintf(stderr, __VA_ARGS__);			\
			fputc('\n', stderr);				\
		}							\
	} while (0)

/* Parse a rule spec; NULL on error (errors in errs). */
struct fw_rule *unit_parse(const char *spec, int family, struct fw_errs *errs);
/* The canonical text of r (caller frees). */
char *unit_print(const struct fw_rule *r);
/*
 * Encode r into a netlink message, parse that back and decode it: the
 * rule as the kernel would hand it to fw-save. NULL on error.
 */
struct fw_rule *unit_roundtrip(const struct fw_rule *r, struct fw_errs *errs);

void test_cmdpipe(void);
void test_ext(void);
void test_tok(void);
void test_grammar(void);
void test_yaml(void);
void test_decode(void);
void test_util(void);

#endif
