/* SPDX-License-Identifier: GPL-2.0-or-later */
/* AUDIT target: --type accept|drop|reject */
#include "base.h"

#include <string.h>

#include <linux/netfilter/xt_AUDIT.h>

#include "ext.h"

enum { O_TYPE };

static const struct fw_opt audit_opts[] = {
	{ "type", O_TYPE, 1, 0 },
	{ NULL },
};

/* Indexed by XT_AUDIT_TYPE_*. */
static const char *const audit_type_tbl[] = {
	[XT_AUDIT_TYPE_ACCEPT] = "accept",
	[XT_AUDIT_TYPE_DROP] = "drop",
	[XT_AUDIT_TYPE_REJECT] = "reject",
};

static int audit_parse(struct fw_pctx *p, const struct fw_opt *o,
		       char **argv)
{
	struct xt_audit_info *a = (struct xt_audit_info *)p->xt->data;
	size_t i;

	for (i = 0; i < FW_ARRAY_SIZE(audit_type_tbl); i++) {
		if (!strcasecmp(argv[0], audit_type_tbl[i])) {
			a->type = i;
			return 0;
		}
	}
	return fw_error(p->errs, p->loc, "unknown audit type '%s'", argv[0]);
}

static int audit_check(struct fw_pctx *p)
{
	if (!p->xt->seen)
		return fw_error(p->errs, p->loc, "AUDIT needs '--type'");
	return 0;
}

static void audit_print(const struct fw_xt *x, const struct fw_rule *r,
			struct fw_pr *pr)
{
	const struct xt_audit_info *a = (const struct xt_audit_info *)x->data;

	if (a->type < FW_ARRAY_SIZE(audit_type_tbl))
		fw_pr_val(pr, false, "type", "%s", audit_type_tbl[a->type]);
}

static const struct fw_case audit_tests[] = {
	{ "--type accept", "=", FW_OK, 0, NULL },
	{ "--type DROP", "--type drop", FW_OK, 0, NULL },
	{ "--type reject", "=", FW_OK, 0, NULL },
	{ "--type wrong", NULL, FW_FAIL, 0, NULL },
	{ "", NULL, FW_FAIL, 0, NULL },
	{ NULL },
};

const struct fw_ext fw_ext_audit = {
	.name = "AUDIT",
	.kind = FW_EXT_TARGET,
	.size = sizeof(struct xt_audit_info),
	.opts = audit_opts,
	.parse = audit_parse,
	.check = audit_check,
	.print = audit_print,
	.tests = audit_tests,
};
