/* SPDX-License-Identifier: GPL-2.0-or-later */
/* SNAT target: --to-source, --random, --random-fully, --persistent */
#include "base.h"

#include <linux/netfilter/nf_nat.h>

#include "ext.h"
#include "nat.h"

static const struct fw_opt snat_opts[] = {
	{ "to-source", FW_NAT_O_TO, 1, 0 },
	{ "random", FW_NAT_O_RANDOM, 0, 0 },
	{ "random-fully", FW_NAT_O_RANDOM_FULLY, 0, 0 },
	{ "persistent", FW_NAT_O_PERSISTENT, 0, 0 },
	{ NULL },
};

static const struct fw_case snat_tests[] = {
	{ "--to-source 1.1.1.1", "=", FW_OK, 4, NULL },
	{ "--to 1.1.1.1-1.1.1.10", "--to-source 1.1.1.1-1.1.1.10", FW_OK, 4,
	  NULL },
	{ "--to-source 1.1.1.1 --random-fully --persistent --random",
	  "--to-source 1.1.1.1 --random --random-fully --persistent", FW_OK,
	  4, NULL },
	{ "--to-source 1.1.1.1-1.1.1.10:1025-65535", "=", FW_OK, 4,
	  "-p tcp" },
	{ "--to-source 1.1.1.1:1000-2000/1000",
	  "--to-source 1.1.1.1:1000-2000/0", FW_OK, 4, "-p udp" },
	{ "--to-source :1024", "=", FW_OK, 4, "-p dccp" },
	{ "--to-source 1.1.1.1:1025-65535", NULL, FW_FAIL, 4, NULL },
	{ "--to-source 1.1.1.1:1025-65536", NULL, FW_FAIL, 4, "-p tcp" },
	{ "--to-source 1.1.1.1 --to-source 2.2.2.2", NULL, FW_FAIL, 4, NULL },
	{ "--random", NULL, FW_FAIL, 0, NULL },
	{ "", NULL, FW_FAIL, 0, NULL },
	{ "--to-source dead::beef --random --random-fully", "=", FW_OK, 6,
	  NULL },
	{ "--to-source dead::beef-dead::fee7 --persistent", "=", FW_OK, 6,
	  NULL },
	{ "--to-source [dead::beef-dead::fee7]:1025-65535", "=", FW_OK, 6,
	  "-p tcp" },
	{ "--to-source [dead::beef]:1000-2000/1000",
	  "--to-source [dead::beef]:1000-2000/0", FW_OK, 6, "-p tcp" },
	{ "--to-source [dead::beef]:1025-65535", NULL, FW_FAIL, 6, NULL },
	{ "--to-source dead::beef:80", "=", FW_OK, 6, "-p tcp" },
	{ NULL },
};

const struct fw_ext fw_ext_snat4 = {
	.name = "SNAT",
	.kind = FW_EXT_TARGET,
	.family = FW_AF_IPV4,
	.revision = 0,
	.size = sizeof(struct nf_nat_ipv4_multi_range_compat),
	.opts = snat_opts,
	.init = fw_nat_init_compat,
	.parse = fw_nat_parse,
	.check = fw_nat_need_to,
	.print = fw_nat_print,
	.tests = snat_tests,
};

const struct fw_ext fw_ext_snat6 = {
	.name = "SNAT",
	.kind = FW_EXT_TARGET,
	.family = FW_AF_IPV6,
	.revision = 1,
	.size = sizeof(struct nf_nat_range),
	.opts = snat_opts,
	.parse = fw_nat_parse,
	.check = fw_nat_need_to,
	.print = fw_nat_print,
	.tests = snat_tests,
};
