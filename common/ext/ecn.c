/* SPDX-License-Identifier: GPL-2.0-or-later */
/* ecn match and ECN target (IPv4): TCP ECE/CWR bits, IP ECT codepoint */
#include "base.h"

#include <string.h>

#include <linux/netfilter/xt_ecn.h>
#include <linux/netfilter_ipv4/ipt_ECN.h>

#include "ext.h"

enum { O_CWR, O_ECE, O_ECT, O_REMOVE };

static const struct fw_opt ecn_opts[] = {
	{ "ecn-tcp-cwr", O_CWR, 0, FW_OPT_INV },
	{ "ecn-tcp-ece", O_ECE, 0, FW_OPT_INV },
	{ "ecn-ip-ect", O_ECT, 1, FW_OPT_INV },
	{ NULL },
};

static const struct fw_opt ecn_tg_opts[] = {
	{ "ecn-tcp-remove", O_REMOVE, 0, 0 },
	{ "ecn-tcp-cwr", O_CWR, 1, 0 },
	{ "ecn-tcp-ece", O_ECE, 1, 0 },
	{ "ecn-ip-ect", O_ECT, 1, 0 },
	{ NULL },
};

/* The match's operation bit per option, in save order. */
static const struct {
	uint8_t id, bit;
	const char *name;
} ecn_op_tbl[] = {
	{ O_ECE, XT_ECN_OP_MATCH_ECE, "ecn-tcp-ece" },
	{ O_CWR, XT_ECN_OP_MATCH_CWR, "ecn-tcp-cwr" },
	{ O_ECT, XT_ECN_OP_MATCH_IP, "ecn-ip-ect" },
};

static int ecn_parse(struct fw_pctx *p, const struct fw_opt *o, char **argv)
{
	struct xt_ecn_info *e = (struct xt_ecn_info *)p->xt->data;
	uint64_t v;
	size_t i;

	if (o->id == O_ECT) {
		if (fw_parse_uint(p, argv[0], 3, &v))
			return -1;
		e->ip_ect = v;
	}
	for (i = 0; i < FW_ARRAY_SIZE(ecn_op_tbl); i++) {
		if (ecn_op_tbl[i].id != o->id)
			continue;
		e->operation |= ecn_op_tbl[i].bit;
		if (p->inv)
			e->invert |= ecn_op_tbl[i].bit;
	}
	return 0;
}

static int ecn_check(struct fw_pctx *p)
{
	if (!p->xt->seen)
		return fw_error(p->errs, p->loc, "%s needs an option",
				p->xt->ext->name);
	return 0;
}

static void ecn_print(const struct fw_xt *x, const struct fw_rule *r,
		      struct fw_pr *pr)
{
	const struct xt_ecn_info *e = (const struct xt_ecn_info *)x->data;
	size_t i;

	for (i = 0; i < FW_ARRAY_SIZE(ecn_op_tbl); i++) {
		if (!(e->operation & ecn_op_tbl[i].bit))
			continue;
		if (ecn_op_tbl[i].id == O_ECT)
			fw_pr_val(pr, e->invert & ecn_op_tbl[i].bit,
				  ecn_op_tbl[i].name, "%u", e->ip_ect);
		else
			fw_pr_flag(pr, e->invert & ecn_op_tbl[i].bit,
				   ecn_op_tbl[i].name);
	}
}

static int ecn_tg_parse(struct fw_pctx *p, const struct fw_opt *o,
			char **argv)
{
	struct ipt_ECN_info *e = (struct ipt_ECN_info *)p->xt->data;
	uint64_t v = 0;

	if ((o->id == O_REMOVE &&
	     p->xt->seen & (1u << O_CWR | 1u << O_ECE)) ||
	    ((o->id == O_CWR || o->id == O_ECE) &&
	     p->xt->seen & (1u << O_REMOVE)))
		return fw_error(p->errs, p->loc, "'--ecn-tcp-remove' excludes "
				"'--ecn-tcp-cwr' and '--ecn-tcp-ece'");
	if (o->nargs && fw_parse_uint(p, argv[0], o->id == O_ECT ? 3 : 1, &v))
		return -1;
	switch (o->id) {
	case O_REMOVE:
		/* replaces the operation, as in 1.8.9 */
		e->operation = IPT_ECN_OP_SET_ECE | IPT_ECN_OP_SET_CWR;
		e->proto.tcp.ece = 0;
		e->proto.tcp.cwr = 0;
		break;
	case O_CWR:
		e->operation |= IPT_ECN_OP_SET_CWR;
		e->proto.tcp.cwr = v;
		break;
	case O_ECE:
		e->operation |= IPT_ECN_OP_SET_ECE;
		e->proto.tcp.ece = v;
		break;
	case O_ECT:
		e->operation |= IPT_ECN_OP_SET_IP;
		e->ip_ect = v;
		break;
	}
	return 0;
}

