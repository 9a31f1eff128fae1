/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Rule messages read in place: the attributes of a NEWRULE message from
 * the kernel found and checked, nothing copied. fw-save decodes every
 * rule it prints from these (libnftnl's objects cost a malloc per
 * expression and a name lookup among all expression types).
 */
#ifndef FW_NLMSG_H
#define FW_NLMSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <linux/netlink.h>

struct nftnl_rule;

/* A rule message's top-level attributes (absent: NULL or 0). */
struct fw_nlrule {
	const struct nlmsghdr *nlh;
	const char *table, *chain;
	uint64_t handle;
	const struct nlattr *exprs;	/* NFTA_RULE_EXPRESSIONS */
	const void *udata;		/* NFTA_RULE_USERDATA, NULL if absent */
	uint32_t udata_len;
};

/*
 * Find r's attributes in nlh (a NEWRULE message). 0, or -1 with errno
 * EINVAL when an attribute overruns the message or has the wrong size.
 */
int fw_nlrule_parse(const struct nlmsghdr *nlh, struct fw_nlrule *r);

/* The expression names iptables-nft-save reads; all others: FW_NLX_OTHER. */
enum fw_nlx_kind {
	FW_NLX_OTHER, FW_NLX_MATCH, FW_NLX_TARGET, FW_NLX_PAYLOAD,
	FW_NLX_META, FW_NLX_CMP, FW_NLX_BITWISE, FW_NLX_COUNTER,
	FW_NLX_IMMEDIATE, FW_NLX_RANGE, FW_NLX_LIMIT, FW_NLX_LOG,
};

/* Highest expression attribute type kept (the kinds above need 8). */
#define FW_NLX_MAX	15

/*
 * One expression: its name and its data attributes by type (tb[t] is
 * valid only when bit t of set is).
 */
struct fw_nlexpr {
	const char *name;
	enum fw_nlx_kind kind;
	uint32_t set;
	const struct nlattr *tb[FW_NLX_MAX + 1];
};

/*
 * r's expressions, in order, into v[0..n-1]. Returns how many r has
 * (when more than n, only the first n are read), or -1 with errno EINVAL
 * for a malformed expression list.
 */
int fw_nlrule_exprs(const struct fw_nlrule *r, struct fw_nlexpr *v,
		    unsigned n);

/*
 * Attribute values, host order; 0 or NULL when absent or too short (as
 * nftnl_expr_get_*() for an attribute that is not set).
 */
bool fw_nlx_has(const struct fw_nlexpr *e, unsigned type);
uint16_t fw_nlx_u16(const struct fw_nlexpr *e, unsigned type);
uint32_t fw_nlx_u32(const struct fw_nlexpr *e, unsigned type);
uint64_t fw_nlx_u64(const struct fw_nlexpr *e, unsigned type);
/* A NUL-terminated string attribute, else NULL. */
const char *fw_nlx_str(const struct fw_nlexpr *e, unsigned type);
/* A raw attribute's payload (match and target info). */
const void *fw_nlx_bin(const struct fw_nlexpr *e, unsigned type,
		       uint32_t *len);
/* The NFTA_DATA_VALUE inside a data attribute (cmp data, bitwise mask). */
const void *fw_nlx_value(const struct fw_nlexpr *e, unsigned type,
			 uint32_t *len);
/*
 * The NFTA_DATA_VERDICT inside a data attribute: true with its code and
 * chain (NULL if none), false when it holds no verdict.
 */
bool fw_nlx_verdict(const struct fw_nlexpr *e, unsigned type, int32_t *code,
		    const char **chain);

/*
 * For tests and fuzzers that build rules as libnftnl objects: nr as the
 * kernel would send it, in buf (size bytes), then parsed into r.
 */
int fw_nlrule_from_nftnl(const struct nftnl_rule *nr, void *buf, size_t size,
			 struct fw_nlrule *r);

/*
 * Writing attributes: libmnl's mnl_attr_put*() and nest functions, the
 * same bytes, inline. The encoder writes some 25 attributes per rule:
 * through libmnl (calls through the PLT, a memcpy call for 4 bytes) they
 * were an eighth of fw-restore's own instructions.
 */
static inline struct nlattr *fw_nla_tail(struct nlmsghdr *nlh)
{
	return (struct nlattr *)((char *)nlh + NLMSG_ALIGN(nlh->nlmsg_len));
}

static inline void fw_nla_put(struct nlmsghdr *nlh, uint16_t type,
			      size_t len, const void *data)
{
	struct nlattr *a = fw_nla_tail(nlh);
	size_t alen = NLA_HDRLEN + len;

	a->nla_type = type;
	a->nla_len = (uint16_t)alen;
	if (len)
		memcpy((char *)a + NLA_HDRLEN, data, len);
	memset((char *)a + alen, 0, NLA_ALIGN(alen) - alen);
	nlh->nlmsg_len += (uint32_t)NLA_ALIGN(alen);
}

/* v and the u64 below in network order already, as mnl_attr_put_u32(). */
static inline void fw_nla_put_u32(struct nlmsghdr *nlh, uint16_t type,
				  uint32_t v)
{
	fw_nla_put(nlh, type, sizeof(v), &v);
}

static inline void fw_nla_put_u64(struct nlmsghdr *nlh, uint16_t type,
				  uint64_t v)
{
	fw_nla_put(nlh, type, sizeof(v), &v);
}

static inline void fw_nla_put_strz(struct nlmsghdr *nlh, uint16_t type,
				   const char *s)
{
	fw_nla_put(nlh, type, strlen(s) + 1, s);
}

static inline struct nlattr *fw_nla_nest_start(struct nlmsghdr *nlh,
					       uint16_t type)
{
	struct nlattr *a = fw_nla_tail(nlh);

	a->nla_type = NLA_F_NESTED | type;
	nlh->nlmsg_len += NLA_HDRLEN;
	return a;
}

static inline void fw_nla_nest_end(struct nlmsghdr *nlh, struct nlattr *a)
{
	a->nla_len = (uint16_t)((char *)fw_nla_tail(nlh) - (char *)a);
}

#endif
