/* SPDX-License-Identifier: GPL-2.0-or-later */
/* addrtype match: --src-type, --dst-type, --limit-iface-in/out */
#include "base.h"

#include <string.h>

#include <linux/netfilter/xt_addrtype.h>

#include "ext.h"

enum { O_SRC_TYPE, O_DST_TYPE, O_LIMIT_IN, O_LIMIT_OUT };

static const struct fw_opt addrtype_opts[] = {
	{ "src-type", O_SRC_TYPE, 1, FW_OPT_INV },
	{ "dst-type", O_DST_TYPE, 1, FW_OPT_INV },
	{ "limit-iface-in", O_LIMIT_IN, 0, 0 },
	{ "limit-iface-out", O_LIMIT_OUT, 0, 0 },
	{ NULL },
};

/* Route types, bit i for name i (rtnetlink's RTN_* order). */
static const char *const addrtype_names[] = {
	"UNSPEC", "UNICAST", "LOCAL", "BROADCAST", "ANYCAST", "MULTICAST",
	"BLACKHOLE", "UNREACHABLE", "PROHIBIT", "THROW", "NAT", "XRESOLVE",
};

/* A type name or any prefix of one (the first that fits wins). */
static int addrtype_list(struct fw_pctx *p, const char *arg, uint16_t *mask)
{
	char *copy = xstrdup(arg), *rest = copy, *tok;
	size_t i;
	int rc = 0;

	while (!rc && (tok = strsep(&rest, ","))) {
		for (i = 0; i < FW_ARRAY_SIZE(addrtype_names); i++)
			if (*tok && !strncasecmp(tok, addrtype_names[i],
						 strlen(tok)))
				break;
		if (i < FW_ARRAY_SIZE(addrtype_names))
			*mask |= 1u << i;
		else
			rc = fw_error(p->errs, p->loc,
				      "unknown address type '%s'", tok);
	}
	free(copy);
	return rc;
}

static int addrtype_parse(struct fw_pctx *p, const struct fw_opt *o,
			  char **argv)
{
	struct xt_addrtype_info_v1 *a = (void *)p->xt->data;

	switch (o->id) {
	case O_SRC_TYPE:
		if (p->inv)
			a->flags |= XT_ADDRTYPE_INVERT_SOURCE;
		return addrtype_list(p, argv[0], &a->source);
	case O_DST_TYPE:
		if (p->inv)
			a->flags |= XT_ADDRTYPE_INVERT_DEST;
		return addrtype_list(p, argv[0], &a->dest);
	case O_LIMIT_IN:
		a->flags |= XT_ADDRTYPE_LIMIT_IFACE_IN;
		return 0;
	}
	a->flags |= XT_ADDRTYPE_LIMIT_IFACE_OUT;
	return 0;
}

static int addrtype_check(struct fw_pctx *p)
{
	uint64_t seen = p->xt->seen;

	if (!(seen & (1u << O_SRC_TYPE | 1u << O_DST_TYPE)))
		return fw_error(p->errs, p->loc,
				"addrtype needs '--src-type' or '--dst-type'");
	if (seen & 1u << O_LIMIT_IN && seen & 1u << O_LIMIT_OUT)
		return fw_error(p->errs, p->loc, "'--limit-iface-in' and "
				"'--limit-iface-out' exclude each other");
	return 0;
}

static void addrtype_print_types(struct fw_pr *pr, bool inv, const char *opt,
				 uint16_t mask)
{
	struct fw_buf b = FW_BUF_INIT;
	size_t i;

	for (i = 0; i < FW_ARRAY_SIZE(addrtype_names); i++)
		if (mask & 1u << i)
			fw_buf_addf(&b, "%s%s", b.len ? "," : "",
				    addrtype_names[i]);
	fw_pr_val(pr, inv, opt, "%s", b.buf ? b.buf : "");
	fw_buf_release(&b);
}

static void addrtype_print(const struct fw_xt *x, const struct fw_rule *r,
			   struct fw_pr *pr)
{
	const struct xt_addrtype_info_v1 *a = (const void *)x->data;

	if (a->source)
		addrtype_print_types(pr, a->flags & XT_ADDRTYPE_INVERT_SOURCE,
				     "src-type", a->source);
	if (a->dest)
		addrtype_print_types(pr, a->flags & XT_ADDRTYPE_INVERT_DEST,
				     "dst-type", a->dest);
	if (a->flags & XT_ADDRTYPE_LIMIT_IFACE_IN)
		fw_pr_flag(pr, false, "limit-iface-in");
	if (a->flags & XT_ADDRTYPE_LIMIT_IFACE_OUT)
		fw_pr_flag(pr, false, "limit-iface-out");
}

static const struct fw_case addrtype_tests[] = {
	{ "--src-type UNSPEC", "=", FW_OK, 0, NULL },
	{ "--dst-type LOCAL --src-type LOCAL",
	  "--src-type LOCAL --dst-type LOCAL", FW_OK, 0, NULL },
	{ "! --dst-type local,broad,u", "! --dst-type UNSPEC,LOCAL,BROADCAST",
	  FW_OK, 0, NULL },
	{ "--src-type MULTICAST,XRESOLVE --limit-iface-in", "=", FW_OK, 0,
	  NULL },
	{ "--limit-iface-out --dst-type NAT",
	  "--dst-type NAT --limit-iface-out", FW_OK, 0, NULL },
	{ "--src-type wrong", NULL, FW_FAIL, 0, NULL },
	{ "--src-type LOCAL,", NULL, FW_FAIL, 0, NULL },
	{ "--src-type LOCALX", NULL, FW_FAIL, 0, NULL },
	{ "--limit-iface-in", NULL, FW_FAIL, 0, NULL },
	{ "--src-type LOCAL --limit-iface-in --limit-iface-out", NULL,
	  FW_FAIL, 0, NULL },
	{ "", NULL, FW_FAIL, 0, NULL },
	{ NULL },
};

const struct fw_ext fw_ext_addrtype = {
	.name = "addrtype",
	.kind = FW_EXT_MATCH,
	.revision = 1,
	.size = sizeof(struct xt_addrtype_info_v1),
	.opts = addrtype_opts,
	.parse = addrtype_parse,
	.check = addrtype_check,
	.print = addrtype_print,
	.tests = addrtype_tests,
};
