/* SPDX-License-Identifier: GPL-2.0-or-later */
/* the extension registry and the helpers extensions share */
#include "base.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <linux/netfilter/nf_tables.h>
#include <libnftnl/expr.h>
#include <libnftnl/rule.h>

#include "ext.h"
#include "exts.h"

/*
 * The one list of extensions. Order matters only among exts that share a
 * kernel name and revision: an alias (state, NOTRACK) comes first, and
 * its claims() decides.
 */
#define FW_EXT_DECL(n) extern const struct fw_ext fw_ext_##n;
#define FW_EXT_REF(n) &fw_ext_##n,
FW_EXTS(FW_EXT_DECL)

const struct fw_ext *const fw_exts[] = {
	FW_EXTS(FW_EXT_REF)
	NULL
};

const struct fw_ext *fw_ext_find(const char *name, enum fw_ext_kind kind,
				 int family)
{
	const struct fw_ext *const *e;

	for (e = fw_exts; *e; e++) {
		if ((*e)->kind != kind || strcmp((*e)->name, name))
			continue;
		if (!(*e)->family || (*e)->family == family)
			return *e;
	}
	return NULL;
}

const struct fw_ext *fw_ext_find_xt(const char *kname, uint32_t rev,
				    enum fw_ext_kind kind, int family,
				    const void *info, unsigned len)
{
	const struct fw_ext *const *e;

	for (e = fw_exts; *e; e++) {
		if ((*e)->kind != kind)
			continue;
		if (strcmp(fw_ext_kname(*e), kname) || (*e)->revision != rev)
			continue;
		if ((*e)->family && (*e)->family != family)
			continue;
		if (len != FW_XT_ALIGN((*e)->size))
			continue;
		if ((*e)->claims && !(*e)->claims(info, len))
			continue;
		return *e;
	}
	return NULL;
}

/* Printing. */

void fw_pr_flag(struct fw_pr *pr, bool inv, const char *opt)
{
	pr->opt(pr, inv, opt, NULL, false);
}

void fw_pr_val(struct fw_pr *pr, bool inv, const char *opt,
	       const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	pr->opt(pr, inv, opt, buf, false);
}

void fw_pr_str(struct fw_pr *pr, bool inv, const char *opt, const char *s)
{
	pr->opt(pr, inv, opt, s, true);
}

bool fw_needs_quote(const char *s)
{
	if (!*s)
		return true;
	for (; *s; s++) {
		if (!(*s >= 'a' && *s <= 'z') && !(*s >= 'A' && *s <= 'Z') &&
		    !(*s >= '0' && *s <= '9') && *s != '_' && *s != '-')
			return true;
	}
	return false;
}

/* Encoding helpers: every load goes to register 1, as iptables does. */

static void add_expr(struct fw_enc *e, struct nftnl_expr *x)
{
	nftnl_rule_add_expr(e->nr, x);
}

static struct nftnl_expr *expr_new(const char *name)
{
	struct nftnl_expr *x = nftnl_expr_alloc(name);

	if (!x)
		FW_BUG("nftnl_expr_alloc(%s) failed", name);
	return x;
}

void fw_enc_payload(struct fw_enc *e, uint32_t base, uint32_t off,
		    uint32_t len)
{
	struct nftnl_expr *x = expr_new("payload");

	nftnl_expr_set_u32(x, NFTNL_EXPR_PAYLOAD_DREG, NFT_REG_1);
	nftnl_expr_set_u32(x, NFTNL_EXPR_PAYLOAD_BASE, base);
	nftnl_expr_set_u32(x, NFTNL_EXPR_PAYLOAD_OFFSET, off);
	nftnl_expr_set_u32(x, NFTNL_EXPR_PAYLOAD_LEN, len);
	add_expr(e, x);
}

void fw_enc_meta(struct fw_enc *e, uint32_t key)
{
	struct nftnl_expr *x = expr_new("meta");

	nftnl_expr_set_u32(x, NFTNL_EXPR_META_KEY, key);
	nftnl_expr_set_u32(x, NFTNL_EXPR_META_DREG, NFT_REG_1);
	add_expr(e, x);
}

