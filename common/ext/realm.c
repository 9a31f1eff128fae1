/* SPDX-License-Identifier: GPL-2.0-or-later */
/* realm match (IPv4 routing realm): [!] --realm VALUE[/MASK] or NAME */
#include "base.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/netfilter/xt_realm.h>

#include "ext.h"

#define REALMS_FILE "/etc/iproute2/rt_realms"

enum { O_REALM };

static const struct fw_opt realm_opts[] = {
	{ "realm", O_REALM, 1, FW_OPT_INV },
	{ NULL },
};

/*
 * One "ID NAME" line of rt_realms, read as libxtables reads it (decimal
 * or 0x hex, 0..255, comments and junk skipped). 0 if the line has none.
 */
static int realm_line(char *line, unsigned *id, char **name)
{
	char *cur = line, *end;
	unsigned long n;

	while (isspace((unsigned char)*cur))
		cur++;
	if (*cur == '#' || !*cur)
		return 0;
	errno = 0;
	n = strtoul(cur, &end, strncmp(cur, "0x", 2) ? 10 : 16);
	if (end == cur || errno || n > 255 || !isspace((unsigned char)*end))
		return 0;
	for (cur = end; isspace((unsigned char)*cur); cur++)
		;
	if (*cur == '#' || !*cur)
		return 0;
	for (end = cur; *end && !isspace((unsigned char)*end); end++)
		;
	*end = '\0';
	*id = n;
	*name = cur;
	return 1;
}

/*
 * Look a realm up in rt_realms: by name (name set; *id filled) or by id
 * (name NULL; the name copied to buf). The first line that fits wins.
 */
static bool realm_map(const char *name, unsigned *id, char *buf,
		      size_t len)
{
	FILE *fp = fopen(REALMS_FILE, "re");
	char line[512], *n;
	unsigned i;
	bool found = false;

	if (!fp)
		return false;
	while (!found && fgets(line, sizeof(line), fp)) {
		if (!realm_line(line, &i, &n))
			continue;
		if (name && !strcmp(n, name)) {
			*id = i;
			found = true;
		} else if (!name && i == *id) {
			snprintf(buf, len, "%s", n);
			found = true;
		}
	}
	fclose(fp);
	return found;
}

static int realm_num(const char *s, char **end, uint32_t *v)
{
	unsigned long long n;

	if (*s == '-' || *s == '+' || isspace((unsigned char)*s))
		return -1;
	errno = 0;
	n = strtoull(s, end, 0);
	if (*end == s || errno || n > 0xffffffff)
		return -1;
	*v = n;
	return 0;
}

static int realm_parse(struct fw_pctx *p, const struct fw_opt *o,
		       char **argv)
{
	struct xt_realm_info *ri = (struct xt_realm_info *)p->xt->data;
	char *end;
	unsigned id;

	ri->mask = 0xffffffff;
	if (p->inv)
		ri->invert = 1;
	if (realm_num(argv[0], &end, &ri->id) || (*end && *end != '/')) {
		if (!realm_map(argv[0], &id, NULL, 0))
			return fw_error(p->errs, p->loc, "unknown realm '%s'",
					argv[0]);
		ri->id = id;
		return 0;
	}
	if (*end && (realm_num(end + 1, &end, &ri->mask) || *end))
		return fw_error(p->errs, p->loc, "invalid realm mask in '%s'",
				argv[0]);
	return 0;
}

static int realm_check(struct fw_pctx *p)
{
	if (!p->xt->seen)
		return fw_error(p->errs, p->loc, "realm needs '--realm'");
	return 0;
}

static void realm_print(const struct fw_xt *x, const struct fw_rule *r,
			struct fw_pr *pr)
{
	const struct xt_realm_info *ri = (const struct xt_realm_info *)x->data;
	char name[256];
	unsigned id = ri->id;

	if (ri->mask != 0xffffffff)
		fw_pr_val(pr, ri->invert, "realm", "0x%x/0x%x", ri->id,
			  ri->mask);
	else if (realm_map(NULL, &id, name, sizeof(name)))
		fw_pr_val(pr, ri->invert, "realm", "%s", name);
	else
		fw_pr_val(pr, ri->invert, "realm", "0x%x", ri->id);
}

/* Assumes Debian's rt_realms, which names only 0 ("cosmos"). */
static const struct fw_case realm_tests[] = {
	{ "--realm 0x1/0x2a", "=", FW_OK, 0, NULL },
	{ "--realm 0x2a", "=", FW_OK, 0, NULL },
	{ "! --realm 42", "! --realm 0x2a", FW_OK, 0, NULL },
	{ "--realm 5/0xffffffff", "--realm 0x5", FW_OK, 0, NULL },
	{ "--realm 4294967295/0", "--realm 0xffffffff/0x0", FW_OK, 0, NULL },
	{ "--realm 4294967296", NULL, FW_FAIL, 0, NULL },
	{ "--realm 1/", NULL, FW_FAIL, 0, NULL },
	{ "--realm 1/2x", NULL, FW_FAIL, 0, NULL },
	{ "--realm no-such-realm", NULL, FW_FAIL, 0, NULL },
	{ "", NULL, FW_FAIL, 0, NULL },
	{ NULL },
};

const struct fw_ext fw_ext_realm = {
	.name = "realm",
	.kind = FW_EXT_MATCH,
	.family = FW_AF_IPV4,
	.size = sizeof(struct xt_realm_info),
	.opts = realm_opts,
	.parse = realm_parse,
	.check = realm_check,
	.print = realm_print,
	.tests = realm_tests,
};
