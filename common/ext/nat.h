/* SPDX-License-Identifier: GPL-2.0-or-later */
/* NAT ranges (DNAT, SNAT, MASQUERADE, REDIRECT) and host masks (NETMAP, NPT) */
#ifndef FW_EXT_NAT_H
#define FW_EXT_NAT_H

#include "base.h"

#include <linux/netfilter/nf_nat.h>

#include "ext.h"

/* Option ids the NAT targets share (their opts tables use these). */
enum {
	FW_NAT_O_TO,		/* --to-destination / --to-source */
	FW_NAT_O_PORTS,		/* --to-ports */
	FW_NAT_O_RANDOM,
	FW_NAT_O_RANDOM_FULLY,
	FW_NAT_O_PERSISTENT,
};

/*
 * Init for the IPv4 targets of struct nf_nat_ipv4_multi_range_compat:
 * one range, as iptables' final check sets it.
 */
void fw_nat_init_compat(struct fw_xt *x, const struct fw_rule *r);

/*
 * One NAT option into x->data, whichever of the three layouts the ext
 * has (multi_range_compat, nf_nat_range or nf_nat_range2). 0 or -1.
 */
int fw_nat_parse(struct fw_pctx *p, const struct fw_opt *o, char **argv);

/* Fail unless the mandatory --to-* option was given. */
int fw_nat_need_to(struct fw_pctx *p);

/* Fail on a shifted port range ("a-b/base") the target cannot carry. */
int fw_nat_no_offset(struct fw_pctx *p);

/*
 * "HOST[/MASK]" as libxtables' hostmask type (NETMAP --to, DNPT/SNPT):
 * a->a is the address as written, not masked; the mask is a prefix
 * length (any base) or an address-form mask (IPv4 in inet_aton form).
 * As in 1.8.9 a mask with holes turns into all ones and *plen into 255.
 */
int fw_nat_hostmask(struct fw_pctx *p, const char *s, struct fw_addr *a,
		    uint8_t *plen);

/* The iptables-save options of a NAT target. */
void fw_nat_print(const struct fw_xt *x, const struct fw_rule *r,
		  struct fw_pr *pr);

#endif
