/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Rule messages read in place (see nlmsg.h) */
#include "base.h"

#include <errno.h>
#include <string.h>
#include <arpa/inet.h>

#include <linux/netlink.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nf_tables_compat.h>
#include <libnftnl/common.h>
#include <libnftnl/rule.h>

#include "nlmsg.h"

/* Every attribute the decoders read has a slot in fw_nlexpr.tb. */
_Static_assert(NFTA_PAYLOAD_MAX <= FW_NLX_MAX &&
	       NFTA_META_MAX <= FW_NLX_MAX && NFTA_CMP_MAX <= FW_NLX_MAX &&
	       NFTA_BITWISE_MAX <= FW_NLX_MAX &&
	       NFTA_IMMEDIATE_MAX <= FW_NLX_MAX &&
	       NFTA_COUNTER_MAX <= FW_NLX_MAX &&
	       NFTA_RANGE_MAX <= FW_NLX_MAX && NFTA_LIMIT_MAX <= FW_NLX_MAX &&
	       NFTA_LOG_MAX <= FW_NLX_MAX && NFTA_MATCH_MAX <= FW_NLX_MAX &&
	       NFTA_TARGET_MAX <= FW_NLX_MAX,
	       "FW_NLX_MAX too small");

/* The largest data value libnftnl accepts (struct nftnl_data_reg). */
#define NLX_VALUE_MAX	64u

/* Walking attributes: each must fit in what is left, header included. */
struct walk {
	const uint8_t *p, *end;
};

static void walk_init(struct walk *w, const void *p, size_t len)
{
	w->p = p;
	w->end = w->p + len;
}

static void walk_nested(struct walk *w, const struct nlattr *a)
{
	walk_init(w, (const uint8_t *)a + NLA_HDRLEN, a->nla_len - NLA_HDRLEN);
}

/* The next attribute, NULL at the end; *bad when it overruns. */
static const struct nlattr *walk_next(struct walk *w, bool *bad)
{
	const struct nlattr *a = (const void *)w->p;
	size_t left = (size_t)(w->end - w->p), step;

	if (left < NLA_HDRLEN)
		return NULL;	/* trailing padding, as mnl_attr_ok() */
	if (a->nla_len < NLA_HDRLEN || a->nla_len > left) {
		*bad = true;
		return NULL;
	}
	step = ((size_t)a->nla_len + NLA_ALIGNTO - 1) & ~(size_t)3;
	w->p += step < left ? step : left;
	return a;
}

static unsigned attr_type(const struct nlattr *a)
{
	return a->nla_type & NLA_TYPE_MASK;
}

static const void *attr_data(const struct nlattr *a)
{
	return (const uint8_t *)a + NLA_HDRLEN;
}

static uint32_t attr_len(const struct nlattr *a)
{
	return a->nla_len - NLA_HDRLEN;
}

/* A NUL-terminated string, else NULL (libmnl's MNL_TYPE_NUL_STRING). */
static const char *attr_str(const struct nlattr *a)
{
	uint32_t len = a ? attr_len(a) : 0;

	if (!len || ((const char *)attr_data(a))[len - 1] != '\0')
		return NULL;
	return attr_data(a);
}

int fw_nlrule_parse(const struct nlmsghdr *nlh, struct fw_nlrule *r)
{
	size_t hdr = NLMSG_HDRLEN + NLMSG_ALIGN(sizeof(struct nfgenmsg));
	const struct nlattr *a;
	uint64_t h;
	bool bad = false;
	struct walk w;

	memset(r, 0, sizeof(*r));
	r->nlh = nlh;
	if (nlh->nlmsg_len < hdr)
		goto inval;
	walk_init(&w, (const uint8_t *)nlh + hdr, nlh->nlmsg_len - hdr);
	while ((a = walk_next(&w, &bad))) {
		switch (attr_type(a)) {
		case NFTA_RULE_TABLE:
			if (!(r->table = attr_str(a)))
				goto inval;
			break;
		case NFTA_RULE_CHAIN:
			if (!(r->chain = attr_str(a)))
				goto inval;
			break;
		case NFTA_RULE_HANDLE:
			if (attr_len(a) < sizeof(h))
				goto inval;
			memcpy(&h, attr_data(a), sizeof(h));
			r->handle = be64toh(h);
			break;
		case NFTA_RULE_EXPRESSIONS:
			r->exprs = a;
			break;
		case NFTA_RULE_USERDATA:
			r->udata = attr_data(a);
			r->udata_len = attr_len(a);
			break;
		}
	}
	if (!bad)
		return 0;
inval:
	errno = EINVAL;
	return -1;
}

