/* SPDX-License-Identifier: GPL-2.0-or-later */
/* policy match: IPsec policy (--dir, --pol, --strict and per-element specs) */
#include "base.h"

#include <arpa/inet.h>
#include <string.h>

#include <linux/netfilter/xt_policy.h>

#include "ext.h"

enum {
	O_DIR, O_POL, O_STRICT, O_REQID, O_SPI, O_PROTO, O_MODE, O_TSRC,
	O_TDST, O_NEXT,
};

static const struct fw_opt policy_opts[] = {
	{ "dir", O_DIR, 1, 0 },
	{ "pol", O_POL, 1, 0 },
	{ "strict", O_STRICT, 0, 0 },
	{ "reqid", O_REQID, 1, FW_OPT_INV | FW_OPT_MULTI },
	{ "spi", O_SPI, 1, FW_OPT_INV | FW_OPT_MULTI },
	{ "tunnel-src", O_TSRC, 1, FW_OPT_INV | FW_OPT_MULTI },
	{ "tunnel-dst", O_TDST, 1, FW_OPT_INV | FW_OPT_MULTI },
	{ "proto", O_PROTO, 1, FW_OPT_INV | FW_OPT_MULTI },
	{ "mode", O_MODE, 1, FW_OPT_INV | FW_OPT_MULTI },
	{ "next", O_NEXT, 0, FW_OPT_MULTI },
	{ NULL },
};

static const struct {
	const char *name;
	uint16_t flag;
} dir_tbl[] = {
	{ "in", XT_POLICY_MATCH_IN }, { "out", XT_POLICY_MATCH_OUT },
}, pol_tbl[] = {
	{ "none", XT_POLICY_MATCH_NONE }, { "ipsec", 0 },
};

static const char *const mode_tbl[] = {
	[XT_POLICY_MODE_TRANSPORT] = "transport",
	[XT_POLICY_MODE_TUNNEL] = "tunnel",
};

static int pick(struct fw_pctx *p, const char *what, const char *s,
		const char *const *names, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(s, names[i]))
			return i;
	return fw_error(p->errs, p->loc, "invalid policy %s '%s'", what, s);
}

static int parse_flag(struct fw_pctx *p, const struct fw_opt *o,
		      const char *s, struct xt_policy_info *info)
{
	const char *names[2];
	size_t i;
	int k;

	for (i = 0; i < 2; i++)
		names[i] = o->id == O_DIR ? dir_tbl[i].name : pol_tbl[i].name;
	k = pick(p, o->name, s, names, 2);
	if (k < 0)
		return -1;
	info->flags |= o->id == O_DIR ? dir_tbl[k].flag : pol_tbl[k].flag;
	return 0;
}

static int parse_proto(struct fw_pctx *p, const char *s,
		       struct xt_policy_elem *e)
{
	uint8_t proto;

	if (fw_proto_parse(s, &proto))
		return fw_error(p->errs, p->loc, "unknown protocol '%s'", s);
	if (proto != IPPROTO_AH && proto != IPPROTO_ESP &&
	    proto != IPPROTO_COMP)
		return fw_error(p->errs, p->loc,
				"policy protocol must be ah, esp or ipcomp");
	e->proto = proto;
	return 0;
}

/* The spec bit of an element option (a bitfield: no pointers to it). */
static bool spec_has(const struct xt_policy_spec *sp, int id)
{
	switch (id) {
	case O_REQID:
		return sp->reqid;
	case O_SPI:
		return sp->spi;
	case O_PROTO:
		return sp->proto;
	case O_MODE:
		return sp->mode;
	case O_TSRC:
		return sp->saddr;
	case O_TDST:
		return sp->daddr;
	}
	return false;
}

static void spec_add(struct xt_policy_spec *sp, int id)
{
	switch (id) {
	case O_REQID:
		sp->reqid = 1;
		break;
	case O_SPI:
		sp->spi = 1;
		break;
	case O_PROTO:
		sp->proto = 1;
		break;
	case O_MODE:
		sp->mode = 1;
		break;
	case O_TSRC:
		sp->saddr = 1;
		break;
	case O_TDST:
		sp->daddr = 1;
		break;
	}
}

