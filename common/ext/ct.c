/* SPDX-License-Identifier: GPL-2.0-or-later */
/* CT target (--notrack, --helper, --timeout, events, zones) and NOTRACK */
#include "base.h"

#include <string.h>

#include <linux/netfilter/nf_conntrack_common.h>
#include <linux/netfilter/xt_CT.h>

#include "ext.h"

enum {
	O_NOTRACK, O_HELPER, O_TIMEOUT, O_CTEVENTS, O_EXPEVENTS, O_ZONE_ORIG,
	O_ZONE_REPLY, O_ZONE,
};

static const struct fw_opt ct_opts[] = {
	{ "notrack", O_NOTRACK, 0, 0 },
	{ "helper", O_HELPER, 1, 0 },
	{ "timeout", O_TIMEOUT, 1, 0 },
	{ "ctevents", O_CTEVENTS, 1, 0 },
	{ "expevents", O_EXPEVENTS, 1, 0 },
	{ "zone-orig", O_ZONE_ORIG, 1, 0 },
	{ "zone-reply", O_ZONE_REPLY, 1, 0 },
	{ "zone", O_ZONE, 1, 0 },
	{ NULL },
};

struct ct_event {
	const char *name;
	unsigned bit;
};

/* Event names in print order. */
static const struct ct_event ct_event_tbl[] = {
	{ "new", IPCT_NEW }, { "related", IPCT_RELATED },
	{ "destroy", IPCT_DESTROY }, { "reply", IPCT_REPLY },
	{ "assured", IPCT_ASSURED }, { "protoinfo", IPCT_PROTOINFO },
	{ "helper", IPCT_HELPER }, { "mark", IPCT_MARK },
	{ "natseqinfo", IPCT_NATSEQADJ }, { "secmark", IPCT_SECMARK },
	{ NULL },
};

static const struct ct_event exp_event_tbl[] = {
	{ "new", IPEXP_NEW },
	{ NULL },
};

static int ct_events(struct fw_pctx *p, const struct ct_event *tbl,
		     const char *arg, uint32_t *mask)
{
	char *copy = xstrdup(arg), *rest = copy, *tok;
	const struct ct_event *e;
	int rc = 0;

	*mask = 0;
	while (!rc && (tok = strsep(&rest, ","))) {
		for (e = tbl; e->name && strcmp(e->name, tok); e++)
			;
		if (e->name)
			*mask |= 1u << e->bit;
		else
			rc = fw_error(p->errs, p->loc, "unknown event '%s'",
				      tok);
	}
	free(copy);
	return rc;
}

static int ct_zone(struct fw_pctx *p, const struct fw_opt *o,
		   const char *arg, struct xt_ct_target_info_v1 *t)
{
	uint64_t v;

	if (o->id == O_ZONE_ORIG)
		t->flags |= XT_CT_ZONE_DIR_ORIG;
	if (o->id == O_ZONE_REPLY)
		t->flags |= XT_CT_ZONE_DIR_REPL;
	t->zone = 0;
	if (!strcasecmp(arg, "mark")) {
		t->flags |= XT_CT_ZONE_MARK;
		return 0;
	}
	if (fw_parse_uint(p, arg, UINT16_MAX, &v))
		return -1;
	t->zone = v;
	return 0;
}

/* A name into a fixed field, cut to fit as libxtables does. */
static void ct_name(char *dst, size_t size, const char *arg)
{
	size_t n = strlen(arg);

	if (n >= size)
		n = size - 1;
	memcpy(dst, arg, n);
	dst[n] = '\0';
}

static int ct_parse(struct fw_pctx *p, const struct fw_opt *o, char **argv)
{
	struct xt_ct_target_info_v1 *t = (void *)p->xt->data;

	switch (o->id) {
	case O_NOTRACK:
		t->flags |= XT_CT_NOTRACK;
		return 0;
	case O_HELPER:
		if (fw_parse_word(p, "helper name", argv[0]))
			return -1;
		ct_name(t->helper, sizeof(t->helper), argv[0]);
		return 0;
	case O_TIMEOUT:
		/* printed as it is: found by fuzzing ("a b" saved as 2 words) */
		if (fw_parse_word(p, "timeout policy name", argv[0]))
			return -1;
		ct_name(t->timeout, sizeof(t->timeout), argv[0]);
		return 0;
	case O_CTEVENTS:
		return ct_events(p, ct_event_tbl, argv[0], &t->ct_events);
	case O_EXPEVENTS:
		return ct_events(p, exp_event_tbl, argv[0], &t->exp_events);
	}
	return ct_zone(p, o, argv[0], t);
}

static void ct_print_events(struct fw_pr *pr, const char *opt,
			    const struct ct_event *tbl, uint32_t mask)
{
	struct fw_buf b = FW_BUF_INIT;
	const struct ct_event *e;

	for (e = tbl; e->name; e++)
		if (mask & 1u << e->bit)
			fw_buf_addf(&b, "%s%s", b.len ? "," : "", e->name);
	fw_pr_val(pr, false, opt, "%s", b.buf ? b.buf : "");
	fw_buf_release(&b);
}

