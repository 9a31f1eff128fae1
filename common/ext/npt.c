/* SPDX-License-Identifier: GPL-2.0-or-later */
/* DNPT and SNPT targets: IPv6 prefix translation, --src-pfx, --dst-pfx */
#include "base.h"

#include <arpa/inet.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/netfilter_ipv6/ip6t_NPT.h>

#include "ext.h"
#include "nat.h"

enum { O_SRC_PFX, O_DST_PFX };

static const struct fw_opt npt_opts[] = {
	{ "src-pfx", O_SRC_PFX, 1, 0 },
	{ "dst-pfx", O_DST_PFX, 1, 0 },
	{ NULL },
};

/* "ADDR[/LEN]": the address is kept as written, the length defaults to 128. */
static int npt_parse(struct fw_pctx *p, const struct fw_opt *o, char **argv)
{
	struct ip6t_npt_tginfo *t = (struct ip6t_npt_tginfo *)p->xt->data;
	bool src = o->id == O_SRC_PFX;
	union nf_inet_addr *pfx = src ? &t->src_pfx : &t->dst_pfx;
	uint8_t *len = src ? &t->src_pfx_len : &t->dst_pfx_len;
	struct fw_addr a;

	if (fw_nat_hostmask(p, argv[0], &a, len))
		return -1;
	memcpy(pfx, a.a, sizeof(*pfx));
	return 0;
}

/* The kernel's condition: at most /64, no address bits past the prefix. */
static bool npt_pfx_ok(const union nf_inet_addr *pfx, uint8_t len)
{
	unsigned i;

	if (len > 64)
		return false;
	for (i = len; i < 128; i++)
		if (pfx->in6.s6_addr[i / 8] & 0x80 >> i % 8)
			return false;
	return true;
}

static int npt_check(struct fw_pctx *p)
{
	const struct ip6t_npt_tginfo *t = (const void *)p->xt->data;
	const char *name = p->xt->ext->name;

	if (!(p->xt->seen & 1u << O_SRC_PFX))
		return fw_error(p->errs, p->loc, "%s needs '--src-pfx'", name);
	if (!(p->xt->seen & 1u << O_DST_PFX))
		return fw_error(p->errs, p->loc, "%s needs '--dst-pfx'", name);
	if (!npt_pfx_ok(&t->src_pfx, t->src_pfx_len) ||
	    !npt_pfx_ok(&t->dst_pfx, t->dst_pfx_len))
		return fw_error(p->errs, p->loc, "%s needs prefixes of at most "
				"64 bits with no host bits set", name);
	return 0;
}

static void npt_print_pfx(struct fw_pr *pr, const char *opt,
			  const union nf_inet_addr *pfx, uint8_t len)
{
	static const union nf_inet_addr zero;
	char buf[INET6_ADDRSTRLEN];

	if (!memcmp(pfx, &zero, sizeof(zero)) && !len)
		return;
	inet_ntop(AF_INET6, pfx, buf, sizeof(buf));
	fw_pr_val(pr, false, opt, "%s/%u", buf, len);
}

static void npt_print(const struct fw_xt *x, const struct fw_rule *r,
		      struct fw_pr *pr)
{
	const struct ip6t_npt_tginfo *t = (const void *)x->data;

	npt_print_pfx(pr, "src-pfx", &t->src_pfx, t->src_pfx_len);
	npt_print_pfx(pr, "dst-pfx", &t->dst_pfx, t->dst_pfx_len);
}

static const struct fw_case npt_tests[] = {
	{ "--src-pfx dead::/64 --dst-pfx 1c3::/64", "=", FW_OK, 6, NULL },
	{ "--dst-pfx 1c3::/48 --src-pfx dead:0:0::/ffff:ffff:ffff:ffff::",
	  "--src-pfx dead::/64 --dst-pfx 1c3::/48", FW_OK, 6, NULL },
	{ "--src-pfx ::/0 --dst-pfx 1c3::/64", "--dst-pfx 1c3::/64", FW_OK, 6,
	  NULL },
	{ "--src-pfx dead::beef --dst-pfx 1c3::/64", NULL, FW_FAIL, 6, NULL },
	{ "--src-pfx dead::beef/64 --dst-pfx 1c3::/64", NULL, FW_FAIL, 6,
	  NULL },
	{ "--src-pfx dead::/65 --dst-pfx 1c3::/64", NULL, FW_FAIL, 6, NULL },
	{ "--src-pfx dead::/129 --dst-pfx 1c3::/64", NULL, FW_FAIL, 6, NULL },
	{ "--src-pfx dead::/64", NULL, FW_FAIL, 6, NULL },
	{ "--dst-pfx dead::/64", NULL, FW_FAIL, 6, NULL },
	{ "", NULL, FW_FAIL, 6, NULL },
	{ NULL },
};

const struct fw_ext fw_ext_dnpt = {
	.name = "DNPT",
	.kind = FW_EXT_TARGET,
	.family = FW_AF_IPV6,
	.revision = 0,
	.size = sizeof(struct ip6t_npt_tginfo),
	.opts = npt_opts,
	.parse = npt_parse,
	.check = npt_check,
	.print = npt_print,
	.tests = npt_tests,
};

const struct fw_ext fw_ext_snpt = {
	.name = "SNPT",
	.kind = FW_EXT_TARGET,
	.family = FW_AF_IPV6,
	.revision = 0,
	.size = sizeof(struct ip6t_npt_tginfo),
	.opts = npt_opts,
	.parse = npt_parse,
	.check = npt_check,
	.print = npt_print,
	.tests = npt_tests,
};
