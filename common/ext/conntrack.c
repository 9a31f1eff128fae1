/* SPDX-License-Identifier: GPL-2.0-or-later */
/* conntrack match (rev 3) and its alias state: --ctstate, --ctproto, ... */
#include "base.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <stddef.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include <linux/netfilter/nf_conntrack_common.h>
#include <linux/netfilter/xt_conntrack.h>

#include "ext.h"

enum {
	O_STATE, O_PROTO, O_ORIGSRC, O_ORIGDST, O_REPLSRC, O_REPLDST,
	O_ORIGSRCPORT, O_ORIGDSTPORT, O_REPLSRCPORT, O_REPLDSTPORT,
	O_STATUS, O_EXPIRE, O_DIR,
};

static const struct fw_opt conntrack_opts[] = {
	{ "ctstate", O_STATE, 1, FW_OPT_INV },
	{ "ctproto", O_PROTO, 1, FW_OPT_INV },
	{ "ctorigsrc", O_ORIGSRC, 1, FW_OPT_INV },
	{ "ctorigdst", O_ORIGDST, 1, FW_OPT_INV },
	{ "ctreplsrc", O_REPLSRC, 1, FW_OPT_INV },
	{ "ctrepldst", O_REPLDST, 1, FW_OPT_INV },
	{ "ctorigsrcport", O_ORIGSRCPORT, 1, FW_OPT_INV },
	{ "ctorigdstport", O_ORIGDSTPORT, 1, FW_OPT_INV },
	{ "ctreplsrcport", O_REPLSRCPORT, 1, FW_OPT_INV },
	{ "ctrepldstport", O_REPLDSTPORT, 1, FW_OPT_INV },
	{ "ctstatus", O_STATUS, 1, FW_OPT_INV },
	{ "ctexpire", O_EXPIRE, 1, FW_OPT_INV },
	{ "ctdir", O_DIR, 1, 0 },
	{ NULL },
};

static const struct fw_opt state_opts[] = {
	{ "state", O_STATE, 1, FW_OPT_INV },
	{ NULL },
};

#define CT_OFF(f) offsetof(struct xt_conntrack_mtinfo3, f)

/* The address options in save order (option ids O_ORIGSRC + i). */
static const struct {
	const char *opt;
	uint16_t flag;
	size_t addr, mask;
} ct_addr_tbl[] = {
	{ "ctorigsrc", XT_CONNTRACK_ORIGSRC, CT_OFF(origsrc_addr),
	  CT_OFF(origsrc_mask) },
	{ "ctorigdst", XT_CONNTRACK_ORIGDST, CT_OFF(origdst_addr),
	  CT_OFF(origdst_mask) },
	{ "ctreplsrc", XT_CONNTRACK_REPLSRC, CT_OFF(replsrc_addr),
	  CT_OFF(replsrc_mask) },
	{ "ctrepldst", XT_CONNTRACK_REPLDST, CT_OFF(repldst_addr),
	  CT_OFF(repldst_mask) },
};

/* The port options in save order (option ids O_ORIGSRCPORT + i). */
static const struct {
	const char *opt;
	uint16_t flag;
	size_t lo, hi;
} ct_port_tbl[] = {
	{ "ctorigsrcport", XT_CONNTRACK_ORIGSRC_PORT, CT_OFF(origsrc_port),
	  CT_OFF(origsrc_port_high) },
	{ "ctorigdstport", XT_CONNTRACK_ORIGDST_PORT, CT_OFF(origdst_port),
	  CT_OFF(origdst_port_high) },
	{ "ctreplsrcport", XT_CONNTRACK_REPLSRC_PORT, CT_OFF(replsrc_port),
	  CT_OFF(replsrc_port_high) },
	{ "ctrepldstport", XT_CONNTRACK_REPLDST_PORT, CT_OFF(repldst_port),
	  CT_OFF(repldst_port_high) },
};

/*
 * Keywords in save order. Their first letters differ, so matching a
 * (case-insensitive) prefix as iptables does finds at most one.
 */
struct ct_word {
	const char *name;
	uint16_t bit;
	bool ct_only;		/* not accepted by -m state */
};

