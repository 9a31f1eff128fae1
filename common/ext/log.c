/* SPDX-License-Identifier: GPL-2.0-or-later */
/* LOG target (IPv4 and IPv6): --log-level, --log-prefix and the log flags */
#include "base.h"

#include <errno.h>
#include <string.h>
#include <syslog.h>

#include <linux/netfilter/xt_LOG.h>

#include "ext.h"

enum { O_LEVEL, O_PREFIX, O_TCPSEQ, O_TCPOPT, O_IPOPT, O_UID, O_MAC };

static const struct fw_opt log_opts[] = {
	{ "log-level", O_LEVEL, 1, 0 },
	{ "log-prefix", O_PREFIX, 1, FW_OPT_STR },
	{ "log-tcp-sequence", O_TCPSEQ, 0, 0 },
	{ "log-tcp-options", O_TCPOPT, 0, 0 },
	{ "log-ip-options", O_IPOPT, 0, 0 },
	{ "log-uid", O_UID, 0, 0 },
	{ "log-macdecode", O_MAC, 0, 0 },
	{ NULL },
};

/* The flag options in save order. */
static const struct {
	const char *opt;
	uint8_t id, bit;
} log_flag_tbl[] = {
	{ "log-tcp-sequence", O_TCPSEQ, XT_LOG_TCPSEQ },
	{ "log-tcp-options", O_TCPOPT, XT_LOG_TCPOPT },
	{ "log-ip-options", O_IPOPT, XT_LOG_IPOPT },
	{ "log-uid", O_UID, XT_LOG_UID },
	{ "log-macdecode", O_MAC, XT_LOG_MACDECODE },
};

/* syslog level names libxtables accepts (save prints the number). */
static const struct {
	const char *name;
	uint8_t level;
} log_level_tbl[] = {
	{ "alert", LOG_ALERT }, { "crit", LOG_CRIT }, { "debug", LOG_DEBUG },
	{ "emerg", LOG_EMERG }, { "error", LOG_ERR }, { "info", LOG_INFO },
	{ "notice", LOG_NOTICE }, { "panic", LOG_EMERG },
	{ "warning", LOG_WARNING },
};

static struct xt_log_info *log_info(const struct fw_xt *x)
{
	return (struct xt_log_info *)x->data;
}

static void log_init(struct fw_xt *x, const struct fw_rule *r)
{
	log_info(x)->level = LOG_WARNING;
}

static int log_parse_level(struct fw_pctx *p, const char *s, uint8_t *level)
{
	unsigned long n;
	char *end;
	size_t i;

	errno = 0;
	n = strtoul(s, &end, 0);
	if (*s && *s != '-' && !*end && !errno && n <= LOG_DEBUG) {
		*level = n;
		return 0;
	}
	for (i = 0; i < FW_ARRAY_SIZE(log_level_tbl); i++) {
		if (!strcmp(s, log_level_tbl[i].name)) {
			*level = log_level_tbl[i].level;
			return 0;
		}
	}
	return fw_error(p->errs, p->loc, "unknown log level '%s'", s);
}

/* The prefix is cut to the 29 characters the struct holds, as 1.8.9 does. */
static int log_parse_prefix(struct fw_pctx *p, const char *s, char *prefix,
			    size_t size)
{
	if (!*s)
		return fw_error(p->errs, p->loc,
				"log prefix must not be empty");
	if (strchr(s, '\n'))
		return fw_error(p->errs, p->loc,
				"newlines are not allowed in a log prefix");
	snprintf(prefix, size, "%s", s);
	return 0;
}

static int log_parse(struct fw_pctx *p, const struct fw_opt *o, char **argv)
{
	struct xt_log_info *info = log_info(p->xt);
	size_t i;

	switch (o->id) {
	case O_LEVEL:
		return log_parse_level(p, argv[0], &info->level);
	case O_PREFIX:
		return log_parse_prefix(p, argv[0], info->prefix,
					sizeof(info->prefix));
	}
	for (i = 0; i < FW_ARRAY_SIZE(log_flag_tbl); i++)
		if (log_flag_tbl[i].id == o->id)
			info->logflags |= log_flag_tbl[i].bit;
	return 0;
}

static void log_print(const struct fw_xt *x, const struct fw_rule *r,
		      struct fw_pr *pr)
{
	const struct xt_log_info *info = log_info(x);
	char prefix[sizeof(info->prefix) + 1];
	size_t i;

	memcpy(prefix, info->prefix, sizeof(info->prefix));
	prefix[sizeof(info->prefix)] = '\0';
	if (*prefix)
		fw_pr_str(pr, false, "log-prefix", prefix);
	if (info->level != LOG_WARNING)
		fw_pr_val(pr, false, "log-level", "%u", info->level);
	for (i = 0; i < FW_ARRAY_SIZE(log_flag_tbl); i++)
		if (info->logflags & log_flag_tbl[i].bit)
			fw_pr_flag(pr, false, log_flag_tbl[i].opt);
}

static const struct fw_case log_tests[] = {
	{ "", "=", FW_OK, 0, NULL },
	{ "--log-prefix \"test: \"", "=", FW_OK, 0, NULL },
	{ "--log-prefix \"test: \" --log-level 1", "=", FW_OK, 0, NULL },
	{ "--log-level alert --log-prefix \"test: \"",
	  "--log-prefix \"test: \" --log-level 1", FW_OK, 0, NULL },
	{ "--log-level warning", "", FW_OK, 0, NULL },
	{ "--log-level 4", "", FW_OK, 0, NULL },
	{ "--log-level 0x7", "--log-level 7", FW_OK, 0, NULL },
	{ "--log-level panic", "--log-level 0", FW_OK, 0, NULL },
	{ "--log-level 8", NULL, FW_FAIL, 0, NULL },
	{ "--log-level bad", NULL, FW_FAIL, 0, NULL },
	{ "--log-level ALERT", NULL, FW_FAIL, 0, NULL },
	{ "--log-prefix abc_DEF-9", "=", FW_OK, 0, NULL },
	{ "--log-prefix \"it's \\\\ \\\"x\\\"\"",
	  "--log-prefix \"it\\'s \\\\ \\\"x\\\"\"", FW_OK, 0, NULL },
	{ "--log-prefix 0123456789012345678901234567890123",
	  "--log-prefix 01234567890123456789012345678", FW_OK, 0, NULL },
	{ "--log-prefix", NULL, FW_FAIL, 0, NULL },
	{ "--log-prefix \"\"", NULL, FW_FAIL, 0, NULL },
	{ "--log-macdecode --log-uid --log-ip-options --log-tcp-options "
	  "--log-tcp-sequence --log-level 7",
	  "--log-level 7 --log-tcp-sequence --log-tcp-options "
	  "--log-ip-options --log-uid --log-macdecode", FW_OK, 0, NULL },
	{ "! --log-uid", NULL, FW_FAIL, 0, NULL },
	{ NULL },
};

const struct fw_ext fw_ext_log = {
	.name = "LOG",
	.kind = FW_EXT_TARGET,
	.size = sizeof(struct xt_log_info),
	.opts = log_opts,
	.init = log_init,
	.parse = log_parse,
	.print = log_print,
	.tests = log_tests,
};
