/* SPDX-License-Identifier: GPL-2.0-or-later */
/* IDLETIMER target (revision 1): --timeout, --label, --alarm */
#include "base.h"

#include <string.h>

#include <linux/netfilter/xt_IDLETIMER.h>

#include "ext.h"

enum { O_TIMEOUT, O_LABEL, O_ALARM };

static const struct fw_opt idletimer_opts[] = {
	{ "timeout", O_TIMEOUT, 1, 0 },
	{ "label", O_LABEL, 1, 0 },
	{ "alarm", O_ALARM, 0, 0 },
	{ NULL },
};

static int idletimer_parse(struct fw_pctx *p, const struct fw_opt *o,
			   char **argv)
{
	struct idletimer_tg_info_v1 *t =
		(struct idletimer_tg_info_v1 *)p->xt->data;
	uint64_t v;

	switch (o->id) {
	case O_TIMEOUT:
		if (fw_parse_uint(p, argv[0], 0xffffffff, &v))
			return -1;
		t->timeout = v;
		break;
	case O_LABEL:
		/* cut to fit, as 1.8.9 does */
		snprintf(t->label, sizeof(t->label), "%s", argv[0]);
		break;
	case O_ALARM:
		t->timer_type = XT_IDLETIMER_ALARM;
		break;
	}
	return 0;
}

static int idletimer_check(struct fw_pctx *p)
{
	if ((p->xt->seen & (1u << O_TIMEOUT | 1u << O_LABEL)) !=
	    (1u << O_TIMEOUT | 1u << O_LABEL))
		return fw_error(p->errs, p->loc, "IDLETIMER needs '--timeout' "
				"and '--label'");
	return 0;
}

static void idletimer_print(const struct fw_xt *x, const struct fw_rule *r,
			    struct fw_pr *pr)
{
	const struct idletimer_tg_info_v1 *t =
		(const struct idletimer_tg_info_v1 *)x->data;

	fw_pr_val(pr, false, "timeout", "%u", t->timeout);
	/* 1.8.9 prints the label as it is, never quoted */
	fw_pr_val(pr, false, "label", "%.*s", (int)sizeof(t->label),
		  t->label);
	if (t->timer_type == XT_IDLETIMER_ALARM)
		fw_pr_flag(pr, false, "alarm");
}

static const struct fw_case idletimer_tests[] = {
	{ "--timeout 42 --label foo", "=", FW_OK, 0, NULL },
	{ "--alarm --label bar --timeout 0",
	  "--timeout 0 --label bar --alarm", FW_OK, 0, NULL },
	{ "--timeout 1 --label 0123456789012345678901234567890",
	  "--timeout 1 --label 012345678901234567890123456", FW_OK, 0, NULL },
	{ "--timeout", NULL, FW_FAIL, 0, NULL },
	{ "--timeout 42", NULL, FW_FAIL, 0, NULL },
	{ "--label foo", NULL, FW_FAIL, 0, NULL },
	{ "--timeout -1 --label foo", NULL, FW_FAIL, 0, NULL },
	{ NULL },
};

const struct fw_ext fw_ext_idletimer = {
	.name = "IDLETIMER",
	.kind = FW_EXT_TARGET,
	.revision = 1,
	.size = sizeof(struct idletimer_tg_info_v1),
	.opts = idletimer_opts,
	.parse = idletimer_parse,
	.check = idletimer_check,
	.print = idletimer_print,
	.tests = idletimer_tests,
};
