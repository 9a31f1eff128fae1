/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ipcomp match: --ipcompspi SPI[:SPI], --compres */
#include "base.h"

#include <linux/netfilter/xt_ipcomp.h>

#include "ext.h"

enum { O_SPI, O_RES };

static const struct fw_opt ipcomp_opts[] = {
	{ "ipcompspi", O_SPI, 1, FW_OPT_INV },
	{ "compres", O_RES, 0, 0 },
	{ NULL },
};

/* No init: unlike esp and ah, libxt_ipcomp leaves the range at 0:0. */
static int ipcomp_parse(struct fw_pctx *p, const struct fw_opt *o,
			char **argv)
{
	struct xt_ipcomp *info = (struct xt_ipcomp *)p->xt->data;
	uint64_t lo, hi;

	if (o->id == O_RES) {
		info->hdrres = 1;
		return 0;
	}
	if (fw_parse_range(p, argv[0], UINT32_MAX, &lo, &hi))
		return -1;
	info->spis[0] = lo;
	info->spis[1] = hi;
	if (p->inv)
		info->invflags |= XT_IPCOMP_INV_SPI;
	return 0;
}

static void ipcomp_print(const struct fw_xt *x, const struct fw_rule *r,
			 struct fw_pr *pr)
{
	const struct xt_ipcomp *info = (const struct xt_ipcomp *)x->data;
	bool inv = info->invflags & XT_IPCOMP_INV_SPI;

	/* an inverted full range never matches: print it, as 1.8.11 */
	if (info->spis[0] != 0 || info->spis[1] != UINT32_MAX || inv) {
		if (info->spis[0] == info->spis[1])
			fw_pr_val(pr, inv, "ipcompspi", "%u", info->spis[0]);
		else
			fw_pr_val(pr, inv, "ipcompspi", "%u:%u", info->spis[0],
				  info->spis[1]);
	}
	if (info->hdrres)
		fw_pr_flag(pr, false, "compres");
}

static const struct fw_case ipcomp_tests[] = {
	{ "--ipcompspi 18", "=", FW_OK, 0, "-p ipcomp" },
	{ "! --ipcompspi 18", "=", FW_OK, 0, "-p ipcomp" },
	{ "--ipcompspi :", "", FW_OK, 0, "-p ipcomp" },
	{ "! --ipcompspi :", "! --ipcompspi 0:4294967295", FW_OK, 0,
	  "-p ipcomp" },
	{ "--ipcompspi 4:", "--ipcompspi 4:4294967295", FW_OK, 0, "-p ipcomp" },
	{ "--compres", "--ipcompspi 0 --compres", FW_OK, 0, "-p ipcomp" },
	{ "", "--ipcompspi 0", FW_OK, 0, "-p ipcomp" },
	{ "--ipcompspi x", NULL, FW_FAIL, 0, "-p ipcomp" },
	{ NULL },
};

const struct fw_ext fw_ext_ipcomp = {
	.name = "ipcomp",
	.kind = FW_EXT_MATCH,
	.size = sizeof(struct xt_ipcomp),
	.opts = ipcomp_opts,
	.parse = ipcomp_parse,
	.print = ipcomp_print,
	.tests = ipcomp_tests,
};
