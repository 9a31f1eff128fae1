/* SPDX-License-Identifier: GPL-2.0-or-later */
/* TRACE target, encoded as nf_tables' "meta nftrace set 1" */
#include "base.h"

#include <string.h>

#include <linux/netfilter/nf_tables.h>
#include <libnftnl/expr.h>
#include <libnftnl/rule.h>

#include "ext.h"
#include "nlmsg.h"

static void trace_print(const struct fw_xt *x, const struct fw_rule *r,
			struct fw_pr *pr)
{
}

/* immediate 1 (one byte) into NFT_REG32_01, then meta set nftrace from it */
static int trace_to_nl(struct fw_enc *e, const struct fw_xt *x)
{
	struct nftnl_expr *imm = nftnl_expr_alloc("immediate");
	struct nftnl_expr *meta = nftnl_expr_alloc("meta");

	if (!imm || !meta)
		FW_BUG("nftnl_expr_alloc failed");
	nftnl_expr_set_u32(imm, NFTNL_EXPR_IMM_DREG, NFT_REG32_01);
	nftnl_expr_set_u8(imm, NFTNL_EXPR_IMM_DATA, 1);
	fw_enc_add(e, imm);
	nftnl_expr_set_u32(meta, NFTNL_EXPR_META_KEY, NFT_META_NFTRACE);
	nftnl_expr_set_u32(meta, NFTNL_EXPR_META_SREG, NFT_REG32_01);
	fw_enc_add(e, meta);
	return 0;
}

extern const struct fw_ext fw_ext_trace;

/* meta set nftrace from the register the last immediate loaded */
static int trace_from_nl(struct fw_dec *d, const struct fw_nlexpr *e)
{
	const struct fw_dreg *g = &d->reg[1];
	struct fw_rule *r = d->rule;

	if (e->kind != FW_NLX_META ||
	    !fw_nlx_has(e, NFTA_META_SREG) ||
	    fw_nlx_u32(e, NFTA_META_KEY) != NFT_META_NFTRACE)
		return 0;
	if (g->kind != FW_R_IMM ||
	    g->key != fw_nlx_u32(e, NFTA_META_SREG) ||
	    !g->imm_len)
		return fw_dec_error(d, "meta nftrace set from a non-immediate");
	if (!g->imm[0])
		return fw_dec_foreign(d);	/* 1.8.9 skips the rule */
	if (r->verdict != FW_V_NONE)
		return fw_dec_foreign(d);
	r->target = fw_xt_new(&fw_ext_trace, NULL);
	r->verdict = FW_V_EXT;
	return 1;
}

static const struct fw_case trace_tests[] = {
	{ "", "=", FW_OK, 0, NULL },
	{ "--trace", NULL, FW_FAIL, 0, NULL },
	{ NULL },
};

const struct fw_ext fw_ext_trace = {
	.name = "TRACE",
	.kind = FW_EXT_TARGET,
	.print = trace_print,
	.to_nl = trace_to_nl,
	.from_nl = trace_from_nl,
	.tests = trace_tests,
};
