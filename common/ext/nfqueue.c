/* SPDX-License-Identifier: GPL-2.0-or-later */
/* NFQUEUE target (revision 3): --queue-num, --queue-balance, flags */
#include "base.h"

#include <string.h>

#include <linux/netfilter/xt_NFQUEUE.h>

#include "ext.h"

enum { O_NUM, O_BALANCE, O_BYPASS, O_FANOUT };

static const struct fw_opt nfqueue_opts[] = {
	{ "queue-num", O_NUM, 1, 0 },
	{ "queue-balance", O_BALANCE, 1, 0 },
	{ "queue-bypass", O_BYPASS, 0, 0 },
	{ "queue-cpu-fanout", O_FANOUT, 0, 0 },
	{ NULL },
};

static void nfqueue_init(struct fw_xt *x, const struct fw_rule *r)
{
	struct xt_NFQ_info_v3 *q = (struct xt_NFQ_info_v3 *)x->data;

	q->queues_total = 1;
}

static int nfqueue_balance(struct fw_pctx *p, const char *arg,
			   struct xt_NFQ_info_v3 *q)
{
	uint64_t lo, hi;

	if (fw_parse_range(p, arg, 0xffff, &lo, &hi))
		return -1;
	if (!strchr(arg, ':'))
		return fw_error(p->errs, p->loc, "'--queue-balance' needs a "
				"range FIRST:LAST, not '%s'", arg);
	if (lo >= hi)
		return fw_error(p->errs, p->loc, "queue range '%s': %llu "
				"should be less than %llu", arg,
				(unsigned long long)lo, (unsigned long long)hi);
	/* 0:65535 is 65536 queues: the kernel's u16 cannot say so */
	if (hi - lo + 1 > 0xffff)
		return fw_error(p->errs, p->loc, "queue range '%s' has more "
				"than 65535 queues", arg);
	q->queuenum = lo;
	q->queues_total = hi - lo + 1;
	return 0;
}

static int nfqueue_parse(struct fw_pctx *p, const struct fw_opt *o,
			 char **argv)
{
	struct xt_NFQ_info_v3 *q = (struct xt_NFQ_info_v3 *)p->xt->data;
	uint64_t v;

	switch (o->id) {
	case O_NUM:
	case O_BALANCE:
		if (p->xt->seen & (1u << (o->id == O_NUM ? O_BALANCE : O_NUM)))
			return fw_error(p->errs, p->loc, "'--queue-num' and "
					"'--queue-balance' exclude each other");
		if (o->id == O_BALANCE)
			return nfqueue_balance(p, argv[0], q);
		if (fw_parse_uint(p, argv[0], 0xffff, &v))
			return -1;
		q->queuenum = v;
		return 0;
	case O_BYPASS:
		q->flags |= NFQ_FLAG_BYPASS;
		return 0;
	case O_FANOUT:
		q->flags |= NFQ_FLAG_CPU_FANOUT;
		return 0;
	}
	return 0;
}

static int nfqueue_check(struct fw_pctx *p)
{
	if ((p->xt->seen & (1u << O_FANOUT)) &&
	    !(p->xt->seen & (1u << O_BALANCE)))
		return fw_error(p->errs, p->loc, "'--queue-cpu-fanout' needs "
				"'--queue-balance'");
	return 0;
}

static void nfqueue_print(const struct fw_xt *x, const struct fw_rule *r,
			  struct fw_pr *pr)
{
	const struct xt_NFQ_info_v3 *q = (const struct xt_NFQ_info_v3 *)x->data;

	if (q->queues_total > 1)
		fw_pr_val(pr, false, "queue-balance", "%u:%u", q->queuenum,
			  q->queuenum + q->queues_total - 1);
	else
		fw_pr_val(pr, false, "queue-num", "%u", q->queuenum);
	if (q->flags & NFQ_FLAG_BYPASS)
		fw_pr_flag(pr, false, "queue-bypass");
	if (q->flags & NFQ_FLAG_CPU_FANOUT)
		fw_pr_flag(pr, false, "queue-cpu-fanout");
}

static const struct fw_case nfqueue_tests[] = {
	{ "", "--queue-num 0", FW_OK, 0, NULL },
	{ "--queue-num 65535", "=", FW_OK, 0, NULL },
	{ "--queue-num 0x10", "--queue-num 16", FW_OK, 0, NULL },
	{ "--queue-num 65536", NULL, FW_FAIL, 0, NULL },
	{ "--queue-num -1", NULL, FW_FAIL, 0, NULL },
	{ "--queue-balance 0:65534", "=", FW_OK, 0, NULL },
	{ "--queue-balance 1:65535", "=", FW_OK, 0, NULL },
	{ "--queue-balance 4:", "--queue-balance 4:65535", FW_OK, 0, NULL },
	{ "--queue-balance :4", "--queue-balance 0:4", FW_OK, 0, NULL },
	{ "--queue-balance :", NULL, FW_FAIL, 0, NULL },
	{ "--queue-balance 0:65535", NULL, FW_FAIL, 0, NULL },
	{ "--queue-balance 0:65536", NULL, FW_FAIL, 0, NULL },
	{ "--queue-balance -1:65535", NULL, FW_FAIL, 0, NULL },
	{ "--queue-balance 1:2:3", NULL, FW_FAIL, 0, NULL },
	{ "--queue-balance 4", NULL, FW_FAIL, 0, NULL },
	{ "--queue-balance 4:4", NULL, FW_FAIL, 0, NULL },
	{ "--queue-balance 4:3", NULL, FW_FAIL, 0, NULL },
	{ "--queue-num 10 --queue-bypass", "=", FW_OK, 0, NULL },
	{ "--queue-bypass", "--queue-num 0 --queue-bypass", FW_OK, 0, NULL },
	{ "--queue-cpu-fanout --queue-bypass --queue-balance 0:6",
	  "--queue-balance 0:6 --queue-bypass --queue-cpu-fanout", FW_OK, 0,
	  NULL },
	{ "--queue-cpu-fanout", NULL, FW_FAIL, 0, NULL },
	{ "--queue-num 1 --queue-cpu-fanout", NULL, FW_FAIL, 0, NULL },
	{ "--queue-num 1 --queue-balance 1:2", NULL, FW_FAIL, 0, NULL },
	{ "--queue-balance 1:2 --queue-num 1", NULL, FW_FAIL, 0, NULL },
	{ NULL },
};

const struct fw_ext fw_ext_nfqueue = {
	.name = "NFQUEUE",
	.kind = FW_EXT_TARGET,
	.revision = 3,
	.size = sizeof(struct xt_NFQ_info_v3),
	.opts = nfqueue_opts,
	.init = nfqueue_init,
	.parse = nfqueue_parse,
	.check = nfqueue_check,
	.print = nfqueue_print,
	.tests = nfqueue_tests,
};
