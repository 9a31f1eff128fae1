/* SPDX-License-Identifier: GPL-2.0-or-later */
/* SYNPROXY target: TCP options announced to the client */
#include "base.h"

#include <linux/netfilter/xt_SYNPROXY.h>

#include "ext.h"

enum { O_SACK, O_TIMESTAMP, O_WSCALE, O_MSS, O_ECN };

static const struct fw_opt synproxy_opts[] = {
	{ "sack-perm", O_SACK, 0, 0 },
	{ "timestamp", O_TIMESTAMP, 0, 0 },
	{ "wscale", O_WSCALE, 1, 0 },
	{ "mss", O_MSS, 1, 0 },
	{ "ecn", O_ECN, 0, 0 },
	{ NULL },
};

/* Option bits by option id; the ids are in save order. */
static const uint8_t synproxy_bit[] = {
	[O_SACK] = XT_SYNPROXY_OPT_SACK_PERM,
	[O_TIMESTAMP] = XT_SYNPROXY_OPT_TIMESTAMP,
	[O_WSCALE] = XT_SYNPROXY_OPT_WSCALE,
	[O_MSS] = XT_SYNPROXY_OPT_MSS,
	[O_ECN] = XT_SYNPROXY_OPT_ECN,
};

static int synproxy_parse(struct fw_pctx *p, const struct fw_opt *o,
			  char **argv)
{
	struct xt_synproxy_info *s = (struct xt_synproxy_info *)p->xt->data;
	uint64_t v = 0;

	/* 1.8.9 reads 32 bits and truncates them into the struct */
	if (o->nargs && fw_parse_uint(p, argv[0], 0xffffffff, &v))
		return -1;
	if (o->id == O_WSCALE)
		s->wscale = v;
	else if (o->id == O_MSS)
		s->mss = v;
	s->options |= synproxy_bit[o->id];
	return 0;
}

static void synproxy_print(const struct fw_xt *x, const struct fw_rule *r,
			   struct fw_pr *pr)
{
	const struct xt_synproxy_info *s =
		(const struct xt_synproxy_info *)x->data;
	const struct fw_opt *o;

	for (o = synproxy_opts; o->name; o++) {
		if (!(s->options & synproxy_bit[o->id]))
			continue;
		if (o->id == O_WSCALE)
			fw_pr_val(pr, false, o->name, "%u", s->wscale);
		else if (o->id == O_MSS)
			fw_pr_val(pr, false, o->name, "%u", s->mss);
		else
			fw_pr_flag(pr, false, o->name);
	}
}

static const struct fw_case synproxy_tests[] = {
	{ "", "=", FW_OK, 0, "-p tcp" },
	{ "--sack-perm --timestamp --wscale 9 --mss 1460", "=", FW_OK, 0,
	  "-p tcp" },
	{ "--ecn --mss 1460 --wscale 7 --timestamp --sack-perm",
	  "--sack-perm --timestamp --wscale 7 --mss 1460 --ecn", FW_OK, 0,
	  "-p tcp" },
	{ "--wscale 257 --mss 65537", "--wscale 1 --mss 1", FW_OK, 0,
	  "-p tcp" },
	{ "--mss 4294967296", NULL, FW_FAIL, 0, "-p tcp" },
	{ "--wscale x", NULL, FW_FAIL, 0, "-p tcp" },
	{ NULL },
};

const struct fw_ext fw_ext_synproxy = {
	.name = "SYNPROXY",
	.kind = FW_EXT_TARGET,
	.size = sizeof(struct xt_synproxy_info),
	.opts = synproxy_opts,
	.parse = synproxy_parse,
	.print = synproxy_print,
	.tests = synproxy_tests,
};
