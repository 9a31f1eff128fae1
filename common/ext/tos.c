/* SPDX-License-Identifier: GPL-2.0-or-later */
/* tos match and TOS target: --tos, --set-tos, --and-tos, --or-tos, --xor-tos */
#include "base.h"

#include <string.h>

#include <linux/netfilter/xt_DSCP.h>
#include <linux/netfilter/xt_dscp.h>

#include "ext.h"

enum { O_TOS, O_SET, O_AND, O_OR, O_XOR };

static const struct fw_opt tos_opts[] = {
	{ "tos", O_TOS, 1, FW_OPT_INV },
	{ NULL },
};

static const struct fw_opt tos_tg_opts[] = {
	{ "set-tos", O_SET, 1, 0 },
	{ "and-tos", O_AND, 1, 0 },
	{ "or-tos", O_OR, 1, 0 },
	{ "xor-tos", O_XOR, 1, 0 },
	{ NULL },
};

/* The symbolic TOS names; they imply the mask 0x3f (revision 1). */
static const struct {
	const char *name;
	uint8_t value;
} tos_tbl[] = {
	{ "Minimize-Delay", 0x10 },
	{ "Maximize-Throughput", 0x08 },
	{ "Maximize-Reliability", 0x04 },
	{ "Minimize-Cost", 0x02 },
	{ "Normal-Service", 0x00 },
};

/* "VALUE[/MASK]" (mask defaults to 0xff) or a symbolic name (mask 0x3f). */
static int parse_tosmask(struct fw_pctx *p, const char *s, uint8_t *value,
			 uint8_t *mask)
{
	const char *slash = strchr(s, '/');
	char num[32];
	uint64_t v, m = 0xff;
	size_t i, n = slash ? (size_t)(slash - s) : strlen(s);

	if (*s >= '0' && *s <= '9' && n < sizeof(num)) {
		memcpy(num, s, n);
		num[n] = '\0';
		if (fw_parse_uint(p, num, 0xff, &v) ||
		    (slash && fw_parse_uint(p, slash + 1, 0xff, &m)))
			return -1;
		*value = v;
		*mask = m;
		return 0;
	}
	for (i = 0; i < FW_ARRAY_SIZE(tos_tbl); i++) {
		if (!strcasecmp(s, tos_tbl[i].name)) {
			*value = tos_tbl[i].value;
			*mask = 0x3f;
			return 0;
		}
	}
	return fw_error(p->errs, p->loc, "unknown TOS value '%s'", s);
}

static int tos_parse(struct fw_pctx *p, const struct fw_opt *o, char **argv)
{
	struct xt_tos_match_info *info =
		(struct xt_tos_match_info *)p->xt->data;

	if (parse_tosmask(p, argv[0], &info->tos_value, &info->tos_mask))
		return -1;
	info->invert = p->inv;
	return 0;
}

static int tos_check(struct fw_pctx *p)
{
	if (!p->xt->seen)
		return fw_error(p->errs, p->loc, "tos match needs '--tos'");
	return 0;
}

static void tos_print(const struct fw_xt *x, const struct fw_rule *r,
		      struct fw_pr *pr)
{
	const struct xt_tos_match_info *info =
		(const struct xt_tos_match_info *)x->data;

	fw_pr_val(pr, info->invert, "tos", "0x%02x/0x%02x", info->tos_value,
		  info->tos_mask);
}

static int tos_tg_parse(struct fw_pctx *p, const struct fw_opt *o,
			char **argv)
{
	struct xt_tos_target_info *info =
		(struct xt_tos_target_info *)p->xt->data;
	uint64_t v;

	if (p->xt->seen & ~(1ull << o->id))
		return fw_error(p->errs, p->loc,
				"TOS target takes only one action");
	if (o->id == O_SET)
		return parse_tosmask(p, argv[0], &info->tos_value,
				     &info->tos_mask);
	if (fw_parse_uint(p, argv[0], 0xff, &v))
		return -1;
	switch (o->id) {
	case O_AND:
		info->tos_value = 0;
		info->tos_mask = ~v;
		break;
	case O_OR:
		info->tos_value = v;
		info->tos_mask = v;
		break;
	case O_XOR:
		info->tos_value = v;
		info->tos_mask = 0;
		break;
	}
	return 0;
}

static int tos_tg_check(struct fw_pctx *p)
{
	if (!p->xt->seen)
		return fw_error(p->errs, p->loc,
				"TOS target needs an action ('--set-tos')");
	return 0;
}

static void tos_tg_print(const struct fw_xt *x, const struct fw_rule *r,
			 struct fw_pr *pr)
{
	const struct xt_tos_target_info *info =
		(const struct xt_tos_target_info *)x->data;

	fw_pr_val(pr, false, "set-tos", "0x%02x/0x%02x", info->tos_value,
		  info->tos_mask);
}

static const struct fw_case tos_tests[] = {
	{ "--tos 0x10", "--tos 0x10/0xff", FW_OK, 0, NULL },
	{ "! --tos 0x10/0x3f", "=", FW_OK, 0, NULL },
	{ "--tos Minimize-Delay", "--tos 0x10/0x3f", FW_OK, 0, NULL },
	{ "--tos normal-service", "--tos 0x00/0x3f", FW_OK, 0, NULL },
	{ "--tos 255/1", "--tos 0xff/0x01", FW_OK, 0, NULL },
	{ "--tos 256", NULL, FW_FAIL, 0, NULL },
	{ "--tos 0x10/0x100", NULL, FW_FAIL, 0, NULL },
	{ "--tos Bogus", NULL, FW_FAIL, 0, NULL },
	{ "", NULL, FW_FAIL, 0, NULL },
	{ NULL },
};

static const struct fw_case tos_tg_tests[] = {
	{ "--set-tos 0x1", "--set-tos 0x01/0xff", FW_OK, 0, NULL },
	{ "--set-tos 0x10/0x3f", "=", FW_OK, 0, NULL },
	{ "--set-tos Minimize-Cost", "--set-tos 0x02/0x3f", FW_OK, 0, NULL },
	{ "--and-tos 0x12", "--set-tos 0x00/0xed", FW_OK, 0, NULL },
	{ "--or-tos 0x4", "--set-tos 0x04/0x04", FW_OK, 0, NULL },
	{ "--xor-tos 0x4", "--set-tos 0x04/0x00", FW_OK, 0, NULL },
	{ "--set-tos 1 --and-tos 2", NULL, FW_FAIL, 0, NULL },
	{ "--and-tos 256", NULL, FW_FAIL, 0, NULL },
	{ "", NULL, FW_FAIL, 0, NULL },
	{ NULL },
};

const struct fw_ext fw_ext_tos = {
	.name = "tos",
	.kind = FW_EXT_MATCH,
	.revision = 1,
	.size = sizeof(struct xt_tos_match_info),
	.opts = tos_opts,
	.parse = tos_parse,
	.check = tos_check,
	.print = tos_print,
	.tests = tos_tests,
};

const struct fw_ext fw_ext_tos_tg = {
	.name = "TOS",
	.kind = FW_EXT_TARGET,
	.revision = 1,
	.size = sizeof(struct xt_tos_target_info),
	.opts = tos_tg_opts,
	.parse = tos_tg_parse,
	.check = tos_tg_check,
	.print = tos_tg_print,
	.tests = tos_tg_tests,
};
