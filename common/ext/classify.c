/* SPDX-License-Identifier: GPL-2.0-or-later */
/* CLASSIFY target: --set-class MAJOR:MINOR (hexadecimal) */
#include "base.h"

#include <stdio.h>

#include <linux/netfilter/xt_CLASSIFY.h>

#include "ext.h"

enum { O_CLASS };

static const struct fw_opt classify_opts[] = {
	{ "set-class", O_CLASS, 1, 0 },
	{ NULL },
};

static int classify_parse(struct fw_pctx *p, const struct fw_opt *o,
			  char **argv)
{
	struct xt_classify_target_info *c =
		(struct xt_classify_target_info *)p->xt->data;
	unsigned int maj, min;

	/* as lax as 1.8.9: sscanf, so trailing text is ignored */
	if (sscanf(argv[0], "%x:%x", &maj, &min) != 2)
		return fw_error(p->errs, p->loc, "invalid class '%s' "
				"(MAJOR:MINOR in hex)", argv[0]);
	c->priority = (maj << 16 & 0xffff0000u) | (min & 0xffff);
	return 0;
}

static int classify_check(struct fw_pctx *p)
{
	if (!p->xt->seen)
		return fw_error(p->errs, p->loc,
				"CLASSIFY needs '--set-class'");
	return 0;
}

static void classify_print(const struct fw_xt *x, const struct fw_rule *r,
			   struct fw_pr *pr)
{
	const struct xt_classify_target_info *c =
		(const struct xt_classify_target_info *)x->data;

	fw_pr_val(pr, false, "set-class", "%.4x:%.4x", c->priority >> 16,
		  c->priority & 0xffff);
}

static const struct fw_case classify_tests[] = {
	{ "--set-class 0000:ffff", "=", FW_OK, 0, NULL },
	{ "--set-class 1:10", "--set-class 0001:0010", FW_OK, 0, NULL },
	{ "--set-class 0x1:0XaB", "--set-class 0001:00ab", FW_OK, 0, NULL },
	{ "--set-class 12345:1ffff", "--set-class 2345:ffff", FW_OK, 0,
	  NULL },
	{ "--set-class 1", NULL, FW_FAIL, 0, NULL },
	{ "--set-class x:1", NULL, FW_FAIL, 0, NULL },
	{ "", NULL, FW_FAIL, 0, NULL },
	{ NULL },
};

const struct fw_ext fw_ext_classify = {
	.name = "CLASSIFY",
	.kind = FW_EXT_TARGET,
	.size = sizeof(struct xt_classify_target_info),
	.opts = classify_opts,
	.parse = classify_parse,
	.check = classify_check,
	.print = classify_print,
	.tests = classify_tests,
};
