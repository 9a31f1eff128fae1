/* SPDX-License-Identifier: GPL-2.0-or-later */
/* rule -> nftnl expressions, in the order and form iptables-nft 1.8.9 uses */
#include "base.h"

#include <endian.h>
#include <string.h>
#include <arpa/inet.h>

#include <linux/netfilter.h>
#include <linux/netlink.h>
#include <linux/netfilter/nf_tables.h>
#include <libnftnl/expr.h>
#include <libnftnl/rule.h>

#include "codec.h"
#include "ext.h"
#include "nlmsg.h"
#include "nl.h"

static void enc_iface(struct fw_enc *e, const char *name, bool inv, bool any,
		      uint32_t key)
{
	size_t len = strlen(name);

	fw_enc_meta(e, key);
	if (any)
		return;		/* "-i +": 1.8.9 leaves a bare load */
	if (inv && !strcmp(name, "+")) {
		fw_enc_cmp(e, NFT_CMP_EQ, "INVAL/D", 8);
		return;
	}
	if (name[len - 1] == '+')
		len--;		/* wildcard: compare the prefix only */
	else
		len++;		/* exact: the name and its NUL */
	fw_enc_cmp(e, inv ? NFT_CMP_NEQ : NFT_CMP_EQ, name, len);
}

static void enc_addr(struct fw_enc *e, const struct fw_addr *a, bool inv,
		     uint32_t off)
{
	static const uint8_t zero[16];
	unsigned len = fw_addr_len(e->rule->family);
	int prefix = fw_mask_prefix(a->m, len);
	uint32_t op = inv ? NFT_CMP_NEQ : NFT_CMP_EQ;

	if (prefix == 0 && !inv)
		return;
	if (prefix >= 0 && prefix % 8 == 0) {
		fw_enc_payload(e, NFT_PAYLOAD_NETWORK_HEADER, off, prefix / 8);
		fw_enc_cmp(e, op, a->a, prefix / 8);
		return;
	}
	fw_enc_payload(e, NFT_PAYLOAD_NETWORK_HEADER, off, len);
	fw_enc_bitwise(e, a->m, zero, len);
	fw_enc_cmp(e, op, a->a, len);
}

static void enc_base(struct fw_enc *e, const struct fw_rule *r)
{
	static const uint8_t frag_mask[2] = { 0x1f, 0xff }, zero[2];
	bool v6 = r->family == FW_AF_IPV6;

	if (r->has & FW_HAS_IN)
		enc_iface(e, r->iniface, r->inv & FW_INV_IN,
			  r->has & FW_IN_ANY, NFT_META_IIFNAME);
	if (r->has & FW_HAS_OUT)
		enc_iface(e, r->outiface, r->inv & FW_INV_OUT,
			  r->has & FW_OUT_ANY, NFT_META_OIFNAME);
	if (r->has & FW_HAS_PROTO && r->proto) {
		fw_enc_meta(e, NFT_META_L4PROTO);
		fw_enc_cmp(e, r->inv & FW_INV_PROTO ? NFT_CMP_NEQ : NFT_CMP_EQ,
			   &r->proto, 1);
	}
	if (r->has & FW_HAS_SRC)
		enc_addr(e, &r->src, r->inv & FW_INV_SRC, v6 ? 8 : 12);
	if (r->has & FW_HAS_DST)
		enc_addr(e, &r->dst, r->inv & FW_INV_DST, v6 ? 24 : 16);
	if (r->has & FW_HAS_FRAG) {
		fw_enc_payload(e, NFT_PAYLOAD_NETWORK_HEADER, 6, 2);
		fw_enc_bitwise(e, frag_mask, zero, 2);
		fw_enc_cmp(e, r->inv & FW_INV_FRAG ? NFT_CMP_EQ : NFT_CMP_NEQ,
			   zero, 2);
	}
}