static const struct ct_word ct_state_tbl[] = {
	{ "INVALID", XT_CONNTRACK_STATE_INVALID, false },
	{ "NEW", XT_CONNTRACK_STATE_BIT(IP_CT_NEW), false },
	{ "RELATED", XT_CONNTRACK_STATE_BIT(IP_CT_RELATED), false },
	{ "ESTABLISHED", XT_CONNTRACK_STATE_BIT(IP_CT_ESTABLISHED), false },
	{ "UNTRACKED", XT_CONNTRACK_STATE_UNTRACKED, false },
	{ "SNAT", XT_CONNTRACK_STATE_SNAT, true },
	{ "DNAT", XT_CONNTRACK_STATE_DNAT, true },
	{ NULL },
};

/* NONE (no bit) prints only when nothing else is set. */
static const struct ct_word ct_status_tbl[] = {
	{ "EXPECTED", IPS_EXPECTED, true },
	{ "SEEN_REPLY", IPS_SEEN_REPLY, true },
	{ "ASSURED", IPS_ASSURED, true },
	{ "CONFIRMED", IPS_CONFIRMED, true },
	{ "NONE", 0, true },
	{ NULL },
};

static struct xt_conntrack_mtinfo3 *ct_info(const struct fw_xt *x)
{
	return (struct xt_conntrack_mtinfo3 *)x->data;
}

/* "A,B,C": each a prefix of a keyword; or's the bits into *mask. */
static int ct_parse_words(struct fw_pctx *p, const char *arg,
			  const struct ct_word *tbl, bool state_only,
			  const char *what, uint16_t *mask)
{
	const char *s = arg, *comma;
	const struct ct_word *w;
	size_t len;

	do {
		comma = strchr(s, ',');
		len = comma ? (size_t)(comma - s) : strlen(s);
		for (w = tbl; len && w->name; w++)
			if (!(state_only && w->ct_only) &&
			    !strncasecmp(s, w->name, len) &&
			    len <= strlen(w->name))
				break;
		if (!len || !w->name)
			return fw_error(p->errs, p->loc, "unknown %s '%.*s'",
					what, (int)len, s);
		*mask |= w->bit;
		if (comma)
			s = comma + 1;
	} while (comma);
	return 0;
}

static void ct_print_words(struct fw_pr *pr, bool inv, const char *opt,
			   const struct ct_word *tbl, uint16_t mask)
{
	const struct ct_word *w;
	char buf[128];
	size_t n = 0;

	buf[0] = '\0';
	for (w = tbl; w->name; w++) {
		if (w->bit ? !(mask & w->bit) : mask != 0)
			continue;
		n += snprintf(buf + n, sizeof(buf) - n, "%s%s", n ? "," : "",
			      w->name);
	}
	if (n)
		fw_pr_val(pr, inv, opt, "%s", buf);
	else
		fw_pr_flag(pr, inv, opt);
}

/* A host name or address that resolves to exactly one address. */
static int ct_host(struct fw_pctx *p, const char *host, int af,
		   uint8_t *addr)
{
	struct addrinfo hints = { .ai_family = af }, *res, *ai;
	size_t len = af == AF_INET6 ? 16 : 4;
	bool several = false, first = true;
	const void *a;

	if (getaddrinfo(host, NULL, &hints, &res))
		return fw_error(p->errs, p->loc, "host '%s' not found", host);
	for (ai = res; ai; ai = ai->ai_next) {
		if (af == AF_INET6)
			a = &((struct sockaddr_in6 *)ai->ai_addr)->sin6_addr;
		else
			a = &((struct sockaddr_in *)ai->ai_addr)->sin_addr;
		if (first)
			memcpy(addr, a, len);
		else if (memcmp(addr, a, len))
			several = true;
		first = false;
	}
	freeaddrinfo(res);
	if (several)
		return fw_error(p->errs, p->loc,
				"host '%s' resolves to more than one address",
				host);
	return 0;
}

/*
 * A prefix length, or a mask in address form. As in 1.8.9, a mask that
 * is not contiguous ends up as all ones (a host match), and all ones
 * means all 16 bytes even for IPv4.
 */
