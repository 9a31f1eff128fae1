/* SPDX-License-Identifier: GPL-2.0-or-later */
/* rule messages -> rule: register tracking, base matches, dispatch */
#include "base.h"

#include <string.h>

#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/xt_comment.h>
#include <linux/netfilter/nf_tables_compat.h>
#include <libnftnl/udata.h>

#include "codec.h"
#include "ext.h"
#include "nlmsg.h"

/*
 * Expressions iptables-nft-save understands at all (else the table is
 * incompatible): the kinds of nlmsg.h. Unlike 1.8.9, "lookup" is not
 * among them: 1.8.9 drops a set lookup silently and prints a rule that
 * matches everything. limit counts packets only, and log is NFLOG only
 * with a group.
 */
static bool known_form(const struct fw_nlexpr *e)
{
	if (e->kind == FW_NLX_LIMIT)
		return fw_nlx_u32(e, NFTA_LIMIT_TYPE) == NFT_LIMIT_PKTS &&
		       !fw_nlx_u32(e, NFTA_LIMIT_FLAGS);
	if (e->kind == FW_NLX_LOG)
		return fw_nlx_has(e, NFTA_LOG_GROUP);
	return e->kind != FW_NLX_OTHER;
}

static bool all_known(const struct fw_nlexpr *v, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (!known_form(&v[i]))
			return false;
	return true;
}

/* Most rules have a few expressions: room for them on the stack. */
#define STACK_EXPRS	32

/*
 * nr's expressions in *v: the stack array, or a heap one (*heap, to
 * free) for a long rule. Their number, or -1 for a malformed list.
 */
static int read_exprs(const struct fw_nlrule *nr, struct fw_nlexpr *stack,
		      struct fw_nlexpr **v, struct fw_nlexpr **heap)
{
	int n = fw_nlrule_exprs(nr, stack, STACK_EXPRS);

	*v = stack;
	*heap = NULL;
	if (n > STACK_EXPRS) {
		*v = *heap = xmalloc((size_t)n * sizeof(**heap));
		n = fw_nlrule_exprs(nr, *heap, (unsigned)n);
	}
	return n;
}


/* State of one rule's decode. */
struct dstate {
	struct fw_dec d;
	bool pending;		/* a meta iif/oifname load not yet compared */
};

static void flush_pending(struct dstate *s)
{
	struct fw_rule *r = s->d.rule;

	if (!s->pending || s->d.reg[0].kind != FW_R_META)
		goto out;
	if (s->d.reg[0].key == NFT_META_IIFNAME) {
		r->has |= FW_HAS_IN | FW_IN_ANY;
		strcpy(r->iniface, "+");
	} else if (s->d.reg[0].key == NFT_META_OIFNAME) {
		r->has |= FW_HAS_OUT | FW_OUT_ANY;
		strcpy(r->outiface, "+");
	}
out:
	s->pending = false;
}

static void load_meta(struct dstate *s, const struct fw_nlexpr *e)
{
	flush_pending(s);
	memset(&s->d.reg[0], 0, sizeof(s->d.reg[0]));
	s->d.reg[0].kind = FW_R_META;
	s->d.reg[0].key = fw_nlx_u32(e, NFTA_META_KEY);
	s->pending = true;
}

static void load_payload(struct dstate *s, const struct fw_nlexpr *e)
{
	struct fw_dreg *g = &s->d.reg[0];

	flush_pending(s);
	memset(g, 0, sizeof(*g));
	g->kind = FW_R_PAYLOAD;
	g->base = fw_nlx_u32(e, NFTA_PAYLOAD_BASE);
	g->offset = fw_nlx_u32(e, NFTA_PAYLOAD_OFFSET);
	g->len = fw_nlx_u32(e, NFTA_PAYLOAD_LEN);
}

static int load_bitwise(struct dstate *s, const struct fw_nlexpr *e)
{
	struct fw_dreg *g = &s->d.reg[0];
	const void *m, *x;
	uint32_t ml = 0, xl = 0;

	m = fw_nlx_value(e, NFTA_BITWISE_MASK, &ml);
	x = fw_nlx_value(e, NFTA_BITWISE_XOR, &xl);
	if (!m || !x || ml > 16 || xl > 16 || g->kind == FW_R_NONE)
		return fw_dec_error(&s->d, "a bitwise operation");
	memcpy(g->mask, m, ml);
	memcpy(g->xor, x, xl);
	g->masked = true;
	return 0;
}

