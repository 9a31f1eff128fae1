/* SPDX-License-Identifier: GPL-2.0-or-later */
/* rt match (IPv6 routing header): type, segments left, length, type 0 */
#include "base.h"

#include <arpa/inet.h>
#include <string.h>

#include <linux/netfilter_ipv6/ip6t_rt.h>

#include "ext.h"

enum { O_TYPE, O_SEGSLEFT, O_LEN, O_RES, O_ADDRS, O_NSTRICT };

static const struct fw_opt rt_opts[] = {
	{ "rt-type", O_TYPE, 1, FW_OPT_INV },
	{ "rt-segsleft", O_SEGSLEFT, 1, FW_OPT_INV },
	{ "rt-len", O_LEN, 1, FW_OPT_INV },
	{ "rt-0-res", O_RES, 0, 0 },
	{ "rt-0-addrs", O_ADDRS, 1, 0 },
	{ "rt-0-not-strict", O_NSTRICT, 0, 0 },
	{ NULL },
};

static void rt_init(struct fw_xt *x, const struct fw_rule *r)
{
	struct ip6t_rt *rt = (struct ip6t_rt *)x->data;

	rt->segsleft[1] = 0xffffffff;
}

static int rt_addrs(struct fw_pctx *p, const char *s, struct ip6t_rt *rt)
{
	char *copy = xstrdup(s), *cp, *next;
	int rc = 0;

	rt->addrnr = 0;
	for (cp = copy; cp; cp = next) {
		next = strchr(cp, ',');
		if (next)
			*next++ = '\0';
		if (rt->addrnr == IP6T_RT_HOPS) {
			rc = fw_error(p->errs, p->loc, "more than %d addresses "
				      "in '%s'", IP6T_RT_HOPS, s);
			break;
		}
		if (inet_pton(AF_INET6, cp, &rt->addrs[rt->addrnr]) != 1) {
			rc = fw_error(p->errs, p->loc, "invalid IPv6 address "
				      "'%s'", cp);
			break;
		}
		rt->addrnr++;
	}
	free(copy);
	return rc;
}

/* Options of the type 0 header need "--rt-type 0" before them. */
static int rt_type0(struct fw_pctx *p, const struct fw_opt *o)
{
	const struct ip6t_rt *rt = (const struct ip6t_rt *)p->xt->data;

	if (!(rt->flags & IP6T_RT_TYP) || rt->rt_type != 0 ||
	    rt->invflags & IP6T_RT_INV_TYP)
		return fw_error(p->errs, p->loc, "'--%s' needs '--rt-type 0' "
				"before it", o->name);
	return 0;
}

static int rt_parse(struct fw_pctx *p, const struct fw_opt *o, char **argv)
{
	struct ip6t_rt *rt = (struct ip6t_rt *)p->xt->data;
	uint64_t lo, hi;

	switch (o->id) {
	case O_TYPE:
	case O_LEN:
		if (fw_parse_uint(p, argv[0], 0xffffffff, &lo))
			return -1;
		*(o->id == O_TYPE ? &rt->rt_type : &rt->hdrlen) = lo;
		rt->flags |= o->id == O_TYPE ? IP6T_RT_TYP : IP6T_RT_LEN;
		if (p->inv)
			rt->invflags |= o->id == O_TYPE ? IP6T_RT_INV_TYP
							: IP6T_RT_INV_LEN;
		return 0;
	case O_SEGSLEFT:
		if (fw_parse_range(p, argv[0], 0xffffffff, &lo, &hi))
			return -1;
		rt->segsleft[0] = lo;
		rt->segsleft[1] = hi;
		rt->flags |= IP6T_RT_SGS;
		if (p->inv)
			rt->invflags |= IP6T_RT_INV_SGS;
		return 0;
	case O_RES:
		if (rt_type0(p, o))
			return -1;
		rt->flags |= IP6T_RT_RES;
		return 0;
	case O_ADDRS:
		if (rt_type0(p, o) || rt_addrs(p, argv[0], rt))
			return -1;
		rt->flags |= IP6T_RT_FST;
		return 0;
	case O_NSTRICT:
		if (!(p->xt->seen & (1u << O_ADDRS)))
			return fw_error(p->errs, p->loc, "'--rt-0-not-strict' "
					"needs '--rt-0-addrs' before it");
		rt->flags |= IP6T_RT_FST_NSTRICT;
		return 0;
	}
	return 0;
}

