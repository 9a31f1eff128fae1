/* SPDX-License-Identifier: GPL-2.0-or-later */
/* NFLOG target, encoded as nf_tables' native log expression */
#include "base.h"

#include <string.h>

#include <linux/netfilter/xt_NFLOG.h>
#include <linux/netfilter/nf_tables.h>
#include <libnftnl/expr.h>
#include <libnftnl/rule.h>

#include "ext.h"
#include "nlmsg.h"

enum { O_GROUP, O_PREFIX, O_RANGE, O_SIZE, O_THRESHOLD };

static const struct fw_opt nflog_opts[] = {
	{ "nflog-group", O_GROUP, 1, 0 },
	{ "nflog-prefix", O_PREFIX, 1, FW_OPT_STR },
	{ "nflog-range", O_RANGE, 1, 0 },
	{ "nflog-size", O_SIZE, 1, 0 },
	{ "nflog-threshold", O_THRESHOLD, 1, 0 },
	{ NULL },
};

/*
 * xt_nflog_info with the longer prefix the log expression carries
 * (NF_LOG_PREFIXLEN, 128): 1.8.9 sends up to 127 characters.
 */
struct nflog_info {
	uint32_t len;
	uint16_t group;
	uint16_t threshold;
	uint16_t flags;		/* XT_NFLOG_F_COPY_LEN: len is snaplen */
	char prefix[128];
};

static struct nflog_info *nflog_info(const struct fw_xt *x)
{
	return (struct nflog_info *)x->data;
}

static int nflog_parse_prefix(struct fw_pctx *p, const char *s,
			      struct nflog_info *info)
{
	if (!*s)
		return fw_error(p->errs, p->loc,
				"NFLOG prefix must not be empty");
	if (strchr(s, '\n'))
		return fw_error(p->errs, p->loc,
				"newlines are not allowed in an NFLOG prefix");
	snprintf(info->prefix, sizeof(info->prefix), "%s", s);
	return 0;
}

static int nflog_parse(struct fw_pctx *p, const struct fw_opt *o,
		       char **argv)
{
	struct nflog_info *info = nflog_info(p->xt);
	uint64_t v;

	if ((o->id == O_RANGE || o->id == O_SIZE) &&
	    p->xt->seen & (1u << (o->id == O_RANGE ? O_SIZE : O_RANGE)))
		return fw_error(p->errs, p->loc, "'--nflog-range' and "
				"'--nflog-size' exclude each other");
	switch (o->id) {
	case O_PREFIX:
		return nflog_parse_prefix(p, argv[0], info);
	case O_GROUP:
	case O_THRESHOLD:
		if (fw_parse_uint(p, argv[0], UINT16_MAX, &v))
			return -1;
		if (o->id == O_GROUP)
			info->group = v;
		else
			info->threshold = v;
		return 0;
	case O_SIZE:
		if (fw_parse_uint(p, argv[0], UINT32_MAX, &v))
			return -1;
		info->len = v;
		info->flags |= XT_NFLOG_F_COPY_LEN;
		return 0;
	}
	/* --nflog-range never worked: 1.8.9 checks it and drops it */
	return fw_parse_uint(p, argv[0], UINT32_MAX, &v);
}

static void nflog_print(const struct fw_xt *x, const struct fw_rule *r,
			struct fw_pr *pr)
{
	const struct nflog_info *info = nflog_info(x);

	if (info->prefix[0])
		fw_pr_str(pr, false, "nflog-prefix", info->prefix);
	if (info->group)
		fw_pr_val(pr, false, "nflog-group", "%u", info->group);
	if (info->flags & XT_NFLOG_F_COPY_LEN)
		fw_pr_val(pr, false, "nflog-size", "%u", info->len);
	if (info->threshold)
		fw_pr_val(pr, false, "nflog-threshold", "%u", info->threshold);
}

/* group always; prefix, snaplen (--nflog-size), qthreshold when set */
static int nflog_to_nl(struct fw_enc *e, const struct fw_xt *x)
{
	const struct nflog_info *info = nflog_info(x);
	struct nftnl_expr *ex = nftnl_expr_alloc("log");

	if (!ex)
		FW_BUG("nftnl_expr_alloc(log) failed");
	if (info->prefix[0])
		nftnl_expr_set_str(ex, NFTNL_EXPR_LOG_PREFIX, info->prefix);
	nftnl_expr_set_u16(ex, NFTNL_EXPR_LOG_GROUP, info->group);
	if (info->flags & XT_NFLOG_F_COPY_LEN)
		nftnl_expr_set_u32(ex, NFTNL_EXPR_LOG_SNAPLEN, info->len);
	if (info->threshold)
		nftnl_expr_set_u16(ex, NFTNL_EXPR_LOG_QTHRESHOLD,
				   info->threshold);
	fw_enc_add(e, ex);
	return 0;
}

