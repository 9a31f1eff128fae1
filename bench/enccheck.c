/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * enccheck: fw-restore writes rules straight into the batch
 * (fw_rule_encode_msg()); this checks, without a kernel, that the bytes are
 * those of the nftnl path (fw_rule_encode() + nftnl_rule_nlmsg_build_payload())
 * for every rule (-A, -I, -D, -R) of the given iptables-save files.
 *
 *   enccheck [-6] FILE...
 *
 * Prints "enccheck: N rules, M differ" and the first differences; exit 0
 * when all are equal, 1 when some differ, 2 on bad input. Built by
 * "make bench" (it links the project's libfw.a).
 */
#include "base.h"

#include <string.h>
#include <arpa/inet.h>

#include <linux/netfilter/nf_tables.h>
#include <libmnl/libmnl.h>
#include <libnftnl/common.h>
#include <libnftnl/rule.h>

#include "cmd.h"
#include "codec.h"

#define BUF_SIZE (1u << 20)

struct check {
	char *a, *b;
	unsigned rules, differ;
};

static size_t build_nftnl(char *buf, const struct fw_cmd *c, uint32_t id,
			  struct fw_errs *errs, int *rc)
{
	struct nftnl_rule *nr = nftnl_rule_alloc();
	struct nlmsghdr *nlh;

	nftnl_rule_set_str(nr, NFTNL_RULE_TABLE, c->table);
	nftnl_rule_set_str(nr, NFTNL_RULE_CHAIN, c->chain);
	nftnl_rule_set_u32(nr, NFTNL_RULE_FAMILY, c->family);
	nftnl_rule_set_u32(nr, NFTNL_RULE_ID, id);
	*rc = fw_rule_encode(c->rule, nr, NULL, errs);
	nlh = nftnl_nlmsg_build_hdr(buf, NFT_MSG_NEWRULE, c->family,
				    NLM_F_CREATE | NLM_F_APPEND, id);
	nftnl_rule_nlmsg_build_payload(nlh, nr);
	nftnl_rule_free(nr);
	return nlh->nlmsg_len;
}

static size_t build_direct(char *buf, const struct fw_cmd *c, uint32_t id,
			   struct fw_errs *errs, int *rc)
{
	struct nlmsghdr *nlh;

	nlh = nftnl_nlmsg_build_hdr(buf, NFT_MSG_NEWRULE, c->family,
				    NLM_F_CREATE | NLM_F_APPEND, id);
	mnl_attr_put_strz(nlh, NFTA_RULE_TABLE, c->table);
	mnl_attr_put_strz(nlh, NFTA_RULE_CHAIN, c->chain);
	*rc = fw_rule_encode_msg(c->rule, nlh, NULL, errs);
	mnl_attr_put_u32(nlh, NFTA_RULE_ID, htonl(id));
	return nlh->nlmsg_len;
}

static int one(const struct fw_cmd *c, void *data)
{
	struct check *k = data;
	struct fw_errs *errs;
	size_t la, lb, i;
	int ra, rb;

	if (!c->rule)
		return 0;
	errs = fw_errs_new();
	k->rules++;
	memset(k->a, 0, BUF_SIZE);
	memset(k->b, 0, BUF_SIZE);
	la = build_nftnl(k->a, c, k->rules, errs, &ra);
	lb = build_direct(k->b, c, k->rules, errs, &rb);
	fw_errs_free(errs);
	if (la == lb && ra == rb && !memcmp(k->a, k->b, la))
		return 0;
	if (k->differ++ < 5) {
		for (i = 0; i < la && i < lb && k->a[i] == k->b[i]; i++)
			;
		fprintf(stderr, "enccheck: line %u: nftnl %zu bytes rc %d, "
			"direct %zu bytes rc %d, first difference at byte %zu\n",
			c->loc.line, la, ra, lb, rb, i);
	}
	return 0;
}

int main(int argc, char **argv)
{
	struct check k = { xmalloc(BUF_SIZE), xmalloc(BUF_SIZE), 0, 0 };
	int family = FW_AF_IPV4, i = 1, rc = 0;
	struct fw_errs *errs = fw_errs_new();
	struct fw_input in;

	if (i < argc && !strcmp(argv[i], "-6")) {
		family = FW_AF_IPV6;
		i++;
	}
	if (i == argc) {
		fprintf(stderr, "usage: enccheck [-6] FILE...\n");
		return 2;
	}
	for (; i < argc; i++) {
		if (fw_input_read(&in, argv[i], family == FW_AF_IPV6 ? 6 : 4,
				  errs) ||
		    fw_parse_text(&in, family, 0, NULL, one, &k, errs))
			rc = 2;
		fw_errs_print(errs, stderr);
		fw_errs_free(errs);
		errs = fw_errs_new();
		fw_input_release(&in);
	}
	fw_errs_free(errs);
	printf("enccheck: %u rules, %u differ\n", k.rules, k.differ);
	free(k.a);
	free(k.b);
	return k.differ ? 1 : rc;
}
