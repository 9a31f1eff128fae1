/* SPDX-License-Identifier: GPL-2.0-or-later */
/* tcp and udp matches: --sport, --dport, --tcp-flags, --syn, --tcp-option */
#include "base.h"

#include <arpa/inet.h>
#include <string.h>

#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/xt_tcpudp.h>
#include <libnftnl/expr.h>

#include "ext.h"
#include "nlmsg.h"

enum { O_SPORT, O_DPORT, O_FLAGS, O_SYN, O_OPTION };

static const struct fw_opt tcp_opts[] = {
	{ "source-port", O_SPORT, 1, FW_OPT_INV },
	{ "sport", O_SPORT, 1, FW_OPT_INV },
	{ "destination-port", O_DPORT, 1, FW_OPT_INV },
	{ "dport", O_DPORT, 1, FW_OPT_INV },
	{ "tcp-flags", O_FLAGS, 2, FW_OPT_INV },
	{ "syn", O_SYN, 0, FW_OPT_INV },
	{ "tcp-option", O_OPTION, 1, FW_OPT_INV },
	{ NULL },
};

static const struct fw_opt udp_opts[] = {
	{ "source-port", O_SPORT, 1, FW_OPT_INV },
	{ "sport", O_SPORT, 1, FW_OPT_INV },
	{ "destination-port", O_DPORT, 1, FW_OPT_INV },
	{ "dport", O_DPORT, 1, FW_OPT_INV },
	{ NULL },
};

/* TCP flag names in print order; ALL and NONE only parse. */
static const struct {
	const char *name;
	uint8_t bits;
} tcp_flag_tbl[] = {
	{ "FIN", 0x01 }, { "SYN", 0x02 }, { "RST", 0x04 }, { "PSH", 0x08 },
	{ "ACK", 0x10 }, { "URG", 0x20 }, { "ALL", 0x3f }, { "NONE", 0 },
};

/* xt_tcp and xt_udp share the port layout; udp has no flags. */
struct ports {
	uint16_t *spts, *dpts;
	uint8_t *invflags;
	bool tcp;
};

static struct ports ports_of(const struct fw_xt *x)
{
	struct ports p;

	if (!strcmp(x->ext->name, "tcp")) {
		struct xt_tcp *t = (struct xt_tcp *)x->data;

		p = (struct ports){ t->spts, t->dpts, &t->invflags, true };
	} else {
		struct xt_udp *u = (struct xt_udp *)x->data;

		p = (struct ports){ u->spts, u->dpts, &u->invflags, false };
	}
	return p;
}

static void tcpudp_init(struct fw_xt *x, const struct fw_rule *r)
{
	struct ports p = ports_of(x);

	p.spts[1] = p.dpts[1] = 0xffff;
}

