/* SPDX-License-Identifier: GPL-2.0-or-later */
/* the YAML form (docs/yaml.md): a second syntax over the same model */
#include "base.h"

#include <stdarg.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <libyaml.h>	/* via -Icommon, so that it finds libyaml */

#include "ext.h"
#include "print.h"
#include "spec.h"
#include "yaml.h"

#define Y_TAG_BINARY "tag:yaml.org,2002:binary"

/* Scalars: when plain, when quoted, and how. */

/* The length of the UTF-8 sequence at s (n bytes left) and its code point. */
static unsigned utf8_next(const unsigned char *s, size_t n, uint32_t *cp)
{
	unsigned len, i;
	uint32_t c;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2, c = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		len = 3, c = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		len = 4, c = s[0] & 0x07;
	else
		return 0;
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3f);
	}
	if ((len == 3 && c < 0x800) || (len == 4 && (c < 0x10000 ||
						     c > 0x10ffff)) ||
	    (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

static bool utf8_valid(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s);
	uint32_t cp;
	unsigned k;

	while (n) {
		k = utf8_next(p, n, &cp);
		if (!k)
			return false;
		p += k;
		n -= k;
	}
	return true;
}

/* Words another YAML reader would take for a boolean, null or number. */
static bool reserved_word(const char *s)
{
	static const char *const words[] = {
		"y", "n", "yes", "no", "true", "false", "on", "off", "null",
		".inf", "-.inf", "+.inf", ".nan",
	};
	size_t i;

	for (i = 0; i < FW_ARRAY_SIZE(words); i++)
		if (!strcasecmp(s, words[i]))
			return true;
	return false;
}

/*
 * Could a YAML 1.1 or 1.2 reader see a number or a date in s? (Sign,
 * then a digit or '.', then only characters of numbers, dates and
 * sexagesimals.) A plain decimal integer is safe: it reads back the same.
 */
static bool number_like(const char *s)
{
	const char *p = s + (*s == '+' || *s == '-');
	bool decimal = true;

	if (!((*p >= '0' && *p <= '9') || *p == '.'))
		return false;
	if (p != s || (*p == '0' && p[1]))
		decimal = false;
	for (; *p; p++) {
		if (!strchr("0123456789abcdefABCDEFxXoOtTzZ+-._:", *p))
			return false;
		if (*p < '0' || *p > '9')
			decimal = false;
	}
	return !decimal;
}

/* May s go out as a plain scalar, for every YAML reader? */
static bool plain_ok(const char *s, bool flow)
{
	const char *p;
	char c;

	if (!*s || reserved_word(s) || number_like(s))
		return false;
	c = s[0];
	if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	      (c >= '0' && c <= '9') || c == '_' || c == '/' || c == '.'))
		return false;
	for (p = s; *p; p++) {
		c = *p;
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || strchr("_./-+", c))
			continue;
		if (!flow && (c == ',' || (c == ':' && p[1])))
			continue;
		return false;
	}
	return true;
}

static void add_escape(struct fw_buf *b, uint32_t cp)
{
	static const struct {
		uint32_t cp;
		char c;
	} named[] = {
		{ 0, '0' }, { 7, 'a' }, { 8, 'b' }, { 9, 't' }, { 10, 'n' },
		{ 11, 'v' }, { 12, 'f' }, { 13, 'r' }, { 27, 'e' },
		{ 0x85, 'N' }, { 0x2028, 'L' }, { 0x2029, 'P' },
	};
	size_t i;

	for (i = 0; i < FW_ARRAY_SIZE(named); i++) {
		if (named[i].cp == cp) {
			fw_buf_addch(b, '\\');
			fw_buf_addch(b, named[i].c);
			return;
		}
	}
	if (cp < 0x100)
		fw_buf_addf(b, "\\x%02X", cp);
	else if (cp < 0x10000)
		fw_buf_addf(b, "\\u%04X", cp);
	else
		fw_buf_addf(b, "\\U%08X", cp);
}

/* YAML's printable characters, minus the line breaks it would fold. */
static bool yaml_printable(uint32_t cp)
{
	return (cp >= 0x20 && cp <= 0x7e) || (cp >= 0xa0 && cp <= 0xd7ff &&
					      cp != 0x2028 && cp != 0x2029) ||
	       (cp >= 0xe000 && cp <= 0xfffd && cp != 0xfeff) ||
	       (cp >= 0x10000 && cp <= 0x10ffff);
}

static void add_double_quoted(struct fw_buf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s);
	uint32_t cp;
	unsigned k;

	fw_buf_addch(b, '"');
	while (n) {
		k = utf8_next(p, n, &cp);
		if (cp == '"' || cp == '\\') {
			fw_buf_addch(b, '\\');
			fw_buf_addch(b, cp);
		} else if (yaml_printable(cp)) {
			fw_buf_add(b, p, k);
		} else {
			add_escape(b, cp);
		}
		p += k;
		n -= k;
	}
	fw_buf_addch(b, '"');
}

/* Bytes that are not UTF-8 go out as base64 under YAML's !!binary tag. */
static void add_binary(struct fw_buf *b, const char *s)
{
	static const char digits[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghij"
				     "klmnopqrstuvwxyz0123456789+/";
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), i;
	uint32_t v;

	fw_buf_addstr(b, "!!binary \"");
	for (i = 0; i < n; i += 3) {
		v = p[i] << 16 | (i + 1 < n ? p[i + 1] << 8 : 0) |
		    (i + 2 < n ? p[i + 2] : 0);
		fw_buf_addch(b, digits[v >> 18 & 63]);
		fw_buf_addch(b, digits[v >> 12 & 63]);
		fw_buf_addch(b, i + 1 < n ? digits[v >> 6 & 63] : '=');
		fw_buf_addch(b, i + 2 < n ? digits[v & 63] : '=');
	}
	fw_buf_addch(b, '"');
}

/* A scalar (key or value) in block or flow context. */
static void add_scalar(struct fw_buf *b, const char *s, bool flow)
{
	if (plain_ok(s, flow))
		fw_buf_addstr(b, s);
	else if (utf8_valid(s))
		add_double_quoted(b, s);
	else
		add_binary(b, s);
}

/* The save sink. */

/* A builtin or user chain of the table being printed. */
struct ychain {
	char *name;
	const char *policy;	/* NULL: user chain */
	uint64_t pkts, bytes;
};

/* One pair of a rule, as fw_rule_walk() hands it out. */
struct ypair {
	bool inv;
	size_t opt, val;	/* offsets in strs; val (size_t)-1: a flag */
};

/* The base part (name (size_t)-1), a match or the target, with its pairs. */
struct ypart {
	enum fw_ext_kind kind;
	size_t name;
	unsigned first, n;	/* its pairs */
};

#define Y_NONE ((size_t)-1)

struct ysink {
	struct fw_rule_sink walk;
	struct fw_save_sink *save;
	bool any;		/* a family key was written */
	int pending;		/* family announced, key not yet written */
	char *prefix;		/* b before the current table (incompatible) */
	size_t prefix_len;
	struct ychain *chains;
	unsigned nchains, achains;
	unsigned next;		/* first chain not written yet */
	bool in_rules;		/* chains[next - 1] has its "rules:" key */
	/* the rule being walked */
	struct fw_buf strs;
	struct ypair *pairs;
	unsigned npairs, apairs;
	struct ypart *parts;
	unsigned nparts, aparts;
};

