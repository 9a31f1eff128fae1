/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ipvs match: IPVS connection properties (--ipvs, --vproto, --vaddr, ...) */
#include "base.h"

#include <arpa/inet.h>
#include <string.h>

#include <linux/ip_vs.h>
#include <linux/netfilter/xt_ipvs.h>

#include "ext.h"

/* The option ids are the bit numbers of XT_IPVS_*. */
enum { O_IPVS, O_VPROTO, O_VADDR, O_VPORT, O_VDIR, O_VMETHOD, O_VPORTCTL };

static const struct fw_opt ipvs_opts[] = {
	{ "ipvs", O_IPVS, 0, FW_OPT_INV },
	{ "vproto", O_VPROTO, 1, FW_OPT_INV },
	{ "vaddr", O_VADDR, 1, FW_OPT_INV },
	{ "vport", O_VPORT, 1, FW_OPT_INV },
	{ "vdir", O_VDIR, 1, 0 },
	{ "vmethod", O_VMETHOD, 1, FW_OPT_INV },
	{ "vportctl", O_VPORTCTL, 1, FW_OPT_INV },
	{ NULL },
};

static const struct {
	const char *name;
	uint8_t method;
} method_tbl[] = {
	{ "GATE", IP_VS_CONN_F_DROUTE },
	{ "IPIP", IP_VS_CONN_F_TUNNEL },
	{ "MASQ", IP_VS_CONN_F_MASQ },
};

static int parse_method(struct fw_pctx *p, const char *s, uint8_t *method)
{
	size_t i;

	for (i = 0; i < FW_ARRAY_SIZE(method_tbl); i++) {
		if (!strcasecmp(s, method_tbl[i].name)) {
			*method = method_tbl[i].method;
			return 0;
		}
	}
	return fw_error(p->errs, p->loc, "unknown IPVS method '%s'", s);
}

/* ORIGINAL or REPLY: REPLY is the inverted direction bit. */
static int parse_dir(struct fw_pctx *p, const char *s,
		     struct xt_ipvs_mtinfo *info)
{
	if (!strcasecmp(s, "ORIGINAL"))
		info->invert &= ~XT_IPVS_DIR;
	else if (!strcasecmp(s, "REPLY"))
		info->invert |= XT_IPVS_DIR;
	else
		return fw_error(p->errs, p->loc, "unknown IPVS direction '%s'",
				s);
	return 0;
}

static int parse_vport(struct fw_pctx *p, const char *s, __be16 *port)
{
	uint16_t v;

	if (fw_parse_port(p, s, &v))
		return -1;
	*port = htons(v);
	return 0;
}

static int ipvs_parse(struct fw_pctx *p, const struct fw_opt *o,
		      char **argv)
{
	struct xt_ipvs_mtinfo *info = (struct xt_ipvs_mtinfo *)p->xt->data;
	int rc = 0;

	switch (o->id) {
	case O_VPROTO:
		if (fw_proto_parse(argv[0], &info->l4proto))
			rc = fw_error(p->errs, p->loc, "unknown protocol '%s'",
				      argv[0]);
		break;
	case O_VADDR:
		rc = fw_parse_hostmask(p, argv[0], (uint8_t *)&info->vaddr,
				       (uint8_t *)&info->vmask);
		break;
	case O_VPORT:
		rc = parse_vport(p, argv[0], &info->vport);
		break;
	case O_VPORTCTL:
		rc = parse_vport(p, argv[0], &info->vportctl);
		break;
	case O_VDIR:
		rc = parse_dir(p, argv[0], info);
		break;
	case O_VMETHOD:
		rc = parse_method(p, argv[0], &info->fwd_method);
		break;
	}
	info->bitmask |= 1 << o->id;
	if (p->inv)
		info->invert |= 1 << o->id;
	return rc;
}

static int ipvs_check(struct fw_pctx *p)
{
	struct xt_ipvs_mtinfo *info = (struct xt_ipvs_mtinfo *)p->xt->data;

	if (!p->xt->seen)
		return fw_error(p->errs, p->loc, "ipvs match needs an option");
	if (!(info->bitmask & XT_IPVS_ONCE_MASK))
		return 0;
	if (info->invert & XT_IPVS_IPVS_PROPERTY)
		return fw_error(p->errs, p->loc,
				"'! --ipvs' cannot go with other options");
	info->bitmask |= XT_IPVS_IPVS_PROPERTY;
	return 0;
}

