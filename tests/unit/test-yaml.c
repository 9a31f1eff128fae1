/* SPDX-License-Identifier: GPL-2.0-or-later */
/* the YAML form: golden files (tests/yaml/), errors, scalars, no kernel */
#include "base.h"

#include <dirent.h>
#include <string.h>

#include "cmd.h"
#include "yaml.h"
#include "unit.h"

/* Where the golden files are (the unit tests run from the project root). */
#define GOLDEN_DIR "tests/yaml"

static char *slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "r");
	struct fw_buf b = FW_BUF_INIT;
	char chunk[4096];
	size_t n;

	if (!fp)
		return NULL;
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		fw_buf_add(&b, chunk, n);
	fclose(fp);
	*len = b.len;
	return b.buf ? b.buf : xstrdup("");
}

/* fw_convert() of data; its output, and its errors as printed, in *errs. */
static char *convert(const char *name, const char *data, size_t len,
		     int family, enum fw_format from, enum fw_format to,
		     unsigned flags, int *rc, char **errtext)
{
	struct fw_input in = { .name = (char *)name, .data = (char *)data,
			       .len = len, .family = family };
	struct fw_errs *errs = fw_errs_new();
	char *out = NULL, *etext = NULL;
	size_t olen = 0, elen = 0;
	FILE *fo = open_memstream(&out, &olen);
	FILE *fe = open_memstream(&etext, &elen);

	*rc = fw_convert(&in, from, to, flags, fo, errs);
	fclose(fo);
	fw_errs_print(errs, fe);
	fclose(fe);
	fw_errs_free(errs);
	if (errtext)
		*errtext = etext;
	else
		free(etext);
	return out;
}

/* FW_UPDATE_GOLDEN=1 writes what is produced instead of comparing. */
static void golden(const char *path, const char *got, const char *what)
{
	size_t len;
	char *want = slurp(path, &len);
	FILE *fp;

	if (getenv("FW_UPDATE_GOLDEN") && (fp = fopen(path, "w"))) {
		fputs(got, fp);
		fclose(fp);
		free(want);
		return;
	}
	CHECK(want && !strcmp(want, got), "%s: %s differs from %s:\n%s",
	      what, want ? "output" : "(missing file)", path, got);
	free(want);
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !strcmp(s + n - m, suffix);
}

/* Text into YAML and back into the same text, via NAME.vN.yaml. */
static void text_pair(const char *base, int family)
{
	unsigned flags = FW_S_COUNTERS | FW_S_NO_COMMENTS;
	char path[512], *text, *yaml, *back, *yaml2;
	size_t len;
	int rc;

	snprintf(path, sizeof(path), GOLDEN_DIR "/%s.rules", base);
	text = slurp(path, &len);
	CHECK(text, "cannot read %s", path);
	if (!text)
		return;
	yaml = convert(path, text, len, family, FW_FMT_TEXT, FW_FMT_YAML,
		       flags, &rc, NULL);
	CHECK(rc == 0, "%s: text to YAML failed", path);
	snprintf(path, sizeof(path), GOLDEN_DIR "/%s.yaml", base);
	golden(path, yaml, "text to YAML");
	back = convert(path, yaml, strlen(yaml), family, FW_FMT_YAML,
		       FW_FMT_TEXT, flags, &rc, NULL);
	CHECK(rc == 0 && !strcmp(back, text), "%s: YAML back to text "
	      "differs:\n%s", path, back);
	yaml2 = convert(path, yaml, strlen(yaml), 0, FW_FMT_YAML, FW_FMT_YAML,
			flags, &rc, NULL);
	CHECK(rc == 0 && !strcmp(yaml2, yaml), "%s: YAML to YAML differs:\n%s",
	      path, yaml2);
	free(yaml2);
	free(back);
	free(yaml);
	free(text);
}

/* Hand-written YAML into its canonical form: NAME.in.yaml, NAME.out.yaml. */
static void yaml_pair(const char *base)
{
	char path[512], *in, *out;
	size_t len;
	int rc;

	snprintf(path, sizeof(path), GOLDEN_DIR "/%s.in.yaml", base);
	in = slurp(path, &len);
	CHECK(in, "cannot read %s", path);
	if (!in)
		return;
	out = convert(path, in, len, 0, FW_FMT_YAML, FW_FMT_YAML,
		      FW_S_NO_COMMENTS, &rc, NULL);
	CHECK(rc == 0, "%s: conversion failed", path);
	snprintf(path, sizeof(path), GOLDEN_DIR "/%s.out.yaml", base);
	golden(path, out, "canonical YAML");
	free(out);
	free(in);
}

