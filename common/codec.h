/* SPDX-License-Identifier: GPL-2.0-or-later */
/* rules to nftnl expressions and back, as iptables-nft 1.8.9 does */
#ifndef FW_CODEC_H
#define FW_CODEC_H

#include "base.h"

#include "err.h"
#include "rule.h"

struct nftnl_rule;
struct nlmsghdr;
struct fw_nl;
struct fw_nlrule;

/*
 * Add r's expressions and compat attributes to nr (table and chain are
 * the caller's). nl is used to check extension revisions with the kernel
 * (NULL: no check). 0, or -1 with errors in errs.
 */
int fw_rule_encode(const struct fw_rule *r, struct nftnl_rule *nr,
		   struct fw_nl *nl, struct fw_errs *errs);
/*
 * The same written straight into a NEWRULE message (fw_batch_msg()): its
 * NFTA_RULE_EXPRESSIONS and NFTA_RULE_COMPAT, byte for byte what
 * fw_rule_encode() and nftnl_rule_nlmsg_build_payload() give, without an
 * nftnl object per expression. The caller writes table, chain, handle or
 * position before and id or position id after. 0 or -1 (errors in errs;
 * the message is then incomplete and must be dropped).
 */
int fw_rule_encode_msg(const struct fw_rule *r, struct nlmsghdr *nlh,
		       struct fw_nl *nl, struct fw_errs *errs);

enum fw_decode_result {
	FW_DECODE_OK = 0,
	FW_DECODE_ERROR = -1,	/* known expressions, unknown meaning */
	FW_DECODE_FOREIGN = -2,	/* an expression iptables never uses */
};

/*
 * Decode nr, a rule message from the kernel (nlmsg.h), into r (empty,
 * of the right family). where names the rule for messages ("table
 * filter chain INPUT"). Returns enum fw_decode_result; errors go to errs.
 */
int fw_rule_decode(const struct fw_nlrule *nr, struct fw_rule *r,
		   struct fw_errs *errs, const char *where);

#endif
