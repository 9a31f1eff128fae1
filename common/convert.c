/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fw_convert(): text <-> YAML with no kernel, printed in save order */
#include "base.h"

#include <string.h>

#include "cmd.h"
#include "print.h"
#include "save.h"
#include "spec.h"
#include "yaml.h"

/* A rule as its canonical text (parsed again to print it). */
struct crule {
	char *text;
	struct fw_loc loc;
	uint64_t pkts, bytes;
	bool counters;
};

struct cchain {
	char *name;
	const struct fw_builtin *builtin;
	bool declared;		/* a ":" line (or -N / -P) */
	char policy[8];
	uint64_t pkts, bytes;
	struct crule *rules;
	unsigned nrules, arules;
};

struct ctable {
	bool present;
	struct cchain *chains;
	unsigned nchains, achains;
	unsigned last;		/* the chain of the last rule (a cache) */
};

struct cstate {
	struct fw_errs *errs;
	struct ctable tables[2][5];
	int bad;
	struct fw_tokens tok;	/* words of the rule read back */
};

static void chain_release(struct cchain *c)
{
	unsigned i;

	for (i = 0; i < c->nrules; i++)
		free(c->rules[i].text);
	free(c->rules);
	c->rules = NULL;
	c->nrules = c->arules = 0;
	free(c->name);
}

static void table_release(struct ctable *t)
{
	unsigned i;

	for (i = 0; i < t->nchains; i++)
		chain_release(&t->chains[i]);
	free(t->chains);
	memset(t, 0, sizeof(*t));
}

static struct ctable *table_of(struct cstate *cs, const struct fw_cmd *c)
{
	return &cs->tables[c->family == FW_AF_IPV6][fw_table_index(c->table)];
}

static struct cchain *chain_find(struct ctable *t, const char *name)
{
	unsigned i;

	if (t->last < t->nchains && !strcmp(t->chains[t->last].name, name))
		return &t->chains[t->last];
	for (i = 0; i < t->nchains; i++) {
		if (!strcmp(t->chains[i].name, name)) {
			t->last = i;
			return &t->chains[i];
		}
	}
	return NULL;
}

static struct cchain *chain_add(struct ctable *t, const char *table,
				const char *name)
{
	struct cchain *c;

	if (t->nchains == t->achains) {
		t->achains = t->achains ? t->achains * 2 : 8;
		t->chains = xrealloc(t->chains, t->achains * sizeof(*t->chains));
	}
	c = &t->chains[t->nchains++];
	memset(c, 0, sizeof(*c));
	c->name = xstrdup(name);
	c->builtin = fw_builtin_find(table, name);
	strcpy(c->policy, c->builtin ? "ACCEPT" : "-");
	return c;
}

static int chain_cmd(struct cstate *cs, struct ctable *t,
		     const struct fw_cmd *c)
{
	struct cchain *ch = chain_find(t, c->chain);
	unsigned i;

	if (!ch)
		ch = chain_add(t, c->table, c->chain);
	else if (!ch->builtin) {
		/* a user chain declared again is flushed, as by the kernel */
		for (i = 0; i < ch->nrules; i++)
			free(ch->rules[i].text);
		ch->nrules = 0;
	}
	ch->declared = true;
	if (ch->builtin && c->arg && strcmp(c->arg, "-"))
		snprintf(ch->policy, sizeof(ch->policy), "%s", c->arg);
	if (c->counters) {
		ch->pkts = c->pkts;
		ch->bytes = c->bytes;
	}
	return 0;
}

static int append(struct cstate *cs, struct ctable *t, const struct fw_cmd *c)
{
	struct cchain *ch = chain_find(t, c->chain);
	struct fw_buf b = FW_BUF_INIT;
	struct crule *r;

	if (!ch && fw_builtin_find(c->table, c->chain))
		ch = chain_add(t, c->table, c->chain);
	if (!ch)
		return fw_error(cs->errs, &c->loc, "chain '%s' does not exist",
				c->chain);
	if (ch->nrules == ch->arules) {
		ch->arules = ch->arules ? ch->arules * 2 : 16;
		ch->rules = xrealloc(ch->rules, ch->arules * sizeof(*ch->rules));
	}
	fw_rule_print(c->rule, &b);
	r = &ch->rules[ch->nrules++];
	r->text = b.buf ? b.buf : xstrdup("");
	r->loc = c->loc;
	r->pkts = c->rule->pkts;
	r->bytes = c->rule->bytes;
	r->counters = c->rule->has & FW_HAS_COUNTERS;
	return 0;
}

