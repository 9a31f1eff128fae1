/* SPDX-License-Identifier: GPL-2.0-or-later */
/* owner match: --uid-owner, --gid-owner, --socket-exists, --suppl-groups */
#include "base.h"

#include <grp.h>
#include <pwd.h>
#include <stdlib.h>

#include <linux/netfilter/xt_owner.h>

#include "ext.h"

enum { O_UID, O_GID, O_SOCKET, O_SUPPL };

static const struct fw_opt owner_opts[] = {
	{ "uid-owner", O_UID, 1, FW_OPT_INV },
	{ "gid-owner", O_GID, 1, FW_OPT_INV },
	{ "socket-exists", O_SOCKET, 0, FW_OPT_INV },
	{ "suppl-groups", O_SUPPL, 0, 0 },
	{ NULL },
};

/* "ID", "ID-ID" or "ID:ID"; -1 is reserved, so at most 4294967294. */
static int parse_id_range(struct fw_pctx *p, const char *s, uint32_t *lo,
			  uint32_t *hi)
{
	unsigned long long v;
	const char *q = s;
	char *end;
	int i;

	for (i = 0; i < 2; i++) {
		if (*q < '0' || *q > '9')
			goto bad;
		v = strtoull(q, &end, 0);
		if (v > UINT32_MAX - 1)
			goto bad;
		*(i ? hi : lo) = v;
		if (!i)
			*hi = v;
		if (!*end)
			return 0;
		if (i || (*end != '-' && *end != ':'))
			goto bad;
		q = end + 1;
	}
bad:
	return fw_error(p->errs, p->loc, "invalid user or group '%s'", s);
}

static int owner_parse(struct fw_pctx *p, const struct fw_opt *o,
		       char **argv)
{
	struct xt_owner_match_info *info =
		(struct xt_owner_match_info *)p->xt->data;
	uint8_t bit = 1u << o->id;	/* O_* follow the XT_OWNER_* bits */
	struct passwd *pw;
	struct group *gr;

	switch (o->id) {
	case O_UID:
		pw = getpwnam(argv[0]);
		if (pw)
			info->uid_min = info->uid_max = pw->pw_uid;
		else if (parse_id_range(p, argv[0], &info->uid_min,
					&info->uid_max))
			return -1;
		break;
	case O_GID:
		gr = getgrnam(argv[0]);
		if (gr)
			info->gid_min = info->gid_max = gr->gr_gid;
		else if (parse_id_range(p, argv[0], &info->gid_min,
					&info->gid_max))
			return -1;
		break;
	case O_SUPPL:
		if (!(info->match & XT_OWNER_GID))
			return fw_error(p->errs, p->loc, "'--suppl-groups' "
					"needs '--gid-owner' before it");
		break;
	}
	info->match |= bit;
	if (p->inv)
		info->invert |= bit;
	return 0;
}

static int owner_check(struct fw_pctx *p)
{
	if (!p->xt->seen)
		return fw_error(p->errs, p->loc, "owner match needs "
				"'--uid-owner', '--gid-owner' or "
				"'--socket-exists'");
	return 0;
}

static void print_ids(struct fw_pr *pr, bool inv, const char *opt,
		      uint32_t lo, uint32_t hi)
{
	if (lo == hi)
		fw_pr_val(pr, inv, opt, "%u", lo);
	else
		fw_pr_val(pr, inv, opt, "%u-%u", lo, hi);
}

static void owner_print(const struct fw_xt *x, const struct fw_rule *r,
			struct fw_pr *pr)
{
	const struct xt_owner_match_info *info =
		(const struct xt_owner_match_info *)x->data;

	if (info->match & XT_OWNER_SOCKET)
		fw_pr_flag(pr, info->invert & XT_OWNER_SOCKET, "socket-exists");
	if (info->match & XT_OWNER_UID)
		print_ids(pr, info->invert & XT_OWNER_UID, "uid-owner",
			  info->uid_min, info->uid_max);
	if (info->match & XT_OWNER_GID)
		print_ids(pr, info->invert & XT_OWNER_GID, "gid-owner",
			  info->gid_min, info->gid_max);
	if (info->match & XT_OWNER_SUPPL_GROUPS)
		fw_pr_flag(pr, info->invert & XT_OWNER_SUPPL_GROUPS,
			   "suppl-groups");
}

static const struct fw_case owner_tests[] = {
	{ "--uid-owner root", "--uid-owner 0", FW_OK, 0, NULL },
	{ "! --uid-owner 0-10", "=", FW_OK, 0, NULL },
	{ "--gid-owner 5:7", "--gid-owner 5-7", FW_OK, 0, NULL },
	{ "--gid-owner 10 --socket-exists", "--socket-exists --gid-owner 10",
	  FW_OK, 0, NULL },
	{ "! --socket-exists", "=", FW_OK, 0, NULL },
	{ "--gid-owner 0-10 --suppl-groups", "=", FW_OK, 0, NULL },
	{ "--uid-owner 0x10", "--uid-owner 16", FW_OK, 0, NULL },
	{ "--uid-owner 4294967294", "=", FW_OK, 0, NULL },
	{ "--uid-owner 4294967295", NULL, FW_FAIL, 0, NULL },
	{ "--uid-owner no-such-user-here", NULL, FW_FAIL, 0, NULL },
	{ "--uid-owner 1-", NULL, FW_FAIL, 0, NULL },
	{ "--suppl-groups --gid-owner 0-10", NULL, FW_FAIL, 0, NULL },
	{ "--gid-owner 0-10 ! --suppl-groups", NULL, FW_FAIL, 0, NULL },
	{ "", NULL, FW_FAIL, 0, NULL },
	{ NULL },
};

const struct fw_ext fw_ext_owner = {
	.name = "owner",
	.kind = FW_EXT_MATCH,
	.revision = 1,
	.size = sizeof(struct xt_owner_match_info),
	.opts = owner_opts,
	.parse = owner_parse,
	.check = owner_check,
	.print = owner_print,
	.tests = owner_tests,
};
