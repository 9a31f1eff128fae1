/* SPDX-License-Identifier: GPL-2.0-or-later */
/* dccp match: ports, --dccp-types, --dccp-option */
#include "base.h"

#include <string.h>

#include <linux/netfilter/xt_dccp.h>

#include "ext.h"

enum { O_SPORT, O_DPORT, O_TYPES, O_OPTION };

static const struct fw_opt dccp_opts[] = {
	{ "source-port", O_SPORT, 1, FW_OPT_INV },
	{ "sport", O_SPORT, 1, FW_OPT_INV },
	{ "destination-port", O_DPORT, 1, FW_OPT_INV },
	{ "dport", O_DPORT, 1, FW_OPT_INV },
	{ "dccp-types", O_TYPES, 1, FW_OPT_INV },
	{ "dccp-option", O_OPTION, 1, FW_OPT_INV },
	{ NULL },
};

/* Packet type names by type number (the bit in typemask). */
static const char *const dccp_type_tbl[] = {
	"REQUEST", "RESPONSE", "DATA", "ACK", "DATAACK", "CLOSEREQ", "CLOSE",
	"RESET", "SYNC", "SYNCACK", "INVALID",
};

/* INVALID also stands for the unassigned types 11 to 15. */
#define DCCP_INVALID 10
#define DCCP_OTHER_TYPES 0xf800

static int dccp_types(struct fw_pctx *p, const char *s, uint16_t *mask)
{
	char *copy = xstrdup(s), *tok, *save = NULL;
	size_t i;
	int rc = 0;

	*mask = 0;
	for (tok = strtok_r(copy, ",", &save); tok && !rc;
	     tok = strtok_r(NULL, ",", &save)) {
		for (i = 0; i < FW_ARRAY_SIZE(dccp_type_tbl); i++)
			if (!strcasecmp(dccp_type_tbl[i], tok))
				break;
		if (i == FW_ARRAY_SIZE(dccp_type_tbl))
			rc = fw_error(p->errs, p->loc, "unknown DCCP type '%s'",
				      tok);
		else
			*mask |= 1u << i;
	}
	free(copy);
	if (*mask & 1u << DCCP_INVALID)
		*mask |= DCCP_OTHER_TYPES;
	return rc;
}

/* "a", "a:b", ":b", "a:", ":"; 1.8.9 takes a reversed range as it is. */
static int dccp_ports(struct fw_pctx *p, const char *s, uint16_t *pts)
{
	const char *colon = strchr(s, ':');
	char first[64];
	size_t n;

	if (!colon) {
		if (fw_parse_port(p, s, &pts[0]))
			return -1;
		pts[1] = pts[0];
		return 0;
	}
	n = colon - s;
	if (n >= sizeof(first) || strchr(colon + 1, ':'))
		return fw_error(p->errs, p->loc, "invalid port range '%s'", s);
	memcpy(first, s, n);
	first[n] = '\0';
	pts[0] = 0;
	pts[1] = 0xffff;
	if ((n && fw_parse_port(p, first, &pts[0])) ||
	    (colon[1] && fw_parse_port(p, colon + 1, &pts[1])))
		return -1;
	return 0;
}

static int dccp_parse(struct fw_pctx *p, const struct fw_opt *o, char **argv)
{
	struct xt_dccp_info *d = (struct xt_dccp_info *)p->xt->data;
	static const uint16_t bit[] = {
		[O_SPORT] = XT_DCCP_SRC_PORTS, [O_DPORT] = XT_DCCP_DEST_PORTS,
		[O_TYPES] = XT_DCCP_TYPE, [O_OPTION] = XT_DCCP_OPTION,
	};
	uint64_t v;
	int rc = 0;

	switch (o->id) {
	case O_SPORT:
	case O_DPORT:
		rc = dccp_ports(p, argv[0], o->id == O_SPORT ? d->spts
							    : d->dpts);
		break;
	case O_TYPES:
		rc = dccp_types(p, argv[0], &d->typemask);
		break;
	case O_OPTION:
		rc = fw_parse_uint(p, argv[0], 255, &v);
		if (!rc && v == 0)
			rc = fw_error(p->errs, p->loc, "invalid DCCP option "
				      "'%s' (1-255)", argv[0]);
		d->option = v;
		break;
	}
	d->flags |= bit[o->id];
	if (p->inv)
		d->invflags |= bit[o->id];
	return rc;
}

