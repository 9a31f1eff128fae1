/* SPDX-License-Identifier: GPL-2.0-or-later */
/* TEE target: --gateway, --oif (clone packets to another host) */
#include "base.h"

#include <arpa/inet.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/netfilter/xt_TEE.h>

#include "ext.h"
#include "spec.h"

enum { O_GATEWAY, O_OIF };

static const struct fw_opt tee_opts[] = {
	{ "gateway", O_GATEWAY, 1, 0 },
	{ "oif", O_OIF, 1, 0 },
	{ NULL },
};

static int tee_parse(struct fw_pctx *p, const struct fw_opt *o, char **argv)
{
	struct xt_tee_tginfo *t = (void *)p->xt->data;
	struct fw_addr a;
	size_t n;

	if (o->id == O_OIF) {
		/* libxtables cuts the name to fit */
		n = strlen(argv[0]);
		if (n >= sizeof(t->oif))
			n = sizeof(t->oif) - 1;
		memcpy(t->oif, argv[0], n);
		t->oif[n] = '\0';
		return 0;
	}
	if (strchr(argv[0], '/'))
		return fw_error(p->errs, p->loc, "invalid address '%s'",
				argv[0]);
	if (fw_addr_parse(argv[0], p->rule->family, &a, p->errs, p->loc))
		return -1;
	memcpy(&t->gw, a.a, fw_addr_len(p->rule->family));
	return 0;
}

static int tee_check(struct fw_pctx *p)
{
	if (p->xt->seen & 1u << O_GATEWAY)
		return 0;
	return fw_error(p->errs, p->loc, "TEE needs '--gateway'");
}

static void tee_print(const struct fw_xt *x, const struct fw_rule *r,
		      struct fw_pr *pr)
{
	const struct xt_tee_tginfo *t = (const void *)x->data;
	int af = r->family == FW_AF_IPV6 ? AF_INET6 : AF_INET;
	char buf[INET6_ADDRSTRLEN];

	inet_ntop(af, &t->gw, buf, sizeof(buf));
	fw_pr_val(pr, false, "gateway", "%s", buf);
	if (t->oif[0])
		fw_pr_val(pr, false, "oif", "%.*s", (int)sizeof(t->oif),
			  t->oif);
}

static const struct fw_case tee_tests[] = {
	{ "--gateway 1.1.1.1", "=", FW_OK, 4, NULL },
	{ "--gateway 2001:db8::1", "=", FW_OK, 6, NULL },
	{ "--oif eth0 --gateway 10.0.0.1", "--gateway 10.0.0.1 --oif eth0",
	  FW_OK, 4, NULL },
	{ "--gateway 2001:db8::1 --oif 0123456789abcdefgh",
	  "--gateway 2001:db8::1 --oif 0123456789abcde", FW_OK, 6, NULL },
	{ "! --gateway 1.1.1.1", NULL, FW_FAIL, 4, NULL },
	{ "--gateway 1.1.1.0/24", NULL, FW_FAIL, 4, NULL },
	{ "--gateway 1.1.1.1", NULL, FW_FAIL, 6, NULL },
	{ "--oif eth0", NULL, FW_FAIL, 0, NULL },
	{ "", NULL, FW_FAIL, 0, NULL },
	{ NULL },
};

const struct fw_ext fw_ext_tee = {
	.name = "TEE",
	.kind = FW_EXT_TARGET,
	.revision = 1,
	.size = sizeof(struct xt_tee_tginfo),
	.opts = tee_opts,
	.parse = tee_parse,
	.check = tee_check,
	.print = tee_print,
	.tests = tee_tests,
};