void fw_enc_cmp(struct fw_enc *e, uint32_t op, const void *data,
		uint32_t len)
{
	struct nftnl_expr *x = expr_new("cmp");

	nftnl_expr_set_u32(x, NFTNL_EXPR_CMP_SREG, NFT_REG_1);
	nftnl_expr_set_u32(x, NFTNL_EXPR_CMP_OP, op);
	nftnl_expr_set(x, NFTNL_EXPR_CMP_DATA, data, len);
	add_expr(e, x);
}

void fw_enc_range(struct fw_enc *e, uint32_t op, const void *from,
		  const void *to, uint32_t len)
{
	struct nftnl_expr *x = expr_new("range");

	nftnl_expr_set_u32(x, NFTNL_EXPR_RANGE_SREG, NFT_REG_1);
	nftnl_expr_set_u32(x, NFTNL_EXPR_RANGE_OP, op);
	nftnl_expr_set(x, NFTNL_EXPR_RANGE_FROM_DATA, from, len);
	nftnl_expr_set(x, NFTNL_EXPR_RANGE_TO_DATA, to, len);
	add_expr(e, x);
}

void fw_enc_bitwise(struct fw_enc *e, const void *mask, const void *xor,
		    uint32_t len)
{
	struct nftnl_expr *x = expr_new("bitwise");

	nftnl_expr_set_u32(x, NFTNL_EXPR_BITWISE_SREG, NFT_REG_1);
	nftnl_expr_set_u32(x, NFTNL_EXPR_BITWISE_DREG, NFT_REG_1);
	nftnl_expr_set_u32(x, NFTNL_EXPR_BITWISE_LEN, len);
	nftnl_expr_set(x, NFTNL_EXPR_BITWISE_MASK, mask, len);
	nftnl_expr_set(x, NFTNL_EXPR_BITWISE_XOR, xor, len);
	add_expr(e, x);
}

int fw_enc_xt(struct fw_enc *e, const struct fw_xt *x)
{
	bool tg = x->ext->kind == FW_EXT_TARGET;
	unsigned len = FW_XT_ALIGN(x->ext->size);
	struct nftnl_expr *ex = expr_new(tg ? "target" : "match");
	void *info = xzalloc(len);

	memcpy(info, x->data, x->len < len ? x->len : len);
	nftnl_expr_set_str(ex, tg ? NFTNL_EXPR_TG_NAME : NFTNL_EXPR_MT_NAME,
			   fw_ext_kname(x->ext));
	nftnl_expr_set_u32(ex, tg ? NFTNL_EXPR_TG_REV : NFTNL_EXPR_MT_REV,
			   x->revision);
	/* libnftnl keeps (and later frees) the info buffer */
	nftnl_expr_set(ex, tg ? NFTNL_EXPR_TG_INFO : NFTNL_EXPR_MT_INFO, info,
		       len);
	add_expr(e, ex);
	return 0;
}

/* Decoding helpers. */

struct fw_xt *fw_dec_match(struct fw_dec *d, const struct fw_ext *ext)
{
	struct fw_xt *m = fw_rule_last_match(d->rule);

	if (m && m->ext == ext)
		return m;
	m = fw_xt_new(ext, NULL);
	if (ext->init)
		ext->init(m, d->rule);
	fw_rule_add_match(d->rule, m);
	return m;
}

int fw_dec_error(struct fw_dec *d, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return fw_error(d->errs, NULL, "%s: cannot express %s",
			d->where ? d->where : "rule", buf);
}

/* Parsing helpers. */

int fw_parse_uint(struct fw_pctx *p, const char *s, uint64_t max,
		  uint64_t *v)
{
	unsigned long long n;
	char *end;

	errno = 0;
	if (*s == '-' || *s == '+' || !*s)
		goto bad;
	n = strtoull(s, &end, 0);
	if (errno || *end || n > max)
		goto bad;
	*v = n;
	return 0;
bad:
	return fw_error(p->errs, p->loc, "invalid number '%s' (0-%llu)", s,
			(unsigned long long)max);
}

