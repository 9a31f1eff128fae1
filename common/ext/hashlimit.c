/* SPDX-License-Identifier: GPL-2.0-or-later */
/* hashlimit match (revision 3): per-flow packet or byte rate limits */
#include "base.h"

#include <arpa/inet.h>
#include <string.h>

#include "ext.h"

/* linux/if.h, pulled in by xt_hashlimit.h, clashes with net/if.h */
#define _LINUX_IF_H
#include <linux/netfilter/xt_hashlimit.h>

#define HL_BURST	5
#define HL_BURST_MAX	1000000
#define HL_GCINTERVAL	1000
#define HL_BYTE_EXPIRE	15
#define HL_BYTE_EXPIRE_BURST	60

enum {
	O_UPTO, O_ABOVE, O_MODE, O_SRCMASK, O_DSTMASK, O_NAME, O_BURST,
	O_SIZE, O_MAX, O_GCINT, O_EXPIRE, O_RATEMATCH, O_INTERVAL,
};

static const struct fw_opt hashlimit_opts[] = {
	{ "hashlimit-upto", O_UPTO, 1, FW_OPT_INV },
	{ "hashlimit-above", O_ABOVE, 1, FW_OPT_INV },
	{ "hashlimit", O_UPTO, 1, FW_OPT_INV },
	{ "hashlimit-srcmask", O_SRCMASK, 1, 0 },
	{ "hashlimit-dstmask", O_DSTMASK, 1, 0 },
	{ "hashlimit-burst", O_BURST, 1, 0 },
	{ "hashlimit-htable-size", O_SIZE, 1, 0 },
	{ "hashlimit-htable-max", O_MAX, 1, 0 },
	{ "hashlimit-htable-gcinterval", O_GCINT, 1, 0 },
	{ "hashlimit-htable-expire", O_EXPIRE, 1, 0 },
	{ "hashlimit-mode", O_MODE, 1, 0 },
	{ "hashlimit-name", O_NAME, 1, 0 },
	{ "hashlimit-rate-match", O_RATEMATCH, 0, 0 },
	{ "hashlimit-rate-interval", O_INTERVAL, 1, 0 },
	{ NULL },
};

/* Mode words in print order. */
static const struct {
	const char *name;
	uint32_t bit;
} mode_tbl[] = {
	{ "srcip", XT_HASHLIMIT_HASH_SIP },
	{ "srcport", XT_HASHLIMIT_HASH_SPT },
	{ "dstip", XT_HASHLIMIT_HASH_DIP },
	{ "dstport", XT_HASHLIMIT_HASH_DPT },
};

/* Rate units, coarsest first: the words parse takes, the one print uses. */
static const struct {
	const char *word, *abbr;
	uint64_t secs;
} unit_tbl[] = {
	{ "day", "day", 24 * 60 * 60 },
	{ "hour", "hour", 60 * 60 },
	{ "minute", "min", 60 },
	{ "second", "sec", 1 },
};

/* Byte size suffixes, largest first. */
static const struct {
	const char *name;
	uint32_t factor;
} size_tbl[] = {
	{ "m", 1024 * 1024 }, { "k", 1024 }, { "", 1 },
};

/*
 * Between parse and check the seconds of the rate's unit (the "mult" of
 * libxt_hashlimit) wait in the kernel-private hinfo field, which check
 * then clears: it must go out as zeroes.
 */
static void mult_set(struct xt_hashlimit_mtinfo3 *info, uint32_t mult)
{
	memcpy(&info->hinfo, &mult, sizeof(mult));
}

static uint32_t mult_take(struct xt_hashlimit_mtinfo3 *info)
{
	uint32_t mult;

	memcpy(&mult, &info->hinfo, sizeof(mult));
	memset(&info->hinfo, 0, sizeof(info->hinfo));
	return mult;
}

static uint32_t size_factor(char c)
{
	size_t i;

	for (i = 0; i + 1 < FW_ARRAY_SIZE(size_tbl); i++)
		if (c == size_tbl[i].name[0])
			return size_tbl[i].factor;
	return 1;
}

