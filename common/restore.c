/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fw_restore(): commands -> one nf_tables batch -> commit, check or test */
#include "base.h"

#include <endian.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netlink.h>
#include <libmnl/libmnl.h>
#include <libnftnl/chain.h>
#include <libnftnl/expr.h>
#include <libnftnl/rule.h>
#include <libnftnl/table.h>

#include "cmd.h"
#include "codec.h"
#include "nl.h"
#include "nlmsg.h"
#include "print.h"
#include "spec.h"
#include "yaml.h"

#define FW_DEFAULT_RETRIES 64

/* A rule of a chain as far as this batch knows: kernel handle or batch id. */
struct ref {
	uint64_t id;		/* handle, or batch rule id when is_new */
	uint64_t hash;		/* of its canonical text, for -D spec */
	bool is_new;
};

struct cstate {
	struct cstate *next;	/* hash chain */
	char *name;
	const struct fw_builtin *builtin;
	bool exists;		/* in the kernel or created in this batch */
	bool in_kernel;		/* existed before the batch */
	bool rules_known;	/* refs holds every rule */
	unsigned head;		/* until then: refs inserted at the head */
	uint64_t handle;	/* kernel handle, when in_kernel */
	struct ref *refs;
	unsigned nrefs, arefs;
};

#define FW_CHAIN_BUCKETS 256

struct tstate {
	int family;
	char name[16];
	bool exists;		/* kernel or batch */
	bool created;		/* NEWTABLE sent in this block */
	bool flushed;		/* deleted in this batch: kernel chains gone */
	struct cstate *buckets[FW_CHAIN_BUCKETS];
};

/* What a sequence number was, to report kernel errors at their line. */
struct seqinfo {
	uint32_t seq;
	uint32_t line;
	uint16_t col, len;	/* of the location, at most 65535 */
	uint16_t type;
	uint8_t input;		/* rs->locs_in[input]; 0: no input */
};

struct rstate {
	const struct fw_restore_opts *o;
	struct fw_errs *errs;
	struct fw_nl *nl;
	struct fw_batch *b;
	unsigned kernel_tables[2];	/* bit per table index, per family */
	struct tstate *tables[2][5];
	struct tstate *t;	/* current */
	struct seqinfo *seqs;	/* 16 bytes a message: 100k rules, 1.6 MB */
	size_t nseqs, aseqs;
	const struct fw_input *locs_in[16];	/* [0] is NULL */
	unsigned nlocs_in;
	uint32_t rule_id;
	bool want_hash;
	bool want_refs;		/* keep each chain's rule list (refs) */
	int bad;
	/* --timing, in nanoseconds; kernel queries come from fw_nl stats */
	fw_cmd_fn cmd_fn;	/* what timed_cmd() measures */
	uint64_t t_build;	/* parsing and encoding */
	uint64_t t_parse;	/* the parsers at work */
	unsigned threads;	/* 2: the parsers ran beside the encoding */
	uint64_t t_cmd;		/* inside the callbacks: encode, queries */
	uint64_t t_cmd_kernel;	/* kernel queries made by the callbacks */
	uint64_t t_commit;	/* sendmsg to the last answer, every send */
	unsigned sends;
};

static int fam_idx(int family)
{
	return family == FW_AF_IPV6;
}

static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ull;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

static uint64_t rule_hash(const struct fw_rule *r)
{
	struct fw_buf b = FW_BUF_INIT;
	uint64_t h;

	fw_rule_print(r, &b);
	h = hash_str(b.buf ? b.buf : "");
	fw_buf_release(&b);
	return h;
}

static uint16_t clamp16(unsigned v)
{
	return v > UINT16_MAX ? UINT16_MAX : (uint16_t)v;
}

static void note_seq(struct rstate *rs, uint32_t seq, uint16_t type,
		     const struct fw_loc *loc)
{
	struct seqinfo *s;
	unsigned i;

	if (rs->nseqs == rs->aseqs) {
		rs->aseqs = rs->aseqs ? rs->aseqs * 2 : 1024;
		rs->seqs = xrealloc(rs->seqs, rs->aseqs * sizeof(*rs->seqs));
	}
	if (!rs->nlocs_in)
		rs->nlocs_in = 1;	/* [0]: no input */
	for (i = 1; i < rs->nlocs_in && rs->locs_in[i] != loc->in; i++)
		;
	if (loc->in && i == rs->nlocs_in) {
		if (i == FW_ARRAY_SIZE(rs->locs_in))
			FW_BUG("more than %u inputs", i - 1);
		rs->locs_in[rs->nlocs_in++] = loc->in;
	}
	s = &rs->seqs[rs->nseqs++];
	s->seq = seq;
	s->type = type;
	s->input = loc->in ? (uint8_t)i : 0;
	s->line = loc->line;
	s->col = clamp16(loc->col);
	s->len = clamp16(loc->len);
}

static struct fw_loc seq_loc(const struct rstate *rs, const struct seqinfo *s)
{
	struct fw_loc loc = { rs->locs_in[s->input], s->line, s->col, s->len };

	return loc;
}

static unsigned count_rules(const struct rstate *rs)
{
	unsigned n = 0;
	size_t i;

	for (i = 0; i < rs->nseqs; i++)
		n += rs->seqs[i].type == NFT_MSG_NEWRULE;
	return n;
}

/* Chains. */

static unsigned bucket(const char *name)
{
	return hash_str(name) % FW_CHAIN_BUCKETS;
}

static void chains_free(struct tstate *t)
{
	struct cstate *c, *next;
	unsigned i;

	for (i = 0; i < FW_CHAIN_BUCKETS; i++) {
		for (c = t->buckets[i]; c; c = next) {
			next = c->next;
			free(c->name);
			free(c->refs);
			free(c);
		}
		t->buckets[i] = NULL;
	}
}

static struct cstate *chain_new(struct tstate *t, const char *name)
{
	struct cstate *c = xzalloc(sizeof(*c));
	unsigned h = bucket(name);

	c->name = xstrdup(name);
	c->builtin = fw_builtin_find(t->name, name);
	c->next = t->buckets[h];
	t->buckets[h] = c;
	return c;
}

static int kernel_chain_cb(const struct nftnl_chain *nc, void *data)
{
	struct cstate *c = data;

	c->in_kernel = c->exists = true;
	c->handle = nftnl_chain_get_u64(nc, NFTNL_CHAIN_HANDLE);
	return 0;
}

/* The chain's state; asks the kernel once when the table pre-existed. */
static struct cstate *chain_get(struct rstate *rs, const char *name)
{
	struct tstate *t = rs->t;
	struct cstate *c;

	for (c = t->buckets[bucket(name)]; c; c = c->next)
		if (!strcmp(c->name, name))
			return c;
	c = chain_new(t, name);
	if (rs->nl && t->exists && !t->flushed &&
	    fw_nl_get_chain(rs->nl, t->family, t->name, name, kernel_chain_cb,
			    c) < 0)
		fw_error(rs->errs, NULL, "cannot read chain '%s': %s", name,
			 strerror(errno));
	if (!c->in_kernel)
		c->rules_known = true;	/* no rules yet */
	return c;
}

