/* SPDX-License-Identifier: GPL-2.0-or-later */
/* mac match: --mac-source XX:XX:XX:XX:XX:XX */
#include "base.h"

#include <stdlib.h>

#include <linux/if_ether.h>
#include <linux/netfilter/xt_mac.h>

#include "ext.h"

enum { O_MAC };

static const struct fw_opt mac_opts[] = {
	{ "mac-source", O_MAC, 1, FW_OPT_INV },
	{ NULL },
};

/* Six hex fields of one or two digits, as libxtables takes them. */
static int mac_parse(struct fw_pctx *p, const struct fw_opt *o, char **argv)
{
	struct xt_mac_info *info = (struct xt_mac_info *)p->xt->data;
	const char *s = argv[0];
	char *end;
	int i;

	for (i = 0; i < ETH_ALEN; i++) {
		info->srcaddr[i] = strtoul(s, &end, 16);
		if (end - s > 2 || *end != (i == ETH_ALEN - 1 ? '\0' : ':'))
			return fw_error(p->errs, p->loc,
					"invalid MAC address '%s'", argv[0]);
		s = end + 1;
	}
	info->invert = p->inv;
	return 0;
}

static int mac_check(struct fw_pctx *p)
{
	if (!p->xt->seen)
		return fw_error(p->errs, p->loc,
				"mac match needs '--mac-source'");
	return 0;
}

static void mac_print(const struct fw_xt *x, const struct fw_rule *r,
		      struct fw_pr *pr)
{
	const struct xt_mac_info *info = (const struct xt_mac_info *)x->data;
	const unsigned char *a = info->srcaddr;

	fw_pr_val(pr, info->invert, "mac-source",
		  "%02x:%02x:%02x:%02x:%02x:%02x", a[0], a[1], a[2], a[3],
		  a[4], a[5]);
}

static const struct fw_case mac_tests[] = {
	{ "--mac-source 42:01:02:03:04:05", "=", FW_OK, 0, NULL },
	{ "! --mac-source 42:01:02:03:04:05", "=", FW_OK, 0, NULL },
	{ "--mac-source A:b:C:d:E:f", "--mac-source 0a:0b:0c:0d:0e:0f", FW_OK,
	  0, NULL },
	{ "--mac-source 42:01:02:03:04", NULL, FW_FAIL, 0, NULL },
	{ "--mac-source 42:01:02:03:04:05:06", NULL, FW_FAIL, 0, NULL },
	{ "--mac-source 420:01:02:03:04:05", NULL, FW_FAIL, 0, NULL },
	{ "", NULL, FW_FAIL, 0, NULL },
	{ NULL },
};

const struct fw_ext fw_ext_mac = {
	.name = "mac",
	.kind = FW_EXT_MATCH,
	.size = sizeof(struct xt_mac_info),
	.opts = mac_opts,
	.parse = mac_parse,
	.check = mac_check,
	.print = mac_print,
	.tests = mac_tests,
};