/* bad-NAME.yaml / bad-NAME.rules: exit 2 and exactly the errors in .err. */
static void bad_file(const char *file)
{
	bool yaml = ends_with(file, ".yaml");
	char path[512], *in, *out, *errs;
	size_t len;
	int rc;

	snprintf(path, sizeof(path), GOLDEN_DIR "/%s", file);
	in = slurp(path, &len);
	CHECK(in, "cannot read %s", path);
	if (!in)
		return;
	out = convert(file, in, len, 0, yaml ? FW_FMT_YAML : FW_FMT_TEXT,
		      FW_FMT_YAML, 0, &rc, &errs);
	CHECK(rc == FW_EXIT_INPUT, "%s: exit %d, want %d", path, rc,
	      FW_EXIT_INPUT);
	CHECK(!*out, "%s: output despite errors:\n%s", path, out);
	snprintf(path, sizeof(path), GOLDEN_DIR "/%.*s.err",
		 (int)(strlen(file) - (yaml ? 5 : 6)), file);
	golden(path, errs, "errors");
	free(errs);
	free(out);
	free(in);
}

static int cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void golden_files(void)
{
	DIR *d = opendir(GOLDEN_DIR);
	struct dirent *e;
	char **names = NULL, *n, *base;
	size_t count = 0, i;

	CHECK(d, "cannot open %s (run from the project root)", GOLDEN_DIR);
	if (!d)
		return;
	while ((e = readdir(d))) {
		names = xrealloc(names, (count + 1) * sizeof(*names));
		names[count++] = xstrdup(e->d_name);
	}
	closedir(d);
	qsort(names, count, sizeof(*names), cmp_names);
	for (i = 0; i < count; i++) {
		n = names[i];
		base = NULL;
		if (!strncmp(n, "bad-", 4) && (ends_with(n, ".yaml") ||
					       ends_with(n, ".rules")))
			bad_file(n);
		else if (ends_with(n, ".v4.rules") || ends_with(n, ".v6.rules"))
			text_pair(base = xstrndup(n, strlen(n) - 6),
				  n[strlen(n) - 7] == '6' ? 6 : 4);
		else if (ends_with(n, ".in.yaml"))
			yaml_pair(base = xstrndup(n, strlen(n) - 8));
		free(base);
		free(n);
	}
	free(names);
}

/* Commands fw_parse_yaml() emits, as one line each. */
static int record_cmd(const struct fw_cmd *c, void *data)
{
	static const char *const ops[] = {
		[FW_CMD_TABLE] = "table", [FW_CMD_CHAIN] = "chain",
		[FW_CMD_APPEND] = "append", [FW_CMD_COMMIT] = "commit",
	};
	struct fw_buf *b = data;

	fw_buf_addf(b, "%s %d %s", ops[c->op] ? ops[c->op] : "?",
		    c->family == FW_AF_IPV6 ? 6 : 4, c->table);
	if (c->chain)
		fw_buf_addf(b, " %s", c->chain);
	if (c->op == FW_CMD_CHAIN)
		fw_buf_addf(b, " %s %s", c->arg ? c->arg : "(null)",
			    c->counters ? "counters" : "-");
	if (c->rule && c->rule->has & FW_HAS_COUNTERS)
		fw_buf_addf(b, " [%llu:%llu]", (unsigned long long)c->rule->pkts,
			    (unsigned long long)c->rule->bytes);
	fw_buf_addf(b, " @%u:%u\n", c->loc.line, c->loc.col);
	return 0;
}

/* The command sequence of a document: both families, -T, -4/-6, -c. */
static void commands(void)
{
	static const char doc[] =
		"ipv6:\n"
		"  filter:\n"
		"    INPUT:\n"
		"      rules:\n"
		"        - {verdict: DROP, counters: [1, 2]}\n"
		"ipv4:\n"
		"  raw: {}\n"
		"  filter:\n"
		"    user: {}\n"
		"    INPUT: {policy: DROP}\n"
		"    OUTPUT: {counters: [3, 4], rules: [{jump: user}]}\n";
	static const struct {
		int family;
		unsigned flags;
		const char *only, *want;
	} cases[] = {
		{ 0, FW_P_COUNTERS, NULL,
		  "table 6 filter @2:3\n"
		  "append 6 filter INPUT [1:2] @5:11\n"
		  "commit 6 filter @2:3\n"
		  "table 4 raw @7:3\n"
		  "commit 4 raw @7:3\n"
		  "table 4 filter @8:3\n"
		  "chain 4 filter user - - @9:5\n"
		  "chain 4 filter INPUT DROP - @10:5\n"
		  "chain 4 filter OUTPUT - counters @11:5\n"
		  "append 4 filter OUTPUT @11:40\n"
		  "commit 4 filter @8:3\n" },
		{ 6, 0, NULL,
		  "table 6 filter @2:3\n"
		  "append 6 filter INPUT @5:11\n"
		  "commit 6 filter @2:3\n" },
		{ 4, 0, "raw",
		  "table 4 raw @7:3\n"
		  "commit 4 raw @7:3\n" },
	};
	struct fw_input in = { .name = (char *)"<doc>", .data = (char *)doc,
			       .len = sizeof(doc) - 1 };
	struct fw_errs *errs;
	struct fw_buf b;
	size_t i;
	int rc;

	for (i = 0; i < FW_ARRAY_SIZE(cases); i++) {
		b = (struct fw_buf)FW_BUF_INIT;
		errs = fw_errs_new();
		in.family = cases[i].family;
		rc = fw_parse_yaml(&in, cases[i].flags, cases[i].only,
				   record_cmd, &b, errs);
		CHECK(rc == 0 && !fw_errs_count(errs) && b.buf &&
		      !strcmp(b.buf, cases[i].want),
		      "commands of case %zu:\n%swant:\n%s", i,
		      b.buf ? b.buf : "", cases[i].want);
		fw_buf_release(&b);
		fw_errs_free(errs);
	}
}