static int parse_value(struct fw_pctx *p, const struct fw_opt *o,
		       const char *s, struct xt_policy_elem *e)
{
	uint64_t v;
	int k;

	switch (o->id) {
	case O_REQID:
	case O_SPI:
		if (fw_parse_uint(p, s, UINT32_MAX, &v))
			return -1;
		*(o->id == O_REQID ? &e->reqid : &e->spi) = v;
		return 0;
	case O_PROTO:
		return parse_proto(p, s, e);
	case O_MODE:
		k = pick(p, "mode", s, mode_tbl, FW_ARRAY_SIZE(mode_tbl));
		if (k < 0)
			return -1;
		e->mode = k;
		return 0;
	case O_TSRC:
		return fw_parse_hostmask(p, s, (uint8_t *)&e->saddr,
					 (uint8_t *)&e->smask);
	case O_TDST:
		return fw_parse_hostmask(p, s, (uint8_t *)&e->daddr,
					 (uint8_t *)&e->dmask);
	}
	return 0;
}

/* Options of the current element: each at most once per element. */
static int parse_elem(struct fw_pctx *p, const struct fw_opt *o,
		      const char *s, struct xt_policy_elem *e)
{
	if (spec_has(&e->match, o->id))
		return fw_error(p->errs, p->loc, "'--%s' given twice for one "
				"policy element", o->name);
	if (parse_value(p, o, s, e))
		return -1;
	spec_add(&e->match, o->id);
	if (p->inv)
		spec_add(&e->invert, o->id);
	return 0;
}

static int policy_parse(struct fw_pctx *p, const struct fw_opt *o,
			char **argv)
{
	struct xt_policy_info *info = (struct xt_policy_info *)p->xt->data;

	switch (o->id) {
	case O_DIR:
	case O_POL:
		return parse_flag(p, o, argv[0], info);
	case O_STRICT:
		info->flags |= XT_POLICY_MATCH_STRICT;
		return 0;
	case O_NEXT:
		if (++info->len == XT_POLICY_MAX_ELEM)
			return fw_error(p->errs, p->loc, "more than %d policy "
					"elements", XT_POLICY_MAX_ELEM);
		return 0;
	}
	return parse_elem(p, o, argv[0], &info->pol[info->len]);
}

static bool elem_empty(const struct xt_policy_elem *e)
{
	return !(e->match.reqid || e->match.spi || e->match.saddr ||
		 e->match.daddr || e->match.proto || e->match.mode);
}

static int policy_check(struct fw_pctx *p)
{
	struct xt_policy_info *info = (struct xt_policy_info *)p->xt->data;
	const struct xt_policy_elem *e;
	unsigned i;

	if (p->xt->seen & 1u << O_NEXT && !(p->xt->seen & 1u << O_STRICT))
		return fw_error(p->errs, p->loc, "'--next' needs '--strict'");
	if (!(info->flags & (XT_POLICY_MATCH_IN | XT_POLICY_MATCH_OUT)))
		return fw_error(p->errs, p->loc,
				"policy match needs '--dir in' or '--dir out'");
	if (info->flags & XT_POLICY_MATCH_NONE) {
		if (info->flags & XT_POLICY_MATCH_STRICT)
			return fw_error(p->errs, p->loc,
					"'--pol none' excludes '--strict'");
		if (info->len)
			return fw_error(p->errs, p->loc,
					"'--pol none' excludes '--next'");
	} else {
		info->len++;	/* no --next after the last element */
	}
	for (i = 0; i < info->len; i++) {
		e = &info->pol[i];
		if (info->flags & XT_POLICY_MATCH_STRICT && elem_empty(e))
			return fw_error(p->errs, p->loc, "policy element %u is "
					"empty under '--strict'", i);
		if ((e->match.saddr || e->match.daddr) &&
		    ((e->mode == XT_POLICY_MODE_TUNNEL && e->invert.mode) ||
		     (e->mode == XT_POLICY_MODE_TRANSPORT && !e->invert.mode)))
			return fw_error(p->errs, p->loc, "'--tunnel-src' and "
					"'--tunnel-dst' need '--mode tunnel'");
	}
	return 0;
}

static void print_addr(struct fw_pr *pr, int family, bool inv,
		       const char *opt, const union xt_policy_addr *addr,
		       const union xt_policy_addr *mask)
{
	char buf[2 * INET6_ADDRSTRLEN];

	fw_format_addr(family, (const uint8_t *)addr, (const uint8_t *)mask,
		       true, buf, sizeof(buf));
	fw_pr_val(pr, inv, opt, "%s", buf);
}