static size_t strs_add(struct ysink *y, const char *s)
{
	size_t off = y->strs.len;

	fw_buf_add(&y->strs, s, strlen(s) + 1);
	return off;
}

static const char *strs_get(const struct ysink *y, size_t off)
{
	return y->strs.buf + off;
}

static void walk_begin(struct fw_rule_sink *s, enum fw_ext_kind kind,
		       const char *name, bool go)
{
	struct ysink *y = (struct ysink *)s;
	struct ypart *p;

	if (y->nparts == y->aparts) {
		y->aparts = y->aparts ? y->aparts * 2 : 8;
		y->parts = xrealloc(y->parts, y->aparts * sizeof(*y->parts));
	}
	p = &y->parts[y->nparts++];
	p->kind = kind;
	p->name = name ? strs_add(y, name) : Y_NONE;
	p->first = y->npairs;
	p->n = 0;
}

static void walk_opt(struct fw_pr *pr, bool inv, const char *opt,
		     const char *val, bool quote)
{
	struct ysink *y = pr->data;
	struct ypair *p;

	if (y->npairs == y->apairs) {
		y->apairs = y->apairs ? y->apairs * 2 : 16;
		y->pairs = xrealloc(y->pairs, y->apairs * sizeof(*y->pairs));
	}
	p = &y->pairs[y->npairs++];
	p->inv = inv;
	p->opt = strs_add(y, opt);
	p->val = val ? strs_add(y, val) : Y_NONE;
	y->parts[y->nparts - 1].n++;
}

static void add_indent(struct fw_buf *b, unsigned n)
{
	while (n--)
		fw_buf_addch(b, ' ');
}

/* A value: a scalar or true (a flag), wrapped in {not: ...} if inverted. */
static void add_value(struct fw_buf *b, const struct ysink *y,
		      const struct ypair *p, bool flow)
{
	if (p->inv)
		fw_buf_addstr(b, "{not: ");
	if (p->val == Y_NONE)
		fw_buf_addstr(b, "true");
	else
		add_scalar(b, strs_get(y, p->val), flow || p->inv);
	if (p->inv)
		fw_buf_addch(b, '}');
}

/*
 * {opt: value, ...}; when an option comes back (policy's elements), a
 * sequence of one-option mappings, so that the order stays.
 */
static void add_options(struct fw_buf *b, const struct ysink *y,
			const struct ypart *part)
{
	const struct ypair *pp = y->pairs + part->first;
	bool repeats = false;
	unsigned i, j;

	for (i = 1; i < part->n && !repeats; i++)
		for (j = 0; j < i && !repeats; j++)
			repeats = !strcmp(strs_get(y, pp[i].opt),
					  strs_get(y, pp[j].opt));
	fw_buf_addstr(b, repeats ? "[" : "{");
	for (i = 0; i < part->n; i++) {
		if (i)
			fw_buf_addstr(b, ", ");
		if (repeats)
			fw_buf_addch(b, '{');
		add_scalar(b, strs_get(y, pp[i].opt), true);
		fw_buf_addstr(b, ": ");
		add_value(b, y, &pp[i], true);
		if (repeats)
			fw_buf_addch(b, '}');
	}
	fw_buf_addstr(b, repeats ? "]" : "}");
}

/* NAME, or {NAME: {options}} when it has options. */
static void add_module(struct fw_buf *b, const struct ysink *y,
		       const struct ypart *part, bool braces)
{
	if (!part->n) {
		add_scalar(b, strs_get(y, part->name), false);
		return;
	}
	if (braces)
		fw_buf_addch(b, '{');
	add_scalar(b, strs_get(y, part->name), braces);
	fw_buf_addstr(b, ": ");
	add_options(b, y, part);
	if (braces)
		fw_buf_addch(b, '}');
}

/* Rule items sit at indent 8 ("- "), their keys at 10. */
#define Y_RULE 8

static void rule_key(struct fw_buf *b, bool *first, const char *key)
{
	add_indent(b, Y_RULE);
	fw_buf_addstr(b, *first ? "- " : "  ");
	*first = false;
	fw_buf_addstr(b, key);
	fw_buf_addstr(b, ": ");
}

static const char *const base_keys[][2] = {
	{ "s", "source" }, { "d", "destination" }, { "i", "in-interface" },
	{ "o", "out-interface" }, { "p", "protocol" }, { "f", "fragment" },
};

static const char *base_key(const char *opt)
{
	size_t i;

	for (i = 0; i < FW_ARRAY_SIZE(base_keys); i++)
		if (!strcmp(base_keys[i][0], opt))
			return base_keys[i][1];
	FW_BUG("unknown base option '%s'", opt);
}

static void add_target(struct fw_buf *b, const struct ysink *y,
		       const struct fw_rule *r, const struct ypart *part,
		       bool *first)
{
	const char *key = "target";

	switch (r->verdict) {
	case FW_V_ACCEPT:
	case FW_V_DROP:
	case FW_V_RETURN:
		key = "verdict";
		break;
	case FW_V_JUMP:
		key = "jump";
		break;
	case FW_V_GOTO:
		key = "goto";
		break;
	default:
		break;
	}
	rule_key(b, first, key);
	add_module(b, y, part, true);
	fw_buf_addch(b, '\n');
}

static void emit_rule(struct ysink *y, struct fw_buf *b,
		      const struct fw_rule *r)
{
	const struct ypart *part = &y->parts[0];
	const struct ypair *p;
	bool first = true, matches = false;
	unsigned i;

	if (y->save->flags & FW_S_COUNTERS) {
		rule_key(b, &first, "counters");
		fw_buf_addf(b, "[%llu, %llu]\n", (unsigned long long)r->pkts,
			    (unsigned long long)r->bytes);
	}
	for (i = 0; i < part->n; i++) {
		p = &y->pairs[part->first + i];
		rule_key(b, &first, base_key(strs_get(y, p->opt)));
		add_value(b, y, p, false);
		fw_buf_addch(b, '\n');
	}
	for (i = 1; i < y->nparts; i++) {
		part = &y->parts[i];
		if (part->kind == FW_EXT_TARGET) {
			add_target(b, y, r, part, &first);
			continue;
		}
		if (!matches) {
			rule_key(b, &first, "matches");
			b->len -= 1;	/* the blank after the colon */
			b->buf[b->len] = '\0';
			fw_buf_addch(b, '\n');
			matches = true;
		}
		add_indent(b, Y_RULE + 4);
		fw_buf_addstr(b, "- ");
		add_module(b, y, part, false);
		fw_buf_addch(b, '\n');
	}
	if (first) {
		add_indent(b, Y_RULE);
		fw_buf_addstr(b, "- {}\n");
	}
}

