/* SPDX-License-Identifier: GPL-2.0-or-later */
/* rateest match and RATEEST target: rate estimators and tests on them */
#include "base.h"

#include <stdlib.h>
#include <string.h>

#include "ext.h"

/* linux/if.h, pulled in by these headers, clashes with net/if.h */
#define _LINUX_IF_H
#include <linux/netfilter/xt_RATEEST.h>
#include <linux/netfilter/xt_rateest.h>

#define USEC_PER_SEC	1000000

enum {
	O_NAME1, O_NAME2, O_BPS1, O_PPS1, O_BPS2, O_PPS2, O_DELTA, O_LT, O_GT,
	O_EQ,
};

static const struct fw_opt rateest_opts[] = {
	{ "rateest1", O_NAME1, 1, 0 },
	{ "rateest", O_NAME1, 1, 0 },
	{ "rateest2", O_NAME2, 1, 0 },
	{ "rateest-bps1", O_BPS1, 1, FW_OPT_OPTARG },
	{ "rateest-pps1", O_PPS1, 1, FW_OPT_OPTARG },
	{ "rateest-bps2", O_BPS2, 1, FW_OPT_OPTARG },
	{ "rateest-pps2", O_PPS2, 1, FW_OPT_OPTARG },
	{ "rateest-bps", O_BPS2, 1, FW_OPT_OPTARG },
	{ "rateest-pps", O_PPS2, 1, FW_OPT_OPTARG },
	{ "rateest-delta", O_DELTA, 0, 0 },
	{ "rateest-lt", O_LT, 0, FW_OPT_INV },
	{ "rateest-gt", O_GT, 0, FW_OPT_INV },
	{ "rateest-eq", O_EQ, 0, FW_OPT_INV },
	{ NULL },
};

enum { O_TG_NAME, O_TG_INTERVAL, O_TG_EWMALOG };

static const struct fw_opt rateest_tg_opts[] = {
	{ "rateest-name", O_TG_NAME, 1, 0 },
	{ "rateest-interval", O_TG_INTERVAL, 1, 0 },
	{ "rateest-ewmalog", O_TG_EWMALOG, 1, 0 },
	{ NULL },
};

/* Rate units (iproute's), in bits per second; the first match wins. */
static const struct {
	const char *name;
	double scale;
} rate_tbl[] = {
	{ "bit", 1. }, { "Kibit", 1024. }, { "kbit", 1000. },
	{ "Mibit", 1024. * 1024. }, { "mbit", 1000000. },
	{ "Gibit", 1024. * 1024. * 1024. }, { "gbit", 1000000000. },
	{ "Tibit", 1024. * 1024. * 1024. * 1024. }, { "tbit", 1000000000000. },
	{ "Bps", 8. }, { "KiBps", 8. * 1024. }, { "KBps", 8000. },
	{ "MiBps", 8. * 1024 * 1024. }, { "MBps", 8000000. },
	{ "GiBps", 8. * 1024. * 1024. * 1024. }, { "GBps", 8000000000. },
	{ "TiBps", 8. * 1024. * 1024. * 1024. * 1024. },
	{ "TBps", 8000000000000. },
};

/* Comparison modes, by xt_rateest_match_mode, with their option ids. */
static const struct {
	const char *name;
	uint8_t id;
} mode_tbl[] = {
	[XT_RATEEST_MATCH_EQ] = { "rateest-eq", O_EQ },
	[XT_RATEEST_MATCH_LT] = { "rateest-lt", O_LT },
	[XT_RATEEST_MATCH_GT] = { "rateest-gt", O_GT },
};

/* A rate in bytes per second; a bare number is bits. */
static int parse_rate(struct fw_pctx *p, const char *s, uint32_t *rate)
{
	char *end;
	double bps = strtod(s, &end);
	size_t i;

	if (end == s)
		goto bad;
	if (!*end) {
		*rate = bps / 8.;
		return 0;
	}
	for (i = 0; i < FW_ARRAY_SIZE(rate_tbl); i++) {
		if (!strcasecmp(rate_tbl[i].name, end)) {
			*rate = (bps * rate_tbl[i].scale) / 8.;
			return 0;
		}
	}
bad:
	return fw_error(p->errs, p->loc, "invalid rate '%s'", s);
}

static int parse_rates(struct fw_pctx *p, const struct fw_opt *o,
		       const char *s, struct xt_rateest_match_info *info)
{
	bool bps = o->id == O_BPS1 || o->id == O_BPS2;
	uint32_t *v = o->id == O_BPS1 ? &info->bps1 : o->id == O_PPS1 ?
		      &info->pps1 : o->id == O_BPS2 ? &info->bps2 : &info->pps2;
	uint64_t n;

	info->flags |= bps ? XT_RATEEST_MATCH_BPS : XT_RATEEST_MATCH_PPS;
	/* the value is optional; it matters in absolute mode only */
	if (!s)
		return 0;
	if (bps)
		return parse_rate(p, s, v);
	if (fw_parse_uint(p, s, UINT32_MAX, &n))
		return -1;
	*v = n;
	return 0;
}

