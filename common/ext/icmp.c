/* SPDX-License-Identifier: GPL-2.0-or-later */
/* icmp (IPv4) and icmp6 (IPv6) matches: --icmp-type, --icmpv6-type */
#include "base.h"

#include <errno.h>
#include <limits.h>
#include <string.h>
#include <strings.h>

/* first: its <net/if.h> must precede the <linux/if.h> of ip_tables.h */
#include "ext.h"
#include "nlmsg.h"

#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter_ipv4/ip_tables.h>
#include <linux/netfilter_ipv6/ip6_tables.h>
#include <libnftnl/expr.h>

enum { O_TYPE };

static const struct fw_opt icmp_opts[] = {
	{ "icmp-type", O_TYPE, 1, FW_OPT_INV },
	{ NULL },
};

static const struct fw_opt icmp6_opts[] = {
	{ "icmpv6-type", O_TYPE, 1, FW_OPT_INV },
	{ NULL },
};

/* Type names (save prints numbers); a code range 0-255 is the whole type. */
struct icmp_name {
	const char *name;
	uint8_t type, code_min, code_max;
};

static const struct icmp_name icmp_tbl[] = {
	{ "any", 0xff, 0, 0xff },
	{ "echo-reply", 0, 0, 0xff },
	{ "pong", 0, 0, 0xff },
	{ "destination-unreachable", 3, 0, 0xff },
	{ "network-unreachable", 3, 0, 0 },
	{ "host-unreachable", 3, 1, 1 },
	{ "protocol-unreachable", 3, 2, 2 },
	{ "port-unreachable", 3, 3, 3 },
	{ "fragmentation-needed", 3, 4, 4 },
	{ "source-route-failed", 3, 5, 5 },
	{ "network-unknown", 3, 6, 6 },
	{ "host-unknown", 3, 7, 7 },
	{ "network-prohibited", 3, 9, 9 },
	{ "host-prohibited", 3, 10, 10 },
	{ "TOS-network-unreachable", 3, 11, 11 },
	{ "TOS-host-unreachable", 3, 12, 12 },
	{ "communication-prohibited", 3, 13, 13 },
	{ "host-precedence-violation", 3, 14, 14 },
	{ "precedence-cutoff", 3, 15, 15 },
	{ "source-quench", 4, 0, 0xff },
	{ "redirect", 5, 0, 0xff },
	{ "network-redirect", 5, 0, 0 },
	{ "host-redirect", 5, 1, 1 },
	{ "TOS-network-redirect", 5, 2, 2 },
	{ "TOS-host-redirect", 5, 3, 3 },
	{ "echo-request", 8, 0, 0xff },
	{ "ping", 8, 0, 0xff },
	{ "router-advertisement", 9, 0, 0xff },
	{ "router-solicitation", 10, 0, 0xff },
	{ "time-exceeded", 11, 0, 0xff },
	{ "ttl-exceeded", 11, 0, 0xff },
	{ "ttl-zero-during-transit", 11, 0, 0 },
	{ "ttl-zero-during-reassembly", 11, 1, 1 },
	{ "parameter-problem", 12, 0, 0xff },
	{ "ip-header-bad", 12, 0, 0 },
	{ "required-option-missing", 12, 1, 1 },
	{ "timestamp-request", 13, 0, 0xff },
	{ "timestamp-reply", 14, 0, 0xff },
	{ "address-mask-request", 17, 0, 0xff },
	{ "address-mask-reply", 18, 0, 0xff },
	{ NULL },
};

