/* SPDX-License-Identifier: GPL-2.0-or-later */
/* mark match (native meta mark) and MARK target (rev 2): nfmark */
#include "base.h"

#include <errno.h>
#include <string.h>

#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/xt_mark.h>
#include <libnftnl/expr.h>

#include "ext.h"
#include "nlmsg.h"

enum { O_MARK };

static const struct fw_opt mark_opts[] = {
	{ "mark", O_MARK, 1, FW_OPT_INV },
	{ NULL },
};

enum { O_SET_XMARK, O_SET_MARK, O_AND_MARK, O_OR_MARK, O_XOR_MARK };

static const struct fw_opt mark_tg_opts[] = {
	{ "set-xmark", O_SET_XMARK, 1, 0 },
	{ "set-mark", O_SET_MARK, 1, 0 },
	{ "and-mark", O_AND_MARK, 1, 0 },
	{ "or-mark", O_OR_MARK, 1, 0 },
	{ "xor-mark", O_XOR_MARK, 1, 0 },
	{ NULL },
};

/* A u32 in any base; *end is left after it. */
static int mark_u32(const char *s, char **end, uint32_t *v)
{
	unsigned long long n;

	while (*s == ' ' || *s == '\t')
		s++;
	if (*s == '-')
		return -1;
	errno = 0;
	n = strtoull(s, end, 0);
	if (*end == s || errno || n > UINT32_MAX)
		return -1;
	*v = n;
	return 0;
}

/* "VALUE[/MASK]" as libxtables reads it; the mask defaults to all ones. */
static int mark_parse_mask(struct fw_pctx *p, const char *s, uint32_t *val,
			   uint32_t *mask)
{
	char *end;

	*mask = UINT32_MAX;
	if (mark_u32(s, &end, val))
		return fw_error(p->errs, p->loc, "invalid mark value '%s'", s);
	if (*end == '/' && mark_u32(end + 1, &end, mask))
		return fw_error(p->errs, p->loc, "invalid mark mask in '%s'",
				s);
	if (*end)
		return fw_error(p->errs, p->loc,
				"trailing garbage in mark value '%s'", s);
	return 0;
}

/* mark match: xt_mark_mtinfo1 holds it, the kernel sees meta mark. */

static struct xt_mark_mtinfo1 *mark_info(const struct fw_xt *x)
{
	return (struct xt_mark_mtinfo1 *)x->data;
}

static int mark_parse(struct fw_pctx *p, const struct fw_opt *o, char **argv)
{
	struct xt_mark_mtinfo1 *info = mark_info(p->xt);

	if (mark_parse_mask(p, argv[0], &info->mark, &info->mask))
		return -1;
	info->invert = p->inv;
	return 0;
}

static int mark_check(struct fw_pctx *p)
{
	if (!p->xt->seen)
		return fw_error(p->errs, p->loc, "mark match needs '--mark'");
	return 0;
}

static void mark_print(const struct fw_xt *x, const struct fw_rule *r,
		       struct fw_pr *pr)
{
	const struct xt_mark_mtinfo1 *info = mark_info(x);

	if (info->mask != UINT32_MAX)
		fw_pr_val(pr, info->invert, "mark", "0x%x/0x%x", info->mark,
			  info->mask);
	else
		fw_pr_val(pr, info->invert, "mark", "0x%x", info->mark);
}

/* meta mark, a bitwise unless the mask is all ones, cmp (host order). */
static int mark_to_nl(struct fw_enc *e, const struct fw_xt *x)
{
	static const uint32_t zero;
	const struct xt_mark_mtinfo1 *info = mark_info(x);

	fw_enc_meta(e, NFT_META_MARK);
	if (info->mask != UINT32_MAX)
		fw_enc_bitwise(e, &info->mask, &zero, sizeof(uint32_t));
	fw_enc_cmp(e, info->invert ? NFT_CMP_NEQ : NFT_CMP_EQ, &info->mark,
		   sizeof(uint32_t));
	return 0;
}

extern const struct fw_ext fw_ext_mark;

/* As 1.8.9: any compare op but neq reads as a plain --mark. */
static int mark_from_nl(struct fw_dec *d, const struct fw_nlexpr *e)
{
	const struct fw_dreg *g = &d->reg[0];
	struct xt_mark_mtinfo1 *info;
	struct fw_xt *x;
	const void *v;
	uint32_t len = 0;

	if (g->kind != FW_R_META || g->key != NFT_META_MARK ||
	    e->kind != FW_NLX_CMP)
		return 0;
	v = fw_nlx_value(e, NFTA_CMP_DATA, &len);
	if (len != sizeof(uint32_t))
		return fw_dec_error(d, "a mark compare of %u bytes", len);
	x = fw_xt_new(&fw_ext_mark, NULL);
	info = mark_info(x);
	memcpy(&info->mark, v, sizeof(info->mark));
	info->mask = UINT32_MAX;
	if (g->masked)
		memcpy(&info->mask, g->mask, sizeof(info->mask));
	info->invert = fw_nlx_u32(e, NFTA_CMP_OP) == NFT_CMP_NEQ;
	fw_rule_add_match(d->rule, x);
	return 1;
}

/* MARK target: every option becomes an xmark value/mask pair. */