static void print_elem(struct fw_pr *pr, int family,
		       const struct xt_policy_elem *e)
{
	char name[64];

	if (e->match.reqid)
		fw_pr_val(pr, e->invert.reqid, "reqid", "%u", e->reqid);
	if (e->match.spi)
		fw_pr_val(pr, e->invert.spi, "spi", "0x%x", e->spi);
	if (e->match.proto) {
		if (fw_proto_lookup(e->proto, name, sizeof(name)))
			fw_pr_val(pr, e->invert.proto, "proto", "%s", name);
		else
			fw_pr_val(pr, e->invert.proto, "proto", "%u", e->proto);
	}
	if (e->match.mode)
		fw_pr_val(pr, e->invert.mode, "mode", "%s",
			  e->mode < FW_ARRAY_SIZE(mode_tbl) ? mode_tbl[e->mode]
							    : "???");
	if (e->match.daddr)
		print_addr(pr, family, e->invert.daddr, "tunnel-dst", &e->daddr,
			   &e->dmask);
	if (e->match.saddr)
		print_addr(pr, family, e->invert.saddr, "tunnel-src", &e->saddr,
			   &e->smask);
}

static void policy_print(const struct fw_xt *x, const struct fw_rule *r,
			 struct fw_pr *pr)
{
	const struct xt_policy_info *info =
		(const struct xt_policy_info *)x->data;
	unsigned i;

	fw_pr_val(pr, false, "dir", "%s",
		  info->flags & XT_POLICY_MATCH_IN ? "in" : "out");
	fw_pr_val(pr, false, "pol", "%s",
		  info->flags & XT_POLICY_MATCH_NONE ? "none" : "ipsec");
	if (info->flags & XT_POLICY_MATCH_STRICT)
		fw_pr_flag(pr, false, "strict");
	for (i = 0; i < info->len && i < XT_POLICY_MAX_ELEM; i++) {
		print_elem(pr, r->family, &info->pol[i]);
		if (i + 1 < info->len)
			fw_pr_flag(pr, false, "next");
	}
}

static const struct fw_case policy_tests[] = {
	{ "--dir in --pol ipsec", "=", FW_OK, 0, NULL },
	{ "--dir out --pol none", "=", FW_OK, 0, NULL },
	{ "--pol ipsec --dir in --proto ipcomp",
	  "--dir in --pol ipsec --proto ipcomp", FW_OK, 0, NULL },
	{ "--dir in --pol ipsec --strict --reqid 1 --spi 0x1 --proto esp "
	  "--mode tunnel --tunnel-dst 10.0.0.0/8 --tunnel-src 10.0.0.0/8 "
	  "--next --reqid 2", "=", FW_OK, 4, NULL },
	{ "--dir in --pol ipsec --strict ! --reqid 1 ! --spi 10 ! --proto 51 "
	  "--mode tunnel ! --tunnel-src 10.1.2.3/255.255.0.0 --tunnel-dst "
	  "10.0.0.1", "--dir in --pol ipsec --strict ! --reqid 1 ! --spi 0xa "
	  "! --proto ah --mode tunnel --tunnel-dst 10.0.0.1 ! --tunnel-src "
	  "10.1.2.3/16", FW_OK, 4, NULL },
	{ "--dir in --pol ipsec --strict --reqid 1 --spi 0x1 --proto esp "
	  "--mode tunnel --tunnel-dst 2001:db8::/32 --tunnel-src "
	  "2001:db8::/32 --next --reqid 2", "=", FW_OK, 6, NULL },
	{ "--dir in --pol ipsec ! --mode transport --tunnel-src ::1",
	  "=", FW_OK, 6, NULL },
	{ "--dir in --pol ipsec --tunnel-src 1.2.3.4", NULL, FW_FAIL, 4, NULL },
	{ "--dir in --pol ipsec --strict", NULL, FW_FAIL, 0, NULL },
	{ "--dir in --pol ipsec --reqid 1 --next --reqid 2", NULL, FW_FAIL, 0,
	  NULL },
	{ "--dir in --pol ipsec --reqid 1 --reqid 2", NULL, FW_FAIL, 0, NULL },
	{ "--dir in --pol ipsec --proto tcp", NULL, FW_FAIL, 0, NULL },
	{ "--dir in --pol none --strict", NULL, FW_FAIL, 0, NULL },
	{ "--dir sideways --pol none", NULL, FW_FAIL, 0, NULL },
	{ "--pol none", NULL, FW_FAIL, 0, NULL },
	{ "--dir in --pol ipsec --strict --mode tunnel --next --mode tunnel "
	  "--next --mode tunnel --next --mode tunnel --next", NULL, FW_FAIL, 0,
	  NULL },
	{ NULL },
};

const struct fw_ext fw_ext_policy = {
	.name = "policy",
	.kind = FW_EXT_MATCH,
	.size = sizeof(struct xt_policy_info),
	.opts = policy_opts,
	.parse = policy_parse,
	.check = policy_check,
	.print = policy_print,
	.tests = policy_tests,
};