static int ct_mask(struct fw_pctx *p, const char *s, int af, uint8_t *m)
{
	struct addrinfo hints = { .ai_family = af, .ai_flags = AI_NUMERICHOST };
	unsigned len = af == AF_INET6 ? 16 : 4;
	struct addrinfo *res;
	unsigned long n;
	char *end;

	memset(m, 0, 16);
	errno = 0;
	n = strtoul(s, &end, 0);
	if (*s && *s != '-' && !*end && !errno && n <= len * 8) {
		fw_mask_from_prefix(m, (unsigned)n);
		return 0;
	}
	if (getaddrinfo(s, NULL, &hints, &res))
		return fw_error(p->errs, p->loc, "invalid mask '%s'", s);
	if (af == AF_INET6)
		memcpy(m, &((struct sockaddr_in6 *)res->ai_addr)->sin6_addr,
		       16);
	else
		memcpy(m, &((struct sockaddr_in *)res->ai_addr)->sin_addr, 4);
	freeaddrinfo(res);
	if (fw_mask_prefix(m, len) < 0)
		memset(m, 0xff, 16);
	return 0;
}

/* "HOST[/MASK]"; the address is kept unmasked, as iptables does. */
static int ct_parse_addr(struct fw_pctx *p, const char *arg, uint8_t *addr,
			 uint8_t *mask)
{
	int af = p->rule->family == FW_AF_IPV6 ? AF_INET6 : AF_INET;
	const char *slash = strchr(arg, '/');
	char *host = slash ? xstrndup(arg, slash - arg) : xstrdup(arg);
	int rc;

	memset(addr, 0, 16);
	rc = ct_host(p, host, af, addr);
	free(host);
	if (rc)
		return -1;
	if (slash)
		return ct_mask(p, slash + 1, af, mask);
	memset(mask, 0xff, 16);	/* all 16 bytes, for IPv4 too */
	return 0;
}

/* "P", "P:Q", ":Q", "P:", ":"; an inverted range is accepted (1.8.9). */
static int ct_parse_ports(struct fw_pctx *p, const char *arg, uint16_t *lo,
			  uint16_t *hi)
{
	const char *colon = strchr(arg, ':');
	char *first;
	int rc = 0;

	if (!colon) {
		if (fw_parse_port(p, arg, lo))
			return -1;
		*hi = *lo;
		return 0;
	}
	if (strchr(colon + 1, ':'))
		return fw_error(p->errs, p->loc, "invalid port range '%s'",
				arg);
	*lo = 0;
	*hi = 0xffff;
	first = xstrndup(arg, colon - arg);
	if (*first)
		rc = fw_parse_port(p, first, lo);
	free(first);
	if (!rc && colon[1])
		rc = fw_parse_port(p, colon + 1, hi);
	return rc;
}

static int ct_parse_proto(struct fw_pctx *p, struct xt_conntrack_mtinfo3 *info,
			  const char *arg)
{
	uint8_t proto;

	if (fw_proto_parse(arg, &proto))
		return fw_error(p->errs, p->loc, "unknown protocol '%s'", arg);
	/*
	 * 1.8.9 tests the inversion bit XT_INV_PROTO (0x40) of the flags
	 * given so far, which is the one of an inverted --ctstatus.
	 */
	if (proto == 0 && info->invert_flags & XT_CONNTRACK_STATUS)
		return fw_error(p->errs, p->loc,
				"conntrack: rule would never match protocol");
	info->l4proto = proto;
	return 0;
}

static int ct_parse_dir(struct fw_pctx *p, struct xt_conntrack_mtinfo3 *info,
			const char *arg)
{
	if (!strcasecmp(arg, "ORIGINAL"))
		info->invert_flags &= ~XT_CONNTRACK_DIRECTION;
	else if (!strcasecmp(arg, "REPLY"))
		info->invert_flags |= XT_CONNTRACK_DIRECTION;
	else
		return fw_error(p->errs, p->loc,
				"unknown conntrack direction '%s'", arg);
	return 0;
}

