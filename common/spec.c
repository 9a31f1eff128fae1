/* SPDX-License-Identifier: GPL-2.0-or-later */
/* rule specs: tokenizer and the option parser shared by every front end */
#include "base.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdarg.h>
#include <netdb.h>
#include <string.h>
#include <sys/socket.h>

#include "ext.h"
#include "spec.h"

#define FW_MAX_WORDS 254
#define FW_MAX_WORD 1023

void fw_tokens_release(struct fw_tokens *t)
{
	free(t->w);
	free(t->buf);
	memset(t, 0, sizeof(*t));
}

/* What ends a stretch of a word outside quotes. */
static const bool tok_stop[256] = { [' '] = true, ['\t'] = true,
				    ['"'] = true };

int fw_tokenize(const char *line, size_t len, const struct fw_loc *loc,
		struct fw_tokens *t, struct fw_errs *errs)
{
	struct fw_word *w;
	char *out, *start;
	size_t i = 0;
	int n = 0;
	bool quoted;

	if (!t->w)
		t->w = xmalloc(sizeof(*t->w) * (FW_MAX_WORDS + 1));
	if (t->size < len + 1) {
		free(t->buf);
		t->size = len + 1 > 4096 ? len + 1 : 4096;
		t->buf = xmalloc(t->size);
	}
	w = t->w;
	out = t->buf;
	while (i < len) {
		if (line[i] == ' ' || line[i] == '\t') {
			i++;
			continue;
		}
		if (n == FW_MAX_WORDS) {
			struct fw_loc l = *loc;

			l.col = i + 1;
			return fw_error(errs, &l,
					"too many words on one line (at most %d)",
					FW_MAX_WORDS);
		}
		w[n].loc = *loc;
		w[n].loc.col = i + 1;
		start = out;
		quoted = false;
		for (;;) {
			size_t j = i;

			/* a stretch outside quotes, up to a blank or a quote */
			while (j < len && !tok_stop[(unsigned char)line[j]])
				j++;
			memcpy(out, line + i, j - i);
			out += j - i;
			i = j;
			if (i == len || line[i] != '"')
				break;
			/* quoted: blanks are kept, a backslash takes the next */
			for (quoted = true, i++; i < len && line[i] != '"'; i++) {
				if (line[i] == '\\' && i + 1 < len)
					i++;
				*out++ = line[i];
			}
			if (i == len)
				break;
			quoted = false;
			i++;
		}
		*out = '\0';
		w[n].loc.len = i + 1 - w[n].loc.col;
		if (quoted)
			return fw_error(errs, &w[n].loc, "unterminated quote");
		if ((size_t)(out - start) > FW_MAX_WORD)
			return fw_error(errs, &w[n].loc,
					"word too long (%zu bytes, at most %d)",
					(size_t)(out - start), FW_MAX_WORD);
		out++;
		w[n].s = start;
		n++;
	}
	return n;
}

/* Addresses. */

#ifdef FW_FUZZING
bool fw_no_resolver = true;
#else
bool fw_no_resolver;
#endif

static int mask_from_prefix(unsigned prefix, uint8_t *m, unsigned len)
{
	if (prefix > len * 8)
		return -1;
	fw_mask_from_prefix(m, prefix);
	return 0;
}

static int parse_mask(const char *s, int family, uint8_t *m)
{
	unsigned len = fw_addr_len(family);
	unsigned long n;
	char *end;

	if (strchr(s, family == FW_AF_IPV6 ? ':' : '.'))
		return inet_pton(family == FW_AF_IPV6 ? AF_INET6 : AF_INET, s,
				 m) == 1 ? 0 : -1;
	if (!isdigit((unsigned char)*s))
		return -1;
	n = strtoul(s, &end, 10);
	if (*end)
		return -1;
	return mask_from_prefix(n, m, len);
}

