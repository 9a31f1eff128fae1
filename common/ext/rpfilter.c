/* SPDX-License-Identifier: GPL-2.0-or-later */
/* rpfilter match: reverse path filter (--loose, --validmark, ...) */
#include "base.h"

#include <linux/netfilter/xt_rpfilter.h>

#include "ext.h"

enum { O_LOOSE, O_VALIDMARK, O_ACCEPT_LOCAL, O_INVERT };

/* Options in print order, by their flag bit. */
static const struct fw_opt rpfilter_opts[] = {
	{ "loose", O_LOOSE, 0, 0 },
	{ "validmark", O_VALIDMARK, 0, 0 },
	{ "accept-local", O_ACCEPT_LOCAL, 0, 0 },
	{ "invert", O_INVERT, 0, 0 },
	{ NULL },
};

static const uint8_t flag_tbl[] = {
	[O_LOOSE] = XT_RPFILTER_LOOSE,
	[O_VALIDMARK] = XT_RPFILTER_VALID_MARK,
	[O_ACCEPT_LOCAL] = XT_RPFILTER_ACCEPT_LOCAL,
	[O_INVERT] = XT_RPFILTER_INVERT,
};

static int rpfilter_parse(struct fw_pctx *p, const struct fw_opt *o,
			  char **argv)
{
	((struct xt_rpfilter_info *)p->xt->data)->flags |= flag_tbl[o->id];
	return 0;
}

static void rpfilter_print(const struct fw_xt *x, const struct fw_rule *r,
			   struct fw_pr *pr)
{
	const struct xt_rpfilter_info *info =
		(const struct xt_rpfilter_info *)x->data;
	size_t i;

	for (i = 0; i < FW_ARRAY_SIZE(flag_tbl); i++)
		if (info->flags & flag_tbl[i])
			fw_pr_flag(pr, false, rpfilter_opts[i].name);
}

static const struct fw_case rpfilter_tests[] = {
	{ "", "=", FW_OK, 0, NULL },
	{ "--loose --validmark --accept-local --invert", "=", FW_OK, 0, NULL },
	{ "--invert --loose", "--loose --invert", FW_OK, 0, NULL },
	{ "! --loose", NULL, FW_FAIL, 0, NULL },
	{ "--loose --loose", NULL, FW_FAIL, 0, NULL },
	{ NULL },
};

const struct fw_ext fw_ext_rpfilter = {
	.name = "rpfilter",
	.kind = FW_EXT_MATCH,
	.size = sizeof(struct xt_rpfilter_info),
	.opts = rpfilter_opts,
	.parse = rpfilter_parse,
	.print = rpfilter_print,
	.tests = rpfilter_tests,
};