static void ct_print_zone(struct fw_pr *pr,
			  const struct xt_ct_target_info_v1 *t)
{
	static const char *const dir_opt[] = {
		[0] = "zone",
		[XT_CT_ZONE_DIR_ORIG] = "zone-orig",
		[XT_CT_ZONE_DIR_REPL] = "zone-reply",
		[XT_CT_ZONE_DIR_ORIG | XT_CT_ZONE_DIR_REPL] = "zone",
	};
	const char *opt = dir_opt[t->flags & (XT_CT_ZONE_DIR_ORIG |
					      XT_CT_ZONE_DIR_REPL)];

	if (t->flags & XT_CT_ZONE_MARK)
		fw_pr_val(pr, false, opt, "mark");
	else if (t->zone)
		fw_pr_val(pr, false, opt, "%u", t->zone);
}

static void ct_print(const struct fw_xt *x, const struct fw_rule *r,
		     struct fw_pr *pr)
{
	const struct xt_ct_target_info_v1 *t = (const void *)x->data;

	if (t->flags & XT_CT_NOTRACK)
		fw_pr_flag(pr, false, "notrack");
	if (t->helper[0])
		fw_pr_val(pr, false, "helper", "%.*s", (int)sizeof(t->helper),
			  t->helper);
	if (t->timeout[0])
		fw_pr_val(pr, false, "timeout", "%.*s",
			  (int)sizeof(t->timeout), t->timeout);
	if (t->ct_events)
		ct_print_events(pr, "ctevents", ct_event_tbl, t->ct_events);
	if (t->exp_events)
		ct_print_events(pr, "expevents", exp_event_tbl, t->exp_events);
	ct_print_zone(pr, t);
}

/* NOTRACK: CT with the alias flag, which save prints back as -j NOTRACK. */
static void notrack_init(struct fw_xt *x, const struct fw_rule *r)
{
	struct xt_ct_target_info_v1 *t = (void *)x->data;

	t->flags = XT_CT_NOTRACK | XT_CT_NOTRACK_ALIAS;
}

static bool notrack_claims(const void *info, unsigned len)
{
	const struct xt_ct_target_info_v1 *t = info;

	return len >= sizeof(t->flags) && t->flags & XT_CT_NOTRACK_ALIAS;
}

static void notrack_print(const struct fw_xt *x, const struct fw_rule *r,
			  struct fw_pr *pr)
{
}

static const struct fw_case ct_tests[] = {
	{ "--notrack", "=", FW_OK, 0, NULL },
	{ "--ctevents new,related,destroy,reply,assured,protoinfo,helper,mark",
	  "=", FW_OK, 0, NULL },
	{ "--ctevents secmark,natseqinfo,new", "--ctevents "
	  "new,natseqinfo,secmark", FW_OK, 0, NULL },
	{ "--expevents new", "=", FW_OK, 0, NULL },
	{ "--ctevents bogus", NULL, FW_FAIL, 0, NULL },
	{ "--ctevents new,", NULL, FW_FAIL, 0, NULL },
	{ "--ctevents NEW", NULL, FW_FAIL, 0, NULL },
	{ "--expevents destroy", NULL, FW_FAIL, 0, NULL },
	{ "--zone 65535", "=", FW_OK, 0, NULL },
	{ "--zone 0", "", FW_OK, 0, NULL },
	{ "--zone 0x10", "--zone 16", FW_OK, 0, NULL },
	{ "--zone MARK", "--zone mark", FW_OK, 0, NULL },
	{ "--zone-orig 5", "=", FW_OK, 0, NULL },
	{ "--zone-reply mark", "=", FW_OK, 0, NULL },
	{ "--zone-orig 1 --zone-reply 2", "--zone 2", FW_OK, 0, NULL },
	{ "--zone 65536", NULL, FW_FAIL, 0, NULL },
	{ "--zone -1", NULL, FW_FAIL, 0, NULL },
	{ "--zone 1 --zone 2", NULL, FW_FAIL, 0, NULL },
	{ "--helper ftp", "=", FW_OK, 0, NULL },
	{ "--helper 0123456789abcdefXYZ", "--helper 0123456789abcde", FW_OK,
	  0, NULL },
	{ "--timeout test", "=", FW_OK, 0, NULL },
	{ "--timeout \"a b\"", NULL, FW_FAIL, 0, NULL },
	{ "--helper \"\"", NULL, FW_FAIL, 0, NULL },
	{ "--notrack --helper ftp --timeout t1 --ctevents mark "
	  "--expevents new --zone 7", "=", FW_OK, 0, NULL },
	{ "", "=", FW_OK, 0, NULL },
	{ "! --notrack", NULL, FW_FAIL, 0, NULL },
	{ NULL },
};

static const struct fw_case notrack_tests[] = {
	{ "", "=", FW_OK, 0, NULL },
	{ "--notrack", NULL, FW_FAIL, 0, NULL },
	{ NULL },
};

const struct fw_ext fw_ext_ct = {
	.name = "CT",
	.kind = FW_EXT_TARGET,
	.revision = 2,
	.size = sizeof(struct xt_ct_target_info_v1),
	.opts = ct_opts,
	.parse = ct_parse,
	.print = ct_print,
	.tests = ct_tests,
};

const struct fw_ext fw_ext_notrack = {
	.name = "NOTRACK",
	.kname = "CT",
	.kind = FW_EXT_TARGET,
	.revision = 2,
	.size = sizeof(struct xt_ct_target_info_v1),
	.init = notrack_init,
	.claims = notrack_claims,
	.print = notrack_print,
	.tests = notrack_tests,
};
