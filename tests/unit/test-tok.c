/* SPDX-License-Identifier: GPL-2.0-or-later */
/* the tokenizer: iptables-restore's quoting rules */
#include "base.h"

#include <string.h>

#include "spec.h"
#include "unit.h"

static const struct {
	const char *line;
	int n;			/* words, or -1 for an error */
	const char *joined;	/* words joined with '|' */
} cases[] = {
	{ "-A INPUT -j ACCEPT", 4, "-A|INPUT|-j|ACCEPT" },
	{ "  a\tb  ", 2, "a|b" },
	{ "\"a b\"c", 1, "a bc" },
	{ "\"\"", 1, "" },
	{ "\"it\\\"s\"", 1, "it\"s" },
	{ "a\\b", 1, "a\\b" },
	{ "'x'", 1, "'x'" },
	{ "\"open", -1, NULL },
	{ "", 0, "" },
};

void test_tok(void)
{
	struct fw_errs *errs = fw_errs_new();
	struct fw_loc loc = { .line = 1 };
	struct fw_buf b = FW_BUF_INIT;
	struct fw_tokens t = FW_TOKENS_INIT;
	size_t i;
	int n, k;

	for (i = 0; i < FW_ARRAY_SIZE(cases); i++) {
		/* t is reused from case to case, as by a restore */
		n = fw_tokenize(cases[i].line, strlen(cases[i].line), &loc, &t,
				errs);
		CHECK(n == cases[i].n, "tokenize '%s': %d words, want %d",
		      cases[i].line, n, cases[i].n);
		fw_buf_reset(&b);
		for (k = 0; k < n; k++)
			fw_buf_addf(&b, "%s%s", k ? "|" : "", t.w[k].s);
		if (n >= 0)
			CHECK(!strcmp(b.buf ? b.buf : "", cases[i].joined),
			      "tokenize '%s': '%s', want '%s'", cases[i].line,
			      b.buf ? b.buf : "", cases[i].joined);
	}
	fw_tokens_release(&t);
	fw_buf_release(&b);
	fw_errs_free(errs);
}
