/* SPDX-License-Identifier: GPL-2.0-or-later */
/* length match: --length MIN[:MAX] on the layer-3 packet length */
#include "base.h"

#include <linux/netfilter/xt_length.h>

#include "ext.h"

enum { O_LENGTH };

static const struct fw_opt length_opts[] = {
	{ "length", O_LENGTH, 1, FW_OPT_INV },
	{ NULL },
};

static int length_parse(struct fw_pctx *p, const struct fw_opt *o,
			char **argv)
{
	struct xt_length_info *info = (struct xt_length_info *)p->xt->data;
	uint64_t lo, hi;

	if (fw_parse_range(p, argv[0], UINT16_MAX, &lo, &hi))
		return -1;
	info->min = lo;
	info->max = hi;
	info->invert = p->inv;
	return 0;
}

static int length_check(struct fw_pctx *p)
{
	if (!p->xt->seen)
		return fw_error(p->errs, p->loc,
				"length match needs '--length'");
	return 0;
}

static void length_print(const struct fw_xt *x, const struct fw_rule *r,
			 struct fw_pr *pr)
{
	const struct xt_length_info *info =
		(const struct xt_length_info *)x->data;

	if (info->min == info->max)
		fw_pr_val(pr, info->invert, "length", "%u", info->min);
	else
		fw_pr_val(pr, info->invert, "length", "%u:%u", info->min,
			  info->max);
}

static const struct fw_case length_tests[] = {
	{ "--length 1", "=", FW_OK, 0, NULL },
	{ "--length :2", "--length 0:2", FW_OK, 0, NULL },
	{ "--length 0:3", "=", FW_OK, 0, NULL },
	{ "--length 4:", "--length 4:65535", FW_OK, 0, NULL },
	{ "! --length 0x10:20", "! --length 16:20", FW_OK, 0, NULL },
	{ "--length 9:9", "--length 9", FW_OK, 0, NULL },
	{ "--length 65536", NULL, FW_FAIL, 0, NULL },
	{ "--length 1:2:3", NULL, FW_FAIL, 0, NULL },
	{ "--length -1", NULL, FW_FAIL, 0, NULL },
	{ "", NULL, FW_FAIL, 0, NULL },
	{ NULL },
};

const struct fw_ext fw_ext_length = {
	.name = "length",
	.kind = FW_EXT_MATCH,
	.size = sizeof(struct xt_length_info),
	.opts = length_opts,
	.parse = length_parse,
	.check = length_check,
	.print = length_print,
	.tests = length_tests,
};
