/* SPDX-License-Identifier: GPL-2.0-or-later */
/* NAT ranges (DNAT, SNAT, MASQUERADE, REDIRECT) and host masks (NETMAP, NPT) */
#include "base.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <sys/socket.h>

#include "nat.h"
#include "spec.h"

/*
 * The targets keep one of three structs; each is read into and written
 * back from a struct nf_nat_range2, which holds all of them.
 */
static void nat_load(const struct fw_xt *x, struct nf_nat_range2 *r)
{
	const struct nf_nat_ipv4_multi_range_compat *mr =
		(const void *)x->data;

	memset(r, 0, sizeof(*r));
	if (x->ext->size == sizeof(*mr)) {
		r->flags = mr->range[0].flags;
		r->min_addr.ip = mr->range[0].min_ip;
		r->max_addr.ip = mr->range[0].max_ip;
		r->min_proto = mr->range[0].min;
		r->max_proto = mr->range[0].max;
	} else if (x->ext->size == sizeof(struct nf_nat_range)) {
		memcpy(r, x->data, sizeof(struct nf_nat_range));
	} else {
		memcpy(r, x->data, sizeof(*r));
	}
}

static void nat_store(struct fw_xt *x, const struct nf_nat_range2 *r)
{
	struct nf_nat_ipv4_multi_range_compat *mr = (void *)x->data;

	if (x->ext->size == sizeof(*mr)) {
		mr->range[0].flags = r->flags;
		mr->range[0].min_ip = r->min_addr.ip;
		mr->range[0].max_ip = r->max_addr.ip;
		mr->range[0].min = r->min_proto;
		mr->range[0].max = r->max_proto;
	} else if (x->ext->size == sizeof(struct nf_nat_range)) {
		memcpy(x->data, r, sizeof(struct nf_nat_range));
	} else {
		memcpy(x->data, r, sizeof(*r));
	}
}

void fw_nat_init_compat(struct fw_xt *x, const struct fw_rule *r)
{
	struct nf_nat_ipv4_multi_range_compat *mr = (void *)x->data;

	mr->rangesize = 1;
}

/* The option of x's ext with this id (the first: the canonical name). */
static const char *nat_opt_name(const struct fw_xt *x, unsigned id)
{
	const struct fw_opt *o;

	for (o = x->ext->opts; o->name; o++)
		if (o->id == id)
			return o->name;
	return NULL;
}

/*
 * A number as libxtables' strtoui with an end pointer reads it: any base,
 * no sign, trailing text left at *end.
 */
static bool nat_num(const char *s, char **end, unsigned min, unsigned max,
		    unsigned *v)
{
	const char *q = s;
	uintmax_t n;

	while (isspace((unsigned char)*q))
		q++;
	if (*q == '-')
		return false;
	errno = 0;
	n = strtoumax(s, end, 0);
	if (*end == s || errno == ERANGE || n < min || n > max)
		return false;
	*v = n;
	return true;
}

static bool nat_service(const char *s, unsigned *port)
{
	int sp = fw_serv_port(s, NULL);

	if (sp < 0)
		return false;
	*port = (unsigned)sp;
	return true;
}

/* Ports only mean something for these protocols (by -p, "!" or not). */
static bool nat_portok(const struct fw_rule *r)
{
	if (!(r->has & FW_HAS_PROTO))
		return false;
	switch (r->proto) {
	case IPPROTO_TCP:
	case IPPROTO_UDP:
	case IPPROTO_SCTP:
	case IPPROTO_DCCP:
	case IPPROTO_ICMP:
		return true;
	}
	return false;
}

/* "PORT[-PORT[/BASE]]"; a name only as a lone port or as base. */
static int nat_parse_ports(struct fw_pctx *p, const char *arg,
			   struct nf_nat_range2 *r)
{
	unsigned port, maxport, base;
	char *end;

