/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * decoding hostile kernel state: rule userdata as nft writes it (and as
 * no tool writes it), verdicts and compares iptables never writes. Each
 * case is an expression list and what fw-save makes of it: a rule, a
 * refused (incompatible) table, or an error. Several came from fuzzing.
 */
#include "base.h"

#include <string.h>

#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <errno.h>
#include <libmnl/libmnl.h>
#include <libnftnl/common.h>
#include <libnftnl/expr.h>
#include <libnftnl/rule.h>

#include "codec.h"
#include "nlmsg.h"
#include "unit.h"

/* A tiny language for expression lists, one expression per word. */
static void add(struct nftnl_rule *nr, struct nftnl_expr *e)
{
	nftnl_rule_add_expr(nr, e);
}

static void meta(struct nftnl_rule *nr, uint32_t key)
{
	struct nftnl_expr *e = nftnl_expr_alloc("meta");

	nftnl_expr_set_u32(e, NFTNL_EXPR_META_KEY, key);
	nftnl_expr_set_u32(e, NFTNL_EXPR_META_DREG, NFT_REG_1);
	add(nr, e);
}

static void payload(struct nftnl_rule *nr, uint32_t base, uint32_t off,
		    uint32_t len)
{
	struct nftnl_expr *e = nftnl_expr_alloc("payload");

	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_BASE, base);
	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_OFFSET, off);
	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_LEN, len);
	nftnl_expr_set_u32(e, NFTNL_EXPR_PAYLOAD_DREG, NFT_REG_1);
	add(nr, e);
}

static void cmp(struct nftnl_rule *nr, uint32_t op, const void *data,
		uint32_t len)
{
	struct nftnl_expr *e = nftnl_expr_alloc("cmp");

	nftnl_expr_set_u32(e, NFTNL_EXPR_CMP_SREG, NFT_REG_1);
	nftnl_expr_set_u32(e, NFTNL_EXPR_CMP_OP, op);
	nftnl_expr_set(e, NFTNL_EXPR_CMP_DATA, data, len);
	add(nr, e);
}

static void verdict(struct nftnl_rule *nr, int v)
{
	struct nftnl_expr *e = nftnl_expr_alloc("immediate");

	nftnl_expr_set_u32(e, NFTNL_EXPR_IMM_DREG, NFT_REG_VERDICT);
	nftnl_expr_set_u32(e, NFTNL_EXPR_IMM_VERDICT, (uint32_t)v);
	add(nr, e);
}

static void tcp(struct nftnl_rule *nr)
{
	uint8_t p = 6;

	meta(nr, NFT_META_L4PROTO);
	cmp(nr, NFT_CMP_EQ, &p, 1);
}

static void dport(struct nftnl_rule *nr, uint32_t op, uint16_t port)
{
	uint8_t v[2] = { port >> 8, port & 0xff };

	payload(nr, NFT_PAYLOAD_TRANSPORT_HEADER, 2, 2);
	cmp(nr, op, v, 2);
}

/*
 * Decode the rule message m of family; want: the printed rule, "FOREIGN"
 * or "ERROR" (then errs must say why).
 */
static void expect_msg(const struct fw_nlrule *m, int family,
		       const char *want, const char *what)
{
	struct fw_errs *errs = fw_errs_new();
	struct fw_rule *r = fw_rule_new(family);
	int rc = fw_rule_decode(m, r, errs, "table filter chain INPUT");
	char *got = rc == FW_DECODE_OK ? unit_print(r)
		    : xstrdup(rc == FW_DECODE_FOREIGN ? "FOREIGN" : "ERROR");

	CHECK(!strcmp(got, want), "decode %s: got '%s', want '%s'", what, got,
	      want);
	CHECK((rc == FW_DECODE_ERROR) == (fw_errs_count(errs) > 0),
	      "decode %s: %u errors for result %d", what,
	      fw_errs_count(errs), rc);
	free(got);
	fw_rule_free(r);
	fw_errs_free(errs);
}

/* The same for nr (freed), sent as the kernel would. */
static void expect(struct nftnl_rule *nr, int family, const char *want,
		   const char *what)
{
	static char buf[1 << 16];
	struct fw_nlrule m;

	CHECK(fw_nlrule_from_nftnl(nr, buf, sizeof(buf), &m) == 0,
	      "%s: cannot read the message back", what);
	expect_msg(&m, family, want, what);
	nftnl_rule_free(nr);
}

static struct nftnl_rule *with_udata(const void *udata, uint32_t len)
{
	struct nftnl_rule *nr = nftnl_rule_alloc();

	tcp(nr);
	dport(nr, NFT_CMP_EQ, 22);
	verdict(nr, NF_ACCEPT);
	nftnl_rule_set_data(nr, NFTNL_RULE_USERDATA, udata, len);
	return nr;
}

