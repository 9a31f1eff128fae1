/* SPDX-License-Identifier: GPL-2.0-or-later */
/* netlink layer: one socket, dumps, compat revision probes, batch commit */
#ifndef FW_NL_H
#define FW_NL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct nftnl_table;
struct nftnl_chain;
struct nftnl_rule;
struct fw_nlrule;
struct nlmsghdr;

/* An open NETLINK_NETFILTER socket plus a receive buffer. Opaque. */
struct fw_nl;

/*
 * Open a socket; returns NULL with errno set on failure (no privileges,
 * no nf_tables). Free with fw_nl_close(). fw_nl_close(NULL) does nothing.
 */
struct fw_nl *fw_nl_open(void);
void fw_nl_close(struct fw_nl *nl);

/*
 * What the socket cost so far, for --timing (always counted; cheap).
 * kernel_ns: time inside the send and receive system calls of requests and
 * dumps (the kernel fills each dump reply inside sendmsg or recvmsg),
 * batches apart.
 * wait_ns: how long the caller was blocked on them; less than kernel_ns
 * when dumps were pipelined (read by a thread while callbacks ran: long
 * dumps, and every dump of fw_nl_dump_rules_of_chains()).
 */
struct fw_nl_stats {
	uint64_t kernel_ns;
	uint64_t wait_ns;
	unsigned pipelined;	/* dumps read (or finished) by a reader thread */
	unsigned requests;	/* requests sent, dumps included */
	unsigned rule_dumps;	/* GETRULE dumps (one per chain) */
	unsigned wide_rule_dumps;	/* of which without a chain filter */
	unsigned recvs;		/* datagrams received */
	uint64_t rx_bytes;
};
void fw_nl_get_stats(const struct fw_nl *nl, struct fw_nl_stats *st);

/* Current ruleset generation id (NFT_MSG_GETGEN). 0 or -1 (errno). */
int fw_nl_genid(struct fw_nl *nl, uint32_t *genid);

/*
 * Dumps. Each calls cb once per object, in kernel order; the object is
 * owned by the dumper and freed after cb returns (cb must copy what it
 * keeps). Rules come as the kernel's message read in place (nlmsg.h). A negative return from cb stops the dump and is returned.
 * Return 0, or -1 with errno set (ENOENT when the table/chain is gone).
 * table/chain NULL means "all" where the kernel allows the filter.
 * errno EINTR: the ruleset changed during the dump (NLM_F_DUMP_INTR) and
 * what cb saw may be inconsistent; start over. ENOENT is only detected
 * for a specific family (not NFPROTO_UNSPEC).
 */
typedef int (*fw_nl_table_cb)(const struct nftnl_table *t, void *data);
typedef int (*fw_nl_chain_cb)(const struct nftnl_chain *c, void *data);
typedef int (*fw_nl_rule_cb)(const struct fw_nlrule *r, void *data);

int fw_nl_dump_tables(struct fw_nl *nl, int family, fw_nl_table_cb cb,
		      void *data);
int fw_nl_dump_chains(struct fw_nl *nl, int family, const char *table,
		      fw_nl_chain_cb cb, void *data);
/*
 * One chain by name (non-dump GETCHAIN). 1 found, 0 absent, -1 error.
 * cb may be NULL to test for existence only.
 */
int fw_nl_get_chain(struct fw_nl *nl, int family, const char *table,
		    const char *chain, fw_nl_chain_cb cb, void *data);
/* Rules of one chain (GETRULE dump filtered by table and chain). */
int fw_nl_dump_rules(struct fw_nl *nl, int family, const char *table,
		     const char *chain, fw_nl_rule_cb cb, void *data);
/*
 * The rules of n chains of one table, chain after chain in the order
 * given, each dumped as fw_nl_dump_rules() does it: cb for every rule of
 * chains[i], then done(i, ret, err, data) with what fw_nl_dump_rules()
 * would have returned for that chain (ret 0, -1 or cb's negative return;
 * err its errno: ENOENT for a chain gone, EINTR for a dump interrupted by
 * a change). The dumps are read by a second thread, which asks for each
 * one as soon as the one before has ended, so the kernel builds the
 * replies while the callbacks run; both callbacks run in the caller's
 * thread and may not use nl. table and the names may not be NULL.
 * A negative return from done stops: no later chain is dumped (nor
 * reported) and that value is returned, errno as done left it. A socket
 * error also stops, after done was told of it for its chain: -1 and
 * errno, if done did not return < 0 itself. Otherwise 0. Unless a socket
 * error stopped it, no dump is left half read. Without a thread, the
 * dumps are made one after the other, with the same results.
 * From FW_NL_TWIN_CHAINS chains on, the thread reads on a second socket,
 * opened for the call, and the caller's thread dumps the chains the
 * thread has not come to (the kernel then builds replies on two CPUs);
 * the results are the same.
 */
