/* SPDX-License-Identifier: GPL-2.0-or-later */
/* u32 match: --u32 "location=value[,range]&&..." tests on packet words */
#include "base.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linux/netfilter/xt_u32.h>

#include "ext.h"

enum { O_U32 };

static const struct fw_opt u32_opts[] = {
	{ "u32", O_U32, 1, FW_OPT_INV | FW_OPT_STR },
	{ NULL },
};

/* Location operators, by their xt_u32_ops value. */
static const char *const op_tbl[] = {
	[XT_U32_AND] = "&",
	[XT_U32_LEFTSH] = "<<",
	[XT_U32_RIGHTSH] = ">>",
	[XT_U32_AT] = "@",
};

struct u32_parser {
	struct fw_pctx *p;
	const char *start, *s;
};

static int u32_error(struct u32_parser *u, const char *what)
{
	return fw_error(u->p->errs, u->p->loc, "u32: at char %u: %s",
			(unsigned)(u->s - u->start), what);
}

static void skip_blanks(struct u32_parser *u)
{
	while (isspace((unsigned char)*u->s))
		u->s++;
}

static int number(struct u32_parser *u, uint32_t *v)
{
	unsigned long long n;
	const char *q = u->s;
	char *end;

	while (isspace((unsigned char)*q))
		q++;
	errno = 0;
	n = *q == '-' ? 0 : strtoull(u->s, &end, 0);
	if (*q == '-' || end == u->s || errno || n > UINT32_MAX)
		return u32_error(u, "not a number or out of range");
	u->s = end;
	*v = n;
	return 0;
}

static int location(struct u32_parser *u, struct xt_u32_test *t)
{
	size_t op;

	if (t->nnums) {
		for (op = 0; op < FW_ARRAY_SIZE(op_tbl); op++)
			if (!strncmp(u->s, op_tbl[op], strlen(op_tbl[op])))
				break;
		if (op == FW_ARRAY_SIZE(op_tbl))
			return u32_error(u, "operator expected");
		u->s += strlen(op_tbl[op]);
		t->location[t->nnums].nextop = op;
	}
	if (number(u, &t->location[t->nnums].number))
		return -1;
	if (++t->nnums > XT_U32_MAXSIZE)
		return u32_error(u, "too many operators");
	return 0;
}

static int value(struct u32_parser *u, struct xt_u32_test *t)
{
	struct xt_u32_value_element *v = &t->value[t->nvalues];

	if (t->nvalues) {
		if (*u->s != ',')
			return u32_error(u, "expected ',' or '&&'");
		u->s++;
	}
	if (number(u, &v->min))
		return -1;
	skip_blanks(u);
	v->max = v->min;
	if (*u->s == ':') {
		u->s++;
		if (number(u, &v->max))
			return -1;
	}
	if (++t->nvalues > XT_U32_MAXSIZE)
		return u32_error(u, "too many ','s");
	return 0;
}

/* One "location=values" test; stops at "&&" or the end. */
static int one_test(struct u32_parser *u, struct xt_u32_test *t)
{
	for (;;) {
		skip_blanks(u);
		if (!*u->s)
			return u32_error(u, "location without a value");
		if (*u->s == '=' && !t->nnums)
			return u32_error(u, "location spec missing");
		if (*u->s == '=')
			break;
		if (location(u, t))
			return -1;
	}
	u->s++;
	for (;;) {
		skip_blanks(u);
		if (!*u->s || *u->s == '&')
			break;
		if (value(u, t))
			return -1;
	}
	if (*u->s == '&' && u->s[1] != '&') {
		u->s++;
		return u32_error(u, "a second '&' was expected");
	}
	if (!t->nvalues)
		return u32_error(u, "value spec missing");
	return 0;
}

static int u32_parse(struct fw_pctx *p, const struct fw_opt *o, char **argv)
{
	struct xt_u32 *data = (struct xt_u32 *)p->xt->data;
	struct u32_parser u = { p, argv[0], argv[0] };

	data->invert = p->inv;
	for (;;) {
		if (data->ntests > XT_U32_MAXSIZE)
			return u32_error(&u, "too many '&&'s");
		if (one_test(&u, &data->tests[data->ntests++]))
			return -1;
		if (!*u.s)
			break;
		u.s += 2;
	}
	if (data->ntests > XT_U32_MAXSIZE)
		return u32_error(&u, "too many '&&'s");
	return 0;
}

