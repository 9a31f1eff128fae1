/* SPDX-License-Identifier: GPL-2.0-or-later */
/* recent match (revision 1): --set, --rcheck, --update, --remove and friends */
#include "base.h"

#include <arpa/inet.h>
#include <string.h>

#include <linux/netfilter/xt_recent.h>

#include "ext.h"
#include "spec.h"

enum {
	O_SET, O_RCHECK, O_UPDATE, O_REMOVE, O_SECONDS, O_REAP, O_HITCOUNT,
	O_RTTL, O_NAME, O_RSOURCE, O_RDEST, O_MASK,
};

static const struct fw_opt recent_opts[] = {
	{ "set", O_SET, 0, FW_OPT_INV },
	{ "rcheck", O_RCHECK, 0, FW_OPT_INV },
	{ "update", O_UPDATE, 0, FW_OPT_INV },
	{ "remove", O_REMOVE, 0, FW_OPT_INV },
	{ "seconds", O_SECONDS, 1, 0 },
	{ "reap", O_REAP, 0, 0 },
	{ "hitcount", O_HITCOUNT, 1, 0 },
	{ "rttl", O_RTTL, 0, 0 },
	{ "name", O_NAME, 1, 0 },
	{ "rsource", O_RSOURCE, 0, 0 },
	{ "rdest", O_RDEST, 0, 0 },
	{ "mask", O_MASK, 1, 0 },
	{ NULL },
};

/* Operations and flags, by option id, in print order. */
static const struct {
	uint8_t id, bit;
	const char *name;
} flag_tbl[] = {
	{ O_SET, XT_RECENT_SET, "set" },
	{ O_RCHECK, XT_RECENT_CHECK, "rcheck" },
	{ O_UPDATE, XT_RECENT_UPDATE, "update" },
	{ O_REMOVE, XT_RECENT_REMOVE, "remove" },
	{ O_REAP, XT_RECENT_REAP, "reap" },
	{ O_RTTL, XT_RECENT_TTL, "rttl" },
};

#define OPS (1u << O_SET | 1u << O_RCHECK | 1u << O_UPDATE | 1u << O_REMOVE)

static void recent_init(struct fw_xt *x, const struct fw_rule *r)
{
	struct xt_recent_mtinfo_v1 *info =
		(struct xt_recent_mtinfo_v1 *)x->data;

	strcpy(info->name, "DEFAULT");
	info->side = XT_RECENT_SOURCE;
	memset(&info->mask, 0xff, sizeof(info->mask));
}

static int parse_mask(struct fw_pctx *p, const char *s,
		      struct xt_recent_mtinfo_v1 *info)
{
	struct fw_addr a;

	if (strchr(s, '/'))
		return fw_error(p->errs, p->loc, "invalid mask '%s'", s);
	if (fw_addr_parse(s, p->rule->family, &a, p->errs, p->loc))
		return -1;
	/* the whole union is overwritten: an IPv4 mask clears the rest */
	memcpy(&info->mask, a.a, sizeof(info->mask));
	return 0;
}

static int recent_parse(struct fw_pctx *p, const struct fw_opt *o,
			char **argv)
{
	struct xt_recent_mtinfo_v1 *info =
		(struct xt_recent_mtinfo_v1 *)p->xt->data;
	uint64_t v;
	size_t i;

	switch (o->id) {
	case O_SECONDS:
	case O_HITCOUNT:
		if (fw_parse_uint(p, argv[0], UINT32_MAX, &v))
			return -1;
		if (o->id == O_SECONDS && !v)
			return fw_error(p->errs, p->loc,
					"'--seconds' must be at least 1");
		*(o->id == O_SECONDS ? &info->seconds : &info->hit_count) = v;
		return 0;
	case O_NAME:
		snprintf(info->name, sizeof(info->name), "%s", argv[0]);
		return 0;
	case O_RSOURCE:
	case O_RDEST:
		info->side = o->id == O_RDEST ? XT_RECENT_DEST
					      : XT_RECENT_SOURCE;
		return 0;
	case O_MASK:
		return parse_mask(p, argv[0], info);
	}
	if (p->xt->seen & OPS & (1u << o->id) && p->xt->seen & OPS &
	    ~(1u << o->id))
		return fw_error(p->errs, p->loc, "only one of '--set', "
				"'--rcheck', '--update' and '--remove'");
	for (i = 0; i < FW_ARRAY_SIZE(flag_tbl); i++)
		if (flag_tbl[i].id == o->id)
			info->check_set |= flag_tbl[i].bit;
	if (p->inv)
		info->invert = 1;
	return 0;
}

