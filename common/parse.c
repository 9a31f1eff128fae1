/* SPDX-License-Identifier: GPL-2.0-or-later */
/* the iptables-restore text grammar: tables, chain lines, commands, COMMIT */
#include "base.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "spec.h"

/* iptables-restore reads lines into a buffer of this size. */
#define FW_MAX_LINE 10239
/* fw_input_passed() every this many bytes. */
#define FW_PASS_STEP (1u << 20)

struct pstate {
	const struct fw_input *in;
	int family;
	unsigned flags;
	const char *only;
	fw_cmd_fn fn;
	void *data;
	struct fw_errs *errs;
	char table[32];
	struct fw_loc table_loc;
	bool in_table, skip;
	int bad;
	struct fw_tokens tok;	/* the current line's words */
};

static int perr(struct pstate *s, const struct fw_loc *loc, const char *fmt,
		...) FW_PRINTF(3, 4);

static int perr(struct pstate *s, const struct fw_loc *loc, const char *fmt,
		...)
{
	va_list ap;

	va_start(ap, fmt);
	fw_verror(s->errs, loc, fmt, ap);
	va_end(ap);
	s->bad = -1;
	return -1;
}

static int emit(struct pstate *s, struct fw_cmd *c)
{
	c->family = s->family;
	c->table = s->table;
	if (s->fn(c, s->data))
		s->bad = -1;
	return 0;
}

static int table_line(struct pstate *s, const char *line, size_t len,
		      struct fw_loc *loc)
{
	struct fw_cmd c = { .op = FW_CMD_TABLE, .loc = *loc };
	size_t n = 0;

	while (n + 1 < len && line[n + 1] != ' ' && line[n + 1] != '\t')
		n++;
	/* a bad table line still opens a block: its lines are skipped */
	s->in_table = true;
	s->skip = true;
	s->table_loc = *loc;
	loc->col = 2;
	loc->len = n;
	if (n == 0 || n >= sizeof(s->table))
		return perr(s, loc, "invalid table name%s", "");
	memcpy(s->table, line + 1, n);
	s->table[n] = '\0';
	if (fw_table_index(s->table) < 0)
		return perr(s, loc, "table name '%s' invalid", s->table);
	s->skip = s->only && strcmp(s->only, s->table);
	if (!s->skip)
		emit(s, &c);
	return 0;
}

static int parse_counters(const char *s, uint64_t *p, uint64_t *b)
{
	unsigned long long pp, bb;
	int n = 0;

	if (sscanf(s, "[%llu:%llu]%n", &pp, &bb, &n) != 2 || n == 0 ||
	    s[n] != '\0' || s[1] == '-' || strchr(s, '-'))
		return -1;
	*p = pp;
	*b = bb;
	return 0;
}

static int chain_line(struct pstate *s, const char *line, size_t len,
		      const struct fw_loc *loc)
{
	struct fw_cmd c = { .op = FW_CMD_CHAIN, .loc = *loc };
	int n = fw_tokenize(line + 1, len - 1, loc, &s->tok, s->errs), i;
	struct fw_word *w = s->tok.w;
	const char *why;

	for (i = 0; i < n; i++)
		w[i].loc.col++;
	if (n < 0 || n == 0) {
		if (n == 0)
			perr(s, loc, "chain name missing%s", "");
		goto out;
	}
	c.chain = w[0].s;
	c.loc = w[0].loc;
	if (n < 2) {
		perr(s, &w[0].loc, "policy missing for chain '%s'", w[0].s);
		goto out;
	}
	c.arg = w[1].s;
	c.arg_loc = w[1].loc;
	if (fw_builtin_find(s->table, c.chain)) {
		if (strcmp(c.arg, "ACCEPT") && strcmp(c.arg, "DROP") &&
		    strcmp(c.arg, "-")) {
			perr(s, &w[1].loc, "bad policy name '%s'", c.arg);
			goto out;
		}
	} else if ((why = fw_chain_name_invalid(c.chain, s->family))) {
		perr(s, &w[0].loc, "%s", why);
		goto out;
	}
	if (n >= 3 && s->flags & FW_P_COUNTERS) {
		if (parse_counters(w[2].s, &c.pkts, &c.bytes)) {
			perr(s, &w[2].loc, "invalid counters '%s'", w[2].s);
			goto out;
		}
		c.counters = true;
	}
	if (n > 3)
		perr(s, &w[3].loc, "unexpected word '%s'", w[3].s);
	else if (!s->skip)
		emit(s, &c);
out:
	return 0;
}

