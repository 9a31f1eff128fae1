/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ah match: --ahspi (IPv4 and IPv6); IPv6 also --ahlen and --ahres */
#include "base.h"

#include <linux/netfilter_ipv4/ipt_ah.h>
#include <linux/netfilter_ipv6/ip6t_ah.h>

#include "ext.h"

enum { O_SPI, O_LEN, O_RES };

static const struct fw_opt ah4_opts[] = {
	{ "ahspi", O_SPI, 1, FW_OPT_INV },
	{ NULL },
};

static const struct fw_opt ah6_opts[] = {
	{ "ahspi", O_SPI, 1, FW_OPT_INV },
	{ "ahlen", O_LEN, 1, FW_OPT_INV },
	{ "ahres", O_RES, 0, 0 },
	{ NULL },
};

/* Both structs start with spis[2]; their invflags sit apart. */
static void ah_init(struct fw_xt *x, const struct fw_rule *r)
{
	((uint32_t *)x->data)[1] = UINT32_MAX;
}

static int parse_spis(struct fw_pctx *p, const char *s, uint32_t *spis)
{
	uint64_t lo, hi;

	if (fw_parse_range(p, s, UINT32_MAX, &lo, &hi))
		return -1;
	spis[0] = lo;
	spis[1] = hi;
	return 0;
}

static void print_spis(struct fw_pr *pr, bool inv, const uint32_t *spis)
{
	/* an inverted full range never matches: print it, as 1.8.11 */
	if (spis[0] == 0 && spis[1] == UINT32_MAX && !inv)
		return;
	if (spis[0] == spis[1])
		fw_pr_val(pr, inv, "ahspi", "%u", spis[0]);
	else
		fw_pr_val(pr, inv, "ahspi", "%u:%u", spis[0], spis[1]);
}

static int ah4_parse(struct fw_pctx *p, const struct fw_opt *o, char **argv)
{
	struct ipt_ah *info = (struct ipt_ah *)p->xt->data;

	if (parse_spis(p, argv[0], info->spis))
		return -1;
	if (p->inv)
		info->invflags |= IPT_AH_INV_SPI;
	return 0;
}

static void ah4_print(const struct fw_xt *x, const struct fw_rule *r,
		      struct fw_pr *pr)
{
	const struct ipt_ah *info = (const struct ipt_ah *)x->data;

	print_spis(pr, info->invflags & IPT_AH_INV_SPI, info->spis);
}

static int ah6_parse(struct fw_pctx *p, const struct fw_opt *o, char **argv)
{
	struct ip6t_ah *info = (struct ip6t_ah *)p->xt->data;
	uint64_t v;

	switch (o->id) {
	case O_SPI:
		if (parse_spis(p, argv[0], info->spis))
			return -1;
		if (p->inv)
			info->invflags |= IP6T_AH_INV_SPI;
		return 0;
	case O_LEN:
		if (fw_parse_uint(p, argv[0], UINT32_MAX, &v))
			return -1;
		info->hdrlen = v;
		if (p->inv)
			info->invflags |= IP6T_AH_INV_LEN;
		return 0;
	}
	info->hdrres = 1;
	return 0;
}

static void ah6_print(const struct fw_xt *x, const struct fw_rule *r,
		      struct fw_pr *pr)
{
	const struct ip6t_ah *info = (const struct ip6t_ah *)x->data;
	bool inv = info->invflags & IP6T_AH_INV_LEN;

	print_spis(pr, info->invflags & IP6T_AH_INV_SPI, info->spis);
	if (info->hdrlen || inv)
		fw_pr_val(pr, inv, "ahlen", "%u", info->hdrlen);
	if (info->hdrres)
		fw_pr_flag(pr, false, "ahres");
}

static const struct fw_case ah4_tests[] = {
	{ "--ahspi 0", "=", FW_OK, 0, "-p ah" },
	{ "! --ahspi 4294967295", "=", FW_OK, 0, "-p ah" },
	{ "--ahspi 0:4294967295", "", FW_OK, 0, "-p ah" },
	{ "! --ahspi :", "! --ahspi 0:4294967295", FW_OK, 0, "-p ah" },
	{ "--ahspi :3", "--ahspi 0:3", FW_OK, 0, "-p ah" },
	{ "--ahspi 3:3", "--ahspi 3", FW_OK, 0, "-p ah" },
	{ "", "=", FW_OK, 0, "-p ah" },
	{ "--ahspi 4294967296", NULL, FW_FAIL, 0, "-p ah" },
	{ "--ahspi 0:invalid", NULL, FW_FAIL, 0, "-p ah" },
	{ "--ahlen 3", NULL, FW_FAIL, 0, "-p ah" },
	{ NULL },
};

static const struct fw_case ah6_tests[] = {
	{ "--ahspi 0", "=", FW_OK, 0, NULL },
	{ "! --ahspi 0", "=", FW_OK, 0, NULL },
	{ "--ahspi :", "", FW_OK, 0, NULL },
	{ "! --ahspi :", "! --ahspi 0:4294967295", FW_OK, 0, NULL },
	{ "--ahspi 3:", "--ahspi 3:4294967295", FW_OK, 0, NULL },
	{ "--ahres ! --ahlen 0 --ahspi 7", "--ahspi 7 ! --ahlen 0 --ahres",
	  FW_OK, 0, NULL },
	{ "--ahlen 32", "=", FW_OK, 0, NULL },
	{ "", "=", FW_OK, 0, NULL },
	{ "--ahspi -1", NULL, FW_FAIL, 0, NULL },
	{ "--ahspi invalid", NULL, FW_FAIL, 0, NULL },
	{ NULL },
};

const struct fw_ext fw_ext_ah4 = {
	.name = "ah",
	.kind = FW_EXT_MATCH,
	.family = FW_AF_IPV4,
	.size = sizeof(struct ipt_ah),
	.opts = ah4_opts,
	.init = ah_init,
	.parse = ah4_parse,
	.print = ah4_print,
	.tests = ah4_tests,
};

const struct fw_ext fw_ext_ah6 = {
	.name = "ah",
	.kind = FW_EXT_MATCH,
	.family = FW_AF_IPV6,
	.size = sizeof(struct ip6t_ah),
	.opts = ah6_opts,
	.init = ah_init,
	.parse = ah6_parse,
	.print = ah6_print,
	.tests = ah6_tests,
};
