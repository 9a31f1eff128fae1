/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fuzz target: the rule decoder on arbitrary expression lists, as a
 * foreign or hostile kernel state could hand them to fw-save. The input
 * is read as a program: a head byte (family, userdata follows), then per
 * expression a kind byte and its attributes, set through libnftnl's
 * setters, so every field can take any value; the rule then goes through
 * a message, as a dumped rule reaches the decoder. With head bit 4 the
 * rest of the input is the message's expression list itself, malformed
 * or not.
 */
#include "base.h"

#include <string.h>

#include <linux/netfilter.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nf_tables.h>
#include <libmnl/libmnl.h>
#include <libnftnl/expr.h>
#include <libnftnl/rule.h>

#include "codec.h"
#include "ext.h"
#include "nlmsg.h"
#include "print.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

struct in {
	const uint8_t *p;
	size_t left;
};

static uint32_t take(struct in *in, size_t n)
{
	uint32_t v = 0;

	if (n > in->left)
		n = in->left;
	memcpy(&v, in->p, n);
	in->p += n;
	in->left -= n;
	return v;
}

/* A data blob: a length byte (0..16, or up to 256 for xt info), bytes. */
static void take_data(struct in *in, struct nftnl_expr *e, uint16_t attr,
		      size_t max)
{
	uint8_t buf[256] = { 0 };
	size_t n = take(in, 1) % (max + 1);

	if (n > in->left)
		n = in->left;
	memcpy(buf, in->p, n);
	in->p += n;
	in->left -= n;
	if (max > 16)	/* xt info: libnftnl keeps and frees the buffer */
		nftnl_expr_set(e, attr, xmemdup(buf, n ? n : 1), n);
	else
		nftnl_expr_set(e, attr, buf, n);
}

/* The kernel name of the n-th registered ext of a kind (any n), or junk. */
static const char *xt_name(uint32_t n, enum fw_ext_kind kind)
{
	const struct fw_ext *const *x;
	unsigned count = 0;

	for (x = fw_exts; *x; x++)
		count += (*x)->kind == kind;
	n %= count + 1;
	for (x = fw_exts; *x; x++)
		if ((*x)->kind == kind && !n--)
			return fw_ext_kname(*x);
	return "bogus";
}

static struct nftnl_expr *one_expr(struct in *in)
{
	static const char *const kinds[] = {
		"meta", "payload", "cmp", "bitwise", "range", "immediate",
		"counter", "match", "target", "limit", "log", "lookup", "ct",
	};
	const char *kind = kinds[take(in, 1) % FW_ARRAY_SIZE(kinds)];
	struct nftnl_expr *e = nftnl_expr_alloc(kind);
	uint32_t pick;

