/* SPDX-License-Identifier: GPL-2.0-or-later */
/* connlabel match: --label NAME|BIT [--set], names from connlabel.conf */
#include "base.h"

#include <stdlib.h>
#include <string.h>

#include <linux/netfilter/xt_connlabel.h>

#include "ext.h"

#define CONNLABEL_CONF "/etc/xtables/connlabel.conf"

enum { O_LABEL, O_SET };

static const struct fw_opt connlabel_opts[] = {
	{ "label", O_LABEL, 1, FW_OPT_INV | FW_OPT_STR },
	{ "set", O_SET, 0, 0 },
	{ NULL },
};

/*
 * The name of a label bit, or with name set, the bit of a name, from
 * lines "BIT NAME" (as libnetfilter_conntrack reads them). -1: none.
 */
static int label_lookup(const char *name, unsigned bit, char *out,
			size_t len)
{
	FILE *fp = fopen(CONNLABEL_CONF, "re");
	char line[256], *p, *end;
	unsigned long b;
	int found = -1;

	if (!fp)
		return -1;
	while (found < 0 && fgets(line, sizeof(line), fp)) {
		if (line[0] == '#')
			continue;
		b = strtoul(line, &end, 0);
		if (end == line || b > XT_CONNLABEL_MAXBIT)
			continue;
		for (p = end; *p == ' ' || *p == '\t'; p++)
			;
		end = p + strcspn(p, "\r\n");
		while (end > p && (end[-1] == ' ' || end[-1] == '\t'))
			end--;
		*end = '\0';
		if (!*p)
			continue;
		if (name ? !strcmp(p, name) : b == bit) {
			found = b;
			if (out)
				snprintf(out, len, "%s", p);
		}
	}
	fclose(fp);
	return found;
}

static int connlabel_parse(struct fw_pctx *p, const struct fw_opt *o,
			   char **argv)
{
	struct xt_connlabel_mtinfo *info =
		(struct xt_connlabel_mtinfo *)p->xt->data;
	unsigned long v;
	char *end;
	int bit;

	if (o->id == O_SET) {
		info->options |= XT_CONNLABEL_OP_SET;
		return 0;
	}
	if (!*argv[0])
		return fw_error(p->errs, p->loc, "empty '--label'");
	v = strtoul(argv[0], &end, 0);
	bit = *end ? label_lookup(argv[0], 0, NULL, 0) : (int)v;
	if (bit < 0)
		return fw_error(p->errs, p->loc,
				"label '%s' not found or invalid", argv[0]);
	info->bit = bit;
	if (p->inv)
		info->options |= XT_CONNLABEL_OP_INVERT;
	return 0;
}

static int connlabel_check(struct fw_pctx *p)
{
	if (!(p->xt->seen & 1u << O_LABEL))
		return fw_error(p->errs, p->loc,
				"connlabel match needs '--label'");
	return 0;
}

static void connlabel_print(const struct fw_xt *x, const struct fw_rule *r,
			    struct fw_pr *pr)
{
	const struct xt_connlabel_mtinfo *info =
		(const struct xt_connlabel_mtinfo *)x->data;
	char name[256];

	if (label_lookup(NULL, info->bit, name, sizeof(name)) < 0)
		snprintf(name, sizeof(name), "%u", info->bit);
	fw_pr_qstr(pr, info->options & XT_CONNLABEL_OP_INVERT, "label", name);
	if (info->options & XT_CONNLABEL_OP_SET)
		fw_pr_flag(pr, false, "set");
}

static const struct fw_case connlabel_tests[] = {
	{ "--label 40", "--label \"40\"", FW_OK, 0, NULL },
	{ "! --label \"41\" --set", "=", FW_OK, 0, NULL },
	{ "--label 0x10", "--label \"16\"", FW_OK, 0, NULL },
	{ "--label fw_unit_label_not_there", NULL, FW_FAIL, 0, NULL },
	{ "--set", NULL, FW_FAIL, 0, NULL },
	{ NULL },
};

const struct fw_ext fw_ext_connlabel = {
	.name = "connlabel",
	.kind = FW_EXT_MATCH,
	.size = sizeof(struct xt_connlabel_mtinfo),
	.opts = connlabel_opts,
	.parse = connlabel_parse,
	.check = connlabel_check,
	.print = connlabel_print,
	.tests = connlabel_tests,
};
