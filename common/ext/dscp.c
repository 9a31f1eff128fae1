/* SPDX-License-Identifier: GPL-2.0-or-later */
/* dscp match and DSCP target: --dscp, --dscp-class, --set-dscp[-class] */
#include "base.h"

#include <string.h>

#include <linux/netfilter/xt_dscp.h>
#include <linux/netfilter/xt_DSCP.h>

#include "ext.h"

enum { O_DSCP, O_CLASS };

static const struct fw_opt dscp_opts[] = {
	{ "dscp", O_DSCP, 1, FW_OPT_INV },
	{ "dscp-class", O_CLASS, 1, FW_OPT_INV },
	{ NULL },
};

static const struct fw_opt dscp_tg_opts[] = {
	{ "set-dscp", O_DSCP, 1, 0 },
	{ "set-dscp-class", O_CLASS, 1, 0 },
	{ NULL },
};

/* DiffServ class names; a name given only has to start with one of them. */
static const struct {
	const char *name;
	uint8_t dscp;
} dscp_class_tbl[] = {
	{ "CS0", 0x00 }, { "CS1", 0x08 }, { "CS2", 0x10 }, { "CS3", 0x18 },
	{ "CS4", 0x20 }, { "CS5", 0x28 }, { "CS6", 0x30 }, { "CS7", 0x38 },
	{ "BE", 0x00 }, { "AF11", 0x0a }, { "AF12", 0x0c }, { "AF13", 0x0e },
	{ "AF21", 0x12 }, { "AF22", 0x14 }, { "AF23", 0x16 },
	{ "AF31", 0x1a }, { "AF32", 0x1c }, { "AF33", 0x1e },
	{ "AF41", 0x22 }, { "AF42", 0x24 }, { "AF43", 0x26 }, { "EF", 0x2e },
};

/* --dscp N or --dscp-class NAME into *v; the two exclude each other. */
static int dscp_value(struct fw_pctx *p, const struct fw_opt *o,
		      const char *arg, uint8_t *v)
{
	uint64_t n;
	size_t i;

	if (p->xt->seen & (1u << (o->id == O_DSCP ? O_CLASS : O_DSCP)))
		return fw_error(p->errs, p->loc, "'--%s' and '--%s' exclude "
				"each other", o->name, o->id == O_DSCP ?
				"dscp-class" : "dscp");
	if (o->id == O_DSCP) {
		if (fw_parse_uint(p, arg, XT_DSCP_MAX, &n))
			return -1;
		*v = n;
		return 0;
	}
	for (i = 0; i < FW_ARRAY_SIZE(dscp_class_tbl); i++) {
		if (!strncasecmp(arg, dscp_class_tbl[i].name,
				 strlen(dscp_class_tbl[i].name))) {
			*v = dscp_class_tbl[i].dscp;
			return 0;
		}
	}
	return fw_error(p->errs, p->loc, "invalid DSCP class '%s'", arg);
}

static int dscp_parse(struct fw_pctx *p, const struct fw_opt *o, char **argv)
{
	struct xt_dscp_info *d = (struct xt_dscp_info *)p->xt->data;

	if (dscp_value(p, o, argv[0], &d->dscp))
		return -1;
	if (p->inv)
		d->invert = 1;
	return 0;
}

static int dscp_tg_parse(struct fw_pctx *p, const struct fw_opt *o,
			 char **argv)
{
	struct xt_DSCP_info *d = (struct xt_DSCP_info *)p->xt->data;

	return dscp_value(p, o, argv[0], &d->dscp);
}

static int dscp_check(struct fw_pctx *p)
{
	if (!p->xt->seen)
		return fw_error(p->errs, p->loc, "%s needs '--%s'",
				p->xt->ext->name,
				p->xt->ext->kind == FW_EXT_MATCH ? "dscp"
								 : "set-dscp");
	return 0;
}

static void dscp_print(const struct fw_xt *x, const struct fw_rule *r,
		       struct fw_pr *pr)
{
	const struct xt_dscp_info *d = (const struct xt_dscp_info *)x->data;

	fw_pr_val(pr, d->invert, "dscp", "0x%02x", d->dscp);
}

static void dscp_tg_print(const struct fw_xt *x, const struct fw_rule *r,
			  struct fw_pr *pr)
{
	const struct xt_DSCP_info *d = (const struct xt_DSCP_info *)x->data;

	fw_pr_val(pr, false, "set-dscp", "0x%02x", d->dscp);
}

static const struct fw_case dscp_tests[] = {
	{ "--dscp 0x00", "=", FW_OK, 0, NULL },
	{ "--dscp 63", "--dscp 0x3f", FW_OK, 0, NULL },
	{ "! --dscp 0x0a", "=", FW_OK, 0, NULL },
	{ "--dscp 0x40", NULL, FW_FAIL, 0, NULL },
	{ "--dscp -1", NULL, FW_FAIL, 0, NULL },
	{ "--dscp-class EF", "--dscp 0x2e", FW_OK, 0, NULL },
	{ "! --dscp-class af41", "! --dscp 0x22", FW_OK, 0, NULL },
	{ "--dscp-class cs01", "--dscp 0x00", FW_OK, 0, NULL },
	{ "--dscp-class XX", NULL, FW_FAIL, 0, NULL },
	{ "--dscp 1 --dscp-class BE", NULL, FW_FAIL, 0, NULL },
	{ "--dscp-class BE --dscp 1", NULL, FW_FAIL, 0, NULL },
	{ "", NULL, FW_FAIL, 0, NULL },
	{ NULL },
};

static const struct fw_case dscp_tg_tests[] = {
	{ "--set-dscp 0x3f", "=", FW_OK, 0, NULL },
	{ "--set-dscp 10", "--set-dscp 0x0a", FW_OK, 0, NULL },
	{ "--set-dscp-class AF43", "--set-dscp 0x26", FW_OK, 0, NULL },
	{ "--set-dscp 0x40", NULL, FW_FAIL, 0, NULL },
	{ "! --set-dscp 1", NULL, FW_FAIL, 0, NULL },
	{ "--set-dscp 1 --set-dscp-class CS1", NULL, FW_FAIL, 0, NULL },
	{ "", NULL, FW_FAIL, 0, NULL },
	{ NULL },
};

const struct fw_ext fw_ext_dscp = {
	.name = "dscp",
	.kind = FW_EXT_MATCH,
	.size = sizeof(struct xt_dscp_info),
	.opts = dscp_opts,
	.parse = dscp_parse,
	.check = dscp_check,
	.print = dscp_print,
	.tests = dscp_tests,
};

const struct fw_ext fw_ext_dscp_tg = {
	.name = "DSCP",
	.kind = FW_EXT_TARGET,
	.size = sizeof(struct xt_DSCP_info),
	.opts = dscp_tg_opts,
	.parse = dscp_tg_parse,
	.check = dscp_check,
	.print = dscp_tg_print,
	.tests = dscp_tg_tests,
};
