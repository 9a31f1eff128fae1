/* SPDX-License-Identifier: GPL-2.0-or-later */
/* MASQUERADE target: --to-ports, --random, --random-fully */
#include "base.h"

#include <linux/netfilter/nf_nat.h>

#include "ext.h"
#include "nat.h"

static const struct fw_opt masquerade_opts[] = {
	{ "to-ports", FW_NAT_O_PORTS, 1, 0 },
	{ "random", FW_NAT_O_RANDOM, 0, 0 },
	{ "random-fully", FW_NAT_O_RANDOM_FULLY, 0, 0 },
	{ NULL },
};

static const struct fw_case masquerade_tests[] = {
	{ "", "=", FW_OK, 0, NULL },
	{ "--random", "=", FW_OK, 0, NULL },
	{ "--random-fully --random", "--random --random-fully", FW_OK, 0,
	  NULL },
	{ "--to-ports 1024", "=", FW_OK, 0, "-p tcp" },
	{ "--to-ports 1024-65535 --random", "=", FW_OK, 0, "-p udp" },
	{ "--to-ports 1024-2048/4096", "--to-ports 1024-2048/0", FW_OK, 0,
	  "-p udp" },
	{ "--to 0x400", "--to-ports 1024", FW_OK, 0, "-p tcp" },
	{ "--to-ports 1024", NULL, FW_FAIL, 0, NULL },
	{ "--to-ports 1024-65536", NULL, FW_FAIL, 0, "-p udp" },
	{ "--to-ports -1", NULL, FW_FAIL, 0, "-p udp" },
	{ "--to-ports 1.2.3.4", NULL, FW_FAIL, 0, "-p udp" },
	{ "--persistent", NULL, FW_FAIL, 0, NULL },
	{ NULL },
};

const struct fw_ext fw_ext_masquerade4 = {
	.name = "MASQUERADE",
	.kind = FW_EXT_TARGET,
	.family = FW_AF_IPV4,
	.revision = 0,
	.size = sizeof(struct nf_nat_ipv4_multi_range_compat),
	.opts = masquerade_opts,
	.init = fw_nat_init_compat,
	.parse = fw_nat_parse,
	.print = fw_nat_print,
	.tests = masquerade_tests,
};

const struct fw_ext fw_ext_masquerade6 = {
	.name = "MASQUERADE",
	.kind = FW_EXT_TARGET,
	.family = FW_AF_IPV6,
	.revision = 0,
	.size = sizeof(struct nf_nat_range),
	.opts = masquerade_opts,
	.parse = fw_nat_parse,
	.print = fw_nat_print,
	.tests = masquerade_tests,
};