static int rateest_parse(struct fw_pctx *p, const struct fw_opt *o,
			 char **argv)
{
	struct xt_rateest_match_info *info =
		(struct xt_rateest_match_info *)p->xt->data;
	size_t i;

	switch (o->id) {
	case O_NAME1:
	case O_NAME2:
		if (fw_parse_word(p, "estimator name", argv[0]))
			return -1;
		strncpy(o->id == O_NAME1 ? info->name1 : info->name2, argv[0],
			sizeof(info->name1) - 1);
		if (o->id == O_NAME2)
			info->flags |= XT_RATEEST_MATCH_REL;
		return 0;
	case O_DELTA:
		info->flags |= XT_RATEEST_MATCH_DELTA;
		return 0;
	case O_LT:
	case O_GT:
	case O_EQ:
		for (i = 1; i < FW_ARRAY_SIZE(mode_tbl); i++)
			if (mode_tbl[i].id == o->id)
				info->mode = i;
		if (p->inv)
			info->flags |= XT_RATEEST_MATCH_INVERT;
		return 0;
	}
	return parse_rates(p, o, argv[0], info);
}

static int rateest_check(struct fw_pctx *p)
{
	struct xt_rateest_match_info *info =
		(struct xt_rateest_match_info *)p->xt->data;

	/* iptables: "you need to specify some flags"; no name: no load */
	if (!info->name1[0])
		return fw_error(p->errs, p->loc, "rateest needs '--rateest' "
				"or '--rateest1'");
	if (!(info->flags & XT_RATEEST_MATCH_REL))
		info->flags |= XT_RATEEST_MATCH_ABS;
	return 0;
}

static void print_rate(struct fw_pr *pr, const char *opt, uint32_t rate,
		       bool pps)
{
	double bits = (double)rate * 8;

	if (pps)
		fw_pr_val(pr, false, opt, "%u", rate);
	else if (bits >= 1000.0 * 1000000.0)
		fw_pr_val(pr, false, opt, "%.0fMbit", bits / 1000000.0);
	else if (bits >= 1000.0 * 1000.0)
		fw_pr_val(pr, false, opt, "%.0fKbit", bits / 1000.0);
	else
		fw_pr_val(pr, false, opt, "%.0fbit", bits);
}

static void print_mode(struct fw_pr *pr,
		       const struct xt_rateest_match_info *info)
{
	if (info->mode && info->mode < FW_ARRAY_SIZE(mode_tbl))
		fw_pr_flag(pr, info->flags & XT_RATEEST_MATCH_INVERT,
			   mode_tbl[info->mode].name);
}

static void print_rates(struct fw_pr *pr,
			const struct xt_rateest_match_info *info,
			const char *what, uint32_t r1, uint32_t r2)
{
	bool pps = !strcmp(what, "pps");
	char opt[32];

	if (info->flags & XT_RATEEST_MATCH_DELTA) {
		snprintf(opt, sizeof(opt), "rateest-%s1", what);
		print_rate(pr, opt, r1, pps);
		print_mode(pr, info);
		snprintf(opt, sizeof(opt), "rateest-%s2", what);
	} else {
		print_mode(pr, info);
		snprintf(opt, sizeof(opt), "rateest-%s", what);
	}
	if (info->flags & (XT_RATEEST_MATCH_ABS | XT_RATEEST_MATCH_DELTA))
		print_rate(pr, opt, r2, pps);
	else
		fw_pr_flag(pr, false, opt);
}

static void rateest_print(const struct fw_xt *x, const struct fw_rule *r,
			  struct fw_pr *pr)
{
	const struct xt_rateest_match_info *info =
		(const struct xt_rateest_match_info *)x->data;
	bool rel = info->flags & XT_RATEEST_MATCH_REL;

	if (info->flags & XT_RATEEST_MATCH_DELTA)
		fw_pr_flag(pr, false, "rateest-delta");
	fw_pr_val(pr, false, rel ? "rateest1" : "rateest", "%.*s",
		  (int)sizeof(info->name1), info->name1);
	if (info->flags & XT_RATEEST_MATCH_BPS)
		print_rates(pr, info, "bps", info->bps1, info->bps2);
	if (info->flags & XT_RATEEST_MATCH_PPS)
		print_rates(pr, info, "pps", info->pps1, info->pps2);
	if (rel)
		fw_pr_val(pr, false, "rateest2", "%.*s",
			  (int)sizeof(info->name2), info->name2);
}

