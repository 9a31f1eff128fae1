/* SPDX-License-Identifier: GPL-2.0-or-later */
/* the restore grammar and the base rule options, without a kernel */
#include "base.h"

#include <string.h>

#include "cmd.h"
#include "unit.h"

/* Base options: input, canonical output ("=": same), family. */
static const struct {
	const char *in, *out;
	int family;
} base_cases[] = {
	{ "-s 1.2.3.4", "-s 1.2.3.4/32", 4 },
	{ "-s 10.11.12.13/8", "-s 10.0.0.0/8", 4 },
	{ "-s 10.11.12.13/255.0.255.0", "-s 10.0.12.0/255.0.255.0", 4 },
	{ "-s 10.11.12.13/255.128.0.0", "-s 10.0.0.0/9", 4 },
	{ "! -d 0.0.0.0/32 -j ACCEPT", "=", 4 },
	{ "-s 0.0.0.0/0 -j ACCEPT", "-j ACCEPT", 4 },
	{ "-d 2001:db8::1", "-d 2001:db8::1/128", 6 },
	{ "-s 2001:db8::/33", "=", 6 },
	{ "-s 2001:db8::/ffff:ffff::ffff", "=", 6 },
	{ "-i eth0 -o eth1+", "=", 4 },
	{ "! -i eth+ ! -o lo", "=", 4 },
	{ "-i + -j ACCEPT", "-j ACCEPT", 4 },
	{ "! -i +", "=", 4 },
	{ "-p tcp", "=", 4 },
	{ "! -p udp", "=", 4 },
	{ "-p 6", "-p tcp", 4 },
	{ "-p all", "", 4 },
	{ "-p icmpv6", "-p ipv6-icmp", 6 },
	{ "-p 255", "=", 4 },
	{ "-f -j DROP", "=", 4 },
	{ "! -f", "=", 4 },
	{ "-j RETURN", "=", 4 },
	{ "-j MYCHAIN", "=", 4 },
	{ "-g MYCHAIN", "=", 4 },
	{ "--protocol=tcp --source=1.2.3.4 --in-interface=eth0 --jump=ACCEPT",
	  "-s 1.2.3.4/32 -i eth0 -p tcp -j ACCEPT", 4 },
	{ "-ptcp -s1.2.3.4 -ieth0 -jACCEPT",
	  "-s 1.2.3.4/32 -i eth0 -p tcp -j ACCEPT", 4 },
	{ "-c 2,3 -j ACCEPT", "-j ACCEPT", 4 },
	{ "-p tcp --dport 22", "-p tcp -m tcp --dport 22", 4 },
};

static const char *const base_fail[] = {
	"-i thisinterfaceistoolong0", "! -p 0", "-c \"\"", "-c ,3", "-c 3,",
	"-s 1.2.3.4/33", "-p nosuchproto", "-m nosuchmatch", "--bogus",
	"-j ACCEPT -j DROP", "! ! -p tcp", "-f", "-s", "-j -X", "-i a/b",
	"-o \"a b\"", "-s 10.0.0.300",
	/* found by fuzzing: printed as it is, a target that does not load */
	"-j \"a\\\"b\"", "-g \"a\\\\b\"",
};

static void test_base(void)
{
	struct fw_errs *errs = fw_errs_new();
	struct fw_rule *r, *back;
	const char *want;
	char *got;
	size_t i;

	for (i = 0; i < FW_ARRAY_SIZE(base_cases); i++) {
		int fam = base_cases[i].family == 6 ? FW_AF_IPV6 : FW_AF_IPV4;

		want = strcmp(base_cases[i].out, "=") ? base_cases[i].out
						      : base_cases[i].in;
		r = unit_parse(base_cases[i].in, fam, errs);
		CHECK(r, "'%s' does not parse", base_cases[i].in);
		if (!r)
			continue;
		got = unit_print(r);
		CHECK(!strcmp(got, want), "'%s' printed '%s', want '%s'",
		      base_cases[i].in, got, want);
		free(got);
		back = unit_roundtrip(r, errs);
		got = back ? unit_print(back) : xstrdup("(decode failed)");
		CHECK(!strcmp(got, want), "'%s' decoded as '%s', want '%s'",
		      base_cases[i].in, got, want);
		free(got);
		fw_rule_free(back);
		fw_rule_free(r);
	}
	for (i = 0; i < FW_ARRAY_SIZE(base_fail); i++) {
		/* "-f" is valid for IPv4 only */
		r = unit_parse(base_fail[i], strcmp(base_fail[i], "-f") ?
				FW_AF_IPV4 : FW_AF_IPV6, errs);
		CHECK(!r, "'%s' parsed, should fail", base_fail[i]);
		fw_rule_free(r);
	}
	fw_errs_free(errs);
}