static void ecn_tg_print(const struct fw_xt *x, const struct fw_rule *r,
			 struct fw_pr *pr)
{
	const struct ipt_ECN_info *e = (const struct ipt_ECN_info *)x->data;

	if (e->operation == (IPT_ECN_OP_SET_ECE | IPT_ECN_OP_SET_CWR) &&
	    !e->proto.tcp.ece && !e->proto.tcp.cwr) {
		fw_pr_flag(pr, false, "ecn-tcp-remove");
		return;
	}
	if (e->operation & IPT_ECN_OP_SET_ECE)
		fw_pr_val(pr, false, "ecn-tcp-ece", "%u", e->proto.tcp.ece);
	if (e->operation & IPT_ECN_OP_SET_CWR)
		fw_pr_val(pr, false, "ecn-tcp-cwr", "%u", e->proto.tcp.cwr);
	if (e->operation & IPT_ECN_OP_SET_IP)
		fw_pr_val(pr, false, "ecn-ip-ect", "%u", e->ip_ect);
}

static const struct fw_case ecn_tests[] = {
	{ "--ecn-tcp-cwr", "=", FW_OK, 0, "-p tcp" },
	{ "--ecn-tcp-cwr --ecn-tcp-ece --ecn-ip-ect 2",
	  "--ecn-tcp-ece --ecn-tcp-cwr --ecn-ip-ect 2", FW_OK, 0, "-p tcp" },
	{ "! --ecn-tcp-ece ! --ecn-tcp-cwr ! --ecn-ip-ect 3", "=", FW_OK, 0,
	  "-p tcp" },
	{ "--ecn-ip-ect 0", "=", FW_OK, 0, NULL },
	{ "--ecn-ip-ect 4", NULL, FW_FAIL, 0, NULL },
	{ "--ecn-tcp-ece x", NULL, FW_FAIL, 0, "-p tcp" },
	{ "", NULL, FW_FAIL, 0, NULL },
	{ NULL },
};

static const struct fw_case ecn_tg_tests[] = {
	{ "--ecn-tcp-remove", "=", FW_OK, 0, "-p tcp" },
	{ "--ecn-tcp-ece 0 --ecn-tcp-cwr 0", "--ecn-tcp-remove", FW_OK, 0,
	  "-p tcp" },
	{ "--ecn-tcp-cwr 1 --ecn-tcp-ece 0",
	  "--ecn-tcp-ece 0 --ecn-tcp-cwr 1", FW_OK, 0, "-p tcp" },
	{ "--ecn-ip-ect 3", "=", FW_OK, 0, NULL },
	{ "--ecn-ip-ect 2 --ecn-tcp-remove", "--ecn-tcp-remove", FW_OK, 0,
	  "-p tcp" },
	{ "--ecn-tcp-remove --ecn-ip-ect 1",
	  "--ecn-tcp-ece 0 --ecn-tcp-cwr 0 --ecn-ip-ect 1", FW_OK, 0,
	  "-p tcp" },
	{ "--ecn-tcp-remove --ecn-tcp-cwr 1", NULL, FW_FAIL, 0, "-p tcp" },
	{ "--ecn-tcp-ece 2", NULL, FW_FAIL, 0, "-p tcp" },
	{ "--ecn-ip-ect 4", NULL, FW_FAIL, 0, NULL },
	{ "", NULL, FW_FAIL, 0, "-p tcp" },
	{ NULL },
};

const struct fw_ext fw_ext_ecn = {
	.name = "ecn",
	.kind = FW_EXT_MATCH,
	.size = sizeof(struct xt_ecn_info),
	.opts = ecn_opts,
	.parse = ecn_parse,
	.check = ecn_check,
	.print = ecn_print,
	.tests = ecn_tests,
};

const struct fw_ext fw_ext_ecn_tg = {
	.name = "ECN",
	.kind = FW_EXT_TARGET,
	.family = FW_AF_IPV4,
	.size = sizeof(struct ipt_ECN_info),
	.opts = ecn_tg_opts,
	.parse = ecn_tg_parse,
	.check = ecn_check,
	.print = ecn_tg_print,
	.tests = ecn_tg_tests,
};