static const char *cmd_name(enum fw_cmd_op op)
{
	static const char *const names[] = {
		[FW_CMD_INSERT] = "-I", [FW_CMD_DELETE] = "-D",
		[FW_CMD_DELETE_NUM] = "-D", [FW_CMD_REPLACE] = "-R",
		[FW_CMD_DEL_CHAIN] = "-X", [FW_CMD_RENAME] = "-E",
		[FW_CMD_FLUSH] = "-F", [FW_CMD_ZERO] = "-Z",
	};

	return (size_t)op < FW_ARRAY_SIZE(names) && names[op] ? names[op] : "this";
}

static int on_cmd(const struct fw_cmd *c, void *data)
{
	struct cstate *cs = data;
	struct ctable *t = table_of(cs, c);
	struct fw_cmd decl;

	switch (c->op) {
	case FW_CMD_TABLE:
		/* a table given again replaces the earlier one */
		table_release(t);
		t->present = true;
		return 0;
	case FW_CMD_COMMIT:
		return 0;
	case FW_CMD_CHAIN:
		return chain_cmd(cs, t, c);
	case FW_CMD_APPEND:
		return append(cs, t, c);
	case FW_CMD_NEW_CHAIN:
		if (chain_find(t, c->chain) || fw_builtin_find(c->table, c->chain))
			return fw_error(cs->errs, &c->loc, "chain '%s' already "
					"exists", c->chain);
		return chain_cmd(cs, t, c);
	case FW_CMD_POLICY:
		if (!fw_builtin_find(c->table, c->chain))
			return fw_error(cs->errs, &c->loc, "bad built-in chain "
					"name '%s'", c->chain);
		if (strcmp(c->arg, "ACCEPT") && strcmp(c->arg, "DROP"))
			return fw_error(cs->errs, &c->arg_loc, "bad policy name "
					"'%s'", c->arg);
		decl = *c;
		decl.counters = false;
		return chain_cmd(cs, t, &decl);
	default:
		return fw_error(cs->errs, &c->loc, "'%s' cannot be converted: a "
				"saved ruleset has only chain lines, -A, -N and "
				"-P", cmd_name(c->op));
	}
}

static int cmp_chain(const void *a, const void *b)
{
	const struct cchain *x = a, *y = b;

	if (!!x->builtin != !!y->builtin)
		return x->builtin ? -1 : 1;
	if (x->builtin)
		return x->builtin->hook - y->builtin->hook;
	return strcmp(x->name, y->name);
}

/* Parse a rule's canonical text again and hand it to the sink. */
static int print_rule(struct cstate *cs, struct fw_save_sink *s,
		      struct fw_buf *out, int family, const char *chain,
		      const struct crule *cr)
{
	struct fw_rule *r = fw_rule_new(family);
	struct fw_errs *errs = fw_errs_new();
	int n = fw_tokenize(cr->text, strlen(cr->text), &cr->loc, &cs->tok,
			    errs);

	if (n < 0 || fw_spec_parse(r, cs->tok.w, n, errs)) {
		fw_error(cs->errs, &cr->loc, "cannot read back the rule "
			 "'%s' (a bug in its extension)", cr->text);
		cs->bad = -1;
	} else {
		r->pkts = cr->pkts;
		r->bytes = cr->bytes;
		if (cr->counters)
			r->has |= FW_HAS_COUNTERS;
		s->rule(s, out, chain, r);
	}
	fw_errs_free(errs);
	fw_rule_free(r);
	return cs->bad;
}

/* One table in save order: builtin chains (all), user chains, rules. */
static void print_table(struct cstate *cs, struct fw_save_sink *s,
			struct fw_buf *out, int family, const char *name,
			struct ctable *t)
{
	const struct fw_builtin *b;
	const struct cchain *c;
	unsigned i, j;