static void ref_add(struct cstate *c, unsigned pos, struct ref r)
{
	if (!c->refs || c->nrefs == c->arefs) {
		c->arefs = c->arefs ? c->arefs * 2 : 16;
		c->refs = xrealloc(c->refs, c->arefs * sizeof(*c->refs));
	}
	memmove(c->refs + pos + 1, c->refs + pos,
		(c->nrefs - pos) * sizeof(*c->refs));
	c->refs[pos] = r;
	c->nrefs++;
}

static void ref_del(struct cstate *c, unsigned pos)
{
	memmove(c->refs + pos, c->refs + pos + 1,
		(c->nrefs - pos - 1) * sizeof(*c->refs));
	c->nrefs--;
}

struct load_ctx {
	struct rstate *rs;
	struct cstate *c;
	unsigned at;		/* where the next kernel rule goes in refs */
	struct zero_ctx *zero;	/* -Z: zero each rule as it is read */
};

static int zero_ref(struct zero_ctx *z, const struct fw_nlrule *m,
		    struct ref *ref);

static int kernel_rule_cb(const struct fw_nlrule *nr, void *data)
{
	struct load_ctx *l = data;
	struct ref r = { .id = nr->handle };
	struct fw_rule *rule;

	if (l->rs->want_hash) {
		rule = fw_rule_new(l->rs->t->family);
		if (fw_rule_decode(nr, rule, l->rs->errs, l->c->name) == 0)
			r.hash = rule_hash(rule);
		fw_rule_free(rule);
	}
	ref_add(l->c, l->at++, r);
	if (l->zero)
		return zero_ref(l->zero, nr, &l->c->refs[l->at - 1]);
	return 0;
}

/*
 * Make c->refs complete: fetch the kernel's rules of a pre-existing chain.
 * Rules this input added before that (appended, or inserted at the head)
 * are in refs already: the kernel's go after those at the head. With
 * zero, each rule read is zeroed too (-Z on a chain not read yet).
 */
static int load_rules(struct rstate *rs, struct cstate *c,
		      struct zero_ctx *zero)
{
	struct load_ctx l = { rs, c, c->head, zero };

	if (c->rules_known)
		return 0;
	c->rules_known = true;
	c->head = 0;
	if (!rs->nl)
		return 0;
	if (fw_nl_dump_rules(rs->nl, rs->t->family, rs->t->name, c->name,
			     kernel_rule_cb, &l) < 0)
		return fw_error(rs->errs, NULL, "cannot read rules of chain "
				"'%s': %s", c->name, strerror(errno));
	return 0;
}

static int chain_load_rules(struct rstate *rs, struct cstate *c)
{
	return load_rules(rs, c, NULL);
}

/* Messages. */

static struct nftnl_table *table_obj(struct rstate *rs)
{
	struct nftnl_table *t = nftnl_table_alloc();

	nftnl_table_set_str(t, NFTNL_TABLE_NAME, rs->t->name);
	nftnl_table_set_u32(t, NFTNL_TABLE_FAMILY, rs->t->family);
	return t;
}

static void send_table(struct rstate *rs, uint16_t type,
		       const struct fw_loc *loc)
{
	struct nftnl_table *t = table_obj(rs);

	note_seq(rs, fw_batch_table(rs->b, type,
				    type == NFT_MSG_NEWTABLE ? NLM_F_CREATE : 0,
				    rs->t->family, t), type, loc);
	nftnl_table_free(t);
}

static void ensure_table(struct rstate *rs, const struct fw_loc *loc)
{
	if (rs->t->created)
		return;
	send_table(rs, NFT_MSG_NEWTABLE, loc);
	rs->t->created = rs->t->exists = true;
}

static struct nftnl_chain *chain_obj(struct rstate *rs, const char *name)
{
	struct nftnl_chain *c = nftnl_chain_alloc();

	nftnl_chain_set_str(c, NFTNL_CHAIN_TABLE, rs->t->name);
	nftnl_chain_set_str(c, NFTNL_CHAIN_NAME, name);
	nftnl_chain_set_u32(c, NFTNL_CHAIN_FAMILY, rs->t->family);
	return c;
}

static void set_hook(struct nftnl_chain *nc, const struct fw_builtin *b)
{
	nftnl_chain_set_u32(nc, NFTNL_CHAIN_HOOKNUM, b->hook);
	nftnl_chain_set_s32(nc, NFTNL_CHAIN_PRIO, b->prio);
	nftnl_chain_set_str(nc, NFTNL_CHAIN_TYPE, b->type);
}

static void send_chain(struct rstate *rs, struct nftnl_chain *nc,
		       uint16_t type, uint16_t flags, const struct fw_loc *loc)
{
	note_seq(rs, fw_batch_chain(rs->b, type, flags, rs->t->family, nc),
		 type, loc);
	nftnl_chain_free(nc);
}

/* Create a builtin chain as 1.8.9 does on first use: no counters. */
static void create_builtin(struct rstate *rs, struct cstate *c,
			   const struct fw_loc *loc)
{
	struct nftnl_chain *nc = chain_obj(rs, c->name);

	set_hook(nc, c->builtin);
	nftnl_chain_set_u32(nc, NFTNL_CHAIN_POLICY, NF_ACCEPT);
	send_chain(rs, nc, NFT_MSG_NEWCHAIN, NLM_F_CREATE, loc);
	c->exists = true;
}

/* Policy and counters of a builtin chain (":" line, -P, -Z). */
static void update_builtin(struct rstate *rs, struct cstate *c,
			   const char *policy, uint64_t p, uint64_t b,
			   const struct fw_loc *loc)
{
	struct nftnl_chain *nc = chain_obj(rs, c->name);

	set_hook(nc, c->builtin);
	if (policy && strcmp(policy, "-"))
		nftnl_chain_set_u32(nc, NFTNL_CHAIN_POLICY,
				    strcmp(policy, "DROP") ? NF_ACCEPT : NF_DROP);
	nftnl_chain_set_u64(nc, NFTNL_CHAIN_PACKETS, p);
	nftnl_chain_set_u64(nc, NFTNL_CHAIN_BYTES, b);
	send_chain(rs, nc, NFT_MSG_NEWCHAIN, NLM_F_CREATE, loc);
}

static void flush_rules(struct rstate *rs, struct cstate *c,
			const struct fw_loc *loc)
{
	struct nftnl_rule *r = nftnl_rule_alloc();

	nftnl_rule_set_str(r, NFTNL_RULE_TABLE, rs->t->name);
	if (c)
		nftnl_rule_set_str(r, NFTNL_RULE_CHAIN, c->name);
	nftnl_rule_set_u32(r, NFTNL_RULE_FAMILY, rs->t->family);
	note_seq(rs, fw_batch_rule(rs->b, NFT_MSG_DELRULE, 0, rs->t->family, r),
		 NFT_MSG_DELRULE, loc);
	nftnl_rule_free(r);
	if (c) {
		c->nrefs = c->head = 0;
		c->rules_known = true;
	}
}