static void enc_counter(struct fw_enc *e, const struct fw_rule *r)
{
	struct nftnl_expr *x;
	struct nlattr *n;

	if (e->nlh) {
		n = fw_enc_begin(e, "counter");
		fw_nla_put_u64(e->nlh, NFTA_COUNTER_BYTES, htobe64(r->bytes));
		fw_nla_put_u64(e->nlh, NFTA_COUNTER_PACKETS, htobe64(r->pkts));
		fw_enc_end(e, n);
		return;
	}
	x = nftnl_expr_alloc("counter");

	if (!x)
		FW_BUG("nftnl_expr_alloc(counter) failed");
	nftnl_expr_set_u64(x, NFTNL_EXPR_CTR_PACKETS, r->pkts);
	nftnl_expr_set_u64(x, NFTNL_EXPR_CTR_BYTES, r->bytes);
	fw_enc_add(e, x);
}

/* immediate: DREG, DATA { VERDICT { CODE, CHAIN } } */
static void enc_verdict_direct(struct fw_enc *e, int v, const char *chain)
{
	struct nlattr *n = fw_enc_begin(e, "immediate"), *data, *verdict;

	fw_nla_put_u32(e->nlh, NFTA_IMMEDIATE_DREG, htonl(NFT_REG_VERDICT));
	data = fw_nla_nest_start(e->nlh, NFTA_IMMEDIATE_DATA);
	verdict = fw_nla_nest_start(e->nlh, NFTA_DATA_VERDICT);
	fw_nla_put_u32(e->nlh, NFTA_VERDICT_CODE, htonl((uint32_t)v));
	if (chain)
		fw_nla_put_strz(e->nlh, NFTA_VERDICT_CHAIN, chain);
	fw_nla_nest_end(e->nlh, verdict);
	fw_nla_nest_end(e->nlh, data);
	fw_enc_end(e, n);
}

static void enc_verdict(struct fw_enc *e, const struct fw_rule *r)
{
	struct nftnl_expr *x;
	int v;

	switch (r->verdict) {
	case FW_V_ACCEPT:
		v = NF_ACCEPT;
		break;
	case FW_V_DROP:
		v = NF_DROP;
		break;
	case FW_V_RETURN:
		v = NFT_RETURN;
		break;
	case FW_V_JUMP:
		v = NFT_JUMP;
		break;
	case FW_V_GOTO:
		v = NFT_GOTO;
		break;
	default:
		return;
	}
	if (e->nlh) {
		enc_verdict_direct(e, v, r->chain);
		return;
	}
	x = nftnl_expr_alloc("immediate");
	if (!x)
		FW_BUG("nftnl_expr_alloc(immediate) failed");
	nftnl_expr_set_u32(x, NFTNL_EXPR_IMM_DREG, NFT_REG_VERDICT);
	nftnl_expr_set_u32(x, NFTNL_EXPR_IMM_VERDICT, v);
	if (r->chain)
		nftnl_expr_set_str(x, NFTNL_EXPR_IMM_CHAIN, r->chain);
	fw_enc_add(e, x);
}

/*
 * FW_TEST_HIDE_REVS="NAME:REV,..." makes fw act as on a kernel without
 * those revisions: only for tests of the older-revision fallback. Read
 * once: this runs for every compat match and target.
 */
static bool hidden_rev(const char *name, uint32_t rev)
{
	static const char *hide;
	static bool read;
	const char *h;
	char want[64];
	size_t n;

	if (!read) {
		hide = getenv("FW_TEST_HIDE_REVS");
		read = true;
	}
	h = hide;
	if (!h)
		return false;
	n = snprintf(want, sizeof(want), "%s:%u", name, rev);
	for (; *h; h += strcspn(h, ","), h += *h == ',')
		if (!strncmp(h, want, n) && (h[n] == ',' || !h[n]))
			return true;
	return false;
}

/* 1: the kernel knows this revision; 0: it does not; -1: no answer. */
static int probe(struct fw_enc *e, const struct fw_xt *x, uint32_t rev)
{
	if (hidden_rev(fw_ext_kname(x->ext), rev))
		return 0;
	return fw_nl_compat_probe(e->nl, e->rule->family, fw_ext_kname(x->ext),
				  rev, x->ext->kind == FW_EXT_TARGET);
}

