/* SPDX-License-Identifier: GPL-2.0-or-later */
/* time match: daytime, month and week days, date range */
#include "base.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <linux/netfilter/xt_time.h>

#include "ext.h"

enum {
	O_DATESTART, O_DATESTOP, O_TIMESTART, O_TIMESTOP, O_CONTIGUOUS,
	O_MONTHDAYS, O_WEEKDAYS, O_LOCALTZ, O_UTC, O_KERNELTZ,
};

static const struct fw_opt time_opts[] = {
	{ "datestart", O_DATESTART, 1, 0 },
	{ "datestop", O_DATESTOP, 1, 0 },
	{ "timestart", O_TIMESTART, 1, 0 },
	{ "timestop", O_TIMESTOP, 1, 0 },
	{ "contiguous", O_CONTIGUOUS, 0, 0 },
	{ "weekdays", O_WEEKDAYS, 1, FW_OPT_INV },
	{ "monthdays", O_MONTHDAYS, 1, FW_OPT_INV },
	{ "localtz", O_LOCALTZ, 0, 0 },
	{ "utc", O_UTC, 0, 0 },
	{ "kerneltz", O_KERNELTZ, 0, 0 },
	{ NULL },
};

static const char *const week_days[] = {
	NULL, "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun",
};

static void time_init(struct fw_xt *x, const struct fw_rule *r)
{
	struct xt_time_info *info = (struct xt_time_info *)x->data;

	info->monthdays_match = XT_TIME_ALL_MONTHDAYS;
	info->weekdays_match = XT_TIME_ALL_WEEKDAYS;
	info->daytime_start = XT_TIME_MIN_DAYTIME;
	info->daytime_stop = XT_TIME_MAX_DAYTIME;
	info->date_stop = INT_MAX;
}

/*
 * Up to n numbers, the i-th ending in seps[i] or at the end of s, each
 * at most max[i]. Returns how many were read, or -1.
 */