/* Commands. */

static struct cstate *need_chain(struct rstate *rs, const char *name,
				 const struct fw_loc *loc)
{
	struct cstate *c = chain_get(rs, name);

	if (c->exists)
		return c;
	if (c->builtin) {
		ensure_table(rs, loc);
		create_builtin(rs, c, loc);
		return c;
	}
	fw_error(rs->errs, loc, "chain '%s' does not exist", name);
	return NULL;
}

static int chain_line(struct rstate *rs, const struct fw_cmd *cmd)
{
	struct cstate *c = chain_get(rs, cmd->chain);
	bool counters = cmd->counters && rs->o->flags & FW_R_COUNTERS;

	ensure_table(rs, &cmd->loc);
	if (c->builtin) {
		if (!c->exists)
			create_builtin(rs, c, &cmd->loc);
		update_builtin(rs, c, cmd->arg, counters ? cmd->pkts : 0,
			       counters ? cmd->bytes : 0, &cmd->loc);
		return 0;
	}
	if (c->exists) {
		flush_rules(rs, c, &cmd->loc);
		return 0;
	}
	send_chain(rs, chain_obj(rs, cmd->chain), NFT_MSG_NEWCHAIN,
		   NLM_F_CREATE | NLM_F_EXCL, &cmd->loc);
	c->exists = c->rules_known = true;
	return 0;
}

static int check_nat(struct rstate *rs, const struct fw_rule *r)
{
	if (strcmp(rs->t->name, "nat") || r->verdict != FW_V_DROP)
		return 0;
	return fw_error(rs->errs, &r->loc,
			"the nat table does not allow the DROP target");
}

/* -v: each rule as it is queued. */
static void print_rule(struct rstate *rs, const struct cstate *c,
		       const struct fw_rule *r)
{
	struct fw_buf b = FW_BUF_INIT;

	fw_rule_print(r, &b);
	fprintf(rs->o->verbose ? rs->o->verbose : stdout, "%s -A %s%s\n",
		rs->t->family == FW_AF_IPV6 ? "ip6" : "ip", c->name,
		b.buf ? b.buf : "");
	fw_buf_release(&b);
}

#define AT_END UINT_MAX	/* add_rule()'s pos for an append */

/*
 * Build and queue one NEWRULE at pos (AT_END: appended), before the rule
 * "before" or in place of "replace". A chain whose rules were not read
 * only ever gets rules appended or inserted at its head.
 */
static int add_rule(struct rstate *rs, struct cstate *c, const struct fw_rule *r,
		    const struct ref *before, const struct ref *replace,
		    unsigned pos)
{
	bool by_handle = replace && !replace->is_new, at_end = pos == AT_END;
	uint16_t flags = NLM_F_CREATE;
	struct ref ref = { .id = ++rs->rule_id, .is_new = true };
	struct nlmsghdr *nlh;
	int rc;

	if (at_end)
		pos = c->nrefs;
	if (by_handle)
		flags |= NLM_F_REPLACE;
	else if (at_end)
		flags |= NLM_F_APPEND;
	if (rs->o->flags & FW_R_VERBOSE)
		print_rule(rs, c, r);
	/*
	 * Written straight into the batch (no nftnl objects: the cost of
	 * those was most of fw-restore's own time), attribute for attribute
	 * what nftnl_rule_nlmsg_build_payload() writes (bench/enccheck.c).
	 */
	nlh = fw_batch_msg(rs->b, NFT_MSG_NEWRULE, flags, rs->t->family);
	fw_nla_put_strz(nlh, NFTA_RULE_TABLE, rs->t->name);
	fw_nla_put_strz(nlh, NFTA_RULE_CHAIN, c->name);
	if (by_handle)
		fw_nla_put_u64(nlh, NFTA_RULE_HANDLE, htobe64(replace->id));
	else if (before && !before->is_new)
		fw_nla_put_u64(nlh, NFTA_RULE_POSITION, htobe64(before->id));
	rc = fw_rule_encode_msg(r, nlh, rs->nl, rs->errs);
	fw_nla_put_u32(nlh, NFTA_RULE_ID, htonl(ref.id));
	if (!by_handle && before && before->is_new)
		fw_nla_put_u32(nlh, NFTA_RULE_POSITION_ID,
				 htonl((uint32_t)before->id));
	if (rc == 0)
		note_seq(rs, fw_batch_msg_end(rs->b, nlh), NFT_MSG_NEWRULE,
			 &r->loc);
	else
		fw_batch_msg_cancel(rs->b);
	if (!rs->want_refs) {
		c->nrefs++;	/* only appends: nobody asks for the list */
		return rc;
	}
	if (rs->want_hash)
		ref.hash = rule_hash(r);
	if (!c->rules_known && !at_end)
		c->head++;
	if (replace)
		c->refs[pos] = ref;
	else
		ref_add(c, pos, ref);
	return rc;
}

static void del_rule(struct rstate *rs, struct cstate *c, unsigned pos,
		     const struct fw_loc *loc)
{
	struct nftnl_rule *nr = nftnl_rule_alloc();
	const struct ref *ref = &c->refs[pos];

	nftnl_rule_set_str(nr, NFTNL_RULE_TABLE, rs->t->name);
	nftnl_rule_set_str(nr, NFTNL_RULE_CHAIN, c->name);
	nftnl_rule_set_u32(nr, NFTNL_RULE_FAMILY, rs->t->family);
	if (ref->is_new)
		nftnl_rule_set_u32(nr, NFTNL_RULE_ID, ref->id);
	else
		nftnl_rule_set_u64(nr, NFTNL_RULE_HANDLE, ref->id);
	note_seq(rs, fw_batch_rule(rs->b, NFT_MSG_DELRULE, 0, rs->t->family, nr),
		 NFT_MSG_DELRULE, loc);
	nftnl_rule_free(nr);
	ref_del(c, pos);
}

static int append(struct rstate *rs, const struct fw_cmd *cmd)
{
	struct cstate *c = need_chain(rs, cmd->chain, &cmd->loc);

	if (!c || check_nat(rs, cmd->rule))
		return -1;
	ensure_table(rs, &cmd->loc);
	/* a chain whose rules were never read just grows at its end */
	return add_rule(rs, c, cmd->rule, NULL, NULL, AT_END) ? -1 : 0;
}