static void write_header(struct ysink *y, struct fw_buf *b,
			 const char *what)
{
	unsigned flags = y->save->flags;
	char date[64];
	time_t now;

	if (flags & FW_S_NO_COMMENTS)
		return;
	if (flags & FW_S_NO_TIMESTAMP) {
		fw_buf_addf(b, "# %s by %s\n", what, y->save->progname);
		return;
	}
	now = time(NULL);
	ctime_r(&now, date);
	fw_buf_addf(b, "# %s by %s on %s", what, y->save->progname, date);
}

static void y_begin(struct fw_save_sink *s, struct fw_buf *b)
{
	write_header(s->data, b, "Generated");
}

static const char *family_key(int family)
{
	return family == FW_AF_IPV6 ? "ipv6" : "ipv4";
}

/* A family with no table: an empty mapping, so that it still shows. */
static void close_family(struct ysink *y, struct fw_buf *b)
{
	if (!y->pending)
		return;
	fw_buf_addf(b, "%s: {}\n", family_key(y->pending));
	y->pending = 0;
	y->any = true;
}

static void y_family(struct fw_save_sink *s, struct fw_buf *b, int family)
{
	struct ysink *y = s->data;

	close_family(y, b);
	y->pending = family;
}

static void chains_reset(struct ysink *y)
{
	unsigned i;

	for (i = 0; i < y->nchains; i++)
		free(y->chains[i].name);
	y->nchains = y->next = 0;
	y->in_rules = false;
}

static void y_table(struct fw_save_sink *s, struct fw_buf *b,
		    const char *table, bool tainted)
{
	struct ysink *y = s->data;

	if (y->pending) {
		fw_buf_addf(b, "%s:\n", family_key(y->pending));
		y->pending = 0;
		y->any = true;
	}
	/* what an incompatible table takes back with it (see save.h) */
	free(y->prefix);
	y->prefix = xmemdup(b->buf ? b->buf : "", b->len + 1);
	y->prefix_len = b->len;
	chains_reset(y);
	if (tainted && !(s->flags & FW_S_NO_COMMENTS))
		fw_buf_addf(b, "  # table %s has base chains fw cannot show; "
			    "use 'nft list table' to see them\n", table);
	fw_buf_addstr(b, "  ");
	add_scalar(b, table, false);
	fw_buf_addstr(b, ":\n");
}

static void y_chain(struct fw_save_sink *s, struct fw_buf *b,
		    const char *chain, const char *policy, uint64_t pkts,
		    uint64_t bytes)
{
	struct ysink *y = s->data;
	struct ychain *c;

	if (y->nchains == y->achains) {
		y->achains = y->achains ? y->achains * 2 : 16;
		y->chains = xrealloc(y->chains, y->achains * sizeof(*y->chains));
	}
	c = &y->chains[y->nchains++];
	c->name = xstrdup(chain);
	c->policy = !strcmp(policy, "ACCEPT") ? "ACCEPT"
		    : !strcmp(policy, "DROP") ? "DROP" : NULL;
	c->pkts = pkts;
	c->bytes = bytes;
}

/* A chain's key and header; "rules:" last when rules follow. */
static void write_chain(struct fw_buf *b, const struct ychain *c,
			bool rules)
{
	bool counters = c->policy || c->pkts || c->bytes;

	add_indent(b, 4);
	add_scalar(b, c->name, false);
	if (!c->policy && !counters && !rules) {
		fw_buf_addstr(b, ": {}\n");
		return;
	}
	fw_buf_addstr(b, ":\n");
	if (c->policy)
		fw_buf_addf(b, "      policy: %s\n", c->policy);
	if (counters)
		fw_buf_addf(b, "      counters: [%llu, %llu]\n",
			    (unsigned long long)c->pkts,
			    (unsigned long long)c->bytes);
	if (rules)
		fw_buf_addstr(b, "      rules:\n");
}

/* Write the chains before the one named chain, then its header. */
static void open_chain(struct ysink *y, struct fw_buf *b, const char *chain)
{
	unsigned i;

	for (i = y->next; i < y->nchains; i++)
		if (!strcmp(y->chains[i].name, chain))
			break;
	if (i == y->nchains) {
		for (i = 0; i < y->next; i++)
			if (!strcmp(y->chains[i].name, chain))
				FW_BUG("rules of chain '%s' out of order", chain);
		y_chain(y->save, b, chain, "-", 0, 0);
		i = y->nchains - 1;
	}
	for (; y->next < i; y->next++)
		write_chain(b, &y->chains[y->next], false);
	write_chain(b, &y->chains[i], true);
	y->next = i + 1;
	y->in_rules = true;
}

static void y_rule(struct fw_save_sink *s, struct fw_buf *b,
		   const char *chain, const struct fw_rule *r)
{
	struct ysink *y = s->data;

	if (!y->in_rules || strcmp(y->chains[y->next - 1].name, chain))
		open_chain(y, b, chain);
	fw_buf_reset(&y->strs);
	y->npairs = y->nparts = 0;
	walk_begin(&y->walk, FW_EXT_MATCH, NULL, false);
	fw_rule_walk(r, &y->walk);
	emit_rule(y, b, r);
}

static void y_table_end(struct fw_save_sink *s, struct fw_buf *b)
{
	struct ysink *y = s->data;

	for (; y->next < y->nchains; y->next++)
		write_chain(b, &y->chains[y->next], false);
	chains_reset(y);
}

static void y_incompatible(struct fw_save_sink *s, struct fw_buf *b,
			   const char *table)
{
	struct ysink *y = s->data;

	/* b was taken back to where the table began: restore the prefix */
	if (!b->len && y->prefix)
		fw_buf_add(b, y->prefix, y->prefix_len);
	chains_reset(y);
	if (!(s->flags & FW_S_NO_COMMENTS))
		fw_buf_addf(b, "  # table %s is incompatible; use 'nft list "
			    "table' to see it\n", table);
	fw_buf_addstr(b, "  ");
	add_scalar(b, table, false);
	fw_buf_addstr(b, ": incompatible\n");
}

static void y_end(struct fw_save_sink *s, struct fw_buf *b)
{
	struct ysink *y = s->data;

	close_family(y, b);
	if (!y->any)
		fw_buf_addstr(b, "{}\n");
}

void fw_yaml_sink_init(struct fw_save_sink *s, unsigned flags,
		       const char *progname)
{
	struct ysink *y = xzalloc(sizeof(*y));

	memset(s, 0, sizeof(*s));
	s->begin = y_begin;
	s->family = y_family;
	s->table = y_table;
	s->chain = y_chain;
	s->rule = y_rule;
	s->table_end = y_table_end;
	s->incompatible = y_incompatible;
	s->end = y_end;
	s->flags = flags;
	s->progname = progname ? progname : "fw-save";
	s->data = y;
	y->save = s;
	y->walk.pr.opt = walk_opt;
	y->walk.pr.data = y;
	y->walk.begin = walk_begin;
}

void fw_yaml_sink_release(struct fw_save_sink *s)
{
	struct ysink *y = s->data;

	if (!y)
		return;
	chains_reset(y);
	free(y->chains);
	free(y->prefix);
	fw_buf_release(&y->strs);
	free(y->pairs);
	free(y->parts);
	free(y);
	s->data = NULL;
}

/* The parser: libyaml's events into a compact tree, walked into commands. */

enum ytype { Y_NONE_NODE, Y_SCALAR, Y_SEQ, Y_MAP, Y_ALIAS };

