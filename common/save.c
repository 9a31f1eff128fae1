/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fw_save(): dump tables chain by chain, decode, print as iptables-nft-save */
#include "base.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>

#include <linux/netfilter.h>
#include <libnftnl/chain.h>
#include <libnftnl/rule.h>
#include <libnftnl/table.h>

#include "cmd.h"
#include "codec.h"
#include "nl.h"
#include "nlmsg.h"
#include "print.h"
#include "save.h"
#include "yaml.h"

/* One chain of a table as dumped. */
struct schain {
	char *name;
	const struct fw_builtin *builtin;	/* NULL: user chain */
	bool base, has_counters;
	uint32_t policy;
	uint64_t pkts, bytes;
};

struct sstate {
	const struct fw_save_opts *o;
	struct fw_errs *errs;
	struct fw_nl *nl;
	struct fw_save_sink *sink;
	FILE *out;
	struct fw_buf b;
	int family;
	const char *table;
	struct schain *chains;
	unsigned nchains, achains;
	bool tainted, foreign;
	bool intr;		/* a dump was interrupted by a change */
	int rc;
	/*
	 * Streaming: with a regular file as output, text goes out in chunks
	 * as rules arrive (memory stays flat); a table that turns out
	 * incompatible or fails is cut off again at table_off. Other outputs
	 * get each table whole, as the sink contract says.
	 */
	bool stream;
	off_t table_off;
	/* --timing, in nanoseconds */
	uint64_t t_start, t_dump, t_dump_kernel, t_print, t_write;
	unsigned nrules;
};

/* Dumps of a table interrupted by concurrent changes: tries at most. */
#define FW_SAVE_TRIES 16

/* Streamed output is written out in pieces of about this size. */
#define FW_SAVE_CHUNK (64u << 10)

/* The text sink. */

static void text_header(struct fw_save_sink *s, struct fw_buf *b,
			const char *what)
{
	time_t now;
	char date[64];

	if (s->flags & FW_S_NO_COMMENTS)
		return;
	if (s->flags & FW_S_NO_TIMESTAMP) {
		fw_buf_addf(b, "# %s by %s\n", what, s->progname);
		return;
	}
	now = time(NULL);
	ctime_r(&now, date);
	fw_buf_addf(b, "# %s by %s on %s", what, s->progname, date);
}

static void text_table(struct fw_save_sink *s, struct fw_buf *b,
		       const char *table, bool tainted)
{
	if (tainted && !(s->flags & FW_S_NO_COMMENTS))
		fw_buf_addf(b, "# Table `%s' contains incompatible base-chains, "
			    "use 'nft' tool to list them.\n", table);
	text_header(s, b, "Generated");
	fw_buf_addf(b, "*%s\n", table);
}

static void text_chain(struct fw_save_sink *s, struct fw_buf *b,
		       const char *chain, const char *policy, uint64_t pkts,
		       uint64_t bytes)
{
	fw_buf_addf(b, ":%s %s [%llu:%llu]\n", chain, policy,
		    (unsigned long long)pkts, (unsigned long long)bytes);
}

static void text_rule(struct fw_save_sink *s, struct fw_buf *b,
		      const char *chain, const struct fw_rule *r)
{
	/* no printf: this runs for every rule */
	if (s->flags & FW_S_COUNTERS) {
		fw_buf_addch(b, '[');
		fw_buf_addu(b, r->pkts);
		fw_buf_addch(b, ':');
		fw_buf_addu(b, r->bytes);
		fw_buf_addstr(b, "] ");
	}
	fw_buf_addstr(b, "-A ");
	fw_buf_addstr(b, chain);
	fw_rule_print(r, b);
	fw_buf_addch(b, '\n');
}

static void text_table_end(struct fw_save_sink *s, struct fw_buf *b)
{
	fw_buf_addstr(b, "COMMIT\n");
	text_header(s, b, "Completed");
}

