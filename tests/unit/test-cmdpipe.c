/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fw_cmd_pipe(): the same commands and messages, in the same order */
#include "base.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "ext.h"
#include "unit.h"

/*
 * A parser's stand-in: n commands with rules (matches and a jump target),
 * strings that change under the pipe's feet (one buffer reused for every
 * command, as the text parser's words are), and errors and warnings in
 * between: some lines give only errors, and one stretch gives more than
 * a list holds (FW_ERRS_MAX).
 */
struct fake {
	unsigned n;
	bool clean;		/* no messages */
	struct fw_input in;
};

static int fake_source(void *arg, fw_cmd_fn fn, void *fn_data,
		       struct fw_errs *errs)
{
	static const char *const specs[] = {
		"-p tcp -m tcp --dport 22 -j ACCEPT",
		"-s 10.0.0.1 -m comment --comment \"a b\" -m conntrack "
		"--ctstate NEW -j LOG --log-prefix x",
		"-i eth0 -j DROP",
		"-p udp -m multiport --dports 1,2,3 -j RETURN",
	};
	const struct fake *f = arg;
	char table[16], chain[32], arg_s[32];
	struct fw_loc loc = { .in = &f->in, .col = 1, .len = 1 };
	struct fw_cmd c;
	unsigned i, k;
	int rc = 0;

	for (i = 0; i < f->n; i++) {
		loc.line = i + 1;
		if (f->clean)
			goto command;
		if (i % 7 == 3)
			rc = fw_error(errs, &loc, "error before %u", i);
		if (i % 11 == 5)
			fw_warn(errs, &loc, "warning at %u", i);
		if (i % 13 == 0) {
			/* a bad line: messages, no command */
			rc = fw_error(errs, &loc, "bad line %u", i);
			continue;
		}
		if (i == f->n / 2)
			for (k = 0; k < 300; k++)
				rc = fw_error(errs, &loc, "burst %u", k);
command:
		memset(&c, 0, sizeof(c));
		snprintf(table, sizeof(table), "t%u", i / 1000);
		snprintf(chain, sizeof(chain), "chain-%u", i);
		snprintf(arg_s, sizeof(arg_s), "arg-%u", i);
		c.op = i % 5 ? FW_CMD_APPEND : FW_CMD_POLICY;
		c.loc = loc;
		c.family = FW_AF_IPV4;
		c.table = table;
		c.chain = chain;
		c.arg = i % 3 ? arg_s : NULL;
		c.num = i;
		if (c.op == FW_CMD_APPEND) {
			c.rule = unit_parse(specs[i % FW_ARRAY_SIZE(specs)],
					    FW_AF_IPV4, errs);
			if (!c.rule)
				return -1;
			c.rule->loc = loc;
		}
		fn(&c, fn_data);
		fw_rule_free(c.rule);
		/* what the command pointed to is gone or changed now */
		memset(table, 'x', sizeof(table) - 1);
		memset(chain, 'x', sizeof(chain) - 1);
	}
	return rc;
}

struct sink {
	struct fw_buf log;
	struct fw_errs *errs;
	unsigned calls;
};

/* The consumer: a line per command, with the messages seen so far. */
static int sink_fn(const struct fw_cmd *c, void *data)
{
	struct sink *s = data;
	char *text = c->rule ? unit_print(c->rule) : NULL;

	fw_buf_addf(&s->log, "%u op %d %s %s %s num %u line %u errs %u: %s\n",
		    s->calls++, c->op, c->table, c->chain,
		    c->arg ? c->arg : "-", c->num, c->loc.line,
		    fw_errs_count(s->errs), text ? text : "-");
	free(text);
	/* a failing command: the pipe must say so */
	return c->num == 4242 ? -1 : 0;
}

static char *errs_text(const struct fw_errs *errs)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&buf, &len);

	fw_errs_print(errs, fp);
	fclose(fp);
	return buf;
}