extern const struct fw_ext fw_ext_nflog;

/* A log expression with a group is NFLOG; without one it is not ours. */
static int nflog_from_nl(struct fw_dec *d, const struct fw_nlexpr *e)
{
	struct fw_rule *r = d->rule;
	struct nflog_info *info;
	struct fw_xt *x;

	if (e->kind != FW_NLX_LOG ||
	    !fw_nlx_has(e, NFTA_LOG_GROUP))
		return 0;
	if (r->verdict != FW_V_NONE)
		return fw_dec_error(d, "a second target 'NFLOG'");
	x = fw_xt_new(&fw_ext_nflog, NULL);
	info = nflog_info(x);
	info->group = fw_nlx_u16(e, NFTA_LOG_GROUP);
	if (fw_nlx_has(e, NFTA_LOG_QTHRESHOLD))
		info->threshold = fw_nlx_u16(e, NFTA_LOG_QTHRESHOLD);
	if (fw_nlx_has(e, NFTA_LOG_SNAPLEN)) {
		info->len = fw_nlx_u32(e, NFTA_LOG_SNAPLEN);
		info->flags = XT_NFLOG_F_COPY_LEN;
	}
	if (fw_nlx_has(e, NFTA_LOG_PREFIX))
		snprintf(info->prefix, sizeof(info->prefix), "%s",
			 fw_nlx_str(e, NFTA_LOG_PREFIX));
	r->target = x;
	r->verdict = FW_V_EXT;
	return 1;
}

#define X16 "xxxxxxxxxxxxxxxx"

static const struct fw_case nflog_tests[] = {
	{ "", "=", FW_OK, 0, NULL },
	{ "--nflog-group 1", "=", FW_OK, 0, NULL },
	{ "--nflog-group 65535", "=", FW_OK, 0, NULL },
	{ "--nflog-group 0", "", FW_OK, 0, NULL },
	{ "--nflog-group 65536", NULL, FW_FAIL, 0, NULL },
	{ "--nflog-range 1", "", FW_OK, 0, NULL },
	{ "--nflog-range 4294967296", NULL, FW_FAIL, 0, NULL },
	{ "--nflog-range -1", NULL, FW_FAIL, 0, NULL },
	{ "--nflog-range 1 --nflog-size 2", NULL, FW_FAIL, 0, NULL },
	{ "--nflog-size 0", "=", FW_OK, 0, NULL },
	{ "--nflog-size 4294967295", "=", FW_OK, 0, NULL },
	{ "--nflog-size 4294967296", NULL, FW_FAIL, 0, NULL },
	{ "--nflog-threshold 1", "=", FW_OK, 0, NULL },
	{ "--nflog-threshold 65535", "=", FW_OK, 0, NULL },
	{ "--nflog-threshold 65536", NULL, FW_FAIL, 0, NULL },
	{ "--nflog-prefix " X16 X16 X16 X16, "=", FW_OK, 0, NULL },
	{ "--nflog-prefix " X16 X16 X16 X16 X16 X16 X16 X16 "y",
	  "--nflog-prefix " X16 X16 X16 X16 X16 X16 X16 "xxxxxxxxxxxxxxx",
	  FW_OK, 0, NULL },
	{ "--nflog-prefix \"\"", NULL, FW_FAIL, 0, NULL },
	{ "--nflog-threshold 3 --nflog-size 9 --nflog-group 5 "
	  "--nflog-prefix \"a b\"",
	  "--nflog-prefix \"a b\" --nflog-group 5 --nflog-size 9 "
	  "--nflog-threshold 3", FW_OK, 0, NULL },
	{ NULL },
};

/*
 * This info is fw's own (a 128-byte prefix, as the log expression
 * carries), not the kernel's xt_nflog_info: a compat NFLOG of its size
 * comes from no kernel, and read as this struct its prefix need not end
 * (found by fuzz-decode). Never decode one.
 */
static bool nflog_claims(const void *info, unsigned len)
{
	return false;
}

const struct fw_ext fw_ext_nflog = {
	.name = "NFLOG",
	.kind = FW_EXT_TARGET,
	.size = sizeof(struct nflog_info),
	.opts = nflog_opts,
	.parse = nflog_parse,
	.print = nflog_print,
	.to_nl = nflog_to_nl,
	.from_nl = nflog_from_nl,
	.claims = nflog_claims,
	.tests = nflog_tests,
};
