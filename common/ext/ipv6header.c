/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ipv6header match: [!] --header LIST, --soft */
#include "base.h"

#include <netinet/in.h>
#include <string.h>

#include <linux/netfilter_ipv6/ip6t_ipv6header.h>

#include "ext.h"

enum { O_HEADER, O_SOFT };

static const struct fw_opt ipv6header_opts[] = {
	{ "header", O_HEADER, 1, FW_OPT_INV },
	{ "soft", O_SOFT, 0, 0 },
	{ NULL },
};

/* Header protocols and their bits, in print order. */
static const struct {
	uint8_t proto, bit;
} hdr_bit_tbl[] = {
	{ IPPROTO_HOPOPTS, MASK_HOPOPTS }, { IPPROTO_DSTOPTS, MASK_DSTOPTS },
	{ IPPROTO_ROUTING, MASK_ROUTING }, { IPPROTO_FRAGMENT, MASK_FRAGMENT },
	{ IPPROTO_AH, MASK_AH }, { IPPROTO_ESP, MASK_ESP },
	{ IPPROTO_NONE, MASK_NONE }, { IPPROTO_RAW, MASK_PROTO },
};

/*
 * Names known without /etc/protocols, which is asked first when parsing
 * and, for all but protocol 0, when printing (as 1.8.9 does).
 */
static const struct {
	const char *name;
	uint8_t proto;
} hdr_name_tbl[] = {
	{ "hop-by-hop", IPPROTO_HOPOPTS }, { "protocol", IPPROTO_RAW },
	{ "hop", IPPROTO_HOPOPTS }, { "dst", IPPROTO_DSTOPTS },
	{ "route", IPPROTO_ROUTING }, { "frag", IPPROTO_FRAGMENT },
	{ "auth", IPPROTO_AH }, { "esp", IPPROTO_ESP },
	{ "none", IPPROTO_NONE }, { "prot", IPPROTO_RAW },
	{ "0", IPPROTO_HOPOPTS }, { "60", IPPROTO_DSTOPTS },
	{ "43", IPPROTO_ROUTING }, { "44", IPPROTO_FRAGMENT },
	{ "51", IPPROTO_AH }, { "50", IPPROTO_ESP },
	{ "59", IPPROTO_NONE }, { "255", IPPROTO_RAW },
};

static int hdr_bit(const char *name)
{
	int proto = fw_proto_number(name);
	size_t i;

	if (proto < 0) {
		for (i = 0; i < FW_ARRAY_SIZE(hdr_name_tbl); i++)
			if (!strcmp(name, hdr_name_tbl[i].name))
				proto = hdr_name_tbl[i].proto;
	}
	for (i = 0; i < FW_ARRAY_SIZE(hdr_bit_tbl); i++)
		if (proto == hdr_bit_tbl[i].proto)
			return hdr_bit_tbl[i].bit;
	return -1;
}

static const char *hdr_name(uint8_t proto)
{
	static _Thread_local char name[64];	/* see fw_proto_name() */
	size_t i;

	if (proto && fw_proto_lookup(proto, name, sizeof(name)))
		return name;
	for (i = 0; i < FW_ARRAY_SIZE(hdr_name_tbl); i++)
		if (hdr_name_tbl[i].proto == proto)
			return hdr_name_tbl[i].name;
	return "";
}

static int parse_headers(struct fw_pctx *p, const char *s, uint8_t *mask)
{
	char *copy = xstrdup(s), *tok, *save = NULL;
	int bit, rc = 0;

	*mask = 0;
	for (tok = strtok_r(copy, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		bit = hdr_bit(tok);
		if (bit < 0) {
			rc = fw_error(p->errs, p->loc,
				      "unknown IPv6 header '%s'", tok);
			break;
		}
		*mask |= bit;
	}
	free(copy);
	if (!rc && !*mask)
		rc = fw_error(p->errs, p->loc, "no IPv6 header in '%s'", s);
	return rc;
}

static int ipv6header_parse(struct fw_pctx *p, const struct fw_opt *o,
			    char **argv)
{
	struct ip6t_ipv6header_info *h =
		(struct ip6t_ipv6header_info *)p->xt->data;

	if (o->id == O_SOFT) {
		h->modeflag = 0xff;
		return 0;
	}
	if (parse_headers(p, argv[0], &h->matchflags))
		return -1;
	if (p->inv)
		h->invflags = 0xff;
	return 0;
}

static int ipv6header_check(struct fw_pctx *p)
{
	if (!(p->xt->seen & (1u << O_HEADER)))
		return fw_error(p->errs, p->loc, "ipv6header needs '--header'");
	return 0;
}

static void ipv6header_print(const struct fw_xt *x, const struct fw_rule *r,
			     struct fw_pr *pr)
{
	const struct ip6t_ipv6header_info *h =
		(const struct ip6t_ipv6header_info *)x->data;
	char buf[128];
	size_t i, n = 0;

	buf[0] = '\0';
	for (i = 0; i < FW_ARRAY_SIZE(hdr_bit_tbl); i++) {
		if (!(h->matchflags & hdr_bit_tbl[i].bit))
			continue;
		n += snprintf(buf + n, sizeof(buf) - n, "%s%s", n ? "," : "",
			      hdr_name(hdr_bit_tbl[i].proto));
	}
	fw_pr_val(pr, h->invflags, "header", "%s", n ? buf : "NONE");
	if (h->modeflag)
		fw_pr_flag(pr, false, "soft");
}

static const struct fw_case ipv6header_tests[] = {
	{ "--header hop-by-hop", "=", FW_OK, 0, NULL },
	{ "--header hop-by-hop --soft", "=", FW_OK, 0, NULL },
	{ "--soft --header ipv6-nonxt", "--header ipv6-nonxt --soft", FW_OK,
	  0, NULL },
	{ "--header frag", "--header ipv6-frag", FW_OK, 0, NULL },
	{ "! --header prot,none,esp,auth,frag,route,dst,hop",
	  "! --header hop-by-hop,ipv6-opts,ipv6-route,ipv6-frag,ah,esp,"
	  "ipv6-nonxt,protocol", FW_OK, 0, NULL },
	{ "--header 60,43", "--header ipv6-opts,ipv6-route", FW_OK, 0, NULL },
	{ "--header tcp", NULL, FW_FAIL, 0, NULL },
	{ "--header bogus", NULL, FW_FAIL, 0, NULL },
	{ "--header ,", NULL, FW_FAIL, 0, NULL },
	{ "--soft", NULL, FW_FAIL, 0, NULL },
	{ "", NULL, FW_FAIL, 0, NULL },
	{ NULL },
};

const struct fw_ext fw_ext_ipv6header = {
	.name = "ipv6header",
	.kind = FW_EXT_MATCH,
	.family = FW_AF_IPV6,
	.size = sizeof(struct ip6t_ipv6header_info),
	.opts = ipv6header_opts,
	.parse = ipv6header_parse,
	.check = ipv6header_check,
	.print = ipv6header_print,
	.tests = ipv6header_tests,
};
