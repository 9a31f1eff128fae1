/* SPDX-License-Identifier: GPL-2.0-or-later */
/* quota match: --quota BYTES */
#include "base.h"

#include <linux/netfilter/xt_quota.h>

#include "ext.h"

enum { O_QUOTA };

static const struct fw_opt quota_opts[] = {
	{ "quota", O_QUOTA, 1, FW_OPT_INV },
	{ NULL },
};

static int quota_parse(struct fw_pctx *p, const struct fw_opt *o,
		       char **argv)
{
	struct xt_quota_info *info = (struct xt_quota_info *)p->xt->data;
	uint64_t v;

	if (fw_parse_uint(p, argv[0], UINT64_MAX, &v))
		return -1;
	info->quota = v;
	if (p->inv)
		info->flags |= XT_QUOTA_INVERT;
	return 0;
}

static int quota_check(struct fw_pctx *p)
{
	if (!p->xt->seen)
		return fw_error(p->errs, p->loc, "quota match needs '--quota'");
	return 0;
}

static void quota_print(const struct fw_xt *x, const struct fw_rule *r,
			struct fw_pr *pr)
{
	const struct xt_quota_info *info =
		(const struct xt_quota_info *)x->data;

	fw_pr_val(pr, info->flags & XT_QUOTA_INVERT, "quota", "%llu",
		  (unsigned long long)info->quota);
}

static const struct fw_case quota_tests[] = {
	{ "--quota 0", "=", FW_OK, 0, NULL },
	{ "! --quota 18446744073709551615", "=", FW_OK, 0, NULL },
	{ "--quota 0x10", "--quota 16", FW_OK, 0, NULL },
	{ "--quota 18446744073709551616", NULL, FW_FAIL, 0, NULL },
	{ "", NULL, FW_FAIL, 0, NULL },
	{ NULL },
};

const struct fw_ext fw_ext_quota = {
	.name = "quota",
	.kind = FW_EXT_MATCH,
	.size = sizeof(struct xt_quota_info),
	.opts = quota_opts,
	.parse = quota_parse,
	.check = quota_check,
	.print = quota_print,
	.tests = quota_tests,
};