static void text_incompatible(struct fw_save_sink *s, struct fw_buf *b,
			      const char *table)
{
	fw_buf_addf(b, "# Table `%s' is incompatible, use 'nft' tool.\n",
		    table);
}

void fw_text_sink_init(struct fw_save_sink *s, unsigned flags,
		       const char *progname)
{
	memset(s, 0, sizeof(*s));
	s->table = text_table;
	s->chain = text_chain;
	s->rule = text_rule;
	s->table_end = text_table_end;
	s->incompatible = text_incompatible;
	s->flags = flags;
	s->progname = progname ? progname : "fw-save";
}

/* Chains. */

static void chains_release(struct sstate *ss)
{
	unsigned i;

	for (i = 0; i < ss->nchains; i++)
		free(ss->chains[i].name);
	free(ss->chains);
	ss->chains = NULL;
	ss->nchains = ss->achains = 0;
}

static bool builtin_matches(const struct fw_builtin *b,
			    const struct nftnl_chain *nc)
{
	const char *type = nftnl_chain_get_str(nc, NFTNL_CHAIN_TYPE);

	return b && nftnl_chain_get_u32(nc, NFTNL_CHAIN_HOOKNUM) ==
		    (uint32_t)b->hook &&
	       nftnl_chain_get_s32(nc, NFTNL_CHAIN_PRIO) == b->prio &&
	       type && !strcmp(type, b->type);
}

static int chain_cb(const struct nftnl_chain *nc, void *data)
{
	struct sstate *ss = data;
	const char *name = nftnl_chain_get_str(nc, NFTNL_CHAIN_NAME);
	bool base = nftnl_chain_is_set(nc, NFTNL_CHAIN_HOOKNUM);
	const struct fw_builtin *b = fw_builtin_find(ss->table, name);
	struct schain *c;

	if (base && !builtin_matches(b, nc)) {
		ss->tainted = true;
		return 0;
	}
	if (ss->nchains == ss->achains) {
		ss->achains = ss->achains ? ss->achains * 2 : 16;
		ss->chains = xrealloc(ss->chains,
				      ss->achains * sizeof(*ss->chains));
	}
	c = &ss->chains[ss->nchains++];
	memset(c, 0, sizeof(*c));
	c->name = xstrdup(name);
	c->base = base;
	c->builtin = base ? b : NULL;
	c->policy = base ? nftnl_chain_get_u32(nc, NFTNL_CHAIN_POLICY) : 0;
	c->has_counters = nftnl_chain_is_set(nc, NFTNL_CHAIN_PACKETS);
	c->pkts = nftnl_chain_get_u64(nc, NFTNL_CHAIN_PACKETS);
	c->bytes = nftnl_chain_get_u64(nc, NFTNL_CHAIN_BYTES);
	return 0;
}

static int cmp_user(const void *a, const void *b)
{
	const struct schain *x = a, *y = b;

	if (!!x->base != !!y->base)
		return x->base ? -1 : 1;
	if (x->base)
		return x->builtin->hook - y->builtin->hook;
	return strcmp(x->name, y->name);
}

static const struct schain *find_chain(struct sstate *ss, const char *name)
{
	unsigned i;

	for (i = 0; i < ss->nchains; i++)
		if (ss->chains[i].base && !strcmp(ss->chains[i].name, name))
			return &ss->chains[i];
	return NULL;
}

/* Output. */

/* How long this thread waited for the kernel so far. */
static uint64_t kernel_ns(const struct sstate *ss)
{
	struct fw_nl_stats st;

	fw_nl_get_stats(ss->nl, &st);
	return st.wait_ns;
}

static void flush_out(struct sstate *ss)
{
	uint64_t t0 = fw_now_ns();

	if (ss->b.len)
		fwrite(ss->b.buf, 1, ss->b.len, ss->out);
	fw_buf_reset(&ss->b);
	ss->t_write += fw_now_ns() - t0;
}

