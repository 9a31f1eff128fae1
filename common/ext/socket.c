/* SPDX-License-Identifier: GPL-2.0-or-later */
/* socket match (revision 3): --transparent, --nowildcard, --restore-skmark */
#include "base.h"

#include <linux/netfilter/xt_socket.h>

#include "ext.h"

enum { O_TRANSPARENT, O_NOWILDCARD, O_RESTORESKMARK };

/* Options in print order, indexed like flag_tbl. */
static const struct fw_opt socket_opts[] = {
	{ "transparent", O_TRANSPARENT, 0, 0 },
	{ "nowildcard", O_NOWILDCARD, 0, 0 },
	{ "restore-skmark", O_RESTORESKMARK, 0, 0 },
	{ NULL },
};

static const uint8_t flag_tbl[] = {
	[O_TRANSPARENT] = XT_SOCKET_TRANSPARENT,
	[O_NOWILDCARD] = XT_SOCKET_NOWILDCARD,
	[O_RESTORESKMARK] = XT_SOCKET_RESTORESKMARK,
};

static int socket_parse(struct fw_pctx *p, const struct fw_opt *o,
			char **argv)
{
	((struct xt_socket_mtinfo3 *)p->xt->data)->flags |= flag_tbl[o->id];
	return 0;
}

static void socket_print(const struct fw_xt *x, const struct fw_rule *r,
			 struct fw_pr *pr)
{
	const struct xt_socket_mtinfo3 *info =
		(const struct xt_socket_mtinfo3 *)x->data;
	size_t i;

	for (i = 0; i < FW_ARRAY_SIZE(flag_tbl); i++)
		if (info->flags & flag_tbl[i])
			fw_pr_flag(pr, false, socket_opts[i].name);
}

static const struct fw_case socket_tests[] = {
	{ "", "=", FW_OK, 0, NULL },
	{ "--restore-skmark --nowildcard --transparent",
	  "--transparent --nowildcard --restore-skmark", FW_OK, 0, NULL },
	{ "--nowildcard", "=", FW_OK, 0, NULL },
	{ "! --transparent", NULL, FW_FAIL, 0, NULL },
	{ NULL },
};

const struct fw_ext fw_ext_socket = {
	.name = "socket",
	.kind = FW_EXT_MATCH,
	.revision = 3,
	.size = sizeof(struct xt_socket_mtinfo3),
	.opts = socket_opts,
	.parse = socket_parse,
	.print = socket_print,
	.tests = socket_tests,
};