static int dec_iface(struct dstate *s, const void *data, uint32_t len,
		     uint32_t op, bool in)
{
	struct fw_rule *r = s->d.rule;
	char *dst = in ? r->iniface : r->outiface;
	const char *p = data;

	if (len == 0)
		return fw_dec_error(&s->d, "an interface name of %u bytes", len);
	/*
	 * 1.8.9 prints a name it did not terminate (a 15- or 16-byte
	 * prefix, or longer) and keeps only the last of two compares.
	 */
	if (r->has & (in ? FW_HAS_IN : FW_HAS_OUT) || len > IFNAMSIZ ||
	    (len >= IFNAMSIZ - 1 && p[len - 1] != '\0'))
		return fw_dec_foreign(&s->d);
	r->has |= in ? FW_HAS_IN : FW_HAS_OUT;
	if (op == NFT_CMP_EQ && len == 8 && !memcmp(p, "INVAL/D", 8)) {
		strcpy(dst, "+");
		r->inv |= in ? FW_INV_IN : FW_INV_OUT;
		return 0;
	}
	if (op == NFT_CMP_NEQ)
		r->inv |= in ? FW_INV_IN : FW_INV_OUT;
	if (p[len - 1] == '\0') {
		memcpy(dst, p, len);
	} else {
		memcpy(dst, p, len);
		dst[len] = '+';
		dst[len + 1] = '\0';
	}
	return 0;
}

static int dec_addr(struct dstate *s, const void *data, uint32_t len,
		    uint32_t op, bool src)
{
	struct fw_rule *r = s->d.rule;
	struct fw_dreg *g = &s->d.reg[0];
	struct fw_addr *a = src ? &r->src : &r->dst;
	unsigned alen = fw_addr_len(r->family);

	if (len > alen || len != g->len)
		return fw_dec_error(&s->d, "an address compare of %u bytes", len);
	if (r->has & (src ? FW_HAS_SRC : FW_HAS_DST))
		return fw_dec_foreign(&s->d);	/* 1.8.9 keeps the last */
	memset(a, 0, sizeof(*a));
	memcpy(a->a, data, len);
	if (g->masked)
		memcpy(a->m, g->mask, len);
	else
		memset(a->m, 0xff, len);
	r->has |= src ? FW_HAS_SRC : FW_HAS_DST;
	if (op == NFT_CMP_NEQ)
		r->inv |= src ? FW_INV_SRC : FW_INV_DST;
	return 0;
}

static int dec_proto(struct dstate *s, const void *data, uint32_t len,
		     uint32_t op)
{
	struct fw_rule *r = s->d.rule;

	if (len != 1)
		return fw_dec_error(&s->d, "a protocol compare");
	/* 1.8.9 reads "meta l4proto > 5" as an equality, keeps the last */
	if (op != NFT_CMP_EQ && op != NFT_CMP_NEQ)
		return fw_dec_foreign(&s->d);
	if (r->has & FW_HAS_PROTO &&
	    (r->proto != *(const uint8_t *)data ||
	     !(r->inv & FW_INV_PROTO) != (op == NFT_CMP_EQ)))
		return fw_dec_foreign(&s->d);
	r->proto = *(const uint8_t *)data;
	r->has |= FW_HAS_PROTO;
	if (op == NFT_CMP_NEQ)
		r->inv |= FW_INV_PROTO;
	return 0;
}