/* Can the output be cut back to where a table started? */
static bool can_stream(FILE *out)
{
	struct stat st;

	return fstat(fileno(out), &st) == 0 && S_ISREG(st.st_mode) &&
	       ftello(out) >= 0;
}

/* Forget what was printed of the current table (incompatible, failed). */
static void unwind_table(struct sstate *ss)
{
	fw_buf_reset(&ss->b);
	if (!ss->stream || ftello(ss->out) == ss->table_off)
		return;
	if (fflush(ss->out) || ftruncate(fileno(ss->out), ss->table_off) ||
	    fseeko(ss->out, ss->table_off, SEEK_SET)) {
		fw_error(ss->errs, NULL, "cannot take back the output of table "
			 "'%s': %s", ss->table, strerror(errno));
		ss->rc = FW_EXIT_FAILURE;
	}
}

/* Rules. */

struct rule_ctx {
	struct sstate *ss;
	const char *chain;	/* the chain whose rules are coming */
	char where[96];
};

static void rule_ctx_chain(struct rule_ctx *rc, const struct schain *c)
{
	rc->chain = c->name;
	snprintf(rc->where, sizeof(rc->where), "table %s chain %s",
		 rc->ss->table, c->name);
}

static int rule_cb(const struct fw_nlrule *nr, void *data)
{
	struct rule_ctx *rc = data;
	struct sstate *ss = rc->ss;
	struct fw_rule *r;
	int d;

	uint64_t t0;

	if (ss->foreign || ss->rc)
		return 0;
	r = fw_rule_new(ss->family);
	d = fw_rule_decode(nr, r, ss->errs, rc->where);
	if (d == FW_DECODE_FOREIGN) {
		ss->foreign = true;
	} else if (d) {
		ss->rc = FW_EXIT_DECODE;
	} else if (ss->o->flags & FW_S_TIMING) {
		t0 = fw_now_ns();
		ss->sink->rule(ss->sink, &ss->b, rc->chain, r);
		ss->t_print += fw_now_ns() - t0;
		ss->nrules++;
	} else {
		ss->sink->rule(ss->sink, &ss->b, rc->chain, r);
	}
	fw_rule_free(r);
	if (ss->stream && ss->b.len >= FW_SAVE_CHUNK)
		flush_out(ss);
	return 0;
}

/*
 * Chain i's rules are all in: a failed dump, or a table found incompatible
 * or failed, stops the dumps; a chain deleted since the chain list was
 * read has no rules.
 */
static int rules_done(unsigned i, int ret, int err, void *data)
{
	struct rule_ctx *rc = data;
	struct sstate *ss = rc->ss;

	if (ret < 0 && err == EINTR) {
		ss->intr = true;	/* NLM_F_DUMP_INTR: dump it again */
		ss->rc = FW_EXIT_FAILURE;
		return -1;
	}
	if (ret < 0 && err != ENOENT) {
		fw_error(ss->errs, NULL, "cannot dump rules of %s: %s",
			 rc->where, strerror(err));
		ss->rc = FW_EXIT_FAILURE;
		return -1;
	}
	if (ss->foreign || ss->rc)
		return -1;
	if (i + 1 < ss->nchains)
		rule_ctx_chain(rc, &ss->chains[i + 1]);
	return 0;
}

/*
 * The rules of every chain in printing order, as one sequence of dumps:
 * the kernel builds the next chain's while this thread decodes. Every
 * outcome reaches rules_done(), so the result says nothing more.
 */
static void dump_rules(struct sstate *ss)
{
	struct rule_ctx rc = { .ss = ss };
	uint64_t t0 = fw_now_ns(), k0 = kernel_ns(ss);
	const char **names;
	unsigned i;

	if (!ss->nchains)
		return;
	names = xmalloc(ss->nchains * sizeof(*names));
	for (i = 0; i < ss->nchains; i++)
		names[i] = ss->chains[i].name;
	rule_ctx_chain(&rc, &ss->chains[0]);
	fw_nl_dump_rules_of_chains(ss->nl, ss->family, ss->table, names,
				   ss->nchains, rule_cb, rules_done, &rc);
	free(names);
	ss->t_dump += fw_now_ns() - t0;
	ss->t_dump_kernel += kernel_ns(ss) - k0;
}

