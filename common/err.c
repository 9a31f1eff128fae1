/* SPDX-License-Identifier: GPL-2.0-or-later */
/* the error list: collected while working, printed once at the end */
#include "base.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "err.h"

/* the functions themselves, not the analyzer's view of them (err.h) */
#undef fw_error
#undef fw_verror
#undef fw_error_plain

/* Past this many messages only a count is kept (a 100 MB garbage file). */
#define FW_ERRS_MAX 200

enum fw_sev { FW_SEV_ERROR, FW_SEV_WARN, FW_SEV_PLAIN };

struct fw_msg {
	enum fw_sev sev;
	struct fw_loc loc;
	bool has_loc;
	char *text;
};

struct fw_errs {
	struct fw_msg *msgs;
	unsigned n, alloc;
	unsigned errors, dropped;
};

struct fw_errs *fw_errs_new(void)
{
	return xzalloc(sizeof(struct fw_errs));
}

void fw_errs_free(struct fw_errs *errs)
{
	unsigned i;

	if (!errs)
		return;
	for (i = 0; i < errs->n; i++)
		free(errs->msgs[i].text);
	free(errs->msgs);
	free(errs);
}

unsigned fw_errs_count(const struct fw_errs *errs)
{
	return errs->errors;
}

/* Keep a message whose text (malloc'ed) errs now owns. */
static void put(struct fw_errs *errs, enum fw_sev sev,
		const struct fw_loc *loc, char *text)
{
	struct fw_msg *m;

	if (sev != FW_SEV_WARN)
		errs->errors++;
	if (errs->n >= FW_ERRS_MAX) {
		errs->dropped++;
		free(text);
		return;
	}
	if (errs->n == errs->alloc) {
		errs->alloc = errs->alloc ? errs->alloc * 2 : 8;
		errs->msgs = xrealloc(errs->msgs,
				      errs->alloc * sizeof(*errs->msgs));
	}
	m = &errs->msgs[errs->n++];
	memset(m, 0, sizeof(*m));
	m->sev = sev;
	if (loc) {
		m->loc = *loc;
		m->has_loc = true;
	}
	m->text = text;
}

static void add(struct fw_errs *errs, enum fw_sev sev,
		const struct fw_loc *loc, const char *fmt, va_list ap)
{
	char *text;

	if (vasprintf(&text, fmt, ap) < 0)
		FW_BUG("vasprintf failed");
	put(errs, sev, loc, text);
}

void fw_errs_mark(const struct fw_errs *errs, struct fw_errs_mark *m)
{
	m->held = errs->n;
	m->errors = errs->errors;
	m->dropped = errs->dropped;
}

void fw_errs_move(struct fw_errs *dst, struct fw_errs *src,
		  const struct fw_errs_mark *from, const struct fw_errs_mark *to)
{
	unsigned i, moved = 0;
	struct fw_msg *m;

	for (i = from->held; i < to->held; i++) {
		m = &src->msgs[i];
		moved += m->sev != FW_SEV_WARN;
		put(dst, m->sev, m->has_loc ? &m->loc : NULL, m->text);
		m->text = NULL;
	}
	/*
	 * Those src could not hold came after its last held one: dst, which
	 * has that one and all before it, would not hold them either.
	 */
	dst->errors += to->errors - from->errors - moved;
	dst->dropped += to->dropped - from->dropped;
}

void fw_errs_swap(struct fw_errs *a, struct fw_errs *b)
{
	struct fw_errs t = *a;

	*a = *b;
	*b = t;
}

void fw_errs_clear(struct fw_errs *errs)
{
	unsigned i;

	for (i = 0; i < errs->n; i++)
		free(errs->msgs[i].text);
	errs->n = errs->errors = errs->dropped = 0;
}

int fw_verror(struct fw_errs *errs, const struct fw_loc *loc,
	      const char *fmt, va_list ap)
{
	add(errs, FW_SEV_ERROR, loc, fmt, ap);
	return -1;
}

int fw_error(struct fw_errs *errs, const struct fw_loc *loc,
	     const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	add(errs, FW_SEV_ERROR, loc, fmt, ap);
	va_end(ap);
	return -1;
}

void fw_warn(struct fw_errs *errs, const struct fw_loc *loc,
	     const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	add(errs, FW_SEV_WARN, loc, fmt, ap);
	va_end(ap);
}

int fw_error_plain(struct fw_errs *errs, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	add(errs, FW_SEV_PLAIN, NULL, fmt, ap);
	va_end(ap);
	return -1;
}

/* The text of line n (1-based) of in, and its length; NULL if none. */
static const char *line_text(const struct fw_input *in, unsigned n,
			     size_t *len)
{
	const char *p = in->data, *end, *nl;

	if (!p || n == 0)
		return NULL;
	end = p + in->len;
	while (--n > 0) {
		nl = memchr(p, '\n', end - p);
		if (!nl)
			return NULL;
		p = nl + 1;
	}
	nl = memchr(p, '\n', end - p);
	*len = nl ? (size_t)(nl - p) : (size_t)(end - p);
	return p;
}

/* The line, with control bytes shown as '?', and a caret under loc. */
static void print_caret(const struct fw_loc *loc, FILE *fp)
{
	const char *s;
	size_t len, i;
	unsigned w;

	if (!loc->in || !loc->col)
		return;
	s = line_text(loc->in, loc->line, &len);
	if (!s)
		return;
	if (len > 200)
		len = 200;
	fputs("  ", fp);
	for (i = 0; i < len; i++)
		fputc((unsigned char)s[i] < 0x20 && s[i] != '\t' ? '?' : s[i],
		      fp);
	fputs("\n  ", fp);
	for (i = 1; i < loc->col && i <= len; i++)
		fputc(s[i - 1] == '\t' ? '\t' : ' ', fp);
	fputc('^', fp);
	for (w = 1; w < loc->len && w < 80; w++)
		fputc('~', fp);
	fputc('\n', fp);
}

static void print_one(const struct fw_msg *m, FILE *fp)
{
	const char *what = m->sev == FW_SEV_WARN ? "warning" : "error";

	if (m->sev == FW_SEV_PLAIN) {
		fprintf(fp, "%s\n", m->text);
		return;
	}
	if (m->has_loc && m->loc.in && m->loc.col)
		fprintf(fp, "%s:%u:%u: %s: %s\n", m->loc.in->name, m->loc.line,
			m->loc.col, what, m->text);
	else if (m->has_loc && m->loc.in)
		fprintf(fp, "%s:%u: %s: %s\n", m->loc.in->name, m->loc.line,
			what, m->text);
	else
		fprintf(fp, "fw: %s: %s\n", what, m->text);
	if (m->has_loc)
		print_caret(&m->loc, fp);
}

void fw_errs_print(const struct fw_errs *errs, FILE *fp)
{
	unsigned i;

	for (i = 0; i < errs->n; i++)
		print_one(&errs->msgs[i], fp);
	if (errs->dropped)
		fprintf(fp, "fw: %u more messages not shown\n", errs->dropped);
}