/* The base parts: interfaces, protocol, addresses, fragment. 1 if taken. */
static int dec_base_cmp(struct dstate *s, const void *data, uint32_t len,
			uint32_t op)
{
	struct fw_dreg *g = &s->d.reg[0];
	bool v6 = s->d.rule->family == FW_AF_IPV6;

	if (g->kind == FW_R_META && !g->masked) {
		switch (g->key) {
		case NFT_META_IIFNAME:
		case NFT_META_OIFNAME:
			if (op != NFT_CMP_EQ && op != NFT_CMP_NEQ)
				return fw_dec_foreign(&s->d);
			return dec_iface(s, data, len, op,
					 g->key == NFT_META_IIFNAME) ?: 1;
		case NFT_META_L4PROTO:
			return dec_proto(s, data, len, op) ?: 1;
		case NFT_META_IIF:
		case NFT_META_OIF:
			/*
			 * An interface index: 1.8.9 prints the name it has
			 * on this host now (or nothing), a rule by name.
			 */
			return fw_dec_foreign(&s->d);
		}
		return 0;
	}
	if (g->kind != FW_R_PAYLOAD || g->base != NFT_PAYLOAD_NETWORK_HEADER)
		return 0;
	if ((g->offset == (v6 ? 8u : 12u) || g->offset == (v6 ? 24u : 16u) ||
	     (!g->masked && g->len == 1 && g->offset == 9u && !v6)) &&
	    op != NFT_CMP_EQ && op != NFT_CMP_NEQ)
		return fw_dec_foreign(&s->d);	/* 1.8.9 prints an equality */
	if (op != NFT_CMP_EQ && op != NFT_CMP_NEQ)
		return 0;
	if (g->offset == (v6 ? 8u : 12u) || g->offset == (v6 ? 24u : 16u))
		return dec_addr(s, data, len, op,
				g->offset == (v6 ? 8u : 12u)) ?: 1;
	if (!g->masked && g->len == 1 && g->offset == 9u && !v6)
		return dec_proto(s, data, len, op) ?: 1;
	/*
	 * The IPv6 next header is the protocol only without extension
	 * headers: no iptables writes it, 1.8.9 reads it as "-p P -m hl".
	 */
	if (v6 && g->offset == 6)
		return fw_dec_foreign(&s->d);
	if (!v6 && g->offset == 6 && g->len == 2 && g->masked &&
	    g->mask[0] == 0x1f && g->mask[1] == 0xff && len == 2 &&
	    !((const uint8_t *)data)[0] && !((const uint8_t *)data)[1]) {
		s->d.rule->has |= FW_HAS_FRAG;
		if (op == NFT_CMP_EQ)
			s->d.rule->inv |= FW_INV_FRAG;
		return 1;
	}
	return 0;
}

/* "cannot express" naming what was compared: a meta key, header bytes. */
static int what_error(struct dstate *s, const char *name)
{
	static const char *const bases[] = { "link", "network", "transport",
					     "inner" };
	const struct fw_dreg *g = &s->d.reg[0];

	if (strcmp(name, "cmp") && strcmp(name, "range"))
		return fw_dec_error(&s->d, "the expression '%s'", name);
	if (g->kind == FW_R_META)
		return fw_dec_error(&s->d, "a %s on meta key %u", name, g->key);
	if (g->kind == FW_R_PAYLOAD)
		return fw_dec_error(&s->d, "a %s%s on %u bytes at offset %u of "
				    "the %s header", name,
				    g->masked ? " under a mask" : "", g->len,
				    g->offset, g->base < FW_ARRAY_SIZE(bases)
				    ? bases[g->base] : "unknown");
	return fw_dec_error(&s->d, "a %s of nothing loaded", name);
}

/* The extensions with a from_nl(), in registry order (found once). */
static const struct fw_ext *const *nl_exts(void)
{
	static const struct fw_ext *list[64];
	static bool done;
	const struct fw_ext *const *x;
	unsigned n = 0;

	if (done)
		return list;
	for (x = fw_exts; *x; x++)
		if ((*x)->from_nl) {
			if (n == FW_ARRAY_SIZE(list) - 1)
				FW_BUG("more than %u decoding extensions", n);
			list[n++] = *x;
		}
	done = true;
	return list;
}

static int offer_exts(struct dstate *s, const struct fw_nlexpr *e)
{
	const struct fw_ext *const *x;
	int rc;

	for (x = nl_exts(); *x; x++) {
		if ((*x)->family && (*x)->family != s->d.rule->family)
			continue;
		rc = (*x)->from_nl(&s->d, e);
		if (rc)
			return rc < 0 ? -1 : 0;
	}
	return what_error(s, e->name);
}

static int dec_cmp(struct dstate *s, const struct fw_nlexpr *e)
{
	uint32_t len, op = fw_nlx_u32(e, NFTA_CMP_OP);
	const void *data = fw_nlx_value(e, NFTA_CMP_DATA, &len);
	int rc;

	s->pending = false;
	rc = dec_base_cmp(s, data, len, op);
	if (rc)
		return rc < 0 ? -1 : 0;
	return offer_exts(s, e);
}