#ifndef FW_NL_TWIN_CHAINS
#define FW_NL_TWIN_CHAINS 8u
#endif
typedef int (*fw_nl_chain_done_cb)(unsigned i, int ret, int err, void *data);
int fw_nl_dump_rules_of_chains(struct fw_nl *nl, int family,
			       const char *table, const char *const *chains,
			       unsigned n, fw_nl_rule_cb cb,
			       fw_nl_chain_done_cb done, void *data);

/*
 * Does the kernel know xtables extension NAME at revision REV?
 * (NFNL_SUBSYS_NFT_COMPAT / NFNL_MSG_COMPAT_GET.) target: 1 for targets.
 * Returns 1 yes, 0 no, -1 on a socket error. Answers are cached per
 * (family, name, rev, target) for the life of the socket.
 */
int fw_nl_compat_probe(struct fw_nl *nl, int family, const char *name,
		       uint32_t rev, int target);

/*
 * ipset names <-> kernel indexes (getsockopt SO_IP_SET on an AF_INET
 * socket). Return 0 or -1 (errno ENOENT: no such set).
 */
int fw_ipset_index(const char *name, uint16_t *index);
int fw_ipset_name(uint16_t index, char *name, size_t len);
/*
 * Like fw_ipset_index(), also giving the set's family (NFPROTO_IPV4,
 * NFPROTO_IPV6, or 0 when any or unknown). 0 or -1 (errno ENOENT).
 */
int fw_ipset_find(const char *name, uint16_t *index, int *family);

/*
 * A batch of nf_tables messages, built in memory, sent with one sendmsg.
 * fw_batch_new() starts it with NFNL_MSG_BATCH_BEGIN carrying genid
 * (0: no generation check). Each fw_batch_*() below appends one message
 * and returns its sequence number (>= 2); the caller keeps seq -> input
 * location to map errors back. The nftnl object is only read.
 */
struct fw_batch;

struct fw_batch *fw_batch_new(uint32_t genid);
void fw_batch_free(struct fw_batch *b);
/*
 * Replace the generation id in BATCH_BEGIN, to resend the same batch after
 * ERESTART without rebuilding it. (Addition to the original contract.)
 */
void fw_batch_set_genid(struct fw_batch *b, uint32_t genid);
/* nlmsg type NFT_MSG_NEWTABLE etc., flags NLM_F_* besides REQUEST. */
uint32_t fw_batch_table(struct fw_batch *b, uint16_t type, uint16_t flags,
			int family, const struct nftnl_table *t);
uint32_t fw_batch_chain(struct fw_batch *b, uint16_t type, uint16_t flags,
			int family, const struct nftnl_chain *c);
uint32_t fw_batch_rule(struct fw_batch *b, uint16_t type, uint16_t flags,
		       int family, const struct nftnl_rule *r);
/*
 * A message written by the caller: fw_batch_msg() starts it at the end of
 * the batch (header and nfgenmsg); the caller appends attributes with
 * mnl_attr_put*() (at most 256 KiB in all), then fw_batch_msg_end() adds
 * it and returns its sequence number, or fw_batch_msg_cancel() drops it.
 * No other fw_batch_*() call may come in between.
 */
struct nlmsghdr *fw_batch_msg(struct fw_batch *b, uint16_t type,
			      uint16_t flags, int family);
uint32_t fw_batch_msg_end(struct fw_batch *b, struct nlmsghdr *nlh);
void fw_batch_msg_cancel(struct fw_batch *b);
/* Number of object messages so far, and bytes of the batch. */
uint32_t fw_batch_count(const struct fw_batch *b);
size_t fw_batch_size(const struct fw_batch *b);

/*
 * Called once per message the kernel rejected (seq, positive errno).
 * seq 1 is BATCH_BEGIN (ERESTART: the generation id is stale).
 */
typedef void (*fw_batch_err_cb)(uint32_t seq, int err, void *data);

enum fw_batch_mode {
	FW_BATCH_COMMIT,	/* BATCH_END appended: kernel commits or aborts */
	FW_BATCH_CHECK,		/* no BATCH_END, NLM_F_ACK on every object:
				 * kernel validates all, commits nothing */
};

/*
 * Send the batch and collect answers until every sequence number is
 * accounted for (or a timeout of a few seconds). Returns 0 when the kernel
 * accepted every message (committed, or in check mode validated), 1 when
 * it rejected at least one (each reported through cb), -1 on a local or
 * socket error with errno set. *commit_ns, when not NULL, receives the
 * time from sendmsg until the last answer. errno ENOBUFS: the kernel
 * dropped answers (some may have reached cb); ETIMEDOUT: check-mode answers
 * missing. A batch may be sent again (see fw_batch_set_genid()), but once
 * sent in commit mode (BATCH_END appended) no longer in check mode: EINVAL.
 */
int fw_batch_send(struct fw_nl *nl, struct fw_batch *b,
		  enum fw_batch_mode mode, fw_batch_err_cb cb, void *data,
		  uint64_t *commit_ns);

#endif
