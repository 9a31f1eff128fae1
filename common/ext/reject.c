/* SPDX-License-Identifier: GPL-2.0-or-later */
/* REJECT target, IPv4 and IPv6: --reject-with */
#include "base.h"

#include <string.h>
#include <strings.h>

#include <linux/netfilter_ipv4/ipt_REJECT.h>
#include <linux/netfilter_ipv6/ip6t_REJECT.h>

#include "ext.h"

enum { O_WITH };

static const struct fw_opt reject_opts[] = {
	{ "reject-with", O_WITH, 1, 0 },
	{ NULL },
};

/* Indexed by the kernel's enum; the first name is the one saved. */
struct reject_name {
	const char *name, *alias;
};

static const struct reject_name reject4_tbl[] = {
	[IPT_ICMP_NET_UNREACHABLE] = { "icmp-net-unreachable", "net-unreach" },
	[IPT_ICMP_HOST_UNREACHABLE] = { "icmp-host-unreachable",
					"host-unreach" },
	[IPT_ICMP_PROT_UNREACHABLE] = { "icmp-proto-unreachable",
					"proto-unreach" },
	[IPT_ICMP_PORT_UNREACHABLE] = { "icmp-port-unreachable",
					"port-unreach" },
	[IPT_ICMP_NET_PROHIBITED] = { "icmp-net-prohibited", "net-prohib" },
	[IPT_ICMP_HOST_PROHIBITED] = { "icmp-host-prohibited", "host-prohib" },
	[IPT_TCP_RESET] = { "tcp-reset", "tcp-rst" },
	[IPT_ICMP_ADMIN_PROHIBITED] = { "icmp-admin-prohibited",
					"admin-prohib" },
};

static const struct reject_name reject6_tbl[] = {
	[IP6T_ICMP6_NO_ROUTE] = { "icmp6-no-route", "no-route" },
	[IP6T_ICMP6_ADM_PROHIBITED] = { "icmp6-adm-prohibited",
					"adm-prohibited" },
	[IP6T_ICMP6_ADDR_UNREACH] = { "icmp6-addr-unreachable",
				      "addr-unreach" },
	[IP6T_ICMP6_PORT_UNREACH] = { "icmp6-port-unreachable",
				      "port-unreach" },
	[IP6T_TCP_RESET] = { "tcp-reset", "tcp-reset" },
	[IP6T_ICMP6_POLICY_FAIL] = { "icmp6-policy-fail", "policy-fail" },
	[IP6T_ICMP6_REJECT_ROUTE] = { "icmp6-reject-route", "reject-route" },
};

struct reject_family {
	const struct reject_name *tbl;
	unsigned n, dflt, tcp_reset;
};

static const struct reject_family reject4 = {
	reject4_tbl, FW_ARRAY_SIZE(reject4_tbl), IPT_ICMP_PORT_UNREACHABLE,
	IPT_TCP_RESET,
};

static const struct reject_family reject6 = {
	reject6_tbl, FW_ARRAY_SIZE(reject6_tbl), IP6T_ICMP6_PORT_UNREACH,
	IP6T_TCP_RESET,
};

static const struct reject_family *reject_fam(const struct fw_xt *x)
{
	return x->ext->family == FW_AF_IPV6 ? &reject6 : &reject4;
}

/* ipt_reject_info and ip6t_reject_info are both one enum. */
static struct ipt_reject_info *reject_info(const struct fw_xt *x)
{
	return (struct ipt_reject_info *)x->data;
}

static void reject_init(struct fw_xt *x, const struct fw_rule *r)
{
	reject_info(x)->with = reject_fam(x)->dflt;
}

/* The first name or alias, in kernel order, that starts with arg. */
static int reject_parse(struct fw_pctx *p, const struct fw_opt *o,
			char **argv)
{
	const struct reject_family *f = reject_fam(p->xt);
	size_t len = strlen(argv[0]);
	unsigned i;

	for (i = 0; i < f->n; i++) {
		if (!f->tbl[i].name)
			continue;
		if (!strncasecmp(f->tbl[i].name, argv[0], len) ||
		    !strncasecmp(f->tbl[i].alias, argv[0], len)) {
			reject_info(p->xt)->with = i;
			return 0;
		}
	}
	return fw_error(p->errs, p->loc, "unknown reject type '%s'", argv[0]);
}

/* The kernel checks this too, through the rule's compat protocol. */
static int reject_check(struct fw_pctx *p)
{
	const struct fw_rule *r = p->rule;

	if (reject_info(p->xt)->with == reject_fam(p->xt)->tcp_reset &&
	    (!(r->has & FW_HAS_PROTO) || r->proto != 6 ||
	     r->inv & FW_INV_PROTO))
		return fw_error(p->errs, p->loc,
				"'--reject-with tcp-reset' requires '-p tcp'");
	return 0;
}

