/* SPDX-License-Identifier: GPL-2.0-or-later */
/* osf match (IPv4 passive OS fingerprinting): --genre, --ttl, --log */
#include "base.h"

#include <stdio.h>
#include <string.h>

#include <linux/netfilter/xt_osf.h>

#include "ext.h"

enum { O_GENRE, O_TTL, O_LOG };

static const struct fw_opt osf_opts[] = {
	{ "genre", O_GENRE, 1, FW_OPT_INV },
	{ "ttl", O_TTL, 1, 0 },
	{ "log", O_LOG, 1, 0 },
	{ NULL },
};

static int osf_parse(struct fw_pctx *p, const struct fw_opt *o, char **argv)
{
	struct xt_osf_info *f = (struct xt_osf_info *)p->xt->data;
	uint64_t v;

	if (o->id == O_GENRE) {
		/* cut to fit, as 1.8.9 does */
		snprintf(f->genre, sizeof(f->genre), "%s", argv[0]);
		f->len = strlen(f->genre);
		if (p->inv)
			f->flags |= XT_OSF_INVERT;
		return 0;
	}
	if (fw_parse_uint(p, argv[0], 2, &v))
		return -1;
	if (o->id == O_TTL) {
		f->ttl = v;
		f->flags |= XT_OSF_TTL;
	} else {
		f->loglevel = v;
		f->flags |= XT_OSF_LOG;
	}
	return 0;
}

static int osf_check(struct fw_pctx *p)
{
	if (!(p->xt->seen & 1u << O_GENRE))
		return fw_error(p->errs, p->loc, "osf needs '--genre'");
	return 0;
}

static void osf_print(const struct fw_xt *x, const struct fw_rule *r,
		      struct fw_pr *pr)
{
	const struct xt_osf_info *f = (const struct xt_osf_info *)x->data;

	/* 1.8.9 prints the genre as it is, never quoted */
	fw_pr_val(pr, f->flags & XT_OSF_INVERT, "genre", "%.*s",
		  (int)sizeof(f->genre), f->genre);
	if (f->flags & XT_OSF_TTL)
		fw_pr_val(pr, false, "ttl", "%u", f->ttl);
	if (f->flags & XT_OSF_LOG)
		fw_pr_val(pr, false, "log", "%u", f->loglevel);
}

static const struct fw_case osf_tests[] = {
	{ "--genre linux --ttl 0 --log 0", "=", FW_OK, 4, "-p tcp" },
	{ "--log 2 ! --genre Windows", "! --genre Windows --log 2", FW_OK, 4,
	  "-p tcp" },
	{ "--genre 0123456789012345678901234567890123",
	  "--genre 0123456789012345678901234567890", FW_OK, 4, "-p tcp" },
	{ "--genre linux --ttl 3", NULL, FW_FAIL, 4, "-p tcp" },
	{ "--genre linux --log -1", NULL, FW_FAIL, 4, "-p tcp" },
	{ "--ttl 1", NULL, FW_FAIL, 4, "-p tcp" },
	{ NULL },
};

const struct fw_ext fw_ext_osf = {
	.name = "osf",
	.kind = FW_EXT_MATCH,
	.family = FW_AF_IPV4,
	.size = sizeof(struct xt_osf_info),
	.opts = osf_opts,
	.parse = osf_parse,
	.check = osf_check,
	.print = osf_print,
	.tests = osf_tests,
};
