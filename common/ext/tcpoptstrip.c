/* SPDX-License-Identifier: GPL-2.0-or-later */
/* TCPOPTSTRIP target: --strip-options LIST (names or numbers) */
#include "base.h"

#include <string.h>

#include <linux/netfilter/xt_TCPOPTSTRIP.h>

#include "ext.h"

enum { O_STRIP };

static const struct fw_opt tcpoptstrip_opts[] = {
	{ "strip-options", O_STRIP, 1, 0 },
	{ NULL },
};

/* Option names accepted in the list; save prints numbers. */
static const struct {
	const char *name;
	uint8_t kind;
} tcpopt_tbl[] = {
	{ "wscale", 3 }, { "mss", 2 }, { "sack-permitted", 4 }, { "sack", 5 },
	{ "timestamp", 8 }, { "md5", 19 },
};

static int tcpopt_kind(struct fw_pctx *p, const char *s, unsigned *kind)
{
	uint64_t v;
	size_t i;

	for (i = 0; i < FW_ARRAY_SIZE(tcpopt_tbl); i++) {
		if (!strcmp(tcpopt_tbl[i].name, s)) {
			*kind = tcpopt_tbl[i].kind;
			return 0;
		}
	}
	if (fw_parse_uint(p, s, 255, &v))
		return -1;
	if (v < 2)
		return fw_error(p->errs, p->loc, "TCP option %s (EOL or NOP) "
				"cannot be stripped", s);
	*kind = v;
	return 0;
}

static int tcpoptstrip_parse(struct fw_pctx *p, const struct fw_opt *o,
			     char **argv)
{
	struct xt_tcpoptstrip_target_info *t =
		(struct xt_tcpoptstrip_target_info *)p->xt->data;
	char *copy = xstrdup(argv[0]), *cp = copy, *next;
	unsigned kind;
	int rc = 0;

	for (; cp && !rc; cp = next) {
		next = strchr(cp, ',');
		if (next)
			*next++ = '\0';
		if (tcpopt_kind(p, cp, &kind))
			rc = -1;
		else if (tcpoptstrip_test_bit(t->strip_bmap, kind))
			rc = fw_error(p->errs, p->loc, "TCP option '%s' given "
				      "twice", cp);
		else
			tcpoptstrip_set_bit(t->strip_bmap, kind);
	}
	free(copy);
	return rc;
}

static void tcpoptstrip_print(const struct fw_xt *x, const struct fw_rule *r,
			      struct fw_pr *pr)
{
	const struct xt_tcpoptstrip_target_info *t =
		(const struct xt_tcpoptstrip_target_info *)x->data;
	char buf[256 * 4 + 1];
	size_t n = 0;
	unsigned i;

	buf[0] = '\0';
	for (i = 0; i < 256; i++)
		if (tcpoptstrip_test_bit(t->strip_bmap, i))
			n += snprintf(buf + n, sizeof(buf) - n, "%s%u",
				      n ? "," : "", i);
	if (n)
		fw_pr_val(pr, false, "strip-options", "%s", buf);
}

static const struct fw_case tcpoptstrip_tests[] = {
	{ "", "=", FW_OK, 0, "-p tcp" },
	{ "--strip-options 2,3,4,5,6,7", "=", FW_OK, 0, "-p tcp" },
	{ "--strip-options md5,timestamp,sack,sack-permitted,mss,wscale,255",
	  "--strip-options 2,3,4,5,8,19,255", FW_OK, 0, "-p tcp" },
	{ "--strip-options 0", NULL, FW_FAIL, 0, "-p tcp" },
	{ "--strip-options 1", NULL, FW_FAIL, 0, "-p tcp" },
	{ "--strip-options 1,2", NULL, FW_FAIL, 0, "-p tcp" },
	{ "--strip-options 2,mss", NULL, FW_FAIL, 0, "-p tcp" },
	{ "--strip-options 2,", NULL, FW_FAIL, 0, "-p tcp" },
	{ "--strip-options 256", NULL, FW_FAIL, 0, "-p tcp" },
	{ "--strip-options MSS", NULL, FW_FAIL, 0, "-p tcp" },
	{ NULL },
};

const struct fw_ext fw_ext_tcpoptstrip = {
	.name = "TCPOPTSTRIP",
	.kind = FW_EXT_TARGET,
	.size = sizeof(struct xt_tcpoptstrip_target_info),
	.opts = tcpoptstrip_opts,
	.parse = tcpoptstrip_parse,
	.print = tcpoptstrip_print,
	.tests = tcpoptstrip_tests,
};
