/* SPDX-License-Identifier: GPL-2.0-or-later */
/* REDIRECT target: --to-ports, --random */
#include "base.h"

#include <linux/netfilter/nf_nat.h>

#include "ext.h"
#include "nat.h"

static const struct fw_opt redirect_opts[] = {
	{ "to-ports", FW_NAT_O_PORTS, 1, 0 },
	{ "random", FW_NAT_O_RANDOM, 0, 0 },
	{ NULL },
};

static const struct fw_case redirect_tests[] = {
	{ "--to-ports 42", "=", FW_OK, 0, "-p tcp" },
	{ "--to-ports 0", "=", FW_OK, 0, "-p tcp" },
	{ "--to-ports 0-0", "--to-ports 0", FW_OK, 0, "-p udp" },
	{ "--to-ports 42-1234 --random", "=", FW_OK, 0, "-p tcp" },
	{ "--to-ports ftp-data", "--to-ports 20", FW_OK, 0, "-p tcp" },
	{ "--random", "=", FW_OK, 0, NULL },
	{ "", "=", FW_OK, 0, NULL },
	{ "--to-ports 65536", NULL, FW_FAIL, 0, "-p tcp" },
	{ "--to-ports 42-1234/567", NULL, FW_FAIL, 0, "-p tcp" },
	{ "--to-ports ftp-ssh", NULL, FW_FAIL, 0, "-p tcp" },
	{ "--to-ports 10-ssh", NULL, FW_FAIL, 0, "-p tcp" },
	{ "--to-ports 42", NULL, FW_FAIL, 0, NULL },
	{ "--to-ports 42", NULL, FW_FAIL, 0, "-p esp" },
	{ NULL },
};

const struct fw_ext fw_ext_redirect4 = {
	.name = "REDIRECT",
	.kind = FW_EXT_TARGET,
	.family = FW_AF_IPV4,
	.revision = 0,
	.size = sizeof(struct nf_nat_ipv4_multi_range_compat),
	.opts = redirect_opts,
	.init = fw_nat_init_compat,
	.parse = fw_nat_parse,
	.check = fw_nat_no_offset,
	.print = fw_nat_print,
	.tests = redirect_tests,
};

const struct fw_ext fw_ext_redirect6 = {
	.name = "REDIRECT",
	.kind = FW_EXT_TARGET,
	.family = FW_AF_IPV6,
	.revision = 0,
	.size = sizeof(struct nf_nat_range),
	.opts = redirect_opts,
	.parse = fw_nat_parse,
	.check = fw_nat_no_offset,
	.print = fw_nat_print,
	.tests = redirect_tests,
};
