/* SPDX-License-Identifier: GPL-2.0-or-later */
/* connmark match (--mark) and CONNMARK target (set, save, restore) */
#include "base.h"

#include <linux/netfilter/xt_connmark.h>

#include "ext.h"

enum { O_MARK };

static const struct fw_opt connmark_opts[] = {
	{ "mark", O_MARK, 1, FW_OPT_INV },
	{ NULL },
};

static int connmark_parse(struct fw_pctx *p, const struct fw_opt *o,
			  char **argv)
{
	struct xt_connmark_mtinfo1 *m = (void *)p->xt->data;

	if (p->inv)
		m->invert = 1;
	return fw_parse_markmask(p, argv[0], &m->mark, &m->mask);
}

static int connmark_check(struct fw_pctx *p)
{
	if (p->xt->seen & 1u << O_MARK)
		return 0;
	return fw_error(p->errs, p->loc, "connmark needs '--mark'");
}

static void connmark_print(const struct fw_xt *x, const struct fw_rule *r,
			   struct fw_pr *pr)
{
	const struct xt_connmark_mtinfo1 *m = (const void *)x->data;

	if (m->mask != UINT32_MAX)
		fw_pr_val(pr, m->invert, "mark", "0x%x/0x%x", m->mark, m->mask);
	else
		fw_pr_val(pr, m->invert, "mark", "0x%x", m->mark);
}

/* The CONNMARK target. */

enum {
	T_SET_XMARK, T_SET_MARK, T_AND_MARK, T_OR_MARK, T_XOR_MARK,
	T_SAVE_MARK, T_RESTORE_MARK, T_LEFT_SHIFT, T_RIGHT_SHIFT, T_CTMASK,
	T_NFMASK, T_MASK,
};

#define T_OPS (1u << T_SET_XMARK | 1u << T_SET_MARK | 1u << T_AND_MARK | \
	       1u << T_OR_MARK | 1u << T_XOR_MARK | 1u << T_SAVE_MARK | \
	       1u << T_RESTORE_MARK)

static const struct fw_opt connmark_tg_opts[] = {
	{ "set-xmark", T_SET_XMARK, 1, 0 },
	{ "set-mark", T_SET_MARK, 1, 0 },
	{ "and-mark", T_AND_MARK, 1, 0 },
	{ "or-mark", T_OR_MARK, 1, 0 },
	{ "xor-mark", T_XOR_MARK, 1, 0 },
	{ "save-mark", T_SAVE_MARK, 0, 0 },
	{ "restore-mark", T_RESTORE_MARK, 0, 0 },
	{ "left-shift-mark", T_LEFT_SHIFT, 1, 0 },
	{ "right-shift-mark", T_RIGHT_SHIFT, 1, 0 },
	{ "ctmask", T_CTMASK, 1, 0 },
	{ "nfmask", T_NFMASK, 1, 0 },
	{ "mask", T_MASK, 1, 0 },
	{ NULL },
};

static void connmark_tg_init(struct fw_xt *x, const struct fw_rule *r)
{
	struct xt_connmark_tginfo2 *t = (void *)x->data;

	t->ctmask = UINT32_MAX;
	t->nfmask = UINT32_MAX;
}

/* The options that set ctmark/ctmask from a value and a mask. */
static void connmark_tg_set(struct xt_connmark_tginfo2 *t, unsigned id,
			    uint32_t v, uint32_t m)
{
	t->mode = XT_CONNMARK_SET;
	switch (id) {
	case T_SET_XMARK:
		t->ctmark = v;
		t->ctmask = m;
		break;
	case T_SET_MARK:
		t->ctmark = v;
		t->ctmask = v | m;
		break;
	case T_AND_MARK:
		t->ctmark = 0;
		t->ctmask = ~v;
		break;
	case T_OR_MARK:
		t->ctmark = v;
		t->ctmask = v;
		break;
	case T_XOR_MARK:
		t->ctmark = v;
		t->ctmask = 0;
		break;
	}
}

static int connmark_tg_parse(struct fw_pctx *p, const struct fw_opt *o,
			     char **argv)
{
	struct xt_connmark_tginfo2 *t = (void *)p->xt->data;
	uint32_t v, m;
	uint64_t n;

	switch (o->id) {
	case T_SET_XMARK:
	case T_SET_MARK:
		if (fw_parse_markmask(p, argv[0], &v, &m))
			return -1;
		connmark_tg_set(t, o->id, v, m);
		return 0;
	case T_SAVE_MARK:
		t->mode = XT_CONNMARK_SAVE;
		return 0;
	case T_RESTORE_MARK:
		t->mode = XT_CONNMARK_RESTORE;
		return 0;
	case T_LEFT_SHIFT:
	case T_RIGHT_SHIFT:
		if (fw_parse_uint(p, argv[0], 32, &n))
			return -1;
		t->shift_dir = o->id == T_LEFT_SHIFT ? D_SHIFT_LEFT
						     : D_SHIFT_RIGHT;
		t->shift_bits = n;
		return 0;
	}
	/* the rest take one 32-bit number */
	if (fw_parse_uint(p, argv[0], UINT32_MAX, &n))
		return -1;
	switch (o->id) {
	case T_CTMASK:
		t->ctmask = n;
		break;
	case T_NFMASK:
		t->nfmask = n;
		break;
	case T_MASK:
		t->ctmask = t->nfmask = n;
		break;
	default:
		connmark_tg_set(t, o->id, n, 0);
	}
	return 0;
}