static void print_chains(struct sstate *ss)
{
	const struct fw_builtin *b;
	const struct schain *c;
	unsigned i;

	for (b = fw_builtins(ss->table); b->name; b++) {
		c = find_chain(ss, b->name);
		ss->sink->chain(ss->sink, &ss->b, b->name,
				c && c->policy == NF_DROP ? "DROP" : "ACCEPT",
				c ? c->pkts : 0, c ? c->bytes : 0);
	}
	for (i = 0; i < ss->nchains; i++)
		if (!ss->chains[i].base)
			ss->sink->chain(ss->sink, &ss->b, ss->chains[i].name, "-",
					ss->chains[i].pkts, ss->chains[i].bytes);
}

/* One table: chain list, then rules chain by chain. in_kernel: it exists. */
static int save_table(struct sstate *ss, const char *table, bool in_kernel)
{
	int err;

	ss->table = table;
	ss->tainted = ss->foreign = false;
	if (ss->stream) {
		flush_out(ss);
		ss->table_off = ftello(ss->out);
	}
	if (in_kernel && fw_nl_dump_chains(ss->nl, ss->family, table, chain_cb,
					   ss) < 0 && errno != ENOENT) {
		err = errno;
		chains_release(ss);
		if (err == EINTR) {
			ss->intr = true;
			return -1;
		}
		return fw_error(ss->errs, NULL, "cannot dump chains of table "
				"'%s': %s", table, strerror(err));
	}
	if (ss->nchains)
		qsort(ss->chains, ss->nchains, sizeof(*ss->chains), cmp_user);
	ss->sink->table(ss->sink, &ss->b, table, ss->tainted);
	print_chains(ss);
	dump_rules(ss);
	chains_release(ss);
	if (ss->rc || ss->foreign)
		unwind_table(ss);
	if (ss->rc)
		return -1;
	if (ss->foreign) {
		ss->sink->incompatible(ss->sink, &ss->b, table);
	} else {
		ss->sink->table_end(ss->sink, &ss->b);
	}
	flush_out(ss);
	return 0;
}

/*
 * A table whose dump a concurrent change interrupted is taken back and
 * dumped again, up to FW_SAVE_TRIES times; then fw-save fails clearly.
 * (iptables-nft-save starts over without bound.)
 */
static int save_table_tries(struct sstate *ss, const char *table,
			    bool in_kernel)
{
	char *prefix = xmemdup(ss->b.buf ? ss->b.buf : "", ss->b.len + 1);
	size_t plen = ss->b.len;
	unsigned tries = 0;
	int rc;

	for (;;) {
		ss->intr = false;
		rc = save_table(ss, table, in_kernel);
		if (!rc || !ss->intr || ++tries >= FW_SAVE_TRIES)
			break;
		/* what a buffered table started with (YAML's family key) */
		ss->rc = 0;
		fw_buf_reset(&ss->b);
		if (!ss->stream)
			fw_buf_add(&ss->b, prefix, plen);
		chains_release(ss);
	}
	free(prefix);
	if (rc && ss->intr)
		fw_error(ss->errs, NULL, "the ruleset kept changing while "
			 "dumping table '%s'; gave up after %u tries", table,
			 tries);
	return rc;
}

static int table_cb(const struct nftnl_table *t, void *data)
{
	unsigned *bits = data;
	int i = fw_table_index(nftnl_table_get_str(t, NFTNL_TABLE_NAME));

	if (i >= 0)
		*bits |= 1u << i;
	return 0;
}