/* Everything but the flag bits; returns the option's match flag or 0. */
static uint16_t ct_parse_value(struct fw_pctx *p, const struct fw_opt *o,
			       const char *arg, int *rc)
{
	struct xt_conntrack_mtinfo3 *info = ct_info(p->xt);
	uint8_t *base = p->xt->data;
	uint64_t lo, hi;
	unsigned i;

	switch (o->id) {
	case O_STATE:
		*rc = ct_parse_words(p, arg, ct_state_tbl, false,
				     "conntrack state", &info->state_mask);
		return XT_CONNTRACK_STATE;
	case O_PROTO:
		*rc = ct_parse_proto(p, info, arg);
		return XT_CONNTRACK_PROTO;
	case O_ORIGSRC:
	case O_ORIGDST:
	case O_REPLSRC:
	case O_REPLDST:
		i = o->id - O_ORIGSRC;
		*rc = ct_parse_addr(p, arg, base + ct_addr_tbl[i].addr,
				    base + ct_addr_tbl[i].mask);
		return ct_addr_tbl[i].flag;
	case O_ORIGSRCPORT:
	case O_ORIGDSTPORT:
	case O_REPLSRCPORT:
	case O_REPLDSTPORT:
		i = o->id - O_ORIGSRCPORT;
		*rc = ct_parse_ports(p, arg,
				     (uint16_t *)(base + ct_port_tbl[i].lo),
				     (uint16_t *)(base + ct_port_tbl[i].hi));
		return ct_port_tbl[i].flag;
	case O_STATUS:
		*rc = ct_parse_words(p, arg, ct_status_tbl, false,
				     "conntrack status", &info->status_mask);
		return XT_CONNTRACK_STATUS;
	case O_EXPIRE:
		*rc = fw_parse_range(p, arg, UINT32_MAX, &lo, &hi);
		info->expires_min = lo;
		info->expires_max = hi;
		return XT_CONNTRACK_EXPIRES;
	case O_DIR:
		*rc = ct_parse_dir(p, info, arg);
		return XT_CONNTRACK_DIRECTION;
	}
	*rc = -1;
	return 0;
}

static int conntrack_parse(struct fw_pctx *p, const struct fw_opt *o,
			   char **argv)
{
	struct xt_conntrack_mtinfo3 *info = ct_info(p->xt);
	uint16_t flag;
	int rc;

	flag = ct_parse_value(p, o, argv[0], &rc);
	if (rc)
		return -1;
	info->match_flags |= flag;
	if (p->inv)
		info->invert_flags |= flag;
	return 0;
}

static int conntrack_check(struct fw_pctx *p)
{
	if (!p->xt->seen)
		return fw_error(p->errs, p->loc,
				"conntrack match needs at least one option");
	return 0;
}

static int state_parse(struct fw_pctx *p, const struct fw_opt *o,
		       char **argv)
{
	struct xt_conntrack_mtinfo3 *info = ct_info(p->xt);

	info->match_flags = XT_CONNTRACK_STATE | XT_CONNTRACK_STATE_ALIAS;
	if (ct_parse_words(p, argv[0], ct_state_tbl, true, "state",
			   &info->state_mask))
		return -1;
	if (p->inv)
		info->invert_flags |= XT_CONNTRACK_STATE;
	return 0;
}

static int state_check(struct fw_pctx *p)
{
	if (!p->xt->seen)
		return fw_error(p->errs, p->loc, "state match needs '--state'");
	return 0;
}

static bool state_claims(const void *data, unsigned len)
{
	const struct xt_conntrack_mtinfo3 *info = data;

	return info->match_flags & XT_CONNTRACK_STATE_ALIAS;
}

/* iptables' numeric form: no suffix for a host mask, else /N or /MASK. */
static void ct_print_addr(struct fw_pr *pr, bool inv, const char *opt,
			  const uint8_t *addr, const uint8_t *mask, int family)
{
	int af = family == FW_AF_IPV6 ? AF_INET6 : AF_INET;
	unsigned len = fw_addr_len(family);
	int prefix = fw_mask_prefix(mask, len);
	char a[INET6_ADDRSTRLEN], m[INET6_ADDRSTRLEN];

	inet_ntop(af, addr, a, sizeof(a));
	if (prefix == (int)len * 8) {
		fw_pr_val(pr, inv, opt, "%s", a);
	} else if (prefix >= 0) {
		fw_pr_val(pr, inv, opt, "%s/%d", a, prefix);
	} else {
		inet_ntop(af, mask, m, sizeof(m));
		fw_pr_val(pr, inv, opt, "%s/%s", a, m);
	}
}

static void ct_print_ports(struct fw_pr *pr, bool inv, const char *opt,
			   uint16_t lo, uint16_t hi)
{
	if (hi == 0 || lo == hi)
		fw_pr_val(pr, inv, opt, "%u", lo);
	else
		fw_pr_val(pr, inv, opt, "%u:%u", lo, hi);
}

