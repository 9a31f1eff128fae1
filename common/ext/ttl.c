/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ttl/hl matches and TTL/HL targets: the IPv4 TTL and IPv6 hop limit */
#include "base.h"

#include <string.h>

#include <linux/netfilter/nf_tables.h>
#include <libnftnl/expr.h>

/* The match and target headers of each family share an include guard. */
#include <linux/netfilter_ipv4/ipt_ttl.h>
#undef _IPT_TTL_H
#include <linux/netfilter_ipv4/ipt_TTL.h>
#include <linux/netfilter_ipv6/ip6t_hl.h>
#undef _IP6T_HL_H
#include <linux/netfilter_ipv6/ip6t_HL.h>

#include "ext.h"
#include "nlmsg.h"

/*
 * ipt_ttl_info and ip6t_hl_info (and the two target structs) are both
 * { mode, value } with the same mode numbers, so one code serves both.
 * Option ids are the mode numbers; print takes the first option of a mode.
 */
struct ttl_info {
	uint8_t mode;
	uint8_t value;
};

static const struct fw_opt ttl_opts[] = {
	{ "ttl-eq", IPT_TTL_EQ, 1, FW_OPT_INV },
	{ "ttl-lt", IPT_TTL_LT, 1, 0 },
	{ "ttl-gt", IPT_TTL_GT, 1, 0 },
	{ "ttl", IPT_TTL_EQ, 1, 0 },
	{ NULL },
};

static const struct fw_opt hl_opts[] = {
	{ "hl-eq", IP6T_HL_EQ, 1, FW_OPT_INV },
	{ "hl-lt", IP6T_HL_LT, 1, 0 },
	{ "hl-gt", IP6T_HL_GT, 1, 0 },
	{ "hl", IP6T_HL_EQ, 1, 0 },
	{ NULL },
};

static const struct fw_opt ttl_tg_opts[] = {
	{ "ttl-set", IPT_TTL_SET, 1, 0 },
	{ "ttl-inc", IPT_TTL_INC, 1, 0 },
	{ "ttl-dec", IPT_TTL_DEC, 1, 0 },
	{ NULL },
};

static const struct fw_opt hl_tg_opts[] = {
	{ "hl-set", IP6T_HL_SET, 1, 0 },
	{ "hl-inc", IP6T_HL_INC, 1, 0 },
	{ "hl-dec", IP6T_HL_DEC, 1, 0 },
	{ NULL },
};

static int ttl_parse(struct fw_pctx *p, const struct fw_opt *o, char **argv)
{
	struct ttl_info *t = (struct ttl_info *)p->xt->data;
	bool tg = p->xt->ext->kind == FW_EXT_TARGET;
	uint64_t v;

	if (p->xt->seen & ~(1ull << o->id))
		return fw_error(p->errs, p->loc, "%s takes only one of its "
				"options", p->xt->ext->name);
	if (fw_parse_uint(p, argv[0], 255, &v))
		return -1;
	/* the targets' inc and dec have to change something */
	if (tg && o->id != IPT_TTL_SET && v == 0)
		return fw_error(p->errs, p->loc, "'--%s' needs a value of 1 "
				"to 255", o->name);
	t->value = v;
	t->mode = o->id;
	if (!tg && p->inv)
		t->mode = IPT_TTL_NE;
	return 0;
}

static int ttl_check(struct fw_pctx *p)
{
	if (!p->xt->seen)
		return fw_error(p->errs, p->loc, "%s needs one of its options",
				p->xt->ext->name);
	return 0;
}

static void ttl_print(const struct fw_xt *x, const struct fw_rule *r,
		      struct fw_pr *pr)
{
	const struct ttl_info *t = (const struct ttl_info *)x->data;
	bool ne = x->ext->kind == FW_EXT_MATCH && t->mode == IPT_TTL_NE;
	const struct fw_opt *o;

	for (o = x->ext->opts; o->name; o++) {
		if (o->id == (ne ? IPT_TTL_EQ : t->mode)) {
			fw_pr_val(pr, ne, o->name, "%u", t->value);
			return;
		}
	}
}

/*
 * Rules written by nft (or newer iptables) compare the TTL / hop limit
 * field natively; 1.8.9 reads each such compare as a ttl / hl match.
 */
static int ttl_dec_cmp(struct fw_dec *d, const struct fw_nlexpr *e,
		       const struct fw_ext *ext, uint32_t off)
{
	const struct fw_dreg *g = &d->reg[0];
	uint32_t len = 0, op = fw_nlx_u32(e, NFTA_CMP_OP);
	const uint8_t *v;
	struct ttl_info *t;
	struct fw_xt *x;
	int mode, val;

	if (e->kind != FW_NLX_CMP ||
	    g->kind != FW_R_PAYLOAD || g->base != NFT_PAYLOAD_NETWORK_HEADER ||
	    g->offset != off || g->len != 1 || g->masked)
		return 0;
	v = fw_nlx_value(e, NFTA_CMP_DATA, &len);
	if (len != 1)
		return fw_dec_error(d, "a %s compare of %u bytes", ext->name,
				    len);
	val = v[0];
	switch (op) {
	case NFT_CMP_EQ:
		mode = IPT_TTL_EQ;
		break;
	case NFT_CMP_NEQ:
		mode = IPT_TTL_NE;
		break;
	case NFT_CMP_LT:
		mode = IPT_TTL_LT;
		break;
	case NFT_CMP_GT:
		mode = IPT_TTL_GT;
		break;
	case NFT_CMP_LTE:
		mode = IPT_TTL_LT;
		val++;
		break;
	case NFT_CMP_GTE:
		mode = IPT_TTL_GT;
		val--;
		break;
	default:
		mode = -1;
	}
	if (mode < 0 || val < 0 || val > 255)
		return fw_dec_error(d, "a %s compare (op %u, value %u)",
				    ext->name, op, v[0]);
	x = fw_xt_new(ext, NULL);
	t = (struct ttl_info *)x->data;
	t->mode = mode;
	t->value = val;
	fw_rule_add_match(d->rule, x);
	return 1;
}

