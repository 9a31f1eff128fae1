/* SPDX-License-Identifier: GPL-2.0-or-later */
/* tcpmss match and TCPMSS target: --mss, --set-mss, --clamp-mss-to-pmtu */
#include "base.h"

#include <linux/netfilter/xt_TCPMSS.h>
#include <linux/netfilter/xt_tcpmss.h>

#include "ext.h"

enum { O_MSS, O_SET_MSS, O_CLAMP };

static const struct fw_opt tcpmss_opts[] = {
	{ "mss", O_MSS, 1, FW_OPT_INV },
	{ NULL },
};

static const struct fw_opt tcpmss_tg_opts[] = {
	{ "set-mss", O_SET_MSS, 1, 0 },
	{ "clamp-mss-to-pmtu", O_CLAMP, 0, 0 },
	{ NULL },
};

static int tcpmss_parse(struct fw_pctx *p, const struct fw_opt *o,
			char **argv)
{
	struct xt_tcpmss_match_info *info =
		(struct xt_tcpmss_match_info *)p->xt->data;
	uint64_t lo, hi;

	if (fw_parse_range(p, argv[0], UINT16_MAX, &lo, &hi))
		return -1;
	if (lo > hi)
		return fw_error(p->errs, p->loc, "invalid MSS range '%s'",
				argv[0]);
	info->mss_min = lo;
	info->mss_max = hi;
	info->invert = p->inv;
	return 0;
}

static int tcpmss_check(struct fw_pctx *p)
{
	if (!p->xt->seen)
		return fw_error(p->errs, p->loc, "tcpmss match needs '--mss'");
	return 0;
}

static void tcpmss_print(const struct fw_xt *x, const struct fw_rule *r,
			 struct fw_pr *pr)
{
	const struct xt_tcpmss_match_info *info =
		(const struct xt_tcpmss_match_info *)x->data;

	if (info->mss_min == info->mss_max)
		fw_pr_val(pr, info->invert, "mss", "%u", info->mss_min);
	else
		fw_pr_val(pr, info->invert, "mss", "%u:%u", info->mss_min,
			  info->mss_max);
}

static int tcpmss_tg_parse(struct fw_pctx *p, const struct fw_opt *o,
			   char **argv)
{
	struct xt_tcpmss_info *info = (struct xt_tcpmss_info *)p->xt->data;
	/* the MSS must leave room for the IP header */
	unsigned hdr = p->rule->family == FW_AF_IPV6 ? 40 : 20;
	uint64_t v;

	if (o->id == O_CLAMP) {
		info->mss = XT_TCPMSS_CLAMP_PMTU;
		return 0;
	}
	if (fw_parse_uint(p, argv[0], UINT16_MAX - hdr, &v))
		return -1;
	info->mss = v;
	return 0;
}

static int tcpmss_tg_check(struct fw_pctx *p)
{
	if (!p->xt->seen)
		return fw_error(p->errs, p->loc, "TCPMSS target needs "
				"'--set-mss' or '--clamp-mss-to-pmtu'");
	return 0;
}

static void tcpmss_tg_print(const struct fw_xt *x, const struct fw_rule *r,
			    struct fw_pr *pr)
{
	const struct xt_tcpmss_info *info =
		(const struct xt_tcpmss_info *)x->data;

	if (info->mss == XT_TCPMSS_CLAMP_PMTU)
		fw_pr_flag(pr, false, "clamp-mss-to-pmtu");
	else
		fw_pr_val(pr, false, "set-mss", "%u", info->mss);
}

static const struct fw_case tcpmss_tests[] = {
	{ "--mss 42", "=", FW_OK, 0, "-p tcp" },
	{ "--mss :", "--mss 0:65535", FW_OK, 0, "-p tcp" },
	{ "! --mss :42", "! --mss 0:42", FW_OK, 0, "-p tcp" },
	{ "--mss 42:", "--mss 42:65535", FW_OK, 0, "-p tcp" },
	{ "--mss 42:42", "--mss 42", FW_OK, 0, "-p tcp" },
	{ "--mss 42:65536", NULL, FW_FAIL, 0, "-p tcp" },
	{ "--mss 65535:1000", NULL, FW_FAIL, 0, "-p tcp" },
	{ "", NULL, FW_FAIL, 0, "-p tcp" },
	{ NULL },
};

static const struct fw_case tcpmss_tg_tests[] = {
	{ "--set-mss 42", "=", FW_OK, 0, "-p tcp" },
	{ "--clamp-mss-to-pmtu", "=", FW_OK, 0, "-p tcp" },
	{ "--set-mss 65515", "=", FW_OK, 4, "-p tcp" },
	{ "--set-mss 65516", NULL, FW_FAIL, 4, "-p tcp" },
	{ "--set-mss 65495", "=", FW_OK, 6, "-p tcp" },
	{ "--set-mss 65496", NULL, FW_FAIL, 6, "-p tcp" },
	{ "--clamp-mss-to-pmtu --set-mss 5", "--set-mss 5", FW_OK, 0,
	  "-p tcp" },
	{ "", NULL, FW_FAIL, 0, "-p tcp" },
	{ NULL },
};

const struct fw_ext fw_ext_tcpmss = {
	.name = "tcpmss",
	.kind = FW_EXT_MATCH,
	.size = sizeof(struct xt_tcpmss_match_info),
	.opts = tcpmss_opts,
	.parse = tcpmss_parse,
	.check = tcpmss_check,
	.print = tcpmss_print,
	.tests = tcpmss_tests,
};

const struct fw_ext fw_ext_tcpmss_tg = {
	.name = "TCPMSS",
	.kind = FW_EXT_TARGET,
	.size = sizeof(struct xt_tcpmss_info),
	.opts = tcpmss_tg_opts,
	.parse = tcpmss_tg_parse,
	.check = tcpmss_tg_check,
	.print = tcpmss_tg_print,
	.tests = tcpmss_tg_tests,
};
