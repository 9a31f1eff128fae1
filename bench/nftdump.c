/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * nftdump: the kernel's floor for fw-save. It lists the chains of a family
 * and dumps each chain's rules with one GETRULE dump (as fw-save and
 * iptables-nft-save do), reading the replies into a 1 MiB buffer and
 * looking at nothing but the chain names it needs. -w makes one
 * family-wide rule dump instead (what per-chain dumps avoid).
 *
 *   nftdump [-4|-6] [-w]
 *
 * Prints one line on stderr: chains, rules, replies, bytes, milliseconds.
 * Needs libmnl only.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/socket.h>

#include <linux/netfilter.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nf_tables.h>
#include <libmnl/libmnl.h>

#define RCV_SIZE (1u << 20)

struct chain {
	char table[NFT_NAME_MAXLEN];
	char name[NFT_NAME_MAXLEN];
};

struct dump {
	struct mnl_socket *sock;
	uint32_t portid, seq;
	char *buf;
	struct chain *chains;
	unsigned nchains, achains;
	unsigned long rules, replies, bytes;
};

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void die(const char *what)
{
	fprintf(stderr, "nftdump: %s: %s\n", what, strerror(errno));
	exit(1);
}

static struct nlmsghdr *request(struct dump *d, char *buf, uint16_t type,
				int family)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct nfgenmsg *nfg;

	nlh->nlmsg_type = NFNL_SUBSYS_NFTABLES << 8 | type;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_DUMP;
	nlh->nlmsg_seq = ++d->seq;
	nfg = mnl_nlmsg_put_extra_header(nlh, sizeof(*nfg));
	nfg->nfgen_family = (uint8_t)family;
	nfg->version = NFNETLINK_V0;
	nfg->res_id = 0;
	return nlh;
}

static int chain_attr(const struct nlattr *a, void *data)
{
	const struct nlattr **tb = data;
	int type = mnl_attr_get_type(a);

	if (type == NFTA_CHAIN_TABLE || type == NFTA_CHAIN_NAME)
		tb[type] = a;
	return MNL_CB_OK;
}

static void add_chain(struct dump *d, const struct nlmsghdr *nlh)
{
	const struct nlattr *tb[NFTA_CHAIN_MAX + 1] = { 0 };
	struct chain *c;

	mnl_attr_parse(nlh, sizeof(struct nfgenmsg), chain_attr, tb);
	if (!tb[NFTA_CHAIN_TABLE] || !tb[NFTA_CHAIN_NAME])
		return;
	if (d->nchains == d->achains) {
		d->achains = d->achains ? 2 * d->achains : 64;
		d->chains = realloc(d->chains, d->achains * sizeof(*c));
		if (!d->chains)
			die("realloc");
	}
	c = &d->chains[d->nchains++];
	snprintf(c->table, sizeof(c->table), "%s",
		 mnl_attr_get_str(tb[NFTA_CHAIN_TABLE]));
	snprintf(c->name, sizeof(c->name), "%s",
		 mnl_attr_get_str(tb[NFTA_CHAIN_NAME]));
}

/* Send a dump request and read it to its end; chains are collected. */
static void run(struct dump *d, struct nlmsghdr *nlh)
{
	const struct nlmsghdr *m;
	uint32_t seq = nlh->nlmsg_seq;
	ssize_t n;
	int len;

	if (mnl_socket_sendto(d->sock, nlh, nlh->nlmsg_len) < 0)
		die("sendto");
	for (;;) {
		n = mnl_socket_recvfrom(d->sock, d->buf, RCV_SIZE);
		if (n < 0)
			die("recvfrom");
		d->replies++;
		d->bytes += (unsigned long)n;
		len = (int)n;
		for (m = (const void *)d->buf; mnl_nlmsg_ok(m, len);
		     m = mnl_nlmsg_next(m, &len)) {
			if (m->nlmsg_seq != seq || m->nlmsg_pid != d->portid)
				continue;
			if (m->nlmsg_type == NLMSG_DONE)
				return;
			if (m->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *e =
					mnl_nlmsg_get_payload(m);

				errno = -e->error;
				if (errno == ENOENT)
					return;
				die("dump");
			}
			switch (m->nlmsg_type & 0xff) {
			case NFT_MSG_NEWCHAIN:
				add_chain(d, m);
				break;
			case NFT_MSG_NEWRULE:
				d->rules++;
				break;
			}
		}
	}
}

int main(int argc, char **argv)
{
	struct dump d = { 0 };
	char req[4096];
	struct nlmsghdr *nlh;
	int family = NFPROTO_IPV4, wide = 0, c;
	uint64_t t0, t;
	unsigned i;

	while ((c = getopt(argc, argv, "46w")) != -1) {
		switch (c) {
		case '4': family = NFPROTO_IPV4; break;
		case '6': family = NFPROTO_IPV6; break;
		case 'w': wide = 1; break;
		default:
			fprintf(stderr, "usage: nftdump [-4|-6] [-w]\n");
			return 2;
		}
	}
	d.buf = malloc(RCV_SIZE);
	d.sock = mnl_socket_open(NETLINK_NETFILTER);
	if (!d.buf || !d.sock || mnl_socket_bind(d.sock, 0, MNL_SOCKET_AUTOPID))
		die("netlink socket");
	d.portid = mnl_socket_get_portid(d.sock);
	d.seq = (uint32_t)time(NULL);
	t0 = now_ns();
	run(&d, request(&d, req, NFT_MSG_GETCHAIN, family));
	if (wide) {
		run(&d, request(&d, req, NFT_MSG_GETRULE, family));
	} else {
		for (i = 0; i < d.nchains; i++) {
			nlh = request(&d, req, NFT_MSG_GETRULE, family);
			mnl_attr_put_strz(nlh, NFTA_RULE_TABLE, d.chains[i].table);
			mnl_attr_put_strz(nlh, NFTA_RULE_CHAIN, d.chains[i].name);
			run(&d, nlh);
		}
	}
	t = now_ns() - t0;
	fprintf(stderr, "nftdump: %s %s, %u chains, %lu rules, %lu replies, "
		"%lu bytes, dump %.3f ms\n",
		family == NFPROTO_IPV6 ? "ip6" : "ip",
		wide ? "family-wide" : "per-chain", d.nchains, d.rules,
		d.replies, d.bytes, t / 1e6);
	mnl_socket_close(d.sock);
	free(d.chains);
	free(d.buf);
	return 0;
}
