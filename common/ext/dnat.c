/* SPDX-License-Identifier: GPL-2.0-or-later */
/* DNAT target: --to-destination, --random, --persistent (nf_nat_range2) */
#include "base.h"

#include <linux/netfilter/nf_nat.h>

#include "ext.h"
#include "nat.h"

static const struct fw_opt dnat_opts[] = {
	{ "to-destination", FW_NAT_O_TO, 1, 0 },
	{ "random", FW_NAT_O_RANDOM, 0, 0 },
	{ "persistent", FW_NAT_O_PERSISTENT, 0, 0 },
	{ NULL },
};

static const struct fw_case dnat_tests[] = {
	{ "--to-destination 1.1.1.1", "=", FW_OK, 4, NULL },
	{ "--to 10.0.0.1", "--to-destination 10.0.0.1", FW_OK, 4, NULL },
	{ "--to-destination=1.1.1.1-1.1.1.10", "--to-destination "
	  "1.1.1.1-1.1.1.10", FW_OK, 4, NULL },
	{ "--to-destination 1.1.1.1:22", "=", FW_OK, 4, "-p tcp" },
	{ "--to-destination 1.1.1.1:1025-65535", "=", FW_OK, 4, "-p udp" },
	{ "--to-destination 1.1.1.1-1.1.1.10:1000-2000/1000", "=", FW_OK, 4,
	  "-p sctp" },
	{ "--to-destination 1.1.1.1:0x10-20/ftp",
	  "--to-destination 1.1.1.1:16-20/21", FW_OK, 4, "-p tcp" },
	{ "--to-destination 1.1.1.1:ssh", "--to-destination 1.1.1.1:22",
	  FW_OK, 4, "-p tcp" },
	{ "--to-destination :80", "=", FW_OK, 0, "-p tcp" },
	{ "--to-destination 1.1.1.1 --random --persistent", "=", FW_OK, 4,
	  NULL },
	{ "--persistent --to-destination 1.1.1.1 --random",
	  "--to-destination 1.1.1.1 --random --persistent", FW_OK, 4, NULL },
	{ "--to-destination 1.1.1.1:22", NULL, FW_FAIL, 4, NULL },
	{ "--to-destination 1.1.1.1:22", NULL, FW_FAIL, 4, "-p udplite" },
	{ "--to-destination 1.1.1.1:1025-65536", NULL, FW_FAIL, 4,
	  "-p tcp" },
	{ "--to-destination 1.1.1.1:1000-2000/0", NULL, FW_FAIL, 4,
	  "-p tcp" },
	{ "--to-destination 1.1.1.1:2000-1000", NULL, FW_FAIL, 4, "-p tcp" },
	{ "--to-destination 1.1.1.1:1000:2000", NULL, FW_FAIL, 4, "-p tcp" },
	{ "--to-destination 1.1.1.1:echo-ssh", NULL, FW_FAIL, 4, "-p tcp" },
	{ "--to-destination 1.1.1.1 --to-destination 2.2.2.2", NULL, FW_FAIL,
	  4, NULL },
	{ "--to-destination 1.1.1", NULL, FW_FAIL, 4, NULL },
	{ "--to-destination [1.1.1.1]:80", NULL, FW_FAIL, 4, "-p tcp" },
	{ "--random-fully", NULL, FW_FAIL, 0, NULL },
	{ "", NULL, FW_FAIL, 0, NULL },
	{ "--to-destination dead::beef", "=", FW_OK, 6, NULL },
	{ "--to-destination dead::beef-dead::fee7", "=", FW_OK, 6, NULL },
	{ "--to-destination [dead::beef]:1025-65535", "=", FW_OK, 6,
	  "-p tcp" },
	{ "--to-destination [dead::beef-dead::fee7]:1000-2000/3000", "=",
	  FW_OK, 6, "-p tcp" },
	{ "--to-destination []:80", "--to-destination :80", FW_OK, 6,
	  "-p tcp" },
	{ "--to-destination [dead::beef]", "--to-destination dead::beef",
	  FW_OK, 6, NULL },
	{ "--to-destination [dead::beef]:80", NULL, FW_FAIL, 6, NULL },
	{ "--to-destination [dead::beef", NULL, FW_FAIL, 6, "-p tcp" },
	{ "--to-destination 1.1.1.1", NULL, FW_FAIL, 6, NULL },
	{ NULL },
};

const struct fw_ext fw_ext_dnat = {
	.name = "DNAT",
	.kind = FW_EXT_TARGET,
	.revision = 2,
	.size = sizeof(struct nf_nat_range2),
	.opts = dnat_opts,
	.parse = fw_nat_parse,
	.check = fw_nat_need_to,
	.print = fw_nat_print,
	.tests = dnat_tests,
};