	if (!e)
		return NULL;
	switch (kind[0] << 8 | kind[1]) {
	case 'm' << 8 | 'e':
		nftnl_expr_set_u32(e, NFTNL_EXPR_META_KEY, take(in, 1));
		nftnl_expr_set_u32(e, take(in, 1) & 1 ? NFTNL_EXPR_META_SREG
						      : NFTNL_EXPR_META_DREG,
				   take(in, 1) % 16);
		break;
	case 'p' << 8 | 'a':
		nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_DREG, take(in, 1) % 16);
		nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_BASE, take(in, 1) % 4);
		nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_OFFSET, take(in, 1));
		nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_LEN, take(in, 1) % 20);
		break;
	case 'c' << 8 | 'm':
		nftnl_expr_set_u32(e, NFTNL_EXPR_CMP_SREG, take(in, 1) % 16);
		nftnl_expr_set_u32(e, NFTNL_EXPR_CMP_OP, take(in, 1) % 8);
		take_data(in, e, NFTNL_EXPR_CMP_DATA, 16);
		break;
	case 'b' << 8 | 'i':
		nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_SREG, 1);
		nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_DREG, 1);
		nftnl_expr_set_u32(e, NFTNL_EXPR_BITWISE_LEN, take(in, 1) % 20);
		take_data(in, e, NFTNL_EXPR_BITWISE_MASK, 16);
		take_data(in, e, NFTNL_EXPR_BITWISE_XOR, 16);
		break;
	case 'r' << 8 | 'a':
		nftnl_expr_set_u32(e, NFTNL_EXPR_RANGE_OP, take(in, 1) % 3);
		take_data(in, e, NFTNL_EXPR_RANGE_FROM_DATA, 16);
		take_data(in, e, NFTNL_EXPR_RANGE_TO_DATA, 16);
		break;
	case 'i' << 8 | 'm':
		pick = take(in, 1);
		nftnl_expr_set_u32(e, NFTNL_EXPR_IMM_DREG, pick % 16);
		if (pick & 0x80) {
			int v = (int)take(in, 4);

			nftnl_expr_set_u32(e, NFTNL_EXPR_IMM_VERDICT, v);
			/* libnftnl frees the chain of jump and goto only */
			if (pick & 0x40 && (v == -3 || v == -4))
				nftnl_expr_set_str(e, NFTNL_EXPR_IMM_CHAIN, "X");
		} else {
			take_data(in, e, NFTNL_EXPR_IMM_DATA, 16);
		}
		break;
	case 'c' << 8 | 'o':
		nftnl_expr_set_u64(e, NFTNL_EXPR_CTR_PACKETS, take(in, 4));
		nftnl_expr_set_u64(e, NFTNL_EXPR_CTR_BYTES, take(in, 4));
		break;
	case 'm' << 8 | 'a':
	case 't' << 8 | 'a':
		pick = kind[0] == 'm' ? NFTNL_EXPR_MT_NAME : NFTNL_EXPR_TG_NAME;
		nftnl_expr_set_str(e, pick, xt_name(take(in, 1), kind[0] == 'm'
							 ? FW_EXT_MATCH
							 : FW_EXT_TARGET));
		nftnl_expr_set_u32(e, pick + 1, take(in, 1) % 5);
		take_data(in, e, pick + 2, 255);
		break;
	case 'l' << 8 | 'i':
		nftnl_expr_set_u64(e, NFTNL_EXPR_LIMIT_RATE, take(in, 4));
		nftnl_expr_set_u64(e, NFTNL_EXPR_LIMIT_UNIT, take(in, 4));
		nftnl_expr_set_u32(e, NFTNL_EXPR_LIMIT_BURST, take(in, 2));
		nftnl_expr_set_u32(e, NFTNL_EXPR_LIMIT_TYPE, take(in, 1) % 2);
		nftnl_expr_set_u32(e, NFTNL_EXPR_LIMIT_FLAGS, take(in, 1) % 2);
		break;
	case 'l' << 8 | 'o':
		pick = take(in, 1);
		if (pick & 1)
			nftnl_expr_set_u16(e, NFTNL_EXPR_LOG_GROUP, take(in, 2));
		if (pick & 2)
			nftnl_expr_set_str(e, NFTNL_EXPR_LOG_PREFIX, "p x");
		if (pick & 4)
			nftnl_expr_set_u32(e, NFTNL_EXPR_LOG_SNAPLEN, take(in, 4));
		if (pick & 8)
			nftnl_expr_set_u16(e, NFTNL_EXPR_LOG_QTHRESHOLD, take(in, 2));
		if (pick & 16)
			nftnl_expr_set_u32(e, NFTNL_EXPR_LOG_LEVEL, take(in, 1));
		break;
	default:
		break;
	}
	return e;
}

/* The rest of in as nr's NFTA_RULE_EXPRESSIONS, then read into m. */
static void raw_exprs(struct in *in, const struct nftnl_rule *nr,
		      char *msg, struct fw_nlrule *m)
{
	struct nlmsghdr *nlh;
	size_t n = in->left < 4096 ? in->left : 4096;

	memset(msg, 0, 8192);
	nlh = nftnl_nlmsg_build_hdr(msg, NFT_MSG_NEWRULE, NFPROTO_IPV4, 0, 1);
	nftnl_rule_nlmsg_build_payload(nlh, (struct nftnl_rule *)nr);
	mnl_attr_put(nlh, NFTA_RULE_EXPRESSIONS | NLA_F_NESTED, n, in->p);
	if (fw_nlrule_parse(nlh, m) < 0)
		memset(m, 0, sizeof(*m));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct in in = { data, len };
	struct nftnl_rule *nr = nftnl_rule_alloc();
	uint32_t head = take(&in, 1);
	int family = head & 1 ? 10 : 2;
	struct fw_buf b = FW_BUF_INIT;
	struct fw_errs *errs;
	struct fw_rule *r;
	static char msg[1 << 16];
	struct fw_nlrule m;
	struct nftnl_expr *e;
	unsigned n = 0;
	uint8_t udata[256];
	size_t ulen;

	/* rule userdata (TLVs, as nft writes a comment), any bytes */
	if (head & 2) {
		ulen = take(&in, 1);
		if (ulen > in.left)
			ulen = in.left;
		memcpy(udata, in.p, ulen);
		in.p += ulen;
		in.left -= ulen;
		nftnl_rule_set_data(nr, NFTNL_RULE_USERDATA, udata, ulen);
	}
	if (head & 4)
		raw_exprs(&in, nr, msg, &m);
	else {
		while (in.left && n++ < 64 && (e = one_expr(&in)))
			nftnl_rule_add_expr(nr, e);
		fw_nlrule_from_nftnl(nr, msg, sizeof(msg), &m);
	}
	errs = fw_errs_new();
	r = fw_rule_new(family);
	if (fw_rule_decode(&m, r, errs, "fuzz") == FW_DECODE_OK)
		fw_rule_print(r, &b);
	fw_buf_release(&b);
	fw_rule_free(r);
	fw_errs_free(errs);
	nftnl_rule_free(nr);
	return 0;
}