static int parse_fields(const char *s, const char *seps,
			const unsigned *max, unsigned *v, int n)
{
	char *end;
	int i;

	for (i = 0; i < n; i++) {
		v[i] = strtoul(s, &end, 10);
		if ((*end != seps[i] && *end) || v[i] > max[i])
			return -1;
		if (!*end)
			return i + 1;
		s = end + 1;
	}
	return -1;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (month 0-11). */
static int64_t days_from_civil(int64_t y, int64_t m, int64_t d)
{
	int64_t era, yoe, doy, doe;

	y += m / 12;
	m %= 12;
	if (m < 0) {
		m += 12;
		y--;
	}
	y -= m < 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 1 ? -2 : 10)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* YYYY[-MM[-DD[Thh[:mm[:ss]]]]] in UTC; out-of-range days roll over. */
static int parse_date(struct fw_pctx *p, const char *s, uint32_t *t)
{
	static const unsigned max[] = { 2038, 12, 31, 23, 59, 59 };
	unsigned v[6] = { 0, 1, 1, 0, 0, 0 };
	int64_t secs;

	if (parse_fields(s, "--T::", max, v, 6) < 0 || v[0] < 1970)
		return fw_error(p->errs, p->loc, "invalid date '%s' (not "
				"YYYY[-MM[-DD[Thh[:mm[:ss]]]]])", s);
	secs = days_from_civil(v[0], (int64_t)v[1] - 1, v[2]) * 86400 +
	       v[3] * 3600 + v[4] * 60 + v[5];
	*t = secs;
	return 0;
}

static int parse_daytime(struct fw_pctx *p, const char *s, uint32_t *t)
{
	static const unsigned max[] = { 23, 59, 59 };
	unsigned v[3] = { 0, 0, 0 };

	/* the hour must be followed by minutes */
	if (!strchr(s, ':') || parse_fields(s, "::", max, v, 3) < 2)
		return fw_error(p->errs, p->loc, "invalid time '%s' (not "
				"hh:mm[:ss])", s);
	*t = v[0] * 3600 + v[1] * 60 + v[2];
	return 0;
}

/* The next comma-separated word of *s, cut to len - 1 bytes as iptables. */
static bool next_word(const char **s, char *buf, size_t len)
{
	const char *comma;

	if (!*s || !**s)
		return false;
	comma = strchr(*s, ',');
	snprintf(buf, len, "%.*s", (int)(comma ? comma - *s : (int)strlen(*s)),
		 *s);
	*s = comma ? comma + 1 : NULL;
	return true;
}

static int parse_monthdays(struct fw_pctx *p, const char *s, uint32_t *mask)
{
	char day[3], *end;
	unsigned long i;

	*mask = 0;
	while (next_word(&s, day, sizeof(day))) {
		i = strtoul(day, &end, 0);
		/* 1.8.9 takes 0 too: a bit no day has, saved unstably */
		if (*end || i > 31 || i == 0)
			return fw_error(p->errs, p->loc,
					"invalid day of month '%s'", day);
		*mask |= 1u << i;
	}
	return 0;
}

static int parse_weekdays(struct fw_pctx *p, const char *s, uint8_t *mask)
{
	char day[4], *end;
	unsigned long i;
	unsigned m = 0;
	bool ok;

	while (next_word(&s, day, sizeof(day))) {
		i = strtoul(day, &end, 0);
		if (!*end) {
			if (!i)
				return fw_error(p->errs, p->loc, "invalid week "
						"day '0': Monday is 1");
			m |= i < 32 ? 1u << i : 0;
			continue;
		}
		ok = false;
		for (i = 1; i < FW_ARRAY_SIZE(week_days); i++) {
			if (!strncmp(day, week_days[i], 2)) {
				m |= 1u << i;
				ok = true;
			}
		}
		if (!ok)
			return fw_error(p->errs, p->loc,
					"invalid week day '%s'", day);
	}
	*mask = m;
	return 0;
}

/*
 * A list that selects no day ("0", "44", "! 1,2,...,31"): iptables takes
 * it, and saves "--monthdays " with nothing after, a line that loads
 * neither with it nor with fw.
 */
static int no_day(struct fw_pctx *p, const char *arg, uint32_t days)
{
	if (days)
		return 0;
	return fw_error(p->errs, p->loc, "'%s' selects no day", arg);
}

static int time_parse(struct fw_pctx *p, const struct fw_opt *o,
		      char **argv)
{
	struct xt_time_info *info = (struct xt_time_info *)p->xt->data;
	uint64_t tz = 1u << O_LOCALTZ | 1u << O_KERNELTZ;

	switch (o->id) {
	case O_DATESTART:
		return parse_date(p, argv[0], &info->date_start);
	case O_DATESTOP:
		return parse_date(p, argv[0], &info->date_stop);
	case O_TIMESTART:
		return parse_daytime(p, argv[0], &info->daytime_start);
	case O_TIMESTOP:
		return parse_daytime(p, argv[0], &info->daytime_stop);
	case O_CONTIGUOUS:
		info->flags |= XT_TIME_CONTIGUOUS;
		return 0;
	case O_MONTHDAYS:
		if (parse_monthdays(p, argv[0], &info->monthdays_match))
			return -1;
		if (p->inv)
			info->monthdays_match ^= XT_TIME_ALL_MONTHDAYS;
		return no_day(p, argv[0], info->monthdays_match &
			      XT_TIME_ALL_MONTHDAYS);
	case O_WEEKDAYS:
		if (parse_weekdays(p, argv[0], &info->weekdays_match))
			return -1;
		if (p->inv)
			info->weekdays_match ^= XT_TIME_ALL_WEEKDAYS;
		return no_day(p, argv[0], info->weekdays_match &
			      XT_TIME_ALL_WEEKDAYS);
	}
	if (p->xt->seen & 1u << O_UTC && p->xt->seen & tz)
		return fw_error(p->errs, p->loc, "'--utc' excludes "
				"'--kerneltz' and '--localtz'");
	if (o->id != O_UTC)
		info->flags |= XT_TIME_LOCAL_TZ;
	return 0;
}

static int time_check(struct fw_pctx *p)
{
	const struct xt_time_info *info =
		(const struct xt_time_info *)p->xt->data;

	if (info->flags & XT_TIME_CONTIGUOUS &&
	    info->daytime_start < info->daytime_stop)
		return fw_error(p->errs, p->loc, "'--contiguous' needs "
				"'--timestop' before '--timestart'");
	return 0;
}

static void print_daytime(struct fw_pr *pr, const char *opt, uint32_t t)
{
	fw_pr_val(pr, false, opt, "%02u:%02u:%02u", t / 3600, t / 60 % 60,
		  t % 60);
}

static void print_date(struct fw_pr *pr, const char *opt, uint32_t date)
{
	time_t t = date;
	struct tm tm;

	/* 0 is the default start; the default stop INT_MAX is printed */
	if (!date)
		return;
	gmtime_r(&t, &tm);
	fw_pr_val(pr, false, opt, "%04u-%02u-%02uT%02u:%02u:%02u",
		  tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		  tm.tm_min, tm.tm_sec);
}

static void print_days(struct fw_pr *pr, const char *opt, uint32_t mask,
		       unsigned last, bool names)
{
	char buf[128];
	unsigned i;
	size_t n = 0;

	buf[0] = '\0';
	for (i = 1; i <= last; i++) {
		if (!(mask & (1u << i)))
			continue;
		if (names)
			n += snprintf(buf + n, sizeof(buf) - n, "%s%s",
				      n ? "," : "", week_days[i]);
		else
			n += snprintf(buf + n, sizeof(buf) - n, "%s%u",
				      n ? "," : "", i);
	}
	fw_pr_val(pr, false, opt, "%s", buf);
}

static void time_print(const struct fw_xt *x, const struct fw_rule *r,
		       struct fw_pr *pr)
{
	const struct xt_time_info *info = (const struct xt_time_info *)x->data;

	if (info->daytime_start != XT_TIME_MIN_DAYTIME ||
	    info->daytime_stop != XT_TIME_MAX_DAYTIME) {
		print_daytime(pr, "timestart", info->daytime_start);
		print_daytime(pr, "timestop", info->daytime_stop);
	}
	if (info->monthdays_match != XT_TIME_ALL_MONTHDAYS)
		print_days(pr, "monthdays", info->monthdays_match, 31, false);
	if (info->weekdays_match != XT_TIME_ALL_WEEKDAYS)
		print_days(pr, "weekdays", info->weekdays_match, 7, true);
	print_date(pr, "datestart", info->date_start);
	print_date(pr, "datestop", info->date_stop);
	if (info->flags & XT_TIME_LOCAL_TZ)
		fw_pr_flag(pr, false, "kerneltz");
	if (info->flags & XT_TIME_CONTIGUOUS)
		fw_pr_flag(pr, false, "contiguous");
}

static const struct fw_case time_tests[] = {
	{ "--timestart 01:02:03 --timestop 04:05:06 --monthdays 1,2,3,4,5 "
	  "--weekdays Mon,Fri,Sun --datestart 2001-02-03T04:05:06 --datestop "
	  "2012-09-08T09:06:05 --kerneltz", "=", FW_OK, 0, NULL },
	{ "", "--datestop 2038-01-19T03:14:07", FW_OK, 0, NULL },
	{ "--weekdays Monday,2,Sunday --localtz", "--weekdays Mon,Tue,Sun "
	  "--datestop 2038-01-19T03:14:07 --kerneltz", FW_OK, 0, NULL },
	{ "! --weekdays Sa,Su", "--weekdays Mon,Tue,Wed,Thu,Fri --datestop "
	  "2038-01-19T03:14:07", FW_OK, 0, NULL },
	{ "! --monthdays 31 --utc", "--monthdays "
	  "1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,"
	  "26,27,28,29,30 --datestop 2038-01-19T03:14:07", FW_OK, 0, NULL },
	/* found by fuzzing: "! --monthdays 0" printed all days, then none */
	{ "! --monthdays 0,31 --utc", NULL, FW_FAIL, 0, NULL },
	{ "--timestart 23:00 --timestop 1:00:01 --contiguous --datestart 2020 "
	  "--datestop 2021-02-30", "--timestart 23:00:00 --timestop 01:00:01 "
	  "--datestart 2020-01-01T00:00:00 --datestop 2021-03-02T00:00:00 "
	  "--contiguous", FW_OK, 0, NULL },
	{ "--datestart 1970-01-01T00:00:01", "--datestart 1970-01-01T00:00:01 "
	  "--datestop 2038-01-19T03:14:07", FW_OK, 0, NULL },
	{ "--timestart 01:00 --timestop 02:00 --contiguous", NULL, FW_FAIL, 0,
	  NULL },
	/* found by fuzzing: printed as "--monthdays " with no value */
	{ "--monthdays 0", NULL, FW_FAIL, 0, NULL },
	{ "! --monthdays 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,"
	  "21,22,23,24,25,26,27,28,29,30,31", NULL, FW_FAIL, 0, NULL },
	{ "--weekdays 44444", NULL, FW_FAIL, 0, NULL },
	{ "! --weekdays 1,2,3,4,5,6,7", NULL, FW_FAIL, 0, NULL },
	{ "--timestart 24:00", NULL, FW_FAIL, 0, NULL },
	{ "--timestart 12", NULL, FW_FAIL, 0, NULL },
	{ "--datestart 1969", NULL, FW_FAIL, 0, NULL },
	{ "--datestart 2020-13", NULL, FW_FAIL, 0, NULL },
	{ "--monthdays 32", NULL, FW_FAIL, 0, NULL },
	{ "--weekdays 0", NULL, FW_FAIL, 0, NULL },
	{ "--weekdays Xy", NULL, FW_FAIL, 0, NULL },
	{ "--utc --kerneltz", NULL, FW_FAIL, 0, NULL },
	{ NULL },
};

const struct fw_ext fw_ext_time = {
	.name = "time",
	.kind = FW_EXT_MATCH,
	.size = sizeof(struct xt_time_info),
	.opts = time_opts,
	.init = time_init,
	.parse = time_parse,
	.check = time_check,
	.print = time_print,
	.tests = time_tests,
};
