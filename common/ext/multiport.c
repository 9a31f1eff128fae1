/* SPDX-License-Identifier: GPL-2.0-or-later */
/* multiport match: --sports, --dports, --ports lists with ranges */
#include "base.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <string.h>

#include <linux/netfilter/xt_multiport.h>

#include "ext.h"

enum { O_SPORTS, O_DPORTS, O_PORTS };

static const struct fw_opt multiport_opts[] = {
	{ "source-ports", O_SPORTS, 1, FW_OPT_INV },
	{ "sports", O_SPORTS, 1, FW_OPT_INV },
	{ "destination-ports", O_DPORTS, 1, FW_OPT_INV },
	{ "dports", O_DPORTS, 1, FW_OPT_INV },
	{ "ports", O_PORTS, 1, FW_OPT_INV },
	{ NULL },
};

/* Kernel flags and save names, by option id. */
static const struct {
	uint8_t flags;
	const char *name;
} multiport_dir_tbl[] = {
	[O_SPORTS] = { XT_MULTIPORT_SOURCE, "sports" },
	[O_DPORTS] = { XT_MULTIPORT_DESTINATION, "dports" },
	[O_PORTS] = { XT_MULTIPORT_EITHER, "ports" },
};

/* The protocols multiport works with; the name is for service lookups. */
static const char *multiport_proto(const struct fw_rule *r)
{
	if (!(r->has & FW_HAS_PROTO) || r->inv & FW_INV_PROTO)
		return NULL;
	switch (r->proto) {
	case IPPROTO_TCP:
		return "tcp";
	case IPPROTO_UDP:
		return "udp";
	case IPPROTO_UDPLITE:
		return "udplite";
	case IPPROTO_SCTP:
		return "sctp";
	case IPPROTO_DCCP:
		return "dccp";
	}
	return NULL;
}

/* A port number (any base) or a service name of the protocol. */
static int multiport_port(struct fw_pctx *p, const char *s,
			  const char *proto, uint16_t *port)
{
	unsigned long n;
	const char *q = s;
	char *end;
	int sp;

	/* xtables_strtoui(): any base, blanks and '+' allowed, no '-' */
	while (isspace((unsigned char)*q))
		q++;
	errno = 0;
	n = strtoul(s, &end, 0);
	if (*q != '-' && end != s && !*end && !errno && n <= 65535) {
		*port = n;
		return 0;
	}
	sp = *s ? fw_serv_port(s, proto) : -1;
	if (sp < 0)
		return fw_error(p->errs, p->loc, "invalid port '%s'", s);
	*port = (uint16_t)sp;
	return 0;
}

/* "P[:P],..." into m: a range takes two slots, at most 15 in all. */
static int multiport_list(struct fw_pctx *p, const char *arg,
			  const char *proto, struct xt_multiport_v1 *m)
{
	char *copy = xstrdup(arg), *rest = copy, *tok, *hi;
	unsigned i = 0;
	int rc = -1;

	memset(m->pflags, 0, sizeof(m->pflags));
	while ((tok = strsep(&rest, ","))) {
		hi = strchr(tok, ':');
		if (i == XT_MULTI_PORTS || (hi && i == XT_MULTI_PORTS - 1)) {
			fw_error(p->errs, p->loc, "too many ports in '%s' "
				 "(at most 15, a range counts 2)", arg);
			goto out;
		}
		if (hi)
			*hi++ = '\0';
		if (multiport_port(p, tok, proto, &m->ports[i]))
			goto out;
		if (hi) {
			m->pflags[i++] = 1;
			if (multiport_port(p, hi, proto, &m->ports[i]))
				goto out;
			if (m->ports[i - 1] >= m->ports[i]) {
				fw_error(p->errs, p->loc, "invalid port range "
					 "'%s:%s'", tok, hi);
				goto out;
			}
		}
		i++;
	}
	m->count = i;
	rc = 0;
out:
	free(copy);
	return rc;
}

static int multiport_parse(struct fw_pctx *p, const struct fw_opt *o,
			   char **argv)
{
	struct xt_multiport_v1 *m = (void *)p->xt->data;
	const char *proto = multiport_proto(p->rule);

	if (!proto)
		return fw_error(p->errs, p->loc, "multiport needs '-p tcp', "
				"'-p udp', '-p udplite', '-p sctp' or "
				"'-p dccp'");
	if (multiport_list(p, argv[0], proto, m))
		return -1;
	m->flags = multiport_dir_tbl[o->id].flags;
	if (p->inv)
		m->invert = 1;
	return 0;
}