/*
 * One node. Children are a list (first, next); a mapping's children
 * alternate key and value. Marks are libyaml's: 0-based, columns in
 * characters. Index 0 is "no node".
 */
struct ynode {
	uint8_t type;		/* enum ytype */
	bool plain;		/* a plain scalar (not quoted, no block) */
	bool binary;		/* tagged !!binary */
	unsigned line, col, eline, ecol;
	size_t val;		/* scalar: offset of its text in the arena;
				 * alias: the node it stands for */
	unsigned len;		/* scalar: bytes */
	unsigned first, last, next, count;
};

struct yanchor {
	char *name;
	unsigned node;
};

struct ystate {
	const struct fw_input *in;
	unsigned flags;
	const char *only;
	fw_cmd_fn fn;
	void *data;
	struct fw_errs *errs;
	size_t *lines;		/* byte offset of each line */
	size_t nlines;
	bool ascii;		/* no byte >= 0x80: columns are bytes */
	struct ynode *nodes;
	unsigned nnodes, anodes;
	struct fw_buf arena;	/* scalar texts, NUL-terminated */
	struct yanchor *anchors;
	unsigned nanchors, aanchors;
	int family;
	const char *table;
	int bad;
};

/* Building the tree. */

static unsigned node_new(struct ystate *st, enum ytype type,
			 const yaml_mark_t *start, const yaml_mark_t *end)
{
	struct ynode *n;

	if (st->nnodes == st->anodes) {
		st->anodes = st->anodes ? st->anodes * 2 : 1024;
		st->nodes = xrealloc(st->nodes, st->anodes * sizeof(*n));
	}
	n = &st->nodes[st->nnodes];
	memset(n, 0, sizeof(*n));
	n->type = type;
	n->line = start->line;
	n->col = start->column;
	n->eline = end->line;
	n->ecol = end->column;
	return st->nnodes++;
}

static void node_attach(struct ystate *st, unsigned parent, unsigned child)
{
	struct ynode *p = &st->nodes[parent];

	if (p->last)
		st->nodes[p->last].next = child;
	else
		p->first = child;
	p->last = child;
	p->count++;
}

static void anchor_add(struct ystate *st, const yaml_char_t *name,
		       unsigned node)
{
	if (!name)
		return;
	if (st->nanchors == st->aanchors) {
		st->aanchors = st->aanchors ? st->aanchors * 2 : 16;
		st->anchors = xrealloc(st->anchors,
				       st->aanchors * sizeof(*st->anchors));
	}
	st->anchors[st->nanchors].name = xstrdup((const char *)name);
	st->anchors[st->nanchors++].node = node;
}

/* The newest anchor of that name (YAML lets an anchor be reused). */
static unsigned anchor_find(const struct ystate *st, const yaml_char_t *name)
{
	unsigned i;

	for (i = st->nanchors; i-- > 0;)
		if (!strcmp(st->anchors[i].name, (const char *)name))
			return st->anchors[i].node;
	return 0;
}

/* A libyaml mark (0-based, columns in characters) as a byte column. */
static unsigned byte_col(const struct ystate *st, unsigned line,
			 unsigned col)
{
	const unsigned char *start, *p, *end;
	uint32_t cp;
	unsigned k;

	if (st->ascii || line >= st->nlines)
		return col + 1;
	start = (const unsigned char *)st->in->data + st->lines[line];
	end = (const unsigned char *)st->in->data + st->in->len;
	for (p = start; col && p < end && *p != '\n'; col--) {
		k = utf8_next(p, end - p, &cp);
		p += k ? k : 1;
	}
	return p - start + 1;
}

static struct fw_loc mark_loc(const struct ystate *st, const yaml_mark_t *m)
{
	struct fw_loc loc = { .in = st->in, .line = m->line + 1, .len = 1 };

	loc.col = byte_col(st, m->line, m->column);
	return loc;
}

static int mark_error(struct ystate *st, const yaml_mark_t *m,
		      const char *msg)
{
	struct fw_loc loc = mark_loc(st, m);

	fw_error(st->errs, &loc, "%s", msg);
	return st->bad = -1;
}

static int parser_error(struct ystate *st, const yaml_parser_t *p)
{
	struct fw_loc loc = mark_loc(st, &p->problem_mark);

	if (p->error == YAML_MEMORY_ERROR)
		FW_BUG("libyaml: out of memory");
	if (p->context && p->context_mark.line != p->problem_mark.line)
		fw_error(st->errs, &loc, "invalid YAML: %s %s (from line %zu)",
			 p->problem, p->context, p->context_mark.line + 1);
	else if (p->context)
		fw_error(st->errs, &loc, "invalid YAML: %s %s", p->problem,
			 p->context);
	else
		fw_error(st->errs, &loc, "invalid YAML: %s",
			 p->problem ? p->problem : "cannot parse");
	return st->bad = -1;
}

/* One event into the tree; 1 at the end of the stream, -1 on error. */
static int tree_event(struct ystate *st, const yaml_event_t *ev,
		      unsigned *stack, unsigned *depth, bool *seen_doc)
{
	const char *tag = NULL;
	unsigned n;

	switch (ev->type) {
	case YAML_STREAM_END_EVENT:
		return 1;
	case YAML_DOCUMENT_START_EVENT:
		if (*seen_doc)
			return mark_error(st, &ev->start_mark,
					  "only one YAML document is allowed");
		*seen_doc = true;
		return 0;
	case YAML_SCALAR_EVENT:
		n = node_new(st, Y_SCALAR, &ev->start_mark, &ev->end_mark);
		st->nodes[n].plain = ev->data.scalar.plain_implicit &&
				     ev->data.scalar.style ==
					     YAML_PLAIN_SCALAR_STYLE;
		tag = (const char *)ev->data.scalar.tag;
		st->nodes[n].binary = tag && !strcmp(tag, Y_TAG_BINARY);
		st->nodes[n].val = st->arena.len;
		st->nodes[n].len = ev->data.scalar.length;
		fw_buf_add(&st->arena, ev->data.scalar.value,
			   ev->data.scalar.length);
		fw_buf_addch(&st->arena, '\0');
		anchor_add(st, ev->data.scalar.anchor, n);
		break;
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT:
		n = node_new(st, ev->type == YAML_SEQUENCE_START_EVENT ? Y_SEQ
									: Y_MAP,
			     &ev->start_mark, &ev->end_mark);
		anchor_add(st, ev->type == YAML_SEQUENCE_START_EVENT
				       ? ev->data.sequence_start.anchor
				       : ev->data.mapping_start.anchor, n);
		break;
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		(*depth)--;
		return 0;
	case YAML_ALIAS_EVENT:
		n = node_new(st, Y_ALIAS, &ev->start_mark, &ev->end_mark);
		st->nodes[n].val = anchor_find(st, ev->data.alias.anchor);
		if (!st->nodes[n].val)
			return mark_error(st, &ev->start_mark,
					  "alias of an unknown anchor");
		break;
	default:
		return 0;
	}
	if (*depth)
		node_attach(st, stack[*depth - 1], n);
	if (st->nodes[n].type == Y_SEQ || st->nodes[n].type == Y_MAP) {
		if (*depth == 64)
			return mark_error(st, &ev->start_mark,
					  "nested too deep (at most 64 levels)");
		stack[(*depth)++] = n;
	}
	return 0;
}