static void ct_print_tuple(const struct xt_conntrack_mtinfo3 *info,
			   int family, struct fw_pr *pr)
{
	const uint8_t *base = (const uint8_t *)info;
	uint16_t lo, hi;
	size_t i;

	for (i = 0; i < FW_ARRAY_SIZE(ct_addr_tbl); i++) {
		if (!(info->match_flags & ct_addr_tbl[i].flag))
			continue;
		ct_print_addr(pr, info->invert_flags & ct_addr_tbl[i].flag,
			      ct_addr_tbl[i].opt, base + ct_addr_tbl[i].addr,
			      base + ct_addr_tbl[i].mask, family);
	}
	for (i = 0; i < FW_ARRAY_SIZE(ct_port_tbl); i++) {
		if (!(info->match_flags & ct_port_tbl[i].flag))
			continue;
		memcpy(&lo, base + ct_port_tbl[i].lo, sizeof(lo));
		memcpy(&hi, base + ct_port_tbl[i].hi, sizeof(hi));
		ct_print_ports(pr, info->invert_flags & ct_port_tbl[i].flag,
			       ct_port_tbl[i].opt, lo, hi);
	}
}

/* One printer for conntrack and state: 1.8.9 saves both with it. */
static void conntrack_print(const struct fw_xt *x, const struct fw_rule *r,
			    struct fw_pr *pr)
{
	const struct xt_conntrack_mtinfo3 *info = ct_info(x);
	uint16_t f = info->match_flags, inv = info->invert_flags;

	if (f & XT_CONNTRACK_STATE)
		ct_print_words(pr, inv & XT_CONNTRACK_STATE,
			       f & XT_CONNTRACK_STATE_ALIAS ? "state"
							    : "ctstate",
			       ct_state_tbl, info->state_mask);
	if (f & XT_CONNTRACK_PROTO)
		fw_pr_val(pr, inv & XT_CONNTRACK_PROTO, "ctproto", "%u",
			  info->l4proto);
	ct_print_tuple(info, r->family, pr);
	if (f & XT_CONNTRACK_STATUS)
		ct_print_words(pr, inv & XT_CONNTRACK_STATUS, "ctstatus",
			       ct_status_tbl, info->status_mask);
	if (f & XT_CONNTRACK_EXPIRES) {
		if (info->expires_min == info->expires_max)
			fw_pr_val(pr, inv & XT_CONNTRACK_EXPIRES, "ctexpire",
				  "%u", info->expires_min);
		else
			fw_pr_val(pr, inv & XT_CONNTRACK_EXPIRES, "ctexpire",
				  "%u:%u", info->expires_min,
				  info->expires_max);
	}
	if (f & XT_CONNTRACK_DIRECTION)
		fw_pr_val(pr, false, "ctdir", "%s",
			  inv & XT_CONNTRACK_DIRECTION ? "REPLY" : "ORIGINAL");
}