static void reject_print(const struct fw_xt *x, const struct fw_rule *r,
			 struct fw_pr *pr)
{
	fw_pr_val(pr, false, "reject-with", "%s",
		  reject_fam(x)->tbl[reject_info(x)->with].name);
}

/* Only values with a name can be printed back. */
static int reject_from_xt(struct fw_dec *d, struct fw_xt *x)
{
	const struct reject_family *f = reject_fam(x);
	unsigned with = reject_info(x)->with;

	if (with >= f->n || !f->tbl[with].name)
		return fw_dec_error(d, "REJECT type %u", with);
	return 0;
}

static const struct fw_case reject4_tests[] = {
	{ "", "--reject-with icmp-port-unreachable", FW_OK, 0, NULL },
	{ "--reject-with icmp-net-unreachable", "=", FW_OK, 0, NULL },
	{ "--reject-with icmp-host-unreachable", "=", FW_OK, 0, NULL },
	{ "--reject-with icmp-port-unreachable", "=", FW_OK, 0, NULL },
	{ "--reject-with icmp-proto-unreachable", "=", FW_OK, 0, NULL },
	{ "--reject-with icmp-net-prohibited", "=", FW_OK, 0, NULL },
	{ "--reject-with icmp-host-prohibited", "=", FW_OK, 0, NULL },
	{ "--reject-with icmp-admin-prohibited", "=", FW_OK, 0, NULL },
	{ "--reject-with host-prohib", "--reject-with icmp-host-prohibited",
	  FW_OK, 0, NULL },
	{ "--reject-with ICMP-NET-P", "--reject-with icmp-net-prohibited",
	  FW_OK, 0, NULL },
	{ "--reject-with icmp-", "--reject-with icmp-net-unreachable", FW_OK,
	  0, NULL },
	{ "--reject-with tcp-rst", "--reject-with tcp-reset", FW_OK, 0,
	  "-p tcp" },
	{ "--reject-with tcp-reset", NULL, FW_FAIL, 0, NULL },
	{ "--reject-with tcp-reset", NULL, FW_FAIL, 0, "! -p tcp" },
	{ "--reject-with echo-reply", NULL, FW_FAIL, 0, NULL },
	{ "--reject-with icmp6-no-route", NULL, FW_FAIL, 0, NULL },
	{ NULL },
};

static const struct fw_case reject6_tests[] = {
	{ "", "--reject-with icmp6-port-unreachable", FW_OK, 0, NULL },
	{ "--reject-with icmp6-no-route", "=", FW_OK, 0, NULL },
	{ "--reject-with icmp6-adm-prohibited", "=", FW_OK, 0, NULL },
	{ "--reject-with icmp6-addr-unreachable", "=", FW_OK, 0, NULL },
	{ "--reject-with icmp6-port-unreachable", "=", FW_OK, 0, NULL },
	{ "--reject-with icmp6-policy-fail", "=", FW_OK, 0, NULL },
	{ "--reject-with icmp6-reject-route", "=", FW_OK, 0, NULL },
	{ "--reject-with addr-unreach", "--reject-with icmp6-addr-unreachable",
	  FW_OK, 0, NULL },
	{ "--reject-with tcp-reset", "=", FW_OK, 0, "-p tcp" },
	{ "--reject-with tcp-reset", NULL, FW_FAIL, 0, NULL },
	{ "--reject-with tcp-reset", NULL, FW_FAIL, 0, "-p udp" },
	{ "--reject-with icmp-net-unreachable", NULL, FW_FAIL, 0, NULL },
	{ NULL },
};

const struct fw_ext fw_ext_reject4 = {
	.name = "REJECT",
	.kind = FW_EXT_TARGET,
	.family = FW_AF_IPV4,
	.size = sizeof(struct ipt_reject_info),
	.opts = reject_opts,
	.init = reject_init,
	.parse = reject_parse,
	.check = reject_check,
	.print = reject_print,
	.from_xt = reject_from_xt,
	.tests = reject4_tests,
};

const struct fw_ext fw_ext_reject6 = {
	.name = "REJECT",
	.kind = FW_EXT_TARGET,
	.family = FW_AF_IPV6,
	.size = sizeof(struct ip6t_reject_info),
	.opts = reject_opts,
	.init = reject_init,
	.parse = reject_parse,
	.check = reject_check,
	.print = reject_print,
	.from_xt = reject_from_xt,
	.tests = reject6_tests,
};