static void test_udata(void)
{
	static const char ssh[] = "\x00\x04ssh\0";
	static const char two[] = "\x01\x01x\x00\x02" "a\0\x00\x02" "b\0";

	expect(with_udata(ssh, sizeof(ssh) - 1), FW_AF_IPV4,
	       "-p tcp -m tcp --dport 22 -m comment --comment ssh -j ACCEPT",
	       "an nft comment");
	/* the last comment wins; other types are skipped */
	expect(with_udata(two, sizeof(two) - 1), FW_AF_IPV4,
	       "-p tcp -m tcp --dport 22 -m comment --comment b -j ACCEPT",
	       "two comments");
	/* not NUL-terminated: 1.8.9 shows no comment */
	expect(with_udata("\x00\x03" "abc", 5), FW_AF_IPV4,
	       "-p tcp -m tcp --dport 22 -j ACCEPT", "an unterminated comment");
	/* found by fuzzing: lengths past the end were read */
	expect(with_udata("\x00\x40" "abc", 5), FW_AF_IPV4, "FOREIGN",
	       "a TLV past the end");
	expect(with_udata("\x00\x02" "a\0\x07", 5), FW_AF_IPV4, "FOREIGN",
	       "a lone byte after a TLV");
	expect(with_udata("\x00\x00", 2), FW_AF_IPV4, "FOREIGN",
	       "an empty comment");
}

static void test_verdicts(void)
{
	struct nftnl_rule *nr = nftnl_rule_alloc();

	tcp(nr);
	verdict(nr, NFT_CONTINUE);
	expect(nr, FW_AF_IPV4, "-p tcp", "continue");
	nr = nftnl_rule_alloc();
	verdict(nr, NF_QUEUE);
	expect(nr, FW_AF_IPV4, "FOREIGN", "a queue verdict");
	nr = nftnl_rule_alloc();
	verdict(nr, NFT_BREAK);
	expect(nr, FW_AF_IPV4, "FOREIGN", "break");
}

static void test_compares(void)
{
	static const uint8_t addr[4] = { 192, 0, 2, 1 };
	struct nftnl_rule *nr = nftnl_rule_alloc();
	uint32_t idx = 1;

	tcp(nr);
	dport(nr, NFT_CMP_EQ, 22);
	dport(nr, NFT_CMP_EQ, 23);
	expect(nr, FW_AF_IPV4, "FOREIGN", "two dport compares");
	nr = nftnl_rule_alloc();
	tcp(nr);
	dport(nr, NFT_CMP_GTE, 10);
	dport(nr, NFT_CMP_LTE, 20);
	expect(nr, FW_AF_IPV4, "-p tcp -m tcp --dport 10:20", "a range in two");
	/* found by fuzzing: merged into "--dport 2:1" */
	nr = nftnl_rule_alloc();
	tcp(nr);
	dport(nr, NFT_CMP_LTE, 1);
	dport(nr, NFT_CMP_GT, 1);
	expect(nr, FW_AF_IPV4, "FOREIGN", "an empty port range");
	nr = nftnl_rule_alloc();
	tcp(nr);
	payload(nr, NFT_PAYLOAD_TRANSPORT_HEADER, 13, 1);
	cmp(nr, NFT_CMP_GT, "\x02", 1);
	expect(nr, FW_AF_IPV4, "FOREIGN", "tcp flags > 2");
	nr = nftnl_rule_alloc();
	tcp(nr);
	payload(nr, NFT_PAYLOAD_TRANSPORT_HEADER, 4, 4);
	cmp(nr, NFT_CMP_EQ, "\0\0\0\5", 4);
	expect(nr, FW_AF_IPV4, "FOREIGN", "tcp sequence");
	nr = nftnl_rule_alloc();
	payload(nr, NFT_PAYLOAD_NETWORK_HEADER, 12, 4);
	cmp(nr, NFT_CMP_GT, addr, 4);
	expect(nr, FW_AF_IPV4, "FOREIGN", "ip saddr >");
	nr = nftnl_rule_alloc();
	payload(nr, NFT_PAYLOAD_NETWORK_HEADER, 12, 4);
	cmp(nr, NFT_CMP_EQ, addr, 4);
	payload(nr, NFT_PAYLOAD_NETWORK_HEADER, 12, 4);
	cmp(nr, NFT_CMP_EQ, addr, 4);
	expect(nr, FW_AF_IPV4, "FOREIGN", "two source compares");
	nr = nftnl_rule_alloc();
	meta(nr, NFT_META_IIF);
	cmp(nr, NFT_CMP_EQ, &idx, 4);
	expect(nr, FW_AF_IPV4, "FOREIGN", "an interface index");
	nr = nftnl_rule_alloc();
	meta(nr, NFT_META_IIFNAME);
	cmp(nr, NFT_CMP_EQ, "0123456789abcdef", 16);
	expect(nr, FW_AF_IPV4, "FOREIGN", "a 16-byte interface prefix");
	nr = nftnl_rule_alloc();
	meta(nr, NFT_META_IIFNAME);
	cmp(nr, NFT_CMP_EQ, "eth", 3);
	expect(nr, FW_AF_IPV4, "-i eth+", "an interface prefix");
	nr = nftnl_rule_alloc();
	payload(nr, NFT_PAYLOAD_NETWORK_HEADER, 6, 1);
	cmp(nr, NFT_CMP_EQ, "\x06", 1);
	expect(nr, FW_AF_IPV6, "FOREIGN", "ip6 nexthdr");
	nr = nftnl_rule_alloc();
	meta(nr, NFT_META_SKUID);
	cmp(nr, NFT_CMP_EQ, "\0\0\0\0", 4);
	expect(nr, FW_AF_IPV4, "ERROR", "meta skuid (1.8.9 fails too)");
}

