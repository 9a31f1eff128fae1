/* SPDX-License-Identifier: GPL-2.0-or-later */
/* sctp match: --sport, --dport, --chunk-types any|all|only CHUNKS */
#include "base.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <string.h>

#include <linux/netfilter/xt_sctp.h>

#include "ext.h"

enum { O_SPORT, O_DPORT, O_CHUNKS };

static const struct fw_opt sctp_opts[] = {
	{ "source-port", O_SPORT, 1, FW_OPT_INV },
	{ "sport", O_SPORT, 1, FW_OPT_INV },
	{ "destination-port", O_DPORT, 1, FW_OPT_INV },
	{ "dport", O_DPORT, 1, FW_OPT_INV },
	{ "chunk-types", O_CHUNKS, 2, FW_OPT_INV },
	{ NULL },
};

/*
 * Chunk names and the flag letters each allows (bit 7 first). The flag
 * records of libxt_sctp key on the index in this table, not the type.
 */
static const struct {
	const char *name;
	uint8_t type;
	const char *flags;
} chunk_tbl[] = {
	{ "DATA", 0, "----IUBE" },
	{ "INIT", 1, "--------" },
	{ "INIT_ACK", 2, "--------" },
	{ "SACK", 3, "--------" },
	{ "HEARTBEAT", 4, "--------" },
	{ "HEARTBEAT_ACK", 5, "--------" },
	{ "ABORT", 6, "-------T" },
	{ "SHUTDOWN", 7, "--------" },
	{ "SHUTDOWN_ACK", 8, "--------" },
	{ "ERROR", 9, "--------" },
	{ "COOKIE_ECHO", 10, "--------" },
	{ "COOKIE_ACK", 11, "--------" },
	{ "ECN_ECNE", 12, "--------" },
	{ "ECN_CWR", 13, "--------" },
	{ "SHUTDOWN_COMPLETE", 14, "-------T" },
	{ "I_DATA", 64, "----IUBE" },
	{ "RE_CONFIG", 130, "--------" },
	{ "PAD", 132, "--------" },
	{ "ASCONF", 193, "--------" },
	{ "ASCONF_ACK", 128, "--------" },
	{ "FORWARD_TSN", 192, "--------" },
	{ "I_FORWARD_TSN", 194, "--------" },
};

static const struct {
	const char *name;
	uint32_t type;
} match_tbl[] = {
	{ "any", SCTP_CHUNK_MATCH_ANY },
	{ "all", SCTP_CHUNK_MATCH_ALL },
	{ "only", SCTP_CHUNK_MATCH_ONLY },
};

static void sctp_init(struct fw_xt *x, const struct fw_rule *r)
{
	struct xt_sctp_info *info = (struct xt_sctp_info *)x->data;
	int i;

	for (i = 0; i < XT_NUM_SCTP_FLAGS; i++)
		info->flag_info[i].chunktype = 0xff;
}

/* A number (C syntax) or an sctp service name. */
static int parse_port(struct fw_pctx *p, const char *s, uint16_t *port)
{
	unsigned long v;
	char *end;
	int sp;

	errno = 0;
	v = strtoul(s, &end, 0);
	if (*s && *s != '-' && !*end && !errno && v <= UINT16_MAX) {
		*port = v;
		return 0;
	}
	sp = fw_serv_port(s, "sctp");
	if (sp < 0)
		return fw_error(p->errs, p->loc, "invalid port '%s'", s);
	*port = (uint16_t)sp;
	return 0;
}

static int parse_ports(struct fw_pctx *p, const char *s, uint16_t *pts)
{
	char *copy = xstrdup(s), *colon = strchr(copy, ':');
	int rc;

	if (!colon) {
		rc = parse_port(p, copy, &pts[0]);
		pts[1] = pts[0];
	} else {
		*colon = '\0';
		pts[0] = 0;
		pts[1] = UINT16_MAX;
		rc = (*copy && parse_port(p, copy, &pts[0])) ||
		     (colon[1] && parse_port(p, colon + 1, &pts[1])) ? -1 : 0;
		if (!rc && pts[0] > pts[1])
			rc = fw_error(p->errs, p->loc,
				      "invalid port range '%s'", s);
	}
	free(copy);
	return rc;
}

