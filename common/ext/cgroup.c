/* SPDX-License-Identifier: GPL-2.0-or-later */
/* cgroup match (revision 2): --path PATH, --cgroup CLASSID */
#include "base.h"

#include <string.h>

#include <linux/netfilter/xt_cgroup.h>

#include "ext.h"

enum { O_CLASSID, O_PATH };

static const struct fw_opt cgroup_opts[] = {
	{ "path", O_PATH, 1, FW_OPT_INV | FW_OPT_STR },
	{ "cgroup", O_CLASSID, 1, FW_OPT_INV },
	{ NULL },
};

/*
 * path and classid share a union: given both, the later overwrites the
 * other, as in iptables (and the kernel rejects the rule).
 */
static int cgroup_parse(struct fw_pctx *p, const struct fw_opt *o,
			char **argv)
{
	struct xt_cgroup_info_v2 *info =
		(struct xt_cgroup_info_v2 *)p->xt->data;
	size_t n = strlen(argv[0]);
	uint64_t v;

	if (o->id == O_PATH) {
		/* only the string and its NUL are written, cut to the field */
		if (n >= sizeof(info->path))
			n = sizeof(info->path) - 1;
		memcpy(info->path, argv[0], n);
		info->path[n] = '\0';
		info->has_path = 1;
		info->invert_path = p->inv;
		return 0;
	}
	if (fw_parse_uint(p, argv[0], UINT32_MAX, &v))
		return -1;
	info->classid = v;
	info->has_classid = 1;
	info->invert_classid = p->inv;
	return 0;
}

static void cgroup_print(const struct fw_xt *x, const struct fw_rule *r,
			 struct fw_pr *pr)
{
	const struct xt_cgroup_info_v2 *info =
		(const struct xt_cgroup_info_v2 *)x->data;
	char path[sizeof(info->path) + 1];

	if (info->has_path) {
		snprintf(path, sizeof(path), "%.*s", (int)sizeof(info->path),
			 info->path);
		fw_pr_str(pr, info->invert_path, "path", path);
	}
	if (info->has_classid)
		fw_pr_val(pr, info->invert_classid, "cgroup", "%u",
			  info->classid);
}

static const struct fw_case cgroup_tests[] = {
	{ "--cgroup 1", "=", FW_OK, 0, NULL },
	{ "! --cgroup 1", "=", FW_OK, 0, NULL },
	{ "--path /", "--path \"/\"", FW_OK, 0, NULL },
	{ "! --path user", "=", FW_OK, 0, NULL },
	{ "--cgroup 4294967296", NULL, FW_FAIL, 0, NULL },
	{ NULL },
};

const struct fw_ext fw_ext_cgroup = {
	.name = "cgroup",
	.kind = FW_EXT_MATCH,
	.revision = 2,
	.size = sizeof(struct xt_cgroup_info_v2),
	.opts = cgroup_opts,
	.parse = cgroup_parse,
	.print = cgroup_print,
	.tests = cgroup_tests,
};