/* The whole input as a tree; its root is node 1 (none if empty). */
static void tree_build(struct ystate *st)
{
	yaml_parser_t parser;
	yaml_event_t ev;
	unsigned stack[64] = { 0 }, depth = 0;
	bool seen_doc = false;
	int rc = 0;

	node_new(st, Y_NONE_NODE, &(yaml_mark_t){ 0 }, &(yaml_mark_t){ 0 });
	yaml_parser_initialize(&parser);
	yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING);
	yaml_parser_set_input_string(&parser, (const unsigned char *)st->in->data,
				     st->in->len);
	while (!rc) {
		if (!yaml_parser_parse(&parser, &ev)) {
			parser_error(st, &parser);
			break;
		}
		rc = tree_event(st, &ev, stack, &depth, &seen_doc);
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&parser);
}

static void tree_release(struct ystate *st)
{
	unsigned i;

	for (i = 0; i < st->nanchors; i++)
		free(st->anchors[i].name);
	free(st->anchors);
	free(st->nodes);
	fw_buf_release(&st->arena);
}

/* Reading the tree. */

/* Node i, an alias followed to the node it names. */
static const struct ynode *yget(const struct ystate *st, unsigned i)
{
	const struct ynode *n = &st->nodes[i];

	return n->type == Y_ALIAS ? &st->nodes[n->val] : n;
}

/* Walks the children of a node: items, or keys and values. */
struct yiter {
	const struct ystate *st;
	unsigned i;
};

static struct yiter yiter(const struct ystate *st, const struct ynode *n)
{
	return (struct yiter){ st, n->first };
}

static bool next_item(struct yiter *it, const struct ynode **n)
{
	if (!it->i)
		return false;
	*n = yget(it->st, it->i);
	it->i = it->st->nodes[it->i].next;
	return true;
}

static bool next_pair(struct yiter *it, const struct ynode **k,
		      const struct ynode **v)
{
	return next_item(it, k) && next_item(it, v);
}

static const char *text(const struct ystate *st, const struct ynode *n)
{
	return st->arena.buf + n->val;
}

static struct fw_loc node_loc(const struct ystate *st, const struct ynode *n)
{
	struct fw_loc loc = { .in = st->in, .line = n->line + 1, .len = 1 };
	unsigned end;

	loc.col = byte_col(st, n->line, n->col);
	if (n->type == Y_SCALAR && n->eline == n->line) {
		end = byte_col(st, n->eline, n->ecol);
		loc.len = end > loc.col ? end - loc.col : 1;
	}
	return loc;
}

static int yerr(struct ystate *st, const struct ynode *n, const char *fmt,
		...) FW_PRINTF(3, 4);

static int yerr(struct ystate *st, const struct ynode *n, const char *fmt,
		...)
{
	struct fw_loc loc = node_loc(st, n);
	va_list ap;

	va_start(ap, fmt);
	fw_verror(st->errs, &loc, fmt, ap);
	va_end(ap);
	st->bad = -1;
	return -1;
}

/* A plain empty value, ~ or null: YAML's null. */
static bool is_null(const struct ystate *st, const struct ynode *n)
{
	const char *s = n->type == Y_SCALAR ? text(st, n) : NULL;

	return s && n->plain && (!*s || !strcmp(s, "~") || !strcmp(s, "null") ||
				 !strcmp(s, "Null") || !strcmp(s, "NULL"));
}

static bool is_plain(const struct ystate *st, const struct ynode *n,
		     const char *s)
{
	return n->type == Y_SCALAR && n->plain && !strcmp(text(st, n), s);
}

static const char *type_name(const struct ynode *n)
{
	return n->type == Y_MAP ? "mapping" : n->type == Y_SEQ ? "sequence"
							       : "scalar";
}

static int b64_digit(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	return c == '+' ? 62 : c == '/' ? 63 : -1;
}

/* Decode a !!binary scalar; NULL if it is not base64. */
static char *b64_decode(const char *s, size_t n, size_t *len)
{
	char *out = xmalloc(n / 4 * 3 + 4);
	unsigned v = 0, bits = 0, pad = 0;
	size_t i, o = 0;
	int d;

	for (i = 0; i < n; i++) {
		if (s[i] == ' ' || s[i] == '\n' || s[i] == '\t' || s[i] == '\r')
			continue;
		if (s[i] == '=') {
			pad++;
			continue;
		}
		d = b64_digit(s[i]);
		if (d < 0 || pad) {
			free(out);
			return NULL;
		}
		v = v << 6 | d;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[o++] = v >> bits & 0xff;
		}
	}
	out[o] = '\0';
	*len = o;
	return out;
}

/*
 * The text of a scalar (a !!binary one decoded), allocated; NULL with an
 * error if n is not a scalar or holds a NUL character. what: for the
 * message.
 */
static char *scalar(struct ystate *st, const struct ynode *n, const char *what)
{
	size_t len = n->len;
	char *s;

	if (n->type != Y_SCALAR) {
		yerr(st, n, "%s must be a scalar, not a %s", what, type_name(n));
		return NULL;
	}
	if (n->binary) {
		s = b64_decode(text(st, n), n->len, &len);
		if (!s) {
			yerr(st, n, "%s: invalid base64 in a !!binary value",
			     what);
			return NULL;
		}
	} else {
		s = xmemdup(text(st, n), len + 1);
	}
	if (strlen(s) != len) {
		yerr(st, n, "%s: NUL characters are not allowed", what);
		free(s);
		return NULL;
	}
	return s;
}

struct keyref {
	const char *s;
	const struct ynode *n;
};

static int cmp_keyref(const void *a, const void *b)
{
	const struct keyref *x = a, *y = b;
	int c = strcmp(x->s, y->s);

	return c ? c : x->n < y->n ? -1 : x->n > y->n;
}

/*
 * Is n a mapping, with no key given twice? If not a mapping, an error:
 * "WHAT must be a mapping[ of OF]". A key given twice is an error too.
 */
static bool mapping(struct ystate *st, const struct ynode *n,
		    const char *what, const char *of)
{
	struct keyref *keys;
	struct yiter it;
	const struct ynode *k, *v;
	unsigned nk = 0, i;

	if (n->type != Y_MAP) {
		yerr(st, n, "%s must be a mapping%s%s", what, of ? " of " : "",
		     of ? of : "");
		return false;
	}
	if (n->count < 4)
		return true;
	keys = xmalloc(n->count / 2 * sizeof(*keys));
	it = yiter(st, n);
	while (next_pair(&it, &k, &v))
		if (k->type == Y_SCALAR)
			keys[nk++] = (struct keyref){ text(st, k), k };
	qsort(keys, nk, sizeof(*keys), cmp_keyref);
	for (i = 1; i < nk; i++)
		if (!strcmp(keys[i - 1].s, keys[i].s))
			yerr(st, keys[i].n, "key '%s' given twice", keys[i].s);
	free(keys);
	return true;
}