/*
 * Told apart by first letter, then length and bytes (constant sizes: the
 * compiler compares in place): this runs for every expression of every
 * rule fw-save reads. len counts the NUL.
 */
static enum fw_nlx_kind nlx_kind(const char *name, uint32_t len)
{
#define IS(s, k) \
	if (len == sizeof(s) && !memcmp(name, s, sizeof(s))) \
		return k
	switch (name[0]) {
	case 'b':
		IS("bitwise", FW_NLX_BITWISE);
		break;
	case 'c':
		IS("cmp", FW_NLX_CMP);
		IS("counter", FW_NLX_COUNTER);
		break;
	case 'i':
		IS("immediate", FW_NLX_IMMEDIATE);
		break;
	case 'l':
		IS("limit", FW_NLX_LIMIT);
		IS("log", FW_NLX_LOG);
		break;
	case 'm':
		IS("match", FW_NLX_MATCH);
		IS("meta", FW_NLX_META);
		break;
	case 'p':
		IS("payload", FW_NLX_PAYLOAD);
		break;
	case 'r':
		IS("range", FW_NLX_RANGE);
		break;
	case 't':
		IS("target", FW_NLX_TARGET);
		break;
	}
#undef IS
	return FW_NLX_OTHER;
}

/* One NFTA_LIST_ELEM: its name and data attributes (as libnftnl: a name
 * is required, the data is optional, unknown types are skipped). */
static int expr_parse(const struct nlattr *elem, struct fw_nlexpr *e)
{
	const struct nlattr *a, *name = NULL, *data = NULL;
	bool bad = false;
	struct walk w;

	walk_nested(&w, elem);
	while ((a = walk_next(&w, &bad))) {
		if (attr_type(a) == NFTA_EXPR_NAME)
			name = a;
		else if (attr_type(a) == NFTA_EXPR_DATA)
			data = a;
	}
	e->set = 0;
	if (bad || !(e->name = attr_str(name)))
		return -1;
	e->kind = nlx_kind(e->name, attr_len(name));
	if (!data)
		return 0;
	walk_nested(&w, data);
	while ((a = walk_next(&w, &bad)))
		if (attr_type(a) <= FW_NLX_MAX) {
			e->tb[attr_type(a)] = a;
			e->set |= 1u << attr_type(a);
		}
	return bad ? -1 : 0;
}

int fw_nlrule_exprs(const struct fw_nlrule *r, struct fw_nlexpr *v,
		    unsigned n)
{
	const struct nlattr *a;
	bool bad = false;
	struct walk w;
	int i = 0;

	if (!r->exprs)
		return 0;
	walk_nested(&w, r->exprs);
	while ((a = walk_next(&w, &bad))) {
		if (attr_type(a) != NFTA_LIST_ELEM)
			goto inval;
		if ((unsigned)i < n && expr_parse(a, &v[i]) < 0)
			goto inval;
		i++;
	}
	if (!bad)
		return i;
inval:
	errno = EINVAL;
	return -1;
}

static const struct nlattr *nlx_attr(const struct fw_nlexpr *e,
				     unsigned type, uint32_t min)
{
	const struct nlattr *a = type <= FW_NLX_MAX &&
				 e->set & (1u << type) ? e->tb[type] : NULL;

	return a && attr_len(a) >= min ? a : NULL;
}