static int parse_flags(struct fw_pctx *p, const char *s, uint8_t *bits)
{
	char *copy = xstrdup(s), *tok, *save = NULL;
	size_t i;

	*bits = 0;
	for (tok = strtok_r(copy, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		for (i = 0; i < FW_ARRAY_SIZE(tcp_flag_tbl); i++)
			if (!strcasecmp(tok, tcp_flag_tbl[i].name))
				break;
		if (i == FW_ARRAY_SIZE(tcp_flag_tbl)) {
			fw_error(p->errs, p->loc, "unknown TCP flag '%s'", tok);
			free(copy);
			return -1;
		}
		*bits |= tcp_flag_tbl[i].bits;
	}
	free(copy);
	return 0;
}

static int tcpudp_parse(struct fw_pctx *p, const struct fw_opt *o,
			char **argv)
{
	struct ports pt = ports_of(p->xt);
	struct xt_tcp *t = (struct xt_tcp *)p->xt->data;
	uint64_t v;

	switch (o->id) {
	case O_SPORT:
	case O_DPORT:
		if (fw_parse_port_range(p, argv[0],
					o->id == O_SPORT ? &pt.spts[0] : &pt.dpts[0],
					o->id == O_SPORT ? &pt.spts[1] : &pt.dpts[1]))
			return -1;
		if (p->inv)
			*pt.invflags |= o->id == O_SPORT ? XT_TCP_INV_SRCPT
							 : XT_TCP_INV_DSTPT;
		return 0;
	case O_SYN:
	case O_FLAGS:
		if (p->xt->seen & (1u << (o->id == O_SYN ? O_FLAGS : O_SYN)))
			return fw_error(p->errs, p->loc,
					"'--syn' and '--tcp-flags' exclude each other");
		if (o->id == O_SYN) {
			t->flg_mask = 0x17;
			t->flg_cmp = 0x02;
		} else if (parse_flags(p, argv[0], &t->flg_mask) ||
			   parse_flags(p, argv[1], &t->flg_cmp)) {
			return -1;
		}
		if (p->inv)
			t->invflags |= XT_TCP_INV_FLAGS;
		return 0;
	case O_OPTION:
		if (fw_parse_uint(p, argv[0], 255, &v))
			return -1;
		if (v == 0)
			return fw_error(p->errs, p->loc,
					"invalid TCP option '%s'", argv[0]);
		t->option = v;
		if (p->inv)
			t->invflags |= XT_TCP_INV_OPTION;
		return 0;
	}
	return 0;
}

static int tcpudp_check(struct fw_pctx *p)
{
	uint8_t want = strcmp(p->xt->ext->name, "tcp") ? 17 : 6;
	const struct fw_rule *r = p->rule;

	if (!(r->has & FW_HAS_PROTO) || r->proto != want ||
	    r->inv & FW_INV_PROTO)
		return fw_error(p->errs, p->loc, "%s match requires '-p %s'",
				p->xt->ext->name, p->xt->ext->name);
	return 0;
}

static void print_ports(struct fw_pr *pr, const uint16_t *pts, bool inv,
			const char *opt)
{
	if (pts[0] == 0 && pts[1] == 0xffff && !inv)
		return;
	if (pts[0] == pts[1])
		fw_pr_uint(pr, inv, opt, pts[0]);
	else
		fw_pr_val(pr, inv, opt, "%u:%u", pts[0], pts[1]);
}

static void flags_str(uint8_t bits, char *buf, size_t len)
{
	size_t i, n = 0;

	buf[0] = '\0';
	for (i = 0; i < 6; i++) {
		if (!(bits & tcp_flag_tbl[i].bits))
			continue;
		n += snprintf(buf + n, len - n, "%s%s", n ? "," : "",
			      tcp_flag_tbl[i].name);
	}
	if (!n)
		snprintf(buf, len, "NONE");
}

static void tcpudp_print(const struct fw_xt *x, const struct fw_rule *r,
			 struct fw_pr *pr)
{
	struct ports p = ports_of(x);
	const struct xt_tcp *t = (const struct xt_tcp *)x->data;
	char m[32], c[32];

	print_ports(pr, p.spts, *p.invflags & XT_TCP_INV_SRCPT, "sport");
	print_ports(pr, p.dpts, *p.invflags & XT_TCP_INV_DSTPT, "dport");
	if (!p.tcp)
		return;
	if (t->option || t->invflags & XT_TCP_INV_OPTION)
		fw_pr_val(pr, t->invflags & XT_TCP_INV_OPTION, "tcp-option",
			  "%u", t->option);
	if (t->flg_mask || t->invflags & XT_TCP_INV_FLAGS) {
		flags_str(t->flg_mask, m, sizeof(m));
		flags_str(t->flg_cmp, c, sizeof(c));
		fw_pr_val(pr, t->invflags & XT_TCP_INV_FLAGS, "tcp-flags",
			  "%s %s", m, c);
	}
}

/* Native encoding. */

static void enc_port(struct fw_enc *e, const uint16_t *pts, bool inv,
		     uint32_t off)
{
	uint16_t lo = htons(pts[0]), hi = htons(pts[1]);

	if (pts[0] == 0 && pts[1] == 0xffff && !inv)
		return;
	fw_enc_payload(e, NFT_PAYLOAD_TRANSPORT_HEADER, off, 2);
	if (pts[0] == pts[1])
		fw_enc_cmp(e, inv ? NFT_CMP_NEQ : NFT_CMP_EQ, &lo, 2);
	else if (pts[0] == 0 && pts[1] != 0xffff)
		fw_enc_cmp(e, inv ? NFT_CMP_GT : NFT_CMP_LTE, &hi, 2);
	else
		fw_enc_range(e, inv ? NFT_RANGE_NEQ : NFT_RANGE_EQ, &lo, &hi, 2);
}

static bool ports_given(const struct ports *p)
{
	return p->spts[0] != 0 || p->spts[1] != 0xffff || p->dpts[0] != 0 ||
	       p->dpts[1] != 0xffff || *p->invflags & (XT_TCP_INV_SRCPT |
						       XT_TCP_INV_DSTPT);
}

static int tcpudp_to_nl(struct fw_enc *e, const struct fw_xt *x)
{
	static const uint8_t zero;
	struct ports p = ports_of(x);
	const struct xt_tcp *t = (const struct xt_tcp *)x->data;
	uint8_t inv = *p.invflags;
	uint32_t both;

	if ((p.tcp && (t->option || inv & XT_TCP_INV_OPTION)) ||
	    (!ports_given(&p) && !(p.tcp && (t->flg_mask ||
					     inv & XT_TCP_INV_FLAGS))))
		return fw_enc_xt(e, x);
	if (p.tcp && (t->flg_mask || inv & XT_TCP_INV_FLAGS)) {
		fw_enc_payload(e, NFT_PAYLOAD_TRANSPORT_HEADER, 13, 1);
		fw_enc_bitwise(e, &t->flg_mask, &zero, 1);
		fw_enc_cmp(e, inv & XT_TCP_INV_FLAGS ? NFT_CMP_NEQ : NFT_CMP_EQ,
			   &t->flg_cmp, 1);
	}
	if (p.spts[0] == p.spts[1] && p.dpts[0] == p.dpts[1] &&
	    !(inv & (XT_TCP_INV_SRCPT | XT_TCP_INV_DSTPT)) &&
	    !(p.spts[0] == 0 && p.dpts[0] == 0)) {
		both = htonl((uint32_t)p.spts[0] << 16 | p.dpts[0]);
		fw_enc_payload(e, NFT_PAYLOAD_TRANSPORT_HEADER, 0, 4);
		fw_enc_cmp(e, NFT_CMP_EQ, &both, 4);
		return 0;
	}
	enc_port(e, p.spts, inv & XT_TCP_INV_SRCPT, 0);
	enc_port(e, p.dpts, inv & XT_TCP_INV_DSTPT, 2);
	return 0;
}

/* Native decoding: transport header compares, for -p tcp / -p udp. */

extern const struct fw_ext fw_ext_tcp, fw_ext_udp;

static void dec_port_cmp(uint16_t *pts, uint8_t *inv, uint8_t bit,
			 uint32_t op, uint16_t v)
{
	switch (op) {
	case NFT_CMP_NEQ:
		*inv |= bit;
		/* fall through */
	case NFT_CMP_EQ:
		pts[0] = pts[1] = v;
		break;
	case NFT_CMP_LT:
		pts[1] = v > 1 ? v - 1 : 1;
		break;
	case NFT_CMP_LTE:
		pts[1] = v;
		break;
	case NFT_CMP_GT:
		pts[0] = v < 0xffff ? v + 1 : 0xffff;
		break;
	case NFT_CMP_GTE:
		pts[0] = v;
		break;
	}
}

/*
 * A second compare of a bound already set (nft's "tcp dport 22 tcp dport
 * 23") would overwrite it: 1.8.9 prints a rule with another meaning.
 */
static bool port_taken(const uint16_t *pts, const uint8_t *inv, uint8_t bit,
		       uint32_t op)
{
	if (*inv & bit)
		return true;
	switch (op) {
	case NFT_CMP_LT:
	case NFT_CMP_LTE:
		return pts[1] != 0xffff;
	case NFT_CMP_GT:
	case NFT_CMP_GTE:
		return pts[0] != 0;
	}
	return pts[0] != 0 || pts[1] != 0xffff;
}

/*
 * "tcp dport <= 1 tcp dport > 1" merges into "--dport 2:1": a rule that
 * never matches, as 1.8.9 prints it, and a line no parser takes.
 */
static int ports_ok(struct fw_dec *d, const struct ports *p)
{
	if (p->spts[0] > p->spts[1] || p->dpts[0] > p->dpts[1])
		return fw_dec_foreign(d);
	return 1;
}

static int dec_cmp(struct fw_dec *d, struct ports *p, const struct fw_dreg *g,
		   const struct fw_nlexpr *e)
{
	uint32_t len = 0, op = fw_nlx_u32(e, NFTA_CMP_OP);
	const uint8_t *v = fw_nlx_value(e, NFTA_CMP_DATA, &len);
	struct xt_tcp *t = (struct xt_tcp *)p->spts;

	if (p->tcp && g->offset == 13 && g->len == 1 && len == 1) {
		/* 1.8.9 reads "tcp flags > 2" as an equality */
		if ((op != NFT_CMP_EQ && op != NFT_CMP_NEQ) || t->flg_mask)
			return fw_dec_foreign(d);
		t->flg_mask = g->masked ? g->mask[0] : 0xff;
		t->flg_cmp = v[0];
		if (op == NFT_CMP_NEQ)
			t->invflags |= XT_TCP_INV_FLAGS;
		return 1;
	}
	if (g->masked || (g->offset > 2 && g->offset != 13))
		return fw_dec_foreign(d);	/* 1.8.9 drops or misreads it */
	if (g->offset == 0 && g->len == 4 && len == 4) {
		if (port_taken(p->spts, p->invflags, XT_TCP_INV_SRCPT, op) ||
		    port_taken(p->dpts, p->invflags, XT_TCP_INV_DSTPT, op))
			return fw_dec_foreign(d);
		dec_port_cmp(p->spts, p->invflags, XT_TCP_INV_SRCPT, op,
			     v[0] << 8 | v[1]);
		dec_port_cmp(p->dpts, p->invflags, XT_TCP_INV_DSTPT, op,
			     v[2] << 8 | v[3]);
		return ports_ok(d, p);
	}
	if ((g->offset == 0 || g->offset == 2) && g->len == 2 && len == 2) {
		if (port_taken(g->offset ? p->dpts : p->spts, p->invflags,
			       g->offset ? XT_TCP_INV_DSTPT : XT_TCP_INV_SRCPT,
			       op))
			return fw_dec_foreign(d);
		dec_port_cmp(g->offset ? p->dpts : p->spts, p->invflags,
			     g->offset ? XT_TCP_INV_DSTPT : XT_TCP_INV_SRCPT,
			     op, v[0] << 8 | v[1]);
		return ports_ok(d, p);
	}
	return fw_dec_foreign(d);
}

static int dec_range(struct fw_dec *d, struct ports *p,
		     const struct fw_dreg *g, const struct fw_nlexpr *e)
{
	uint32_t fl, tl, op = fw_nlx_u32(e, NFTA_RANGE_OP);
	const uint8_t *f = fw_nlx_value(e, NFTA_RANGE_FROM_DATA, &fl);
	const uint8_t *t = fw_nlx_value(e, NFTA_RANGE_TO_DATA, &tl);
	uint16_t *pts = g->offset ? p->dpts : p->spts;

	if ((g->offset != 0 && g->offset != 2) || g->len != 2 || fl != 2 ||
	    tl != 2 || g->masked)
		return fw_dec_error(d, "a transport header range");
	if (port_taken(pts, p->invflags,
		       g->offset ? XT_TCP_INV_DSTPT : XT_TCP_INV_SRCPT, NFT_CMP_EQ))
		return fw_dec_foreign(d);
	pts[0] = f[0] << 8 | f[1];
	pts[1] = t[0] << 8 | t[1];
	if (op == NFT_RANGE_NEQ)
		*p->invflags |= g->offset ? XT_TCP_INV_DSTPT : XT_TCP_INV_SRCPT;
	return ports_ok(d, p);
}

static int tcpudp_from_nl(struct fw_dec *d, const struct fw_nlexpr *e,
			  const struct fw_ext *ext, uint8_t proto)
{
	const struct fw_dreg *g = &d->reg[0];
	const struct fw_rule *r = d->rule;
	struct fw_xt *x;
	struct ports p;

	if (g->kind != FW_R_PAYLOAD || g->base != NFT_PAYLOAD_TRANSPORT_HEADER)
		return 0;
	if (!(r->has & FW_HAS_PROTO) || r->proto != proto)
		return 0;
	if (e->kind != FW_NLX_CMP && e->kind != FW_NLX_RANGE)
		return 0;
	x = d->l4;
	if (!x || x->ext != ext) {
		x = fw_xt_new(ext, NULL);
		tcpudp_init(x, r);
		fw_rule_add_match(d->rule, x);
		d->l4 = x;
	}
	p = ports_of(x);
	return e->kind == FW_NLX_CMP ? dec_cmp(d, &p, g, e)
				     : dec_range(d, &p, g, e);
}

static int tcp_from_nl(struct fw_dec *d, const struct fw_nlexpr *e)
{
	return tcpudp_from_nl(d, e, &fw_ext_tcp, 6);
}

static int udp_from_nl(struct fw_dec *d, const struct fw_nlexpr *e)
{
	return tcpudp_from_nl(d, e, &fw_ext_udp, 17);
}

static const struct fw_case tcp_tests[] = {
	{ "--sport 1", "=", FW_OK, 0, "-p tcp" },
	{ "--dport 65535", "=", FW_OK, 0, "-p tcp" },
	{ "--sport 1024:", "--sport 1024:65535", FW_OK, 0, "-p tcp" },
	{ "--sport :", "", FW_OK, 0, "-p tcp" },
	{ "! --sport :", "! --sport 0:65535", FW_OK, 0, "-p tcp" },
	{ "--dport :4", "--dport 0:4", FW_OK, 0, "-p tcp" },
	{ "--dport 4:4", "--dport 4", FW_OK, 0, "-p tcp" },
	{ "--dport 4:3", NULL, FW_FAIL, 0, "-p tcp" },
	{ "--sport 65536", NULL, FW_FAIL, 0, "-p tcp" },
	{ "--sport -1", NULL, FW_FAIL, 0, "-p tcp" },
	{ "--sport 1 --dport 65535", "=", FW_OK, 0, "-p tcp" },
	{ "! --sport 1 --dport 65535", "=", FW_OK, 0, "-p tcp" },
	{ "! --sport 1 ! --dport 2", "=", FW_OK, 0, "-p tcp" },
	{ "--dport ssh", "--dport 22", FW_OK, 0, "-p tcp" },
	{ "--syn", "--tcp-flags FIN,SYN,RST,ACK SYN", FW_OK, 0, "-p tcp" },
	{ "--tcp-flags ALL NONE", "--tcp-flags FIN,SYN,RST,PSH,ACK,URG NONE",
	  FW_OK, 0, "-p tcp" },
	{ "! --tcp-flags FIN,SYN,RST,PSH,ACK,URG SYN", "=", FW_OK, 0,
	  "-p tcp" },
	{ "--tcp-flags BOGUS SYN", NULL, FW_FAIL, 0, "-p tcp" },
	{ "--dport 22 --syn", "--dport 22 --tcp-flags FIN,SYN,RST,ACK SYN",
	  FW_OK, 0, "-p tcp" },
	{ "--tcp-option 2", "=", FW_OK, 0, "-p tcp" },
	{ "! --tcp-option 2 --dport 1", "--dport 1 ! --tcp-option 2", FW_OK,
	  0, "-p tcp" },
	{ "--dport 1", NULL, FW_FAIL, 0, "" },
	{ "--dport 1", NULL, FW_FAIL, 0, "-p udp" },
	{ "", "=", FW_OK, 0, "-p tcp" },
	{ NULL },
};

static const struct fw_case udp_tests[] = {
	{ "--sport 1", "=", FW_OK, 0, "-p udp" },
	{ "--dport 1:1023", "=", FW_OK, 0, "-p udp" },
	{ "--sport :", "", FW_OK, 0, "-p udp" },
	{ "! --dport :", "! --dport 0:65535", FW_OK, 0, "-p udp" },
	{ "--sport 65535 --dport 1", "=", FW_OK, 0, "-p udp" },
	{ "! --sport 65535 --dport 1", "=", FW_OK, 0, "-p udp" },
	{ "--dport 4:3", NULL, FW_FAIL, 0, "-p udp" },
	{ "--dport 1", NULL, FW_FAIL, 0, "-p tcp" },
	{ "--syn", NULL, FW_FAIL, 0, "-p udp" },
	{ "", "=", FW_OK, 0, "-p udp" },
	{ NULL },
};

const struct fw_ext fw_ext_tcp = {
	.name = "tcp",
	.kind = FW_EXT_MATCH,
	.size = sizeof(struct xt_tcp),
	.opts = tcp_opts,
	.init = tcpudp_init,
	.parse = tcpudp_parse,
	.check = tcpudp_check,
	.print = tcpudp_print,
	.to_nl = tcpudp_to_nl,
	.from_nl = tcp_from_nl,
	.tests = tcp_tests,
};

const struct fw_ext fw_ext_udp = {
	.name = "udp",
	.kind = FW_EXT_MATCH,
	.size = sizeof(struct xt_udp),
	.opts = udp_opts,
	.init = tcpudp_init,
	.parse = tcpudp_parse,
	.check = tcpudp_check,
	.print = tcpudp_print,
	.to_nl = tcpudp_to_nl,
	.from_nl = udp_from_nl,
	.tests = udp_tests,
};
