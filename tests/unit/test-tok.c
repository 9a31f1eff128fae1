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

/*
 * The rules one character at a time, as fw_tokenize() had them before it
 * learnt to copy stretches: words into out ('|' between), the columns and
 * lengths into cols. -1 on an unterminated quote.
 */
static int tok_by_char(const char *line, size_t len, struct fw_buf *out,
		       struct fw_buf *cols)
{
	size_t i = 0, col;
	bool quoted;
	int n = 0;

	while (i < len) {
		if (line[i] == ' ' || line[i] == '\t') {
			i++;
			continue;
		}
		if (n++)
			fw_buf_addch(out, '|');
		col = i + 1;
		for (quoted = false; i < len; i++) {
			char c = line[i];

			if (c == '"') {
				quoted = !quoted;
				continue;
			}
			if (!quoted && (c == ' ' || c == '\t'))
				break;
			if (quoted && c == '\\' && i + 1 < len)
				c = line[++i];
			fw_buf_addch(out, c);
		}
		if (quoted)
			return -1;
		fw_buf_addf(cols, "%zu+%zu ", col, i + 1 - col);
	}
	return n;
}

/* Every line of up to 7 characters from a small alphabet, both ways. */
static void test_tok_same_as_by_char(void)
{
	static const char abc[] = { 'a', ' ', '\t', '"', '\\', 'b' };
	struct fw_errs *errs = fw_errs_new();
	struct fw_loc loc = { .line = 1 };
	struct fw_buf want = FW_BUF_INIT, wcols = FW_BUF_INIT;
	struct fw_buf got = FW_BUF_INIT, gcols = FW_BUF_INIT;
	struct fw_tokens t = FW_TOKENS_INIT;
	unsigned len, code, total, k, bad = 0;
	char line[8];
	int n, m;

	for (len = 0; len <= 7; len++) {
		for (total = 1, k = 0; k < len; k++)
			total *= sizeof(abc);
		for (code = 0; code < total; code++) {
			unsigned c = code;

			for (k = 0; k < len; k++, c /= sizeof(abc))
				line[k] = abc[c % sizeof(abc)];
			fw_buf_reset(&want);
			fw_buf_reset(&wcols);
			fw_buf_reset(&got);
			fw_buf_reset(&gcols);
			n = tok_by_char(line, len, &want, &wcols);
			m = fw_tokenize(line, len, &loc, &t, errs);
			for (k = 0; m > 0 && k < (unsigned)m; k++) {
				fw_buf_addf(&got, "%s%s", k ? "|" : "", t.w[k].s);
				fw_buf_addf(&gcols, "%u+%u ", t.w[k].loc.col,
					    t.w[k].loc.len);
			}
			if (n != m || (n > 0 && (strcmp(want.buf, got.buf) ||
						 strcmp(wcols.buf, gcols.buf))))
				bad++;
		}
	}
	CHECK(!bad, "fw_tokenize: %u lines differ from the by-character rules",
	      bad);
	fw_tokens_release(&t);
	fw_buf_release(&want);
	fw_buf_release(&wcols);
	fw_buf_release(&got);
	fw_buf_release(&gcols);
	fw_errs_free(errs);
}

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
	test_tok_same_as_by_char();
}
