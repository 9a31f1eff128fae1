/* SPDX-License-Identifier: GPL-2.0-or-later */
/* the iptables-save text form of a rule: one walk, two sinks (text, YAML) */
#include "base.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "print.h"

void fw_buf_addquoted(struct fw_buf *b, const char *s)
{
	if (!fw_needs_quote(s)) {
		fw_buf_addstr(b, s);
		return;
	}
	fw_buf_addch(b, '"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\' || *s == '\'')
			fw_buf_addch(b, '\\');
		fw_buf_addch(b, *s);
	}
	fw_buf_addch(b, '"');
}

static void walk_addr(const struct fw_rule *r, struct fw_rule_sink *s,
		      const struct fw_addr *a, bool inv, const char *opt)
{
	char buf[INET6_ADDRSTRLEN * 2 + 2];
	unsigned i, len = fw_addr_len(r->family);

	for (i = 0; i < len && !a->m[i]; i++)
		;
	if (i == len && !inv)
		return;
	fw_format_addr(r->family, a->a, a->m, false, buf, sizeof(buf));
	s->pr.opt(&s->pr, inv, opt, buf, false);
}

static void walk_base(const struct fw_rule *r, struct fw_rule_sink *s)
{
	const char *pname;
	char num[FW_UTOA_SIZE];

	if (r->has & FW_HAS_SRC)
		walk_addr(r, s, &r->src, r->inv & FW_INV_SRC, "s");
	if (r->has & FW_HAS_DST)
		walk_addr(r, s, &r->dst, r->inv & FW_INV_DST, "d");
	if (r->has & FW_HAS_IN && !(r->has & FW_IN_ANY))
		s->pr.opt(&s->pr, r->inv & FW_INV_IN, "i", r->iniface, false);
	if (r->has & FW_HAS_OUT && !(r->has & FW_OUT_ANY))
		s->pr.opt(&s->pr, r->inv & FW_INV_OUT, "o", r->outiface, false);
	if (r->has & FW_HAS_PROTO && (r->proto || r->inv & FW_INV_PROTO)) {
		pname = fw_proto_name(r->proto);
		if (!pname)
			pname = fw_utoa(r->proto, num);
		s->pr.opt(&s->pr, r->inv & FW_INV_PROTO, "p", pname, false);
	}
	if (r->has & FW_HAS_FRAG)
		s->pr.opt(&s->pr, r->inv & FW_INV_FRAG, "f", NULL, false);
}

void fw_rule_walk(const struct fw_rule *r, struct fw_rule_sink *s)
{
	static const char *const verdicts[] = {
		[FW_V_ACCEPT] = "ACCEPT", [FW_V_DROP] = "DROP",
		[FW_V_RETURN] = "RETURN",
	};
	const struct fw_xt *x;

	s->pr.family = r->family;
	walk_base(r, s);
	for (x = r->matches; x; x = x->next) {
		s->begin(s, FW_EXT_MATCH, x->ext->name, false);
		x->ext->print(x, r, &s->pr);
	}
	switch (r->verdict) {
	case FW_V_NONE:
		break;
	case FW_V_ACCEPT:
	case FW_V_DROP:
	case FW_V_RETURN:
		s->begin(s, FW_EXT_TARGET, verdicts[r->verdict], false);
		break;
	case FW_V_JUMP:
	case FW_V_GOTO:
		s->begin(s, FW_EXT_TARGET, r->chain, r->verdict == FW_V_GOTO);
		break;
	case FW_V_EXT:
		s->begin(s, FW_EXT_TARGET, r->target->ext->name, false);
		r->target->ext->print(r->target, r, &s->pr);
		break;
	}
}

/* The text sink. */

static void add_always_quoted(struct fw_buf *b, const char *s)
{
	fw_buf_addch(b, '"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fw_buf_addch(b, '\\');
		fw_buf_addch(b, *s);
	}
	fw_buf_addch(b, '"');
}

static void text_opt(struct fw_pr *pr, bool inv, const char *opt,
		     const char *val, bool quote)
{
	struct fw_buf *b = pr->data;

	fw_buf_addstr(b, inv ? " ! -" : " -");
	if (opt[1])
		fw_buf_addch(b, '-');
	fw_buf_addstr(b, opt);
	if (!val)
		return;
	fw_buf_addstr(b, pr->extra_space ? "  " : " ");
	if (quote && pr->always_quote)
		add_always_quoted(b, val);
	else if (quote)
		fw_buf_addquoted(b, val);
	else
		fw_buf_addstr(b, val);
}

static void text_begin(struct fw_rule_sink *s, enum fw_ext_kind kind,
		       const char *name, bool go)
{
	struct fw_buf *b = s->pr.data;

	fw_buf_addstr(b, kind == FW_EXT_MATCH ? " -m " : go ? " -g " : " -j ");
	fw_buf_addstr(b, name);
}

void fw_rule_print(const struct fw_rule *r, struct fw_buf *b)
{
	struct fw_rule_sink s = {
		.pr = { .opt = text_opt, .data = b },
		.begin = text_begin,
	};

	fw_rule_walk(r, &s);
}
