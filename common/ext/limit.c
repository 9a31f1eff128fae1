/* SPDX-License-Identifier: GPL-2.0-or-later */
/* limit match, encoded as nf_tables' native limit expression */
#include "base.h"

#include <string.h>
#include <strings.h>

#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/xt_limit.h>
#include <libnftnl/expr.h>
#include <libnftnl/rule.h>

#include "ext.h"
#include "nlmsg.h"

enum { O_LIMIT, O_BURST };

static const struct fw_opt limit_opts[] = {
	{ "limit", O_LIMIT, 1, 0 },
	{ "limit-burst", O_BURST, 1, 0 },
	{ NULL },
};

#define LIMIT_BURST 5
#define LIMIT_BURST_MAX 10000

/*
 * Units from the coarsest: the name saved, the prefix-matched name
 * parsed, and the length in XT_LIMIT_SCALE units.
 */
static const struct {
	const char *name, *word;
	uint32_t mult;
} limit_unit_tbl[] = {
	{ "day", "day", XT_LIMIT_SCALE * 24 * 60 * 60 },
	{ "hour", "hour", XT_LIMIT_SCALE * 60 * 60 },
	{ "min", "minute", XT_LIMIT_SCALE * 60 },
	{ "sec", "second", XT_LIMIT_SCALE },
};

static struct xt_rateinfo *limit_info(const struct fw_xt *x)
{
	return (struct xt_rateinfo *)x->data;
}

/* "N[/unit]" -> the average period in XT_LIMIT_SCALE units; 0 if bad. */
static uint32_t limit_avg(const char *s)
{
	const char *slash = strchr(s, '/');
	uint32_t mult = XT_LIMIT_SCALE, rate;
	size_t i, len;

	if (slash) {
		len = strlen(slash + 1);
		for (i = 0; len && i < FW_ARRAY_SIZE(limit_unit_tbl); i++)
			if (!strncasecmp(slash + 1, limit_unit_tbl[i].word,
					 len))
				break;
		if (!len || i == FW_ARRAY_SIZE(limit_unit_tbl))
			return 0;
		mult = limit_unit_tbl[i].mult;
	}
	rate = atoi(s);		/* as 1.8.9: "5x/s" is 5, "-1" is huge */
	return rate ? mult / rate : 0;
}

static void limit_init(struct fw_xt *x, const struct fw_rule *r)
{
	struct xt_rateinfo *info = limit_info(x);

	info->avg = limit_avg("3/hour");
	info->burst = LIMIT_BURST;
}

static int limit_parse(struct fw_pctx *p, const struct fw_opt *o,
		       char **argv)
{
	struct xt_rateinfo *info = limit_info(p->xt);
	uint64_t v;

	if (o->id == O_BURST) {
		if (fw_parse_uint(p, argv[0], LIMIT_BURST_MAX, &v))
			return -1;
		info->burst = v;
		return 0;
	}
	info->avg = limit_avg(argv[0]);
	if (!info->avg)
		return fw_error(p->errs, p->loc, "invalid rate '%s'", argv[0]);
	return 0;
}

/*
 * The unit iptables picks for an average: the walk stops at the first
 * finer unit that does not divide well and takes the one before it.
 */
static size_t limit_unit(uint32_t avg)
{
	size_t i;

	for (i = 1; i < FW_ARRAY_SIZE(limit_unit_tbl); i++)
		if (avg > limit_unit_tbl[i].mult ||
		    limit_unit_tbl[i].mult / avg < limit_unit_tbl[i].mult % avg)
			break;
	return i - 1;
}

static void limit_print(const struct fw_xt *x, const struct fw_rule *r,
			struct fw_pr *pr)
{
	const struct xt_rateinfo *info = limit_info(x);
	size_t u = limit_unit(info->avg);

	fw_pr_val(pr, false, "limit", "%u/%s",
		  limit_unit_tbl[u].mult / info->avg, limit_unit_tbl[u].name);
	if (info->burst != LIMIT_BURST)
		fw_pr_val(pr, false, "limit-burst", "%u", info->burst);
}

