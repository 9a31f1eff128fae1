/* SPDX-License-Identifier: GPL-2.0-or-later */
/* comment match: --comment TEXT (at most 255 bytes kept) */
#include "base.h"

#include <string.h>

#include <linux/netfilter/xt_comment.h>

#include "ext.h"

enum { O_COMMENT };

static const struct fw_opt comment_opts[] = {
	{ "comment", O_COMMENT, 1, FW_OPT_STR },
	{ NULL },
};

static int comment_parse(struct fw_pctx *p, const struct fw_opt *o,
			 char **argv)
{
	struct xt_comment_info *c = (void *)p->xt->data;

	/* 1.8.9 silently cuts longer comments */
	strncpy(c->comment, argv[0], XT_MAX_COMMENT_LEN - 1);
	return 0;
}

static int comment_check(struct fw_pctx *p)
{
	if (p->xt->seen & 1u << O_COMMENT)
		return 0;
	return fw_error(p->errs, p->loc, "comment needs '--comment'");
}

static void comment_print(const struct fw_xt *x, const struct fw_rule *r,
			  struct fw_pr *pr)
{
	const struct xt_comment_info *c = (const void *)x->data;
	char s[XT_MAX_COMMENT_LEN];

	memcpy(s, c->comment, sizeof(s) - 1);
	s[sizeof(s) - 1] = '\0';
	fw_pr_str(pr, false, "comment", s);
}

static const struct fw_case comment_tests[] = {
	{ "--comment foo", "=", FW_OK, 0, NULL },
	{ "--comment \"a b\"", "=", FW_OK, 0, NULL },
	{ "--comment \"it's\"", "--comment \"it\\'s\"", FW_OK, 0, NULL },
	{ "--comment \"\"", "=", FW_OK, 0, NULL },
	{ "--comment a.b", "--comment \"a.b\"", FW_OK, 0, NULL },
	{ "--comment "
	  "x123456789x123456789x123456789x123456789x123456789"
	  "x123456789x123456789x123456789x123456789x123456789"
	  "x123456789x123456789x123456789x123456789x123456789"
	  "x123456789x123456789x123456789x123456789x123456789"
	  "x123456789x123456789x123456789x123456789x123456789"
	  "abcdefgh",
	  "--comment "
	  "x123456789x123456789x123456789x123456789x123456789"
	  "x123456789x123456789x123456789x123456789x123456789"
	  "x123456789x123456789x123456789x123456789x123456789"
	  "x123456789x123456789x123456789x123456789x123456789"
	  "x123456789x123456789x123456789x123456789x123456789"
	  "abcde", FW_OK, 0, NULL },
	{ "! --comment foo", NULL, FW_FAIL, 0, NULL },
	{ "--comment", NULL, FW_FAIL, 0, NULL },
	{ "", NULL, FW_FAIL, 0, NULL },
	{ NULL },
};

const struct fw_ext fw_ext_comment = {
	.name = "comment",
	.kind = FW_EXT_MATCH,
	.revision = 0,
	.size = sizeof(struct xt_comment_info),
	.opts = comment_opts,
	.parse = comment_parse,
	.check = comment_check,
	.print = comment_print,
	.tests = comment_tests,
};