static int insert(struct rstate *rs, const struct fw_cmd *cmd)
{
	struct cstate *c = need_chain(rs, cmd->chain, &cmd->loc);
	unsigned n = cmd->num ? cmd->num : 1;

	if (!c || check_nat(rs, cmd->rule))
		return -1;
	ensure_table(rs, &cmd->loc);
	if (n > 1 && chain_load_rules(rs, c))
		return -1;
	if (n == 1)
		return add_rule(rs, c, cmd->rule, NULL, NULL, 0) ? -1 : 0;
	if (n > c->nrefs + 1)
		return fw_error(rs->errs, &cmd->loc, "index of insertion too "
				"big (chain '%s' has %u rules)", c->name,
				c->nrefs);
	if (n == c->nrefs + 1)
		return add_rule(rs, c, cmd->rule, NULL, NULL, AT_END) ? -1 : 0;
	return add_rule(rs, c, cmd->rule, &c->refs[n - 1], NULL, n - 1) ? -1 : 0;
}

static int find_rule(struct rstate *rs, struct cstate *c,
		     const struct fw_cmd *cmd)
{
	uint64_t h;
	unsigned i;

	if (cmd->op != FW_CMD_DELETE) {
		if (cmd->num > c->nrefs)
			return fw_error(rs->errs, &cmd->loc, "index of deletion "
					"too big (chain '%s' has %u rules)",
					c->name, c->nrefs);
		return cmd->num - 1;
	}
	h = rule_hash(cmd->rule);
	for (i = 0; i < c->nrefs; i++)
		if (c->refs[i].hash == h)
			return i;
	return fw_error(rs->errs, &cmd->loc, "bad rule (does a matching rule "
			"exist in chain '%s'?)", c->name);
}

static int delete_or_replace(struct rstate *rs, const struct fw_cmd *cmd)
{
	struct cstate *c = chain_get(rs, cmd->chain);
	int pos;
	struct ref old;

	if (!c->exists)
		return fw_error(rs->errs, &cmd->loc, "chain '%s' does not exist",
				cmd->chain);
	if (chain_load_rules(rs, c))
		return -1;
	pos = find_rule(rs, c, cmd);
	if (pos < 0)
		return -1;
	if (cmd->op != FW_CMD_REPLACE) {
		del_rule(rs, c, pos, &cmd->loc);
		return 0;
	}
	if (check_nat(rs, cmd->rule))
		return -1;
	old = c->refs[pos];
	if (!old.is_new)
		return add_rule(rs, c, cmd->rule, NULL, &old, pos) ? -1 : 0;
	/* a rule of this batch has no handle: insert before it, drop it */
	if (add_rule(rs, c, cmd->rule, &old, NULL, pos))
		return -1;
	del_rule(rs, c, pos + 1, &cmd->loc);
	return 0;
}

static int new_chain(struct rstate *rs, const struct fw_cmd *cmd)
{
	struct cstate *c = chain_get(rs, cmd->chain);
	const char *why = fw_chain_name_invalid(cmd->chain, rs->t->family);

	if (why)
		return fw_error(rs->errs, &cmd->loc, "%s", why);
	if (c->exists || c->builtin)
		return fw_error(rs->errs, &cmd->loc, "chain '%s' already exists",
				cmd->chain);
	ensure_table(rs, &cmd->loc);
	send_chain(rs, chain_obj(rs, cmd->chain), NFT_MSG_NEWCHAIN,
		   NLM_F_CREATE | NLM_F_EXCL, &cmd->loc);
	c->exists = c->rules_known = true;
	return 0;
}

static void del_chain(struct rstate *rs, struct cstate *c,
		      const struct fw_loc *loc)
{
	send_chain(rs, chain_obj(rs, c->name), NFT_MSG_DELCHAIN, NLM_F_NONREC,
		   loc);
	c->exists = false;
	c->nrefs = 0;
}

/*
 * The dump tells all chain_get() would ask: no request of its own here,
 * while the dump is still being read (a nested request took the dump's
 * end and fw-restore waited forever: "-F" then "-X" with --noflush).
 */
static int user_chain_cb(const struct nftnl_chain *nc, void *data)
{
	struct rstate *rs = data;
	const char *name = nftnl_chain_get_str(nc, NFTNL_CHAIN_NAME);
	struct cstate *c;

	if (nftnl_chain_is_set(nc, NFTNL_CHAIN_HOOKNUM))
		return 0;
	for (c = rs->t->buckets[bucket(name)]; c; c = c->next)
		if (!strcmp(c->name, name))
			return 0;
	kernel_chain_cb(nc, chain_new(rs->t, name));
	return 0;
}

/* Every chain of the current table into the chain map (for -X, -F, -Z). */
static int all_chains(struct rstate *rs)
{
	const struct fw_builtin *b;

	for (b = fw_builtins(rs->t->name); b->name; b++)
		chain_get(rs, b->name);
	if (!rs->nl || !rs->t->exists || rs->t->flushed)
		return 0;
	if (fw_nl_dump_chains(rs->nl, rs->t->family, rs->t->name, user_chain_cb,
			      rs) < 0 && errno != ENOENT)
		return fw_error(rs->errs, NULL, "cannot list chains of table "
				"'%s': %s", rs->t->name, strerror(errno));
	return 0;
}

/* The chain a -X, -F or -Z names; NULL (error reported) if it is not there. */
static struct cstate *named_chain(struct rstate *rs, const struct fw_cmd *cmd)
{
	struct cstate *c = chain_get(rs, cmd->chain);

	if (c->exists)
		return c;
	fw_error(rs->errs, &cmd->loc, "chain '%s' does not exist", cmd->chain);
	return NULL;
}

static int delete_chains(struct rstate *rs, const struct fw_cmd *cmd)
{
	struct cstate *c = NULL;
	unsigned i;

	if (cmd->chain) {
		c = named_chain(rs, cmd);
		if (!c)
			return -1;
		if (c->builtin)
			return fw_error(rs->errs, &cmd->loc, "cannot delete "
					"built-in chain '%s'", cmd->chain);
		del_chain(rs, c, &cmd->loc);
		return 0;
	}
	if (all_chains(rs))
		return -1;
	for (i = 0; i < FW_CHAIN_BUCKETS; i++)
		for (c = rs->t->buckets[i]; c; c = c->next)
			if (c->exists && !c->builtin)
				del_chain(rs, c, &cmd->loc);
	return 0;
}

static int rename_chain(struct rstate *rs, const struct fw_cmd *cmd)
{
	struct cstate *c = chain_get(rs, cmd->chain), *n;
	const char *why = fw_chain_name_invalid(cmd->arg, rs->t->family);
	struct nftnl_chain *nc;

	if (why)
		return fw_error(rs->errs, &cmd->arg_loc, "%s", why);
	if (!c->exists || c->builtin)
		return fw_error(rs->errs, &cmd->loc, "chain '%s' does not exist",
				cmd->chain);
	if (!c->in_kernel)
		return fw_error(rs->errs, &cmd->loc, "cannot rename chain '%s' "
				"created in the same input", cmd->chain);
	n = chain_get(rs, cmd->arg);
	if (n->exists)
		return fw_error(rs->errs, &cmd->arg_loc, "chain '%s' already "
				"exists", cmd->arg);
	nc = chain_obj(rs, cmd->arg);
	nftnl_chain_set_u64(nc, NFTNL_CHAIN_HANDLE, c->handle);
	send_chain(rs, nc, NFT_MSG_NEWCHAIN, 0, &cmd->loc);
	n->exists = true;
	n->rules_known = false;
	n->in_kernel = true;
	n->handle = c->handle;
	c->exists = false;
	c->nrefs = 0;
	return 0;
}