static const struct {
	char s;
	const char *l;
	enum fw_cmd_op op;
} commands[] = {
	{ 'A', "append", FW_CMD_APPEND }, { 'I', "insert", FW_CMD_INSERT },
	{ 'D', "delete", FW_CMD_DELETE }, { 'R', "replace", FW_CMD_REPLACE },
	{ 'N', "new-chain", FW_CMD_NEW_CHAIN },
	{ 'X', "delete-chain", FW_CMD_DEL_CHAIN },
	{ 'E', "rename-chain", FW_CMD_RENAME }, { 'F', "flush", FW_CMD_FLUSH },
	{ 'Z', "zero", FW_CMD_ZERO }, { 'P', "policy", FW_CMD_POLICY },
};

static int find_command(const char *w)
{
	size_t i;

	for (i = 0; i < FW_ARRAY_SIZE(commands); i++) {
		if (w[0] == '-' && w[1] == commands[i].s && !w[2])
			return i;
		if (w[0] == '-' && w[1] == '-' && !strcmp(w + 2, commands[i].l))
			return i;
	}
	return -1;
}

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

/* 4 for "-4" or "--ipv4", 6 for "-6" or "--ipv6", else 0. */
static int family_word(const char *w)
{
	if (w[0] != '-')
		return 0;
	if ((w[1] == '4' || w[1] == '6') && !w[2])
		return w[1] - '0';
	if (w[1] == '-' && w[2] == 'i' && (!strcmp(w, "--ipv4") ||
					   !strcmp(w, "--ipv6")))
		return w[5] - '0';
	return 0;
}

/* Drop "-4"/"-6" words; true if the line is for the other family. */
static bool other_family(struct pstate *s, struct fw_word *w, int *n)
{
	int i, j = 0, f;
	bool other = false;

	for (i = 0; i < *n; i++) {
		f = family_word(w[i].s);
		if (f) {
			other |= s->family != (f == 4 ? FW_AF_IPV4
						      : FW_AF_IPV6);
			continue;
		}
		w[j++] = w[i];
	}
	*n = j;
	return other;
}

/* Which words a command takes before its rule spec. */
static int command_args(struct pstate *s, struct fw_cmd *c,
			struct fw_word *w, int n)
{
	int k = 1;

	if (c->op == FW_CMD_DEL_CHAIN || c->op == FW_CMD_FLUSH ||
	    c->op == FW_CMD_ZERO) {
		c->chain = n > 1 ? w[1].s : NULL;
		/* -Z CHAIN N: one rule's counters */
		if (c->op == FW_CMD_ZERO && n > 2 && all_digits(w[2].s)) {
			c->num = strtoul(w[2].s, NULL, 10);
			if (c->num == 0)
				return perr(s, &w[2].loc, "invalid rule number "
					    "'%s'", w[2].s);
			k = 3;
		} else {
			k = 2;
		}
		return n > k ? perr(s, &w[k].loc, "unexpected word '%s'",
				    w[k].s) : n;
	}
	if (n < 2)
		return perr(s, &w[0].loc, "'%s' needs a chain name", w[0].s);
	c->chain = w[k++].s;
	if (c->op == FW_CMD_RENAME || c->op == FW_CMD_POLICY) {
		if (n != 3)
			return perr(s, &w[0].loc, "'%s' needs two arguments",
				    w[0].s);
		c->arg = w[2].s;
		c->arg_loc = w[2].loc;
		return 3;
	}
	if ((c->op == FW_CMD_INSERT || c->op == FW_CMD_REPLACE ||
	     c->op == FW_CMD_DELETE) && k < n && all_digits(w[k].s)) {
		c->num = strtoul(w[k].s, NULL, 10);
		if (c->num == 0)
			return perr(s, &w[k].loc, "invalid rule number '%s'",
				    w[k].s);
		k++;
		if (c->op == FW_CMD_DELETE) {
			c->op = FW_CMD_DELETE_NUM;
			if (k < n)
				return perr(s, &w[k].loc, "unexpected word '%s'",
					    w[k].s);
		}
	} else if (c->op == FW_CMD_REPLACE) {
		return perr(s, &w[0].loc, "'%s' needs a rule number", w[0].s);
	}
	if (c->op == FW_CMD_NEW_CHAIN && n > 2)
		return perr(s, &w[2].loc, "unexpected word '%s'", w[2].s);
	return k;
}

