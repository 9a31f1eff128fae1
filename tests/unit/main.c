/* SPDX-License-Identifier: GPL-2.0-or-later */
/* unit tests: every extension's case table, the tokenizer, the grammar */
#include "base.h"

#include <string.h>

#include <libmnl/libmnl.h>
#include <linux/netfilter/nf_tables.h>
#include <libnftnl/rule.h>

#include "print.h"
#include "codec.h"
#include "nlmsg.h"
#include "spec.h"
#include "unit.h"

unsigned unit_pass, unit_fail;

struct fw_rule *unit_parse(const char *spec, int family, struct fw_errs *errs)
{
	struct fw_input in = { .name = (char *)"<test>", .data = (char *)spec,
			       .len = strlen(spec) };
	struct fw_loc loc = { .in = &in, .line = 1, .col = 1 };
	struct fw_rule *r = fw_rule_new(family);
	struct fw_tokens t = FW_TOKENS_INIT;
	int n = fw_tokenize(spec, strlen(spec), &loc, &t, errs);

	if (n < 0 || fw_spec_parse(r, t.w, n, errs)) {
		fw_rule_free(r);
		r = NULL;
	}
	fw_tokens_release(&t);
	return r;
}

char *unit_print(const struct fw_rule *r)
{
	struct fw_buf b = FW_BUF_INIT;

	fw_rule_print(r, &b);
	if (!b.buf)
		return xstrdup("");
	/* drop the leading space of the first part */
	memmove(b.buf, b.buf + (b.buf[0] == ' '), b.len);
	return b.buf;
}

struct fw_rule *unit_roundtrip(const struct fw_rule *r, struct fw_errs *errs)
{
	char *buf = xzalloc(1 << 16);
	struct nftnl_rule *nr = nftnl_rule_alloc();
	struct nlmsghdr *nlh;
	struct fw_rule *out = NULL;
	struct fw_nlrule back;

	nftnl_rule_set_str(nr, NFTNL_RULE_TABLE, "filter");
	nftnl_rule_set_str(nr, NFTNL_RULE_CHAIN, "INPUT");
	if (fw_rule_encode(r, nr, NULL, errs))
		goto done;
	nlh = nftnl_nlmsg_build_hdr(buf, NFT_MSG_NEWRULE, r->family, 0, 1);
	nftnl_rule_nlmsg_build_payload(nlh, nr);
	if (fw_nlrule_parse(nlh, &back) == 0) {
		out = fw_rule_new(r->family);
		if (fw_rule_decode(&back, out, errs, "test rule")) {
			fw_rule_free(out);
			out = NULL;
		}
	}
done:
	nftnl_rule_free(nr);
	free(buf);
	return out;
}

int main(int argc, char **argv)
{
	const char *only = argc > 1 ? argv[1] : NULL;

	if (!only || !strcmp(only, "ext"))
		test_ext();
	if (!only || !strcmp(only, "tok"))
		test_tok();
	if (!only || !strcmp(only, "grammar"))
		test_grammar();
	if (!only || !strcmp(only, "yaml"))
		test_yaml();
	if (!only || !strcmp(only, "decode"))
		test_decode();
	if (!only || !strcmp(only, "util"))
		test_util();
	printf("unit: %u passed, %u failed\n", unit_pass, unit_fail);
	return unit_fail ? 1 : 0;
}
