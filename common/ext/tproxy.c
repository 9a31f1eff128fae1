/* SPDX-License-Identifier: GPL-2.0-or-later */
/* TPROXY target: --on-port, --on-ip, --tproxy-mark */
#include "base.h"

#include <arpa/inet.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/netfilter/xt_TPROXY.h>

#include "ext.h"
#include "spec.h"

enum { O_PORT, O_ADDR, O_MARK };

static const struct fw_opt tproxy_opts[] = {
	{ "on-port", O_PORT, 1, 0 },
	{ "on-ip", O_ADDR, 1, 0 },
	{ "tproxy-mark", O_MARK, 1, 0 },
	{ NULL },
};

/*
 * A port as getaddrinfo() reads a service: a decimal number (cut to 16
 * bits, "" is 0, as 1.8.9 ends up doing) or a service name.
 */
static int tproxy_port(struct fw_pctx *p, const char *s, uint16_t *port)
{
	unsigned long n;
	char *end;
	int sp;

	n = strtoul(s, &end, 10);
	if (!*end && !strchr(s, '-')) {
		*port = htons((uint16_t)n);
		return 0;
	}
	sp = fw_serv_port(s, NULL);
	if (sp < 0)
		return fw_error(p->errs, p->loc, "invalid port '%s'", s);
	*port = htons((uint16_t)sp);
	return 0;
}

/* One host address, a name resolving to one address, no mask. */
static int tproxy_addr(struct fw_pctx *p, const char *s,
		       union nf_inet_addr *a)
{
	struct fw_addr fa;

	if (strchr(s, '/'))
		return fw_error(p->errs, p->loc, "invalid address '%s'", s);
	if (fw_addr_parse(s, p->rule->family, &fa, p->errs, p->loc))
		return -1;
	memcpy(a, fa.a, fw_addr_len(p->rule->family));
	return 0;
}

static int tproxy_parse(struct fw_pctx *p, const struct fw_opt *o,
			char **argv)
{
	struct xt_tproxy_target_info_v1 *t = (void *)p->xt->data;

	switch (o->id) {
	case O_PORT:
		return tproxy_port(p, argv[0], &t->lport);
	case O_ADDR:
		return tproxy_addr(p, argv[0], &t->laddr);
	}
	return fw_parse_markmask(p, argv[0], &t->mark_value, &t->mark_mask);
}

/* --on-port is required; the kernel takes only -p tcp or -p udp. */
static int tproxy_check(struct fw_pctx *p)
{
	const struct fw_rule *r = p->rule;

	if (!(p->xt->seen & 1u << O_PORT))
		return fw_error(p->errs, p->loc, "TPROXY needs '--on-port'");
	if (!(r->has & FW_HAS_PROTO) || r->inv & FW_INV_PROTO ||
	    (r->proto != IPPROTO_TCP && r->proto != IPPROTO_UDP))
		return fw_error(p->errs, p->loc,
				"TPROXY needs '-p tcp' or '-p udp'");
	return 0;
}

static void tproxy_print(const struct fw_xt *x, const struct fw_rule *r,
			 struct fw_pr *pr)
{
	const struct xt_tproxy_target_info_v1 *t = (const void *)x->data;
	int af = r->family == FW_AF_IPV6 ? AF_INET6 : AF_INET;
	char buf[INET6_ADDRSTRLEN];

	fw_pr_val(pr, false, "on-port", "%u", ntohs(t->lport));
	inet_ntop(af, &t->laddr, buf, sizeof(buf));
	fw_pr_val(pr, false, "on-ip", "%s", buf);
	fw_pr_val(pr, false, "tproxy-mark", "0x%x/0x%x", t->mark_value,
		  t->mark_mask);
}

static const struct fw_case tproxy_tests[] = {
	{ "--on-port 12345 --on-ip 10.0.0.1 --tproxy-mark 0x23/0xff", "=",
	  FW_OK, 4, "-p udp" },
	{ "--on-port 12345 --on-ip 2001:db8::1 --tproxy-mark 0x23/0xff", "=",
	  FW_OK, 6, "-p tcp" },
	{ "--on-port 8080 --tproxy-mark 0x1/0x1",
	  "--on-port 8080 --on-ip 0.0.0.0 --tproxy-mark 0x1/0x1", FW_OK, 4,
	  "-p tcp" },
	{ "--on-port 8080", "--on-port 8080 --on-ip :: --tproxy-mark 0x0/0x0",
	  FW_OK, 6, "-p tcp" },
	{ "--tproxy-mark 7 --on-port 0",
	  "--on-port 0 --on-ip 0.0.0.0 --tproxy-mark 0x7/0xffffffff", FW_OK,
	  4, "-p udp" },
	{ "--on-port http", "--on-port 80 --on-ip 0.0.0.0 --tproxy-mark "
	  "0x0/0x0", FW_OK, 4, "-p tcp" },
	{ "--on-port 65537", "--on-port 1 --on-ip 0.0.0.0 --tproxy-mark "
	  "0x0/0x0", FW_OK, 4, "-p tcp" },
	{ "--on-port -1", NULL, FW_FAIL, 0, "-p tcp" },
	{ "--on-port 0x10", NULL, FW_FAIL, 0, "-p tcp" },
	{ "--on-port 1 --on-ip 10.0.0.0/8", NULL, FW_FAIL, 4, "-p tcp" },
	{ "--on-port 1 --on-ip 10.0.0.1", NULL, FW_FAIL, 6, "-p tcp" },
	{ "--on-port 1 --tproxy-mark 1/2/3", NULL, FW_FAIL, 0, "-p tcp" },
	{ "--on-port 1 --tproxy-mark 0x100000000", NULL, FW_FAIL, 0,
	  "-p tcp" },
	{ "--on-port 1", NULL, FW_FAIL, 0, NULL },
	{ "--on-port 1", NULL, FW_FAIL, 0, "! -p tcp" },
	{ "--on-port 1", NULL, FW_FAIL, 0, "-p sctp" },
	{ "--on-ip 10.0.0.1", NULL, FW_FAIL, 4, "-p tcp" },
	{ NULL },
};

const struct fw_ext fw_ext_tproxy = {
	.name = "TPROXY",
	.kind = FW_EXT_TARGET,
	.revision = 1,
	.size = sizeof(struct xt_tproxy_target_info_v1),
	.opts = tproxy_opts,
	.parse = tproxy_parse,
	.check = tproxy_check,
	.print = tproxy_print,
	.tests = tproxy_tests,
};