static int multiport_check(struct fw_pctx *p)
{
	uint64_t seen = p->xt->seen;

	if (!seen)
		return fw_error(p->errs, p->loc, "multiport needs '--sports', "
				"'--dports' or '--ports'");
	if (seen & (seen - 1))
		return fw_error(p->errs, p->loc, "multiport takes only one of "
				"'--sports', '--dports' and '--ports'");
	return 0;
}

static void multiport_print(const struct fw_xt *x, const struct fw_rule *r,
			    struct fw_pr *pr)
{
	const struct xt_multiport_v1 *m = (const void *)x->data;
	struct fw_buf b = FW_BUF_INIT;
	unsigned i, n = m->count < XT_MULTI_PORTS ? m->count : XT_MULTI_PORTS;
	size_t d;

	for (i = 0; i < n; i++) {
		fw_buf_addf(&b, "%s%u", i ? "," : "", m->ports[i]);
		if (m->pflags[i] && i + 1 < XT_MULTI_PORTS)
			fw_buf_addf(&b, ":%u", m->ports[++i]);
	}
	for (d = 0; d < FW_ARRAY_SIZE(multiport_dir_tbl); d++)
		if (multiport_dir_tbl[d].flags == m->flags)
			fw_pr_val(pr, m->invert, multiport_dir_tbl[d].name,
				  "%s", b.buf ? b.buf : "");
	fw_buf_release(&b);
}

static const struct fw_case multiport_tests[] = {
	{ "--sports 53,1024:65535", "=", FW_OK, 0, "-p tcp" },
	{ "--dports 53,1024:65535", "=", FW_OK, 0, "-p udp" },
	{ "--ports 53,1024:65535", "=", FW_OK, 0, "-p udplite" },
	{ "! --source-ports 1,2", "! --sports 1,2", FW_OK, 0, "-p sctp" },
	{ "--destination-ports ssh,0x50", "--dports 22,80", FW_OK, 0,
	  "-p tcp" },
	{ "! --ports 1:2", "=", FW_OK, 0, "-p dccp" },
	{ "--ports 1,2,3,4,6,7,8,9,10,11,12,13,14,15,16", "=", FW_OK, 0,
	  "-p tcp" },
	{ "--ports 1,2,3,4,6,7,8,9,10,11,12,13,14,15,16,17", NULL, FW_FAIL,
	  0, "-p tcp" },
	{ "--ports 1,2,3,4,6,7,8,9,10,11,12,13,14,15:16", "=", FW_OK, 0,
	  "-p tcp" },
	{ "--ports 1,2,3,4,5,6,7,8,9,10,11,12,13,14,15:16", NULL, FW_FAIL, 0,
	  "-p tcp" },
	{ "--ports 1,2,3,4,6,7,8,9,10,11,12,13,14:15", "=", FW_OK, 0,
	  "-p tcp" },
	{ "--sports 1024:65536", NULL, FW_FAIL, 0, "-p tcp" },
	{ "--sports 5:5", NULL, FW_FAIL, 0, "-p tcp" },
	{ "--sports 6:5", NULL, FW_FAIL, 0, "-p tcp" },
	{ "--sports 1,", NULL, FW_FAIL, 0, "-p tcp" },
	{ "--sports 1:", NULL, FW_FAIL, 0, "-p tcp" },
	{ "--sports 1 --dports 2", NULL, FW_FAIL, 0, "-p tcp" },
	{ "--sports 1 --source-ports 2", NULL, FW_FAIL, 0, "-p tcp" },
	{ "--sports 1", NULL, FW_FAIL, 0, NULL },
	{ "--sports 1", NULL, FW_FAIL, 0, "! -p tcp" },
	{ "--sports 1", NULL, FW_FAIL, 0, "-p icmp" },
	{ "", NULL, FW_FAIL, 0, "-p tcp" },
	{ NULL },
};

const struct fw_ext fw_ext_multiport = {
	.name = "multiport",
	.kind = FW_EXT_MATCH,
	.revision = 1,
	.size = sizeof(struct xt_multiport_v1),
	.opts = multiport_opts,
	.parse = multiport_parse,
	.check = multiport_check,
	.print = multiport_print,
	.tests = multiport_tests,
};