	if (t->nchains)
		qsort(t->chains, t->nchains, sizeof(*t->chains), cmp_chain);
	t->last = 0;
	s->table(s, out, name, false);
	for (b = fw_builtins(name); b->name; b++) {
		c = chain_find(t, b->name);
		s->chain(s, out, b->name, c ? c->policy : "ACCEPT",
			 c ? c->pkts : 0, c ? c->bytes : 0);
	}
	for (i = 0; i < t->nchains; i++)
		if (!t->chains[i].builtin)
			s->chain(s, out, t->chains[i].name, "-",
				 t->chains[i].pkts, t->chains[i].bytes);
	for (i = 0; i < t->nchains; i++) {
		c = &t->chains[i];
		for (j = 0; j < c->nrules; j++)
			print_rule(cs, s, out, family, c->name, &c->rules[j]);
	}
	s->table_end(s, out);
}

static bool family_used(const struct cstate *cs, int f)
{
	int i;

	for (i = 0; i < 5; i++)
		if (cs->tables[f][i].present)
			return true;
	return false;
}

/* Which families to print (bit 0: IPv4, bit 1: IPv6); -1 on error. */
static int families(struct cstate *cs, const struct fw_input *in,
		    enum fw_format from, enum fw_format to)
{
	int used = family_used(cs, 0) | family_used(cs, 1) << 1;

	if (from == FW_FMT_TEXT || in->family)
		return in->family == 6 ? 2 : 1;
	if (to == FW_FMT_TEXT && used == 3)
		return fw_error(cs->errs, NULL, "the text form holds one "
				"family and '%s' has both: choose one with -4 "
				"or -6", in->name);
	return used;
}

int fw_convert(const struct fw_input *in, enum fw_format from,
	       enum fw_format to, unsigned save_flags, FILE *out,
	       struct fw_errs *errs)
{
	struct cstate cs = { .errs = errs };
	struct fw_save_sink sink;
	struct fw_buf b = FW_BUF_INIT;
	int fams, f, i, rc;

	if (from == FW_FMT_YAML)
		rc = fw_parse_yaml(in, FW_P_COUNTERS, NULL, on_cmd, &cs, errs);
	else
		rc = fw_parse_text(in, in->family == 6 ? FW_AF_IPV6 : FW_AF_IPV4,
				   FW_P_COUNTERS, NULL, on_cmd, &cs, errs);
	fams = rc || fw_errs_count(errs) ? -1 : families(&cs, in, from, to);
	if (fams < 0) {
		rc = FW_EXIT_INPUT;
		goto out;
	}
	if (to == FW_FMT_YAML)
		fw_yaml_sink_init(&sink, save_flags, "fw-save");
	else
		fw_text_sink_init(&sink, save_flags, "fw-save");
	if (sink.begin)
		sink.begin(&sink, &b);
	for (f = 0; f < 2; f++) {
		if (!(fams >> f & 1))
			continue;
		if (sink.family)
			sink.family(&sink, &b, f ? FW_AF_IPV6 : FW_AF_IPV4);
		for (i = 0; i < 5; i++)
			if (cs.tables[f][i].present)
				print_table(&cs, &sink, &b, f ? FW_AF_IPV6
							      : FW_AF_IPV4,
					    fw_table_names[i], &cs.tables[f][i]);
	}
	if (sink.end)
		sink.end(&sink, &b);
	if (to == FW_FMT_YAML)
		fw_yaml_sink_release(&sink);
	rc = FW_EXIT_OK;
	if (cs.bad)
		rc = FW_EXIT_DECODE;
	else if (b.len && fwrite(b.buf, 1, b.len, out) != b.len)
		rc = FW_EXIT_FAILURE;
	if (fflush(out) && !rc)
		rc = FW_EXIT_FAILURE;
	if (rc == FW_EXIT_FAILURE)
		fw_error(errs, NULL, "write error");
out:
	fw_buf_release(&b);
	for (f = 0; f < 2; f++)
		for (i = 0; i < 5; i++)
			table_release(&cs.tables[f][i]);
	fw_tokens_release(&cs.tok);
	return rc;
}