/* The target. */

/* A time with an optional s/ms/us suffix, in microseconds. */
static int parse_time(struct fw_pctx *p, const char *s, uint32_t *us)
{
	static const struct {
		const char *names[3];
		double scale;
	} units[] = {
		{ { "s", "sec", "secs" }, USEC_PER_SEC },
		{ { "ms", "msec", "msecs" }, USEC_PER_SEC / 1000 },
		{ { "us", "usec", "usecs" }, 1 },
	};
	char *end;
	double t = strtod(s, &end);
	size_t i, k;

	if (end == s)
		goto bad;
	for (i = 0; *end && i < FW_ARRAY_SIZE(units); i++)
		for (k = 0; k < 3; k++)
			if (!strcasecmp(end, units[i].names[k]))
				goto found;
	if (*end)
		goto bad;
	*us = t;
	return 0;
found:
	*us = t * units[i].scale;
	return 0;
bad:
	return fw_error(p->errs, p->loc, "invalid time '%s'", s);
}

/*
 * -ln(1 - x) for 0 < x <= 1/2, by its series: the estimator's weight
 * test of libxt_RATEEST, without libm.
 */
static double neg_log1m(double x)
{
	double term = x, sum = 0;
	int n;

	for (n = 1; n < 200 && term / n > sum * 1e-18; n++) {
		sum += term / n;
		term *= x;
	}
	return sum;
}

/*
 * Between parse and check the parsed times wait in the kernel-private
 * est field, which check then clears: it must go out as zeroes.
 */
struct times {
	uint32_t interval, ewma;
};

static int rateest_tg_parse(struct fw_pctx *p, const struct fw_opt *o,
			    char **argv)
{
	struct xt_rateest_target_info *info =
		(struct xt_rateest_target_info *)p->xt->data;
	struct times t;

	memcpy(&t, &info->est, sizeof(t));
	switch (o->id) {
	case O_TG_NAME:
		if (fw_parse_word(p, "estimator name", argv[0]))
			return -1;
		strncpy(info->name, argv[0], sizeof(info->name) - 1);
		return 0;
	case O_TG_INTERVAL:
		if (parse_time(p, argv[0], &t.interval))
			return -1;
		break;
	case O_TG_EWMALOG:
		if (parse_time(p, argv[0], &t.ewma))
			return -1;
		break;
	}
	memcpy(&info->est, &t, sizeof(t));
	return 0;
}

static int rateest_tg_check(struct fw_pctx *p)
{
	struct xt_rateest_target_info *info =
		(struct xt_rateest_target_info *)p->xt->data;
	struct times t;
	int i, e;

	memcpy(&t, &info->est, sizeof(t));
	memset(&info->est, 0, sizeof(info->est));
	for (i = 0; i < 3; i++)
		if (!(p->xt->seen & 1u << i))
			return fw_error(p->errs, p->loc, "RATEEST target needs "
					"'--%s'", rateest_tg_opts[i].name);
	for (i = 0; i <= 5; i++)
		if (t.interval <= (1u << i) * (USEC_PER_SEC / 4))
			break;
	if (i > 5)
		return fw_error(p->errs, p->loc,
				"RATEEST interval is too large");
	info->interval = i - 2;
	/* 2^31 overflows in iptables and never ends the search */
	for (e = 1; e < 31; e++)
		if (t.interval / neg_log1m(1.0 / (1u << e)) > t.ewma)
			break;
	info->ewma_log = e - 1;
	if (info->ewma_log == 0 || info->ewma_log >= 31)
		return fw_error(p->errs, p->loc,
				"RATEEST ewmalog is out of range");
	return 0;
}

static void print_time(struct fw_pr *pr, const char *opt, unsigned us)
{
	double t = us;

	if (t >= USEC_PER_SEC)
		fw_pr_val(pr, false, opt, "%.1fs", t / USEC_PER_SEC);
	else if (t >= USEC_PER_SEC / 1000)
		fw_pr_val(pr, false, opt, "%.1fms", t / (USEC_PER_SEC / 1000));
	else
		fw_pr_val(pr, false, opt, "%uus", us);
}

static void rateest_tg_print(const struct fw_xt *x, const struct fw_rule *r,
			     struct fw_pr *pr)
{
	const struct xt_rateest_target_info *info =
		(const struct xt_rateest_target_info *)x->data;
	unsigned interval = (USEC_PER_SEC << (info->interval + 2)) / 4;

	fw_pr_val(pr, false, "rateest-name", "%.*s", (int)sizeof(info->name),
		  info->name);
	print_time(pr, "rateest-interval", interval);
	print_time(pr, "rateest-ewmalog", interval * (1u << info->ewma_log));
}

