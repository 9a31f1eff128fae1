/* SPDX-License-Identifier: GPL-2.0-or-later */
/* helper match: --helper NAME of the connection's conntrack helper */
#include "base.h"

#include <linux/netfilter/xt_helper.h>

#include "ext.h"

enum { O_HELPER };

static const struct fw_opt helper_opts[] = {
	{ "helper", O_HELPER, 1, FW_OPT_INV | FW_OPT_STR },
	{ NULL },
};

static int helper_parse(struct fw_pctx *p, const struct fw_opt *o,
			char **argv)
{
	struct xt_helper_info *info = (struct xt_helper_info *)p->xt->data;

	/* cut to the field, as iptables does */
	snprintf(info->name, sizeof(info->name), "%s", argv[0]);
	info->invert = p->inv;
	return 0;
}

static int helper_check(struct fw_pctx *p)
{
	if (!p->xt->seen)
		return fw_error(p->errs, p->loc,
				"helper match needs '--helper'");
	return 0;
}

static void helper_print(const struct fw_xt *x, const struct fw_rule *r,
			 struct fw_pr *pr)
{
	const struct xt_helper_info *info =
		(const struct xt_helper_info *)x->data;
	char name[sizeof(info->name) + 1];

	snprintf(name, sizeof(name), "%.*s", (int)sizeof(info->name),
		 info->name);
	fw_pr_str(pr, info->invert, "helper", name);
}

static const struct fw_case helper_tests[] = {
	{ "--helper ftp", "=", FW_OK, 0, NULL },
	{ "! --helper \"a b\"", "=", FW_OK, 0, NULL },
	{ "--helper 0123456789abcdef0123456789abcdef",
	  "--helper 0123456789abcdef0123456789abc", FW_OK, 0, NULL },
	{ "", NULL, FW_FAIL, 0, NULL },
	{ NULL },
};

const struct fw_ext fw_ext_helper = {
	.name = "helper",
	.kind = FW_EXT_MATCH,
	.size = sizeof(struct xt_helper_info),
	.opts = helper_opts,
	.parse = helper_parse,
	.check = helper_check,
	.print = helper_print,
	.tests = helper_tests,
};