/*
 * -Z: a rule's counter is zeroed by sending the rule again, by handle,
 * with the counter at zero; only rules whose counter is not zero already,
 * but always the one rule of "-Z CHAIN N" (1.8.9: nft_chain_zero_counters()
 * and nft_rule_zero_counters()). The new rule gets a batch id, so later
 * commands of the input find it.
 */
struct zero_ctx {
	struct rstate *rs;
	struct cstate *c;
	const struct fw_loc *loc;
	uint64_t only;		/* this handle only (-Z CHAIN N), or 0 */
	struct href { uint64_t handle; unsigned pos; } *idx;
	unsigned n;
};

static int cmp_href(const void *a, const void *b)
{
	const struct href *x = a, *y = b;

	return x->handle < y->handle ? -1 : x->handle > y->handle;
}

static int zero_counter(struct nftnl_expr *e, void *data)
{
	bool *changed = data;

	if (strcmp(nftnl_expr_get_str(e, NFTNL_EXPR_NAME), "counter"))
		return 0;
	if (nftnl_expr_get_u64(e, NFTNL_EXPR_CTR_PACKETS) ||
	    nftnl_expr_get_u64(e, NFTNL_EXPR_CTR_BYTES)) {
		nftnl_expr_set_u64(e, NFTNL_EXPR_CTR_PACKETS, 0);
		nftnl_expr_set_u64(e, NFTNL_EXPR_CTR_BYTES, 0);
		*changed = true;
	}
	return 0;
}

/*
 * Send the kernel's rule of ref (message m) again with its counter at
 * zero. 0, or -1 with errno when libnftnl cannot read the rule (an
 * expression it does not know): the dump fails, as it did when every
 * rule was read through libnftnl.
 */
static int zero_ref(struct zero_ctx *z, const struct fw_nlrule *m,
		    struct ref *ref)
{
	struct rstate *rs = z->rs;
	struct nftnl_rule *nr = nftnl_rule_alloc();
	bool changed = false;
	int ret = 0;

	if (!nr)
		FW_BUG("out of memory in libnftnl");
	if (nftnl_rule_nlmsg_parse(m->nlh, nr) < 0) {
		errno = EINVAL;
		ret = -1;
		goto out;
	}
	nftnl_expr_foreach(nr, zero_counter, &changed);
	if (!changed && !z->only)
		goto out;
	ref->id = ++rs->rule_id;
	ref->is_new = true;
	nftnl_rule_unset(nr, NFTNL_RULE_POSITION);
	nftnl_rule_set_u32(nr, NFTNL_RULE_ID, (uint32_t)ref->id);
	note_seq(rs, fw_batch_rule(rs->b, NFT_MSG_NEWRULE,
				   NLM_F_CREATE | NLM_F_REPLACE, rs->t->family,
				   nr), NFT_MSG_NEWRULE, z->loc);
out:
	nftnl_rule_free(nr);
	return ret;
}

static int zero_rule_cb(const struct fw_nlrule *nr, void *data)
{
	struct zero_ctx *z = data;
	struct href key = { nr->handle, 0 };
	struct href *h;

	if (z->only && key.handle != z->only)
		return 0;
	/* still a rule of the chain at this point of the input? */
	h = bsearch(&key, z->idx, z->n, sizeof(*z->idx), cmp_href);
	return h ? zero_ref(z, nr, &z->c->refs[h->pos]) : 0;
}

static int zero_rules(struct rstate *rs, struct cstate *c, uint64_t only,
		      const struct fw_loc *loc)
{
	struct zero_ctx z = { .rs = rs, .c = c, .loc = loc, .only = only };
	unsigned i;
	int rc = 0;

	if (!rs->nl || !c->in_kernel)
		return 0;
	/* not read yet: every rule the kernel has is still there */
	if (!c->rules_known)
		return load_rules(rs, c, &z);
	z.idx = xmalloc((c->nrefs + 1) * sizeof(*z.idx));
	for (i = 0; i < c->nrefs; i++)
		if (!c->refs[i].is_new)
			z.idx[z.n++] = (struct href){ c->refs[i].id, i };
	qsort(z.idx, z.n, sizeof(*z.idx), cmp_href);
	if (z.n && fw_nl_dump_rules(rs->nl, rs->t->family, rs->t->name,
				    c->name, zero_rule_cb, &z) < 0)
		rc = fw_error(rs->errs, loc, "cannot read rules of chain '%s': "
			      "%s", c->name, strerror(errno));
	free(z.idx);
	return rc;
}

/* -Z CHAIN N */
static int zero_one(struct rstate *rs, struct cstate *c,
		    const struct fw_cmd *cmd)
{
	if (chain_load_rules(rs, c))
		return -1;
	if (cmd->num > c->nrefs) {
		/* 1.8.9 says nothing and succeeds */
		fw_warn(rs->errs, &cmd->loc, "chain '%s' has no rule %u: "
			"nothing zeroed", c->name, cmd->num);
		return 0;
	}
	if (c->refs[cmd->num - 1].is_new)
		return fw_error(rs->errs, &cmd->loc, "cannot zero the counters "
				"of rule %u of chain '%s': it was added or "
				"changed earlier in this input", cmd->num,
				c->name);
	return zero_rules(rs, c, c->refs[cmd->num - 1].id, &cmd->loc);
}

/* 1.8.9's order: builtin chains by hook, then user chains by name. */
static int cmp_zero_order(const void *a, const void *b)
{
	const struct cstate *x = *(const struct cstate *const *)a;
	const struct cstate *y = *(const struct cstate *const *)b;

	if (x->builtin || y->builtin) {
		if (!x->builtin || !y->builtin)
			return x->builtin ? -1 : 1;
		return x->builtin->hook - y->builtin->hook;
	}
	return strcmp(x->name, y->name);
}