static int chunk_flags(struct fw_pctx *p, struct xt_sctp_info *info,
		       unsigned idx, const char *flags)
{
	struct xt_sctp_flag_info *f;
	const char *valid = chunk_tbl[idx].flags, *pos;
	int k, bit;

	for (; *flags; flags++) {
		pos = strchr(valid, toupper((unsigned char)*flags));
		if (!pos)
			return fw_error(p->errs, p->loc, "invalid flag '%c' "
					"for chunk %s", *flags,
					chunk_tbl[idx].name);
		bit = 7 - (pos - valid);
		for (k = 0; k < info->flag_count; k++)
			if (info->flag_info[k].chunktype == idx)
				break;
		if (k == XT_NUM_SCTP_FLAGS)
			return fw_error(p->errs, p->loc, "flags for more than "
					"%d chunk types", XT_NUM_SCTP_FLAGS);
		f = &info->flag_info[k];
		if (k == info->flag_count)
			info->flag_count++;
		f->chunktype = idx;
		f->flag_mask |= 1 << bit;
		if (isupper((unsigned char)*flags))
			f->flag |= 1 << bit;
	}
	return 0;
}

static int one_chunk(struct fw_pctx *p, struct xt_sctp_info *info, char *tok)
{
	char *flags = strchr(tok, ':');
	unsigned i;

	if (flags)
		*flags++ = '\0';
	for (i = 0; i < FW_ARRAY_SIZE(chunk_tbl); i++)
		if (!strcasecmp(chunk_tbl[i].name, tok))
			break;
	if (i == FW_ARRAY_SIZE(chunk_tbl))
		return fw_error(p->errs, p->loc, "unknown sctp chunk '%s'",
				tok);
	SCTP_CHUNKMAP_SET(info->chunkmap, chunk_tbl[i].type);
	return flags ? chunk_flags(p, info, i, flags) : 0;
}

static int parse_chunks(struct fw_pctx *p, char **argv,
			struct xt_sctp_info *info)
{
	char *copy, *tok, *save = NULL;
	size_t i;
	int rc = 0;

	for (i = 0; i < FW_ARRAY_SIZE(match_tbl); i++)
		if (!strcasecmp(argv[0], match_tbl[i].name))
			break;
	if (i == FW_ARRAY_SIZE(match_tbl))
		return fw_error(p->errs, p->loc, "sctp chunk match type "
				"'%s' is not any, all or only", argv[0]);
	if (*argv[1] == '-' || *argv[1] == '!')
		return fw_error(p->errs, p->loc, "'--chunk-types' needs a list "
				"of chunks");
	info->chunk_match_type = match_tbl[i].type;
	if (!strcasecmp(argv[1], "ALL")) {
		SCTP_CHUNKMAP_SET_ALL(info->chunkmap);
		return 0;
	}
	if (!strcasecmp(argv[1], "NONE"))
		return 0;
	copy = xstrdup(argv[1]);
	for (tok = strtok_r(copy, ",", &save); tok && !rc;
	     tok = strtok_r(NULL, ",", &save))
		rc = one_chunk(p, info, tok);
	free(copy);
	return rc;
}

static int sctp_parse(struct fw_pctx *p, const struct fw_opt *o, char **argv)
{
	struct xt_sctp_info *info = (struct xt_sctp_info *)p->xt->data;
	static const uint32_t bit[] = {
		[O_SPORT] = XT_SCTP_SRC_PORTS,
		[O_DPORT] = XT_SCTP_DEST_PORTS,
		[O_CHUNKS] = XT_SCTP_CHUNK_TYPES,
	};
	int rc;

	info->flags |= bit[o->id];
	if (o->id == O_CHUNKS)
		rc = parse_chunks(p, argv, info);
	else
		rc = parse_ports(p, argv[0], o->id == O_SPORT ? info->spts
							       : info->dpts);
	if (p->inv)
		info->invflags |= bit[o->id];
	return rc;
}

static void print_ports(struct fw_pr *pr, bool inv, const char *opt,
			const uint16_t *pts)
{
	if (pts[0] == pts[1])
		fw_pr_val(pr, inv, opt, "%u", pts[0]);
	else
		fw_pr_val(pr, inv, opt, "%u:%u", pts[0], pts[1]);
}

static void add_flags(struct fw_buf *b, const struct xt_sctp_info *info,
		      unsigned type)
{
	const struct xt_sctp_flag_info *f;
	int j, i;

	for (j = 0; j < info->flag_count && j < XT_NUM_SCTP_FLAGS; j++) {
		f = &info->flag_info[j];
		/* keyed by table index, read back by type, as libxt_sctp */
		if (f->chunktype != type || type >= FW_ARRAY_SIZE(chunk_tbl))
			continue;
		if (f->flag_mask)
			fw_buf_addch(b, ':');
		for (i = 7; i >= 0; i--) {
			if (!(f->flag_mask & (1 << i)))
				continue;
			fw_buf_addch(b, f->flag & (1 << i) ?
				     chunk_tbl[type].flags[7 - i] :
				     tolower(chunk_tbl[type].flags[7 - i]));
		}
	}
}