	if (!nat_portok(p->rule))
		return fw_error(p->errs, p->loc, "a port needs '-p tcp', "
				"'-p udp', '-p sctp' or '-p dccp'");
	r->flags |= NF_NAT_RANGE_PROTO_SPECIFIED;
	if (!nat_num(arg, &end, 0, 65535, &port)) {
		if (!nat_service(arg, &port))
			return fw_error(p->errs, p->loc, "invalid port '%s'",
					arg);
		end = (char *)"";
	}
	if (*end == '\0') {
		r->min_proto.tcp.port = r->max_proto.tcp.port = htons(port);
		return 0;
	}
	if (*end != '-')
		return fw_error(p->errs, p->loc, *end == ':' ?
				"invalid port range '%s': use a dash" :
				"garbage after port '%s'", arg);
	arg = end + 1;
	if (!nat_num(arg, &end, 0, 65535, &maxport))
		return fw_error(p->errs, p->loc, "invalid port '%s'", arg);
	if (maxport < port)
		return fw_error(p->errs, p->loc, "invalid port range: "
				"%u above %u", port, maxport);
	r->min_proto.tcp.port = htons(port);
	r->max_proto.tcp.port = htons(maxport);
	if (*end == '\0')
		return 0;
	if (*end != '/')
		return fw_error(p->errs, p->loc,
				"garbage after port range '%s'", end);
	arg = end + 1;
	/* 1.8.9 ignores text after a numeric base port */
	if (!nat_num(arg, &end, 1, 65535, &base) && !nat_service(arg, &base))
		return fw_error(p->errs, p->loc, "invalid port '%s'", arg);
	r->flags |= NF_NAT_RANGE_PROTO_OFFSET;
	r->base_proto.tcp.port = htons(base);
	return 0;
}

/* "ADDR[-ADDR]" of the rule's family into r. */
static int nat_parse_addrs(struct fw_pctx *p, char *s,
			   struct nf_nat_range2 *r)
{
	int af = p->rule->family == FW_AF_IPV6 ? AF_INET6 : AF_INET;
	char *dash = strchr(s, '-');

	r->flags |= NF_NAT_RANGE_MAP_IPS;
	if (dash)
		*dash = '\0';
	if (inet_pton(af, s, &r->min_addr) != 1)
		return fw_error(p->errs, p->loc, "invalid address '%s'", s);
	if (!dash) {
		r->max_addr = r->min_addr;
		return 0;
	}
	if (inet_pton(af, dash + 1, &r->max_addr) != 1)
		return fw_error(p->errs, p->loc, "invalid address '%s'",
				dash + 1);
	return 0;
}

/*
 * "[ADDR[-ADDR]][:PORTS]"; IPv6 with ports puts the addresses in
 * brackets. One colon in an unbracketed word is the port separator.
 */
static int nat_parse_to(struct fw_pctx *p, const char *orig,
			struct nf_nat_range2 *r)
{
	char *arg = xstrdup(orig), *start, *end, *colon;
	int rc = -1;

	start = strchr(arg, '[');
	if (!start) {
		start = arg;
		colon = strchr(arg, ':');
		if (colon && strchr(colon + 1, ':'))
			colon = NULL;
	} else {
		start++;
		end = strchr(start, ']');
		if (!end || p->rule->family != FW_AF_IPV6) {
			fw_error(p->errs, p->loc, "invalid address format '%s'",
				 orig);
			goto out;
		}
		*end = '\0';
		colon = strchr(end + 1, ':');
	}
	if (colon) {
		if (nat_parse_ports(p, colon + 1, r))
			goto out;
		/* ":PORTS" or "[]:PORTS": no addresses */
		if (colon == arg || colon == arg + 2) {
			rc = 0;
			goto out;
		}
		*colon = '\0';
	}
	rc = nat_parse_addrs(p, start, r);
out:
	free(arg);
	return rc;
}

int fw_nat_parse(struct fw_pctx *p, const struct fw_opt *o, char **argv)
{
	struct nf_nat_range2 r;

	nat_load(p->xt, &r);
	switch (o->id) {
	case FW_NAT_O_TO:
		if (nat_parse_to(p, argv[0], &r))
			return -1;
		break;
	case FW_NAT_O_PORTS:
		if (nat_parse_ports(p, argv[0], &r))
			return -1;
		break;
	case FW_NAT_O_RANDOM:
		r.flags |= NF_NAT_RANGE_PROTO_RANDOM;
		break;
	case FW_NAT_O_RANDOM_FULLY:
		r.flags |= NF_NAT_RANGE_PROTO_RANDOM_FULLY;
		break;
	case FW_NAT_O_PERSISTENT:
		r.flags |= NF_NAT_RANGE_PERSISTENT;
		break;
	}
	nat_store(p->xt, &r);
	return 0;
}

int fw_nat_need_to(struct fw_pctx *p)
{
	if (p->xt->seen & 1u << FW_NAT_O_TO)
		return 0;
	return fw_error(p->errs, p->loc, "%s needs '--%s'", p->xt->ext->name,
			nat_opt_name(p->xt, FW_NAT_O_TO));
}

int fw_nat_no_offset(struct fw_pctx *p)
{
	struct nf_nat_range2 r;

	nat_load(p->xt, &r);
	if (!(r.flags & NF_NAT_RANGE_PROTO_OFFSET))
		return 0;
	return fw_error(p->errs, p->loc,
			"%s does not support shifted port ranges ('/BASE')",
			p->xt->ext->name);
}

