/* SPDX-License-Identifier: GPL-2.0-or-later */
/* cpu match: --cpu N, the CPU handling the packet */
#include "base.h"

#include <linux/netfilter/xt_cpu.h>

#include "ext.h"

enum { O_CPU };

static const struct fw_opt cpu_opts[] = {
	{ "cpu", O_CPU, 1, FW_OPT_INV },
	{ NULL },
};

static int cpu_parse(struct fw_pctx *p, const struct fw_opt *o, char **argv)
{
	struct xt_cpu_info *info = (struct xt_cpu_info *)p->xt->data;
	uint64_t v;

	if (fw_parse_uint(p, argv[0], UINT32_MAX, &v))
		return -1;
	info->cpu = v;
	info->invert = p->inv;
	return 0;
}

static int cpu_check(struct fw_pctx *p)
{
	if (!p->xt->seen)
		return fw_error(p->errs, p->loc, "cpu match needs '--cpu'");
	return 0;
}

static void cpu_print(const struct fw_xt *x, const struct fw_rule *r,
		      struct fw_pr *pr)
{
	const struct xt_cpu_info *info = (const struct xt_cpu_info *)x->data;

	fw_pr_val(pr, info->invert, "cpu", "%u", info->cpu);
}

static const struct fw_case cpu_tests[] = {
	{ "--cpu 0", "=", FW_OK, 0, NULL },
	{ "! --cpu 4294967295", "=", FW_OK, 0, NULL },
	{ "--cpu 4294967296", NULL, FW_FAIL, 0, NULL },
	{ "", NULL, FW_FAIL, 0, NULL },
	{ NULL },
};

const struct fw_ext fw_ext_cpu = {
	.name = "cpu",
	.kind = FW_EXT_MATCH,
	.size = sizeof(struct xt_cpu_info),
	.opts = cpu_opts,
	.parse = cpu_parse,
	.check = cpu_check,
	.print = cpu_print,
	.tests = cpu_tests,
};
