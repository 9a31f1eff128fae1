/* SPDX-License-Identifier: GPL-2.0-or-later */
/* srh match (IPv6 segment routing header, revision 1) */
#include "base.h"

#include <arpa/inet.h>
#include <netdb.h>
#include <stddef.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/netfilter_ipv6/ip6t_srh.h>

#include "ext.h"

/* Option ids are the bit numbers of IP6T_SRH_* and IP6T_SRH_INV_*. */
enum {
	O_NEXTHDR, O_LEN_EQ, O_LEN_GT, O_LEN_LT, O_SEGS_EQ, O_SEGS_GT,
	O_SEGS_LT, O_LAST_EQ, O_LAST_GT, O_LAST_LT, O_TAG, O_PSID, O_NSID,
	O_LSID,
};

/* In save order; the index is the option id. */
static const struct fw_opt srh_opts[] = {
	{ "srh-next-hdr", O_NEXTHDR, 1, FW_OPT_INV },
	{ "srh-hdr-len-eq", O_LEN_EQ, 1, FW_OPT_INV },
	{ "srh-hdr-len-gt", O_LEN_GT, 1, FW_OPT_INV },
	{ "srh-hdr-len-lt", O_LEN_LT, 1, FW_OPT_INV },
	{ "srh-segs-left-eq", O_SEGS_EQ, 1, FW_OPT_INV },
	{ "srh-segs-left-gt", O_SEGS_GT, 1, FW_OPT_INV },
	{ "srh-segs-left-lt", O_SEGS_LT, 1, FW_OPT_INV },
	{ "srh-last-entry-eq", O_LAST_EQ, 1, FW_OPT_INV },
	{ "srh-last-entry-gt", O_LAST_GT, 1, FW_OPT_INV },
	{ "srh-last-entry-lt", O_LAST_LT, 1, FW_OPT_INV },
	{ "srh-tag", O_TAG, 1, FW_OPT_INV },
	{ "srh-psid", O_PSID, 1, FW_OPT_INV },
	{ "srh-nsid", O_NSID, 1, FW_OPT_INV },
	{ "srh-lsid", O_LSID, 1, FW_OPT_INV },
	{ NULL },
};

/* Where each option's value lives, by option id. */
static const struct {
	size_t off, moff;	/* value (address) and mask (SIDs only) */
	uint8_t size;		/* 1, 2, or 16 for an address/mask */
} srh_field_tbl[] = {
	[O_NEXTHDR] = { offsetof(struct ip6t_srh1, next_hdr), 0, 1 },
	[O_LEN_EQ] = { offsetof(struct ip6t_srh1, hdr_len), 0, 1 },
	[O_LEN_GT] = { offsetof(struct ip6t_srh1, hdr_len), 0, 1 },
	[O_LEN_LT] = { offsetof(struct ip6t_srh1, hdr_len), 0, 1 },
	[O_SEGS_EQ] = { offsetof(struct ip6t_srh1, segs_left), 0, 1 },
	[O_SEGS_GT] = { offsetof(struct ip6t_srh1, segs_left), 0, 1 },
	[O_SEGS_LT] = { offsetof(struct ip6t_srh1, segs_left), 0, 1 },
	[O_LAST_EQ] = { offsetof(struct ip6t_srh1, last_entry), 0, 1 },
	[O_LAST_GT] = { offsetof(struct ip6t_srh1, last_entry), 0, 1 },
	[O_LAST_LT] = { offsetof(struct ip6t_srh1, last_entry), 0, 1 },
	[O_TAG] = { offsetof(struct ip6t_srh1, tag), 0, 2 },
	[O_PSID] = { offsetof(struct ip6t_srh1, psid_addr),
		     offsetof(struct ip6t_srh1, psid_msk), 16 },
	[O_NSID] = { offsetof(struct ip6t_srh1, nsid_addr),
		     offsetof(struct ip6t_srh1, nsid_msk), 16 },
	[O_LSID] = { offsetof(struct ip6t_srh1, lsid_addr),
		     offsetof(struct ip6t_srh1, lsid_msk), 16 },
};

/* A host (resolved as 1.8.9 does: one address only). */
static int sid_host(struct fw_pctx *p, const char *s, uint8_t *a)
{
	struct addrinfo hints = { .ai_family = AF_INET6 }, *res, *r;
	bool seen = false;
	int rc = 0;

	if (getaddrinfo(s, NULL, &hints, &res))
		return fw_error(p->errs, p->loc, "host '%s' not found", s);
	for (r = res; r; r = r->ai_next) {
		const uint8_t *h = ((struct sockaddr_in6 *)r->ai_addr)
					->sin6_addr.s6_addr;

		if (!seen)
			memcpy(a, h, 16);
		else if (memcmp(a, h, 16))
			rc = fw_error(p->errs, p->loc, "host '%s' has several "
				      "addresses", s);
		seen = true;
	}
	freeaddrinfo(res);
	return rc;
}

/* "/N" or "/MASK"; a mask that is not a prefix counts as /128 (1.8.9). */
static int sid_mask(struct fw_pctx *p, const char *s, uint8_t *m)
{
	uint64_t n = 128;
	uint8_t tmp[16];
	int i;

	if (inet_pton(AF_INET6, s, tmp) == 1) {
		i = fw_mask_prefix(tmp, 16);
		n = i < 0 ? 128 : (uint64_t)i;
	} else if (fw_parse_uint(p, s, 128, &n)) {
		return -1;
	}
	fw_mask_from_prefix(m, (unsigned)n);
	return 0;
}

