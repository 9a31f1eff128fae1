/* SPDX-License-Identifier: GPL-2.0-or-later */
/* frag match (IPv6 fragment header): --fragid, --fraglen, flag options */
#include "base.h"

#include <string.h>

#include <linux/netfilter_ipv6/ip6t_frag.h>

#include "ext.h"

enum { O_ID, O_LEN, O_RES, O_FIRST, O_MORE, O_LAST };

static const struct fw_opt frag_opts[] = {
	{ "fragid", O_ID, 1, FW_OPT_INV },
	{ "fraglen", O_LEN, 1, FW_OPT_INV },
	{ "fragres", O_RES, 0, 0 },
	{ "fragfirst", O_FIRST, 0, 0 },
	{ "fragmore", O_MORE, 0, 0 },
	{ "fraglast", O_LAST, 0, 0 },
	{ NULL },
};

/* The flag options and their bits, in save order. */
static const struct {
	uint8_t id, bit;
	const char *name;
} frag_flag_tbl[] = {
	{ O_RES, IP6T_FRAG_RES, "fragres" },
	{ O_FIRST, IP6T_FRAG_FST, "fragfirst" },
	{ O_MORE, IP6T_FRAG_MF, "fragmore" },
	{ O_LAST, IP6T_FRAG_NMF, "fraglast" },
};

static void frag_init(struct fw_xt *x, const struct fw_rule *r)
{
	struct ip6t_frag *f = (struct ip6t_frag *)x->data;

	f->ids[1] = 0xffffffff;
}

static int frag_parse(struct fw_pctx *p, const struct fw_opt *o, char **argv)
{
	struct ip6t_frag *f = (struct ip6t_frag *)p->xt->data;
	uint64_t lo, hi;
	size_t i;

	switch (o->id) {
	case O_ID:
		/* 1.8.9 takes a reversed range as it is */
		if (fw_parse_range(p, argv[0], 0xffffffff, &lo, &hi))
			return -1;
		f->ids[0] = lo;
		f->ids[1] = hi;
		f->flags |= IP6T_FRAG_IDS;
		if (p->inv)
			f->invflags |= IP6T_FRAG_INV_IDS;
		return 0;
	case O_LEN:
		if (fw_parse_uint(p, argv[0], 0xffffffff, &lo))
			return -1;
		f->hdrlen = lo;
		f->flags |= IP6T_FRAG_LEN;
		if (p->inv)
			f->invflags |= IP6T_FRAG_INV_LEN;
		return 0;
	}
	if ((o->id == O_MORE || o->id == O_LAST) &&
	    p->xt->seen & (1u << (o->id == O_MORE ? O_LAST : O_MORE)))
		return fw_error(p->errs, p->loc, "'--fragmore' and "
				"'--fraglast' exclude each other");
	for (i = 0; i < FW_ARRAY_SIZE(frag_flag_tbl); i++)
		if (frag_flag_tbl[i].id == o->id)
			f->flags |= frag_flag_tbl[i].bit;
	return 0;
}

static void frag_print(const struct fw_xt *x, const struct fw_rule *r,
		       struct fw_pr *pr)
{
	const struct ip6t_frag *f = (const struct ip6t_frag *)x->data;
	bool inv = f->invflags & IP6T_FRAG_INV_IDS;
	size_t i;

	/* an inverted full range never matches: say so (1.8.11; 1.8.9 drops it) */
	if (f->ids[0] != 0 || f->ids[1] != 0xffffffff || inv) {
		if (f->ids[0] == f->ids[1])
			fw_pr_val(pr, inv, "fragid", "%u", f->ids[0]);
		else
			fw_pr_val(pr, inv, "fragid", "%u:%u", f->ids[0],
				  f->ids[1]);
	}
	if (f->flags & IP6T_FRAG_LEN)
		fw_pr_val(pr, f->invflags & IP6T_FRAG_INV_LEN, "fraglen", "%u",
			  f->hdrlen);
	for (i = 0; i < FW_ARRAY_SIZE(frag_flag_tbl); i++)
		if (f->flags & frag_flag_tbl[i].bit)
			fw_pr_flag(pr, false, frag_flag_tbl[i].name);
}

static const struct fw_case frag_tests[] = {
	{ "", "=", FW_OK, 0, NULL },
	{ "--fragid :", "", FW_OK, 0, NULL },
	{ "! --fragid :", "! --fragid 0:4294967295", FW_OK, 0, NULL },
	{ "--fragid :42", "--fragid 0:42", FW_OK, 0, NULL },
	{ "--fragid 42:", "--fragid 42:4294967295", FW_OK, 0, NULL },
	{ "--fragid 3:3", "--fragid 3", FW_OK, 0, NULL },
	{ "--fragid 4:3", "=", FW_OK, 0, NULL },
	{ "! --fragid 1:42", "=", FW_OK, 0, NULL },
	{ "--fragid 4294967296", NULL, FW_FAIL, 0, NULL },
	{ "--fragid 1:2:3", NULL, FW_FAIL, 0, NULL },
	{ "--fraglen 42", "=", FW_OK, 0, NULL },
	{ "--fragres --fragfirst --fragmore", "=", FW_OK, 0, NULL },
	{ "--fraglast --fragfirst", "--fragfirst --fraglast", FW_OK, 0,
	  NULL },
	{ "! --fragid 1 ! --fraglen 42 --fragres --fragfirst", "=", FW_OK, 0,
	  NULL },
	{ "--fraglast --fragmore", NULL, FW_FAIL, 0, NULL },
	{ "--fragid 1 --fragid 2", NULL, FW_FAIL, 0, NULL },
	{ "! --fragres", NULL, FW_FAIL, 0, NULL },
	{ NULL },
};

const struct fw_ext fw_ext_frag = {
	.name = "frag",
	.kind = FW_EXT_MATCH,
	.family = FW_AF_IPV6,
	.size = sizeof(struct ip6t_frag),
	.opts = frag_opts,
	.init = frag_init,
	.parse = frag_parse,
	.print = frag_print,
	.tests = frag_tests,
};