/*
 * Decoded from the kernel: an interval the kernel never takes (-2..3) or
 * an ewma_log of 32 or more would shift out of range. Found by fuzzing.
 */
static int rateest_tg_from_xt(struct fw_dec *d, struct fw_xt *x)
{
	const struct xt_rateest_target_info *info =
		(const struct xt_rateest_target_info *)x->data;

	if (info->interval < -2 || info->interval > 3 || info->ewma_log >= 32)
		return fw_dec_error(d, "an estimator interval of %d",
				    info->interval);
	return 0;
}

static const struct fw_case rateest_tests[] = {
	{ "--rateest RE1 --rateest-lt --rateest-bps 8bit", "=", FW_OK, 0,
	  NULL },
	{ "--rateest RE1 ! --rateest-eq --rateest-pps 5", "=", FW_OK, 0, NULL },
	{ "--rateest RE1 --rateest-gt --rateest-bps 5kbit",
	  "--rateest RE1 --rateest-gt --rateest-bps 5000bit", FW_OK, 0, NULL },
	{ "--rateest RE1 --rateest-gt --rateest-bps 2mbps",
	  "--rateest RE1 --rateest-gt --rateest-bps 16000Kbit", FW_OK, 0,
	  NULL },
	{ "--rateest-delta --rateest RE1 --rateest-bps1 8bit --rateest-lt "
	  "--rateest-bps2 16bit", "=", FW_OK, 0, NULL },
	{ "--rateest1 RE1 --rateest-lt --rateest-bps --rateest2 RE2", "=",
	  FW_OK, 0, NULL },
	{ "--rateest-delta --rateest1 RE1 --rateest-pps1 0 --rateest-lt "
	  "--rateest-pps2 42 --rateest2 RE2", "=", FW_OK, 0, NULL },
	{ "--rateest RE1 --rateest-bps 8furlongs", NULL, FW_FAIL, 0, NULL },
	{ "--rateest RE1 --rateest RE2", NULL, FW_FAIL, 0, NULL },
	{ "! --rateest RE1", NULL, FW_FAIL, 0, NULL },
	/* found by fuzzing: saved as "--rateest " that does not load */
	{ "--rateest \"\" --rateest-lt --rateest-bps 8bit", NULL, FW_FAIL, 0,
	  NULL },
	{ "--rateest \"a b\" --rateest-lt --rateest-bps 8bit", NULL, FW_FAIL,
	  0, NULL },
	{ "", NULL, FW_FAIL, 0, NULL },
	{ "--rateest-delta", NULL, FW_FAIL, 0, NULL },
	{ NULL },
};

static const struct fw_case rateest_tg_tests[] = {
	{ "--rateest-name RE1 --rateest-interval 250.0ms --rateest-ewmalog "
	  "500.0ms", "=", FW_OK, 0, NULL },
	{ "--rateest-name a --rateest-interval 1s --rateest-ewmalog 8sec",
	  "--rateest-name a --rateest-interval 1.0s --rateest-ewmalog 8.0s",
	  FW_OK, 0, NULL },
	{ "--rateest-name a --rateest-interval 100000 --rateest-ewmalog 1s",
	  "--rateest-name a --rateest-interval 250.0ms --rateest-ewmalog "
	  "2.0s", FW_OK, 0, NULL },
	{ "--rateest-name a --rateest-interval 9s --rateest-ewmalog 20s", NULL,
	  FW_FAIL, 0, NULL },
	{ "--rateest-name a --rateest-interval 1s --rateest-ewmalog 1s", NULL,
	  FW_FAIL, 0, NULL },
	{ "--rateest-name a --rateest-interval 1parsec --rateest-ewmalog 1s",
	  NULL, FW_FAIL, 0, NULL },
	{ "--rateest-name a --rateest-interval 1s", NULL, FW_FAIL, 0, NULL },
	{ NULL },
};

const struct fw_ext fw_ext_rateest = {
	.name = "rateest",
	.kind = FW_EXT_MATCH,
	.size = sizeof(struct xt_rateest_match_info),
	.opts = rateest_opts,
	.parse = rateest_parse,
	.check = rateest_check,
	.print = rateest_print,
	.tests = rateest_tests,
};

const struct fw_ext fw_ext_rateest_tg = {
	.name = "RATEEST",
	.kind = FW_EXT_TARGET,
	.size = sizeof(struct xt_rateest_target_info),
	.opts = rateest_tg_opts,
	.parse = rateest_tg_parse,
	.check = rateest_tg_check,
	.print = rateest_tg_print,
	.from_xt = rateest_tg_from_xt,
	.tests = rateest_tg_tests,
};