static uint64_t cost_to_bytes(uint64_t cost)
{
	uint64_t r = cost ? UINT32_MAX / cost : UINT32_MAX;

	return (r - 1) << XT_HASHLIMIT_BYTE_SHIFT;
}

static uint64_t bytes_to_cost(uint64_t bytes)
{
	uint32_t r = bytes >> XT_HASHLIMIT_BYTE_SHIFT;

	return UINT32_MAX / ((uint64_t)r + 1);
}

/* "NUMb/s", "NUMkb/s", "NUMmb/s": 1 taken, 0 not a byte rate, -1 error. */
static int parse_bytes(struct fw_pctx *p, const char *s,
		       struct xt_hashlimit_mtinfo3 *info)
{
	const char *unit = strstr(s, "b/s");
	uint64_t r;

	if (!unit || unit == s)
		return 0;
	r = strtoll(s, NULL, 10);
	if (!r)
		return 0;
	info->cfg.avg = bytes_to_cost(r * size_factor(unit[-1]));
	if (!info->cfg.avg)
		return fw_error(p->errs, p->loc, "rate too high '%s'", s);
	info->cfg.mode |= XT_HASHLIMIT_BYTES;
	mult_set(info, HL_BYTE_EXPIRE);
	return 1;
}

/* "NUM[/unit]" with any prefix of second, minute, hour or day. */
static int parse_rate(struct fw_pctx *p, const char *s,
		      struct xt_hashlimit_mtinfo3 *info)
{
	const char *slash = strchr(s, '/');
	uint64_t mult = 1, r;
	size_t i, n;

	if (slash) {
		n = strlen(slash + 1);
		for (i = 0; n && i < FW_ARRAY_SIZE(unit_tbl); i++)
			if (!strncasecmp(slash + 1, unit_tbl[i].word, n))
				break;
		if (!n || i == FW_ARRAY_SIZE(unit_tbl))
			goto bad;
		mult = unit_tbl[i].secs;
	}
	r = strtoll(s, NULL, 10);
	if (!r)
		goto bad;
	info->cfg.avg = XT_HASHLIMIT_SCALE_v2 * mult / r;
	if (!info->cfg.avg)
		return fw_error(p->errs, p->loc, "rate too fast '%s'", s);
	mult_set(info, mult);
	return 0;
bad:
	return fw_error(p->errs, p->loc, "invalid rate '%s'", s);
}

static int parse_burst(struct fw_pctx *p, const char *s, __u64 *burst)
{
	unsigned long long v;
	char *end;

	if (*s == '-' || *s == '+' || !*s)
		goto bad;
	v = strtoull(s, &end, 0);
	if (end == s || !v || (!*end && v > HL_BURST_MAX))
		goto bad;
	*burst = v * size_factor(*end);
	return 0;
bad:
	return fw_error(p->errs, p->loc, "invalid burst '%s' (1-%u)", s,
			HL_BURST_MAX);
}

static int parse_mode(struct fw_pctx *p, const char *s, uint32_t *mode)
{
	char *copy = xstrdup(s), *tok, *save = NULL;
	size_t i;

	for (tok = strtok_r(copy, ",|", &save); tok;
	     tok = strtok_r(NULL, ",|", &save)) {
		for (i = 0; i < FW_ARRAY_SIZE(mode_tbl); i++)
			if (!strcmp(tok, mode_tbl[i].name))
				break;
		if (i == FW_ARRAY_SIZE(mode_tbl)) {
			fw_error(p->errs, p->loc, "invalid hashlimit mode '%s'",
				 tok);
			free(copy);
			return -1;
		}
		*mode |= mode_tbl[i].bit;
	}
	free(copy);
	return 0;
}