static int dec_verdict(struct dstate *s, const struct fw_nlexpr *e)
{
	struct fw_rule *r = s->d.rule;
	const char *chain;
	int32_t code;

	if (r->verdict != FW_V_NONE)
		return fw_dec_foreign(&s->d);	/* e.g. nft's "log group 1 accept" */
	if (!fw_nlx_verdict(e, NFTA_IMMEDIATE_DATA, &code, &chain))
		return fw_dec_error(&s->d, "an immediate verdict");
	switch (code) {
	case NF_ACCEPT:
		r->verdict = FW_V_ACCEPT;
		return 0;
	case NF_DROP:
		r->verdict = FW_V_DROP;
		return 0;
	case NFT_RETURN:
		r->verdict = FW_V_RETURN;
		return 0;
	case NFT_JUMP:
	case NFT_GOTO:
		if (!chain)
			return fw_dec_error(&s->d, "a jump without a chain");
		r->verdict = code == NFT_JUMP ? FW_V_JUMP : FW_V_GOTO;
		r->chain = xstrdup(chain);
		return 0;
	case NFT_CONTINUE:
		return 0;	/* as no verdict: 1.8.9 prints no target */
	}
	/* queue, break, ...: 1.8.9 prints no target, another meaning */
	return fw_dec_foreign(&s->d);
}

static int dec_immediate(struct dstate *s, const struct fw_nlexpr *e)
{
	struct fw_dreg *g = &s->d.reg[1];
	const void *data;
	uint32_t len;

	if (fw_nlx_u32(e, NFTA_IMMEDIATE_DREG) == NFT_REG_VERDICT)
		return dec_verdict(s, e);
	data = fw_nlx_value(e, NFTA_IMMEDIATE_DATA, &len);
	if (!data || len > sizeof(g->imm))
		return fw_dec_error(&s->d, "an immediate value");
	memset(g, 0, sizeof(*g));
	g->kind = FW_R_IMM;
	g->key = fw_nlx_u32(e, NFTA_IMMEDIATE_DREG);
	memcpy(g->imm, data, len);
	g->imm_len = len;
	return 0;
}

/* A compat match or target; info (len bytes) aligned for its struct. */
static int dec_xt_info(struct dstate *s, const struct fw_nlexpr *e, bool tg,
		       const void *info, uint32_t len)
{
	struct fw_rule *r = s->d.rule;
	const char *name = fw_nlx_str(e, tg ? NFTA_TARGET_NAME
					  : NFTA_MATCH_NAME);
	uint32_t rev = fw_nlx_u32(e, tg ? NFTA_TARGET_REV : NFTA_MATCH_REV);
	enum fw_ext_kind kind = tg ? FW_EXT_TARGET : FW_EXT_MATCH;
	const struct fw_xt_rev *older = NULL;
	const struct fw_ext *ext;
	struct fw_xt *x;

	if (!name)
		name = "";
	ext = fw_ext_find_xt(name, rev, kind, r->family, info, len);
	if (!ext)	/* written for an older kernel? */
		ext = fw_ext_find_xt_older(name, rev, kind, r->family, len,
					   &older);
	if (!ext)
		return fw_dec_error(&s->d, "%s '%s' revision %u (%u bytes)",
				    tg ? "target" : "match", name, rev, len);
	if (tg && r->verdict != FW_V_NONE)
		return fw_dec_foreign(&s->d);
	x = fw_xt_new(ext, NULL);
	if (older && older->up(info, len, x)) {
		free(x);
		return fw_dec_error(&s->d, "%s '%s' revision %u", tg ? "target"
				    : "match", name, rev);
	} else if (!older) {
		x->revision = rev;
		memcpy(x->data, info, len < x->len ? len : x->len);
	}
	if (tg) {
		r->target = x;
		r->verdict = FW_V_EXT;
	} else {
		fw_rule_add_match(r, x);
	}
	if (ext->from_xt)
		return ext->from_xt(&s->d, x);
	return 0;
}

/*
 * The info is read where it lies in the message, 4-byte aligned; the
 * extensions' structs may want 8 (UBSan: "misaligned address" in the
 * CT target's claims()). So it is copied first.
 */
static int dec_xt(struct dstate *s, const struct fw_nlexpr *e, bool tg)
{
	uint64_t stack[64];
	uint32_t len;
	const void *info = fw_nlx_bin(e, tg ? NFTA_TARGET_INFO
				      : NFTA_MATCH_INFO, &len);
	void *copy = len > sizeof(stack) ? xmalloc(len) : stack;
	int rc;

	if (len)
		memcpy(copy, info, len);
	rc = dec_xt_info(s, e, tg, copy, len);
	if (copy != stack)
		free(copy);
	return rc;
}

