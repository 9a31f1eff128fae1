/* SPDX-License-Identifier: GPL-2.0-or-later */
/* the model: one iptables rule, its matches and its target */
#ifndef FW_RULE_H
#define FW_RULE_H

#include "base.h"

#include <net/if.h>

#include "err.h"

struct fw_ext;

/* Families as nf_tables numbers them (NFPROTO_IPV4, NFPROTO_IPV6). */
#define FW_AF_IPV4 2
#define FW_AF_IPV6 10

/* Inversion bits of the base part of a rule (a "!" before the option). */
enum {
	FW_INV_SRC = 1 << 0,
	FW_INV_DST = 1 << 1,
	FW_INV_IN = 1 << 2,
	FW_INV_OUT = 1 << 3,
	FW_INV_PROTO = 1 << 4,
	FW_INV_FRAG = 1 << 5,
};

/* Which base options a rule has. */
enum {
	FW_HAS_SRC = 1 << 0,
	FW_HAS_DST = 1 << 1,
	FW_HAS_IN = 1 << 2,
	FW_HAS_OUT = 1 << 3,
	FW_HAS_PROTO = 1 << 4,
	FW_HAS_FRAG = 1 << 5,
	FW_HAS_COUNTERS = 1 << 6,	/* -c or [p:b] given */
	FW_IN_ANY = 1 << 7,	/* "-i +": a bare meta load (1.8.9) */
	FW_OUT_ANY = 1 << 8,
};

enum fw_verdict {
	FW_V_NONE,		/* no -j/-g: just count */
	FW_V_ACCEPT,
	FW_V_DROP,
	FW_V_RETURN,
	FW_V_JUMP,		/* -j CHAIN */
	FW_V_GOTO,		/* -g CHAIN */
	FW_V_EXT,		/* -j TARGET (an extension) */
};

/* An address and mask; IPv4 uses the first 4 bytes. */
struct fw_addr {
	uint8_t a[16];
	uint8_t m[16];
};

/* One -m match or -j target instance, with its info struct after it. */
struct fw_xt {
	struct fw_xt *next;
	const struct fw_ext *ext;
	struct fw_loc loc;
	uint64_t seen;		/* option ids given, for the ext's checks */
	uint32_t revision;	/* revision chosen for the kernel */
	unsigned len;		/* bytes of data */
	uint8_t data[] __attribute__((aligned(8)));
};

struct fw_rule {
	struct fw_loc loc;
	int family;		/* FW_AF_IPV4 or FW_AF_IPV6 */
	uint32_t has;		/* FW_HAS_* */
	uint32_t inv;		/* FW_INV_* */
	struct fw_addr src, dst;
	/*
	 * Address lists ("-s a,b", a host name with several addresses): the
	 * rule stands for one rule per (source, destination) pair, sources
	 * outer, as iptables expands it. NULL when there is one address.
	 */
	struct fw_addr *src_list, *dst_list;
	unsigned nsrc, ndst;
	char iniface[IFNAMSIZ + 1], outiface[IFNAMSIZ + 1];
	uint8_t proto;
	struct fw_xt *matches, **mtail;
	struct fw_xt *target;	/* FW_V_EXT only */
	enum fw_verdict verdict;
	char *chain;		/* FW_V_JUMP / FW_V_GOTO target chain */
	uint64_t pkts, bytes;
};

/* Allocate an empty rule of a family; free with fw_rule_free(). */
struct fw_rule *fw_rule_new(int family);
void fw_rule_free(struct fw_rule *r);
/*
 * dst (its old contents ignored) gets all that src held; src is left
 * empty, as fw_rule_clear() leaves it. dst is freed with fw_rule_clear().
 */
void fw_rule_move(struct fw_rule *dst, struct fw_rule *src);
/* Reset r to empty, keeping family; frees what it owned. */
void fw_rule_clear(struct fw_rule *r);

/* A new instance of ext (info zeroed, or set by ext->init). */
struct fw_xt *fw_xt_new(const struct fw_ext *ext, const struct fw_loc *loc);
/* Append m to r's matches: r owns m afterwards. */
void fw_rule_add_match(struct fw_rule *r, struct fw_xt *m);
/* The last match of r, or NULL. */
struct fw_xt *fw_rule_last_match(const struct fw_rule *r);
/* The first match of r that is an instance of ext, or NULL. */
struct fw_xt *fw_rule_find_match(const struct fw_rule *r,
				 const struct fw_ext *ext);

/* Length in bytes of an address of this family (4 or 16). */
static inline unsigned fw_addr_len(int family)
{
	return family == FW_AF_IPV6 ? 16 : 4;
}

/* Prefix length of a contiguous mask, or -1 if not contiguous. */
int fw_mask_prefix(const uint8_t *m, unsigned len);
/* m (16 bytes): prefix leading ones, then zeros; prefix <= 128. */
void fw_mask_from_prefix(uint8_t *m, unsigned prefix);

#endif