/* A prefix length, or a netmask in address form. */
static int parse_plen(struct fw_pctx *p, const char *s, uint8_t *plen)
{
	unsigned len = p->rule->family == FW_AF_IPV6 ? 16 : 4;
	uint8_t mask[16];
	uint64_t v;
	int n;

	if (*s >= '0' && *s <= '9' && !strchr(s, '.') && !strchr(s, ':')) {
		if (fw_parse_uint(p, s, len * 8, &v))
			return -1;
		*plen = v;
		return 0;
	}
	if (inet_pton(len == 16 ? AF_INET6 : AF_INET, s, mask) != 1)
		return fw_error(p->errs, p->loc, "invalid prefix length '%s'",
				s);
	n = fw_mask_prefix(mask, len);
	/* -1 (non-contiguous) wraps, as in iptables */
	*plen = n;
	return 0;
}

static void hashlimit_init(struct fw_xt *x, const struct fw_rule *r)
{
	struct xt_hashlimit_mtinfo3 *info =
		(struct xt_hashlimit_mtinfo3 *)x->data;
	uint8_t plen = r->family == FW_AF_IPV6 ? 128 : 32;

	info->cfg.burst = HL_BURST;
	info->cfg.gc_interval = HL_GCINTERVAL;
	info->cfg.srcmask = plen;
	info->cfg.dstmask = plen;
}

static int parse_limit(struct fw_pctx *p, const struct fw_opt *o,
		       const char *s, struct xt_hashlimit_mtinfo3 *info)
{
	int rc;

	if (p->xt->seen & 1u << O_UPTO && p->xt->seen & 1u << O_ABOVE)
		return fw_error(p->errs, p->loc, "'--hashlimit-upto' and "
				"'--hashlimit-above' exclude each other");
	/* above is an inverted upto */
	if (p->inv != (o->id == O_ABOVE))
		info->cfg.mode |= XT_HASHLIMIT_INVERT;
	rc = parse_bytes(p, s, info);
	return rc ? (rc < 0 ? -1 : 0) : parse_rate(p, s, info);
}

/* The hash table settings, plain u32 values. */
static int parse_cfg(struct fw_pctx *p, const struct fw_opt *o,
		     const char *s, struct hashlimit_cfg3 *cfg)
{
	uint32_t *field[] = {
		[O_SIZE] = &cfg->size,
		[O_MAX] = &cfg->max,
		[O_GCINT] = &cfg->gc_interval,
		[O_EXPIRE] = &cfg->expire,
	};
	uint64_t v;

	if (fw_parse_uint(p, s, UINT32_MAX, &v))
		return -1;
	*field[o->id] = v;
	return 0;
}

static int hashlimit_parse(struct fw_pctx *p, const struct fw_opt *o,
			   char **argv)
{
	struct xt_hashlimit_mtinfo3 *info =
		(struct xt_hashlimit_mtinfo3 *)p->xt->data;
	int n;

	switch (o->id) {
	case O_UPTO:
	case O_ABOVE:
		return parse_limit(p, o, argv[0], info);
	case O_BURST:
		return parse_burst(p, argv[0], &info->cfg.burst);
	case O_MODE:
		return parse_mode(p, argv[0], &info->cfg.mode);
	case O_SRCMASK:
		return parse_plen(p, argv[0], &info->cfg.srcmask);
	case O_DSTMASK:
		return parse_plen(p, argv[0], &info->cfg.dstmask);
	case O_NAME:
		if (!*argv[0])
			return fw_error(p->errs, p->loc,
					"empty '--hashlimit-name'");
		snprintf(info->name, sizeof(info->name), "%s", argv[0]);
		return 0;
	case O_RATEMATCH:
		info->cfg.mode |= XT_HASHLIMIT_RATE_MATCH;
		return 0;
	case O_INTERVAL:
		n = atoi(argv[0]);
		if (n <= 0)
			return fw_error(p->errs, p->loc,
					"invalid rate interval '%s'", argv[0]);
		info->cfg.interval = n;
		return 0;
	}
	return parse_cfg(p, o, argv[0], &info->cfg);
}