static struct xt_mark_tginfo2 *mark_tg_info(const struct fw_xt *x)
{
	return (struct xt_mark_tginfo2 *)x->data;
}

static int mark_tg_parse(struct fw_pctx *p, const struct fw_opt *o,
			 char **argv)
{
	struct xt_mark_tginfo2 *info = mark_tg_info(p->xt);
	uint32_t v, m;
	uint64_t n;

	if (p->xt->seen & ~(1ull << o->id))
		return fw_error(p->errs, p->loc, "MARK takes only one of "
				"--set-xmark, --set-mark, --and-mark, "
				"--or-mark and --xor-mark");
	if (o->id == O_SET_XMARK || o->id == O_SET_MARK) {
		if (mark_parse_mask(p, argv[0], &v, &m))
			return -1;
		info->mark = v;
		info->mask = o->id == O_SET_MARK ? v | m : m;
		return 0;
	}
	if (fw_parse_uint(p, argv[0], UINT32_MAX, &n))
		return -1;
	v = n;
	info->mark = o->id == O_AND_MARK ? 0 : v;
	info->mask = o->id == O_AND_MARK ? ~v : o->id == O_OR_MARK ? v : 0;
	return 0;
}

static int mark_tg_check(struct fw_pctx *p)
{
	if (!p->xt->seen)
		return fw_error(p->errs, p->loc, "MARK needs one of "
				"--set-xmark, --set-mark, --and-mark, "
				"--or-mark, --xor-mark");
	return 0;
}

static void mark_tg_print(const struct fw_xt *x, const struct fw_rule *r,
			  struct fw_pr *pr)
{
	const struct xt_mark_tginfo2 *info = mark_tg_info(x);

	fw_pr_val(pr, false, "set-xmark", "0x%x/0x%x", info->mark, info->mask);
}

static const struct fw_case mark_tests[] = {
	{ "--mark 0xfeedcafe/0xfeedcafe", "=", FW_OK, 0, NULL },
	{ "--mark 0x0", "=", FW_OK, 0, NULL },
	{ "! --mark 5", "! --mark 0x5", FW_OK, 0, NULL },
	{ "--mark 4294967295", "--mark 0xffffffff", FW_OK, 0, NULL },
	{ "--mark 1/0xffffffff", "--mark 0x1", FW_OK, 0, NULL },
	{ "--mark 0x0/0xff0", "=", FW_OK, 0, NULL },
	{ "! --mark 010/0", "! --mark 0x8/0x0", FW_OK, 0, NULL },
	{ "--mark 4294967296", NULL, FW_FAIL, 0, NULL },
	{ "--mark -1", NULL, FW_FAIL, 0, NULL },
	{ "--mark 1/", NULL, FW_FAIL, 0, NULL },
	{ "--mark 1x", NULL, FW_FAIL, 0, NULL },
	{ "--mark 1/2/3", NULL, FW_FAIL, 0, NULL },
	{ "", NULL, FW_FAIL, 0, NULL },
	{ NULL },
};

static const struct fw_case mark_tg_tests[] = {
	{ "--set-xmark 0xfeedcafe/0xfeedcafe", "=", FW_OK, 0, NULL },
	{ "--set-xmark 0x0", "--set-xmark 0x0/0xffffffff", FW_OK, 0, NULL },
	{ "--set-xmark 4294967295", "--set-xmark 0xffffffff/0xffffffff",
	  FW_OK, 0, NULL },
	{ "--set-mark 1", "--set-xmark 0x1/0xffffffff", FW_OK, 0, NULL },
	{ "--set-mark 0x10/0x1", "--set-xmark 0x10/0x11", FW_OK, 0, NULL },
	{ "--and-mark 0xff", "--set-xmark 0x0/0xffffff00", FW_OK, 0, NULL },
	{ "--or-mark 4", "--set-xmark 0x4/0x4", FW_OK, 0, NULL },
	{ "--xor-mark 4", "--set-xmark 0x4/0x0", FW_OK, 0, NULL },
	{ "--set-xmark 4294967296", NULL, FW_FAIL, 0, NULL },
	{ "--set-xmark -1", NULL, FW_FAIL, 0, NULL },
	{ "--and-mark 1/2", NULL, FW_FAIL, 0, NULL },
	{ "--set-mark 1 --or-mark 2", NULL, FW_FAIL, 0, NULL },
	{ "--set-mark 1 --set-mark 2", NULL, FW_FAIL, 0, NULL },
	{ "", NULL, FW_FAIL, 0, NULL },
	{ NULL },
};

const struct fw_ext fw_ext_mark = {
	.name = "mark",
	.kind = FW_EXT_MATCH,
	.revision = 1,		/* reads a compat mark match too */
	.size = sizeof(struct xt_mark_mtinfo1),
	.opts = mark_opts,
	.parse = mark_parse,
	.check = mark_check,
	.print = mark_print,
	.to_nl = mark_to_nl,
	.from_nl = mark_from_nl,
	.tests = mark_tests,
};

const struct fw_ext fw_ext_mark_target = {
	.name = "MARK",
	.kind = FW_EXT_TARGET,
	.revision = 2,
	.size = sizeof(struct xt_mark_tginfo2),
	.opts = mark_tg_opts,
	.parse = mark_tg_parse,
	.check = mark_tg_check,
	.print = mark_tg_print,
	.tests = mark_tg_tests,
};
