/* SPDX-License-Identifier: GPL-2.0-or-later */
/* iprange match: --src-range, --dst-range FROM[-TO] (IPv4 and IPv6) */
#include "base.h"

#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#include <linux/netfilter.h>
#include <linux/netfilter/xt_iprange.h>

#include "ext.h"

enum { O_SRC, O_DST };

static const struct fw_opt iprange_opts[] = {
	{ "src-range", O_SRC, 1, FW_OPT_INV },
	{ "dst-range", O_DST, 1, FW_OPT_INV },
	{ NULL },
};

/*
 * A dotted quad as libxtables reads it: each part a C number (0x10, 010)
 * of 0-255; fewer than four parts are padded with zero bytes.
 */
static int parse_ipv4(const char *s, uint8_t *a)
{
	char buf[20], *part, *dot, *end;
	unsigned long v;
	int i;

	snprintf(buf, sizeof(buf), "%s", s);
	memset(a, 0, 4);
	part = buf;
	for (i = 0; i < 4; i++) {
		dot = i < 3 ? strchr(part, '.') : NULL;
		if (dot)
			*dot = '\0';
		errno = 0;
		v = strtoul(part, &end, 0);
		if (end == part || *end || errno || v > 255 || *part == '-')
			return -1;
		a[i] = v;
		if (!dot)
			return 0;
		part = dot + 1;
	}
	return 0;
}

static int parse_addr(int family, const char *s, union nf_inet_addr *a)
{
	if (family == FW_AF_IPV6)
		return inet_pton(AF_INET6, s, a) == 1 ? 0 : -1;
	return parse_ipv4(s, (uint8_t *)a);
}

static int iprange_parse(struct fw_pctx *p, const struct fw_opt *o,
			 char **argv)
{
	struct xt_iprange_mtinfo *info =
		(struct xt_iprange_mtinfo *)p->xt->data;
	union nf_inet_addr *lo = o->id == O_SRC ? &info->src_min
						: &info->dst_min;
	union nf_inet_addr *hi = o->id == O_SRC ? &info->src_max
						: &info->dst_max;
	char *copy = xstrdup(argv[0]), *dash = strchr(copy, '-');
	int rc;

	if (dash)
		*dash = '\0';
	memset(lo, 0, sizeof(*lo));
	memset(hi, 0, sizeof(*hi));
	rc = parse_addr(p->rule->family, copy, lo);
	if (!rc)
		rc = parse_addr(p->rule->family, dash ? dash + 1 : copy, hi);
	free(copy);
	if (rc)
		return fw_error(p->errs, p->loc, "invalid address range '%s'",
				argv[0]);
	info->flags |= o->id == O_SRC ? IPRANGE_SRC : IPRANGE_DST;
	if (p->inv)
		info->flags |= o->id == O_SRC ? IPRANGE_SRC_INV
					      : IPRANGE_DST_INV;
	return 0;
}

static int iprange_check(struct fw_pctx *p)
{
	if (!p->xt->seen)
		return fw_error(p->errs, p->loc, "iprange match needs "
				"'--src-range' or '--dst-range'");
	return 0;
}

static void print_range(struct fw_pr *pr, int family, const char *opt,
			bool inv, const union nf_inet_addr *lo,
			const union nf_inet_addr *hi)
{
	int af = family == FW_AF_IPV6 ? AF_INET6 : AF_INET;
	char a[INET6_ADDRSTRLEN], b[INET6_ADDRSTRLEN];

	inet_ntop(af, lo, a, sizeof(a));
	inet_ntop(af, hi, b, sizeof(b));
	fw_pr_val(pr, inv, opt, "%s-%s", a, b);
}

static void iprange_print(const struct fw_xt *x, const struct fw_rule *r,
			  struct fw_pr *pr)
{
	const struct xt_iprange_mtinfo *info =
		(const struct xt_iprange_mtinfo *)x->data;

	if (info->flags & IPRANGE_SRC)
		print_range(pr, r->family, "src-range",
			    info->flags & IPRANGE_SRC_INV, &info->src_min,
			    &info->src_max);
	if (info->flags & IPRANGE_DST)
		print_range(pr, r->family, "dst-range",
			    info->flags & IPRANGE_DST_INV, &info->dst_min,
			    &info->dst_max);
}

static const struct fw_case iprange_tests[] = {
	{ "--src-range 1.1.1.1-1.1.1.10", "=", FW_OK, 4, NULL },
	{ "! --dst-range 1.1.1.1-1.1.1.10", "=", FW_OK, 4, NULL },
	{ "--src-range 10.1-0x0a.010.0.1", "--src-range 10.1.0.0-10.8.0.1",
	  FW_OK, 4, NULL },
	{ "--dst-range 1.2.3.4", "--dst-range 1.2.3.4-1.2.3.4", FW_OK, 4,
	  NULL },
	{ "--dst-range 1.2.3.4-1.2.3.1 ! --src-range 0.0.0.0-255.255.255.255",
	  "! --src-range 0.0.0.0-255.255.255.255 --dst-range 1.2.3.4-1.2.3.1",
	  FW_OK, 4, NULL },
	{ "--src-range 2001:db8::1-2001:db8::10", "=", FW_OK, 6, NULL },
	{ "! --dst-range ::1", "! --dst-range ::1-::1", FW_OK, 6, NULL },
	{ "--src-range 1.1.1.256", NULL, FW_FAIL, 4, NULL },
	{ "--src-range 1.1.1.1-", NULL, FW_FAIL, 4, NULL },
	{ "--src-range host", NULL, FW_FAIL, 0, NULL },
	{ "--src-range 1.1.1.1", NULL, FW_FAIL, 6, NULL },
	{ "", NULL, FW_FAIL, 0, NULL },
	{ NULL },
};

const struct fw_ext fw_ext_iprange = {
	.name = "iprange",
	.kind = FW_EXT_MATCH,
	.revision = 1,
	.size = sizeof(struct xt_iprange_mtinfo),
	.opts = iprange_opts,
	.parse = iprange_parse,
	.check = iprange_check,
	.print = iprange_print,
	.tests = iprange_tests,
};