/* Are all chunk map words equal to w? (The uapi helpers need ARRAY_SIZE.) */
static bool map_all(const struct xt_sctp_info *info, uint32_t w)
{
	size_t i;

	for (i = 0; i < FW_ARRAY_SIZE(info->chunkmap); i++)
		if (info->chunkmap[i] != w)
			return false;
	return true;
}

static void print_chunks(struct fw_pr *pr, const struct xt_sctp_info *info)
{
	struct fw_buf b = FW_BUF_INIT;
	unsigned type, i;
	bool first = true;

	for (i = 0; i < FW_ARRAY_SIZE(match_tbl); i++)
		if (match_tbl[i].type == info->chunk_match_type)
			fw_buf_addstr(&b, match_tbl[i].name);
	fw_buf_addch(&b, ' ');
	if (map_all(info, 0)) {
		fw_buf_addstr(&b, "NONE");
	} else if (map_all(info, UINT32_MAX)) {
		fw_buf_addstr(&b, "ALL");
	} else {
		for (type = 0; type < 256; type++) {
			if (!SCTP_CHUNKMAP_IS_SET(info->chunkmap, type))
				continue;
			if (!first)
				fw_buf_addch(&b, ',');
			first = false;
			for (i = 0; i < FW_ARRAY_SIZE(chunk_tbl); i++)
				if (chunk_tbl[i].type == type)
					fw_buf_addstr(&b, chunk_tbl[i].name);
			add_flags(&b, info, type);
		}
	}
	fw_pr_val(pr, info->invflags & XT_SCTP_CHUNK_TYPES, "chunk-types",
		  "%s", b.buf);
	fw_buf_release(&b);
}

static void sctp_print(const struct fw_xt *x, const struct fw_rule *r,
		       struct fw_pr *pr)
{
	const struct xt_sctp_info *info = (const struct xt_sctp_info *)x->data;

	if (info->flags & XT_SCTP_SRC_PORTS)
		print_ports(pr, info->invflags & XT_SCTP_SRC_PORTS, "sport",
			    info->spts);
	if (info->flags & XT_SCTP_DEST_PORTS)
		print_ports(pr, info->invflags & XT_SCTP_DEST_PORTS, "dport",
			    info->dpts);
	if (info->flags & XT_SCTP_CHUNK_TYPES)
		print_chunks(pr, info);
}

static const struct fw_case sctp_tests[] = {
	{ "--sport 1", "=", FW_OK, 0, "-p sctp" },
	{ "! --dport 1:65535", "=", FW_OK, 0, "-p sctp" },
	{ "--source-port :5 --destination-port 0x10:", "--sport 0:5 "
	  "--dport 16:65535", FW_OK, 0, "-p sctp" },
	{ "--chunk-types all DATA", "=", FW_OK, 0, "-p sctp" },
	{ "! --chunk-types ONLY init,data:Iube,abort:t",
	  "! --chunk-types only DATA:Iube,INIT,ABORT:t", FW_OK, 0, "-p sctp" },
	{ "--chunk-types any all", "--chunk-types any ALL", FW_OK, 0,
	  "-p sctp" },
	{ "--chunk-types any none", "--chunk-types any NONE", FW_OK, 0,
	  "-p sctp" },
	{ "--chunk-types all I_DATA:I,ASCONF_ACK",
	  "--chunk-types all I_DATA,ASCONF_ACK", FW_OK, 0, "-p sctp" },
	{ "", "=", FW_OK, 0, "-p sctp" },
	{ "--sport 65536", NULL, FW_FAIL, 0, "-p sctp" },
	{ "--sport -1", NULL, FW_FAIL, 0, "-p sctp" },
	{ "--dport 5:4", NULL, FW_FAIL, 0, "-p sctp" },
	{ "--chunk-types some DATA", NULL, FW_FAIL, 0, "-p sctp" },
	{ "--chunk-types all BOGUS", NULL, FW_FAIL, 0, "-p sctp" },
	{ "--chunk-types all DATA:X", NULL, FW_FAIL, 0, "-p sctp" },
	{ "--chunk-types all", NULL, FW_FAIL, 0, "-p sctp" },
	{ "--sport 1 --sport 2", NULL, FW_FAIL, 0, "-p sctp" },
	{ NULL },
};

const struct fw_ext fw_ext_sctp = {
	.name = "sctp",
	.kind = FW_EXT_MATCH,
	.size = sizeof(struct xt_sctp_info),
	.opts = sctp_opts,
	.init = sctp_init,
	.parse = sctp_parse,
	.print = sctp_print,
	.tests = sctp_tests,
};
