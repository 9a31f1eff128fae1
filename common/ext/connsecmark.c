/* SPDX-License-Identifier: GPL-2.0-or-later */
/* CONNSECMARK target: --save or --restore the security mark */
#include "base.h"

#include <linux/netfilter/xt_CONNSECMARK.h>

#include "ext.h"

/* Option ids are the modes. */
static const struct fw_opt connsecmark_opts[] = {
	{ "save", CONNSECMARK_SAVE, 0, 0 },
	{ "restore", CONNSECMARK_RESTORE, 0, 0 },
	{ NULL },
};

static int connsecmark_parse(struct fw_pctx *p, const struct fw_opt *o,
			     char **argv)
{
	struct xt_connsecmark_target_info *c =
		(struct xt_connsecmark_target_info *)p->xt->data;

	if (p->xt->seen & ~(1ull << o->id))
		return fw_error(p->errs, p->loc, "'--save' and '--restore' "
				"exclude each other");
	c->mode = o->id;
	return 0;
}

static int connsecmark_check(struct fw_pctx *p)
{
	if (!p->xt->seen)
		return fw_error(p->errs, p->loc, "CONNSECMARK needs '--save' "
				"or '--restore'");
	return 0;
}

static void connsecmark_print(const struct fw_xt *x, const struct fw_rule *r,
			      struct fw_pr *pr)
{
	const struct xt_connsecmark_target_info *c =
		(const struct xt_connsecmark_target_info *)x->data;
	const struct fw_opt *o;

	for (o = connsecmark_opts; o->name; o++)
		if (o->id == c->mode)
			fw_pr_flag(pr, false, o->name);
}

static const struct fw_case connsecmark_tests[] = {
	{ "--save", "=", FW_OK, 0, NULL },
	{ "--restore", "=", FW_OK, 0, NULL },
	{ "--save --restore", NULL, FW_FAIL, 0, NULL },
	{ "", NULL, FW_FAIL, 0, NULL },
	{ NULL },
};

const struct fw_ext fw_ext_connsecmark = {
	.name = "CONNSECMARK",
	.kind = FW_EXT_TARGET,
	.size = sizeof(struct xt_connsecmark_target_info),
	.opts = connsecmark_opts,
	.parse = connsecmark_parse,
	.check = connsecmark_check,
	.print = connsecmark_print,
	.tests = connsecmark_tests,
};