/* A byte limit's burst counts whole rate quanta, rounded up. */
static int check_bytes(struct fw_pctx *p, struct hashlimit_cfg3 *cfg)
{
	uint64_t quantum = cost_to_bytes(cfg->avg);

	if (!(p->xt->seen & 1u << O_BURST)) {
		cfg->burst = 0;
		return 0;
	}
	if (cfg->burst < quantum)
		return fw_error(p->errs, p->loc, "burst cannot be smaller "
				"than %llub", (unsigned long long)quantum);
	/* the quotient is kept in 32 bits by libxt_hashlimit */
	cfg->burst = (uint32_t)(cfg->burst / quantum +
				!!(cfg->burst % quantum));
	if (!(p->xt->seen & 1u << O_EXPIRE))
		cfg->expire = HL_BYTE_EXPIRE_BURST * 1000;
	return 0;
}

static int hashlimit_check(struct fw_pctx *p)
{
	struct xt_hashlimit_mtinfo3 *info =
		(struct xt_hashlimit_mtinfo3 *)p->xt->data;
	struct hashlimit_cfg3 *cfg = &info->cfg;
	uint32_t mult = mult_take(info);

	if (!(p->xt->seen & (1u << O_UPTO | 1u << O_ABOVE)))
		return fw_error(p->errs, p->loc, "hashlimit match needs "
				"'--hashlimit-upto' or '--hashlimit-above'");
	if (!(p->xt->seen & 1u << O_NAME))
		return fw_error(p->errs, p->loc,
				"hashlimit match needs '--hashlimit-name'");
	if (!(p->xt->seen & 1u << O_EXPIRE))
		cfg->expire = mult * 1000;
	if (cfg->mode & XT_HASHLIMIT_BYTES) {
		if (check_bytes(p, cfg))
			return -1;
	} else if (cfg->burst > HL_BURST_MAX) {
		return fw_error(p->errs, p->loc, "burst above %u",
				HL_BURST_MAX);
	}
	if (!(p->xt->seen & 1u << O_RATEMATCH))
		return 0;
	if (!(cfg->mode & XT_HASHLIMIT_BYTES))
		cfg->avg /= mult;
	if (!cfg->interval)
		cfg->interval = cfg->mode & XT_HASHLIMIT_BYTES ? 1 : mult;
	return 0;
}

/* The packet rate; returns the default expiry (ms) that goes with it. */
static uint32_t print_rate(struct fw_pr *pr, const char *opt, uint64_t avg)
{
	size_t i;
	uint64_t m;

	if (!avg) {
		fw_pr_val(pr, false, opt, "inf");
		return 0;
	}
	for (i = 1; i < FW_ARRAY_SIZE(unit_tbl); i++) {
		m = unit_tbl[i].secs * XT_HASHLIMIT_SCALE_v2;
		if (avg > m || m / avg < m % avg)
			break;
	}
	m = unit_tbl[i - 1].secs * XT_HASHLIMIT_SCALE_v2;
	fw_pr_val(pr, false, opt, "%llu/%s", (unsigned long long)(m / avg),
		  unit_tbl[i - 1].abbr);
	return unit_tbl[i - 1].secs * 1000;
}

/* The byte rate and burst; returns the default expiry (ms). */
static uint32_t print_bytes(struct fw_pr *pr, const char *opt,
			    const struct hashlimit_cfg3 *cfg)
{
	uint64_t r = cost_to_bytes(cfg->avg), f;
	size_t i;

	for (i = 0; i + 1 < FW_ARRAY_SIZE(size_tbl); i++) {
		f = size_tbl[i].factor;
		if (r >= f && bytes_to_cost(r & ~(f - 1)) == cfg->avg)
			break;
	}
	fw_pr_val(pr, false, opt, "%llu%sb/s",
		  (unsigned long long)(r / size_tbl[i].factor),
		  size_tbl[i].name);
	if (!cfg->burst)
		return HL_BYTE_EXPIRE * 1000;
	r *= cfg->burst;
	for (i = 0; i + 1 < FW_ARRAY_SIZE(size_tbl); i++)
		if (r >= size_tbl[i].factor)
			break;
	fw_pr_val(pr, false, "hashlimit-burst", "%llu%sb",
		  (unsigned long long)(r / size_tbl[i].factor),
		  size_tbl[i].name);
	return HL_BYTE_EXPIRE_BURST * 1000;
}