static void ipvs_print(const struct fw_xt *x, const struct fw_rule *r,
		       struct fw_pr *pr)
{
	const struct xt_ipvs_mtinfo *info =
		(const struct xt_ipvs_mtinfo *)x->data;
	char buf[2 * INET6_ADDRSTRLEN];
	const char *method = "UNKNOWN";
	size_t i;

	if (info->bitmask == XT_IPVS_IPVS_PROPERTY)
		fw_pr_flag(pr, info->invert & XT_IPVS_IPVS_PROPERTY, "ipvs");
	if (info->bitmask & XT_IPVS_PROTO)
		fw_pr_val(pr, info->invert & XT_IPVS_PROTO, "vproto", "%u",
			  info->l4proto);
	if (info->bitmask & XT_IPVS_VADDR) {
		fw_format_addr(r->family, (const uint8_t *)&info->vaddr,
			       (const uint8_t *)&info->vmask, true, buf,
			       sizeof(buf));
		fw_pr_val(pr, info->invert & XT_IPVS_VADDR, "vaddr", "%s", buf);
	}
	if (info->bitmask & XT_IPVS_VPORT)
		fw_pr_val(pr, info->invert & XT_IPVS_VPORT, "vport", "%u",
			  ntohs(info->vport));
	if (info->bitmask & XT_IPVS_DIR)
		fw_pr_val(pr, false, "vdir", "%s", info->invert & XT_IPVS_DIR ?
			  "REPLY" : "ORIGINAL");
	if (info->bitmask & XT_IPVS_METHOD) {
		for (i = 0; i < FW_ARRAY_SIZE(method_tbl); i++)
			if (method_tbl[i].method == info->fwd_method)
				method = method_tbl[i].name;
		fw_pr_val(pr, info->invert & XT_IPVS_METHOD, "vmethod", "%s",
			  method);
	}
	if (info->bitmask & XT_IPVS_VPORTCTL)
		fw_pr_val(pr, info->invert & XT_IPVS_VPORTCTL, "vportctl", "%u",
			  ntohs(info->vportctl));
}

static const struct fw_case ipvs_tests[] = {
	{ "--ipvs", "=", FW_OK, 0, NULL },
	{ "! --ipvs", "=", FW_OK, 0, NULL },
	{ "--vaddr 2001:db8::1", "=", FW_OK, 6, NULL },
	{ "! --vaddr 2001:db8::/64", "=", FW_OK, 6, NULL },
	{ "! --vaddr 1.2.3.4/255.255.255.0", "! --vaddr 1.2.3.4/24", FW_OK, 4,
	  NULL },
	{ "--vproto 6 --vaddr 1.2.3.4/16 --vport 22 --vdir ORIGINAL --vmethod "
	  "GATE", "=", FW_OK, 4, NULL },
	{ "! --vproto TCP", "! --vproto 6", FW_OK, 0, NULL },
	{ "--vport http", "--vport 80", FW_OK, 0, NULL },
	{ "--vdir reply", "--vdir REPLY", FW_OK, 0, NULL },
	{ "! --vmethod ipip", "! --vmethod IPIP", FW_OK, 0, NULL },
	{ "--vmethod MASQ ! --vportctl 21", "=", FW_OK, 0, NULL },
	{ "! --ipvs --vport 1", NULL, FW_FAIL, 0, NULL },
	{ "--vdir sideways", NULL, FW_FAIL, 0, NULL },
	{ "--vmethod BOGUS", NULL, FW_FAIL, 0, NULL },
	{ "", NULL, FW_FAIL, 0, NULL },
	{ NULL },
};

const struct fw_ext fw_ext_ipvs = {
	.name = "ipvs",
	.kind = FW_EXT_MATCH,
	.size = sizeof(struct xt_ipvs_mtinfo),
	.opts = ipvs_opts,
	.parse = ipvs_parse,
	.check = ipvs_check,
	.print = ipvs_print,
	.tests = ipvs_tests,
};
