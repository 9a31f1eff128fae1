/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * fuzz target (property): whatever rule the parser accepts, its printed
 * form parses to the same rule (same printed form); fw-save reads its
 * kernel form back, and what it reads encodes to the same bytes again.
 */
#include "base.h"

#include <string.h>

#include <libmnl/libmnl.h>
#include <linux/netfilter/nf_tables.h>
#include <libnftnl/rule.h>

#include "codec.h"
#include "nlmsg.h"
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
	struct fw_tokens t = FW_TOKENS_INIT;
	int n = fw_tokenize(s, len, &loc, &t, errs);

	if (n < 0 || fw_spec_parse(r, t.w, n, errs)) {
		fw_rule_free(r);
		r = NULL;
	}
	fw_tokens_release(&t);
	fw_errs_free(errs);
	return r;
}

static char *text(const struct fw_rule *r)
{
	struct fw_buf b = FW_BUF_INIT;

	fw_rule_print(r, &b);
	return b.buf ? b.buf : xstrdup("");
}

/*
 * The NEWRULE message of r (its expressions and compat attributes), in
 * buf; its length, or 0 if r does not encode.
 */
static size_t encode(const struct fw_rule *r, char *buf)
{
	struct nftnl_rule *nr = nftnl_rule_alloc();
	struct fw_errs *errs = fw_errs_new();
	struct nlmsghdr *nlh;
	size_t n = 0;

	if (fw_rule_encode(r, nr, NULL, errs) == 0) {
		nlh = nftnl_nlmsg_build_hdr(buf, NFT_MSG_NEWRULE, r->family, 0, 1);
		nftnl_rule_nlmsg_build_payload(nlh, nr);
		n = nlh->nlmsg_len;
	}
	nftnl_rule_free(nr);
	fw_errs_free(errs);
	return n;
}

/*
 * What fw-save reads back from that message: the rule, or NULL for a
 * form it refuses (the table is printed as incompatible, as for nft's
 * "tcp dport 1 tcp dport 2"). It must never fail to decode it.
 */
static struct fw_rule *decode(const char *buf, int family, const char *t1)
{
	struct fw_errs *errs = fw_errs_new();
	struct fw_rule *out = fw_rule_new(family);
	struct fw_nlrule back;
	int rc;

	if (fw_nlrule_parse((const struct nlmsghdr *)buf, &back) < 0)
		FW_BUG("cannot read the message of '%s'", t1);
	rc = fw_rule_decode(&back, out, errs, "fuzz");
	if (rc == FW_DECODE_ERROR)
		FW_BUG("fw-save cannot read what fw-restore wrote: '%s'", t1);
	if (rc) {
		fw_rule_free(out);
		out = NULL;
	}
	fw_errs_free(errs);
	return out;
}

static bool zero_mask(const struct fw_addr *a)
{
	static const uint8_t zero[16];

	return !memcmp(a->m, zero, sizeof(zero));
}

/*
 * "! -s 0.0.0.0/0" (or ::/0) is encoded as 1.8.9 encodes it, a compare of
 * no bytes, which the kernel refuses (EINVAL, for iptables-nft too) and
 * libnftnl cannot parse: nothing fw-save could ever read back.
 */
static bool kernel_refuses(const struct fw_rule *r)
{
	return (r->inv & FW_INV_SRC && r->has & FW_HAS_SRC && zero_mask(&r->src)) ||
	       (r->inv & FW_INV_DST && r->has & FW_HAS_DST && zero_mask(&r->dst));
}

/* restore, save: the saved text (NULL if refused or not encodable). */
static char *save_of(const struct fw_rule *r, const char *t1)
{
	static char buf[1 << 17];
	struct fw_rule *back;
	char *t;

	if (kernel_refuses(r) || !encode(r, buf))
		return NULL;
	back = decode(buf, r->family, t1);
	if (!back)
		return NULL;
	t = text(back);
	fw_rule_free(back);
	return t;
}

/*
 * Restore, save, restore, save: the second save prints what the first
 * did (the first may spell the rule another way than the input did).
 */
static void kernel_round_trip(const struct fw_rule *r, const char *t1)
{
	char *s1 = save_of(r, t1), *s2;
	struct fw_rule *again;

	if (!s1)
		return;
	again = parse(s1, strlen(s1), r->family);
	if (!again)
		FW_BUG("saved rule does not load: '%s' -> '%s'", t1, s1);
	s2 = save_of(again, s1);
	if (!s2 || strcmp(s1, s2))
		FW_BUG("save, restore, save is not stable: '%s' -> '%s' -> '%s'",
		       t1, s1, s2 ? s2 : "(refused)");
	free(s2);
	fw_rule_free(again);
	free(s1);
}

/*
 * The canonical form can be longer than the input ("-mah" prints as
 * "-m ah"); past the text limits (10239 bytes, 254 words, as
 * iptables-restore) it is an input the parser rejects with a clear
 * error, so the round trip is not asked of it.
 */
static bool within_limits(const char *t)
{
	unsigned words = 0;
	const char *p;

	if (strlen(t) + 16 > 10239)
		return false;
	for (p = t; *p; p++)
		words += *p != ' ' && (p == t || p[-1] == ' ');
	return words + 2 <= 254;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	int family = len && data[0] & 1 ? 10 : 2;
	struct fw_rule *r, *again;
	char *t1, *t2;

	if (memchr(data, '\n', len) || memchr(data, '\0', len) || len > 4000)
		return 0;
	r = parse((const char *)data, len, family);
	if (!r)
		return 0;
	t1 = text(r);
	if (!within_limits(t1)) {
		fw_rule_free(r);
		free(t1);
		return 0;
	}
	again = parse(t1, strlen(t1), family);
	if (!again)
		FW_BUG("printed rule does not parse: '%s'", t1);
	t2 = text(again);
	if (strcmp(t1, t2))
		FW_BUG("print/parse not stable: '%s' -> '%s'", t1, t2);
	kernel_round_trip(r, t1);
	fw_rule_free(again);
	fw_rule_free(r);
	free(t1);
	free(t2);
	return 0;
}
