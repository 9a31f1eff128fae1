/* SPDX-License-Identifier: GPL-2.0-or-later */
/* input locations and the error list */
#ifndef FW_ERR_H
#define FW_ERR_H

#include "base.h"

#include <stdarg.h>
#include "fw.h"

/* Where something came from: a 1-based line and column in an input. */
struct fw_loc {
	const struct fw_input *in;	/* NULL: no input (kernel, options) */
	unsigned line, col, len;
};

/*
 * Append an error at loc (NULL: no location) and return -1, so that
 * "return fw_error(errs, loc, ...)" fails the caller.
 */
int fw_error(struct fw_errs *errs, const struct fw_loc *loc,
	     const char *fmt, ...) FW_PRINTF(3, 4);
/* fw_error() with a va_list. */
int fw_verror(struct fw_errs *errs, const struct fw_loc *loc,
	      const char *fmt, va_list ap) FW_PRINTF(3, 0);
/* The same, as a warning: printed, but not counted by fw_errs_count(). */
void fw_warn(struct fw_errs *errs, const struct fw_loc *loc,
	     const char *fmt, ...) FW_PRINTF(3, 4);
/* A free-form message, printed as is (e.g. a kernel error summary). */
int fw_error_plain(struct fw_errs *errs, const char *fmt, ...) FW_PRINTF(2, 3);

/*
 * Handing messages from one list to another (a parser thread's to the
 * run's, common/cmdpipe.c). A mark is where a list stands: messages held,
 * errors and messages dropped so far. fw_errs_move() moves what src got
 * from mark from to mark to, in order, to dst as if reported there now
 * (the text moves; src's slots are left empty). fw_errs_swap() swaps two
 * lists' contents; fw_errs_clear() empties one.
 */
struct fw_errs_mark {
	unsigned held, errors, dropped;
};
void fw_errs_mark(const struct fw_errs *errs, struct fw_errs_mark *m);
void fw_errs_move(struct fw_errs *dst, struct fw_errs *src,
		  const struct fw_errs_mark *from, const struct fw_errs_mark *to);
void fw_errs_swap(struct fw_errs *a, struct fw_errs *b);
void fw_errs_clear(struct fw_errs *errs);

/*
 * The static analyzer (make lint) sees one file at a time: tell it these
 * always return -1, or every "return fw_error(...)" before an out
 * parameter is set reads as a use of garbage.
 */
#ifdef __clang_analyzer__
#define fw_error(...) (fw_error(__VA_ARGS__), -1)
#define fw_verror(...) (fw_verror(__VA_ARGS__), -1)
#define fw_error_plain(...) (fw_error_plain(__VA_ARGS__), -1)
#endif

#endif
