/* SPDX-License-Identifier: GPL-2.0-or-later */
/* SECMARK target (revision 1): --selctx SELinux security context */
#include "base.h"

#include <stdio.h>

#include <linux/netfilter/xt_SECMARK.h>

#include "ext.h"

enum { O_SELCTX };

static const struct fw_opt secmark_opts[] = {
	{ "selctx", O_SELCTX, 1, 0 },
	{ NULL },
};

static int secmark_parse(struct fw_pctx *p, const struct fw_opt *o,
			 char **argv)
{
	struct xt_secmark_target_info_v1 *s =
		(struct xt_secmark_target_info_v1 *)p->xt->data;

	/* cut to fit, as 1.8.9 does */
	snprintf(s->secctx, sizeof(s->secctx), "%s", argv[0]);
	s->mode = SECMARK_MODE_SEL;
	return 0;
}

static int secmark_check(struct fw_pctx *p)
{
	if (!p->xt->seen)
		return fw_error(p->errs, p->loc, "SECMARK needs '--selctx'");
	return 0;
}

static void secmark_print(const struct fw_xt *x, const struct fw_rule *r,
			  struct fw_pr *pr)
{
	const struct xt_secmark_target_info_v1 *s =
		(const struct xt_secmark_target_info_v1 *)x->data;

	/* 1.8.9 prints the context as it is, never quoted */
	if (s->mode == SECMARK_MODE_SEL)
		fw_pr_val(pr, false, "selctx", "%.*s", (int)sizeof(s->secctx),
			  s->secctx);
}

static const struct fw_case secmark_tests[] = {
	{ "--selctx system_u:object_r:firewalld_exec_t:s0", "=", FW_OK, 0,
	  NULL },
	{ "", NULL, FW_FAIL, 0, NULL },
	{ NULL },
};

const struct fw_ext fw_ext_secmark = {
	.name = "SECMARK",
	.kind = FW_EXT_TARGET,
	.revision = 1,
	.size = sizeof(struct xt_secmark_target_info_v1),
	.opts = secmark_opts,
	.parse = secmark_parse,
	.check = secmark_check,
	.print = secmark_print,
	.tests = secmark_tests,
};