static const struct icmp_name icmp6_tbl[] = {
	{ "destination-unreachable", 1, 0, 0xff },
	{ "no-route", 1, 0, 0 },
	{ "communication-prohibited", 1, 1, 1 },
	{ "beyond-scope", 1, 2, 2 },
	{ "address-unreachable", 1, 3, 3 },
	{ "port-unreachable", 1, 4, 4 },
	{ "failed-policy", 1, 5, 5 },
	{ "reject-route", 1, 6, 6 },
	{ "packet-too-big", 2, 0, 0xff },
	{ "time-exceeded", 3, 0, 0xff },
	{ "ttl-exceeded", 3, 0, 0xff },
	{ "ttl-zero-during-transit", 3, 0, 0 },
	{ "ttl-zero-during-reassembly", 3, 1, 1 },
	{ "parameter-problem", 4, 0, 0xff },
	{ "bad-header", 4, 0, 0 },
	{ "unknown-header-type", 4, 1, 1 },
	{ "unknown-option", 4, 2, 2 },
	{ "echo-request", 128, 0, 0xff },
	{ "ping", 128, 0, 0xff },
	{ "echo-reply", 129, 0, 0xff },
	{ "pong", 129, 0, 0xff },
	{ "router-solicitation", 133, 0, 0xff },
	{ "router-advertisement", 134, 0, 0xff },
	{ "neighbour-solicitation", 135, 0, 0xff },
	{ "neighbor-solicitation", 135, 0, 0xff },
	{ "neighbour-advertisement", 136, 0, 0xff },
	{ "neighbor-advertisement", 136, 0, 0xff },
	{ "redirect", 137, 0, 0xff },
	{ NULL },
};

/* ipt_icmp and ip6t_icmp have the same layout. */
static struct ipt_icmp *icmp_info(const struct fw_xt *x)
{
	return (struct ipt_icmp *)x->data;
}

static bool icmp_v6(const struct fw_xt *x)
{
	return x->ext->family == FW_AF_IPV6;
}

static void icmp_init(struct fw_xt *x, const struct fw_rule *r)
{
	struct ipt_icmp *info = icmp_info(x);

	if (!icmp_v6(x))
		info->type = 0xff;	/* "any" */
	info->code[1] = 0xff;
}

/* A number 0-255 (any base); *end is left after it. */
static int icmp_num(const char *s, char **end, unsigned *v)
{
	unsigned long n;

	while (*s == ' ' || *s == '\t')
		s++;
	if (*s == '-')
		return -1;
	errno = 0;
	n = strtoul(s, end, 0);
	if (*end == s || errno || n > 255)
		return -1;
	*v = n;
	return 0;
}

/* "N" or "N:M"; returns what follows, or NULL. */
static char *icmp_range(const char *s, unsigned v[2])
{
	char *end;

	if (icmp_num(s, &end, &v[0]))
		return NULL;
	v[1] = v[0];
	if (*end == ':' && icmp_num(end + 1, &end, &v[1]))
		return NULL;
	return end;
}

/* A unique prefix of a name; -1 if none, -2 if ambiguous. */
static int icmp_lookup(const struct icmp_name *tbl, const char *s)
{
	size_t len = strlen(s);
	int i, found = -1;

	for (i = 0; tbl[i].name; i++) {
		if (strncasecmp(tbl[i].name, s, len))
			continue;
		if (found >= 0)
			return -2;
		found = i;
	}
	return found;
}

/* "NAME", "TYPE" or "TYPE/CODE[:CODE]", as 1.8.9 reads them. */
static int icmp_parse_numeric(struct fw_pctx *p, const char *s,
			      struct ipt_icmp *info)
{
	unsigned t[2], c[2] = { 0, 255 };
	char *next = icmp_range(s, t);

	if (!next)
		return fw_error(p->errs, p->loc, "unknown ICMP type '%s'", s);
	if (*next == '/') {
		next = icmp_range(next + 1, c);
		if (!next)
			return fw_error(p->errs, p->loc,
					"unknown ICMP code in '%s'", s);
	}
	if (*next)
		return fw_error(p->errs, p->loc,
				"unexpected character '%c' in ICMP type '%s'",
				*next, s);
	if (t[0] != t[1])
		return fw_error(p->errs, p->loc,
				"ICMP type ranges ('%s') are not supported", s);
	info->type = t[0];
	info->code[0] = c[0];
	info->code[1] = c[1];
	return 0;
}

