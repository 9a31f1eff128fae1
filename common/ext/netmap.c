/* SPDX-License-Identifier: GPL-2.0-or-later */
/* NETMAP target: --to ADDR[/MASK], a whole network mapped 1:1 */
#include "base.h"

#include <netinet/in.h>
#include <string.h>

#include <linux/netfilter/nf_nat.h>

#include "ext.h"
#include "nat.h"
#include "print.h"

enum { O_TO };

static const struct fw_opt netmap_opts[] = {
	{ "to", O_TO, 1, 0 },
	{ NULL },
};

/* Where the range's first and last address live in x->data. */
static void netmap_addrs(const struct fw_xt *x, uint8_t **min, uint8_t **max)
{
	struct nf_nat_ipv4_multi_range_compat *mr = (void *)x->data;
	struct nf_nat_range *r = (void *)x->data;

	if (x->ext->family == FW_AF_IPV4) {
		*min = (uint8_t *)&mr->range[0].min_ip;
		*max = (uint8_t *)&mr->range[0].max_ip;
	} else {
		*min = (uint8_t *)&r->min_addr;
		*max = (uint8_t *)&r->max_addr;
	}
}

static void netmap_init(struct fw_xt *x, const struct fw_rule *r)
{
	struct nf_nat_ipv4_multi_range_compat *mr = (void *)x->data;

	if (x->ext->family == FW_AF_IPV4)
		mr->rangesize = 1;
}

static int netmap_parse(struct fw_pctx *p, const struct fw_opt *o,
			char **argv)
{
	struct nf_nat_ipv4_multi_range_compat *mr = (void *)p->xt->data;
	struct nf_nat_range *r = (void *)p->xt->data;
	unsigned i, len = fw_addr_len(p->rule->family);
	uint8_t *min, *max, plen;
	struct fw_addr a;

	if (fw_nat_hostmask(p, argv[0], &a, &plen))
		return -1;
	netmap_addrs(p->xt, &min, &max);
	for (i = 0; i < len; i++) {
		min[i] = a.a[i] & a.m[i];
		max[i] = min[i] | (uint8_t)~a.m[i];
	}
	if (p->xt->ext->family == FW_AF_IPV4)
		mr->range[0].flags |= NF_NAT_RANGE_MAP_IPS;
	else
		r->flags |= NF_NAT_RANGE_MAP_IPS;
	return 0;
}

static int netmap_check(struct fw_pctx *p)
{
	if (p->xt->seen & 1u << O_TO)
		return 0;
	return fw_error(p->errs, p->loc, "NETMAP needs '--to'");
}

static void netmap_print(const struct fw_xt *x, const struct fw_rule *r,
			 struct fw_pr *pr)
{
	unsigned i, len = fw_addr_len(r->family);
	char buf[2 * INET6_ADDRSTRLEN + 2];
	uint8_t *min, *max;
	struct fw_addr a;

	memset(&a, 0, sizeof(a));
	netmap_addrs(x, &min, &max);
	for (i = 0; i < len; i++) {
		a.a[i] = min[i];
		a.m[i] = ~(min[i] ^ max[i]);
	}
	fw_format_addr(r->family, a.a, a.m, false, buf, sizeof(buf));
	fw_pr_val(pr, false, "to", "%s", buf);
}

static const struct fw_case netmap_tests[] = {
	{ "--to 1.2.3.0/24", "=", FW_OK, 4, NULL },
	{ "--to 1.2.3.4", "--to 1.2.3.4/32", FW_OK, 4, NULL },
	{ "--to 1.2.3.4/24", "--to 1.2.3.0/24", FW_OK, 4, NULL },
	{ "--to 1.2.3.4/255.255.254.0", "--to 1.2.2.0/23", FW_OK, 4, NULL },
	{ "--to 1.2.3.4/0x18", "--to 1.2.3.0/24", FW_OK, 4, NULL },
	{ "--to 10.1.2.3/255.0.255.0", "--to 10.1.2.3/32", FW_OK, 4, NULL },
	{ "--to 1.2.3.4/33", "--to 1.2.3.4/32", FW_OK, 4, NULL },
	{ "--to 0.0.0.0/0", "=", FW_OK, 4, NULL },
	{ "--to 1.2.3.0/1.0", "--to 1.2.3.0/32", FW_OK, 4, NULL },
	{ "--to 1.2.3.0/-1", NULL, FW_FAIL, 4, NULL },
	{ "--to 1.2.3.0/", NULL, FW_FAIL, 4, NULL },
	{ "--to 1.2.3.0/x", NULL, FW_FAIL, 4, NULL },
	{ "--to dead::/64", "=", FW_OK, 6, NULL },
	{ "--to dead::beef", "--to dead::beef/128", FW_OK, 6, NULL },
	{ "--to dead::beef/ffff::ffff", "--to dead::beef/128", FW_OK, 6,
	  NULL },
	{ "--to dead::beef/ffff::", "--to dead::/16", FW_OK, 6, NULL },
	{ "--to dead::/129", NULL, FW_FAIL, 6, NULL },
	{ "", NULL, FW_FAIL, 0, NULL },
	{ NULL },
};

const struct fw_ext fw_ext_netmap4 = {
	.name = "NETMAP",
	.kind = FW_EXT_TARGET,
	.family = FW_AF_IPV4,
	.revision = 0,
	.size = sizeof(struct nf_nat_ipv4_multi_range_compat),
	.opts = netmap_opts,
	.init = netmap_init,
	.parse = netmap_parse,
	.check = netmap_check,
	.print = netmap_print,
	.tests = netmap_tests,
};

const struct fw_ext fw_ext_netmap6 = {
	.name = "NETMAP",
	.kind = FW_EXT_TARGET,
	.family = FW_AF_IPV6,
	.revision = 0,
	.size = sizeof(struct nf_nat_range),
	.opts = netmap_opts,
	.parse = netmap_parse,
	.check = netmap_check,
	.print = netmap_print,
	.tests = netmap_tests,
};