static const struct fw_case conntrack_tests[] = {
	{ "--ctstate NEW", "=", FW_OK, 0, NULL },
	{ "--ctstate ESTABLISHED,RELATED", "--ctstate RELATED,ESTABLISHED",
	  FW_OK, 0, NULL },
	{ "! --ctstate invalid,new,rel,est,untracked,snat,dnat",
	  "! --ctstate INVALID,NEW,RELATED,ESTABLISHED,UNTRACKED,SNAT,DNAT",
	  FW_OK, 0, NULL },
	{ "--ctstate wrong", NULL, FW_FAIL, 0, NULL },
	{ "--ctstate NEW,", NULL, FW_FAIL, 0, NULL },
	{ "--ctstate NEW,,RELATED", NULL, FW_FAIL, 0, NULL },
	{ "--ctstate NEWX", NULL, FW_FAIL, 0, NULL },
	{ "--ctproto tcp", "--ctproto 6", FW_OK, 0, NULL },
	{ "! --ctproto 17", "=", FW_OK, 0, NULL },
	{ "--ctproto 0", "=", FW_OK, 0, NULL },
	{ "! --ctstatus NONE --ctproto 0", NULL, FW_FAIL, 0, NULL },
	{ "--ctproto bogus", NULL, FW_FAIL, 0, NULL },
	{ "--ctorigsrc 1.2.3.4", "=", FW_OK, 4, NULL },
	{ "! --ctorigdst 1.2.3.4/24", "=", FW_OK, 4, NULL },
	{ "--ctreplsrc 1.2.3.4/255.255.0.0", "--ctreplsrc 1.2.3.4/16", FW_OK,
	  4, NULL },
	{ "--ctrepldst 1.2.3.4/255.0.255.0", "--ctrepldst 1.2.3.4", FW_OK, 4,
	  NULL },
	{ "--ctorigsrc 0/0", "--ctorigsrc 0.0.0.0/0", FW_OK, 4, NULL },
	{ "--ctorigsrc 127.0.0.1/0x8", "--ctorigsrc 127.0.0.1/8", FW_OK, 4,
	  NULL },
	{ "--ctorigsrc 1.2.3.4/40", "--ctorigsrc 1.2.3.4", FW_OK, 4, NULL },
	{ "--ctorigsrc 1.2.3.4/foo", NULL, FW_FAIL, 4, NULL },
	{ "--ctorigsrc 2001:db8::1", "=", FW_OK, 6, NULL },
	{ "--ctrepldst 2001:db8::1/64", "=", FW_OK, 6, NULL },
	{ "! --ctorigdst ::/ffff::ffff", "! --ctorigdst ::", FW_OK, 6, NULL },
	{ "--ctorigsrc 2001:db8::1", NULL, FW_FAIL, 4, NULL },
	{ "--ctorigsrcport 22", "=", FW_OK, 0, NULL },
	{ "! --ctorigdstport ssh:http", "! --ctorigdstport 22:80", FW_OK, 0,
	  NULL },
	{ "--ctreplsrcport :", "--ctreplsrcport 0:65535", FW_OK, 0, NULL },
	{ "--ctrepldstport 4:", "--ctrepldstport 4:65535", FW_OK, 0, NULL },
	{ "--ctrepldstport :4", "--ctrepldstport 0:4", FW_OK, 0, NULL },
	{ "--ctrepldstport 4:4", "--ctrepldstport 4", FW_OK, 0, NULL },
	{ "--ctrepldstport 4:3", "=", FW_OK, 0, NULL },
	{ "--ctrepldstport 1:2:3", NULL, FW_FAIL, 0, NULL },
	{ "--ctrepldstport 65536", NULL, FW_FAIL, 0, NULL },
	{ "--ctstatus NONE", "=", FW_OK, 0, NULL },
	{ "! --ctstatus confirmed,assured,seen,expected",
	  "! --ctstatus EXPECTED,SEEN_REPLY,ASSURED,CONFIRMED", FW_OK, 0,
	  NULL },
	{ "--ctstatus bogus", NULL, FW_FAIL, 0, NULL },
	{ "--ctexpire 0", "=", FW_OK, 0, NULL },
	{ "! --ctexpire 4294967295", "=", FW_OK, 0, NULL },
	{ "--ctexpire 3:3", "--ctexpire 3", FW_OK, 0, NULL },
	{ "--ctexpire :5", "--ctexpire 0:5", FW_OK, 0, NULL },
	{ "--ctexpire 4:3", "=", FW_OK, 0, NULL },
	{ "--ctexpire 42949672956", NULL, FW_FAIL, 0, NULL },
	{ "--ctexpire -1", NULL, FW_FAIL, 0, NULL },
	{ "--ctdir ORIGINAL", "=", FW_OK, 0, NULL },
	{ "--ctdir reply", "--ctdir REPLY", FW_OK, 0, NULL },
	{ "! --ctdir REPLY", NULL, FW_FAIL, 0, NULL },
	{ "--ctdir SIDEWAYS", NULL, FW_FAIL, 0, NULL },
	{ "--ctdir REPLY --ctexpire 5 --ctstatus ASSURED --ctrepldstport 1 "
	  "--ctproto 6 --ctstate NEW",
	  "--ctstate NEW --ctproto 6 --ctrepldstport 1 --ctstatus ASSURED "
	  "--ctexpire 5 --ctdir REPLY", FW_OK, 0, NULL },
	{ "--ctstate NEW --ctstate INVALID", NULL, FW_FAIL, 0, NULL },
	{ "", NULL, FW_FAIL, 0, NULL },
	{ NULL },
};

static const struct fw_case state_tests[] = {
	{ "--state INVALID", "=", FW_OK, 0, NULL },
	{ "--state NEW,RELATED", "=", FW_OK, 0, NULL },
	{ "! --state established,new", "! --state NEW,ESTABLISHED", FW_OK, 0,
	  NULL },
	{ "--state UNTRACKED", "=", FW_OK, 0, NULL },
	{ "--state SNAT", NULL, FW_FAIL, 0, NULL },
	{ "--state wrong", NULL, FW_FAIL, 0, NULL },
	{ "wrong", NULL, FW_FAIL, 0, NULL },
	{ "", NULL, FW_FAIL, 0, NULL },
	{ NULL },
};