static int save_family(struct sstate *ss, int family)
{
	unsigned tables = 0;
	int i;

	ss->family = family;
	if (fw_nl_dump_tables(ss->nl, family, table_cb, &tables) < 0)
		return fw_error(ss->errs, NULL, "cannot list tables: %s",
				strerror(errno)), FW_EXIT_FAILURE;
	if (ss->sink->family)
		ss->sink->family(ss->sink, &ss->b, family);
	for (i = 0; i < 5; i++) {
		if (ss->o->table && strcmp(ss->o->table, fw_table_names[i]))
			continue;
		if (!ss->o->table && !(tables >> i & 1))
			continue;
		if (save_table_tries(ss, fw_table_names[i], tables >> i & 1))
			return ss->rc ? ss->rc : FW_EXIT_FAILURE;
	}
	return 0;
}

/*
 * --timing, on stderr, one line. kernel: inside the system calls of every
 * request and dump (the kernel builds each dump reply inside sendmsg or
 * recvmsg); waited: how much of that the main thread sat through (less
 * as the rule dumps are read by a second thread while it decodes;
 * pipelined counts those dumps); decode: the rest of the rule dumps
 * (netlink parsing and decoding); print: formatting rules; write: handing
 * the text to stdio.
 */
static void report_timing(struct sstate *ss)
{
	uint64_t total = fw_now_ns() - ss->t_start;
	uint64_t decode = ss->t_dump - ss->t_dump_kernel - ss->t_print -
			  ss->t_write;
	struct fw_nl_stats st;

	fw_nl_get_stats(ss->nl, &st);
	fprintf(stderr, "fw-save: timing: kernel %.3f ms (%u requests, %u rule "
		"dumps, %u family-wide, %u pipelined, %u replies, %llu bytes), "
		"waited %.3f ms, decode %.3f ms, print %.3f ms, write %.3f ms, "
		"total %.3f ms; %u rules, %s\n", st.kernel_ns / 1e6,
		st.requests, st.rule_dumps, st.wide_rule_dumps, st.pipelined,
		st.recvs, (unsigned long long)st.rx_bytes, st.wait_ns / 1e6,
		decode / 1e6, ss->t_print / 1e6, ss->t_write / 1e6,
		total / 1e6, ss->nrules, ss->stream ? "streamed" : "buffered");
}

int fw_save(const struct fw_save_opts *o, FILE *out, struct fw_errs *errs)
{
	struct sstate ss = { .o = o, .errs = errs, .out = out };
	struct fw_save_sink sink;
	int rc = 0;

	ss.t_start = fw_now_ns();
	if (o->table && fw_table_index(o->table) < 0) {
		fw_error(errs, NULL, "table '%s' does not exist", o->table);
		return FW_EXIT_FAILURE;
	}
	if (o->format == FW_FMT_YAML)
		fw_yaml_sink_init(&sink, o->flags, o->progname);
	else
		fw_text_sink_init(&sink, o->flags, o->progname);
	ss.sink = &sink;
	ss.stream = can_stream(out);
	ss.nl = fw_nl_open();
	if (!ss.nl) {
		fw_error(errs, NULL, "cannot open a netlink socket: %s",
			 strerror(errno));
		rc = FW_EXIT_FAILURE;
		goto out;
	}
	if (sink.begin)
		sink.begin(&sink, &ss.b);
	if (o->families & 1 << 4)
		rc = save_family(&ss, FW_AF_IPV4);
	if (!rc && o->families & 1 << 6)
		rc = save_family(&ss, FW_AF_IPV6);
	if (!rc && sink.end)
		sink.end(&sink, &ss.b);
	if (!rc)
		flush_out(&ss);
	if (o->flags & FW_S_TIMING)
		report_timing(&ss);
out:
	if (o->format == FW_FMT_YAML)
		fw_yaml_sink_release(&sink);
	fw_buf_release(&ss.b);
	fw_nl_close(ss.nl);
	if (!rc && fflush(out)) {
		fw_error(errs, NULL, "write error: %s", strerror(errno));
		rc = FW_EXIT_FAILURE;
	}
	return rc;
}