static int icmp_parse(struct fw_pctx *p, const struct fw_opt *o, char **argv)
{
	struct ipt_icmp *info = icmp_info(p->xt);
	const struct icmp_name *tbl = icmp_v6(p->xt) ? icmp6_tbl : icmp_tbl;
	int i = icmp_lookup(tbl, argv[0]);

	if (i == -2)
		return fw_error(p->errs, p->loc, "ambiguous ICMP type '%s'",
				argv[0]);
	if (i >= 0) {
		info->type = tbl[i].type;
		info->code[0] = tbl[i].code_min;
		info->code[1] = tbl[i].code_max;
	} else if (icmp_parse_numeric(p, argv[0], info)) {
		return -1;
	}
	if (p->inv)
		info->invflags |= IPT_ICMP_INV;
	return 0;
}

static int icmp_check(struct fw_pctx *p)
{
	const struct fw_rule *r = p->rule;
	bool v6 = icmp_v6(p->xt);
	uint8_t want = v6 ? 58 : 1;

	if (!p->xt->seen)
		return fw_error(p->errs, p->loc, "%s match needs '--%s'",
				p->xt->ext->name,
				v6 ? "icmpv6-type" : "icmp-type");
	if (!(r->has & FW_HAS_PROTO) || r->proto != want ||
	    r->inv & FW_INV_PROTO)
		return fw_error(p->errs, p->loc, "%s match requires '-p %s'",
				p->xt->ext->name, v6 ? "ipv6-icmp" : "icmp");
	return 0;
}

static void icmp_print(const struct fw_xt *x, const struct fw_rule *r,
		       struct fw_pr *pr)
{
	const struct ipt_icmp *info = icmp_info(x);
	bool inv = info->invflags & IPT_ICMP_INV;
	const char *opt = icmp_v6(x) ? "icmpv6-type" : "icmp-type";

	/* "any" is type 255 with every code; 255/255 is a type of its own */
	if (!icmp_v6(x) && info->type == 0xff && info->code[0] == 0 &&
	    info->code[1] == 0xff)
		fw_pr_val(pr, inv, opt, "any");
	else if (info->code[0] != 0 || info->code[1] != 0xff)
		fw_pr_val(pr, inv, opt, "%u/%u", info->type, info->code[0]);
	else
		fw_pr_val(pr, inv, opt, "%u", info->type);
}

extern const struct fw_ext fw_ext_icmp, fw_ext_icmp6;

/*
 * The type (1 byte) or type and code (2 bytes) compared at the start of
 * the transport header, as nft writes "icmp type echo-request".
 */
static int icmp_from_nl(struct fw_dec *d, const struct fw_nlexpr *e)
{
	const struct fw_dreg *g = &d->reg[0];
	const struct fw_rule *r = d->rule;
	bool v6 = r->family == FW_AF_IPV6;
	uint32_t len = 0, op;
	const uint8_t *v;
	struct ipt_icmp *info;

	if (g->kind != FW_R_PAYLOAD || g->base != NFT_PAYLOAD_TRANSPORT_HEADER ||
	    g->offset != 0 || g->masked ||
	    e->kind != FW_NLX_CMP)
		return 0;
	if (!(r->has & FW_HAS_PROTO) || r->inv & FW_INV_PROTO ||
	    r->proto != (v6 ? 58 : 1))
		return 0;
	op = fw_nlx_u32(e, NFTA_CMP_OP);
	v = fw_nlx_value(e, NFTA_CMP_DATA, &len);
	if ((len != 1 && len != 2) || len != g->len ||
	    (op != NFT_CMP_EQ && op != NFT_CMP_NEQ))
		return fw_dec_error(d, "an icmp type compare of %u bytes", len);
	info = icmp_info(fw_dec_match(d, v6 ? &fw_ext_icmp6 : &fw_ext_icmp));
	info->type = v[0];
	info->code[0] = len == 2 ? v[1] : 0;
	info->code[1] = len == 2 ? v[1] : 0xff;
	if (op == NFT_CMP_NEQ)
		info->invflags |= IPT_ICMP_INV;
	return 1;
}

