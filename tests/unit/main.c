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

/* nr as a message from the kernel, shifted by pad bytes, decoded. */
static struct fw_rule *decode_at(struct nftnl_rule *nr, int family,
				 char *buf, unsigned pad, struct fw_errs *errs)
{
	struct nlmsghdr *nlh;
	struct fw_rule *out = NULL;
	struct fw_nlrule back;

	memset(buf, 0, 1 << 16);
	nlh = nftnl_nlmsg_build_hdr(buf, NFT_MSG_NEWRULE, family, 0, 1);
	if (pad)
		mnl_attr_put(nlh, NFTA_RULE_PAD, pad - 4, NULL);
	nftnl_rule_nlmsg_build_payload(nlh, nr);
	if (fw_nlrule_parse(nlh, &back) == 0) {
		out = fw_rule_new(family);
		if (fw_rule_decode(&back, out, errs, "test rule")) {
			fw_rule_free(out);
			out = NULL;
		}
	}
	return out;
}

struct fw_rule *unit_roundtrip(const struct fw_rule *r, struct fw_errs *errs)
{
	char *buf = xzalloc(1 << 16);
	struct nftnl_rule *nr = nftnl_rule_alloc();
	struct fw_rule *out = NULL, *moved;
	char *a, *b;

	nftnl_rule_set_str(nr, NFTNL_RULE_TABLE, "filter");
	nftnl_rule_set_str(nr, NFTNL_RULE_CHAIN, "INPUT");
	if (fw_rule_encode(r, nr, NULL, errs))
		goto done;
	out = decode_at(nr, r->family, buf, 0, errs);
	/*
	 * Again with every attribute 4 bytes further: the decoder must not
	 * depend on 8-byte alignment (UBSan builds check each access).
	 */
	moved = decode_at(nr, r->family, buf, 4, errs);
	a = out ? unit_print(out) : xstrdup("(none)");
	b = moved ? unit_print(moved) : xstrdup("(none)");
	CHECK(!strcmp(a, b), "decoded 4 bytes further: '%s', not '%s'", b, a);
	free(a);
	free(b);
	fw_rule_free(moved);
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
	if (!only || !strcmp(only, "cmdpipe"))
		test_cmdpipe();
	printf("unit: %u passed, %u failed\n", unit_pass, unit_fail);
	return unit_fail ? 1 : 0;
}