static int recent_check(struct fw_pctx *p)
{
	uint64_t seen = p->xt->seen;

	if (!(seen & OPS))
		return fw_error(p->errs, p->loc, "recent match needs '--set', "
				"'--rcheck', '--update' or '--remove'");
	if (seen & 1u << O_REAP && !(seen & 1u << O_SECONDS))
		return fw_error(p->errs, p->loc, "'--reap' needs '--seconds'");
	if (seen & 1u << O_RTTL && seen & (1u << O_SET | 1u << O_REMOVE))
		return fw_error(p->errs, p->loc, "'--rttl' cannot go with "
				"'--set' or '--remove'");
	return 0;
}

static void print_flag(struct fw_pr *pr, const struct xt_recent_mtinfo_v1 *info,
		       size_t i, bool *inv)
{
	if (!(info->check_set & flag_tbl[i].bit))
		return;
	fw_pr_flag(pr, *inv, flag_tbl[i].name);
	*inv = false;
}

static void recent_print(const struct fw_xt *x, const struct fw_rule *r,
			 struct fw_pr *pr)
{
	const struct xt_recent_mtinfo_v1 *info =
		(const struct xt_recent_mtinfo_v1 *)x->data;
	bool inv = info->invert;
	char mask[INET6_ADDRSTRLEN];
	size_t i;

	/* "!" goes before the first option printed, as iptables does */
	for (i = 0; i < 4; i++)
		print_flag(pr, info, i, &inv);
	if (info->seconds)
		fw_pr_val(pr, inv, "seconds", "%d", (int)info->seconds);
	print_flag(pr, info, 4, &inv);
	if (info->hit_count)
		fw_pr_val(pr, false, "hitcount", "%d", (int)info->hit_count);
	print_flag(pr, info, 5, &inv);
	fw_pr_val(pr, inv, "name", "%.*s", (int)sizeof(info->name),
		  info->name);
	inet_ntop(r->family == FW_AF_IPV6 ? AF_INET6 : AF_INET, &info->mask,
		  mask, sizeof(mask));
	fw_pr_val(pr, false, "mask", "%s", mask);
	if (info->side == XT_RECENT_SOURCE)
		fw_pr_flag(pr, false, "rsource");
	else if (info->side == XT_RECENT_DEST)
		fw_pr_flag(pr, false, "rdest");
}

static const struct fw_case recent_tests[] = {
	{ "--set --name foo --rsource",
	  "--set --name foo --mask 255.255.255.255 --rsource", FW_OK, 4, NULL },
	{ "--set", "--set --name DEFAULT --mask "
	  "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff --rsource", FW_OK, 6, NULL },
	{ "! --rcheck --seconds 60 --hitcount 4 --rttl --name x --rdest "
	  "--mask 255.255.0.0", "! --rcheck --seconds 60 --hitcount 4 --rttl "
	  "--name x --mask 255.255.0.0 --rdest", FW_OK, 4, NULL },
	{ "--update --seconds 1 --reap --mask ffff::", "--update --seconds 1 "
	  "--reap --name DEFAULT --mask ffff:: --rsource", FW_OK, 6, NULL },
	{ "--remove --rdest --rsource", "--remove --name DEFAULT --mask "
	  "255.255.255.255 --rsource", FW_OK, 4, NULL },
	{ "--set --rcheck", NULL, FW_FAIL, 0, NULL },
	{ "--set --rttl", NULL, FW_FAIL, 0, NULL },
	{ "--rcheck --reap", NULL, FW_FAIL, 0, NULL },
	{ "--rcheck --seconds 0", NULL, FW_FAIL, 0, NULL },
	{ "--rcheck --mask 1.2.3.4/8", NULL, FW_FAIL, 4, NULL },
	{ "--name foo", NULL, FW_FAIL, 0, NULL },
	{ NULL },
};

const struct fw_ext fw_ext_recent = {
	.name = "recent",
	.kind = FW_EXT_MATCH,
	.revision = 1,
	.size = sizeof(struct xt_recent_mtinfo_v1),
	.opts = recent_opts,
	.init = recent_init,
	.parse = recent_parse,
	.check = recent_check,
	.print = recent_print,
	.tests = recent_tests,
};