extern const struct fw_ext fw_ext_ttl, fw_ext_hl;

static int ttl_from_nl(struct fw_dec *d, const struct fw_nlexpr *e)
{
	return ttl_dec_cmp(d, e, &fw_ext_ttl, 8);
}

static int hl_from_nl(struct fw_dec *d, const struct fw_nlexpr *e)
{
	return ttl_dec_cmp(d, e, &fw_ext_hl, 7);
}

static const struct fw_case ttl_tests[] = {
	{ "--ttl-eq 0", "=", FW_OK, 0, NULL },
	{ "! --ttl-eq 255", "=", FW_OK, 0, NULL },
	{ "--ttl-lt 5", "=", FW_OK, 0, NULL },
	{ "--ttl-gt 0x10", "--ttl-gt 16", FW_OK, 0, NULL },
	{ "--ttl 7", "--ttl-eq 7", FW_OK, 0, NULL },
	{ "! --ttl 7", NULL, FW_FAIL, 0, NULL },
	{ "! --ttl-lt 7", NULL, FW_FAIL, 0, NULL },
	{ "--ttl-eq 256", NULL, FW_FAIL, 0, NULL },
	{ "--ttl-eq -1", NULL, FW_FAIL, 0, NULL },
	{ "--ttl-eq 1 --ttl-gt 2", NULL, FW_FAIL, 0, NULL },
	{ "--ttl-eq 1 --ttl 1", NULL, FW_FAIL, 0, NULL },
	{ "", NULL, FW_FAIL, 0, NULL },
	{ NULL },
};

static const struct fw_case hl_tests[] = {
	{ "--hl-eq 42", "=", FW_OK, 0, NULL },
	{ "! --hl-eq 42", "=", FW_OK, 0, NULL },
	{ "--hl-lt 42", "=", FW_OK, 0, NULL },
	{ "--hl-gt 255", "=", FW_OK, 0, NULL },
	{ "--hl 1", "--hl-eq 1", FW_OK, 0, NULL },
	{ "--hl-gt 42 --hl-eq 42", NULL, FW_FAIL, 0, NULL },
	{ "--hl-gt", NULL, FW_FAIL, 0, NULL },
	{ "", NULL, FW_FAIL, 0, NULL },
	{ NULL },
};

static const struct fw_case ttl_tg_tests[] = {
	{ "--ttl-set 42", "=", FW_OK, 0, NULL },
	{ "--ttl-set 0", "=", FW_OK, 0, NULL },
	{ "--ttl-inc 1", "=", FW_OK, 0, NULL },
	{ "--ttl-dec 255", "=", FW_OK, 0, NULL },
	{ "--ttl-set 256", NULL, FW_FAIL, 0, NULL },
	{ "--ttl-inc 0", NULL, FW_FAIL, 0, NULL },
	{ "--ttl-dec 0", NULL, FW_FAIL, 0, NULL },
	{ "--ttl-dec 1 --ttl-inc 1", NULL, FW_FAIL, 0, NULL },
	{ "--ttl-set --ttl-inc 1", NULL, FW_FAIL, 0, NULL },
	{ "", NULL, FW_FAIL, 0, NULL },
	{ NULL },
};

static const struct fw_case hl_tg_tests[] = {
	{ "--hl-set 42", "=", FW_OK, 0, NULL },
	{ "--hl-inc 1", "=", FW_OK, 0, NULL },
	{ "--hl-dec 1", "=", FW_OK, 0, NULL },
	{ "--hl-set 256", NULL, FW_FAIL, 0, NULL },
	{ "--hl-dec 0", NULL, FW_FAIL, 0, NULL },
	{ "--hl-set 1 --hl-set 2", NULL, FW_FAIL, 0, NULL },
	{ "", NULL, FW_FAIL, 0, NULL },
	{ NULL },
};

const struct fw_ext fw_ext_ttl = {
	.name = "ttl",
	.kind = FW_EXT_MATCH,
	.family = FW_AF_IPV4,
	.size = sizeof(struct ipt_ttl_info),
	.opts = ttl_opts,
	.parse = ttl_parse,
	.check = ttl_check,
	.print = ttl_print,
	.from_nl = ttl_from_nl,
	.tests = ttl_tests,
};

const struct fw_ext fw_ext_hl = {
	.name = "hl",
	.kind = FW_EXT_MATCH,
	.family = FW_AF_IPV6,
	.size = sizeof(struct ip6t_hl_info),
	.opts = hl_opts,
	.parse = ttl_parse,
	.check = ttl_check,
	.print = ttl_print,
	.from_nl = hl_from_nl,
	.tests = hl_tests,
};

const struct fw_ext fw_ext_ttl_tg = {
	.name = "TTL",
	.kind = FW_EXT_TARGET,
	.family = FW_AF_IPV4,
	.size = sizeof(struct ipt_TTL_info),
	.opts = ttl_tg_opts,
	.parse = ttl_parse,
	.check = ttl_check,
	.print = ttl_print,
	.tests = ttl_tg_tests,
};

const struct fw_ext fw_ext_hl_tg = {
	.name = "HL",
	.kind = FW_EXT_TARGET,
	.family = FW_AF_IPV6,
	.size = sizeof(struct ip6t_HL_info),
	.opts = hl_tg_opts,
	.parse = ttl_parse,
	.check = ttl_check,
	.print = ttl_print,
	.tests = hl_tg_tests,
};