static int zero(struct rstate *rs, const struct fw_cmd *cmd)
{
	struct cstate *c, **list = NULL;
	unsigned i, n = 0;
	int rc = 0;

	if (cmd->chain) {
		c = named_chain(rs, cmd);
		if (!c)
			return -1;
		if (cmd->num)
			return zero_one(rs, c, cmd);
		if (c->builtin)
			update_builtin(rs, c, NULL, 0, 0, &cmd->loc);
		return zero_rules(rs, c, 0, &cmd->loc);
	}
	if (all_chains(rs))
		return -1;
	for (i = 0; i < FW_CHAIN_BUCKETS; i++)
		for (c = rs->t->buckets[i]; c; c = c->next)
			if (c->exists) {
				list = xrealloc(list, (n + 1) * sizeof(*list));
				list[n++] = c;
			}
	if (n)
		qsort(list, n, sizeof(*list), cmp_zero_order);
	for (i = 0; i < n && !rc; i++) {
		if (list[i]->builtin)
			update_builtin(rs, list[i], NULL, 0, 0, &cmd->loc);
		rc = zero_rules(rs, list[i], 0, &cmd->loc);
	}
	free(list);
	return rc;
}

static int flush(struct rstate *rs, const struct fw_cmd *cmd)
{
	struct cstate *c = NULL;
	unsigned i;

	if (cmd->chain && !(c = named_chain(rs, cmd)))
		return -1;
	ensure_table(rs, &cmd->loc);
	flush_rules(rs, cmd->chain ? c : NULL, &cmd->loc);
	if (!cmd->chain)
		for (i = 0; i < FW_CHAIN_BUCKETS; i++)
			for (c = rs->t->buckets[i]; c; c = c->next)
				c->nrefs = c->head = 0, c->rules_known = true;
	return 0;
}

static int policy(struct rstate *rs, const struct fw_cmd *cmd)
{
	struct cstate *c = chain_get(rs, cmd->chain);

	if (!c->builtin)
		return fw_error(rs->errs, &cmd->loc, "bad built-in chain name "
				"'%s'", cmd->chain);
	if (strcmp(cmd->arg, "ACCEPT") && strcmp(cmd->arg, "DROP"))
		return fw_error(rs->errs, &cmd->arg_loc, "bad policy name '%s'",
				cmd->arg);
	if (!strcmp(rs->t->name, "nat") && !strcmp(cmd->arg, "DROP"))
		return fw_error(rs->errs, &cmd->arg_loc, "the nat table does not "
				"allow a DROP policy");
	ensure_table(rs, &cmd->loc);
	if (!c->exists)
		create_builtin(rs, c, &cmd->loc);
	update_builtin(rs, c, cmd->arg, 0, 0, &cmd->loc);
	return 0;
}

static struct tstate *table_get(struct rstate *rs, int family,
				const char *name)
{
	int i = fw_table_index(name), f = fam_idx(family);
	struct tstate *t = rs->tables[f][i];

	if (!t) {
		t = xzalloc(sizeof(*t));
		t->family = family;
		snprintf(t->name, sizeof(t->name), "%s", name);
		t->exists = rs->kernel_tables[f] >> i & 1;
		rs->tables[f][i] = t;
	}
	return t;
}

static int table_start(struct rstate *rs, const struct fw_cmd *cmd)
{
	rs->t = table_get(rs, cmd->family, cmd->table);
	rs->t->created = false;
	if (rs->o->flags & FW_R_NOFLUSH) {
		rs->t->created = false;
		return 0;
	}
	if (rs->t->exists)
		send_table(rs, NFT_MSG_DELTABLE, &cmd->loc);
	chains_free(rs->t);
	rs->t->exists = false;
	rs->t->flushed = true;
	return 0;
}

typedef int (*rule_cmd_fn)(struct rstate *rs, const struct fw_cmd *cmd);

/*
 * A rule with address lists stands for one rule per (source,
 * destination) pair, sources outer, each handled as its own command.
 */
static int expand(struct rstate *rs, const struct fw_cmd *cmd, rule_cmd_fn fn)
{
	struct fw_rule *r = cmd->rule;
	unsigned ns = r->nsrc ? r->nsrc : 1, nd = r->ndst ? r->ndst : 1, i, j;
	int rc = 0;

	if (ns * nd == 1)
		return fn(rs, cmd);
	if (cmd->op == FW_CMD_REPLACE)
		return fw_error(rs->errs, &cmd->loc, "a replacement rule needs "
				"one source and one destination address");
	for (i = 0; i < ns; i++) {
		for (j = 0; j < nd; j++) {
			if (r->src_list)
				r->src = r->src_list[i];
			if (r->dst_list)
				r->dst = r->dst_list[j];
			rc |= fn(rs, cmd);
		}
	}
	return rc ? -1 : 0;
}

static int run_cmd(const struct fw_cmd *cmd, void *data)
{
	struct rstate *rs = data;

	switch (cmd->op) {
	case FW_CMD_TABLE:
		return table_start(rs, cmd);
	case FW_CMD_COMMIT:
		return 0;
	case FW_CMD_CHAIN:
		return chain_line(rs, cmd);
	case FW_CMD_APPEND:
		return expand(rs, cmd, append);
	case FW_CMD_INSERT:
		return expand(rs, cmd, insert);
	case FW_CMD_DELETE:
	case FW_CMD_REPLACE:
		return expand(rs, cmd, delete_or_replace);
	case FW_CMD_DELETE_NUM:
		return delete_or_replace(rs, cmd);
	case FW_CMD_NEW_CHAIN:
		return new_chain(rs, cmd);
	case FW_CMD_DEL_CHAIN:
		return delete_chains(rs, cmd);
	case FW_CMD_RENAME:
		return rename_chain(rs, cmd);
	case FW_CMD_FLUSH:
		return flush(rs, cmd);
	case FW_CMD_ZERO:
		return zero(rs, cmd);
	case FW_CMD_POLICY:
		return policy(rs, cmd);
	}
	return 0;
}

static int table_cb(const struct nftnl_table *t, void *data)
{
	unsigned *bits = data;
	int i = fw_table_index(nftnl_table_get_str(t, NFTNL_TABLE_NAME));

	if (i >= 0)
		*bits |= 1u << i;
	return 0;
}

static void state_release(struct rstate *rs)
{
	int f, i;

	for (f = 0; f < 2; f++) {
		for (i = 0; i < 5; i++) {
			if (rs->tables[f][i])
				chains_free(rs->tables[f][i]);
			free(rs->tables[f][i]);
			rs->tables[f][i] = NULL;
		}
	}
	fw_batch_free(rs->b);
	rs->b = NULL;
	free(rs->seqs);
	rs->seqs = NULL;
	rs->nseqs = rs->aseqs = 0;
	rs->rule_id = 0;
	rs->t = NULL;
}

static int input_family(const struct fw_input *in)
{
	return in->family == 6 ? FW_AF_IPV6 : FW_AF_IPV4;
}

/*
 * What the inputs may ask for besides appending, from one pass over the
 * text (a false hit, say in a comment, only costs memory): "-D" or
 * "--delete" needs rule hashes (-D by spec); those and -I, -R, -Z,
 * --insert, --replace, --zero need each chain's rule list. Without them
 * a big restore keeps no per-rule state but the error map. YAML inputs
 * always get both.
 */