static const struct fw_case icmp_tests[] = {
	{ "--icmp-type any", "=", FW_OK, 0, "-p icmp" },
	{ "--icmp-type echo-reply", "--icmp-type 0", FW_OK, 0, "-p icmp" },
	{ "! --icmp-type ping", "! --icmp-type 8", FW_OK, 0, "-p icmp" },
	{ "--icmp-type port-unr", "--icmp-type 3/3", FW_OK, 0, "-p icmp" },
	{ "--icmp-type Destination-Unreachable", "--icmp-type 3", FW_OK, 0,
	  "-p icmp" },
	{ "--icmp-type 3/4", "=", FW_OK, 0, "-p icmp" },
	{ "--icmp-type 0x3/0:255", "--icmp-type 3", FW_OK, 0, "-p icmp" },
	{ "--icmp-type 3/4:5", "--icmp-type 3/4", FW_OK, 0, "-p icmp" },
	{ "--icmp-type 255/255", "=", FW_OK, 0, "-p icmp" },
	{ "--icmp-type 255/0:255", "--icmp-type any", FW_OK, 0, "-p icmp" },
	{ "--icmp-type 3:4", NULL, FW_FAIL, 0, "-p icmp" },
	{ "--icmp-type 256", NULL, FW_FAIL, 0, "-p icmp" },
	{ "--icmp-type 3/x", NULL, FW_FAIL, 0, "-p icmp" },
	{ "--icmp-type 3x", NULL, FW_FAIL, 0, "-p icmp" },
	{ "--icmp-type echo-re", NULL, FW_FAIL, 0, "-p icmp" },
	{ "--icmp-type bogus", NULL, FW_FAIL, 0, "-p icmp" },
	{ "--icmp-type 8", NULL, FW_FAIL, 0, NULL },
	{ "--icmp-type 8", NULL, FW_FAIL, 0, "! -p icmp" },
	{ "", NULL, FW_FAIL, 0, "-p icmp" },
	{ NULL },
};

static const struct fw_case icmp6_tests[] = {
	{ "--icmpv6-type 1/0", "=", FW_OK, 0, "-p ipv6-icmp" },
	{ "--icmpv6-type 2", "=", FW_OK, 0, "-p ipv6-icmp" },
	{ "! --icmpv6-type echo-request", "! --icmpv6-type 128", FW_OK, 0,
	  "-p ipv6-icmp" },
	{ "--icmpv6-type no-route", "--icmpv6-type 1/0", FW_OK, 0,
	  "-p ipv6-icmp" },
	{ "--icmpv6-type neighbor-sol", "--icmpv6-type 135", FW_OK, 0,
	  "-p ipv6-icmp" },
	{ "--icmpv6-type 0", "=", FW_OK, 0, "-p ipv6-icmp" },
	{ "--icmpv6-type 255/255", "=", FW_OK, 0, "-p ipv6-icmp" },
	{ "--icmpv6-type mld-listener-query", NULL, FW_FAIL, 0,
	  "-p ipv6-icmp" },
	{ "--icmpv6-type no-route --icmpv6-type packet-too-big", NULL,
	  FW_FAIL, 0, "-p ipv6-icmp" },
	{ "--icmpv6-type 2", NULL, FW_FAIL, 0, "-p tcp" },
	{ "", NULL, FW_FAIL, 0, "-p ipv6-icmp" },
	{ NULL },
};

const struct fw_ext fw_ext_icmp = {
	.name = "icmp",
	.kind = FW_EXT_MATCH,
	.family = FW_AF_IPV4,
	.size = sizeof(struct ipt_icmp),
	.opts = icmp_opts,
	.init = icmp_init,
	.parse = icmp_parse,
	.check = icmp_check,
	.print = icmp_print,
	.from_nl = icmp_from_nl,
	.tests = icmp_tests,
};

const struct fw_ext fw_ext_icmp6 = {
	.name = "icmp6",
	.kind = FW_EXT_MATCH,
	.family = FW_AF_IPV6,
	.size = sizeof(struct ip6t_icmp),
	.opts = icmp6_opts,
	.init = icmp_init,
	.parse = icmp_parse,
	.check = icmp_check,
	.print = icmp_print,
	.from_nl = icmp_from_nl,
	.tests = icmp6_tests,
};