static void print_ports(struct fw_pr *pr, const char *opt,
			const uint16_t *pts, bool inv)
{
	if (pts[0] != pts[1])
		fw_pr_val(pr, inv, opt, "%u:%u", pts[0], pts[1]);
	else
		fw_pr_val(pr, inv, opt, "%u", pts[0]);
}

static void print_types(struct fw_pr *pr, uint16_t mask, bool inv)
{
	char buf[128];
	size_t i, n = 0;

	buf[0] = '\0';
	for (i = 0; i < FW_ARRAY_SIZE(dccp_type_tbl); i++) {
		if (!(mask & 1u << i))
			continue;
		n += snprintf(buf + n, sizeof(buf) - n, "%s%s", n ? "," : "",
			      dccp_type_tbl[i]);
	}
	/* 1.8.9 stops at INVALID; bits 11-15 alone print as nothing */
	fw_pr_val(pr, inv, "dccp-types", "%s", buf);
}

static void dccp_print(const struct fw_xt *x, const struct fw_rule *r,
		       struct fw_pr *pr)
{
	const struct xt_dccp_info *d = (const struct xt_dccp_info *)x->data;

	if (d->flags & XT_DCCP_SRC_PORTS)
		print_ports(pr, "sport", d->spts,
			    d->invflags & XT_DCCP_SRC_PORTS);
	if (d->flags & XT_DCCP_DEST_PORTS)
		print_ports(pr, "dport", d->dpts,
			    d->invflags & XT_DCCP_DEST_PORTS);
	if (d->flags & XT_DCCP_TYPE)
		print_types(pr, d->typemask, d->invflags & XT_DCCP_TYPE);
	if (d->flags & XT_DCCP_OPTION)
		fw_pr_val(pr, d->invflags & XT_DCCP_OPTION, "dccp-option", "%u",
			  d->option);
}

static const struct fw_case dccp_tests[] = {
	{ "", "=", FW_OK, 0, "-p dccp" },
	{ "--sport 1", "=", FW_OK, 0, "-p dccp" },
	{ "--dport 1:1023", "=", FW_OK, 0, "-p dccp" },
	{ "--sport :", "--sport 0:65535", FW_OK, 0, "-p dccp" },
	{ "--sport 4:", "--sport 4:65535", FW_OK, 0, "-p dccp" },
	{ "--dport :4", "--dport 0:4", FW_OK, 0, "-p dccp" },
	{ "--dport 4:4", "--dport 4", FW_OK, 0, "-p dccp" },
	{ "--dport 4:3", "=", FW_OK, 0, "-p dccp" },
	{ "--source-port ssh", "--sport 22", FW_OK, 0, "-p dccp" },
	{ "! --sport 1 --dport 65535", "=", FW_OK, 0, "-p dccp" },
	{ "--dport 5 ! --sport 6", "! --sport 6 --dport 5", FW_OK, 0,
	  "-p dccp" },
	{ "--sport -1", NULL, FW_FAIL, 0, "-p dccp" },
	{ "--sport 65536", NULL, FW_FAIL, 0, "-p dccp" },
	{ "--sport 1:2:3", NULL, FW_FAIL, 0, "-p dccp" },
	{ "--dccp-types REQUEST,RESPONSE,DATA,ACK,DATAACK,CLOSEREQ,CLOSE,"
	  "RESET,SYNC,SYNCACK,INVALID", "=", FW_OK, 0, "-p dccp" },
	{ "! --dccp-types invalid,request", "! --dccp-types REQUEST,INVALID",
	  FW_OK, 0, "-p dccp" },
	{ "--dccp-types BOGUS", NULL, FW_FAIL, 0, "-p dccp" },
	{ "--dccp-option 255", "=", FW_OK, 0, "-p dccp" },
	{ "! --dccp-option 1", "=", FW_OK, 0, "-p dccp" },
	{ "--dccp-option 0", NULL, FW_FAIL, 0, "-p dccp" },
	{ "--dccp-option 256", NULL, FW_FAIL, 0, "-p dccp" },
	{ NULL },
};

const struct fw_ext fw_ext_dccp = {
	.name = "dccp",
	.kind = FW_EXT_MATCH,
	.size = sizeof(struct xt_dccp_info),
	.opts = dccp_opts,
	.parse = dccp_parse,
	.print = dccp_print,
	.tests = dccp_tests,
};