static int port_value(const char *s, uint16_t *port)
{
	unsigned long n;
	char *end;
	struct servent *se;

	if (*s >= '0' && *s <= '9') {
		errno = 0;
		n = strtoul(s, &end, 10);
		if (errno || *end || n > 65535)
			return -1;
		*port = n;
		return 0;
	}
	se = *s ? getservbyname(s, NULL) : NULL;
	if (!se)
		return -1;
	*port = ntohs(se->s_port);
	return 0;
}

int fw_parse_port(struct fw_pctx *p, const char *s, uint16_t *port)
{
	if (port_value(s, port) == 0)
		return 0;
	return fw_error(p->errs, p->loc, "invalid port '%s'", s);
}

int fw_parse_port_range(struct fw_pctx *p, const char *s, uint16_t *lo,
			uint16_t *hi)
{
	const char *colon = strchr(s, ':');
	char first[64];
	size_t n;

	if (!colon) {
		if (fw_parse_port(p, s, lo))
			return -1;
		*hi = *lo;
		return 0;
	}
	n = colon - s;
	if (n >= sizeof(first))
		return fw_error(p->errs, p->loc, "invalid port range '%s'", s);
	memcpy(first, s, n);
	first[n] = '\0';
	*lo = 0;
	*hi = 65535;
	if (n && port_value(first, lo))
		return fw_error(p->errs, p->loc, "invalid port '%s'", first);
	if (colon[1] && port_value(colon + 1, hi))
		return fw_error(p->errs, p->loc, "invalid port '%s'", colon + 1);
	if (*lo > *hi)
		return fw_error(p->errs, p->loc,
				"invalid port range '%s': start above end", s);
	return 0;
}

/* Names iptables knows without /etc/protocols, in its order. */
static const struct {
	const char *name;
	uint8_t num;
} proto_tbl[] = {
	{ "tcp", 6 }, { "sctp", 132 }, { "udp", 17 }, { "udplite", 136 },
	{ "icmp", 1 }, { "icmpv6", 58 }, { "ipv6-icmp", 58 }, { "esp", 50 },
	{ "ah", 51 }, { "ipv6-mh", 135 }, { "mh", 135 }, { "all", 0 },
};

int fw_proto_parse(const char *s, uint8_t *proto)
{
	struct protoent *pe;
	unsigned long n;
	char *end;
	size_t i;

	if (*s >= '0' && *s <= '9') {
		errno = 0;
		n = strtoul(s, &end, 10);
		if (errno || *end || n > 255)
			return -1;
		*proto = n;
		return 0;
	}
	for (i = 0; i < FW_ARRAY_SIZE(proto_tbl); i++) {
		if (!strcasecmp(s, proto_tbl[i].name)) {
			*proto = proto_tbl[i].num;
			return 0;
		}
	}
	pe = getprotobyname(s);
	if (!pe)
		return -1;
	*proto = pe->p_proto;
	return 0;
}

const char *fw_proto_name(uint8_t proto)
{
	static const char *const save_names[] = {
		[6] = "tcp", [132] = "sctp", [17] = "udp", [136] = "udplite",
		[1] = "icmp", [58] = "ipv6-icmp", [50] = "esp", [51] = "ah",
		[135] = "mobility-header",
	};
	struct protoent *pe;

	if (proto < FW_ARRAY_SIZE(save_names) && save_names[proto])
		return save_names[proto];
	pe = getprotobynumber(proto);
	return pe ? pe->p_name : NULL;
}

int fw_ext_check_registry(FILE *fp)
{
	const struct fw_ext *const *e, *const *f;
	int bad = 0;

	for (e = fw_exts; *e; e++) {
		if (!(*e)->tests || !(*e)->tests[0].in) {
			fprintf(fp, "ext %s: no test cases\n", (*e)->name);
			bad++;
		}
		if (!(*e)->print || (!(*e)->parse && (*e)->opts &&
				     (*e)->opts[0].name)) {
			fprintf(fp, "ext %s: missing print/parse\n", (*e)->name);
			bad++;
		}
		for (f = fw_exts; f != e; f++) {
			if (!strcmp((*f)->name, (*e)->name) &&
			    (*f)->kind == (*e)->kind &&
			    (!(*f)->family || !(*e)->family ||
			     (*f)->family == (*e)->family)) {
				fprintf(fp, "ext %s: registered twice\n",
					(*e)->name);
				bad++;
			}
		}
	}
	return bad;
}
