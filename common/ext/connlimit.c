/* SPDX-License-Identifier: GPL-2.0-or-later */
/* connlimit match (revision 1): limits connections per address group */
#include "base.h"

#include <arpa/inet.h>
#include <string.h>

#include <linux/netfilter/xt_connlimit.h>

#include "ext.h"

enum { O_UPTO, O_ABOVE, O_MASK, O_SADDR, O_DADDR };

static const struct fw_opt connlimit_opts[] = {
	{ "connlimit-upto", O_UPTO, 1, FW_OPT_INV },
	{ "connlimit-above", O_ABOVE, 1, FW_OPT_INV },
	{ "connlimit-mask", O_MASK, 1, 0 },
	{ "connlimit-saddr", O_SADDR, 0, 0 },
	{ "connlimit-daddr", O_DADDR, 0, 0 },
	{ NULL },
};

static void connlimit_init(struct fw_xt *x, const struct fw_rule *r)
{
	struct xt_connlimit_info *info = (struct xt_connlimit_info *)x->data;

	memset(info->v6_mask, 0xff, sizeof(info->v6_mask));
}

static int connlimit_parse(struct fw_pctx *p, const struct fw_opt *o,
			   char **argv)
{
	struct xt_connlimit_info *info =
		(struct xt_connlimit_info *)p->xt->data;
	uint64_t seen = p->xt->seen, v;

	switch (o->id) {
	case O_UPTO:
	case O_ABOVE:
		if (seen & 1u << O_UPTO && seen & 1u << O_ABOVE)
			return fw_error(p->errs, p->loc, "'--connlimit-upto' "
					"and '--connlimit-above' exclude each "
					"other");
		if (fw_parse_uint(p, argv[0], UINT32_MAX, &v))
			return -1;
		info->limit = v;
		/* upto is an inverted above */
		if (p->inv != (o->id == O_UPTO))
			info->flags |= XT_CONNLIMIT_INVERT;
		return 0;
	case O_MASK:
		return fw_parse_plenmask(p, argv[0], (uint8_t *)info->v6_mask);
	}
	if (seen & 1u << O_SADDR && seen & 1u << O_DADDR)
		return fw_error(p->errs, p->loc, "'--connlimit-saddr' and "
				"'--connlimit-daddr' exclude each other");
	if (o->id == O_DADDR)
		info->flags |= XT_CONNLIMIT_DADDR;
	else
		info->flags &= ~XT_CONNLIMIT_DADDR;
	return 0;
}

static int connlimit_check(struct fw_pctx *p)
{
	if (!(p->xt->seen & (1u << O_UPTO | 1u << O_ABOVE)))
		return fw_error(p->errs, p->loc, "connlimit match needs "
				"'--connlimit-upto' or '--connlimit-above'");
	return 0;
}

/* libxt_connlimit's count: the bits below the highest unset one, per word. */
static unsigned mask_bits(const uint32_t *mask, unsigned words)
{
	unsigned bits = 0, i;
	uint32_t m;

	for (i = 0; i < words; i++)
		for (m = ~ntohl(mask[i]); m; m >>= 1)
			bits++;
	return words * 32 - bits;
}

static void connlimit_print(const struct fw_xt *x, const struct fw_rule *r,
			    struct fw_pr *pr)
{
	const struct xt_connlimit_info *info =
		(const struct xt_connlimit_info *)x->data;

	fw_pr_val(pr, false, info->flags & XT_CONNLIMIT_INVERT ?
		  "connlimit-upto" : "connlimit-above", "%u", info->limit);
	fw_pr_val(pr, false, "connlimit-mask", "%u",
		  mask_bits(info->v6_mask, r->family == FW_AF_IPV6 ? 4 : 1));
	fw_pr_flag(pr, false, info->flags & XT_CONNLIMIT_DADDR ?
		   "connlimit-daddr" : "connlimit-saddr");
}

static const struct fw_case connlimit_tests[] = {
	{ "--connlimit-upto 0", "--connlimit-upto 0 --connlimit-mask 32 "
	  "--connlimit-saddr", FW_OK, 4, NULL },
	{ "--connlimit-above 4294967295 --connlimit-mask 128 "
	  "--connlimit-saddr", "=", FW_OK, 6, NULL },
	{ "! --connlimit-upto 3 --connlimit-daddr --connlimit-mask 24",
	  "--connlimit-above 3 --connlimit-mask 24 --connlimit-daddr", FW_OK,
	  4, NULL },
	{ "! --connlimit-above 3 --connlimit-mask 255.255.0.0",
	  "--connlimit-upto 3 --connlimit-mask 16 --connlimit-saddr", FW_OK, 4,
	  NULL },
	{ "--connlimit-above 1 --connlimit-mask 0", "--connlimit-above 1 "
	  "--connlimit-mask 0 --connlimit-saddr", FW_OK, 6, NULL },
	{ "--connlimit-above 1 --connlimit-mask 64", "--connlimit-above 1 "
	  "--connlimit-mask 64 --connlimit-saddr", FW_OK, 6, NULL },
	{ "--connlimit-upto 4294967296", NULL, FW_FAIL, 0, NULL },
	{ "--connlimit-upto -1", NULL, FW_FAIL, 0, NULL },
	{ "--connlimit-upto 1 --connlimit-above 1", NULL, FW_FAIL, 0, NULL },
	{ "--connlimit-above 10 --connlimit-saddr --connlimit-daddr", NULL,
	  FW_FAIL, 0, NULL },
	{ "--connlimit-above 1 --connlimit-mask 33", NULL, FW_FAIL, 4, NULL },
	{ "", NULL, FW_FAIL, 0, NULL },
	{ NULL },
};

const struct fw_ext fw_ext_connlimit = {
	.name = "connlimit",
	.kind = FW_EXT_MATCH,
	.revision = 1,
	.size = sizeof(struct xt_connlimit_info),
	.opts = connlimit_opts,
	.init = connlimit_init,
	.parse = connlimit_parse,
	.check = connlimit_check,
	.print = connlimit_print,
	.tests = connlimit_tests,
};