static int parse_u64(const char *s, uint64_t *v)
{
	uint64_t n = 0;

	if (!*s)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || n > (UINT64_MAX - (*s - '0')) / 10)
			return -1;
		n = n * 10 + (*s - '0');
	}
	*v = n;
	return 0;
}

/* counters: [PACKETS, BYTES] */
static int counters(struct ystate *st, const struct ynode *n, uint64_t *p,
		    uint64_t *b)
{
	struct yiter it = yiter(st, n);
	const struct ynode *c;
	uint64_t v[2] = { 0, 0 };	/* n->count == 2: both set */
	unsigned i = 0;
	char *s;

	if (n->type != Y_SEQ || n->count != 2)
		return yerr(st, n, "counters must be [PACKETS, BYTES]");
	while (next_item(&it, &c)) {
		s = scalar(st, c, "a counter");
		if (!s)
			return -1;
		if (parse_u64(s, &v[i])) {
			yerr(st, c, "invalid counter '%s'", s);
			free(s);
			return -1;
		}
		free(s);
		i++;
	}
	*p = v[0];
	*b = v[1];
	return 0;
}

/* Words of one rule, each at the YAML node it came from. */
struct words {
	struct fw_word *w;
	unsigned n, a;
};

static void word_add(struct ystate *st, struct words *ws, const char *s,
		     size_t len, const struct ynode *n)
{
	if (ws->n == ws->a) {
		ws->a = ws->a ? ws->a * 2 : 16;
		ws->w = xrealloc(ws->w, ws->a * sizeof(*ws->w));
	}
	ws->w[ws->n].s = xstrndup(s, len);
	ws->w[ws->n].loc = node_loc(st, n);
	ws->n++;
}

static void word_addstr(struct ystate *st, struct words *ws, const char *s,
			const struct ynode *n)
{
	word_add(st, ws, s, strlen(s), n);
}

static void words_release(struct words *ws)
{
	unsigned i;

	for (i = 0; i < ws->n; i++)
		free(ws->w[i].s);
	free(ws->w);
	memset(ws, 0, sizeof(*ws));
}

/*
 * {not: X}: add "!" and return X; any other node is returned as is. NULL
 * (with an error) for a mapping that is not {not: X}.
 */
static const struct ynode *negation(struct ystate *st, struct words *ws,
				    const struct ynode *n)
{
	struct yiter it = yiter(st, n);
	const struct ynode *k, *v;

	if (n->type != Y_MAP)
		return n;
	if (n->count != 2 || !next_pair(&it, &k, &v) ||
	    !is_plain(st, k, "not")) {
		yerr(st, n, "a value must be a scalar or {not: VALUE}");
		return NULL;
	}
	word_addstr(st, ws, "!", k);
	return v;
}

/* The base fields of a rule, in rule order, and their short options. */
static const struct {
	const char *key;
	const char *opt;
	bool flag;
} base_fields[] = {
	{ "source", "-s", false }, { "destination", "-d", false },
	{ "in-interface", "-i", false }, { "out-interface", "-o", false },
	{ "protocol", "-p", false }, { "fragment", "-f", true },
};

static int base_field(struct ystate *st, struct words *ws, unsigned i,
		      const struct ynode *key, const struct ynode *val)
{
	const struct ynode *v = negation(st, ws, val);
	char *s;

	if (!v)
		return -1;
	if (base_fields[i].flag) {
		if (!is_plain(st, v, "true"))
			return yerr(st, v, "'%s' takes true or {not: true}",
				    base_fields[i].key);
		word_addstr(st, ws, base_fields[i].opt, key);
		return 0;
	}
	s = scalar(st, v, base_fields[i].key);
	if (!s)
		return -1;
	word_addstr(st, ws, base_fields[i].opt, key);
	word_addstr(st, ws, s, v);
	free(s);
	return 0;
}

/* One occurrence of an option: [!] --opt [value words]. */
static int option_value(struct ystate *st, struct words *ws,
			const struct fw_opt *o, const struct ynode *key,
			const struct ynode *val)
{
	const struct ynode *v = negation(st, ws, val);
	char opt[64];
	const char *sp;
	char *s;

	if (!v)
		return -1;
	snprintf(opt, sizeof(opt), "%s%s", o->name[1] ? "--" : "-", o->name);
	if (is_plain(st, v, "true") &&
	    (o->nargs == 0 || o->flags & FW_OPT_OPTARG)) {
		word_addstr(st, ws, opt, key);
		return 0;
	}
	if (o->nargs == 0)
		return yerr(st, v, "option '%s' is a flag: its value is true "
			    "(or {not: true})", o->name);
	s = scalar(st, v, "an option value");
	if (!s)
		return -1;
	word_addstr(st, ws, opt, key);
	sp = o->nargs == 2 && !(o->flags & FW_OPT_STR) ? strpbrk(s, " \t")
						       : NULL;
	if (sp) {
		word_add(st, ws, s, sp - s, v);
		sp += strspn(sp, " \t");
		word_addstr(st, ws, sp, v);
	} else {
		word_addstr(st, ws, s, v);
	}
	free(s);
	return 0;
}

/* The options of one mapping of a match or target, in their order. */
static int option_map(struct ystate *st, struct words *ws,
		      const struct fw_ext *e, const struct ynode *opts)
{
	struct yiter it = yiter(st, opts), vals;
	const struct ynode *k, *v, *item;
	const struct fw_opt *o;
	bool ambiguous;
	char *name;
	int rc = 0;

	if (!mapping(st, opts, "the options of a match or target", NULL))
		return -1;
	while (next_pair(&it, &k, &v)) {
		name = scalar(st, k, "an option");
		if (!name) {
			rc = -1;
			continue;
		}
		ambiguous = false;
		o = fw_ext_opt(e, name, strlen(name), &ambiguous);
		if (!o && ambiguous) {
			rc = yerr(st, k, "ambiguous option '%s' of '%s'", name,
				  e->name);
		} else if (!o) {
			rc = yerr(st, k, "'%s' has no option '%s'", e->name,
				  name);
		} else if (v->type == Y_SEQ) {
			vals = yiter(st, v);
			while (next_item(&vals, &item))
				if (option_value(st, ws, o, k, item))
					rc = -1;
		} else if (option_value(st, ws, o, k, v)) {
			rc = -1;
		}
		free(name);
	}
	return rc;
}

/*
 * The options of a match or target: {OPTION: VALUE, ...}, or a sequence
 * of such mappings when an option comes back (order kept).
 */
static int options(struct ystate *st, struct words *ws,
		   const struct fw_ext *e, const struct ynode *opts)
{
	struct yiter it = yiter(st, opts);
	const struct ynode *m;
	int rc = 0;

	if (is_null(st, opts))
		return 0;
	if (opts->type != Y_SEQ)
		return option_map(st, ws, e, opts);
	while (next_item(&it, &m))
		if (option_map(st, ws, e, m))
			rc = -1;
	return rc;
}

