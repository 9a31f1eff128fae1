/* SPDX-License-Identifier: GPL-2.0-or-later */
/* kernel test of common/nl.c; run only through tests/nl/run.sh (unshare -n) */
#include "base.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <dirent.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>

#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netlink.h>

#include <libnftnl/chain.h>
#include <libnftnl/expr.h>
#include <libnftnl/rule.h>
#include <libnftnl/table.h>

#include "nl.h"
#include "nlmsg.h"

#define FAM NFPROTO_IPV4
#define BIG_N 20000
#define BAD_N 3000

static int failures;

#define CHECK(cond, ...)						\
	do {								\
		if (!(cond)) {						\
			failures++;					\
			printf("FAIL %s:%d: %s: ", __FILE__, __LINE__, #cond); \
			printf(__VA_ARGS__);				\
			printf("\n");					\
		}							\
	} while (0)

/* Errors reported by fw_batch_send(). */
struct errs {
	uint32_t seq[BAD_N + 16];
	int err[BAD_N + 16];
	unsigned n;
};

static void errs_cb(uint32_t seq, int err, void *data)
{
	struct errs *e = data;

	if (e->n < FW_ARRAY_SIZE(e->seq)) {
		e->seq[e->n] = seq;
		e->err[e->n] = err;
	}
	e->n++;
}

static struct nftnl_table *mk_table(const char *name)
{
	struct nftnl_table *t = nftnl_table_alloc();

	nftnl_table_set_str(t, NFTNL_TABLE_NAME, name);
	nftnl_table_set_u32(t, NFTNL_TABLE_FAMILY, FAM);
	return t;
}

static struct nftnl_chain *mk_chain(const char *table, const char *name,
				    int hook)
{
	struct nftnl_chain *c = nftnl_chain_alloc();

	nftnl_chain_set_str(c, NFTNL_CHAIN_TABLE, table);
	nftnl_chain_set_str(c, NFTNL_CHAIN_NAME, name);
	if (hook >= 0) {
		nftnl_chain_set_u32(c, NFTNL_CHAIN_HOOKNUM, (uint32_t)hook);
		nftnl_chain_set_s32(c, NFTNL_CHAIN_PRIO, 0);
		nftnl_chain_set_str(c, NFTNL_CHAIN_TYPE, "filter");
		nftnl_chain_set_u32(c, NFTNL_CHAIN_POLICY, NF_ACCEPT);
	}
	return c;
}

/* counter + immediate verdict (jump target when to != NULL) */
static struct nftnl_rule *mk_rule(const char *table, const char *chain,
				  int verdict, const char *to)
{
	struct nftnl_rule *r = nftnl_rule_alloc();
	struct nftnl_expr *e;

	nftnl_rule_set_str(r, NFTNL_RULE_TABLE, table);
	nftnl_rule_set_str(r, NFTNL_RULE_CHAIN, chain);
	nftnl_rule_add_expr(r, nftnl_expr_alloc("counter"));
	e = nftnl_expr_alloc("immediate");
	nftnl_expr_set_u32(e, NFTNL_EXPR_IMM_DREG, NFT_REG_VERDICT);
	nftnl_expr_set_u32(e, NFTNL_EXPR_IMM_VERDICT, (uint32_t)verdict);
	if (to)
		nftnl_expr_set_str(e, NFTNL_EXPR_IMM_CHAIN, to);
	nftnl_rule_add_expr(r, e);
	return r;
}

static void add_table(struct fw_batch *b, const char *name)
{
	struct nftnl_table *t = mk_table(name);

	fw_batch_table(b, NFT_MSG_NEWTABLE, NLM_F_CREATE, FAM, t);
	nftnl_table_free(t);
}

static void add_chain(struct fw_batch *b, const char *table, const char *name,
		      int hook)
{
	struct nftnl_chain *c = mk_chain(table, name, hook);

	fw_batch_chain(b, NFT_MSG_NEWCHAIN, NLM_F_CREATE, FAM, c);
	nftnl_chain_free(c);
}

static uint32_t add_rule(struct fw_batch *b, const char *chain, int verdict,
			 const char *to)
{
	struct nftnl_rule *r = mk_rule("filter", chain, verdict, to);
	uint32_t seq;

	seq = fw_batch_rule(b, NFT_MSG_NEWRULE, NLM_F_CREATE | NLM_F_APPEND,
			    FAM, r);
	nftnl_rule_free(r);
	return seq;
}

static uint32_t genid(struct fw_nl *nl)
{
	uint32_t g = 0;

	CHECK(fw_nl_genid(nl, &g) == 0, "errno %d", errno);
	return g;
}

/* Send and return the result; errors land in e (reset first). */
static int send(struct fw_nl *nl, struct fw_batch *b, enum fw_batch_mode m,
		struct errs *e)
{
	uint64_t ns = 0;
	int ret;

	memset(e, 0, sizeof(*e));
	ret = fw_batch_send(nl, b, m, errs_cb, e, &ns);
	printf("send %s: %u objects, %zu bytes: ret %d, %u errors, %.3f ms\n",
	       m == FW_BATCH_CHECK ? "check" : "commit", fw_batch_count(b),
	       fw_batch_size(b), ret, e->n, ns / 1e6);
	return ret;
}

/* What a dump saw. */
struct seen {
	unsigned n;
	char names[8][64];
	uint64_t handles[64];
	uint64_t order;		/* of every handle seen, in order */
	int hooked[8];
	int stop_at;		/* cb returns -7 at this count (0: never) */
	struct fw_nl *other;	/* commit on this socket during the dump */
	bool print;
};

static int table_cb(const struct nftnl_table *t, void *data)
{
	struct seen *s = data;
	char buf[512];

	nftnl_table_snprintf(buf, sizeof(buf), t, NFTNL_OUTPUT_DEFAULT, 0);
	printf("  table: %s\n", buf);
	if (s->n < 8)
		snprintf(s->names[s->n], 64, "%s",
			 nftnl_table_get_str(t, NFTNL_TABLE_NAME));
	s->n++;
	return 0;
}

static int chain_cb(const struct nftnl_chain *c, void *data)
{
	struct seen *s = data;
	char buf[512];

	nftnl_chain_snprintf(buf, sizeof(buf), c, NFTNL_OUTPUT_DEFAULT, 0);
	printf("  chain: %s\n", buf);
	if (s->n < 8) {
		snprintf(s->names[s->n], 64, "%s",
			 nftnl_chain_get_str(c, NFTNL_CHAIN_NAME));
		s->hooked[s->n] = nftnl_chain_is_set(c, NFTNL_CHAIN_HOOKNUM);
	}
	s->n++;
	return 0;
}

static void commit_table(struct fw_nl *nl, const char *name);

static int rule_cb(const struct fw_nlrule *m, void *data)
{
	struct seen *s = data;
	struct nftnl_rule *r;
	char buf[1024];

	if (s->print) {
		r = nftnl_rule_alloc();
		if (r && nftnl_rule_nlmsg_parse(m->nlh, r) == 0) {
			nftnl_rule_snprintf(buf, sizeof(buf), r,
					    NFTNL_OUTPUT_DEFAULT, 0);
			printf("  rule: %s\n", buf);
		}
		nftnl_rule_free(r);
	}
	if (s->n < 64)
		s->handles[s->n] = m->handle;
	s->order = s->order * 1000003u + m->handle;
	s->n++;
	if (s->other && s->n == 1)
		commit_table(s->other, "intr");
	if (s->stop_at && (int)s->n == s->stop_at) {
		errno = ECANCELED;	/* what done() is told */
		return -7;
	}
	return 0;
}

static void commit_table(struct fw_nl *nl, const char *name)
{
	struct fw_batch *b = fw_batch_new(0);
	struct errs e;

	add_table(b, name);
	CHECK(send(nl, b, FW_BATCH_COMMIT, &e) == 0, "table %s", name);
	fw_batch_free(b);
}

static unsigned count_rules(struct fw_nl *nl, const char *chain)
{
	struct seen s = { 0 };

	CHECK(fw_nl_dump_rules(nl, FAM, "filter", chain, rule_cb, &s) == 0,
	      "errno %d", errno);
	return s.n;
}

static void test_setup(struct fw_nl *nl)
{
	struct fw_batch *b;
	struct errs e;
	uint32_t g0 = genid(nl);

	b = fw_batch_new(g0);
	add_table(b, "filter");
	add_chain(b, "filter", "INPUT", NF_INET_LOCAL_IN);
	add_chain(b, "filter", "USER", -1);
	add_chain(b, "filter", "EMPTY", -1);
	add_rule(b, "INPUT", NF_ACCEPT, NULL);
	add_rule(b, "INPUT", NFT_JUMP, "USER");
	add_rule(b, "USER", NF_DROP, NULL);
	add_table(b, "other");
	add_chain(b, "other", "X", -1);
	add_table(b, "bare");
	CHECK(fw_batch_count(b) == 10, "count %u", fw_batch_count(b));
	CHECK(send(nl, b, FW_BATCH_COMMIT, &e) == 0 && e.n == 0, "setup");
	CHECK(genid(nl) == g0 + 1, "genid %u after %u", genid(nl), g0);
	fw_batch_free(b);
}

static void test_dumps(struct fw_nl *nl)
{
	struct seen s = { 0 };

	printf("tables:\n");
	CHECK(fw_nl_dump_tables(nl, FAM, table_cb, &s) == 0, "%d", errno);
	CHECK(s.n == 3 && !strcmp(s.names[0], "filter") &&
	      !strcmp(s.names[1], "other") && !strcmp(s.names[2], "bare"),
	      "n %u", s.n);
	memset(&s, 0, sizeof(s));
	CHECK(fw_nl_dump_tables(nl, NFPROTO_IPV6, table_cb, &s) == 0 &&
	      s.n == 0, "ipv6 tables %u", s.n);

	printf("chains of filter:\n");
	memset(&s, 0, sizeof(s));
	CHECK(fw_nl_dump_chains(nl, FAM, "filter", chain_cb, &s) == 0, "errno %d", errno);
	CHECK(s.n == 3 && !strcmp(s.names[0], "INPUT") && s.hooked[0] &&
	      !strcmp(s.names[1], "USER") && !s.hooked[1] &&
	      !strcmp(s.names[2], "EMPTY") && !s.hooked[2], "n %u", s.n);
	printf("chains of all ip tables:\n");
	memset(&s, 0, sizeof(s));
	CHECK(fw_nl_dump_chains(nl, FAM, NULL, chain_cb, &s) == 0 &&
	      s.n == 4, "all chains %u", s.n);
	memset(&s, 0, sizeof(s));
	CHECK(fw_nl_dump_chains(nl, FAM, "bare", chain_cb, &s) == 0 &&
	      s.n == 0, "bare %u", s.n);
	errno = 0;
	CHECK(fw_nl_dump_chains(nl, FAM, "nope", chain_cb, &s) == -1 &&
	      errno == ENOENT, "errno %d", errno);

	printf("rules of filter INPUT:\n");
	memset(&s, 0, sizeof(s));
	s.print = true;
	CHECK(fw_nl_dump_rules(nl, FAM, "filter", "INPUT", rule_cb, &s) == 0,
	      "errno %d", errno);
	CHECK(s.n == 2, "INPUT rules %u", s.n);
	CHECK(count_rules(nl, "USER") == 1, "USER");
	CHECK(count_rules(nl, "EMPTY") == 0, "EMPTY");
	errno = 0;
	CHECK(fw_nl_dump_rules(nl, FAM, "filter", "nope", rule_cb, &s) == -1 &&
	      errno == ENOENT, "errno %d", errno);
	errno = 0;
	CHECK(fw_nl_dump_rules(nl, FAM, "nope", "INPUT", rule_cb, &s) == -1 &&
	      errno == ENOENT, "errno %d", errno);
}

static void test_get_chain(struct fw_nl *nl)
{
	struct seen s = { 0 };

	CHECK(fw_nl_get_chain(nl, FAM, "filter", "INPUT", chain_cb, &s) == 1 &&
	      s.n == 1 && !strcmp(s.names[0], "INPUT") && s.hooked[0], "errno %d", errno);
	CHECK(fw_nl_get_chain(nl, FAM, "filter", "USER", NULL, NULL) == 1, "errno %d", errno);
	CHECK(fw_nl_get_chain(nl, FAM, "filter", "nope", chain_cb, &s) == 0,
	      "errno %d", errno);
	CHECK(fw_nl_get_chain(nl, FAM, "nope", "INPUT", chain_cb, &s) == 0,
	      "errno %d", errno);
	CHECK(fw_nl_get_chain(nl, NFPROTO_IPV6, "filter", "INPUT", NULL,
			      NULL) == 0, "errno %d", errno);
	CHECK(s.n == 1, "cb called for a missing chain");
}

static bool errs_are(const struct errs *e, uint32_t s1, uint32_t s2, int err)
{
	if (e->n != (s2 ? 2u : 1u) || e->seq[0] != s1 || e->err[0] != err)
		return false;
	return !s2 || (e->seq[1] == s2 && e->err[1] == err);
}

/* A batch with jumps to missing chains at bad1 and (optionally) bad2. */
static struct fw_batch *bad_batch(uint32_t g, uint32_t *bad1, uint32_t *bad2)
{
	struct fw_batch *b = fw_batch_new(g);

	add_rule(b, "INPUT", NF_ACCEPT, NULL);
	*bad1 = add_rule(b, "INPUT", NFT_JUMP, "MISSING");
	add_rule(b, "INPUT", NF_ACCEPT, NULL);
	if (bad2)
		*bad2 = add_rule(b, "INPUT", NFT_JUMP, "MISSING2");
	add_rule(b, "INPUT", NF_ACCEPT, NULL);
	return b;
}

static void test_errors(struct fw_nl *nl, enum fw_batch_mode m, bool two)
{
	uint32_t g = genid(nl), bad1, bad2 = 0;
	struct fw_batch *b = bad_batch(g, &bad1, two ? &bad2 : NULL);
	struct errs e;

	CHECK(send(nl, b, m, &e) == 1, "errno %d", errno);
	CHECK(errs_are(&e, bad1, bad2, ENOENT), "n %u seq %u err %d", e.n,
	      e.seq[0], e.err[0]);
	CHECK(genid(nl) == g, "committed");
	CHECK(count_rules(nl, "INPUT") == 2, "INPUT changed");
	fw_batch_free(b);
}

static void flush_chain(struct fw_batch *b, const char *chain)
{
	struct nftnl_rule *r = nftnl_rule_alloc();

	nftnl_rule_set_str(r, NFTNL_RULE_TABLE, "filter");
	nftnl_rule_set_str(r, NFTNL_RULE_CHAIN, chain);
	fw_batch_rule(b, NFT_MSG_DELRULE, 0, FAM, r);
	nftnl_rule_free(r);
}

static void test_check_good(struct fw_nl *nl)
{
	uint32_t g = genid(nl);
	struct fw_batch *b = fw_batch_new(g);
	struct errs e;

	add_rule(b, "INPUT", NF_ACCEPT, NULL);
	add_rule(b, "INPUT", NFT_JUMP, "USER");
	add_chain(b, "filter", "NEWCHAIN", -1);
	CHECK(send(nl, b, FW_BATCH_CHECK, &e) == 0 && e.n == 0, "errno %d", errno);
	CHECK(genid(nl) == g, "committed");
	CHECK(count_rules(nl, "INPUT") == 2, "INPUT changed");
	CHECK(fw_nl_get_chain(nl, FAM, "filter", "NEWCHAIN", NULL, NULL) == 0,
	      "errno %d", errno);
	/* the same batch, sent again to commit this time */
	CHECK(send(nl, b, FW_BATCH_COMMIT, &e) == 0 && e.n == 0, "errno %d", errno);
	CHECK(genid(nl) == g + 1, "not committed");
	CHECK(count_rules(nl, "INPUT") == 4, "INPUT");
	errno = 0;
	CHECK(fw_batch_send(nl, b, FW_BATCH_CHECK, NULL, NULL, NULL) == -1 &&
	      errno == EINVAL, "check after commit");
	fw_batch_free(b);
	/* back to two rules in INPUT, by a flush of the chain */
	b = fw_batch_new(g + 1);
	flush_chain(b, "INPUT");
	add_rule(b, "INPUT", NF_ACCEPT, NULL);
	add_rule(b, "INPUT", NFT_JUMP, "USER");
	CHECK(send(nl, b, FW_BATCH_COMMIT, &e) == 0, "errno %d", errno);
	CHECK(count_rules(nl, "INPUT") == 2, "INPUT");
	fw_batch_free(b);
}

static void test_genid(struct fw_nl *nl)
{
	uint32_t g = genid(nl);
	struct fw_batch *b = fw_batch_new(g - 1);
	struct errs e;

	add_rule(b, "USER", NF_ACCEPT, NULL);
	CHECK(send(nl, b, FW_BATCH_CHECK, &e) == 1 &&
	      errs_are(&e, 1, 0, ERESTART), "check: n %u seq %u err %d", e.n,
	      e.seq[0], e.err[0]);
	CHECK(send(nl, b, FW_BATCH_COMMIT, &e) == 1 &&
	      errs_are(&e, 1, 0, ERESTART), "commit: n %u seq %u err %d", e.n,
	      e.seq[0], e.err[0]);
	CHECK(genid(nl) == g && count_rules(nl, "USER") == 1, "errno %d", errno);
	fw_batch_set_genid(b, g);
	CHECK(send(nl, b, FW_BATCH_COMMIT, &e) == 0 && e.n == 0, "errno %d", errno);
	CHECK(genid(nl) == g + 1 && count_rules(nl, "USER") == 2, "errno %d", errno);
	fw_batch_free(b);

	b = fw_batch_new(0);
	add_rule(b, "USER", NF_DROP, NULL);
	CHECK(send(nl, b, FW_BATCH_COMMIT, &e) == 0 && e.n == 0, "genid 0");
	CHECK(genid(nl) == g + 2 && count_rules(nl, "USER") == 3, "errno %d", errno);
	fw_batch_free(b);
}

static void test_compat(struct fw_nl *nl)
{
	int i;

	for (i = 0; i < 2; i++) {	/* second round: from the cache */
		CHECK(fw_nl_compat_probe(nl, NFPROTO_IPV4, "conntrack", 3, 0)
		      == 1, "conntrack 3");
		CHECK(fw_nl_compat_probe(nl, NFPROTO_IPV4, "conntrack", 99, 0)
		      == 0, "conntrack 99");
		CHECK(fw_nl_compat_probe(nl, NFPROTO_IPV4, "MASQUERADE", 0, 1)
		      == 1, "MASQUERADE 0");
		CHECK(fw_nl_compat_probe(nl, NFPROTO_IPV6, "MASQUERADE", 0, 1)
		      == 1, "ip6 MASQUERADE 0");
		CHECK(fw_nl_compat_probe(nl, NFPROTO_IPV4, "conntrack", 3, 1)
		      == 0, "conntrack as target");
		CHECK(fw_nl_compat_probe(nl, NFPROTO_IPV4, "nosuchext", 0, 0)
		      == 0, "nosuchext");
		CHECK(fw_nl_compat_probe(nl, NFPROTO_IPV4,
					 "a-name-longer-than-32-characters", 0,
					 0) == 0, "long name");
	}
}

/* BIG_N rules in chain BIG, then a batch with BAD_N bad rules. */
static void test_big(struct fw_nl *nl)
{
	struct fw_batch *b = fw_batch_new(genid(nl));
	uint32_t first_bad = 0, seq;
	struct seen s = { 0 };
	struct errs e;
	unsigned i, ok = 1;

	add_chain(b, "filter", "BIG", -1);
	for (i = 0; i < BIG_N; i++)
		add_rule(b, "BIG", NF_ACCEPT, NULL);
	CHECK(send(nl, b, FW_BATCH_COMMIT, &e) == 0, "errno %d", errno);
	fw_batch_free(b);
	CHECK(count_rules(nl, "BIG") == BIG_N, "errno %d", errno);

	for (i = 0; i < 2; i++) {
		enum fw_batch_mode m = i ? FW_BATCH_COMMIT : FW_BATCH_CHECK;
		unsigned j, k;

		b = fw_batch_new(genid(nl));
		for (j = 0; j < 2 * BAD_N; j++) {
			seq = add_rule(b, "BIG", j % 2 ? NFT_JUMP : NF_ACCEPT,
				       j % 2 ? "MISSING" : NULL);
			if (j == 1)
				first_bad = seq;
		}
		CHECK(send(nl, b, m, &e) == 1 && e.n == BAD_N, "n %u", e.n);
		for (k = 0; k < e.n && k < BAD_N; k++)
			if (e.seq[k] != first_bad + 2 * k || e.err[k] != ENOENT)
				ok = 0;
		CHECK(ok, "wrong seqs");
		fw_batch_free(b);
	}
	CHECK(count_rules(nl, "BIG") == BIG_N, "errno %d", errno);

	s.stop_at = 5;
	CHECK(fw_nl_dump_rules(nl, FAM, "filter", "BIG", rule_cb, &s) == -7 &&
	      s.n == 5, "stop: n %u", s.n);
	CHECK(count_rules(nl, "BIG") == BIG_N, "after stop");

	memset(&s, 0, sizeof(s));
	s.other = fw_nl_open();
	errno = 0;
	CHECK(fw_nl_dump_rules(nl, FAM, "filter", "BIG", rule_cb, &s) == -1 &&
	      errno == EINTR, "intr: errno %d, n %u", errno, s.n);
	fw_nl_close(s.other);
	CHECK(count_rules(nl, "BIG") == BIG_N, "after intr");
}

/*
 * What fw_nl_dump_rules_of_chains() reported, or a loop of
 * fw_nl_dump_rules() over the same chains (chains_ref()).
 */
/* Does fw_nl_dump_rules_of_chains() open a second socket for n chains? */
#define SHARED(n) ((unsigned)(n) >= FW_NL_TWIN_CHAINS)

#define NCH 48
struct chains_seen {
	struct seen s;		/* first: rule_cb() fills it */
	unsigned ndone;
	unsigned rules[NCH];
	int ret[NCH], err[NCH];
	int stop_at;		/* done returns -5 at this index (-1: never) */
	struct fw_nl *del;	/* done(0) deletes chain GONE on this socket */
	unsigned socks;		/* sockets open while done(0) ran */
	unsigned nap;		/* done(i) sleeps 1 ms when i % nap == 0 */
};

/* Sockets this process has open. */
static unsigned count_socks(void)
{
	char link[64];
	struct dirent *e;
	unsigned n = 0;
	ssize_t len;
	DIR *d;

	d = opendir("/proc/self/fd");
	if (!d)
		return 0;
	while ((e = readdir(d))) {
		len = readlinkat(dirfd(d), e->d_name, link, sizeof(link) - 1);
		if (len > 0) {
			link[len] = 0;
			n += !strncmp(link, "socket:", 7);
		}
	}
	closedir(d);
	return n;
}

static void chains_init(struct chains_seen *c)
{
	memset(c, 0, sizeof(*c));
	c->stop_at = -1;
}

static void del_chain(struct fw_nl *nl, const char *name)
{
	struct fw_batch *b = fw_batch_new(0);
	struct nftnl_chain *c = mk_chain("filter", name, -1);
	struct errs e;

	fw_batch_chain(b, NFT_MSG_DELCHAIN, 0, FAM, c);
	nftnl_chain_free(c);
	CHECK(send(nl, b, FW_BATCH_COMMIT, &e) == 0, "delete %s", name);
	fw_batch_free(b);
}

static int chains_done(unsigned i, int ret, int err, void *data)
{
	struct chains_seen *c = data;
	unsigned j, before = 0;

	CHECK(i == c->ndone, "chain %u reported after %u", i, c->ndone);
	for (j = 0; j < c->ndone && j < NCH; j++)
		before += c->rules[j];
	if (i < NCH) {
		c->rules[i] = c->s.n - before;
		c->ret[i] = ret;
		c->err[i] = ret ? err : 0;
	}
	c->ndone++;
	if (c->del && i == 0)
		del_chain(c->del, "GONE");
	if (i == 0)
		c->socks = count_socks();
	if (c->nap && i % c->nap == 0)
		nanosleep(&(struct timespec){ .tv_nsec = 1000000 }, NULL);
	return (int)i == c->stop_at ? -5 : 0;
}

static int chains_dump(struct fw_nl *nl, const char *const *chains,
		       unsigned n, struct chains_seen *c)
{
	return fw_nl_dump_rules_of_chains(nl, FAM, "filter", chains, n,
					  rule_cb, chains_done, c);
}

/* c as chains_init() left it, or with del or s.stop_at set. */
static void chains_ref(struct fw_nl *nl, const char *const *chains,
		       unsigned n, struct chains_seen *c)
{
	unsigned i;
	int ret;

	for (i = 0; i < n; i++) {
		ret = fw_nl_dump_rules(nl, FAM, "filter", chains[i], rule_cb,
				       &c->s);
		chains_done(i, ret, errno, c);
	}
}

static bool chains_same(const struct chains_seen *a,
			const struct chains_seen *b)
{
	return a->ndone == b->ndone && a->s.n == b->s.n &&
	       !memcmp(a->rules, b->rules, sizeof(a->rules)) &&
	       !memcmp(a->ret, b->ret, sizeof(a->ret)) &&
	       !memcmp(a->err, b->err, sizeof(a->err)) &&
	       !memcmp(a->s.handles, b->s.handles, sizeof(a->s.handles)) &&
	       a->s.order == b->s.order;
}

static void *thread_nop(void *arg)
{
	return arg;
}

/* Make pthread_create() fail (a stack larger than the address space). */
static bool no_threads(bool on)
{
	static pthread_attr_t saved;
	pthread_attr_t a;
	pthread_t th;
	bool ok;

	if (!on)
		return !pthread_setattr_default_np(&saved);
	pthread_getattr_default_np(&saved);
	pthread_attr_init(&a);
	pthread_attr_setstacksize(&a, (size_t)1 << 50);
	ok = !pthread_setattr_default_np(&a);
	pthread_attr_destroy(&a);
	if (ok && !pthread_create(&th, NULL, thread_nop, NULL)) {
		pthread_join(th, NULL);
		ok = false;
	}
	return ok;
}

static void add_gone(struct fw_nl *nl)
{
	struct fw_batch *b = fw_batch_new(0);
	struct errs e;

	add_chain(b, "filter", "GONE", -1);
	CHECK(send(nl, b, FW_BATCH_COMMIT, &e) == 0, "GONE");
	fw_batch_free(b);
}

/* After test_big(): INPUT 2 rules, USER 3, EMPTY none, BIG BIG_N. */
static void test_chain_rules(struct fw_nl *nl)
{
	char long_name[300];
	const char *const all[] = { "INPUT", "EMPTY", "nope", "USER", "BIG",
				    long_name, "INPUT" };
	const unsigned want[] = { 2, 0, 0, 3, BIG_N, 0, 2 };
	const char *const stop[] = { "USER", "BIG", "INPUT" };
	const char *const gone[] = { "INPUT", "EMPTY", "GONE", "USER" };
	const char *const intr[] = { "BIG", "USER" };
	struct fw_nl_stats st0, st1;
	struct chains_seen c, ref;
	struct nftnl_table *t;
	struct fw_batch *b;
	struct errs e;
	unsigned i, socks = count_socks();

	memset(long_name, 'x', sizeof(long_name) - 1);
	long_name[sizeof(long_name) - 1] = 0;
	printf("rules of several chains (%s):\n",
	       SHARED(7) ? "two sockets" : "one socket");
	chains_init(&ref);
	chains_ref(nl, all, 7, &ref);
	chains_init(&c);
	fw_nl_get_stats(nl, &st0);
	CHECK(chains_dump(nl, all, 7, &c) == 0, "errno %d", errno);
	fw_nl_get_stats(nl, &st1);
	CHECK(chains_same(&c, &ref), "differs from fw_nl_dump_rules()");
	for (i = 0; i < 7; i++)
		CHECK(c.rules[i] == want[i] &&
		      c.err[i] == (i == 2 || i == 5 ? ENOENT : 0),
		      "chain %u: %u rules, ret %d, errno %d", i, c.rules[i],
		      c.ret[i], c.err[i]);
	/* shared, the caller's own dumps are not pipelined (BIG may be) */
	CHECK(st1.rule_dumps - st0.rule_dumps == 6 &&
	      (st1.pipelined - st0.pipelined == 6 ||
	       (SHARED(7) && st1.pipelined - st0.pipelined < 6)),
	      "%u dumps, %u pipelined", st1.rule_dumps - st0.rule_dumps,
	      st1.pipelined - st0.pipelined);
	CHECK(c.socks == socks + SHARED(7) && count_socks() == socks,
	      "%u sockets before, %u during, %u after", socks, c.socks,
	      count_socks());
	CHECK(chains_dump(nl, all, 0, &c) == 0 && c.ndone == 7, "none");

	/* done stops: BIG's dump, asked for already, is read to its end */
	chains_init(&c);
	c.stop_at = 0;
	CHECK(chains_dump(nl, stop, 3, &c) == -5 && c.ndone == 1, "stop %u",
	      c.ndone);
	CHECK(count_rules(nl, "BIG") == BIG_N, "after stop");
	/* cb stops one chain (at its second rule): the others go on */
	chains_init(&c);
	c.s.stop_at = 2;
	CHECK(chains_dump(nl, stop, 3, &c) == 0 && c.ndone == 3 &&
	      c.ret[0] == -7 && c.rules[0] == 2 && !c.ret[1] &&
	      c.rules[1] == BIG_N && !c.ret[2], "cb stop: %d %u %d", c.ret[0],
	      c.rules[0], c.ret[1]);

	/*
	 * A chain deleted after the list was made: done(0) deletes GONE.
	 * One reader asks for GONE only after EMPTY, whose dump is empty,
	 * so only once done(0) has returned. Shared, GONE may be dumped
	 * before (empty too), but is looked for only at its turn.
	 */
	add_gone(nl);
	chains_init(&c);
	c.del = fw_nl_open();
	CHECK(chains_dump(nl, gone, 4, &c) == 0 && c.ndone == 4 &&
	      !c.ret[1] && c.ret[2] == -1 && c.err[2] == ENOENT &&
	      !c.ret[3] && c.rules[3] == 3, "gone: %d %d %u", c.ret[2],
	      c.err[2], c.rules[3]);
	fw_nl_close(c.del);

	/*
	 * A change during BIG's dump: EINTR for BIG only. The change is
	 * rule_cb() adding table intr, which test_big() added already: take
	 * it away first (adding it again would change nothing). Shared,
	 * USER's dump may run at the same time as BIG's: EINTR too, then.
	 */
	b = fw_batch_new(0);
	t = mk_table("intr");
	fw_batch_table(b, NFT_MSG_DELTABLE, 0, FAM, t);
	nftnl_table_free(t);
	CHECK(send(nl, b, FW_BATCH_COMMIT, &e) == 0, "delete intr");
	fw_batch_free(b);
	chains_init(&c);
	c.s.other = fw_nl_open();
	CHECK(chains_dump(nl, intr, 2, &c) == 0 && c.ndone == 2 &&
	      c.ret[0] == -1 && c.err[0] == EINTR && c.rules[1] == 3 &&
	      (!c.ret[1] || (SHARED(2) && c.ret[1] == -1 &&
			     c.err[1] == EINTR)),
	      "intr: %d %d, %d %d", c.ret[0], c.err[0], c.ret[1], c.err[1]);
	fw_nl_close(c.s.other);

	/* without a thread: the same, one dump after the other */
	if (!no_threads(true)) {
		printf("cannot make pthread_create() fail: skipped\n");
		return;
	}
	chains_init(&c);
	fw_nl_get_stats(nl, &st0);
	CHECK(chains_dump(nl, all, 7, &c) == 0, "errno %d", errno);
	fw_nl_get_stats(nl, &st1);
	CHECK(no_threads(false), "threads back");
	CHECK(chains_same(&c, &ref), "sequential differs");
	CHECK(st1.rule_dumps - st0.rule_dumps == 6 &&
	      st1.pipelined == st0.pipelined, "%u dumps, %u pipelined",
	      st1.rule_dumps - st0.rule_dumps, st1.pipelined - st0.pipelined);
	CHECK(count_socks() == socks, "%u sockets after, %u before",
	      count_socks(), socks);
}

/*
 * NCH chains, enough for two sockets (SHARED()): LONG (LONG_N rules, a
 * dump of several replies), M00.. with 0 to 3 rules, and chains that do
 * not exist or cannot. Whichever socket and thread dump a chain, each
 * must come out as fw_nl_dump_rules() has it, in order, whatever the
 * timing (done() naps now and then, differently each round).
 */
#define LONG_N 1500
static void test_many_chains(struct fw_nl *nl)
{
	static const unsigned naps[] = { 0, 2, 3, 5, 0, 7, 4, 0 };
	char names[NCH][8], long_name[300];
	const char *list[NCH];
	struct fw_nl_stats st0, st1;
	struct chains_seen c, ref;
	struct fw_nl *other = fw_nl_open();
	struct fw_batch *b = fw_batch_new(0);
	unsigned i, k, m = 0, socks, requests;
	struct errs e;

	memset(long_name, 'x', sizeof(long_name) - 1);
	long_name[sizeof(long_name) - 1] = 0;
	add_chain(b, "filter", "LONG", -1);
	for (i = 0; i < LONG_N; i++)
		add_rule(b, "LONG", NF_ACCEPT, NULL);
	for (i = 0; i < NCH; i++) {
		list[i] = i == 3 ? "LONG" : i == 9 ? "nope" :
			  i == 17 ? long_name : i == 26 ? "GONE" :
			  i == 33 ? "USER" : i == 40 ? "EMPTY" : names[i];
		if (list[i] != names[i])
			continue;
		snprintf(names[i], sizeof(names[i]), "M%02u", m);
		add_chain(b, "filter", names[i], -1);
		for (k = 0; k < m % 4; k++)
			add_rule(b, names[i], NF_ACCEPT, NULL);
		m++;
	}
	CHECK(send(nl, b, FW_BATCH_COMMIT, &e) == 0, "many chains");
	fw_batch_free(b);
	printf("rules of many chains (%s):\n",
	       SHARED(NCH) ? "two sockets" : "one socket");

	chains_init(&ref);
	fw_nl_get_stats(nl, &st0);
	chains_ref(nl, list, NCH, &ref);
	fw_nl_get_stats(nl, &st1);
	requests = st1.requests - st0.requests;
	CHECK(ref.ndone == NCH && ref.rules[3] == LONG_N &&
	      ref.err[9] == ENOENT && ref.err[17] == ENOENT &&
	      ref.err[26] == ENOENT && ref.rules[33] == 3 && !ref.ret[40],
	      "reference: %u chains", ref.ndone);
	socks = count_socks();
	for (i = 0; i < FW_ARRAY_SIZE(naps); i++) {
		chains_init(&c);
		c.nap = naps[i];
		fw_nl_get_stats(nl, &st0);
		CHECK(chains_dump(nl, list, NCH, &c) == 0, "errno %d", errno);
		fw_nl_get_stats(nl, &st1);
		CHECK(chains_same(&c, &ref), "round %u differs", i);
		/* and the same requests (a look for each empty chain) */
		CHECK(st1.rule_dumps - st0.rule_dumps == NCH - 1 &&
		      st1.requests - st0.requests == requests &&
		      st1.pipelined - st0.pipelined <= NCH - 1,
		      "%u dumps, %u requests, %u pipelined",
		      st1.rule_dumps - st0.rule_dumps,
		      st1.requests - st0.requests,
		      st1.pipelined - st0.pipelined);
		CHECK(c.socks == socks + SHARED(NCH) && count_socks() == socks,
		      "%u sockets before, %u during, %u after", socks, c.socks,
		      count_socks());
	}

	/*
	 * done stops, at every chain in turn: dumps asked for already, by
	 * the reader or by the caller ahead of their turn, are read to their
	 * end (else the next dump on the socket fails with EBUSY). done(0)
	 * naps, for the reader to get going.
	 */
	for (k = 0; k < NCH; k++) {
		chains_init(&c);
		c.stop_at = (int)k;
		c.nap = NCH;
		CHECK(chains_dump(nl, list, NCH, &c) == -5 && c.ndone == k + 1 &&
		      !memcmp(c.rules, ref.rules, (k + 1) * sizeof(*c.rules)) &&
		      !memcmp(c.err, ref.err, (k + 1) * sizeof(*c.err)),
		      "stop at %u: %u", k, c.ndone);
		CHECK(count_rules(nl, "LONG") == LONG_N, "after stop at %u", k);
		CHECK(count_socks() == socks, "stop at %u: %u sockets", k,
		      count_socks());
	}

	/* cb stops the chain of the fifth rule: the others go on */
	chains_init(&ref);
	ref.s.stop_at = 5;
	chains_ref(nl, list, NCH, &ref);
	chains_init(&c);
	c.s.stop_at = 5;
	CHECK(chains_dump(nl, list, NCH, &c) == 0 && chains_same(&c, &ref) &&
	      c.ret[3] == -7 && c.err[3] == ECANCELED, "cb stop: %d %d",
	      c.ret[3], c.err[3]);

	/*
	 * A chain deleted during the call (done(0) deletes GONE): its dump
	 * is empty, whoever made it and whenever, and it is looked for at
	 * its turn: gone. Dumps under way at the deletion end with EINTR
	 * (a change during the dump), the others as before.
	 */
	for (k = 0; k < 6; k++) {
		const char *const gone[] = { "M01", "M02", "M03", "M05", "M06",
					     "GONE", "M07", "USER", "EMPTY" };
		const unsigned want[] = { 1, 2, 3, 1, 2, 0, 3, 3, 0 };

		add_gone(nl);
		chains_init(&c);
		c.del = other;
		c.nap = k;
		CHECK(chains_dump(nl, gone, 9, &c) == 0 && c.ndone == 9 &&
		      c.ret[5] == -1 && c.err[5] == ENOENT, "gone: %d %d",
		      c.ret[5], c.err[5]);
		for (i = 0; i < 9; i++)
			CHECK(i == 5 || (c.err[i] == EINTR && c.ret[i] == -1) ||
			      (!c.ret[i] && c.rules[i] == want[i]),
			      "gone: chain %u: %u rules, %d %d", i, c.rules[i],
			      c.ret[i], c.err[i]);
	}

	/* without a thread: the same, and no socket left open */
	if (no_threads(true)) {
		chains_init(&c);
		c.s.stop_at = 5;
		CHECK(chains_dump(nl, list, NCH, &c) == 0, "errno %d", errno);
		CHECK(no_threads(false), "threads back");
		CHECK(chains_same(&c, &ref), "sequential differs");
		CHECK(count_socks() == socks, "no thread: %u sockets",
		      count_socks());
	}
	fw_nl_close(other);
}

/* Built with a tiny NL_ACK_COST: answers overflow the receive buffer. */
static void test_nobufs(struct fw_nl *nl)
{
	uint32_t g = genid(nl);
	struct fw_batch *b;
	struct errs e;
	unsigned i, j;

	for (i = 0; i < 2; i++) {
		enum fw_batch_mode m = i ? FW_BATCH_COMMIT : FW_BATCH_CHECK;

		b = fw_batch_new(g);
		for (j = 0; j < 2 * BAD_N; j++)
			add_rule(b, "USER", j % 2 ? NFT_JUMP : NF_ACCEPT,
				 j % 2 ? "MISSING" : NULL);
		errno = 0;
		CHECK(send(nl, b, m, &e) == -1 && errno == ENOBUFS,
		      "errno %d", errno);
		CHECK(e.n < BAD_N, "all %u errors arrived", e.n);
		fw_batch_free(b);
		CHECK(genid(nl) == g, "committed");
		CHECK(count_rules(nl, "USER") == 1, "socket unusable");
	}
}

static void test_ipset(void)
{
	uint16_t idx = 99;
	char name[32];

	CHECK(fw_ipset_index("foo", &idx) == 0 && idx == 0, "foo %u", idx);
	CHECK(fw_ipset_index("bar", &idx) == 0 && idx == 1, "bar %u", idx);
	CHECK(fw_ipset_name(0, name, sizeof(name)) == 0 &&
	      !strcmp(name, "foo"), "errno %d", errno);
	CHECK(fw_ipset_name(1, name, sizeof(name)) == 0 &&
	      !strcmp(name, "bar"), "errno %d", errno);
	errno = 0;
	CHECK(fw_ipset_index("nope", &idx) == -1 && errno == ENOENT, "%d",
	      errno);
	errno = 0;
	CHECK(fw_ipset_name(2, name, sizeof(name)) == -1 && errno == ENOENT,
	      "%d", errno);
	errno = 0;
	CHECK(fw_ipset_name(60000, name, sizeof(name)) == -1 &&
	      errno == ENOENT, "%d", errno);
	errno = 0;
	CHECK(fw_ipset_name(0, name, 3) == -1 && errno == ERANGE, "%d", errno);
}

static int count_table_cb(const struct nftnl_table *t FW_UNUSED, void *data)
{
	(*(unsigned *)data)++;
	return 0;
}

/*
 * Refuse to touch a ruleset that is not a throwaway one: the caller's
 * namespace (its inode is argv[1]) or any namespace with tables in it.
 */
static int throwaway_netns(struct fw_nl *nl, const char *caller)
{
	struct stat st;
	unsigned n = 0;

	if (stat("/proc/self/ns/net", &st) ||
	    strtoull(caller, NULL, 10) == (unsigned long long)st.st_ino)
		return 0;
	if (fw_nl_dump_tables(nl, NFPROTO_UNSPEC, count_table_cb, &n) < 0)
		return 0;
	return n == 0;
}

static void print_handles(struct fw_nl *nl, const char *chain)
{
	struct seen s = { 0 };
	unsigned i;

	fw_nl_dump_rules(nl, FAM, "filter", chain, rule_cb, &s);
	printf("HANDLES %s:", chain);
	for (i = 0; i < s.n && i < 64; i++)
		printf(" %llu", (unsigned long long)s.handles[i]);
	printf("\n");
}

int main(int argc, char **argv)
{
	struct fw_nl *nl;

	setvbuf(stdout, NULL, _IOLBF, 0);
	fw_nl_close(NULL);
	nl = fw_nl_open();
	if (!nl) {
		perror("fw_nl_open");
		return 1;
	}
	if (argc < 2 || !throwaway_netns(nl, argv[1])) {
		fprintf(stderr, "nltest: run me in a new netns (run.sh)\n");
		return 2;
	}
	test_setup(nl);
	if (argc > 2 && !strcmp(argv[2], "--nobufs")) {
		test_nobufs(nl);
		goto out;
	}
	test_dumps(nl);
	test_get_chain(nl);
	test_errors(nl, FW_BATCH_COMMIT, false);
	test_errors(nl, FW_BATCH_COMMIT, true);
	test_errors(nl, FW_BATCH_CHECK, false);
	test_errors(nl, FW_BATCH_CHECK, true);
	test_check_good(nl);
	test_genid(nl);
	test_compat(nl);
	if (argc > 2 && !strcmp(argv[2], "--ipset"))
		test_ipset();
	test_big(nl);
	test_chain_rules(nl);
	test_many_chains(nl);
	print_handles(nl, "INPUT");
	print_handles(nl, "USER");
out:
	fw_nl_close(nl);
	printf("%s: %d failure(s)\n", failures ? "FAILED" : "OK", failures);
	return failures ? 1 : 0;
}
