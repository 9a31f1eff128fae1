/* SPDX-License-Identifier: GPL-2.0-or-later */
/* cluster match: which node of a cluster handles the packet */
#include "base.h"

#include <linux/netfilter/xt_cluster.h>

#include "ext.h"

enum { O_TOTAL, O_NODE, O_NODEMASK, O_SEED };

static const struct fw_opt cluster_opts[] = {
	{ "cluster-total-nodes", O_TOTAL, 1, 0 },
	{ "cluster-local-node", O_NODE, 1, FW_OPT_INV },
	{ "cluster-local-nodemask", O_NODEMASK, 1, FW_OPT_INV },
	{ "cluster-hash-seed", O_SEED, 1, 0 },
	{ NULL },
};

static int parse_nodes(struct fw_pctx *p, const char *s, uint32_t *v)
{
	uint64_t n;

	if (fw_parse_uint(p, s, XT_CLUSTER_NODES_MAX, &n))
		return -1;
	if (!n)
		return fw_error(p->errs, p->loc, "invalid number '%s' (1-%u)",
				s, XT_CLUSTER_NODES_MAX);
	*v = n;
	return 0;
}

static int cluster_parse(struct fw_pctx *p, const struct fw_opt *o,
			 char **argv)
{
	struct xt_cluster_match_info *info =
		(struct xt_cluster_match_info *)p->xt->data;
	uint64_t v;

	if (p->xt->seen & 1u << O_NODE && p->xt->seen & 1u << O_NODEMASK)
		return fw_error(p->errs, p->loc, "'--cluster-local-node' "
				"and '--cluster-local-nodemask' exclude each "
				"other");
	switch (o->id) {
	case O_TOTAL:
		return parse_nodes(p, argv[0], &info->total_nodes);
	case O_SEED:
		if (fw_parse_uint(p, argv[0], UINT32_MAX, &v))
			return -1;
		info->hash_seed = v;
		return 0;
	}
	if (parse_nodes(p, argv[0], &info->node_mask))
		return -1;
	if (o->id == O_NODE)
		info->node_mask = 1u << (info->node_mask - 1);
	if (p->inv)
		info->flags |= XT_CLUSTER_F_INV;
	return 0;
}

static int cluster_check(struct fw_pctx *p)
{
	const struct xt_cluster_match_info *info =
		(const struct xt_cluster_match_info *)p->xt->data;
	uint64_t seen = p->xt->seen;

	if (!(seen & 1u << O_TOTAL) || !(seen & 1u << O_SEED))
		return fw_error(p->errs, p->loc, "cluster match needs "
				"'--cluster-total-nodes' and "
				"'--cluster-hash-seed'");
	if (!(seen & (1u << O_NODE | 1u << O_NODEMASK)))
		return fw_error(p->errs, p->loc, "cluster match needs "
				"'--cluster-local-node' or "
				"'--cluster-local-nodemask'");
	if (info->node_mask >= (1ull << info->total_nodes))
		return fw_error(p->errs, p->loc, "local node beyond "
				"'--cluster-total-nodes'");
	return 0;
}

static void cluster_print(const struct fw_xt *x, const struct fw_rule *r,
			  struct fw_pr *pr)
{
	const struct xt_cluster_match_info *info =
		(const struct xt_cluster_match_info *)x->data;

	fw_pr_val(pr, info->flags & XT_CLUSTER_F_INV, "cluster-local-nodemask",
		  "0x%08x", info->node_mask);
	fw_pr_val(pr, false, "cluster-total-nodes", "%u", info->total_nodes);
	fw_pr_val(pr, false, "cluster-hash-seed", "0x%08x", info->hash_seed);
}

static const struct fw_case cluster_tests[] = {
	{ "--cluster-total-nodes 2 --cluster-local-node 2 --cluster-hash-seed "
	  "0xfeedcafe", "--cluster-local-nodemask 0x00000002 "
	  "--cluster-total-nodes 2 --cluster-hash-seed 0xfeedcafe", FW_OK, 0,
	  NULL },
	{ "! --cluster-local-nodemask 5 --cluster-total-nodes 3 "
	  "--cluster-hash-seed 1", "! --cluster-local-nodemask 0x00000005 "
	  "--cluster-total-nodes 3 --cluster-hash-seed 0x00000001", FW_OK, 0,
	  NULL },
	{ "--cluster-total-nodes 2 --cluster-local-node 3 --cluster-hash-seed "
	  "1", NULL, FW_FAIL, 0, NULL },
	{ "--cluster-total-nodes 2 --cluster-local-nodemask 4 "
	  "--cluster-hash-seed 1", NULL, FW_FAIL, 0, NULL },
	{ "--cluster-total-nodes 33 --cluster-local-node 1 --cluster-hash-seed "
	  "1", NULL, FW_FAIL, 0, NULL },
	{ "--cluster-total-nodes 2 --cluster-local-node 1 "
	  "--cluster-local-nodemask 1 --cluster-hash-seed 1", NULL, FW_FAIL, 0,
	  NULL },
	{ "--cluster-total-nodes 3", NULL, FW_FAIL, 0, NULL },
	{ "", NULL, FW_FAIL, 0, NULL },
	{ NULL },
};

const struct fw_ext fw_ext_cluster = {
	.name = "cluster",
	.kind = FW_EXT_MATCH,
	.size = sizeof(struct xt_cluster_match_info),
	.opts = cluster_opts,
	.parse = cluster_parse,
	.check = cluster_check,
	.print = cluster_print,
	.tests = cluster_tests,
};
