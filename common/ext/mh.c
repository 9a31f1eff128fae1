/* SPDX-License-Identifier: GPL-2.0-or-later */
/* mh match (IPv6 mobility header): [!] --mh-type TYPE[:TYPE] */
#include "base.h"

#include <string.h>

#include <linux/netfilter_ipv6/ip6t_mh.h>

#include "ext.h"

enum { O_TYPE };

static const struct fw_opt mh_opts[] = {
	{ "mh-type", O_TYPE, 1, FW_OPT_INV },
	{ NULL },
};

/* Type names and their short aliases; save prints numbers only. */
static const struct {
	const char *name;
	uint8_t type;
} mh_type_tbl[] = {
	{ "binding-refresh-request", 0 }, { "brr", 0 },
	{ "home-test-init", 1 }, { "hoti", 1 },
	{ "careof-test-init", 2 }, { "coti", 2 },
	{ "home-test", 3 }, { "hot", 3 },
	{ "careof-test", 4 }, { "cot", 4 },
	{ "binding-update", 5 }, { "bu", 5 },
	{ "binding-acknowledgement", 6 }, { "ba", 6 },
	{ "binding-error", 7 }, { "be", 7 },
};

/* A name, an abbreviation of one (an exact name wins), or a number. */
static int mh_type(struct fw_pctx *p, const char *s, uint8_t *type)
{
	size_t i, len = strlen(s), found = FW_ARRAY_SIZE(mh_type_tbl);
	uint64_t v;

	for (i = 0; i < FW_ARRAY_SIZE(mh_type_tbl); i++) {
		if (strncasecmp(mh_type_tbl[i].name, s, len))
			continue;
		if (found == FW_ARRAY_SIZE(mh_type_tbl) ||
		    strlen(mh_type_tbl[i].name) == len)
			found = i;
	}
	if (found < FW_ARRAY_SIZE(mh_type_tbl)) {
		*type = mh_type_tbl[found].type;
		return 0;
	}
	if (fw_parse_uint(p, s, 255, &v))
		return -1;
	*type = v;
	return 0;
}

static int mh_parse(struct fw_pctx *p, const struct fw_opt *o, char **argv)
{
	struct ip6t_mh *mh = (struct ip6t_mh *)p->xt->data;
	char *copy = xstrdup(argv[0]), *colon = strchr(copy, ':');
	int rc = 0;

	if (!colon) {
		rc = mh_type(p, copy, &mh->types[0]);
		mh->types[1] = mh->types[0];
	} else {
		*colon = '\0';
		mh->types[0] = 0;
		mh->types[1] = 0xff;
		if ((*copy && mh_type(p, copy, &mh->types[0])) ||
		    (colon[1] && mh_type(p, colon + 1, &mh->types[1])))
			rc = -1;
		else if (mh->types[0] > mh->types[1])
			rc = fw_error(p->errs, p->loc, "invalid MH type range "
				      "'%s' (start above end)", argv[0]);
	}
	free(copy);
	if (p->inv)
		mh->invflags |= IP6T_MH_INV_TYPE;
	return rc;
}

static void mh_init(struct fw_xt *x, const struct fw_rule *r)
{
	struct ip6t_mh *mh = (struct ip6t_mh *)x->data;

	mh->types[1] = 0xff;
}

static void mh_print(const struct fw_xt *x, const struct fw_rule *r,
		     struct fw_pr *pr)
{
	const struct ip6t_mh *mh = (const struct ip6t_mh *)x->data;
	bool inv = mh->invflags & IP6T_MH_INV_TYPE;

	/* an inverted full range never matches: say so (1.8.11; 1.8.9 drops it) */
	if (mh->types[0] == 0 && mh->types[1] == 0xff && !inv)
		return;
	if (mh->types[0] != mh->types[1])
		fw_pr_val(pr, inv, "mh-type", "%u:%u", mh->types[0],
			  mh->types[1]);
	else
		fw_pr_val(pr, inv, "mh-type", "%u", mh->types[0]);
}

static const struct fw_case mh_tests[] = {
	{ "", "=", FW_OK, 0, "-p mobility-header" },
	{ "--mh-type 1", "=", FW_OK, 0, "-p mobility-header" },
	{ "! --mh-type 4", "=", FW_OK, 0, "-p mobility-header" },
	{ "--mh-type 4:123", "=", FW_OK, 0, "-p mobility-header" },
	{ "--mh-type :", "", FW_OK, 0, "-p mobility-header" },
	{ "! --mh-type :", "! --mh-type 0:255", FW_OK, 0, "-p mobility-header" },
	{ "--mh-type :3", "--mh-type 0:3", FW_OK, 0, "-p mobility-header" },
	{ "--mh-type 3:", "--mh-type 3:255", FW_OK, 0, "-p mobility-header" },
	{ "--mh-type 3:3", "--mh-type 3", FW_OK, 0, "-p mobility-header" },
	{ "--mh-type bu", "--mh-type 5", FW_OK, 0, "-p mobility-header" },
	{ "--mh-type Home-Test", "--mh-type 3", FW_OK, 0,
	  "-p mobility-header" },
	{ "--mh-type binding-r:be", "--mh-type 0:7", FW_OK, 0,
	  "-p mobility-header" },
	{ "--mh-type 4:3", NULL, FW_FAIL, 0, "-p mobility-header" },
	{ "--mh-type 256", NULL, FW_FAIL, 0, "-p mobility-header" },
	{ "--mh-type bogus", NULL, FW_FAIL, 0, "-p mobility-header" },
	{ NULL },
};

const struct fw_ext fw_ext_mh = {
	.name = "mh",
	.kind = FW_EXT_MATCH,
	.family = FW_AF_IPV6,
	.size = sizeof(struct ip6t_mh),
	.opts = mh_opts,
	.init = mh_init,
	.parse = mh_parse,
	.print = mh_print,
	.tests = mh_tests,
};