static int u32_check(struct fw_pctx *p)
{
	if (!p->xt->seen)
		return fw_error(p->errs, p->loc, "u32 match needs '--u32'");
	return 0;
}

static void dump_test(struct fw_buf *b, const struct xt_u32_test *t)
{
	unsigned i;

	const struct xt_u32_location_element *l = t->location;

	fw_buf_addf(b, "0x%x", l[0].number);
	for (i = 1; i < t->nnums && i <= XT_U32_MAXSIZE; i++)
		fw_buf_addf(b, "%s0x%x", l[i].nextop < FW_ARRAY_SIZE(op_tbl) ?
			    op_tbl[l[i].nextop] : "", l[i].number);
	fw_buf_addch(b, '=');
	for (i = 0; i < t->nvalues && i <= XT_U32_MAXSIZE; i++) {
		fw_buf_addf(b, "%s0x%x", i ? "," : "", t->value[i].min);
		if (t->value[i].min != t->value[i].max)
			fw_buf_addf(b, ":0x%x", t->value[i].max);
	}
}

static void u32_print(const struct fw_xt *x, const struct fw_rule *r,
		      struct fw_pr *pr)
{
	const struct xt_u32 *data = (const struct xt_u32 *)x->data;
	struct fw_buf b = FW_BUF_INIT;
	unsigned i;

	fw_buf_addstr(&b, "");
	for (i = 0; i < data->ntests && i <= XT_U32_MAXSIZE; i++) {
		if (i)
			fw_buf_addstr(&b, "&&");
		dump_test(&b, &data->tests[i]);
	}
	fw_pr_qstr(pr, data->invert, "u32", b.buf);
	fw_buf_release(&b);
}

static const struct fw_case u32_tests[] = {
	{ "--u32 \"0x0=0x0&&0x0=0x1\"", "=", FW_OK, 0, NULL },
	{ "! --u32 \" 6 & 0xFF = 1 , 2:3 && 4>>22&0x3C@12>>16=0x16\"",
	  "! --u32 \"0x6&0xff=0x1,0x2:0x3&&0x4>>0x16&0x3c@0xc>>0x10=0x16\"",
	  FW_OK, 0, NULL },
	{ "--u32 0<<1=5", "--u32 \"0x0<<0x1=0x5\"", FW_OK, 0, NULL },
	{ "--u32 \"0=1&&1=2&&2=3&&3=4&&4=5&&5=6&&6=7&&7=8&&8=9&&9=10\"",
	  "--u32 \"0x0=0x1&&0x1=0x2&&0x2=0x3&&0x3=0x4&&0x4=0x5&&0x5=0x6&&"
	  "0x6=0x7&&0x7=0x8&&0x8=0x9&&0x9=0xa\"", FW_OK, 0, NULL },
	{ "--u32 \"0=1&&1=2&&2=3&&3=4&&4=5&&5=6&&6=7&&7=8&&8=9&&9=10&&1=1\"",
	  NULL, FW_FAIL, 0, NULL },
	{ "--u32 \"1&2&3&4&5&6&7&8&9&10=1\"", "--u32 "
	  "\"0x1&0x2&0x3&0x4&0x5&0x6&0x7&0x8&0x9&0xa=0x1\"", FW_OK, 0, NULL },
	{ "--u32 \"1&2&3&4&5&6&7&8&9&10&11=1\"", NULL, FW_FAIL, 0, NULL },
	{ "--u32 0=1,2,3,4,5,6,7,8,9,10,11", NULL, FW_FAIL, 0, NULL },
	{ "--u32 0", NULL, FW_FAIL, 0, NULL },
	{ "--u32 0=", NULL, FW_FAIL, 0, NULL },
	{ "--u32 =1", NULL, FW_FAIL, 0, NULL },
	{ "--u32 0<1=1", NULL, FW_FAIL, 0, NULL },
	{ "--u32 0=1&2=3", NULL, FW_FAIL, 0, NULL },
	{ "--u32 0=1;", NULL, FW_FAIL, 0, NULL },
	{ "--u32 0x100000000=1", NULL, FW_FAIL, 0, NULL },
	{ "", NULL, FW_FAIL, 0, NULL },
	{ NULL },
};

const struct fw_ext fw_ext_u32 = {
	.name = "u32",
	.kind = FW_EXT_MATCH,
	.size = sizeof(struct xt_u32),
	.opts = u32_opts,
	.parse = u32_parse,
	.check = u32_check,
	.print = u32_print,
	.tests = u32_tests,
};