static void print_mode(struct fw_pr *pr, uint32_t mode)
{
	char buf[64];
	size_t i, n = 0;

	for (i = 0; i < FW_ARRAY_SIZE(mode_tbl); i++)
		if (mode & mode_tbl[i].bit)
			n += snprintf(buf + n, sizeof(buf) - n, "%s%s",
				      n ? "," : "", mode_tbl[i].name);
	if (n)
		fw_pr_val(pr, false, "hashlimit-mode", "%s", buf);
}

static void hashlimit_print(const struct fw_xt *x, const struct fw_rule *r,
			    struct fw_pr *pr)
{
	const struct xt_hashlimit_mtinfo3 *info =
		(const struct xt_hashlimit_mtinfo3 *)x->data;
	const struct hashlimit_cfg3 *cfg = &info->cfg;
	const char *opt = cfg->mode & XT_HASHLIMIT_INVERT ? "hashlimit-above"
							  : "hashlimit-upto";
	unsigned plen = r->family == FW_AF_IPV6 ? 128 : 32;
	uint32_t quantum;

	if (cfg->mode & XT_HASHLIMIT_BYTES) {
		quantum = print_bytes(pr, opt, cfg);
	} else {
		quantum = print_rate(pr, opt, cfg->avg);
		fw_pr_val(pr, false, "hashlimit-burst", "%llu",
			  (unsigned long long)cfg->burst);
	}
	print_mode(pr, cfg->mode);
	fw_pr_val(pr, false, "hashlimit-name", "%.*s",
		  (int)sizeof(info->name), info->name);
	if (cfg->size)
		fw_pr_val(pr, false, "hashlimit-htable-size", "%u", cfg->size);
	if (cfg->max)
		fw_pr_val(pr, false, "hashlimit-htable-max", "%u", cfg->max);
	if (cfg->gc_interval != HL_GCINTERVAL)
		fw_pr_val(pr, false, "hashlimit-htable-gcinterval", "%u",
			  cfg->gc_interval);
	if (cfg->expire != quantum)
		fw_pr_val(pr, false, "hashlimit-htable-expire", "%u",
			  cfg->expire);
	if (cfg->srcmask != plen)
		fw_pr_val(pr, false, "hashlimit-srcmask", "%u", cfg->srcmask);
	if (cfg->dstmask != plen)
		fw_pr_val(pr, false, "hashlimit-dstmask", "%u", cfg->dstmask);
	if (!(cfg->mode & XT_HASHLIMIT_RATE_MATCH))
		return;
	fw_pr_flag(pr, false, "hashlimit-rate-match");
	if (cfg->interval != 1)
		fw_pr_val(pr, false, "hashlimit-rate-interval", "%u",
			  cfg->interval);
}