/* Append every address host resolves to. 0, or -1 if none. */
static int resolve(const char *host, int family, struct fw_addr **list,
		   unsigned *n, const uint8_t *mask)
{
	struct addrinfo hints = { 0 }, *res, *p;
	struct fw_addr *a;

	/*
	 * A name must have a letter: "10.0.0.300" is a bad address, not a
	 * host to look up. Fuzzing and seed replays never ask the resolver.
	 */
	if (!strpbrk(host, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"))
		return -1;
	if (fw_no_resolver)
		return -1;
	hints.ai_family = family == FW_AF_IPV6 ? AF_INET6 : AF_INET;
	hints.ai_socktype = SOCK_RAW;
	if (getaddrinfo(host, NULL, &hints, &res))
		return -1;
	for (p = res; p; p = p->ai_next) {
		*list = xrealloc(*list, (*n + 1) * sizeof(**list));
		a = &(*list)[(*n)++];
		memset(a, 0, sizeof(*a));
		memcpy(a->m, mask, 16);
		if (family == FW_AF_IPV6)
			memcpy(a->a, &((struct sockaddr_in6 *)p->ai_addr)->sin6_addr, 16);
		else
			memcpy(a->a, &((struct sockaddr_in *)p->ai_addr)->sin_addr, 4);
	}
	freeaddrinfo(res);
	return 0;
}

/* One item of a list: "ADDR[/MASK]" or "HOST[/MASK]"; appends to list. */
static int parse_item(const char *s, size_t len, int family,
		      struct fw_addr **list, unsigned *n, struct fw_errs *errs,
		      const struct fw_loc *loc)
{
	unsigned alen = fw_addr_len(family);
	char item[256], *slash;
	uint8_t mask[16], addr[16] = { 0 };
	struct fw_addr *a;

	if (len == 0 || len >= sizeof(item))
		return fw_error(errs, loc, "invalid address '%.*s'", (int)len, s);
	memcpy(item, s, len);
	item[len] = '\0';
	slash = strrchr(item, '/');
	if (slash)
		*slash++ = '\0';
	if (!*item)
		return fw_error(errs, loc, "invalid address '%.*s'", (int)len, s);
	if (slash ? parse_mask(slash, family, mask)
		  : mask_from_prefix(alen * 8, mask, alen))
		return fw_error(errs, loc, "invalid mask '%s'", slash);
	if (inet_pton(family == FW_AF_IPV6 ? AF_INET6 : AF_INET, item,
		      addr) != 1 && !(family == FW_AF_IPV4 &&
				      !strcmp(item, "any"))) {
		if (resolve(item, family, list, n, mask))
			return fw_error(errs, loc, "host/network '%s' not found",
					item);
		return 0;
	}
	*list = xrealloc(*list, (*n + 1) * sizeof(**list));
	a = &(*list)[(*n)++];
	memcpy(a->a, addr, 16);
	memcpy(a->m, mask, 16);
	return 0;
}

int fw_addr_parse_list(const char *s, int family, struct fw_addr **list,
		       unsigned *n, struct fw_errs *errs,
		       const struct fw_loc *loc)
{
	unsigned alen = fw_addr_len(family), i, k;
	const char *comma;

	*list = NULL;
	*n = 0;
	for (;;) {
		comma = strchr(s, ',');
		if (parse_item(s, comma ? (size_t)(comma - s) : strlen(s), family,
			       list, n, errs, loc)) {
			free(*list);
			*list = NULL;
			return -1;
		}
		if (!comma)
			break;
		s = comma + 1;
	}
	for (i = 0; i < *n; i++)
		for (k = 0; k < alen; k++)
			(*list)[i].a[k] &= (*list)[i].m[k];
	return 0;
}

int fw_addr_parse(const char *s, int family, struct fw_addr *a,
		  struct fw_errs *errs, const struct fw_loc *loc)
{
	struct fw_addr *list;
	unsigned n;

	if (fw_addr_parse_list(s, family, &list, &n, errs, loc))
		return -1;
	if (n != 1) {
		free(list);
		return fw_error(errs, loc, "'%s' names %u addresses, one is "
				"needed here", s, n);
	}
	*a = list[0];
	free(list);
	return 0;
}

/* Names that a user chain may not take (iptables' standard targets). */
static const char *const reserved_chains[] = {
	"ACCEPT", "DROP", "QUEUE", "RETURN", NULL,
};

const char *fw_chain_name_invalid(const char *name, int family)
{
	const char *const *r;
	const char *p;

	if (!*name)
		return "chain name is empty";
	if (strlen(name) > 28)
		return "chain name too long (at most 28 characters)";
	if (*name == '-' || *name == '!')
		return "chain name may not start with '-' or '!'";
	for (p = name; *p; p++)
		if (isspace((unsigned char)*p))
			return "chain name may not contain white space";
	/* saved as it is, it would not load again (found by fuzzing) */
	if (strpbrk(name, "\"\\"))
		return "chain name may not contain '\"' or '\\'";
	for (r = reserved_chains; *r; r++)
		if (!strcmp(*r, name))
			return "chain name may not clash with target name";
	if (fw_ext_find(name, FW_EXT_TARGET, family))
		return "chain name may not clash with target name";
	return NULL;
}

/* The base options. */

enum base_opt {
	B_SRC, B_DST, B_IN, B_OUT, B_PROTO, B_FRAG, B_JUMP, B_GOTO, B_MATCH,
	B_COUNTERS, B_IPV4, B_IPV6,
};

static const struct {
	char short_name;
	const char *long_name[3];
	uint8_t nargs;
	bool inv;
} base_opts[] = {
	[B_SRC] = { 's', { "source", "src" }, 1, true },
	[B_DST] = { 'd', { "destination", "dst" }, 1, true },
	[B_IN] = { 'i', { "in-interface" }, 1, true },
	[B_OUT] = { 'o', { "out-interface" }, 1, true },
	[B_PROTO] = { 'p', { "protocol" }, 1, true },
	[B_FRAG] = { 'f', { "fragment" }, 0, true },
	[B_JUMP] = { 'j', { "jump" }, 1, false },
	[B_GOTO] = { 'g', { "goto" }, 1, false },
	[B_MATCH] = { 'm', { "match" }, 1, false },
	[B_COUNTERS] = { 'c', { "set-counters" }, 1, false },
	[B_IPV4] = { '4', { "ipv4" }, 0, false },
	[B_IPV6] = { '6', { "ipv6" }, 0, false },
};

/* The parser's state over one rule. */
struct spec {
	struct fw_rule *r;
	struct fw_errs *errs;
	const struct fw_word *w;
	unsigned n, i;
	int bad;
};

/* Look a long option up among the base options: exact, or unique prefix. */
static int base_long(const char *name, size_t len)
{
	int found = -1, k;
	size_t j;

	for (j = 0; j < FW_ARRAY_SIZE(base_opts); j++) {
		for (k = 0; k < 3 && base_opts[j].long_name[k]; k++) {
			switch (fw_opt_fit(base_opts[j].long_name[k], name,
					   len)) {
			case FW_OPT_FIT_EXACT:
				return j;
			case FW_OPT_FIT_PREFIX:
				found = found == -1 || found == (int)j ? (int)j
								       : -2;
				break;
			}
		}
	}
	return found;
}

static int word_error(struct spec *s, const struct fw_word *w,
		      const char *fmt, ...) FW_PRINTF(3, 4);

static int word_error(struct spec *s, const struct fw_word *w,
		      const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fw_verror(s->errs, &w->loc, fmt, ap);
	va_end(ap);
	s->bad = -1;
	return -1;
}

/* Take the next word as an argument of the option at word w. */
static const char *next_arg(struct spec *s, const struct fw_word *w,
			    const char *opt)
{
	if (s->i >= s->n) {
		word_error(s, w, "option '%s' requires an argument", opt);
		return NULL;
	}
	return s->w[s->i++].s;
}

static bool has_control(const char *p)
{
	for (; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			return true;
	return false;
}

static int set_iface(struct spec *s, const struct fw_word *w,
		     const char *arg, bool in, bool inv)
{
	struct fw_rule *r = s->r;
	char *dst = in ? r->iniface : r->outiface;
	size_t len = strlen(arg);

	if (len == 0 || len >= IFNAMSIZ)
		return word_error(s, w, "interface name '%s' must be 1 to 15 "
				  "characters", arg);
	/* the kernel allows neither; iptables only warns and saves junk */
	if (strpbrk(arg, " /\t\n\"\\") || has_control(arg))
		return word_error(s, w, "interface name '%s' has a character "
				  "no interface name can have", arg);
	memcpy(dst, arg, len + 1);
	r->has |= in ? FW_HAS_IN : FW_HAS_OUT;
	if (inv)
		r->inv |= in ? FW_INV_IN : FW_INV_OUT;
	if (!inv && !strcmp(arg, "+"))
		r->has |= in ? FW_IN_ANY : FW_OUT_ANY;
	return 0;
}

static int set_counters(struct spec *s, const struct fw_word *w,
			const char *arg)
{
	const char *comma = strchr(arg, ',');
	unsigned long long p, b;
	char *end;

	if (comma) {
		if (comma == arg || !comma[1])
			return word_error(s, w, "invalid counters '%s'", arg);
		p = strtoull(arg, &end, 10);
		if (end != comma)
			return word_error(s, w, "invalid counters '%s'", arg);
		b = strtoull(comma + 1, &end, 10);
		if (*end)
			return word_error(s, w, "invalid counters '%s'", arg);
	} else {
		const char *bytes;

		p = strtoull(arg, &end, 10);
		if (!*arg || *end || !isdigit((unsigned char)*arg))
			return word_error(s, w, "invalid packet counter '%s'",
					  arg);
		bytes = next_arg(s, w, "-c");
		if (!bytes)
			return -1;
		b = strtoull(bytes, &end, 10);
		if (!*bytes || *end || !isdigit((unsigned char)*bytes))
			return word_error(s, &s->w[s->i - 1],
					  "invalid byte counter '%s'", bytes);
	}
	s->r->pkts = p;
	s->r->bytes = b;
	s->r->has |= FW_HAS_COUNTERS;
	return 0;
}

static int set_target(struct spec *s, const struct fw_word *w,
		      const char *arg, bool go)
{
	static const struct {
		const char *name;
		enum fw_verdict v;
	} std[] = {
		{ "ACCEPT", FW_V_ACCEPT }, { "DROP", FW_V_DROP },
		{ "RETURN", FW_V_RETURN },
	};
	struct fw_rule *r = s->r;
	const struct fw_ext *e;
	size_t i;

	if (r->verdict != FW_V_NONE)
		return word_error(s, w, "more than one target ('%s')", arg);
	for (i = 0; !go && i < FW_ARRAY_SIZE(std); i++) {
		if (!strcmp(arg, std[i].name)) {
			r->verdict = std[i].v;
			return 0;
		}
	}
	e = go ? NULL : fw_ext_find(arg, FW_EXT_TARGET, r->family);
	if (e) {
		r->verdict = FW_V_EXT;
		r->target = fw_xt_new(e, &w->loc);
		if (e->init)
			e->init(r->target, r);
		return 0;
	}
	if (fw_chain_name_invalid(arg, r->family) || !strcmp(arg, "QUEUE"))
		return word_error(s, w, "invalid target name '%s'", arg);
	r->verdict = go ? FW_V_GOTO : FW_V_JUMP;
	r->chain = xstrdup(arg);
	return 0;
}

static int add_match(struct spec *s, const struct fw_word *w, const char *arg)
{
	const struct fw_ext *e = fw_ext_find(arg, FW_EXT_MATCH, s->r->family);
	struct fw_xt *x;

	if (!e)
		return word_error(s, w, "unknown match '%s'", arg);
	x = fw_xt_new(e, &w->loc);
	if (e->init)
		e->init(x, s->r);
	fw_rule_add_match(s->r, x);
	return 0;
}

static int set_addr(struct spec *s, const struct fw_word *w, const char *arg,
		    bool src)
{
	struct fw_rule *r = s->r;
	struct fw_addr *list;
	unsigned n;

	if (fw_addr_parse_list(arg, r->family, &list, &n, s->errs, &w->loc))
		return -1;
	*(src ? &r->src : &r->dst) = list[0];
	r->has |= src ? FW_HAS_SRC : FW_HAS_DST;
	if (n == 1) {
		free(list);
		return 0;
	}
	if (src) {
		r->src_list = list;
		r->nsrc = n;
	} else {
		r->dst_list = list;
		r->ndst = n;
	}
	return 0;
}

static int base_option(struct spec *s, int opt, const struct fw_word *w,
		       const char *arg, bool inv)
{
	struct fw_rule *r = s->r;

	if (!arg && opt != B_FRAG && opt != B_IPV4 && opt != B_IPV6)
		FW_BUG("option '%s' without its argument", w->s);

	switch (opt) {
	case B_SRC:
	case B_DST:
		if (r->has & (opt == B_SRC ? FW_HAS_SRC : FW_HAS_DST))
			return word_error(s, w, "address given twice ('%s')", arg);
		if (set_addr(s, w, arg, opt == B_SRC))
			return s->bad = -1;
		if (inv)
			r->inv |= opt == B_SRC ? FW_INV_SRC : FW_INV_DST;
		return 0;
	case B_IN:
	case B_OUT:
		return set_iface(s, w, arg, opt == B_IN, inv);
	case B_PROTO:
		if (r->has & FW_HAS_PROTO)
			return word_error(s, w, "protocol given twice ('%s')", arg);
		if (fw_proto_parse(arg, &r->proto))
			return word_error(s, w, "unknown protocol '%s'", arg);
		if (inv && r->proto == 0)
			return word_error(s, w, "rule would never match protocol "
					  "'%s'", arg);
		r->has |= FW_HAS_PROTO;
		if (inv)
			r->inv |= FW_INV_PROTO;
		return 0;
	case B_FRAG:
		if (r->family == FW_AF_IPV6)
			return word_error(s, w, "'%s' is not available for IPv6",
					  "-f");
		r->has |= FW_HAS_FRAG;
		if (inv)
			r->inv |= FW_INV_FRAG;
		return 0;
	case B_JUMP:
	case B_GOTO:
		return set_target(s, w, arg, opt == B_GOTO);
	case B_MATCH:
		return add_match(s, w, arg);
	case B_COUNTERS:
		return set_counters(s, w, arg);
	}
	return 0;
}

/* The match name that "-p NAME" loads implicitly for unknown options. */
static const struct fw_ext *proto_ext(const struct fw_rule *r)
{
	const char *name;

	if (!(r->has & FW_HAS_PROTO) || !r->proto)
		return NULL;
	if (r->proto == 58)
		name = "icmp6";
	else if (r->proto == 135)
		name = "mh";
	else
		name = fw_proto_name(r->proto);
	return name ? fw_ext_find(name, FW_EXT_MATCH, r->family) : NULL;
}

/* Find the ext instance an option belongs to: newest first, target first. */
static struct fw_xt *claim(struct spec *s, const char *name, size_t len,
			   const struct fw_opt **o, bool *ambiguous)
{
	struct fw_xt *x, *found = NULL;

	if (s->r->target && (*o = fw_ext_opt(s->r->target->ext, name, len,
					  ambiguous)))
		return s->r->target;
	for (x = s->r->matches; x; x = x->next) {
		const struct fw_opt *mo = fw_ext_opt(x->ext, name, len, ambiguous);

		if (mo) {
			found = x;
			*o = mo;
		}
	}
	return found;
}

/*
 * getopt_long takes an exact name over a prefix: an ext's "--set" (the
 * set match) wins over the base option "--set-counters" (opt).
 */
static bool ext_exact(struct spec *s, int opt, const char *name, size_t len)
{
	const struct fw_opt *o = NULL;
	bool ambiguous = false;
	int k;

	for (k = 0; k < 3 && base_opts[opt].long_name[k]; k++)
		if (strlen(base_opts[opt].long_name[k]) == len)
			return false;
	return claim(s, name, len, &o, &ambiguous) && strlen(o->name) == len;
}

static int ext_option(struct spec *s, const struct fw_word *w,
		      const char *name, size_t len, const char *eqarg,
		      bool inv)
{
	const struct fw_opt *o = NULL;
	bool ambiguous = false;
	struct fw_xt *x = claim(s, name, len, &o, &ambiguous);
	const struct fw_ext *pe;
	char *argv[2] = { NULL, NULL };
	struct fw_pctx p;
	unsigned k;

	if (!x && !ambiguous && (pe = proto_ext(s->r)) &&
	    !fw_rule_find_match(s->r, pe)) {
		add_match(s, w, pe->name);
		x = claim(s, name, len, &o, &ambiguous);
	}
	if (!x)
		return word_error(s, w, ambiguous ? "ambiguous option '%s'"
					    : "unknown option '%s'", w->s);
	if (inv && !(o->flags & FW_OPT_INV))
		return word_error(s, w, "option '%s' cannot be inverted", w->s);
	if ((x->seen >> o->id & 1) && !(o->flags & FW_OPT_MULTI))
		return word_error(s, w, "option '%s' given twice", w->s);
	for (k = 0; k < o->nargs; k++) {
		if (k == 0 && eqarg) {
			argv[0] = (char *)eqarg;
			continue;
		}
		if (o->flags & FW_OPT_OPTARG &&
		    (s->i >= s->n || s->w[s->i].s[0] == '-' ||
		     !strcmp(s->w[s->i].s, "!")))
			break;
		if (!(argv[k] = (char *)next_arg(s, w, w->s)))
			return -1;
	}
	x->seen |= 1ull << o->id;
	/* value errors point at the value when it is a word of its own */
	if (o->nargs && argv[0] && !eqarg && s->i > 0 &&
	    s->w[s->i - o->nargs].s == argv[0])
		w = &s->w[s->i - o->nargs];
	p = (struct fw_pctx){ .errs = s->errs, .loc = &w->loc, .rule = s->r,
			      .xt = x, .inv = inv };
	if (x->ext->parse(&p, o, argv))
		return s->bad = -1;
	return 0;
}

/* "-x", "-xVALUE", "--long", "--long=VALUE", or an ext's "--opt". */
static int one_option(struct spec *s, const struct fw_word *w, bool inv)
{
	const char *word = w->s, *arg = NULL, *eq;
	size_t j;
	int opt = -1;

	if (word[0] == '-' && word[1] && word[1] != '-') {
		for (j = 0; j < FW_ARRAY_SIZE(base_opts) && opt < 0; j++)
			if (base_opts[j].short_name == word[1])
				opt = j;
		if (opt < 0)
			return word_error(s, w, "unknown option '%s'", word);
		if (word[2])
			arg = word + 2;
	} else if (word[0] == '-' && word[1] == '-' && word[2]) {
		eq = strchr(word, '=');
		j = eq ? (size_t)(eq - word - 2) : strlen(word + 2);
		opt = base_long(word + 2, j);
		if (opt < 0 || opt == -2 || ext_exact(s, opt, word + 2, j))
			return ext_option(s, w, word + 2, j, eq ? eq + 1 : NULL,
					  inv);
		arg = eq ? eq + 1 : NULL;
	} else {
		return word_error(s, w, "unexpected word '%s'", word);
	}
	if (inv && !base_opts[opt].inv)
		return word_error(s, w, "option '%s' cannot be inverted", word);
	if (base_opts[opt].nargs == 0 && arg)
		return word_error(s, w, "option '%s' takes no argument", word);
	if (base_opts[opt].nargs && !arg) {
		if (!(arg = next_arg(s, w, word)))
			return -1;
		w = &s->w[s->i - 1];	/* errors point at the value */
	}
	return base_option(s, opt, w, arg, inv);
}

static int check_all(struct spec *s)
{
	struct fw_pctx p = { .errs = s->errs, .rule = s->r };
	struct fw_xt *x;

	for (x = s->r->matches; x; x = x->next) {
		p.xt = x;
		p.loc = &x->loc;
		if (x->ext->check && x->ext->check(&p))
			s->bad = -1;
	}
	if ((x = s->r->target)) {
		p.xt = x;
		p.loc = &x->loc;
		if (x->ext->check && x->ext->check(&p))
			s->bad = -1;
	}
	return s->bad;
}

int fw_spec_parse(struct fw_rule *r, const struct fw_word *words, unsigned n,
		  struct fw_errs *errs)
{
	struct spec s = { .r = r, .errs = errs, .w = words, .n = n };
	const struct fw_word *w;
	bool inv = false;

	while (s.i < s.n) {
		w = &s.w[s.i++];
		if (!strcmp(w->s, "!")) {
			if (inv)
				return word_error(&s, w, "multiple '%s' flags not "
						  "allowed", "!");
			inv = true;
			continue;
		}
		if (one_option(&s, w, inv))
			return -1;
		inv = false;
	}
	if (inv)
		return word_error(&s, &s.w[s.n - 1], "'%s' at the end of the rule",
				  "!");
	return check_all(&s);
}