/*
 * Revisions 2 and 1 for kernels without 3: the same layout up to the
 * flags, single ports in network order (no ranges), and in revision 1
 * one-byte state and status masks.
 */
static int ct_down(const struct fw_xt *x, void *out, bool wide)
{
	const struct xt_conntrack_mtinfo3 *in = ct_info(x);
	struct xt_conntrack_mtinfo2 *o2 = out;
	struct xt_conntrack_mtinfo1 *o1 = out;

	if (in->origsrc_port_high != in->origsrc_port ||
	    in->origdst_port_high != in->origdst_port ||
	    in->replsrc_port_high != in->replsrc_port ||
	    in->repldst_port_high != in->repldst_port)
		return -1;	/* port ranges came with revision 3 */
	if (!wide && (in->state_mask > 0xff || in->status_mask > 0xff))
		return -1;
	memcpy(out, in, offsetof(struct xt_conntrack_mtinfo2, origsrc_port));
	o2->origsrc_port = htons(in->origsrc_port);
	o2->origdst_port = htons(in->origdst_port);
	o2->replsrc_port = htons(in->replsrc_port);
	o2->repldst_port = htons(in->repldst_port);
	o2->match_flags = in->match_flags;
	o2->invert_flags = in->invert_flags;
	if (wide) {
		o2->state_mask = in->state_mask;
		o2->status_mask = in->status_mask;
	} else {
		o1->state_mask = in->state_mask;
		o1->status_mask = in->status_mask;
	}
	return 0;
}

static int ct_up(const void *in, unsigned len, struct fw_xt *x, bool wide)
{
	const struct xt_conntrack_mtinfo2 *i2 = in;
	const struct xt_conntrack_mtinfo1 *i1 = in;
	struct xt_conntrack_mtinfo3 *out = ct_info(x);

	memcpy(out, in, offsetof(struct xt_conntrack_mtinfo2, origsrc_port));
	out->origsrc_port = out->origsrc_port_high = ntohs(i2->origsrc_port);
	out->origdst_port = out->origdst_port_high = ntohs(i2->origdst_port);
	out->replsrc_port = out->replsrc_port_high = ntohs(i2->replsrc_port);
	out->repldst_port = out->repldst_port_high = ntohs(i2->repldst_port);
	out->match_flags = i2->match_flags;
	out->invert_flags = i2->invert_flags;
	out->state_mask = wide ? i2->state_mask : i1->state_mask;
	out->status_mask = wide ? i2->status_mask : i1->status_mask;
	return 0;
}

static int ct_down2(const struct fw_xt *x, void *out)
{
	return ct_down(x, out, true);
}

static int ct_down1(const struct fw_xt *x, void *out)
{
	return ct_down(x, out, false);
}

static int ct_up2(const void *in, unsigned len, struct fw_xt *x)
{
	return ct_up(in, len, x, true);
}

static int ct_up1(const void *in, unsigned len, struct fw_xt *x)
{
	return ct_up(in, len, x, false);
}

static const struct fw_xt_rev conntrack_older[] = {
	{ 2, sizeof(struct xt_conntrack_mtinfo2), ct_down2, ct_up2 },
	{ 1, sizeof(struct xt_conntrack_mtinfo1), ct_down1, ct_up1 },
	{ 0 },
};

const struct fw_ext fw_ext_conntrack = {
	.name = "conntrack",
	.kind = FW_EXT_MATCH,
	.revision = 3,
	.size = sizeof(struct xt_conntrack_mtinfo3),
	.opts = conntrack_opts,
	.parse = conntrack_parse,
	.check = conntrack_check,
	.print = conntrack_print,
	.tests = conntrack_tests,
	.older = conntrack_older,
};

const struct fw_ext fw_ext_state = {
	.name = "state",
	.kname = "conntrack",
	.kind = FW_EXT_MATCH,
	.revision = 3,
	.size = sizeof(struct xt_conntrack_mtinfo3),
	.opts = state_opts,
	.parse = state_parse,
	.check = state_check,
	.print = conntrack_print,
	.claims = state_claims,
	.tests = state_tests,
};