/* NAME or {NAME: {options}}: the name node and options node (or NULL). */
static int module(struct ystate *st, const struct ynode *n,
		  const struct ynode **name, const struct ynode **opts)
{
	struct yiter it = yiter(st, n);

	*opts = NULL;
	if (n->type == Y_SCALAR) {
		*name = n;
		return 0;
	}
	if (n->type != Y_MAP || n->count != 2 || !next_pair(&it, name, opts))
		return yerr(st, n, "expected NAME or {NAME: {OPTION: VALUE, "
			    "...}}");
	return 0;
}

static int one_match(struct ystate *st, struct words *ws,
		     const struct ynode *item)
{
	const struct ynode *nn, *opts;
	const struct fw_ext *e;
	char *name;
	int rc;

	if (module(st, item, &nn, &opts))
		return -1;
	/* module() sets nn when it returns 0; the analyzer cannot tell */
	/* NOLINTNEXTLINE(clang-analyzer-core.CallAndMessage) */
	name = scalar(st, nn, "a match name");
	if (!name)
		return -1;
	e = fw_ext_find(name, FW_EXT_MATCH, st->family);
	if (!e) {
		rc = yerr(st, nn, "unknown match '%s'", name);
	} else {
		word_addstr(st, ws, "-m", nn);
		word_addstr(st, ws, name, nn);
		rc = opts ? options(st, ws, e, opts) : 0;
	}
	free(name);
	return rc;
}

static int matches(struct ystate *st, struct words *ws,
		   const struct ynode *n)
{
	struct yiter it = yiter(st, n);
	const struct ynode *m;
	int rc = 0;

	if (is_null(st, n))
		return 0;
	if (n->type != Y_SEQ)
		return yerr(st, n, "matches must be a sequence");
	while (next_item(&it, &m))
		if (one_match(st, ws, m))
			rc = -1;
	return rc;
}

static bool is_verdict(const char *s)
{
	return !strcmp(s, "ACCEPT") || !strcmp(s, "DROP") ||
	       !strcmp(s, "RETURN");
}

/* verdict, jump, goto or target: the words of the rule's target. */
static int target(struct ystate *st, struct words *ws, const char *key,
		  const struct ynode *val)
{
	const struct ynode *nn = val, *opts = NULL;
	const struct fw_ext *e;
	char *name;
	int rc = 0;

	if (!strcmp(key, "target") && module(st, val, &nn, &opts))
		return -1;
	name = scalar(st, nn, key);
	if (!name)
		return -1;
	e = fw_ext_find(name, FW_EXT_TARGET, st->family);
	if (!strcmp(key, "verdict") && !is_verdict(name))
		rc = yerr(st, nn, "unknown verdict '%s' (ACCEPT, DROP or "
			  "RETURN)", name);
	else if (strcmp(key, "verdict") && is_verdict(name))
		rc = yerr(st, nn, "'%s' is a verdict: write 'verdict: %s'",
			  name, name);
	else if (!strcmp(key, "target") && !e)
		rc = yerr(st, nn, "unknown target '%s'", name);
	else if (strcmp(key, "target") && strcmp(key, "verdict") && e)
		rc = yerr(st, nn, "'%s' is a target extension: write "
			  "'target: %s'", name, name);
	if (rc) {
		free(name);
		return rc;
	}
	word_addstr(st, ws, strcmp(key, "goto") ? "-j" : "-g", nn);
	word_addstr(st, ws, name, nn);
	free(name);
	return opts && e ? options(st, ws, e, opts) : 0;
}

/* The parts of a rule mapping, by key. */
struct rule_nodes {
	const struct ynode *base[FW_ARRAY_SIZE(base_fields)][2];
	const struct ynode *matches, *counters, *target;
	const char *target_kind;
};

static const char *const target_keys[] = {
	"verdict", "jump", "goto", "target",
};

static int rule_key_node(struct ystate *st, struct rule_nodes *rn,
			 const struct ynode *k, const struct ynode *v)
{
	const char *key = text(st, k);
	size_t i;

	for (i = 0; i < FW_ARRAY_SIZE(base_fields); i++) {
		if (!strcmp(key, base_fields[i].key)) {
			rn->base[i][0] = k;
			rn->base[i][1] = v;
			return 0;
		}
	}
	if (!strcmp(key, "matches")) {
		rn->matches = v;
		return 0;
	}
	if (!strcmp(key, "counters")) {
		rn->counters = v;
		return 0;
	}
	for (i = 0; i < FW_ARRAY_SIZE(target_keys); i++) {
		if (strcmp(key, target_keys[i]))
			continue;
		if (rn->target)
			return yerr(st, k, "a rule has one target: '%s' and "
				    "'%s' given", rn->target_kind, key);
		rn->target = v;
		rn->target_kind = target_keys[i];
		return 0;
	}
	return yerr(st, k, "unknown key '%s' in a rule (source, destination, "
		    "in-interface, out-interface, protocol, fragment, matches, "
		    "verdict, jump, goto, target, counters)", key);
}

/* The words of a rule, in the order the text form has them. */
static int rule_words(struct ystate *st, const struct ynode *n,
		      struct words *ws, uint64_t *pk, uint64_t *by,
		      bool *has_counters)
{
	struct rule_nodes rn = { 0 };
	struct yiter it = yiter(st, n);
	const struct ynode *k, *v;
	size_t i;
	int rc = 0;

	if (is_null(st, n))
		return 0;
	if (!mapping(st, n, "a rule", NULL))
		return -1;
	while (next_pair(&it, &k, &v))
		if (k->type != Y_SCALAR ? yerr(st, k, "a key must be a scalar")
					: rule_key_node(st, &rn, k, v))
			rc = -1;
	for (i = 0; i < FW_ARRAY_SIZE(base_fields); i++)
		if (rn.base[i][0] &&
		    base_field(st, ws, i, rn.base[i][0], rn.base[i][1]))
			rc = -1;
	if (rn.matches && matches(st, ws, rn.matches))
		rc = -1;
	if (rn.target && target(st, ws, rn.target_kind, rn.target))
		rc = -1;
	if (rn.counters) {
		if (counters(st, rn.counters, pk, by))
			rc = -1;
		else
			*has_counters = true;
	}
	return rc;
}

static void emit(struct ystate *st, struct fw_cmd *c)
{
	c->family = st->family;
	c->table = st->table;
	if (st->fn(c, st->data))
		st->bad = -1;
}

/* One rule: its words through fw_spec_parse(); APPEND it if send. */
static void one_rule(struct ystate *st, const char *chain, bool send,
		     const struct ynode *n)
{
	struct fw_cmd c = { .op = FW_CMD_APPEND, .chain = chain };
	struct words ws = { 0 };
	uint64_t pk = 0, by = 0;
	bool has = false;

	c.loc = node_loc(st, n);
	/* the words there are still go through the parser, for its errors */
	if (rule_words(st, n, &ws, &pk, &by, &has))
		send = false;
	c.rule = fw_rule_new(st->family);
	c.rule->loc = c.loc;
	if (fw_spec_parse(c.rule, ws.w, ws.n, st->errs)) {
		st->bad = -1;
	} else {
		if (has && st->flags & FW_P_COUNTERS) {
			c.rule->pkts = pk;
			c.rule->bytes = by;
			c.rule->has |= FW_HAS_COUNTERS;
		}
		if (send)
			emit(st, &c);
	}
	fw_rule_free(c.rule);
	words_release(&ws);
}