/* Record each command as a short string "op:chain". */
static int record(const struct fw_cmd *c, void *data)
{
	static const char *const ops = "T:AIDdRNXEFZPC";
	struct fw_buf *b = data;

	fw_buf_addf(b, "%s%c%s%s", b->len ? " " : "", ops[c->op],
		    c->chain ? ":" : "", c->chain ? c->chain : "");
	return 0;
}

static const struct {
	const char *input;
	const char *cmds;	/* recorded commands */
	int errors;
	const char *first;	/* "LINE:COL" of the first error */
} grammar_cases[] = {
	{ "*filter\n:INPUT DROP [1:2]\n-A INPUT -j ACCEPT\nCOMMIT\n",
	  "T ::INPUT A:INPUT C", 0, NULL },
	{ "# c\n\n*nat\n-N X\n-I X 2 -j RETURN\n-D X 1\n-X X\nCOMMIT",
	  "T N:X I:X d:X X:X C", 0, NULL },
	{ "*filter\n-A INPUT -j ACCEPT\n", "T A:INPUT", 1, "1:0" },
	{ "*foo\nCOMMIT\n", "", 1, "1:2" },
	{ "-A INPUT\n", "", 1, "1:1" },
	{ "*filter\n:INPUT BOGUS [0:0]\nCOMMIT\n", "T C", 1, "2:8" },
	{ "*filter\n-A INPUT -j ACCEPT\r\nCOMMIT\n", "T C", 1, "2:19" },
	{ "*filter\n-A INPUT --bogus\n-A INPUT -s x/99\nCOMMIT\n", "T C", 2,
	  "2:10" },
	{ "*filter\n \nCOMMIT\n", "T C", 1, "2:1" },
	{ "*filter\n-A INPUT -j ACCEPT # x\nCOMMIT\n", "T C", 1, "2:20" },
	{ "*filter\n-4 -A INPUT -j ACCEPT\n-6 -A INPUT -j DROP\nCOMMIT\n",
	  "T A:INPUT C", 0, NULL },
	{ "*filter\n[1:2] -A INPUT -j ACCEPT\n[1 -A INPUT\nCOMMIT\n",
	  "T A:INPUT C", 1, "3:1" },
	{ "*filter\n:ACCEPT - [0:0]\nCOMMIT\n", "T C", 1, "2:2" },
	/* -Z [CHAIN [N]], as 1.8.9 takes it */
	{ "*filter\n-Z\n-Z INPUT\n-Z INPUT 3\nCOMMIT\n",
	  "T Z Z:INPUT Z:INPUT C", 0, NULL },
	{ "*filter\n-Z INPUT 0\nCOMMIT\n", "T C", 1, "2:10" },
	{ "*filter\n-Z INPUT x\nCOMMIT\n", "T C", 1, "2:10" },
	{ "*filter\n-Z INPUT 1 2\nCOMMIT\n", "T C", 1, "2:12" },
};

/* Position of the first error, from the printed messages. */
static void first_error(struct fw_errs *errs, char *buf, size_t len)
{
	char *text = NULL, *p;
	size_t n = 0;
	FILE *fp = open_memstream(&text, &n);

	fw_errs_print(errs, fp);
	fclose(fp);
	buf[0] = '\0';
	p = text ? strchr(text, ':') : NULL;
	if (p) {
		unsigned line = 0, col = 0;

		sscanf(p + 1, "%u:%u", &line, &col);
		snprintf(buf, len, "%u:%u", line, col);
	}
	free(text);
}

static void test_input(void)
{
	struct fw_buf b = FW_BUF_INIT;
	struct fw_errs *errs;
	struct fw_input in = { .name = (char *)"t" };
	char pos[32];
	size_t i;

	for (i = 0; i < FW_ARRAY_SIZE(grammar_cases); i++) {
		errs = fw_errs_new();
		fw_buf_reset(&b);
		in.data = (char *)grammar_cases[i].input;
		in.len = strlen(in.data);
		fw_parse_text(&in, FW_AF_IPV4, FW_P_COUNTERS, NULL, record, &b,
			      errs);
		CHECK(!strcmp(b.buf ? b.buf : "", grammar_cases[i].cmds),
		      "case %zu: commands '%s', want '%s'", i,
		      b.buf ? b.buf : "", grammar_cases[i].cmds);
		CHECK(fw_errs_count(errs) == (unsigned)grammar_cases[i].errors,
		      "case %zu: %u errors, want %d", i, fw_errs_count(errs),
		      grammar_cases[i].errors);
		if (grammar_cases[i].first) {
			first_error(errs, pos, sizeof(pos));
			CHECK(!strcmp(pos, grammar_cases[i].first),
			      "case %zu: first error at %s, want %s", i, pos,
			      grammar_cases[i].first);
		}
		fw_errs_free(errs);
	}
	fw_buf_release(&b);
}

void test_grammar(void)
{
	test_base();
	test_input();
}