bool fw_nlx_has(const struct fw_nlexpr *e, unsigned type)
{
	return nlx_attr(e, type, 0);
}

/*
 * A big-endian number of size bytes; 0 when absent or shorter. Inlined
 * with a constant size, the copy is one load.
 */
static inline uint64_t nlx_be(const struct fw_nlexpr *e, unsigned type,
			      unsigned size)
{
	const struct nlattr *a = nlx_attr(e, type, size);
	uint64_t v = 0;

	if (!a)
		return 0;
	memcpy((char *)&v + sizeof(v) - size, attr_data(a), size);
	return be64toh(v);
}

uint16_t fw_nlx_u16(const struct fw_nlexpr *e, unsigned type)
{
	return (uint16_t)nlx_be(e, type, 2);
}

uint32_t fw_nlx_u32(const struct fw_nlexpr *e, unsigned type)
{
	return (uint32_t)nlx_be(e, type, 4);
}

uint64_t fw_nlx_u64(const struct fw_nlexpr *e, unsigned type)
{
	return nlx_be(e, type, 8);
}

const char *fw_nlx_str(const struct fw_nlexpr *e, unsigned type)
{
	return attr_str(nlx_attr(e, type, 0));
}

const void *fw_nlx_bin(const struct fw_nlexpr *e, unsigned type,
		       uint32_t *len)
{
	const struct nlattr *a = nlx_attr(e, type, 0);

	*len = a ? attr_len(a) : 0;
	return a ? attr_data(a) : NULL;
}

/* The attribute of type want inside data attribute type of e. */
static const struct nlattr *nlx_inner(const struct fw_nlexpr *e,
				      unsigned type, unsigned want)
{
	const struct nlattr *a = nlx_attr(e, type, 0), *in, *found = NULL;
	bool bad = false;
	struct walk w;

	if (!a)
		return NULL;
	walk_nested(&w, a);
	while ((in = walk_next(&w, &bad)))
		if (attr_type(in) == want)
			found = in;
	return bad ? NULL : found;
}

const void *fw_nlx_value(const struct fw_nlexpr *e, unsigned type,
			 uint32_t *len)
{
	const struct nlattr *a = nlx_inner(e, type, NFTA_DATA_VALUE);

	*len = 0;
	if (!a || attr_len(a) > NLX_VALUE_MAX)
		return NULL;
	*len = attr_len(a);
	return attr_data(a);
}

bool fw_nlx_verdict(const struct fw_nlexpr *e, unsigned type, int32_t *code,
		    const char **chain)
{
	const struct nlattr *a = nlx_inner(e, type, NFTA_DATA_VERDICT), *in;
	bool bad = false, has_code = false;
	uint32_t v;
	struct walk w;

	*code = 0;
	*chain = NULL;
	if (!a)
		return false;
	walk_nested(&w, a);
	while ((in = walk_next(&w, &bad))) {
		if (attr_type(in) == NFTA_VERDICT_CODE && attr_len(in) >= 4) {
			memcpy(&v, attr_data(in), sizeof(v));
			*code = (int32_t)ntohl(v);
			has_code = true;
		} else if (attr_type(in) == NFTA_VERDICT_CHAIN) {
			*chain = attr_str(in);
		}
	}
	return !bad && has_code;
}

int fw_nlrule_from_nftnl(const struct nftnl_rule *nr, void *buf, size_t size,
			 struct fw_nlrule *r)
{
	struct nlmsghdr *nlh;

	memset(buf, 0, size);
	nlh = nftnl_nlmsg_build_hdr(buf, NFT_MSG_NEWRULE,
				    (uint16_t)nftnl_rule_get_u32(nr,
						NFTNL_RULE_FAMILY), 0, 1);
	nftnl_rule_nlmsg_build_payload(nlh, (struct nftnl_rule *)nr);
	if (nlh->nlmsg_len > size)
		FW_BUG("rule message of %u bytes in a buffer of %zu",
		       nlh->nlmsg_len, size);
	return fw_nlrule_parse(nlh, r);
}