/* A chain of the table: its name, its "rules" node, whether it is valid. */
struct ychain_in {
	char *name;
	const struct ynode *rules;
	bool ok;
};

/* The policy of a chain into c->arg (allocated); 0 or -1. */
static int chain_policy(struct ystate *st, const struct ynode *pol,
			const struct fw_builtin *b, struct fw_cmd *c)
{
	char *s = scalar(st, pol, "a policy");

	if (!s)
		return -1;
	if (!b) {
		yerr(st, pol, "chain '%s' is not a built-in chain: it has no "
		     "policy", c->chain);
	} else if (strcmp(s, "ACCEPT") && strcmp(s, "DROP")) {
		yerr(st, pol, "bad policy '%s' (ACCEPT or DROP)", s);
	} else {
		free((char *)c->arg);
		c->arg = s;
		c->arg_loc = node_loc(st, pol);
		return 0;
	}
	free(s);
	return -1;
}

/* policy, counters, rules of one chain; emits its CHAIN command. */
static void one_chain(struct ystate *st, const struct ynode *key,
		      const struct ynode *n, struct ychain_in *ci)
{
	struct fw_cmd c = { .op = FW_CMD_CHAIN, .chain = ci->name };
	const struct fw_builtin *b = fw_builtin_find(st->table, ci->name);
	struct yiter it = yiter(st, n);
	const struct ynode *k, *v;
	const char *why, *name;
	bool pol = false;
	int rc = 0;

	c.loc = node_loc(st, key);
	if (!b && (why = fw_chain_name_invalid(ci->name, st->family)))
		rc = yerr(st, key, "%s ('%s')", why, ci->name);
	if (!is_null(st, n) &&
	    !mapping(st, n, "a chain", "policy, counters, rules"))
		return;
	while (n->type == Y_MAP && next_pair(&it, &k, &v)) {
		name = k->type == Y_SCALAR ? text(st, k) : "";
		if (!strcmp(name, "policy")) {
			rc |= chain_policy(st, v, b, &c);
			pol = true;
		} else if (!strcmp(name, "counters")) {
			rc |= counters(st, v, &c.pkts, &c.bytes);
			c.counters = true;
		} else if (!strcmp(name, "rules")) {
			ci->rules = v;
		} else {
			rc = yerr(st, k, "unknown key '%s' in a chain (policy, "
				  "counters, rules)", name);
		}
	}
	if (ci->rules && !is_null(st, ci->rules) && ci->rules->type != Y_SEQ) {
		rc = yerr(st, ci->rules, "rules must be a sequence");
		ci->rules = NULL;
	}
	ci->ok = !rc;
	/* a built-in chain with neither is only where rules go (as "-A") */
	if (!rc && (!b || pol || c.counters)) {
		if (!c.arg)
			c.arg = xstrdup("-");
		emit(st, &c);
	}
	free((char *)c.arg);
}

/* A table: TABLE, every chain's CHAIN, the rules chain by chain, COMMIT. */
static void one_table(struct ystate *st, const struct ynode *key,
		      const struct ynode *n)
{
	struct fw_cmd c = { .op = FW_CMD_TABLE };
	struct ychain_in *chains;
	struct yiter it = yiter(st, n), rules;
	const struct ynode *k, *v, *r;
	size_t nc = 0, i;

	c.loc = node_loc(st, key);
	if (is_plain(st, n, "incompatible"))
		return;		/* as the text form: only a comment */
	if (!is_null(st, n) &&
	    !mapping(st, n, "a table", "chains (or 'incompatible')"))
		return;
	emit(st, &c);
	chains = xzalloc(sizeof(*chains) * (n->count / 2 + 1));
	while (n->type == Y_MAP && next_pair(&it, &k, &v)) {
		chains[nc].name = scalar(st, k, "a chain name");
		if (chains[nc].name)
			one_chain(st, k, v, &chains[nc]);
		nc++;
	}
	/* rules of a bad chain are still read, for their errors */
	for (i = 0; i < nc; i++) {
		rules = chains[i].rules ? yiter(st, chains[i].rules)
					: (struct yiter){ st, 0 };
		while (chains[i].name && next_item(&rules, &r))
			one_rule(st, chains[i].name, chains[i].ok, r);
		free(chains[i].name);
	}
	free(chains);
	c.op = FW_CMD_COMMIT;
	emit(st, &c);
}

static void one_family(struct ystate *st, const struct ynode *n)
{
	struct yiter it = yiter(st, n);
	const struct ynode *k, *v;
	char *name;

	if (is_null(st, n) || !mapping(st, n, "a family", "tables"))
		return;
	while (next_pair(&it, &k, &v)) {
		name = scalar(st, k, "a table name");
		if (!name)
			continue;
		if (fw_table_index(name) < 0) {
			yerr(st, k, "unknown table '%s' (mangle, security, raw, "
			     "filter or nat)", name);
		} else if (!st->only || !strcmp(st->only, name)) {
			st->table = fw_table_names[fw_table_index(name)];
			one_table(st, k, v);
		}
		free(name);
	}
}

static void root(struct ystate *st, const struct ynode *n)
{
	struct yiter it = yiter(st, n);
	const struct ynode *k, *v;
	char *name;
	int fam;

	if (is_null(st, n) ||
	    !mapping(st, n, "a ruleset", "families (ipv4, ipv6)"))
		return;
	while (next_pair(&it, &k, &v)) {
		name = scalar(st, k, "a family name");
		if (!name)
			continue;
		fam = !strcmp(name, "ipv4") ? FW_AF_IPV4
		      : !strcmp(name, "ipv6") ? FW_AF_IPV6 : 0;
		if (!fam)
			yerr(st, k, "unknown family '%s' (ipv4 or ipv6)", name);
		free(name);
		if (!fam || (st->in->family == 4 && fam != FW_AF_IPV4) ||
		    (st->in->family == 6 && fam != FW_AF_IPV6))
			continue;
		st->family = fam;
		one_family(st, v);
	}
}

static void index_lines(struct ystate *st)
{
	const char *p = st->in->data, *end = p + st->in->len;
	size_t a = 64, i;

	st->ascii = true;
	for (i = 0; i < st->in->len && st->ascii; i++)
		st->ascii = !(p[i] & 0x80);
	if (st->ascii)
		return;
	st->lines = xmalloc(a * sizeof(*st->lines));
	st->lines[st->nlines++] = 0;
	while ((p = memchr(p, '\n', end - p))) {
		p++;
		if (st->nlines == a) {
			a *= 2;
			st->lines = xrealloc(st->lines, a * sizeof(*st->lines));
		}
		st->lines[st->nlines++] = p - st->in->data;
	}
}

int fw_parse_yaml(const struct fw_input *in, unsigned flags,
		  const char *only_table, fw_cmd_fn fn, void *data,
		  struct fw_errs *errs)
{
	struct ystate st = { .in = in, .flags = flags, .only = only_table,
			     .fn = fn, .data = data, .errs = errs };

	index_lines(&st);
	tree_build(&st);
	if (!st.bad && st.nnodes > 1)
		root(&st, yget(&st, 1));
	tree_release(&st);
	free(st.lines);
	return st.bad;
}
