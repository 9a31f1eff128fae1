/* SPDX-License-Identifier: GPL-2.0-or-later */
/* statistic match: random (--probability) and nth (--every, --packet) */
#include "base.h"

#include <stdlib.h>
#include <string.h>

#include <linux/netfilter/xt_statistic.h>

#include "ext.h"

enum { O_MODE, O_PROBABILITY, O_EVERY, O_PACKET };

static const struct fw_opt statistic_opts[] = {
	{ "mode", O_MODE, 1, 0 },
	{ "probability", O_PROBABILITY, 1, FW_OPT_INV },
	{ "every", O_EVERY, 1, FW_OPT_INV },
	{ "packet", O_PACKET, 1, 0 },
	{ NULL },
};

static const char *const mode_tbl[] = {
	[XT_STATISTIC_MODE_RANDOM] = "random",
	[XT_STATISTIC_MODE_NTH] = "nth",
};

static int parse_mode(struct fw_pctx *p, const char *s, uint16_t *mode)
{
	size_t i;

	for (i = 0; i < FW_ARRAY_SIZE(mode_tbl); i++) {
		if (!strcmp(s, mode_tbl[i])) {
			*mode = i;
			return 0;
		}
	}
	return fw_error(p->errs, p->loc, "unknown statistic mode '%s'", s);
}

static int parse_probability(struct fw_pctx *p, const char *s, uint32_t *v)
{
	char *end;
	double d = strtod(s, &end), x;
	uint32_t i;

	if (end == s || *end || !(d >= 0 && d <= 1))
		return fw_error(p->errs, p->loc,
				"invalid probability '%s' (0-1)", s);
	/* lround() without libm: x is at most 2^31 */
	x = 0x80000000 * d;
	i = x;
	*v = x - i >= 0.5 ? i + 1 : i;
	return 0;
}

static int statistic_parse(struct fw_pctx *p, const struct fw_opt *o,
			   char **argv)
{
	struct xt_statistic_info *info =
		(struct xt_statistic_info *)p->xt->data;
	uint64_t v;

	if (p->inv)
		info->flags |= XT_STATISTIC_INVERT;
	switch (o->id) {
	case O_MODE:
		return parse_mode(p, argv[0], &info->mode);
	case O_PROBABILITY:
		return parse_probability(p, argv[0],
					 &info->u.random.probability);
	case O_EVERY:
		if (fw_parse_uint(p, argv[0], UINT32_MAX, &v))
			return -1;
		if (v == 0)
			return fw_error(p->errs, p->loc,
					"'--every' must be at least 1");
		info->u.nth.every = v - 1;
		return 0;
	case O_PACKET:
		if (fw_parse_uint(p, argv[0], UINT32_MAX, &v))
			return -1;
		info->u.nth.packet = v;
		return 0;
	}
	return 0;
}

static int statistic_check(struct fw_pctx *p)
{
	struct xt_statistic_info *info =
		(struct xt_statistic_info *)p->xt->data;
	uint64_t seen = p->xt->seen;
	bool nth = seen & (1u << O_EVERY | 1u << O_PACKET);

	if (!(seen & 1u << O_MODE))
		return fw_error(p->errs, p->loc,
				"statistic match needs '--mode'");
	if (seen & 1u << O_PROBABILITY && nth)
		return fw_error(p->errs, p->loc, "'--probability' excludes "
				"'--every' and '--packet'");
	if (nth && (~seen & (1u << O_EVERY | 1u << O_PACKET)))
		return fw_error(p->errs, p->loc,
				"'--every' and '--packet' go together");
	if (info->mode == XT_STATISTIC_MODE_RANDOM &&
	    !(seen & 1u << O_PROBABILITY))
		return fw_error(p->errs, p->loc,
				"random mode needs '--probability'");
	if (info->mode == XT_STATISTIC_MODE_NTH && !nth)
		return fw_error(p->errs, p->loc,
				"nth mode needs '--every' and '--packet'");
	if (info->u.nth.packet > info->u.nth.every)
		return fw_error(p->errs, p->loc,
				"'--packet' must be below '--every'");
	/* iptables fills count in either mode: it shares the union */
	info->u.nth.count = info->u.nth.every - info->u.nth.packet;
	return 0;
}

static void statistic_print(const struct fw_xt *x, const struct fw_rule *r,
			    struct fw_pr *pr)
{
	const struct xt_statistic_info *info =
		(const struct xt_statistic_info *)x->data;
	bool inv = info->flags & XT_STATISTIC_INVERT;

	switch (info->mode) {
	case XT_STATISTIC_MODE_RANDOM:
		fw_pr_val(pr, false, "mode", "random");
		fw_pr_val(pr, inv, "probability", "%.11f",
			  1.0 * info->u.random.probability / 0x80000000);
		break;
	case XT_STATISTIC_MODE_NTH:
		fw_pr_val(pr, false, "mode", "nth");
		fw_pr_val(pr, inv, "every", "%u", info->u.nth.every + 1);
		fw_pr_val(pr, false, "packet", "%u", info->u.nth.packet);
		break;
	}
}

static const struct fw_case statistic_tests[] = {
	{ "--mode random --probability 0.5",
	  "--mode random --probability 0.50000000000", FW_OK, 0, NULL },
	{ "--mode random ! --probability 1",
	  "--mode random ! --probability 1.00000000000", FW_OK, 0, NULL },
	{ "--mode random --probability 0", "--mode random --probability "
	  "0.00000000000", FW_OK, 0, NULL },
	{ "--mode nth ! --every 5 --packet 2", "=", FW_OK, 0, NULL },
	{ "--mode nth --every 1 --packet 0", "=", FW_OK, 0, NULL },
	{ "--mode random ! --probability 1.1", NULL, FW_FAIL, 0, NULL },
	{ "--probability 1", NULL, FW_FAIL, 0, NULL },
	{ "--mode nth ! --every 5", NULL, FW_FAIL, 0, NULL },
	{ "--mode nth --every 5 --packet 5", NULL, FW_FAIL, 0, NULL },
	{ "--mode nth --every 0 --packet 0", NULL, FW_FAIL, 0, NULL },
	{ "--mode random --every 2 --packet 1", NULL, FW_FAIL, 0, NULL },
	{ "--mode nth --probability 0.2", NULL, FW_FAIL, 0, NULL },
	{ "--mode bogus", NULL, FW_FAIL, 0, NULL },
	{ "", NULL, FW_FAIL, 0, NULL },
	{ NULL },
};

const struct fw_ext fw_ext_statistic = {
	.name = "statistic",
	.kind = FW_EXT_MATCH,
	.size = sizeof(struct xt_statistic_info),
	.opts = statistic_opts,
	.parse = statistic_parse,
	.check = statistic_check,
	.print = statistic_print,
	.tests = statistic_tests,
};