static int dec_counter(struct dstate *s, const struct fw_nlexpr *e)
{
	s->d.rule->pkts = fw_nlx_u64(e, NFTA_COUNTER_PACKETS);
	s->d.rule->bytes = fw_nlx_u64(e, NFTA_COUNTER_BYTES);
	return 0;
}

static int dec_kind(struct dstate *s, const struct fw_nlexpr *e)
{
	switch (e->kind) {
	case FW_NLX_META:
		if (!fw_nlx_has(e, NFTA_META_DREG))
			break;
		load_meta(s, e);
		return 0;
	case FW_NLX_PAYLOAD:
		if (!fw_nlx_has(e, NFTA_PAYLOAD_DREG))
			break;
		load_payload(s, e);
		return 0;
	case FW_NLX_BITWISE:
		return load_bitwise(s, e);
	case FW_NLX_CMP:
		return dec_cmp(s, e);
	case FW_NLX_COUNTER:
		return dec_counter(s, e);
	default:
		break;
	}
	flush_pending(s);
	if (e->kind == FW_NLX_IMMEDIATE)
		return dec_immediate(s, e);
	if (e->kind == FW_NLX_MATCH || e->kind == FW_NLX_TARGET)
		return dec_xt(s, e, e->kind == FW_NLX_TARGET);
	return offer_exts(s, e);
}

/*
 * Rule userdata as 1.8.9 reads it (nft-shared.c, get_comment()): TLVs of
 * a type byte, a length byte and the value; the last of type
 * NFTNL_UDATA_RULE_COMMENT is the comment, if every comment TLV before
 * ends in a NUL (else 1.8.9 prints no comment). A TLV that overruns the
 * userdata or an empty comment makes 1.8.9 read outside the buffer
 * (libnftnl's parser does not check lengths): such a rule is foreign.
 */
static int udata_comment(struct dstate *s, const uint8_t *p, uint32_t len,
			 const char **comment)
{
	const uint8_t *end = p + len;

	*comment = NULL;
	while (p < end) {
		if (end - p < 2 || p[1] > end - p - 2)
			return fw_dec_foreign(&s->d);
		if (p[0] == NFTNL_UDATA_RULE_COMMENT) {
			if (!p[1])
				return fw_dec_foreign(&s->d);
			if (p[2 + p[1] - 1] != '\0') {
				*comment = NULL;
				return 0;
			}
			*comment = (const char *)p + 2;
		}
		p += 2 + p[1];
	}
	return 0;
}

/* An nft comment becomes the last match, "-m comment --comment TEXT". */
static int dec_udata(struct dstate *s, const struct fw_nlrule *nr)
{
	const struct fw_ext *ext;
	struct xt_comment_info *c;
	const char *comment;
	struct fw_xt *x;

	if (!nr->udata)
		return 0;
	if (udata_comment(s, nr->udata, nr->udata_len, &comment) || !comment)
		return s->d.foreign ? -1 : 0;
	ext = fw_ext_find("comment", FW_EXT_MATCH, s->d.rule->family);
	if (!ext)
		return fw_dec_error(&s->d, "a rule comment");
	x = fw_xt_new(ext, NULL);
	c = (struct xt_comment_info *)x->data;
	strncpy(c->comment, comment, XT_MAX_COMMENT_LEN - 1);
	fw_rule_add_match(s->d.rule, x);
	return 0;
}

int fw_rule_decode(const struct fw_nlrule *nr, struct fw_rule *r,
		   struct fw_errs *errs, const char *where)
{
	struct dstate s = { .d = { .rule = r, .errs = errs, .where = where } };
	struct fw_nlexpr stack[STACK_EXPRS], *v, *heap;
	int i, n = read_exprs(nr, stack, &v, &heap), rc = 0;

	if (n < 0) {
		fw_dec_error(&s.d, "a malformed expression list");
		return FW_DECODE_ERROR;
	}
	if (!all_known(v, n)) {
		free(heap);
		return FW_DECODE_FOREIGN;
	}
	for (i = 0; i < n && !rc; i++)
		rc = dec_kind(&s, &v[i]);
	free(heap);
	if (!rc) {
		flush_pending(&s);
		rc = dec_udata(&s, nr);
	}
	if (rc < 0)
		return s.d.foreign ? FW_DECODE_FOREIGN : FW_DECODE_ERROR;
	return FW_DECODE_OK;
}
