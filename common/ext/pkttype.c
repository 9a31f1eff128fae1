/* SPDX-License-Identifier: GPL-2.0-or-later */
/* pkttype match: --pkt-type unicast|broadcast|multicast|otherhost */
#include "base.h"

#include <string.h>

#include <linux/if_packet.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/xt_pkttype.h>
#include <libnftnl/expr.h>

#include "ext.h"
#include "nlmsg.h"

enum { O_PKTTYPE };

static const struct fw_opt pkttype_opts[] = {
	{ "pkt-type", O_PKTTYPE, 1, FW_OPT_INV },
	{ NULL },
};

/* Print names first; the aliases after them only parse. */
static const struct {
	const char *name;
	uint8_t type;
} pkttype_tbl[] = {
	{ "unicast", PACKET_HOST },
	{ "broadcast", PACKET_BROADCAST },
	{ "multicast", PACKET_MULTICAST },
	{ "otherhost", PACKET_OTHERHOST },
	{ "bcast", PACKET_BROADCAST },
	{ "mcast", PACKET_MULTICAST },
	{ "host", PACKET_HOST },
};

static int pkttype_parse(struct fw_pctx *p, const struct fw_opt *o,
			 char **argv)
{
	struct xt_pkttype_info *info = (struct xt_pkttype_info *)p->xt->data;
	size_t i;

	for (i = 0; i < FW_ARRAY_SIZE(pkttype_tbl); i++) {
		if (!strcasecmp(argv[0], pkttype_tbl[i].name)) {
			info->pkttype = pkttype_tbl[i].type;
			info->invert = p->inv;
			return 0;
		}
	}
	return fw_error(p->errs, p->loc, "unknown packet type '%s'", argv[0]);
}

static int pkttype_check(struct fw_pctx *p)
{
	if (!p->xt->seen)
		return fw_error(p->errs, p->loc,
				"pkttype match needs '--pkt-type'");
	return 0;
}

static void pkttype_print(const struct fw_xt *x, const struct fw_rule *r,
			  struct fw_pr *pr)
{
	const struct xt_pkttype_info *info =
		(const struct xt_pkttype_info *)x->data;
	size_t i;

	for (i = 0; i < FW_ARRAY_SIZE(pkttype_tbl); i++) {
		if (pkttype_tbl[i].type == info->pkttype) {
			fw_pr_val(pr, info->invert, "pkt-type", "%s",
				  pkttype_tbl[i].name);
			return;
		}
	}
	fw_pr_val(pr, info->invert, "pkt-type", "%d", info->pkttype);
}

extern const struct fw_ext fw_ext_pkttype;

/* nft's "meta pkttype" compare, which iptables-nft-save reads as pkttype. */
static int pkttype_from_nl(struct fw_dec *d, const struct fw_nlexpr *e)
{
	const struct fw_dreg *g = &d->reg[0];
	struct xt_pkttype_info *info;
	struct fw_xt *x;
	uint32_t len = 0, op;
	const uint8_t *v;

	if (g->kind != FW_R_META || g->key != NFT_META_PKTTYPE || g->masked ||
	    e->kind != FW_NLX_CMP)
		return 0;
	op = fw_nlx_u32(e, NFTA_CMP_OP);
	v = fw_nlx_value(e, NFTA_CMP_DATA, &len);
	if (len != 1 || (op != NFT_CMP_EQ && op != NFT_CMP_NEQ))
		return fw_dec_error(d, "a packet type compare");
	x = fw_xt_new(&fw_ext_pkttype, NULL);
	info = (struct xt_pkttype_info *)x->data;
	info->pkttype = v[0];
	info->invert = op == NFT_CMP_NEQ;
	fw_rule_add_match(d->rule, x);
	return 1;
}

static const struct fw_case pkttype_tests[] = {
	{ "--pkt-type unicast", "=", FW_OK, 0, NULL },
	{ "! --pkt-type broadcast", "=", FW_OK, 0, NULL },
	{ "--pkt-type MCAST", "--pkt-type multicast", FW_OK, 0, NULL },
	{ "--pkt-type host", "--pkt-type unicast", FW_OK, 0, NULL },
	{ "--pkt-type otherhost", "=", FW_OK, 0, NULL },
	{ "--pkt-type wrong", NULL, FW_FAIL, 0, NULL },
	{ "", NULL, FW_FAIL, 0, NULL },
	{ NULL },
};

const struct fw_ext fw_ext_pkttype = {
	.name = "pkttype",
	.kind = FW_EXT_MATCH,
	.size = sizeof(struct xt_pkttype_info),
	.opts = pkttype_opts,
	.parse = pkttype_parse,
	.check = pkttype_check,
	.print = pkttype_print,
	.from_nl = pkttype_from_nl,
	.tests = pkttype_tests,
};
