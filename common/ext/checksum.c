/* SPDX-License-Identifier: GPL-2.0-or-later */
/* CHECKSUM target: --checksum-fill */
#include "base.h"

#include <linux/netfilter/xt_CHECKSUM.h>

#include "ext.h"

enum { O_FILL };

static const struct fw_opt checksum_opts[] = {
	{ "checksum-fill", O_FILL, 0, 0 },
	{ NULL },
};

static struct xt_CHECKSUM_info *checksum_info(const struct fw_xt *x)
{
	return (struct xt_CHECKSUM_info *)x->data;
}

static int checksum_parse(struct fw_pctx *p, const struct fw_opt *o,
			  char **argv)
{
	checksum_info(p->xt)->operation = XT_CHECKSUM_OP_FILL;
	return 0;
}

static int checksum_check(struct fw_pctx *p)
{
	if (!p->xt->seen)
		return fw_error(p->errs, p->loc,
				"CHECKSUM needs '--checksum-fill'");
	return 0;
}

static void checksum_print(const struct fw_xt *x, const struct fw_rule *r,
			   struct fw_pr *pr)
{
	if (checksum_info(x)->operation & XT_CHECKSUM_OP_FILL)
		fw_pr_flag(pr, false, "checksum-fill");
}

static const struct fw_case checksum_tests[] = {
	{ "--checksum-fill", "=", FW_OK, 0, NULL },
	{ "--checksum", "--checksum-fill", FW_OK, 0, NULL },
	{ "", NULL, FW_FAIL, 0, NULL },
	{ "! --checksum-fill", NULL, FW_FAIL, 0, NULL },
	{ "--checksum-fill 1", NULL, FW_FAIL, 0, NULL },
	{ NULL },
};

const struct fw_ext fw_ext_checksum = {
	.name = "CHECKSUM",
	.kind = FW_EXT_TARGET,
	.size = sizeof(struct xt_CHECKSUM_info),
	.opts = checksum_opts,
	.parse = checksum_parse,
	.check = checksum_check,
	.print = checksum_print,
	.tests = checksum_tests,
};