/*
 * Ask the kernel, highest revision first, as iptables does: x itself when
 * it knows x's revision, else x rewritten for the highest older one it
 * knows (*old, for the caller to free). 0, or -1 with an error at x.
 */
static int pick_revision(struct fw_enc *e, const struct fw_xt *x,
			 struct fw_xt **old)
{
	const char *what = x->ext->kind == FW_EXT_TARGET ? "target" : "match";
	const struct fw_xt_rev *r;
	unsigned len;

	*old = NULL;
	if (!e->nl || probe(e, x, x->revision) != 0)
		return 0;	/* known, or no answer: let the kernel say */
	for (r = x->ext->older; r && r->size; r++) {
		if (probe(e, x, r->revision) <= 0)
			continue;
		len = FW_XT_ALIGN(r->size);
		*old = xzalloc(sizeof(**old) + len);
		(*old)->ext = x->ext;
		(*old)->loc = x->loc;
		(*old)->revision = r->revision;
		(*old)->len = len;
		if (r->down(x, (*old)->data) == 0)
			return 0;
		free(*old);
		*old = NULL;
		return fw_error(e->errs, &x->loc, "the kernel has %s '%s' up to "
				"revision %u only, which cannot express this",
				what, fw_ext_kname(x->ext), r->revision);
	}
	return fw_error(e->errs, &x->loc, "the kernel has no %s '%s' "
			"revision %u (module xt_%s missing?)", what,
			fw_ext_kname(x->ext), x->revision, fw_ext_kname(x->ext));
}

static int enc_xt(struct fw_enc *e, const struct fw_xt *x)
{
	struct fw_xt *old;
	int rc;

	if (x->ext->to_nl)
		return x->ext->to_nl(e, x);
	if (pick_revision(e, x, &old))
		return -1;
	rc = fw_enc_xt(e, old ? old : x);
	free(old);
	return rc;
}

/* The expressions of r, in iptables' order. 0 or -1. */
static int enc_exprs(struct fw_enc *e, const struct fw_rule *r)
{
	const struct fw_xt *x;
	int rc = 0;

	enc_base(e, r);
	for (x = r->matches; x; x = x->next)
		rc |= enc_xt(e, x);
	enc_counter(e, r);
	if (r->verdict == FW_V_EXT)
		rc |= enc_xt(e, r->target);
	else
		enc_verdict(e, r);
	return rc ? -1 : 0;
}

int fw_rule_encode(const struct fw_rule *r, struct nftnl_rule *nr,
		   struct fw_nl *nl, struct fw_errs *errs)
{
	struct fw_enc e = { .nr = nr, .rule = r, .nl = nl, .errs = errs };

	nftnl_rule_set_u32(nr, NFTNL_RULE_COMPAT_PROTO,
			   r->has & FW_HAS_PROTO ? r->proto : 0);
	nftnl_rule_set_u32(nr, NFTNL_RULE_COMPAT_FLAGS,
			   r->inv & FW_INV_PROTO ? NFT_RULE_COMPAT_F_INV : 0);
	return enc_exprs(&e, r);
}

int fw_rule_encode_msg(const struct fw_rule *r, struct nlmsghdr *nlh,
		       struct fw_nl *nl, struct fw_errs *errs)
{
	struct fw_enc e = { .rule = r, .nl = nl, .errs = errs, .nlh = nlh };
	struct nlattr *nest;
	int rc;

	nest = fw_nla_nest_start(nlh, NFTA_RULE_EXPRESSIONS);
	rc = enc_exprs(&e, r);
	fw_enc_flush(&e);
	fw_nla_nest_end(nlh, nest);
	nest = fw_nla_nest_start(nlh, NFTA_RULE_COMPAT);
	fw_nla_put_u32(nlh, NFTA_RULE_COMPAT_PROTO,
			 htonl(r->has & FW_HAS_PROTO ? r->proto : 0));
	fw_nla_put_u32(nlh, NFTA_RULE_COMPAT_FLAGS,
			 htonl(r->inv & FW_INV_PROTO ? NFT_RULE_COMPAT_F_INV
						     : 0));
	fw_nla_nest_end(nlh, nest);
	return rc;
}