static void test_same_as_one_thread(unsigned n)
{
	struct fake f = { .n = n, .in = { .name = (char *)"fake" } };
	struct sink one = { FW_BUF_INIT, fw_errs_new(), 0 };
	struct sink two = { FW_BUF_INIT, fw_errs_new(), 0 };
	struct fw_cmd_pipe_stats st;
	char *e1, *e2;
	int rc1, rc2;

	rc1 = fake_source(&f, sink_fn, &one, one.errs);
	rc2 = fw_cmd_pipe(fake_source, &f, sink_fn, &two, two.errs, true, &st);
	CHECK(st.threaded, "cmdpipe: no second thread");
	CHECK(rc1 == rc2 || (rc1 && rc2), "cmdpipe %u: rc %d vs %d", n, rc1,
	      rc2);
	CHECK(one.calls == two.calls, "cmdpipe %u: %u vs %u commands", n,
	      one.calls, two.calls);
	CHECK(one.log.len == two.log.len &&
	      (!one.log.len || !memcmp(one.log.buf, two.log.buf, one.log.len)),
	      "cmdpipe %u: the commands differ", n);
	CHECK(fw_errs_count(one.errs) == fw_errs_count(two.errs),
	      "cmdpipe %u: %u vs %u errors", n, fw_errs_count(one.errs),
	      fw_errs_count(two.errs));
	e1 = errs_text(one.errs);
	e2 = errs_text(two.errs);
	CHECK(!strcmp(e1, e2), "cmdpipe %u: the messages differ", n);
	free(e1);
	free(e2);
	fw_buf_release(&one.log);
	fw_buf_release(&two.log);
	fw_errs_free(one.errs);
	fw_errs_free(two.errs);
}

static void test_rule_move(void)
{
	struct fw_errs *errs = fw_errs_new();
	struct fw_rule *a = unit_parse("-p tcp -m tcp --dport 1", FW_AF_IPV4,
				       errs);
	struct fw_rule *b = unit_parse("-m comment --comment c", FW_AF_IPV4,
				       errs);
	struct fw_rule *e = unit_parse("-s 1.2.3.4", FW_AF_IPV4, errs);
	struct fw_rule dst, edst;
	char *text;

	if (!a || !b || !e) {
		CHECK(0, "fw_rule_move: parse failed");
		return;
	}
	fw_rule_move(&dst, a);
	CHECK(!a->matches && a->mtail == &a->matches && a->family == FW_AF_IPV4,
	      "fw_rule_move: source not left empty");
	/* the moved rule's list takes more matches at its end */
	fw_rule_add_match(&dst, b->matches);
	b->matches = NULL;
	b->mtail = &b->matches;
	text = unit_print(&dst);
	CHECK(text && strstr(text, "--dport 1 -m comment"), "moved: %s", text);
	free(text);
	/* a rule without matches: its tail must point into the new place */
	fw_rule_move(&edst, e);
	CHECK(edst.mtail == &edst.matches, "fw_rule_move: tail of no matches");
	fw_rule_clear(&dst);
	fw_rule_clear(&edst);
	fw_rule_free(a);
	fw_rule_free(b);
	fw_rule_free(e);
	fw_errs_free(errs);
}

/* A command that fn fails is a failure of the whole, as one thread has it. */
static void test_fn_fails(void)
{
	struct fake f = { .n = 100, .clean = true, .in = { .name = (char *)"f" } };
	struct sink s = { FW_BUF_INIT, fw_errs_new(), 0 };
	struct fw_cmd_pipe_stats st;

	CHECK(fw_cmd_pipe(fake_source, &f, sink_fn, &s, s.errs, true, &st) == 0,
	      "cmdpipe: a clean run failed");
	f.n = 5000;
	CHECK(fw_cmd_pipe(fake_source, &f, sink_fn, &s, s.errs, true, &st) == -1,
	      "cmdpipe: a failed command was not reported");
	CHECK(fw_errs_count(s.errs) == 0, "cmdpipe: messages from nowhere");
	fw_buf_release(&s.log);
	fw_errs_free(s.errs);
}

void test_cmdpipe(void)
{
	test_fn_fails();
	test_rule_move();
	test_same_as_one_thread(0);
	test_same_as_one_thread(1);
	test_same_as_one_thread(300);
	test_same_as_one_thread(5000);
}