static void scan_inputs(const struct fw_restore_opts *o, bool *hash,
			bool *refs)
{
	const char *p, *end;
	unsigned i;
	size_t left;

	*hash = *refs = o->format == FW_FMT_YAML;
	for (i = 0; i < o->n_inputs && !(*hash && *refs); i++) {
		end = o->inputs[i].data + o->inputs[i].len;
		for (p = o->inputs[i].data; p && p < end && !(*hash && *refs);
		     p = memchr(p + 1, '-', end - p - 1)) {
			left = end - p;
			if (*p != '-' || left < 2)
				continue;
			if (p[1] == 'D' || (left >= 8 && !memcmp(p, "--delete", 8)))
				*hash = *refs = true;
			else if (p[1] == 'I' || p[1] == 'R' || p[1] == 'Z' ||
				 (left >= 8 && !memcmp(p, "--insert", 8)) ||
				 (left >= 9 && !memcmp(p, "--replace", 9)) ||
				 (left >= 6 && !memcmp(p, "--zero", 6)))
				*refs = true;
		}
	}
}

/*
 * The text parser gave back the pages of big input files it had passed
 * (fw_input_set_droppable()): read them again for a new parse, and before
 * returning (error messages quote lines; callers may read the data).
 */
static int reload_inputs(struct rstate *rs)
{
	const struct fw_input *in;
	unsigned i;

	for (i = 0; i < rs->o->n_inputs; i++) {
		in = &rs->o->inputs[i];
		if (fw_input_reload(in) < 0)
			return fw_error(rs->errs, NULL, "cannot read '%s' again: %s",
					in->name, errno == ESTALE
					? "it changed while restoring"
					: strerror(errno));
	}
	return 0;
}

static int read_family_tables(struct rstate *rs, int f)
{
	rs->kernel_tables[fam_idx(f)] = 0;
	if (fw_nl_dump_tables(rs->nl, f, table_cb,
			      &rs->kernel_tables[fam_idx(f)]) < 0)
		return fw_error(rs->errs, NULL, "cannot list tables: %s",
				strerror(errno));
	return 0;
}

static int read_kernel_tables(struct rstate *rs)
{
	const struct fw_input *in;
	unsigned i;

	for (i = 0; i < rs->o->n_inputs; i++) {
		in = &rs->o->inputs[i];
		if (read_family_tables(rs, input_family(in)))
			return -1;
		/* a YAML input of no given family may hold both */
		if (rs->o->format == FW_FMT_YAML && !in->family &&
		    read_family_tables(rs, FW_AF_IPV6))
			return -1;
	}
	return 0;
}

static uint64_t kernel_ns(const struct rstate *rs)
{
	struct fw_nl_stats st;

	fw_nl_get_stats(rs->nl, &st);
	return st.wait_ns;
}

/* --timing: the time spent in a command callback (encoding, queries). */
static int timed_cmd(const struct fw_cmd *cmd, void *data)
{
	struct rstate *rs = data;
	uint64_t t0 = fw_now_ns(), k0 = rs->nl ? kernel_ns(rs) : 0;
	int rc = rs->cmd_fn(cmd, data);

	if (rs->nl)
		rs->t_cmd_kernel += kernel_ns(rs) - k0;
	rs->t_cmd += fw_now_ns() - t0;
	return rc;
}

/* The parser thread's work (fw_cmd_source): every input, in order. */
static int parse_inputs(void *arg, fw_cmd_fn fn, void *fn_data,
			struct fw_errs *errs)
{
	const struct fw_restore_opts *o = arg;
	unsigned i, pflags = o->flags & FW_R_COUNTERS ? FW_P_COUNTERS : 0;
	int rc = 0;

	for (i = 0; i < o->n_inputs; i++) {
		const struct fw_input *in = &o->inputs[i];

		if (o->format == FW_FMT_YAML) {
			rc |= fw_parse_yaml(in, pflags, o->table, fn, fn_data,
					    errs);
			continue;
		}
		/* passed lines are not needed until the end: give them back */
		fw_input_set_droppable(in, true);
		rc |= fw_parse_text(in, input_family(in), pflags, o->table,
				    fn, fn_data, errs);
		fw_input_set_droppable(in, false);
	}
	return rc;
}

/*
 * From this much input on, the parsers run in a second thread beside the
 * encoding (some 4,000 rules: below, starting the thread costs more than
 * it saves).
 */
#define FW_PIPE_BYTES (256u << 10)

/* Parse every input into a fresh batch. 0 or -1 (errors in errs). */
static int build(struct rstate *rs, uint32_t genid)
{
	const struct fw_restore_opts *o = rs->o;
	struct fw_cmd_pipe_stats st;
	fw_cmd_fn fn = run_cmd;
	uint64_t t0, t, cmd0;
	size_t bytes = 0;
	unsigned i;
	int rc;

	if (rs->o->flags & FW_R_TIMING) {
		rs->cmd_fn = fn;
		fn = timed_cmd;
	}
	rs->b = fw_batch_new(genid);
	if (rs->nl && read_kernel_tables(rs))
		return -1;
	for (i = 0; i < o->n_inputs; i++)
		bytes += o->inputs[i].len;
	t0 = fw_now_ns();
	cmd0 = rs->t_cmd;
	rc = fw_cmd_pipe(parse_inputs, (void *)o, fn, rs, rs->errs,
			 bytes >= FW_PIPE_BYTES, &st);
	t = fw_now_ns() - t0;
	rs->t_build += t;
	rs->t_parse += st.threaded ? st.parser_ns : t - (rs->t_cmd - cmd0);
	rs->threads = st.threaded ? 2 : 1;
	return rc || fw_errs_count(rs->errs) ? -1 : 0;
}

static const char *msg_what(uint16_t type)
{
	switch (type) {
	case NFT_MSG_NEWTABLE:
		return "creating the table";
	case NFT_MSG_DELTABLE:
		return "flushing the table";
	case NFT_MSG_NEWCHAIN:
		return "creating or updating the chain";
	case NFT_MSG_DELCHAIN:
		return "deleting the chain";
	case NFT_MSG_NEWRULE:
		return "adding the rule";
	case NFT_MSG_DELRULE:
		return "deleting the rule(s)";
	}
	return "a message";
}

static const char *err_hint(uint16_t type, int err)
{
	if (type == NFT_MSG_NEWRULE && err == ENOENT)
		return " (does the chain it jumps to exist?)";
	if (type == NFT_MSG_NEWRULE && err == EINVAL)
		return " (an extension rejected its options, or it is not "
		       "allowed in this table or chain)";
	if (err == ELOOP)
		return " (the jumps form a loop)";
	if (err == EMLINK)
		return " (jumps nested too deep)";
	if (type == NFT_MSG_DELCHAIN && err == EBUSY)
		return " (the chain is still referenced or not empty)";
	return "";
}

struct send_ctx {
	struct rstate *rs;
	bool restart;
	unsigned rejected;
};