static void rt_print_addrs(const struct ip6t_rt *rt, struct fw_pr *pr)
{
	char buf[IP6T_RT_HOPS * (INET6_ADDRSTRLEN + 1)];
	size_t n = 0;
	unsigned i;

	buf[0] = '\0';
	for (i = 0; i < rt->addrnr && i < IP6T_RT_HOPS; i++) {
		if (i)
			buf[n++] = ',';
		inet_ntop(AF_INET6, &rt->addrs[i], buf + n, sizeof(buf) - n);
		n += strlen(buf + n);
	}
	fw_pr_val(pr, false, "rt-0-addrs", "%s", buf);
}

static void rt_print(const struct fw_xt *x, const struct fw_rule *r,
		     struct fw_pr *pr)
{
	const struct ip6t_rt *rt = (const struct ip6t_rt *)x->data;
	const uint32_t *sl = rt->segsleft;

	if (rt->flags & IP6T_RT_TYP)
		fw_pr_val(pr, rt->invflags & IP6T_RT_INV_TYP, "rt-type", "%u",
			  rt->rt_type);
	/* an inverted full range never matches: say so (1.8.11; 1.8.9 drops it) */
	if (sl[0] != 0 || sl[1] != 0xffffffff ||
	    rt->invflags & IP6T_RT_INV_SGS) {
		if (sl[0] == sl[1])
			fw_pr_val(pr, rt->invflags & IP6T_RT_INV_SGS,
				  "rt-segsleft", "%u", sl[0]);
		else
			fw_pr_val(pr, rt->invflags & IP6T_RT_INV_SGS,
				  "rt-segsleft", "%u:%u", sl[0], sl[1]);
	}
	if (rt->flags & IP6T_RT_LEN)
		fw_pr_val(pr, rt->invflags & IP6T_RT_INV_LEN, "rt-len", "%u",
			  rt->hdrlen);
	if (rt->flags & IP6T_RT_RES)
		fw_pr_flag(pr, false, "rt-0-res");
	if (rt->flags & IP6T_RT_FST)
		rt_print_addrs(rt, pr);
	if (rt->flags & IP6T_RT_FST_NSTRICT)
		fw_pr_flag(pr, false, "rt-0-not-strict");
}

static const struct fw_case rt_tests[] = {
	{ "", "=", FW_OK, 0, NULL },
	{ "--rt-type 0 --rt-segsleft 1:23 --rt-len 42 --rt-0-res", "=", FW_OK,
	  0, NULL },
	{ "! --rt-type 1 ! --rt-segsleft 12:23 ! --rt-len 42", "=", FW_OK, 0,
	  NULL },
	{ "--rt-segsleft :", "", FW_OK, 0, NULL },
	{ "! --rt-segsleft :", "! --rt-segsleft 0:4294967295", FW_OK, 0, NULL },
	{ "--rt-segsleft :3", "--rt-segsleft 0:3", FW_OK, 0, NULL },
	{ "--rt-segsleft 3:", "--rt-segsleft 3:4294967295", FW_OK, 0, NULL },
	{ "--rt-segsleft 3:3", "--rt-segsleft 3", FW_OK, 0, NULL },
	{ "--rt-type 0 --rt-0-addrs ::1,2001:db8::1 --rt-0-not-strict", "=",
	  FW_OK, 0, NULL },
	{ "--rt-0-res", NULL, FW_FAIL, 0, NULL },
	{ "--rt-type 1 --rt-0-res", NULL, FW_FAIL, 0, NULL },
	{ "! --rt-type 0 --rt-0-addrs ::1", NULL, FW_FAIL, 0, NULL },
	{ "--rt-type 0 --rt-0-not-strict", NULL, FW_FAIL, 0, NULL },
	{ "--rt-type 0 --rt-0-addrs 1.2.3.4", NULL, FW_FAIL, 0, NULL },
	{ "--rt-type 0 --rt-0-addrs ::1,::2,::3,::4,::5,::6,::7,::8,::9,::a,"
	  "::b,::c,::d,::e,::f,::10,::11", NULL, FW_FAIL, 0, NULL },
	{ "--rt-type 4294967296", NULL, FW_FAIL, 0, NULL },
	{ NULL },
};

const struct fw_ext fw_ext_rt = {
	.name = "rt",
	.kind = FW_EXT_MATCH,
	.family = FW_AF_IPV6,
	.size = sizeof(struct ip6t_rt),
	.opts = rt_opts,
	.init = rt_init,
	.parse = rt_parse,
	.print = rt_print,
	.tests = rt_tests,
};
