/* SPDX-License-Identifier: GPL-2.0-or-later */
/* hbh and dst matches (IPv6 hop-by-hop / destination options headers) */
#include "base.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linux/netfilter_ipv6/ip6t_opts.h>

#include "ext.h"

enum { O_LEN, O_OPTS };

static const struct fw_opt hbh_opts[] = {
	{ "hbh-len", O_LEN, 1, FW_OPT_INV },
	{ "hbh-opts", O_OPTS, 1, 0 },
	{ NULL },
};

static const struct fw_opt dst_opts[] = {
	{ "dst-len", O_LEN, 1, FW_OPT_INV },
	{ "dst-opts", O_OPTS, 1, 0 },
	{ NULL },
};

/* One number of an option list: strtoul, kept to its low byte (1.8.9). */
static int opts_num(struct fw_pctx *p, const char *s, uint16_t *v)
{
	unsigned long n;
	char *end;

	errno = 0;
	n = strtoul(s, &end, 0);
	if (end == s || *end || errno == ERANGE)
		return fw_error(p->errs, p->loc, "invalid option number '%s'",
				s);
	*v = n & 0xff;
	return 0;
}

/* "TYPE[:LEN][,...]": each entry is TYPE << 8 | LEN, LEN 0xff if none. */
static int opts_list(struct fw_pctx *p, const char *s, struct ip6t_opts *o)
{
	char *copy = xstrdup(s), *cp, *next, *len;
	uint16_t type, l;
	int rc = 0;

	o->optsnr = 0;
	for (cp = copy; cp && !rc; cp = next) {
		next = strchr(cp, ',');
		if (next)
			*next++ = '\0';
		len = strchr(cp, ':');
		if (len)
			*len++ = '\0';
		if (o->optsnr == IP6T_OPTS_OPTSNR ||
		    (len && o->optsnr == IP6T_OPTS_OPTSNR - 1)) {
			rc = fw_error(p->errs, p->loc, "too many options in "
				      "'%s'", s);
		} else if (opts_num(p, cp, &type) ||
			   (len && opts_num(p, len, &l))) {
			rc = -1;
		} else if (len && type == 0) {
			rc = fw_error(p->errs, p->loc, "option 0 (Pad1) has "
				      "no length");
		} else {
			o->opts[o->optsnr++] = type << 8 | (len ? l : 0xff);
		}
	}
	free(copy);
	return rc;
}

static int hbh_parse(struct fw_pctx *p, const struct fw_opt *o, char **argv)
{
	struct ip6t_opts *h = (struct ip6t_opts *)p->xt->data;
	uint64_t v;

	if (o->id == O_OPTS) {
		if (opts_list(p, argv[0], h))
			return -1;
		h->flags |= IP6T_OPTS_OPTS;
		return 0;
	}
	if (fw_parse_uint(p, argv[0], 0xffffffff, &v))
		return -1;
	h->hdrlen = v;
	h->flags |= IP6T_OPTS_LEN;
	if (p->inv)
		h->invflags |= IP6T_OPTS_INV_LEN;
	return 0;
}

static void hbh_print(const struct fw_xt *x, const struct fw_rule *r,
		      struct fw_pr *pr)
{
	const struct ip6t_opts *h = (const struct ip6t_opts *)x->data;
	const struct fw_opt *o = x->ext->opts;
	char buf[IP6T_OPTS_OPTSNR * 8 + 1];
	size_t n = 0;
	unsigned i;

	if (h->flags & IP6T_OPTS_LEN)
		fw_pr_val(pr, h->invflags & IP6T_OPTS_INV_LEN, o[O_LEN].name,
			  "%u", h->hdrlen);
	if (!(h->flags & IP6T_OPTS_OPTS))
		return;
	buf[0] = '\0';
	for (i = 0; i < h->optsnr && i < IP6T_OPTS_OPTSNR; i++) {
		n += snprintf(buf + n, sizeof(buf) - n, "%s%u", i ? "," : "",
			      h->opts[i] >> 8);
		if ((h->opts[i] & 0xff) != 0xff)
			n += snprintf(buf + n, sizeof(buf) - n, ":%u",
				      h->opts[i] & 0xff);
	}
	fw_pr_val(pr, false, o[O_OPTS].name, "%s", buf);
}

static const struct fw_case hbh_tests[] = {
	{ "", "=", FW_OK, 0, NULL },
	{ "--hbh-len 42", "=", FW_OK, 0, NULL },
	{ "! --hbh-len 42", "=", FW_OK, 0, NULL },
	{ "--hbh-len 42 --hbh-opts 1:2,23:42,4:6,8:10,42,23,4:5", "=", FW_OK,
	  0, NULL },
	{ "--hbh-opts 0x10:0x20,5:255", "--hbh-opts 16:32,5", FW_OK, 0,
	  NULL },
	{ "--hbh-opts 257:1", "--hbh-opts 1:1", FW_OK, 0, NULL },
	{ "--hbh-opts 0:1", NULL, FW_FAIL, 0, NULL },
	{ "--hbh-opts 1:", NULL, FW_FAIL, 0, NULL },
	{ "--hbh-opts x", NULL, FW_FAIL, 0, NULL },
	{ "--hbh-opts 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16", "=", FW_OK, 0,
	  NULL },
	{ "--hbh-opts 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17", NULL,
	  FW_FAIL, 0, NULL },
	{ "--hbh-opts 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16:1", NULL,
	  FW_FAIL, 0, NULL },
	{ "! --hbh-opts 1", NULL, FW_FAIL, 0, NULL },
	{ NULL },
};

static const struct fw_case dst_tests[] = {
	{ "--dst-len 0", "=", FW_OK, 0, NULL },
	{ "--dst-opts 149:92,12:12,123:12", "=", FW_OK, 0, NULL },
	{ "! --dst-len 42", "=", FW_OK, 0, NULL },
	{ "--dst-opts 7 --dst-len 42", "--dst-len 42 --dst-opts 7", FW_OK, 0,
	  NULL },
	{ "--dst-len -1", NULL, FW_FAIL, 0, NULL },
	{ NULL },
};

const struct fw_ext fw_ext_hbh = {
	.name = "hbh",
	.kind = FW_EXT_MATCH,
	.family = FW_AF_IPV6,
	.size = sizeof(struct ip6t_opts),
	.opts = hbh_opts,
	.parse = hbh_parse,
	.print = hbh_print,
	.tests = hbh_tests,
};

const struct fw_ext fw_ext_dst = {
	.name = "dst",
	.kind = FW_EXT_MATCH,
	.family = FW_AF_IPV6,
	.size = sizeof(struct ip6t_opts),
	.opts = dst_opts,
	.parse = hbh_parse,
	.print = hbh_print,
	.tests = dst_tests,
};