static const struct fw_case hashlimit_tests[] = {
	{ "--hashlimit-upto 5/sec --hashlimit-name foo --hashlimit-mode srcip",
	  "--hashlimit-upto 5/sec --hashlimit-burst 5 --hashlimit-mode srcip "
	  "--hashlimit-name foo", FW_OK, 0, NULL },
	{ "--hashlimit 1/m --hashlimit-name a", "--hashlimit-upto 1/min "
	  "--hashlimit-burst 5 --hashlimit-name a", FW_OK, 0, NULL },
	{ "! --hashlimit-above 3/hour --hashlimit-name a",
	  "--hashlimit-upto 3/hour --hashlimit-burst 5 --hashlimit-name a",
	  FW_OK, 0, NULL },
	{ "--hashlimit-above 7/day --hashlimit-burst 9 --hashlimit-name a "
	  "--hashlimit-mode dstport,srcport|dstip",
	  "--hashlimit-above 7/day --hashlimit-burst 9 --hashlimit-mode "
	  "srcport,dstip,dstport --hashlimit-name a", FW_OK, 0, NULL },
	{ "--hashlimit-upto 1kb/s --hashlimit-name a",
	  "--hashlimit-upto 1kb/s --hashlimit-name a", FW_OK, 0, NULL },
	{ "--hashlimit-upto 512kb/s --hashlimit-burst 1m --hashlimit-name a",
	  "--hashlimit-upto 512kb/s --hashlimit-burst 1mb --hashlimit-name a",
	  FW_OK, 0, NULL },
	{ "--hashlimit-upto 1kb/s --hashlimit-burst 10 --hashlimit-name a",
	  NULL, FW_FAIL, 0, NULL },
	{ "--hashlimit-upto 5/sec --hashlimit-name a --hashlimit-htable-size "
	  "64 --hashlimit-htable-max 128 --hashlimit-htable-gcinterval 10 "
	  "--hashlimit-htable-expire 20 --hashlimit-srcmask 24 "
	  "--hashlimit-dstmask 255.255.0.0 --hashlimit-rate-match "
	  "--hashlimit-rate-interval 3", "--hashlimit-upto 5/sec "
	  "--hashlimit-burst 5 --hashlimit-name a --hashlimit-htable-size 64 "
	  "--hashlimit-htable-max 128 --hashlimit-htable-gcinterval 10 "
	  "--hashlimit-htable-expire 20 --hashlimit-srcmask 24 "
	  "--hashlimit-dstmask 16 --hashlimit-rate-match "
	  "--hashlimit-rate-interval 3", FW_OK, 4, NULL },
	{ "--hashlimit-upto 6/min --hashlimit-name a --hashlimit-rate-match",
	  "--hashlimit-upto 6/sec --hashlimit-burst 5 --hashlimit-name a "
	  "--hashlimit-htable-expire 60000 --hashlimit-rate-match "
	  "--hashlimit-rate-interval 60", FW_OK, 0, NULL },
	{ "--hashlimit-upto 5/sec --hashlimit-name a --hashlimit-srcmask 64",
	  "--hashlimit-upto 5/sec --hashlimit-burst 5 --hashlimit-name a "
	  "--hashlimit-srcmask 64", FW_OK, 6, NULL },
	{ "--hashlimit-upto 5/sec --hashlimit-name a --hashlimit-srcmask 33",
	  NULL, FW_FAIL, 4, NULL },
	{ "--hashlimit-upto 5/sec --hashlimit-name a --hashlimit-burst 1000001",
	  NULL, FW_FAIL, 0, NULL },
	{ "--hashlimit-upto 5/sec --hashlimit-above 5/sec --hashlimit-name a",
	  NULL, FW_FAIL, 0, NULL },
	{ "--hashlimit-upto 5/sec --hashlimit-name a --hashlimit-mode bogus",
	  NULL, FW_FAIL, 0, NULL },
	{ "--hashlimit-upto 5/fortnight --hashlimit-name a", NULL, FW_FAIL, 0,
	  NULL },
	{ "--hashlimit-upto 2000000/sec --hashlimit-name a", NULL, FW_FAIL, 0,
	  NULL },
	{ "--hashlimit-upto 5/sec", NULL, FW_FAIL, 0, NULL },
	{ "--hashlimit-name a", NULL, FW_FAIL, 0, NULL },
	{ NULL },
};

const struct fw_ext fw_ext_hashlimit = {
	.name = "hashlimit",
	.kind = FW_EXT_MATCH,
	.revision = 3,
	.size = sizeof(struct xt_hashlimit_mtinfo3),
	.opts = hashlimit_opts,
	.init = hashlimit_init,
	.parse = hashlimit_parse,
	.check = hashlimit_check,
	.print = hashlimit_print,
	.tests = hashlimit_tests,
};
