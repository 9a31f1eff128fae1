/* SPDX-License-Identifier: GPL-2.0-or-later */
/* commands: what a restore input asks for, in input order */
#ifndef FW_CMD_H
#define FW_CMD_H

#include "base.h"

#include "err.h"
#include "rule.h"

enum fw_cmd_op {
	FW_CMD_TABLE,		/* "*table" */
	FW_CMD_CHAIN,		/* ":CHAIN POLICY [p:b]" */
	FW_CMD_APPEND,		/* -A chain rule */
	FW_CMD_INSERT,		/* -I chain [num] rule */
	FW_CMD_DELETE,		/* -D chain rule */
	FW_CMD_DELETE_NUM,	/* -D chain num */
	FW_CMD_REPLACE,		/* -R chain num rule */
	FW_CMD_NEW_CHAIN,	/* -N chain */
	FW_CMD_DEL_CHAIN,	/* -X [chain] */
	FW_CMD_RENAME,		/* -E old new */
	FW_CMD_FLUSH,		/* -F [chain] */
	FW_CMD_ZERO,		/* -Z [chain [num]] */
	FW_CMD_POLICY,		/* -P chain policy */
	FW_CMD_COMMIT,		/* "COMMIT" */
};

struct fw_cmd {
	enum fw_cmd_op op;
	struct fw_loc loc;	/* the command word (or the line) */
	int family;		/* FW_AF_IPV4 / FW_AF_IPV6 */
	const char *table;
	const char *chain;	/* NULL: all chains (-F, -X, -Z) */
	const char *arg;	/* policy; new name for -E */
	struct fw_loc arg_loc;
	unsigned num;		/* 1-based rule number, 0: none */
	bool counters;		/* [p:b] given on a ":" line */
	uint64_t pkts, bytes;
	struct fw_rule *rule;	/* APPEND/INSERT/DELETE/REPLACE; borrowed */
};

/* Called for every command; 0 to go on, -1 on an error (already in errs). */
typedef int (*fw_cmd_fn)(const struct fw_cmd *c, void *data);

/*
 * A parser: calls fn(cmd, fn_data) for every command of its inputs in
 * order, reports to errs; 0, or -1 if it found an error.
 */
typedef int (*fw_cmd_source)(void *arg, fw_cmd_fn fn, void *fn_data,
			     struct fw_errs *errs);

struct fw_cmd_pipe_stats {
	bool threaded;		/* src ran in a thread of its own */
	uint64_t parser_ns;	/* then: src at work (waits not counted) */
};

/*
 * Run src in a second thread while this one runs fn on its commands, in
 * their order; the messages src reports reach errs in the order a single
 * thread would give them (common/cmdpipe.c). fn sees each command as src
 * gave it; the rule is fn's to read, not to keep. Without thread (a small
 * input: starting one costs more than it saves), or when no thread can
 * be started, src calls fn itself. 0, or -1 when src or any fn call
 * failed.
 */
int fw_cmd_pipe(fw_cmd_source src, void *arg, fw_cmd_fn fn, void *data,
		struct fw_errs *errs, bool thread,
		struct fw_cmd_pipe_stats *st);

/* Builtin tables and chains, as iptables knows them. */
struct fw_builtin {
	const char *name;
	int hook;		/* NF_INET_* */
	int prio;
	const char *type;	/* "filter", "nat", "route" */
};

/* The table's index in save order (mangle, security, raw, filter, nat). */
int fw_table_index(const char *table);
extern const char *const fw_table_names[5];
/* The builtin chain of table by name, or NULL. */
const struct fw_builtin *fw_builtin_find(const char *table, const char *chain);
/* The builtin chains of a table in hook order, NULL-name terminated. */
const struct fw_builtin *fw_builtins(const char *table);

enum {
	FW_P_COUNTERS = 1 << 0,	/* apply [p:b] prefixes and chain counters */
};

/*
 * Parse an iptables-restore input, calling fn for each command. Errors
 * are collected in errs; after a bad line parsing goes on with the next.
 * only_table: -T (other tables skipped). family: FW_AF_IPV4/6.
 * Returns 0, or -1 if any error was found.
 */
int fw_parse_text(const struct fw_input *in, int family, unsigned flags,
		  const char *only_table, fw_cmd_fn fn, void *data,
		  struct fw_errs *errs);

#endif
