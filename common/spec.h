/* SPDX-License-Identifier: GPL-2.0-or-later */
/* rule specs: the words after "-A CHAIN", parsed into a struct fw_rule */
#ifndef FW_SPEC_H
#define FW_SPEC_H

#include "base.h"

#include "err.h"
#include "rule.h"

/* A word of input with its location. */
struct fw_word {
	char *s;
	struct fw_loc loc;
};

/*
 * Parse words[0..n-1] (options, matches, target) into r, which must be
 * empty (fw_rule_new). Errors are appended to errs, each at its word.
 * Returns 0, or -1 if any error was found.
 */
int fw_spec_parse(struct fw_rule *r, const struct fw_word *words, unsigned n,
		  struct fw_errs *errs);

/*
 * Where fw_tokenize() puts a line's words: kept from line to line (a
 * restore reads one line after the other), so most lines allocate
 * nothing. Start zeroed (FW_TOKENS_INIT), free with fw_tokens_release().
 */
struct fw_tokens {
	struct fw_word *w;
	char *buf;
	size_t size;		/* of buf */
};
#define FW_TOKENS_INIT { NULL, NULL, 0 }
void fw_tokens_release(struct fw_tokens *t);

/*
 * Split one line into words as iptables-restore does: blanks separate,
 * double quotes group, a backslash inside quotes takes the next byte
 * literally. The words go to t->w[0..n-1], valid until the next call with
 * t; loc gives input, line and the column of each word. Returns the
 * number of words n, or -1 on error (in errs).
 */
int fw_tokenize(const char *line, size_t len, const struct fw_loc *loc,
		struct fw_tokens *t, struct fw_errs *errs);

/* Parse "ADDR[/MASK]" of a family; 0 or -1 (error at loc). */
int fw_addr_parse(const char *s, int family, struct fw_addr *a,
		  struct fw_errs *errs, const struct fw_loc *loc);

/* Set: host names are never looked up (fuzzing, seed replays). */
extern bool fw_no_resolver;

/*
 * Parse "A[/M][,B[/M]...]" where a host name may stand for several
 * addresses: *list gets n addresses (caller frees). Duplicates stay, as
 * in iptables.
 */
int fw_addr_parse_list(const char *s, int family, struct fw_addr **list,
		       unsigned *n, struct fw_errs *errs,
		       const struct fw_loc *loc);

/* Is name a valid chain name for -N / ":" lines? NULL or why not. */
const char *fw_chain_name_invalid(const char *name, int family);

#endif