static void on_error(uint32_t seq, int err, void *data)
{
	struct send_ctx *sc = data;
	struct rstate *rs = sc->rs;
	size_t lo = 0, hi = rs->nseqs, mid;
	struct fw_loc loc;

	if (seq == 1 && err == ERESTART) {
		sc->restart = true;
		return;
	}
	sc->rejected++;
	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (rs->seqs[mid].seq < seq)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < rs->nseqs && rs->seqs[lo].seq == seq) {
		loc = seq_loc(rs, &rs->seqs[lo]);
		fw_error(rs->errs, &loc, "kernel rejected %s: %s%s",
			 msg_what(rs->seqs[lo].type), strerror(err),
			 err_hint(rs->seqs[lo].type, err));
		return;
	}
	fw_error(rs->errs, NULL, "kernel rejected the batch (message %u): %s",
		 seq, strerror(err));
}

/* What the batch was, captured before it is freed. */
struct batch_facts {
	unsigned rules, messages;
	size_t bytes;
};

/*
 * --timing, on stderr, one line. parse: the text/YAML parsers at work;
 * encode: building the messages (command callbacks minus their kernel
 * queries); build: both, from the first line to the last message, with
 * the number of threads they ran on (2: the parsers beside the encoding,
 * so build is less than their sum); kernel queries: every request and
 * dump (generation, tables, chains, rules); commit: sendmsg to the last answer (the kernel's floor for the
 * batch); release: freeing it all; total: from fw_restore() to the end.
 */
static void report_timing(const struct rstate *rs, const struct batch_facts *f,
			  const struct fw_nl_stats *st, uint64_t start,
			  uint64_t release)
{
	uint64_t total = fw_now_ns() - start;
	uint64_t encode = rs->t_cmd - rs->t_cmd_kernel;

	fprintf(stderr, "fw-restore: timing: parse %.3f ms, encode %.3f ms, "
		"build %.3f ms (%u thread%s), kernel queries %.3f ms (%u "
		"requests, %u rule dumps), commit %.3f ms (%u sends), release "
		"%.3f ms, total %.3f ms; %u rules, %u messages, %zu bytes",
		rs->t_parse / 1e6, encode / 1e6, rs->t_build / 1e6,
		rs->threads, rs->threads == 1 ? "" : "s", st->kernel_ns / 1e6, st->requests,
		st->rule_dumps, rs->t_commit / 1e6, rs->sends, release / 1e6,
		total / 1e6, f->rules, f->messages, f->bytes);
	if (rs->t_commit)
		fprintf(stderr, "; total/commit %.3f",
			(double)total / (double)rs->t_commit);
	fputc('\n', stderr);
}

/*
 * After ERESTART: in flush mode the batch depends only on which tables
 * exist, so when that is unchanged the same batch goes out again with
 * the new generation id (as iptables does); otherwise it is rebuilt.
 */
static int refresh(struct rstate *rs, uint32_t *genid)
{
	unsigned before[2] = { rs->kernel_tables[0], rs->kernel_tables[1] };

	if (fw_nl_genid(rs->nl, genid) < 0)
		return -1;
	if (!(rs->o->flags & FW_R_NOFLUSH)) {
		if (read_kernel_tables(rs))
			return -1;
		if (before[0] == rs->kernel_tables[0] &&
		    before[1] == rs->kernel_tables[1]) {
			fw_batch_set_genid(rs->b, *genid);
			return 0;
		}
	}
	state_release(rs);
	if (reload_inputs(rs))
		return -1;
	return build(rs, *genid) ? -1 : 0;
}

static int commit(struct rstate *rs)
{
	enum fw_batch_mode mode = rs->o->flags & FW_R_CHECK ? FW_BATCH_CHECK
							    : FW_BATCH_COMMIT;
	unsigned max = rs->o->max_retries ? rs->o->max_retries
					  : FW_DEFAULT_RETRIES, tries = 0;
	struct send_ctx sc = { .rs = rs };
	uint64_t commit_ns = 0;
	uint32_t genid;
	int rc;

	if (fw_nl_genid(rs->nl, &genid) < 0) {
		fw_error(rs->errs, NULL, "cannot read the ruleset generation: %s",
			 strerror(errno));
		return FW_EXIT_FAILURE;
	}
	if (build(rs, genid))
		return fw_errs_count(rs->errs) ? FW_EXIT_INPUT : FW_EXIT_FAILURE;
	for (;;) {
		sc.restart = false;
		rc = fw_batch_send(rs->nl, rs->b, mode, on_error, &sc, &commit_ns);
		rs->t_commit += commit_ns;
		rs->sends++;
		if (rc < 0) {
			fw_error(rs->errs, NULL, "sending the batch failed: %s",
				 strerror(errno));
			return FW_EXIT_FAILURE;
		}
		if (!sc.restart || ++tries >= max)
			break;
		if (rs->o->flags & FW_R_VERBOSE)
			fprintf(stderr, "fw-restore: ruleset changed meanwhile, "
				"retrying\n");
		if (refresh(rs, &genid))
			return fw_errs_count(rs->errs) ? FW_EXIT_INPUT
						       : FW_EXIT_FAILURE;
	}
	if (sc.restart) {
		fw_error(rs->errs, NULL, "the ruleset kept changing while "
			 "restoring; gave up after %u tries", tries);
		return FW_EXIT_FAILURE;
	}
	if (tries && rs->o->flags & FW_R_VERBOSE)
		fprintf(stderr, "fw-restore: committed after %u retries\n", tries);
	return rc == 0 && !sc.rejected ? FW_EXIT_OK : FW_EXIT_KERNEL;
}

int fw_restore(const struct fw_restore_opts *o, struct fw_errs *errs)
{
	struct rstate rs = { .o = o, .errs = errs };
	uint64_t start = fw_now_ns(), t0;
	struct batch_facts f = { 0 };
	struct fw_nl_stats st;
	int rc;

	scan_inputs(o, &rs.want_hash, &rs.want_refs);
	if (o->flags & FW_R_TEST) {
		rc = build(&rs, 0) ? FW_EXIT_INPUT : FW_EXIT_OK;
	} else {
		rs.nl = fw_nl_open();
		if (!rs.nl) {
			fw_error(errs, NULL, "cannot open a netlink socket: %s",
				 strerror(errno));
			return FW_EXIT_FAILURE;
		}
		rc = commit(&rs);
	}
	if (rs.b) {
		f.rules = count_rules(&rs);
		f.messages = fw_batch_count(rs.b);
		f.bytes = fw_batch_size(rs.b);
	}
	fw_nl_get_stats(rs.nl, &st);
	t0 = fw_now_ns();
	state_release(&rs);
	fw_nl_close(rs.nl);
	reload_inputs(&rs);
	if (o->flags & FW_R_TIMING)
		report_timing(&rs, &f, &st, start, fw_now_ns() - t0);
	return rc;
}
