/* SPDX-License-Identifier: GPL-2.0-or-later */
/* eui64 match: IPv6 source address built from the source MAC; no options */
#include "base.h"

#include "ext.h"

static void eui64_print(const struct fw_xt *x, const struct fw_rule *r,
			struct fw_pr *pr)
{
}

static const struct fw_case eui64_tests[] = {
	{ "", "=", FW_OK, 0, NULL },
	{ "--eui64", NULL, FW_FAIL, 0, NULL },
	{ NULL },
};

/* The kernel's info is a single (unused) int. */
const struct fw_ext fw_ext_eui64 = {
	.name = "eui64",
	.kind = FW_EXT_MATCH,
	.family = FW_AF_IPV6,
	.size = sizeof(int),
	.print = eui64_print,
	.tests = eui64_tests,
};