/*
 * Every byte value 1..255 and some hard strings in a comment: text to
 * YAML to text gives the same text back.
 */
static void scalars(void)
{
	static const char *const hard[] = {
		"", "yes", "No", "~", "null", "-", "- x", "? x", ": x", "x:",
		"x: y", "x #y", "#x", "!x", "&x", "*x", "|", ">", "'", "\"",
		"\\", "@x", "`x", "%x", "0", "00", "0x1f", "0o7", "1e3", "1.5",
		".inf", "1:20", "2024-01-01", "+1", "-1", " lead", "trail ",
		"a\tb", "über", "\xe2\x80\xa8", "\xc2\x85", "\xef\xbb\xbf",
		"\xff\xfe", "\xc3", "\x7f", "[a, b]", "{a: b}", "a,b", "a, b",
	};
	struct fw_buf text = FW_BUF_INIT, rule = FW_BUF_INIT;
	char *yaml, *back, *want, *errs;
	size_t i;
	unsigned c;
	int rc;

	fw_buf_addstr(&text, "*filter\n");
	for (c = 1; c < 256; c++) {
		if (c == '\n')
			continue;
		fw_buf_reset(&rule);
		fw_buf_addf(&rule, "x%cy", c);
		fw_buf_addf(&text, "-A INPUT -m comment --comment \"");
		for (i = 0; i < rule.len; i++) {
			if (rule.buf[i] == '"' || rule.buf[i] == '\\')
				fw_buf_addch(&text, '\\');
			fw_buf_addch(&text, rule.buf[i]);
		}
		fw_buf_addstr(&text, "\"\n");
	}
	for (i = 0; i < FW_ARRAY_SIZE(hard); i++) {
		if (!*hard[i])
			continue;	/* an empty comment is refused */
		fw_buf_addstr(&text, "-A INPUT -m comment --comment \"");
		for (c = 0; hard[i][c]; c++) {
			if (hard[i][c] == '"' || hard[i][c] == '\\')
				fw_buf_addch(&text, '\\');
			fw_buf_addch(&text, hard[i][c]);
		}
		fw_buf_addstr(&text, "\" -j LOG --log-prefix \"");
		for (c = 0; hard[i][c]; c++) {
			if (hard[i][c] == '"' || hard[i][c] == '\\')
				fw_buf_addch(&text, '\\');
			fw_buf_addch(&text, hard[i][c]);
		}
		fw_buf_addstr(&text, "\"\n");
	}
	fw_buf_addstr(&text, "COMMIT\n");
	want = convert("<scalars>", text.buf, text.len, 4, FW_FMT_TEXT,
		       FW_FMT_TEXT, FW_S_NO_COMMENTS, &rc, &errs);
	CHECK(rc == 0, "scalars: the text does not parse:\n%s", errs);
	free(errs);
	yaml = convert("<scalars>", text.buf, text.len, 4, FW_FMT_TEXT,
		       FW_FMT_YAML, FW_S_NO_COMMENTS, &rc, NULL);
	CHECK(rc == 0, "scalars: text to YAML failed");
	back = convert("<scalars.yaml>", yaml, strlen(yaml), 4, FW_FMT_YAML,
		       FW_FMT_TEXT, FW_S_NO_COMMENTS, &rc, &errs);
	CHECK(rc == 0 && !strcmp(want, back), "scalars: the round trip "
	      "differs (%s):\n%s", errs, yaml);
	free(errs);
	free(back);
	free(yaml);
	free(want);
	fw_buf_release(&rule);
	fw_buf_release(&text);
}

/* Text inputs of both families can't become one text; -4/-6 choose. */
static void families(void)
{
	static const char doc[] = "ipv4: {filter: {}}\nipv6: {filter: {}}\n";
	char *out, *errs;
	int rc;

	out = convert("<both>", doc, sizeof(doc) - 1, 0, FW_FMT_YAML,
		      FW_FMT_TEXT, FW_S_NO_COMMENTS, &rc, &errs);
	CHECK(rc == FW_EXIT_INPUT && strstr(errs, "choose one with -4 or -6"),
	      "two families to text: rc %d, errors '%s'", rc, errs);
	free(out);
	free(errs);
	out = convert("<both>", doc, sizeof(doc) - 1, 6, FW_FMT_YAML,
		      FW_FMT_TEXT, FW_S_NO_COMMENTS, &rc, NULL);
	CHECK(rc == 0 && !strcmp(out, "*filter\n:INPUT ACCEPT [0:0]\n"
				 ":FORWARD ACCEPT [0:0]\n:OUTPUT ACCEPT "
				 "[0:0]\nCOMMIT\n"), "-6 of two families: '%s'",
	      out);
	free(out);
}

void test_yaml(void)
{
	golden_files();
	commands();
	scalars();
	families();
}