/* ADDR[/MASK]; the address is kept unmasked, as 1.8.9 does. */
static int sid_parse(struct fw_pctx *p, const char *s, uint8_t *a,
		     uint8_t *m)
{
	char *copy = xstrdup(s), *slash = strchr(copy, '/');
	int rc;

	if (slash)
		*slash++ = '\0';
	rc = sid_host(p, copy, a);
	if (!rc && slash)
		rc = sid_mask(p, slash, m);
	else if (!rc)
		memset(m, 0xff, 16);
	free(copy);
	return rc;
}

static int srh_parse(struct fw_pctx *p, const struct fw_opt *o, char **argv)
{
	struct ip6t_srh1 *h = (struct ip6t_srh1 *)p->xt->data;
	uint8_t *field = p->xt->data + srh_field_tbl[o->id].off;
	uint64_t v;

	switch (srh_field_tbl[o->id].size) {
	case 1:
	case 2:
		if (fw_parse_uint(p, argv[0], srh_field_tbl[o->id].size == 1 ?
				  0xff : 0xffff, &v))
			return -1;
		if (srh_field_tbl[o->id].size == 1)
			*field = v;
		else
			h->tag = v;
		break;
	default:
		if (sid_parse(p, argv[0], field,
			      p->xt->data + srh_field_tbl[o->id].moff))
			return -1;
	}
	h->mt_flags |= 1u << o->id;
	if (p->inv)
		h->mt_invflags |= 1u << o->id;
	return 0;
}

static void srh_print(const struct fw_xt *x, const struct fw_rule *r,
		      struct fw_pr *pr)
{
	const struct ip6t_srh1 *h = (const struct ip6t_srh1 *)x->data;
	const struct fw_opt *o;
	char buf[INET6_ADDRSTRLEN];
	const uint8_t *field;

	for (o = srh_opts; o->name; o++) {
		bool inv = h->mt_invflags & (1u << o->id);

		if (!(h->mt_flags & (1u << o->id)))
			continue;
		field = x->data + srh_field_tbl[o->id].off;
		if (srh_field_tbl[o->id].size == 1) {
			fw_pr_val(pr, inv, o->name, "%u", *field);
		} else if (srh_field_tbl[o->id].size == 2) {
			fw_pr_val(pr, inv, o->name, "%u", h->tag);
		} else {
			inet_ntop(AF_INET6, field, buf, sizeof(buf));
			fw_pr_val(pr, inv, o->name, "%s/%u", buf,
				  (unsigned)fw_mask_prefix(x->data +
					srh_field_tbl[o->id].moff, 16));
		}
	}
}

static const struct fw_case srh_tests[] = {
	{ "", "=", FW_OK, 0, NULL },
	{ "--srh-next-hdr 17", "=", FW_OK, 0, NULL },
	{ "! --srh-hdr-len-eq 8", "=", FW_OK, 0, NULL },
	{ "--srh-hdr-len-gt 8 --srh-hdr-len-lt 9",
	  "--srh-hdr-len-gt 9 --srh-hdr-len-lt 9", FW_OK, 0, NULL },
	{ "! --srh-segs-left-lt 1 --srh-segs-left-gt 0",
	  "--srh-segs-left-gt 0 ! --srh-segs-left-lt 0", FW_OK, 0, NULL },
	{ "--srh-tag 0 --srh-last-entry-eq 4 --srh-segs-left-eq 1 "
	  "--srh-next-hdr 17", "--srh-next-hdr 17 --srh-segs-left-eq 1 "
	  "--srh-last-entry-eq 4 --srh-tag 0", FW_OK, 0, NULL },
	{ "--srh-tag 65535 ! --srh-last-entry-gt 3 --srh-last-entry-lt 4",
	  "! --srh-last-entry-gt 4 --srh-last-entry-lt 4 --srh-tag 65535",
	  FW_OK, 0, NULL },
	{ "--srh-psid a::/64 --srh-nsid b::/128 --srh-lsid c::/0", "=", FW_OK,
	  0, NULL },
	{ "! --srh-psid a::/64 ! --srh-nsid b:: ! --srh-lsid c::1/ffff::",
	  "! --srh-psid a::/64 ! --srh-nsid b::/128 ! --srh-lsid c::1/16",
	  FW_OK, 0, NULL },
	{ "--srh-psid a::/ff00::ff", "--srh-psid a::/128", FW_OK, 0, NULL },
	{ "--srh-next-hdr 256", NULL, FW_FAIL, 0, NULL },
	{ "--srh-tag 65536", NULL, FW_FAIL, 0, NULL },
	{ "--srh-psid a::/129", NULL, FW_FAIL, 0, NULL },
	{ "--srh-psid 1.2.3.4", NULL, FW_FAIL, 0, NULL },
	{ NULL },
};

const struct fw_ext fw_ext_srh = {
	.name = "srh",
	.kind = FW_EXT_MATCH,
	.family = FW_AF_IPV6,
	.revision = 1,
	.size = sizeof(struct ip6t_srh1),
	.opts = srh_opts,
	.parse = srh_parse,
	.print = srh_print,
	.tests = srh_tests,
};
