/* SPDX-License-Identifier: GPL-2.0-or-later */
/* physdev match: bridge ports (--physdev-in/-out, --physdev-is-*) */
#include "base.h"

#include <string.h>

#include "ext.h"

/* linux/if.h, pulled in by xt_physdev.h, clashes with net/if.h */
#define _LINUX_IF_H
#include <linux/netfilter/xt_physdev.h>

enum { O_IN, O_OUT, O_IS_IN, O_IS_OUT, O_IS_BRIDGED };

static const struct fw_opt physdev_opts[] = {
	{ "physdev-in", O_IN, 1, FW_OPT_INV },
	{ "physdev-out", O_OUT, 1, FW_OPT_INV },
	{ "physdev-is-in", O_IS_IN, 0, FW_OPT_INV },
	{ "physdev-is-out", O_IS_OUT, 0, FW_OPT_INV },
	{ "physdev-is-bridged", O_IS_BRIDGED, 0, FW_OPT_INV },
	{ NULL },
};

/* The bitmask bit of each option, by option id. */
static const uint8_t op_bit[] = {
	[O_IN] = XT_PHYSDEV_OP_IN,
	[O_OUT] = XT_PHYSDEV_OP_OUT,
	[O_IS_IN] = XT_PHYSDEV_OP_ISIN,
	[O_IS_OUT] = XT_PHYSDEV_OP_ISOUT,
	[O_IS_BRIDGED] = XT_PHYSDEV_OP_BRIDGED,
};

/* The name and a mask over the bytes compared: "eth+" is a prefix. */
static int parse_iface(struct fw_pctx *p, const char *s, char *name,
		       char *mask)
{
	size_t n = strlen(s);

	if (n >= IFNAMSIZ)
		return fw_error(p->errs, p->loc, "interface name '%s' is "
				"longer than %d characters", s, IFNAMSIZ - 1);
	memset(name, 0, IFNAMSIZ);
	memset(mask, 0, IFNAMSIZ);
	strcpy(name, s);
	if (n)
		memset(mask, 0xff, s[n - 1] == '+' ? n - 1 : n + 1);
	return 0;
}

static int physdev_parse(struct fw_pctx *p, const struct fw_opt *o,
			 char **argv)
{
	struct xt_physdev_info *info = (struct xt_physdev_info *)p->xt->data;

	if (o->id == O_IN &&
	    parse_iface(p, argv[0], info->physindev, info->in_mask))
		return -1;
	if (o->id == O_OUT &&
	    parse_iface(p, argv[0], info->physoutdev, info->out_mask))
		return -1;
	info->bitmask |= op_bit[o->id];
	if (p->inv)
		info->invert |= op_bit[o->id];
	return 0;
}

static int physdev_check(struct fw_pctx *p)
{
	if (!p->xt->seen)
		return fw_error(p->errs, p->loc,
				"physdev match needs a physdev option");
	return 0;
}

static void physdev_print(const struct fw_xt *x, const struct fw_rule *r,
			  struct fw_pr *pr)
{
	static const uint8_t order[] = {
		O_IS_IN, O_IN, O_IS_OUT, O_OUT, O_IS_BRIDGED,
	};
	const struct xt_physdev_info *info =
		(const struct xt_physdev_info *)x->data;
	size_t i;
	int id;

	for (i = 0; i < FW_ARRAY_SIZE(order); i++) {
		id = order[i];
		if (!(info->bitmask & op_bit[id]))
			continue;
		if (id == O_IN || id == O_OUT)
			fw_pr_val(pr, info->invert & op_bit[id],
				  physdev_opts[id].name, "%.*s", IFNAMSIZ,
				  id == O_IN ? info->physindev
					     : info->physoutdev);
		else
			fw_pr_flag(pr, info->invert & op_bit[id],
				   physdev_opts[id].name);
	}
}

static const struct fw_case physdev_tests[] = {
	{ "--physdev-in lo", "=", FW_OK, 0, NULL },
	{ "--physdev-in lo --physdev-is-in", "--physdev-is-in --physdev-in lo",
	  FW_OK, 0, NULL },
	{ "! --physdev-out eth+ ! --physdev-is-bridged ! --physdev-is-out",
	  "! --physdev-is-out ! --physdev-out eth+ ! --physdev-is-bridged",
	  FW_OK, 0, NULL },
	{ "--physdev-in 0123456789abcde", "=", FW_OK, 0, NULL },
	{ "--physdev-in 0123456789abcdef", NULL, FW_FAIL, 0, NULL },
	{ "", NULL, FW_FAIL, 0, NULL },
	{ NULL },
};

const struct fw_ext fw_ext_physdev = {
	.name = "physdev",
	.kind = FW_EXT_MATCH,
	.size = sizeof(struct xt_physdev_info),
	.opts = physdev_opts,
	.parse = physdev_parse,
	.check = physdev_check,
	.print = physdev_print,
	.tests = physdev_tests,
};