/* found by fuzzing: a compat limit of average 0 divided by zero */
static void test_xt(void)
{
	struct nftnl_rule *nr = nftnl_rule_alloc();
	struct nftnl_expr *e = nftnl_expr_alloc("match");
	void *info = xzalloc(40);	/* libnftnl frees it */

	nftnl_expr_set_str(e, NFTNL_EXPR_MT_NAME, "limit");
	nftnl_expr_set_u32(e, NFTNL_EXPR_MT_REV, 0);
	nftnl_expr_set(e, NFTNL_EXPR_MT_INFO, info, 40);
	add(nr, e);
	expect(nr, FW_AF_IPV4, "FOREIGN", "a limit of average 0");
}

static void counters(struct nftnl_rule *nr, unsigned n)
{
	while (n--)
		add(nr, nftnl_expr_alloc("counter"));
}

/* More expressions than the decoder keeps on its stack. */
static void test_long(void)
{
	struct nftnl_rule *nr = nftnl_rule_alloc();

	tcp(nr);
	counters(nr, 40);
	dport(nr, NFT_CMP_EQ, 22);
	verdict(nr, NF_ACCEPT);
	expect(nr, FW_AF_IPV4, "-p tcp -m tcp --dport 22 -j ACCEPT",
	       "44 expressions");
	nr = nftnl_rule_alloc();
	counters(nr, 40);
	add(nr, nftnl_expr_alloc("lookup"));
	expect(nr, FW_AF_IPV4, "FOREIGN", "a lookup after 40 counters");
}

/* An empty NEWRULE message in buf (4096 bytes). */
static struct nlmsghdr *raw_msg(char *buf)
{
	memset(buf, 0, 4096);
	return nftnl_nlmsg_build_hdr(buf, NFT_MSG_NEWRULE, NFPROTO_IPV4, 0, 1);
}

/* A rule of one expression called name (NULL: none), with empty data. */
static void one_expr(char *buf, const char *name, struct fw_nlrule *m)
{
	struct nlmsghdr *nlh = raw_msg(buf);
	struct nlattr *list, *elem;

	list = mnl_attr_nest_start(nlh, NFTA_RULE_EXPRESSIONS);
	elem = mnl_attr_nest_start(nlh, NFTA_LIST_ELEM);
	if (name)
		mnl_attr_put_strz(nlh, NFTA_EXPR_NAME, name);
	mnl_attr_nest_end(nlh, mnl_attr_nest_start(nlh, NFTA_EXPR_DATA));
	mnl_attr_nest_end(nlh, elem);
	mnl_attr_nest_end(nlh, list);
	CHECK(fw_nlrule_parse(nlh, m) == 0, "parse a rule of '%s'",
	      name ? name : "(no name)");
}

/* Messages no kernel sends: refused whole, never read past their end. */
static void test_malformed(void)
{
	static char buf[4096];
	struct nlmsghdr *nlh;
	struct nlattr *list;
	struct fw_nlrule m;

	nlh = raw_msg(buf);
	mnl_attr_put(nlh, NFTA_RULE_TABLE, 3, "abc");	/* no NUL */
	CHECK(fw_nlrule_parse(nlh, &m) == -1 && errno == EINVAL,
	      "an unterminated table name is refused");
	nlh = raw_msg(buf);
	mnl_attr_put_strz(nlh, NFTA_RULE_TABLE, "filter");
	nlh->nlmsg_len -= 4;	/* the attribute overruns the message */
	CHECK(fw_nlrule_parse(nlh, &m) == -1 && errno == EINVAL,
	      "an attribute past the end is refused");
	nlh = raw_msg(buf);
	list = mnl_attr_nest_start(nlh, NFTA_RULE_EXPRESSIONS);
	mnl_attr_put_u32(nlh, NFTA_LIST_ELEM + 1, 0);
	mnl_attr_nest_end(nlh, list);
	CHECK(fw_nlrule_parse(nlh, &m) == 0, "parse a foreign list");
	expect_msg(&m, FW_AF_IPV4, "ERROR", "a list of something else");
	one_expr(buf, NULL, &m);
	expect_msg(&m, FW_AF_IPV4, "ERROR", "an expression without a name");
	one_expr(buf, "fib", &m);
	expect_msg(&m, FW_AF_IPV4, "FOREIGN", "an expression iptables never uses");
}

void test_decode(void)
{
	test_long();
	test_malformed();
	test_xt();
	test_udata();
	test_verdicts();
	test_compares();
}