static int connmark_tg_check(struct fw_pctx *p)
{
	uint64_t ops = p->xt->seen & T_OPS;

	if (!ops)
		return fw_error(p->errs, p->loc,
				"CONNMARK needs an operation ('--set-xmark', "
				"'--save-mark', '--restore-mark', ...)");
	if (ops & (ops - 1))
		return fw_error(p->errs, p->loc,
				"CONNMARK takes only one operation");
	if (p->xt->seen & 1u << T_MASK &&
	    p->xt->seen & (1u << T_CTMASK | 1u << T_NFMASK))
		return fw_error(p->errs, p->loc, "'--mask' excludes "
				"'--ctmask' and '--nfmask'");
	return 0;
}

static void connmark_tg_print(const struct fw_xt *x, const struct fw_rule *r,
			      struct fw_pr *pr)
{
	const struct xt_connmark_tginfo2 *t = (const void *)x->data;

	switch (t->mode) {
	case XT_CONNMARK_SET:
		fw_pr_val(pr, false, "set-xmark", "0x%x/0x%x", t->ctmark,
			  t->ctmask);
		break;
	case XT_CONNMARK_SAVE:
	case XT_CONNMARK_RESTORE:
		fw_pr_flag(pr, false, t->mode == XT_CONNMARK_SAVE ?
			   "save-mark" : "restore-mark");
		fw_pr_val(pr, false, "nfmask", "0x%x", t->nfmask);
		fw_pr_val(pr, false, "ctmask", "0x%x", t->ctmask);
		break;
	default:
		return;
	}
	if (t->shift_bits)
		fw_pr_val(pr, false, t->shift_dir == D_SHIFT_RIGHT ?
			  "right-shift-mark" : "left-shift-mark", "%u",
			  t->shift_bits);
}

static const struct fw_case connmark_tests[] = {
	{ "--mark 0xffffffff", "=", FW_OK, 0, NULL },
	{ "--mark 0xffffffff/0xffffffff", "--mark 0xffffffff", FW_OK, 0,
	  NULL },
	{ "--mark 0xffffffff/0x0", "=", FW_OK, 0, NULL },
	{ "--mark 0/0xffffffff", "--mark 0x0", FW_OK, 0, NULL },
	{ "! --mark 10/0xff", "! --mark 0xa/0xff", FW_OK, 0, NULL },
	{ "--mark -1", NULL, FW_FAIL, 0, NULL },
	{ "--mark 0xfffffffff", NULL, FW_FAIL, 0, NULL },
	{ "--mark 1/", NULL, FW_FAIL, 0, NULL },
	{ "--mark 1x", NULL, FW_FAIL, 0, NULL },
	{ "", NULL, FW_FAIL, 0, NULL },
	{ NULL },
};

static const struct fw_case connmark_tg_tests[] = {
	{ "--restore-mark",
	  "--restore-mark --nfmask 0xffffffff --ctmask 0xffffffff", FW_OK, 0,
	  NULL },
	{ "--save-mark", "--save-mark --nfmask 0xffffffff --ctmask 0xffffffff",
	  FW_OK, 0, NULL },
	{ "--save-mark --nfmask 0xfffffff --ctmask 0xffffffff", "=", FW_OK, 0,
	  NULL },
	{ "--restore-mark --mask 0xff",
	  "--restore-mark --nfmask 0xff --ctmask 0xff", FW_OK, 0, NULL },
	{ "--ctmask 1 --save-mark --right-shift-mark 8",
	  "--save-mark --nfmask 0xffffffff --ctmask 0x1 --right-shift-mark 8",
	  FW_OK, 0, NULL },
	{ "--set-mark 5", "--set-xmark 0x5/0xffffffff", FW_OK, 0, NULL },
	{ "--set-mark 5/0xf0", "--set-xmark 0x5/0xf5", FW_OK, 0, NULL },
	{ "--set-xmark 5/0xf0", "--set-xmark 0x5/0xf0", FW_OK, 0, NULL },
	{ "--and-mark 0xff", "--set-xmark 0x0/0xffffff00", FW_OK, 0, NULL },
	{ "--or-mark 4", "--set-xmark 0x4/0x4", FW_OK, 0, NULL },
	{ "--xor-mark 4", "--set-xmark 0x4/0x0", FW_OK, 0, NULL },
	{ "--set-xmark 1 --left-shift-mark 32",
	  "--set-xmark 0x1/0xffffffff --left-shift-mark 32", FW_OK, 0, NULL },
	{ "--set-xmark 1 --left-shift-mark 33", NULL, FW_FAIL, 0, NULL },
	{ "--save-mark --restore-mark", NULL, FW_FAIL, 0, NULL },
	{ "--set-mark 1 --or-mark 2", NULL, FW_FAIL, 0, NULL },
	{ "--save-mark --mask 1 --ctmask 2", NULL, FW_FAIL, 0, NULL },
	{ "--and-mark 0x100000000", NULL, FW_FAIL, 0, NULL },
	{ "--ctmask 1", NULL, FW_FAIL, 0, NULL },
	{ "", NULL, FW_FAIL, 0, NULL },
	{ NULL },
};

const struct fw_ext fw_ext_connmark = {
	.name = "connmark",
	.kind = FW_EXT_MATCH,
	.revision = 1,
	.size = sizeof(struct xt_connmark_mtinfo1),
	.opts = connmark_opts,
	.parse = connmark_parse,
	.check = connmark_check,
	.print = connmark_print,
	.tests = connmark_tests,
};

const struct fw_ext fw_ext_connmark_tg = {
	.name = "CONNMARK",
	.kind = FW_EXT_TARGET,
	.revision = 2,
	.size = sizeof(struct xt_connmark_tginfo2),
	.opts = connmark_tg_opts,
	.init = connmark_tg_init,
	.parse = connmark_tg_parse,
	.check = connmark_tg_check,
	.print = connmark_tg_print,
	.tests = connmark_tg_tests,
};
