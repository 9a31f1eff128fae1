/* SPDX-License-Identifier: GPL-2.0-or-later */
/* nfacct match (revision 1): --nfacct-name NAME of an accounting object */
#include "base.h"

#include <stdio.h>
#include <string.h>

#include <linux/netfilter/xt_nfacct.h>

#include "ext.h"

enum { O_NAME };

static const struct fw_opt nfacct_opts[] = {
	{ "nfacct-name", O_NAME, 1, FW_OPT_STR },
	{ NULL },
};

static int nfacct_parse(struct fw_pctx *p, const struct fw_opt *o,
			char **argv)
{
	struct xt_nfacct_match_info_v1 *n =
		(struct xt_nfacct_match_info_v1 *)p->xt->data;

	if (!*argv[0] || strchr(argv[0], '\n'))
		return fw_error(p->errs, p->loc, "invalid nfacct name '%s'",
				argv[0]);
	/* cut to fit, as 1.8.9 does */
	snprintf(n->name, sizeof(n->name), "%s", argv[0]);
	return 0;
}

static int nfacct_check(struct fw_pctx *p)
{
	if (!p->xt->seen)
		return fw_error(p->errs, p->loc,
				"nfacct needs '--nfacct-name'");
	return 0;
}

static void nfacct_print(const struct fw_xt *x, const struct fw_rule *r,
			 struct fw_pr *pr)
{
	const struct xt_nfacct_match_info_v1 *n =
		(const struct xt_nfacct_match_info_v1 *)x->data;
	char name[sizeof(n->name) + 1];

	snprintf(name, sizeof(name), "%.*s", (int)sizeof(n->name), n->name);
	fw_pr_sstr(pr, false, "nfacct-name", name);
}

/* iptables-save writes two spaces before the name. */
static const struct fw_case nfacct_tests[] = {
	{ "--nfacct-name test", "--nfacct-name  test", FW_OK, 0, NULL },
	{ "--nfacct-name \"a b\"", "--nfacct-name  \"a b\"", FW_OK, 0, NULL },
	{ "--nfacct-name 0123456789012345678901234567890123",
	  "--nfacct-name  0123456789012345678901234567890", FW_OK, 0, NULL },
	{ "--nfacct-name \"\"", NULL, FW_FAIL, 0, NULL },
	{ "", NULL, FW_FAIL, 0, NULL },
	{ NULL },
};

const struct fw_ext fw_ext_nfacct = {
	.name = "nfacct",
	.kind = FW_EXT_MATCH,
	.revision = 1,
	.size = sizeof(struct xt_nfacct_match_info_v1),
	.opts = nfacct_opts,
	.parse = nfacct_parse,
	.check = nfacct_check,
	.print = nfacct_print,
	.tests = nfacct_tests,
};