/* The length of a mask in address form, -1 if not one, 255 for holes. */
static int hostmask_mask(const char *s, int family)
{
	uint8_t m[16];
	int n;

	if (family == FW_AF_IPV6 ? inet_pton(AF_INET6, s, m) != 1
				 : !inet_aton(s, (struct in_addr *)m))
		return -1;
	n = fw_mask_prefix(m, fw_addr_len(family));
	return n < 0 ? 255 : n;
}

/* The prefix length after '/': a number (any base) or a mask; -1 if bad. */
static int hostmask_len(const char *s, int family)
{
	unsigned max = fw_addr_len(family) * 8;
	unsigned long v;
	char *end;

	if (*s && *s != '-' && !isspace((unsigned char)*s)) {
		errno = 0;
		v = strtoul(s, &end, 0);
		if (!errno && !*end && v <= max)
			return v;
	}
	return hostmask_mask(s, family);
}

int fw_nat_hostmask(struct fw_pctx *p, const char *s, struct fw_addr *a,
		    uint8_t *plen)
{
	int family = p->rule->family, n = fw_addr_len(family) * 8, rc = 0;
	char *host = xstrdup(s), *slash = strchr(host, '/');

	if (slash)
		*slash++ = '\0';
	if (slash && (n = hostmask_len(slash, family)) < 0)
		rc = fw_error(p->errs, p->loc, "invalid mask '%s'", slash);
	else if (fw_addr_parse(host, family, a, p->errs, p->loc))
		rc = -1;
	free(host);
	if (rc)
		return -1;
	*plen = n;
	if (n == 255)
		return 0;
	fw_mask_from_prefix(a->m, (unsigned)n);
	return 0;
}

/* iptables' sprint_range(): addresses, then ":min[-max][/base]". */
static void nat_format(const struct nf_nat_range2 *r, int family, char *buf,
		       size_t len)
{
	bool v6 = family == FW_AF_IPV6;
	bool br = v6 && r->flags & NF_NAT_RANGE_PROTO_SPECIFIED;
	char lo[FW_NTOP_SIZE], hi[FW_NTOP_SIZE];
	size_t n = 0;

	buf[0] = '\0';
	if (r->flags & NF_NAT_RANGE_MAP_IPS) {
		fw_ntop(v6, &r->min_addr, lo);
		fw_ntop(v6, &r->max_addr, hi);
		if (memcmp(&r->min_addr, &r->max_addr, sizeof(r->min_addr)))
			n = snprintf(buf, len, "%s%s-%s%s", br ? "[" : "", lo,
				     hi, br ? "]" : "");
		else
			n = snprintf(buf, len, "%s%s%s", br ? "[" : "", lo,
				     br ? "]" : "");
	}
	if (!(r->flags & NF_NAT_RANGE_PROTO_SPECIFIED))
		return;
	n += snprintf(buf + n, len - n, ":%u", ntohs(r->min_proto.tcp.port));
	if (r->max_proto.tcp.port != r->min_proto.tcp.port)
		n += snprintf(buf + n, len - n, "-%u",
			      ntohs(r->max_proto.tcp.port));
	if (r->flags & NF_NAT_RANGE_PROTO_OFFSET)
		snprintf(buf + n, len - n, "/%u",
			 ntohs(r->base_proto.tcp.port));
}

void fw_nat_print(const struct fw_xt *x, const struct fw_rule *r,
		  struct fw_pr *pr)
{
	static const struct {
		uint32_t flag;
		const char *name;
	} flag_tbl[] = {
		{ NF_NAT_RANGE_PROTO_RANDOM, "random" },
		{ NF_NAT_RANGE_PROTO_RANDOM_FULLY, "random-fully" },
		{ NF_NAT_RANGE_PERSISTENT, "persistent" },
	};
	const char *to = nat_opt_name(x, FW_NAT_O_TO);
	struct nf_nat_range2 n;
	char buf[2 * INET6_ADDRSTRLEN + 32];
	size_t i;

	nat_load(x, &n);
	nat_format(&n, r->family, buf, sizeof(buf));
	if (*buf && to)
		fw_pr_val(pr, false, to, "%s", buf);
	else if (*buf)
		fw_pr_val(pr, false, nat_opt_name(x, FW_NAT_O_PORTS), "%s",
			  buf[0] == ':' ? buf + 1 : buf);
	for (i = 0; i < FW_ARRAY_SIZE(flag_tbl); i++)
		if (n.flags & flag_tbl[i].flag)
			fw_pr_flag(pr, false, flag_tbl[i].name);
}
