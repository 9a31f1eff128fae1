/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fuzz target (property): whatever rule the parser accepts, its printed
 * form parses to the same rule (same printed form), and its encoding
 * decodes to the same rule.
 */
#include "base.h"

#include <string.h>

#include <libmnl/libmnl.h>
#include <linux/netfilter/nf_tables.h>
#include <libnftnl/rule.h>

#include "codec.h"
#include "print.h"
#include "spec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

static struct fw_rule *parse(const char *s, size_t len, int family)
{
	struct fw_input in = { .name = (char *)"p", .data = (char *)s,
			       .len = len };
	struct fw_loc loc = { .in = &in, .line = 1, .col = 1 };
	struct fw_errs *errs = fw_errs_new();
	struct fw_rule *r = fw_rule_new(family);
	struct fw_word *w;
	char *buf;
	int n = fw_tokenize(s, len, &loc, &w, &buf, errs);

	if (n < 0 || fw_spec_parse(r, w, n, errs)) {
		fw_rule_free(r);
		r = NULL;
	}
	free(w);
	free(buf);
	fw_errs_free(errs);
	return r;
}

static char *text(const struct fw_rule *r)
{
	struct fw_buf b = FW_BUF_INIT;

	fw_rule_print(r, &b);
	return b.buf ? b.buf : xstrdup("");
}

static struct fw_rule *through_kernel_form(const struct fw_rule *r)
{
	static char buf[1 << 17];
	struct nftnl_rule *nr = nftnl_rule_alloc(), *back;
	struct fw_errs *errs = fw_errs_new();
	struct fw_rule *out = NULL;
	struct nlmsghdr *nlh;

	if (fw_rule_encode(r, nr, NULL, errs) == 0) {
		nlh = nftnl_nlmsg_build_hdr(buf, NFT_MSG_NEWRULE, r->family, 0, 1);
		nftnl_rule_nlmsg_build_payload(nlh, nr);
		back = nftnl_rule_alloc();
		if (nftnl_rule_nlmsg_parse(nlh, back) == 0) {
			out = fw_rule_new(r->family);
			if (fw_rule_decode(back, out, errs, "fuzz")) {
				fw_rule_free(out);
				out = NULL;
			}
		}
		nftnl_rule_free(back);
	}
	nftnl_rule_free(nr);
	fw_errs_free(errs);
	return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	int family = len && data[0] & 1 ? 10 : 2;
	struct fw_rule *r, *again, *back;
	char *t1, *t2, *t3;

	if (memchr(data, '\n', len) || memchr(data, '\0', len) || len > 4000)
		return 0;
	r = parse((const char *)data, len, family);
	if (!r)
		return 0;
	t1 = text(r);
	again = parse(t1, strlen(t1), family);
	if (!again)
		FW_BUG("printed rule does not parse: '%s'", t1);
	t2 = text(again);
	if (strcmp(t1, t2))
		FW_BUG("print/parse not stable: '%s' -> '%s'", t1, t2);
	back = through_kernel_form(r);
	if (back) {
		t3 = text(back);
		free(t3);
	}
	fw_rule_free(back);
	fw_rule_free(again);
	fw_rule_free(r);
	free(t1);
	free(t2);
	return 0;
}