static int limit_to_nl(struct fw_enc *e, const struct fw_xt *x)
{
	const struct xt_rateinfo *info = limit_info(x);
	struct nftnl_expr *ex = nftnl_expr_alloc("limit");
	size_t u = limit_unit(info->avg);

	if (!ex)
		FW_BUG("nftnl_expr_alloc(limit) failed");
	nftnl_expr_set_u32(ex, NFTNL_EXPR_LIMIT_TYPE, NFT_LIMIT_PKTS);
	nftnl_expr_set_u32(ex, NFTNL_EXPR_LIMIT_FLAGS, 0);
	nftnl_expr_set_u64(ex, NFTNL_EXPR_LIMIT_RATE,
			   limit_unit_tbl[u].mult / info->avg);
	nftnl_expr_set_u64(ex, NFTNL_EXPR_LIMIT_UNIT,
			   limit_unit_tbl[u].mult / XT_LIMIT_SCALE);
	nftnl_expr_set_u32(ex, NFTNL_EXPR_LIMIT_BURST, info->burst);
	fw_enc_add(e, ex);
	return 0;
}

extern const struct fw_ext fw_ext_limit;

/* A packet limit without flags; the average is unit / rate again. */
static int limit_from_nl(struct fw_dec *d, const struct fw_nlexpr *e)
{
	struct xt_rateinfo *info;
	uint64_t rate, unit;
	struct fw_xt *x;

	if (e->kind != FW_NLX_LIMIT ||
	    fw_nlx_u32(e, NFTA_LIMIT_TYPE) != NFT_LIMIT_PKTS ||
	    fw_nlx_u32(e, NFTA_LIMIT_FLAGS))
		return 0;
	rate = fw_nlx_u64(e, NFTA_LIMIT_RATE);
	unit = fw_nlx_u64(e, NFTA_LIMIT_UNIT);
	if (!rate || !unit || XT_LIMIT_SCALE * unit / rate == 0 ||
	    XT_LIMIT_SCALE * unit / rate > UINT32_MAX)
		return fw_dec_error(d, "a limit of %llu per %llu seconds",
				    (unsigned long long)rate,
				    (unsigned long long)unit);
	x = fw_xt_new(&fw_ext_limit, NULL);
	info = limit_info(x);
	info->avg = XT_LIMIT_SCALE * unit / rate;
	info->burst = fw_nlx_u32(e, NFTA_LIMIT_BURST);
	fw_rule_add_match(d->rule, x);
	return 1;
}

/*
 * A compat limit with an average of 0 (the kernel takes it) has no text:
 * 1.8.9 divides by it and dies of SIGFPE. Found by fuzzing.
 */
static int limit_from_xt(struct fw_dec *d, struct fw_xt *x)
{
	if (!limit_info(x)->avg)
		return fw_dec_foreign(d);
	return 0;
}

static const struct fw_case limit_tests[] = {
	{ "", "--limit 3/hour", FW_OK, 0, NULL },
	{ "--limit 1/sec", "=", FW_OK, 0, NULL },
	{ "--limit 1/min", "=", FW_OK, 0, NULL },
	{ "--limit 1000/hour", "=", FW_OK, 0, NULL },
	{ "--limit 1000/day", "=", FW_OK, 0, NULL },
	{ "--limit 7/second", "--limit 7/sec", FW_OK, 0, NULL },
	{ "--limit 5/m", "--limit 5/min", FW_OK, 0, NULL },
	{ "--limit 60/minute", "--limit 1/sec", FW_OK, 0, NULL },
	{ "--limit 10000", "--limit 10000/sec", FW_OK, 0, NULL },
	{ "--limit 7", "--limit 7/sec", FW_OK, 0, NULL },
	{ "--limit 1/sec --limit-burst 1", "=", FW_OK, 0, NULL },
	{ "--limit-burst 5", "--limit 3/hour", FW_OK, 0, NULL },
	{ "--limit-burst 10000", "--limit 3/hour --limit-burst 10000", FW_OK,
	  0, NULL },
	{ "--limit-burst 10001", NULL, FW_FAIL, 0, NULL },
	{ "--limit 10001/sec", NULL, FW_FAIL, 0, NULL },
	{ "--limit 0/sec", NULL, FW_FAIL, 0, NULL },
	{ "--limit 1/", NULL, FW_FAIL, 0, NULL },
	{ "--limit 1/week", NULL, FW_FAIL, 0, NULL },
	{ "--limit x/sec", NULL, FW_FAIL, 0, NULL },
	{ "! --limit 1/sec", NULL, FW_FAIL, 0, NULL },
	{ NULL },
};

const struct fw_ext fw_ext_limit = {
	.name = "limit",
	.kind = FW_EXT_MATCH,
	.size = sizeof(struct xt_rateinfo),
	.opts = limit_opts,
	.init = limit_init,
	.parse = limit_parse,
	.print = limit_print,
	.to_nl = limit_to_nl,
	.from_nl = limit_from_nl,
	.from_xt = limit_from_xt,
	.tests = limit_tests,
};