static void command_words(struct pstate *s, struct fw_word *w, int n,
			  const struct fw_loc *loc, uint64_t pkts,
			  uint64_t bytes, bool counters)
{
	struct fw_cmd c = { .loc = *loc };
	int i, k;

	if (other_family(s, w, &n) || s->skip)
		return;
	i = n ? find_command(w[0].s) : -1;
	if (i < 0) {
		perr(s, n ? &w[0].loc : loc, n ? "unknown command '%s'"
					       : "no command specified%s",
		     n ? w[0].s : "");
		return;
	}
	c.op = commands[i].op;
	c.loc = w[0].loc;
	k = command_args(s, &c, w, n);
	if (k < 0)
		return;
	if (c.op == FW_CMD_APPEND || c.op == FW_CMD_INSERT ||
	    c.op == FW_CMD_DELETE || c.op == FW_CMD_REPLACE) {
		c.rule = fw_rule_new(s->family);
		c.rule->loc = c.loc;
		if (fw_spec_parse(c.rule, w + k, n - k, s->errs)) {
			s->bad = -1;
		} else {
			if (counters) {
				c.rule->pkts = pkts;
				c.rule->bytes = bytes;
				c.rule->has |= FW_HAS_COUNTERS;
			}
			emit(s, &c);
		}
		fw_rule_free(c.rule);
		return;
	}
	emit(s, &c);
}

static void command_line(struct pstate *s, const char *line, size_t len,
			 struct fw_loc *loc)
{
	const char *p = line, *close;
	uint64_t pk = 0, by = 0;
	bool counters = false;
	char tmp[64];
	int n;

	if (*p == '[') {
		close = memchr(p, ']', len);
		if (!close || (size_t)(close - p) >= sizeof(tmp) - 1) {
			perr(s, loc, "counters prefix '[' without ']'%s", "");
			return;
		}
		memcpy(tmp, p, close - p + 1);
		tmp[close - p + 1] = '\0';
		if (s->flags & FW_P_COUNTERS) {
			if (parse_counters(tmp, &pk, &by)) {
				loc->len = close - p + 1;
				perr(s, loc, "invalid counters '%s'", tmp);
				return;
			}
			counters = true;
		}
		p = close + 1;
	}
	n = fw_tokenize(p, len - (p - line), loc, &s->tok, s->errs);
	if (n >= 0) {
		for (int i = 0; i < n; i++)
			s->tok.w[i].loc.col += p - line;
		command_words(s, s->tok.w, n, loc, pk, by, counters);
	} else {
		s->bad = -1;
	}
}

static void one_line(struct pstate *s, const char *line, size_t len,
		     struct fw_loc *loc)
{
	if (len == 0 || line[0] == '#')
		return;
	if (!s->in_table) {
		if (line[0] == '*')
			table_line(s, line, len, loc);
		else
			perr(s, loc, "expected '*table' before '%s'",
			     line[0] == ':' ? "chain line" : "commands");
		return;
	}
	if (len == 6 && !memcmp(line, "COMMIT", 6)) {
		struct fw_cmd c = { .op = FW_CMD_COMMIT, .loc = *loc };

		s->in_table = false;
		if (!s->skip)
			emit(s, &c);
		return;
	}
	if (line[0] == ':')
		chain_line(s, line, len, loc);
	else if (!s->skip)
		command_line(s, line, len, loc);
}

static bool bad_bytes(struct pstate *s, const char *line, size_t len,
		      struct fw_loc *loc)
{
	const char *nul = memchr(line, '\0', len);

	if (len > FW_MAX_LINE) {
		char n[32];

		snprintf(n, sizeof(n), "%zu", len);
		perr(s, loc, "line too long (%s bytes; at most 10239)", n);
		return true;
	}
	if (nul) {
		loc->col = nul - line + 1;
		perr(s, loc, "NUL byte in input%s", "");
		return true;
	}
	if (len && line[len - 1] == '\r') {
		loc->col = len;
		loc->len = 1;
		perr(s, loc, "carriage return at end of line (CRLF line ends "
		     "are not accepted)%s", "");
		return true;
	}
	return false;
}

int fw_parse_text(const struct fw_input *in, int family, unsigned flags,
		  const char *only_table, fw_cmd_fn fn, void *data,
		  struct fw_errs *errs)
{
	struct pstate s = { .in = in, .family = family, .flags = flags,
			    .only = only_table, .fn = fn, .data = data,
			    .errs = errs };
	const char *p = in->data, *end = in->data + in->len, *nl;
	struct fw_loc loc = { .in = in };
	const char *next_pass = p + FW_PASS_STEP;
	size_t len;

	while (p < end) {
		if (p >= next_pass) {
			/* a droppable input's passed pages go back */
			fw_input_passed(in, p);
			next_pass = p + FW_PASS_STEP;
		}
		nl = memchr(p, '\n', end - p);
		len = nl ? (size_t)(nl - p) : (size_t)(end - p);
		loc.line++;
		loc.col = 1;
		loc.len = len;
		if (!bad_bytes(&s, p, len, &loc))
			one_line(&s, p, len, &loc);
		p += len + 1;
	}
	if (s.in_table) {
		s.table_loc.col = 0;
		fw_error(errs, &s.table_loc,
			 "COMMIT expected: table '%s' is not closed", s.table);
		s.bad = -1;
	}
	fw_tokens_release(&s.tok);
	return s.bad;
}
