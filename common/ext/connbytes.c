/* SPDX-License-Identifier: GPL-2.0-or-later */
/* connbytes match: --connbytes FROM[:TO], --connbytes-dir, --connbytes-mode */
#include "base.h"

#include <string.h>

#include <linux/netfilter/xt_connbytes.h>

#include "ext.h"

enum { O_CONNBYTES, O_DIR, O_MODE };

static const struct fw_opt connbytes_opts[] = {
	{ "connbytes", O_CONNBYTES, 1, FW_OPT_INV },
	{ "connbytes-dir", O_DIR, 1, 0 },
	{ "connbytes-mode", O_MODE, 1, 0 },
	{ NULL },
};

static const char *const dir_tbl[] = {
	[XT_CONNBYTES_DIR_ORIGINAL] = "original",
	[XT_CONNBYTES_DIR_REPLY] = "reply",
	[XT_CONNBYTES_DIR_BOTH] = "both",
};

static const char *const mode_tbl[] = {
	[XT_CONNBYTES_PKTS] = "packets",
	[XT_CONNBYTES_BYTES] = "bytes",
	[XT_CONNBYTES_AVGPKT] = "avgpkt",
};

static int pick(struct fw_pctx *p, const struct fw_opt *o, const char *s,
		const char *const *tbl, size_t n, uint8_t *v)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (!strcmp(s, tbl[i])) {
			*v = i;
			return 0;
		}
	}
	return fw_error(p->errs, p->loc, "unknown --%s '%s'", o->name, s);
}

static int connbytes_parse(struct fw_pctx *p, const struct fw_opt *o,
			   char **argv)
{
	struct xt_connbytes_info *info =
		(struct xt_connbytes_info *)p->xt->data;
	uint64_t lo, hi;

	switch (o->id) {
	case O_DIR:
		return pick(p, o, argv[0], dir_tbl, FW_ARRAY_SIZE(dir_tbl),
			    &info->direction);
	case O_MODE:
		return pick(p, o, argv[0], mode_tbl, FW_ARRAY_SIZE(mode_tbl),
			    &info->what);
	}
	if (fw_parse_range(p, argv[0], UINT64_MAX, &lo, &hi))
		return -1;
	/* a single value means "from here on" */
	if (!strchr(argv[0], ':'))
		hi = UINT64_MAX;
	if (hi < lo)
		return fw_error(p->errs, p->loc, "invalid range '%s'", argv[0]);
	/* inversion is a swapped range */
	info->count.from = p->inv ? hi : lo;
	info->count.to = p->inv ? lo : hi;
	return 0;
}

static int connbytes_check(struct fw_pctx *p)
{
	static const char *const need[] = {
		"connbytes", "connbytes-dir", "connbytes-mode",
	};
	size_t i;

	for (i = 0; i < FW_ARRAY_SIZE(need); i++)
		if (!(p->xt->seen & 1u << i))
			return fw_error(p->errs, p->loc, "connbytes match "
					"needs '--%s'", need[i]);
	return 0;
}

static void connbytes_print(const struct fw_xt *x, const struct fw_rule *r,
			    struct fw_pr *pr)
{
	const struct xt_connbytes_info *info =
		(const struct xt_connbytes_info *)x->data;
	bool inv = info->count.from > info->count.to;
	unsigned long long from = inv ? info->count.to : info->count.from;
	unsigned long long to = inv ? info->count.from : info->count.to;

	if (to && to < UINT64_MAX)
		fw_pr_val(pr, inv, "connbytes", "%llu:%llu", from, to);
	else
		fw_pr_val(pr, inv, "connbytes", "%llu", from);
	fw_pr_val(pr, false, "connbytes-mode", "%s",
		  info->what < FW_ARRAY_SIZE(mode_tbl) ? mode_tbl[info->what]
						      : "unknown");
	fw_pr_val(pr, false, "connbytes-dir", "%s",
		  info->direction < FW_ARRAY_SIZE(dir_tbl) ?
		  dir_tbl[info->direction] : "unknown");
}

static const struct fw_case connbytes_tests[] = {
	{ "--connbytes 0:1000 --connbytes-mode packets --connbytes-dir "
	  "original", "=", FW_OK, 0, NULL },
	{ "--connbytes-dir both --connbytes-mode avgpkt ! --connbytes 10:20",
	  "! --connbytes 10:20 --connbytes-mode avgpkt --connbytes-dir both",
	  FW_OK, 0, NULL },
	{ "--connbytes : --connbytes-mode bytes --connbytes-dir reply",
	  "--connbytes 0 --connbytes-mode bytes --connbytes-dir reply", FW_OK,
	  0, NULL },
	{ "! --connbytes 1000: --connbytes-mode bytes --connbytes-dir reply",
	  "! --connbytes 1000 --connbytes-mode bytes --connbytes-dir reply",
	  FW_OK, 0, NULL },
	{ "! --connbytes 0:0 --connbytes-mode bytes --connbytes-dir reply",
	  "--connbytes 0 --connbytes-mode bytes --connbytes-dir reply", FW_OK,
	  0, NULL },
	{ "--connbytes 1000:0 --connbytes-mode packets --connbytes-dir "
	  "original", NULL, FW_FAIL, 0, NULL },
	{ "--connbytes -1:0 --connbytes-mode packets --connbytes-dir original",
	  NULL, FW_FAIL, 0, NULL },
	{ "--connbytes 0:1 --connbytes-mode wrong --connbytes-dir both", NULL,
	  FW_FAIL, 0, NULL },
	{ "--connbytes 0:1 --connbytes-dir both", NULL, FW_FAIL, 0, NULL },
	{ "--connbytes 0:1 --connbytes-mode bytes", NULL, FW_FAIL, 0, NULL },
	{ "", NULL, FW_FAIL, 0, NULL },
	{ NULL },
};

const struct fw_ext fw_ext_connbytes = {
	.name = "connbytes",
	.kind = FW_EXT_MATCH,
	.size = sizeof(struct xt_connbytes_info),
	.opts = connbytes_opts,
	.parse = connbytes_parse,
	.check = connbytes_check,
	.print = connbytes_print,
	.tests = connbytes_tests,
};
