/* SPDX-License-Identifier: GPL-2.0-or-later */
/* netlink layer: one socket, dumps, compat revision probes, batch commit */
#include "base.h"

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/uio.h>

#include <linux/netfilter.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nf_tables_compat.h>
#include <linux/netfilter/ipset/ip_set.h>
#include <linux/netlink.h>

#include <libmnl/libmnl.h>
#include <libnftnl/batch.h>
#include <libnftnl/chain.h>
#include <libnftnl/common.h>
#include <libnftnl/gen.h>
#include <libnftnl/rule.h>
#include <libnftnl/table.h>

#include "nl.h"
#include "nlmsg.h"

/*
 * One recvmsg() returns one skb. The kernel caps dump skbs at 32 KiB, but
 * a single message (a rule with big compat payloads) can exceed that.
 */
#define NL_RCV_SIZE	(1u << 20)
/* Room for one request: two names of at most NFT_NAME_MAXLEN and headers. */
#define NL_REQ_SIZE	4096
/* nftnl_batch page, and the room a message may spill past its end. */
#define NL_PAGE_SIZE	(8u << 20)
#define NL_PAGE_OVERRUN	(256u << 10)
/*
 * Receive-buffer budget per possible answer (an ack skb is < 1 KiB).
 * tests/nl/run.sh shrinks it to provoke ENOBUFS.
 */
#ifndef NL_ACK_COST
#define NL_ACK_COST	2048u
#endif
/* Check mode: how long to wait for answers still missing. */
#define NL_TIMEOUT_MS	3000
/*
 * Long dumps are pipelined (see nl_talk_pipe()): after NL_PIPE_AFTER
 * replies, a reader thread takes over with a ring of NL_PIPE_SLOTS buffers;
 * so are sequences of rule dumps (fw_nl_dump_rules_of_chains()). A reader
 * waiting for room is woken when only NL_PIPE_WAKE replies are left.
 */
#define NL_PIPE_AFTER	4
#define NL_PIPE_SLOTS	8
#define NL_PIPE_WAKE	(NL_PIPE_SLOTS / 2)
/*
 * The caller asks for a chain ahead only when it would wait for the
 * reader (nl_rules_ahead()). tests/nl/run.sh sets 0, to have it ask ahead
 * at every chain of the reader's.
 */
#ifndef NL_AHEAD_IDLE
#define NL_AHEAD_IDLE	1
#endif

/* One cached compat revision answer. */
struct nl_compat {
	char name[NFT_COMPAT_NAME_MAX];
	uint32_t rev;
	int family;
	int target;
	int known;		/* 1 or 0, as returned */
};

struct fw_nl {
	struct mnl_socket *sock;
	uint32_t portid;
	uint32_t seq;		/* last request sequence number */
	size_t sndbuf;		/* socket buffer sizes forced so far */
	size_t rcvbuf;
	char *buf;		/* NL_RCV_SIZE receive buffer */
	struct nl_compat *compat;
	size_t ncompat, compat_alloc;
	struct fw_nl_stats stats;
	char *pipe_buf[NL_PIPE_SLOTS];	/* NL_RCV_SIZE each, on first use */
	bool talking;		/* inside nl_talk(): callbacks may not ask */
};

struct fw_batch {
	struct nftnl_batch *nb;
	uint32_t seq;		/* last sequence number used */
	uint32_t count;		/* object messages */
	size_t size;		/* bytes of all messages */
	bool ended;		/* BATCH_END appended (sent in commit mode) */
	bool acked;		/* NLM_F_ACK set on objects (sent in check mode) */
	uintptr_t zero_from, zero_to;	/* zeroed bytes ahead of the tail */
};

/* Called for each data message answering a request; < 0 stops it. */
typedef int (*nl_data_fn)(const struct nlmsghdr *nlh, void *arg);

/* State of one request/response exchange or dump. */
struct nl_req {
	uint32_t seq;
	nl_data_fn fn;
	void *arg;
	int fn_ret;		/* first negative return of fn */
	int fn_errno;		/* errno when fn failed */
	int err;		/* first error reported by the kernel */
	unsigned ndata;		/* data messages passed to fn */
	bool intr;		/* NLM_F_DUMP_INTR seen */
	bool done;
};

/*
 * libnftnl allocators return NULL when malloc() fails; treat that as
 * xmalloc() does.
 */
static void *nl_check_alloc(void *p)
{
	if (!p)
		FW_BUG("out of memory in libnftnl");
	return p;
}

/* Names longer than the kernel accepts can never exist. */
static bool nl_name_ok(const char *name)
{
	return !name || strnlen(name, NFT_NAME_MAXLEN) < NFT_NAME_MAXLEN;
}

/* Counts of another socket or thread join these. */
static void nl_stats_add(struct fw_nl_stats *to,
			 const struct fw_nl_stats *from)
{
	to->kernel_ns += from->kernel_ns;
	to->wait_ns += from->wait_ns;
	to->pipelined += from->pipelined;
	to->requests += from->requests;
	to->rule_dumps += from->rule_dumps;
	to->wide_rule_dumps += from->wide_rule_dumps;
	to->recvs += from->recvs;
	to->rx_bytes += from->rx_bytes;
}

/*
 * Receive one datagram into buf (NL_RCV_SIZE bytes), counting it in st.
 * Returns its length, 0 for one to ignore (not from the kernel), or -1
 * with errno (EAGAIN, ENOBUFS, ...).
 */
static ssize_t nl_recv_into(struct fw_nl *nl, char *buf,
			    struct fw_nl_stats *st, int flags)
{
	struct sockaddr_nl sa;
	struct iovec iov = { buf, NL_RCV_SIZE };
	struct msghdr msg = {
		.msg_name = &sa,
		.msg_namelen = sizeof(sa),
		.msg_iov = &iov,
		.msg_iovlen = 1,
	};
	ssize_t n;

	do
		n = recvmsg(mnl_socket_get_fd(nl->sock), &msg, flags);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -1;
	st->recvs++;
	st->rx_bytes += (uint64_t)n;
	if (msg.msg_flags & MSG_TRUNC) {
		errno = EMSGSIZE;
		return -1;
	}
	return sa.nl_pid == 0 ? n : 0;
}

/* The same into nl->buf. */
static ssize_t nl_recv(struct fw_nl *nl, int flags)
{
	return nl_recv_into(nl, nl->buf, &nl->stats, flags);
}

/* Throw away whatever is queued (answers to an abandoned request). */
static void nl_drain(struct fw_nl *nl)
{
	while (nl_recv(nl, MSG_DONTWAIT) >= 0 || errno == ENOBUFS)
		;
}

static void nl_req_data(struct nl_req *req, const struct nlmsghdr *nlh)
{
	int ret;

	req->ndata++;
	if (!req->fn || req->fn_ret || req->err)
		return;
	ret = req->fn(nlh, req->arg);
	if (ret < 0) {
		req->fn_ret = ret;
		req->fn_errno = errno;
	}
}

static void nl_req_error(struct nl_req *req, const struct nlmsghdr *nlh)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	int err = EBADMSG;

	if (nlh->nlmsg_len >= mnl_nlmsg_size(sizeof(*e)))
		err = e->error < 0 ? -e->error : e->error;
	if (err && !req->err)
		req->err = err;
	req->done = true;
}

static void nl_req_finish(struct nl_req *req, const struct nlmsghdr *nlh)
{
	const int *err = mnl_nlmsg_get_payload(nlh);

	if (nlh->nlmsg_len >= mnl_nlmsg_size(sizeof(*err)) && *err < 0 &&
	    !req->err)
		req->err = -*err;
	req->done = true;
}

static void nl_req_msg(struct fw_nl *nl, struct nl_req *req,
		       const struct nlmsghdr *nlh)
{
	if (nlh->nlmsg_seq != req->seq || nlh->nlmsg_pid != nl->portid)
		return;		/* left over from an earlier exchange */
	if (nlh->nlmsg_flags & NLM_F_DUMP_INTR)
		req->intr = true;
	switch (nlh->nlmsg_type) {
	case NLMSG_NOOP:
	case NLMSG_OVERRUN:
		break;
	case NLMSG_ERROR:
		nl_req_error(req, nlh);
		break;
	case NLMSG_DONE:
		nl_req_finish(req, nlh);
		break;
	default:
		nl_req_data(req, nlh);
	}
}

static int nl_req_result(const struct nl_req *req)
{
	if (req->fn_ret) {
		errno = req->fn_errno;
		return req->fn_ret;
	}
	if (req->err) {
		errno = req->err;
		return -1;
	}
	if (req->intr) {
		errno = EINTR;
		return -1;
	}
	return 0;
}

static void nl_req_datagram(struct fw_nl *nl, struct nl_req *req,
			    const char *buf, ssize_t n)
{
	const struct nlmsghdr *m;
	int len = (int)n;

	for (m = (const void *)buf; mnl_nlmsg_ok(m, len);
	     m = mnl_nlmsg_next(m, &len))
		nl_req_msg(nl, req, m);
}

/* fw_nl_dump_rules_of_chains()'s arguments. */
struct nl_rules {
	int family;
	const char *table;
	const char *const *chains;
	unsigned n;
	uint32_t seq0;		/* sequence number of chains[0]'s request */
	fw_nl_rule_cb cb;
	fw_nl_chain_done_cb done;
	void *data;
};

/*
 * Pipelined dumps. The kernel builds each dump reply (at most 32 KiB)
 * inside sendmsg() and recvmsg(), so a reader that parses each reply
 * before asking for the next pays for the kernel and for itself one after
 * the other. A reader thread makes those system calls and hands the
 * replies over through a ring of NL_PIPE_SLOTS buffers while the caller's
 * callbacks run: with two CPUs the kernel's work and the caller's overlap.
 * It reads the rest of one long dump (nl_talk_pipe(), once a dump has run
 * for NL_PIPE_AFTER replies) or a sequence of rule dumps, one per chain
 * (fw_nl_dump_rules_of_chains()), where it asks for the next dump as soon
 * as it has the datagram that ends one (the same test as nl_req_msg()): a
 * socket runs one dump at a time (a second request gets EBUSY). For a
 * sequence it may read on a socket of its own while the caller dumps
 * chains on nl's (nl_rules_start()). It stops after the last dump, at a
 * socket error, or when the caller says so; callbacks only ever run in
 * the caller's thread.
 */
struct nl_pipe {
	struct fw_nl *nl;	/* the socket read, and its buffers */
	uint32_t seq;		/* the dump being read */
	const struct nl_rules *rules;	/* the sequence; NULL: one dump */
	bool shared;		/* the caller dumps chains too, on nl's socket */
	unsigned asked;		/* reader: chains up to asked - 1 asked for */
	unsigned claimed;	/* chains up to claimed - 1 taken, by either */
	unsigned released;	/* chains the caller is done with */
	bool stop;		/* caller: ask for no more dumps */
	bool finished;		/* reader: nothing more will come */
	pthread_mutex_t lock;
	pthread_cond_t filled;	/* the caller waits: a reply, or finished */
	pthread_cond_t room;	/* the reader waits: free slots, released */
	ssize_t len[NL_PIPE_SLOTS];
	int err[NL_PIPE_SLOTS];
	unsigned head, tail;	/* replies filled: head - tail */
	struct fw_nl_stats st;	/* the reader's share, merged at the end */
	pthread_t th;
};

/*
 * Does this datagram end dump seq? *data is set when it carries a data
 * message of that dump (what nl_req_msg() passes to nl_req_data()).
 */
static bool nl_dump_scan(const struct fw_nl *nl, uint32_t seq,
			 const char *buf, ssize_t n, bool *data)
{
	const struct nlmsghdr *m;
	int len = (int)n;
	bool end = false;

	for (m = (const void *)buf; mnl_nlmsg_ok(m, len);
	     m = mnl_nlmsg_next(m, &len)) {
		if (m->nlmsg_seq != seq || m->nlmsg_pid != nl->portid)
			continue;
		if (m->nlmsg_type == NLMSG_DONE ||
		    m->nlmsg_type == NLMSG_ERROR)
			end = true;
		else if (m->nlmsg_type != NLMSG_NOOP &&
			 m->nlmsg_type != NLMSG_OVERRUN)
			*data = true;
	}
	return end;
}

/* Names the kernel cannot hold are not asked for: ENOENT at once. */
static bool nl_rules_skip(const struct nl_rules *r, unsigned i)
{
	return !nl_name_ok(r->table) || !nl_name_ok(r->chains[i]);
}

/*
 * The GETRULE dump of chains[i], filtered by table and chain (by the
 * kernel, as in fw_nl_dump_rules()), into buf (NL_REQ_SIZE, zeroed: libmnl
 * 1.0.4 leaves padding). Sequence numbers were set aside in advance, so
 * that the reader thread never touches nl->seq.
 */
static struct nlmsghdr *nl_rules_req(const struct nl_rules *r, unsigned i,
				     char *buf)
{
	struct nlmsghdr *nlh;

	nlh = nftnl_nlmsg_build_hdr(buf, NFT_MSG_GETRULE, (uint16_t)r->family,
				    NLM_F_DUMP, r->seq0 + i);
	mnl_attr_put_strz(nlh, NFTA_RULE_TABLE, r->table);
	mnl_attr_put_strz(nlh, NFTA_RULE_CHAIN, r->chains[i]);
	return nlh;
}

/*
 * Reader: wait for a free slot. When the caller is the slower one the ring
 * is full; it wakes the reader only once NL_PIPE_WAKE replies are left
 * (nl_pipe_give()), not for every slot it frees: a wakeup costs both
 * threads more than a short reply does.
 */
static unsigned nl_pipe_slot(struct nl_pipe *p)
{
	unsigned slot;

	pthread_mutex_lock(&p->lock);
	while (p->head - p->tail == NL_PIPE_SLOTS)
		pthread_cond_wait(&p->room, &p->lock);
	slot = p->head % NL_PIPE_SLOTS;
	pthread_mutex_unlock(&p->lock);
	return slot;
}

/* Reader: hand a slot over (n < 0: a socket error, err). */
static void nl_pipe_fill(struct nl_pipe *p, unsigned slot, ssize_t n, int err)
{
	pthread_mutex_lock(&p->lock);
	p->len[slot] = n;
	p->err[slot] = err;
	p->head++;
	pthread_cond_signal(&p->filled);
	pthread_mutex_unlock(&p->lock);
}

/*
 * With p->lock held: take the next chain nobody has taken yet, or none
 * (r->n) when none is left.
 */
static unsigned nl_pipe_claim(struct nl_pipe *p)
{
	const struct nl_rules *r = p->rules;
	unsigned i = p->claimed;

	while (i < r->n && nl_rules_skip(r, i))
		i++;
	if (i < r->n)
		p->claimed = i + 1;
	return i;
}

/*
 * Reader: ask for the dump of the next chain nobody has taken, after the
 * one before has ended (empty: without a data message). An empty dump may
 * mean a chain gone, which the caller asks the kernel about on this socket
 * (nl_check_gone()): then wait until it is done with that chain. false:
 * nothing more to read.
 */
static bool nl_pipe_ask(struct nl_pipe *p, bool empty)
{
	char buf[NL_REQ_SIZE] = { 0 };
	const struct nl_rules *r = p->rules;
	struct nlmsghdr *nlh;
	uint64_t t0;
	unsigned i;
	int ret;

	pthread_mutex_lock(&p->lock);
	while (empty && !p->stop && p->released < p->asked)
		pthread_cond_wait(&p->room, &p->lock);
	i = p->stop ? r->n : nl_pipe_claim(p);
	pthread_mutex_unlock(&p->lock);
	if (i == r->n)
		return false;
	nlh = nl_rules_req(r, i, buf);
	p->st.requests++;
	p->st.rule_dumps++;
	t0 = fw_now_ns();
	ret = (int)mnl_socket_sendto(p->nl->sock, nlh, nlh->nlmsg_len);
	p->st.kernel_ns += fw_now_ns() - t0;
	if (ret < 0) {
		/* the caller is waiting for chain i: it gets the error */
		nl_pipe_fill(p, nl_pipe_slot(p), -1, errno);
		return false;
	}
	p->seq = nlh->nlmsg_seq;
	p->asked = i + 1;
	return true;
}

static void *nl_pipe_reader(void *arg)
{
	struct nl_pipe *p = arg;
	bool more = !p->rules || nl_pipe_ask(p, false);
	bool data = false;
	unsigned slot;
	uint64_t t0;
	ssize_t n;
	int err;

	while (more) {
		slot = nl_pipe_slot(p);
		t0 = fw_now_ns();
		n = nl_recv_into(p->nl, p->nl->pipe_buf[slot], &p->st, 0);
		err = n < 0 ? errno : 0;
		p->st.kernel_ns += fw_now_ns() - t0;
		more = n >= 0 && !nl_dump_scan(p->nl, p->seq,
					       p->nl->pipe_buf[slot], n, &data);
		nl_pipe_fill(p, slot, n, err);
		if (!more && n >= 0 && p->rules) {
			more = nl_pipe_ask(p, !data);
			data = false;
		}
	}
	pthread_mutex_lock(&p->lock);
	p->finished = true;
	pthread_cond_signal(&p->filled);
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

static void nl_pipe_destroy(struct nl_pipe *p)
{
	pthread_cond_destroy(&p->room);
	pthread_cond_destroy(&p->filled);
	pthread_mutex_destroy(&p->lock);
}

/* Start the reader thread on p->nl: 0, or -1 when none could be started. */
static int nl_pipe_start(struct nl_pipe *p)
{
	unsigned i;

	for (i = 0; i < NL_PIPE_SLOTS; i++)
		if (!p->nl->pipe_buf[i])
			p->nl->pipe_buf[i] = xmalloc(NL_RCV_SIZE);
	pthread_mutex_init(&p->lock, NULL);
	pthread_cond_init(&p->filled, NULL);
	pthread_cond_init(&p->room, NULL);
	if (pthread_create(&p->th, NULL, nl_pipe_reader, p)) {
		nl_pipe_destroy(p);
		return -1;
	}
	return 0;
}

/*
 * Caller: wait for the next reply and return its slot (held until
 * nl_pipe_give()), or -1 when the reader has finished.
 */
static int nl_pipe_take(struct fw_nl *nl, struct nl_pipe *p)
{
	uint64_t t0 = fw_now_ns();
	int slot = -1;

	pthread_mutex_lock(&p->lock);
	while (p->head == p->tail && !p->finished)
		pthread_cond_wait(&p->filled, &p->lock);
	if (p->head != p->tail)
		slot = (int)(p->tail % NL_PIPE_SLOTS);
	pthread_mutex_unlock(&p->lock);
	nl->stats.wait_ns += fw_now_ns() - t0;
	return slot;
}

static void nl_pipe_give(struct nl_pipe *p)
{
	pthread_mutex_lock(&p->lock);
	p->tail++;
	if (p->head - p->tail <= NL_PIPE_WAKE)
		pthread_cond_signal(&p->room);
	pthread_mutex_unlock(&p->lock);
}

/*
 * Caller: the reader may go past chain released - 1 (see nl_pipe_ask()),
 * or stop. A reader held after an empty dump has left nothing in the ring;
 * one waiting for room is not woken before nl_pipe_give() would.
 */
static void nl_pipe_tell(struct nl_pipe *p, unsigned released, bool stop)
{
	pthread_mutex_lock(&p->lock);
	p->released = released;
	p->stop = stop;
	if (stop || p->head - p->tail <= NL_PIPE_WAKE)
		pthread_cond_signal(&p->room);
	pthread_mutex_unlock(&p->lock);
}

/*
 * Stop the reader: it asks for no more dumps and ends with the one it is
 * reading, whose replies are thrown away here (the socket is left clean
 * for the next request). Then its counts join nl's. errno is kept.
 */
static void nl_pipe_end(struct fw_nl *nl, struct nl_pipe *p)
{
	int saved = errno;

	nl_pipe_tell(p, p->released, true);
	while (nl_pipe_take(nl, p) >= 0)
		nl_pipe_give(p);
	pthread_join(p->th, NULL);
	nl_pipe_destroy(p);
	nl_stats_add(&nl->stats, &p->st);
	errno = saved;
}

/*
 * Caller: req's replies from the ring up to the end of its dump; 0 or -1
 * as nl_talk() (the reader's socket error, or req's result).
 */
static int nl_pipe_read(struct fw_nl *nl, struct nl_pipe *p,
			struct nl_req *req)
{
	int slot, err = 0;

	while (!req->done && !err) {
		slot = nl_pipe_take(nl, p);
		if (slot < 0)
			FW_BUG("netlink reader thread ended inside a dump");
		if (p->len[slot] < 0)
			err = p->err[slot];
		else
			nl_req_datagram(p->nl, req, p->nl->pipe_buf[slot],
					p->len[slot]);
		nl_pipe_give(p);
	}
	nl->stats.pipelined++;
	if (err) {
		errno = err;
		return -1;
	}
	return nl_req_result(req);
}

/*
 * The rest of a dump through the reader thread. 1 when no thread could be
 * started (the caller goes on alone), else as nl_talk().
 */
static int nl_talk_pipe(struct fw_nl *nl, struct nl_req *req)
{
	struct nl_pipe p = { .nl = nl, .seq = req->seq };
	int ret;

	if (nl_pipe_start(&p))
		return 1;
	ret = nl_pipe_read(nl, &p, req);
	nl_pipe_end(nl, &p);
	return ret;
}

/* The answers to nl_talk()'s request, up to its end. */
static int nl_talk_loop(struct fw_nl *nl, struct nl_req *req, bool dump)
{
	unsigned replies = 0;
	uint64_t t0, t;
	ssize_t n;
	int ret;

	while (!req->done) {
		if (dump && replies++ == NL_PIPE_AFTER) {
			ret = nl_talk_pipe(nl, req);
			if (ret != 1)
				return ret;
		}
		t0 = fw_now_ns();
		n = nl_recv(nl, 0);
		t = fw_now_ns() - t0;
		nl->stats.kernel_ns += t;
		nl->stats.wait_ns += t;
		if (n < 0)
			return -1;
		nl_req_datagram(nl, req, nl->buf, n);
	}
	return nl_req_result(req);
}

/* nl_talk()'s request: 0, or -1 (errno) when it could not be sent. */
static int nl_send(struct fw_nl *nl, const struct nlmsghdr *nlh)
{
	uint64_t t0 = fw_now_ns(), t;

	nl->stats.requests++;
	if (mnl_socket_sendto(nl->sock, nlh, nlh->nlmsg_len) < 0)
		return -1;
	t = fw_now_ns() - t0;
	nl->stats.kernel_ns += t;
	nl->stats.wait_ns += t;
	return 0;
}

/* nl_talk()'s answers, to a request sent already. */
static int nl_answers(struct fw_nl *nl, struct nl_req *req, bool dump)
{
	int ret;

	nl->talking = true;
	ret = nl_talk_loop(nl, req, dump);
	nl->talking = false;
	return ret;
}

/*
 * Send one request and read its answers up to NLMSG_DONE or the final
 * NLMSG_ERROR, even when fn stopped early: the socket is left clean for the
 * next request (a half-read dump would make the next one fail with EBUSY).
 * A callback may not make a request of its own: it would read this one's
 * answers, and this one would then wait forever for its end.
 */
static int nl_talk(struct fw_nl *nl, struct nlmsghdr *nlh, struct nl_req *req)
{
	if (nl->talking)
		FW_BUG("a netlink request from inside a dump callback");
	req->seq = nlh->nlmsg_seq;
	if (nl_send(nl, nlh) < 0)
		return -1;
	return nl_answers(nl, req, nlh->nlmsg_flags & NLM_F_DUMP);
}

static struct nlmsghdr *nl_req_hdr(struct fw_nl *nl, char *buf, uint16_t type,
				   int family, uint16_t flags)
{
	return nftnl_nlmsg_build_hdr(buf, type, (uint16_t)family, flags,
				     ++nl->seq);
}

static void nl_set_buf(struct fw_nl *nl, int force, int opt, size_t *cur,
		       size_t want)
{
	int fd = mnl_socket_get_fd(nl->sock);
	int v = want > INT_MAX / 2 ? INT_MAX / 2 : (int)want;

	if (want <= *cur)
		return;
	/* without CAP_NET_ADMIN only the sysctl-capped option works */
	if (setsockopt(fd, SOL_SOCKET, force, &v, sizeof(v)) < 0)
		setsockopt(fd, SOL_SOCKET, opt, &v, sizeof(v));
	*cur = want;
}

/* A bound socket, not yet asked anything: NULL (errno) when none. */
static struct fw_nl *nl_open_sock(void)
{
	struct fw_nl *nl = xzalloc(sizeof(*nl));
	int one = 1;

	nl->sock = mnl_socket_open(NETLINK_NETFILTER);
	if (!nl->sock || mnl_socket_bind(nl->sock, 0, MNL_SOCKET_AUTOPID) < 0) {
		fw_nl_close(nl);
		return NULL;
	}
	nl->portid = mnl_socket_get_portid(nl->sock);
	nl->seq = (uint32_t)time(NULL);
	nl->buf = xmalloc(NL_RCV_SIZE);
	/* errors then echo only the header of the rejected message */
	mnl_socket_setsockopt(nl->sock, NETLINK_CAP_ACK, &one, sizeof(one));
	return nl;
}

struct fw_nl *fw_nl_open(void)
{
	struct fw_nl *nl = nl_open_sock();
	uint32_t genid;

	/* fail here, not later, without privileges or nf_tables */
	if (nl && fw_nl_genid(nl, &genid) < 0) {
		fw_nl_close(nl);
		return NULL;
	}
	return nl;
}

void fw_nl_get_stats(const struct fw_nl *nl, struct fw_nl_stats *st)
{
	if (nl)
		*st = nl->stats;
	else
		memset(st, 0, sizeof(*st));
}

void fw_nl_close(struct fw_nl *nl)
{
	int saved = errno;
	unsigned i;

	if (!nl)
		return;
	if (nl->sock)
		mnl_socket_close(nl->sock);
	for (i = 0; i < NL_PIPE_SLOTS; i++)
		free(nl->pipe_buf[i]);
	free(nl->buf);
	free(nl->compat);
	free(nl);
	errno = saved;
}

static int nl_gen_data(const struct nlmsghdr *nlh, void *arg)
{
	struct nftnl_gen *gen = nl_check_alloc(nftnl_gen_alloc());
	uint32_t *genid = arg;
	int ret;

	ret = nftnl_gen_nlmsg_parse(nlh, gen);
	if (!ret)
		*genid = nftnl_gen_get_u32(gen, NFTNL_GEN_ID);
	nftnl_gen_free(gen);
	return ret < 0 ? -1 : 0;
}

int fw_nl_genid(struct fw_nl *nl, uint32_t *genid)
{
	char buf[NL_REQ_SIZE] = { 0 };	/* libmnl 1.0.4 leaves padding */
	struct nl_req req = { .fn = nl_gen_data, .arg = genid };
	struct nlmsghdr *nlh;

	nlh = nl_req_hdr(nl, buf, NFT_MSG_GETGEN, AF_UNSPEC, NLM_F_ACK);
	if (nl_talk(nl, nlh, &req) < 0)
		return -1;
	if (req.ndata != 1) {
		errno = EPROTO;
		return -1;
	}
	return 0;
}

/* A dump in progress: the caller's callback and filters. */
struct nl_dump {
	const char *table;	/* chain dumps: the kernel does not filter */
	fw_nl_table_cb table_cb;
	fw_nl_chain_cb chain_cb;
	fw_nl_rule_cb rule_cb;
	void *data;
	unsigned matched;
};

/*
 * Each message is parsed into a fresh object: nftnl_*_nlmsg_parse() sets
 * only the attributes present, so a reused chain would keep the hook of a
 * base chain seen before.
 */
static int nl_table_data(const struct nlmsghdr *nlh, void *arg)
{
	struct nftnl_table *t = nl_check_alloc(nftnl_table_alloc());
	struct nl_dump *d = arg;
	int ret = -1;

	if (nftnl_table_nlmsg_parse(nlh, t) == 0) {
		d->matched++;
		ret = d->table_cb(t, d->data);
	}
	nftnl_table_free(t);
	return ret < 0 ? ret : 0;
}

static int nl_chain_data(const struct nlmsghdr *nlh, void *arg)
{
	struct nftnl_chain *c = nl_check_alloc(nftnl_chain_alloc());
	struct nl_dump *d = arg;
	const char *table;
	int ret = -1;

	if (nftnl_chain_nlmsg_parse(nlh, c) == 0) {
		table = nftnl_chain_get_str(c, NFTNL_CHAIN_TABLE);
		ret = 0;
		if (!d->table || (table && !strcmp(table, d->table))) {
			d->matched++;
			ret = d->chain_cb ? d->chain_cb(c, d->data) : 0;
		}
	}
	nftnl_chain_free(c);
	return ret < 0 ? ret : 0;
}

/* Rules are read in place (nlmsg.h): no object, no copy. */
static int nl_rule_data(const struct nlmsghdr *nlh, void *arg)
{
	struct nl_dump *d = arg;
	struct fw_nlrule r;
	int ret;

	if (fw_nlrule_parse(nlh, &r) < 0)
		return -1;
	d->matched++;
	ret = d->rule_cb(&r, d->data);
	return ret < 0 ? ret : 0;
}

int fw_nl_dump_tables(struct fw_nl *nl, int family, fw_nl_table_cb cb,
		      void *data)
{
	char buf[NL_REQ_SIZE] = { 0 };	/* libmnl 1.0.4 leaves padding */
	struct nl_dump d = { .table_cb = cb, .data = data };
	struct nl_req req = { .fn = nl_table_data, .arg = &d };
	struct nlmsghdr *nlh;

	nlh = nl_req_hdr(nl, buf, NFT_MSG_GETTABLE, family, NLM_F_DUMP);
	return nl_talk(nl, nlh, &req);
}

/* Does table NAME exist? 1 yes, 0 no, -1 error. */
static int nl_table_exists(struct fw_nl *nl, int family, const char *name)
{
	char buf[NL_REQ_SIZE] = { 0 };	/* libmnl 1.0.4 leaves padding */
	struct nftnl_table *t = nl_check_alloc(nftnl_table_alloc());
	struct nl_req req = { 0 };
	struct nlmsghdr *nlh;

	nftnl_table_set_str(t, NFTNL_TABLE_NAME, name);
	nlh = nl_req_hdr(nl, buf, NFT_MSG_GETTABLE, family, NLM_F_ACK);
	nftnl_table_nlmsg_build_payload(nlh, t);
	nftnl_table_free(t);
	if (nl_talk(nl, nlh, &req) == 0)
		return 1;
	return errno == ENOENT ? 0 : -1;
}

/*
 * An empty dump cannot tell "nothing there" from "container gone"; only
 * then ask for the container itself (never for NFPROTO_UNSPEC, where
 * names are not unique).
 */
static int nl_check_gone(struct fw_nl *nl, int family, const char *table,
			 const char *chain)
{
	int ret;

	if (family == NFPROTO_UNSPEC || !table)
		return 0;
	if (chain)
		ret = fw_nl_get_chain(nl, family, table, chain, NULL, NULL);
	else
		ret = nl_table_exists(nl, family, table);
	if (ret < 0)
		return -1;
	if (!ret) {
		errno = ENOENT;
		return -1;
	}
	return 0;
}

/*
 * The kernel's chain dump has no table filter (nf_tables_getchain() passes
 * no .start to the dump), so chains of other tables are skipped here.
 */
int fw_nl_dump_chains(struct fw_nl *nl, int family, const char *table,
		      fw_nl_chain_cb cb, void *data)
{
	char buf[NL_REQ_SIZE] = { 0 };	/* libmnl 1.0.4 leaves padding */
	struct nl_dump d = { .table = table, .chain_cb = cb, .data = data };
	struct nl_req req = { .fn = nl_chain_data, .arg = &d };
	struct nlmsghdr *nlh;
	int ret;

	if (!nl_name_ok(table)) {
		errno = ENOENT;
		return -1;
	}
	nlh = nl_req_hdr(nl, buf, NFT_MSG_GETCHAIN, family, NLM_F_DUMP);
	ret = nl_talk(nl, nlh, &req);
	if (ret || d.matched)
		return ret;
	return nl_check_gone(nl, family, table, NULL);
}

/* cb may be NULL: then this only tests whether the chain exists. */
int fw_nl_get_chain(struct fw_nl *nl, int family, const char *table,
		    const char *chain, fw_nl_chain_cb cb, void *data)
{
	char buf[NL_REQ_SIZE] = { 0 };	/* libmnl 1.0.4 leaves padding */
	struct nftnl_chain *c;
	struct nl_dump d = { .chain_cb = cb, .data = data };
	struct nl_req req = { .fn = nl_chain_data, .arg = &d };
	struct nlmsghdr *nlh;
	int ret;

	if (!nl_name_ok(table) || !nl_name_ok(chain))
		return 0;
	c = nl_check_alloc(nftnl_chain_alloc());
	nftnl_chain_set_str(c, NFTNL_CHAIN_TABLE, table);
	nftnl_chain_set_str(c, NFTNL_CHAIN_NAME, chain);
	nlh = nl_req_hdr(nl, buf, NFT_MSG_GETCHAIN, family, NLM_F_ACK);
	nftnl_chain_nlmsg_build_payload(nlh, c);
	nftnl_chain_free(c);
	ret = nl_talk(nl, nlh, &req);
	if (ret == -1 && errno == ENOENT)
		return 0;
	if (ret)
		return ret;
	return d.matched ? 1 : 0;
}

/* The kernel filters rule dumps by NFTA_RULE_TABLE and NFTA_RULE_CHAIN. */
int fw_nl_dump_rules(struct fw_nl *nl, int family, const char *table,
		     const char *chain, fw_nl_rule_cb cb, void *data)
{
	char buf[NL_REQ_SIZE] = { 0 };	/* libmnl 1.0.4 leaves padding */
	struct nftnl_rule *r;
	struct nl_dump d = { .rule_cb = cb, .data = data };
	struct nl_req req = { .fn = nl_rule_data, .arg = &d };
	struct nlmsghdr *nlh;
	int ret;

	if (!nl_name_ok(table) || !nl_name_ok(chain)) {
		errno = ENOENT;
		return -1;
	}
	r = nl_check_alloc(nftnl_rule_alloc());
	if (table)
		nftnl_rule_set_str(r, NFTNL_RULE_TABLE, table);
	if (chain)
		nftnl_rule_set_str(r, NFTNL_RULE_CHAIN, chain);
	nlh = nl_req_hdr(nl, buf, NFT_MSG_GETRULE, family, NLM_F_DUMP);
	nftnl_rule_nlmsg_build_payload(nlh, r);
	nftnl_rule_free(r);
	nl->stats.rule_dumps++;
	if (!chain)
		nl->stats.wide_rule_dumps++;
	ret = nl_talk(nl, nlh, &req);
	if (ret || d.matched)
		return ret;
	return nl_check_gone(nl, family, table, chain);
}

/*
 * The reader of fw_nl_dump_rules_of_chains(), started on nl's socket or,
 * from FW_NL_TWIN_CHAINS chains on, on a second socket bound like it (the
 * twin, for this call only): then the caller, its own socket free, dumps
 * chains too (shared). The reader takes the next chain nobody has taken as
 * soon as a dump of its own has ended; the caller dumps a chain itself
 * when the reader has not taken it yet (nl_pipe_theirs()), and asks for
 * one ahead of its turn when it would wait for the reader
 * (nl_rules_ahead()). So the kernel builds replies on both CPUs, on the
 * caller's only when it has nothing else to do, and the callbacks still
 * see the chains in order. NULL: no thread, the caller dumps every chain.
 */
static struct nl_pipe *nl_rules_start(struct fw_nl *nl, struct nl_pipe *p,
				      const struct nl_rules *r)
{
	struct fw_nl *twin = r->n >= FW_NL_TWIN_CHAINS ? nl_open_sock() : NULL;

	if (twin) {
		nl_set_buf(twin, SO_SNDBUFFORCE, SO_SNDBUF, &twin->sndbuf,
			   nl->sndbuf);
		nl_set_buf(twin, SO_RCVBUFFORCE, SO_RCVBUF, &twin->rcvbuf,
			   nl->rcvbuf);
		/* its own requests (nl_check_gone()) after the sequence's */
		twin->seq = nl->seq;
	}
	*p = (struct nl_pipe){ .nl = twin ? twin : nl, .rules = r,
			       .shared = twin != NULL };
	if (nl_pipe_start(p) == 0)
		return p;
	fw_nl_close(twin);
	return NULL;
}

/* Caller: is chain i the reader's? If not (shared), the caller takes it. */
static bool nl_pipe_theirs(struct nl_pipe *p, unsigned i)
{
	bool theirs = true;

	if (p->shared) {
		pthread_mutex_lock(&p->lock);
		theirs = i < p->claimed;
		if (!theirs)
			p->claimed = i + 1;
		pthread_mutex_unlock(&p->lock);
	}
	return theirs;
}

/* The caller's chain asked for ahead of its turn on nl's socket. */
struct nl_ahead {
	unsigned i;		/* r->n: none */
	int err;		/* the request failed (errno), or 0 */
};

/* Caller: ask for the dump of chain i on nl's socket: 0 or errno. */
static int nl_rules_ask(struct fw_nl *nl, const struct nl_rules *r,
			unsigned i)
{
	char buf[NL_REQ_SIZE] = { 0 };

	nl->stats.rule_dumps++;
	return nl_send(nl, nl_rules_req(r, i, buf)) < 0 ? errno : 0;
}

/*
 * Caller, shared, at a chain of the reader's with nothing from it yet:
 * rather than wait, take the next chain nobody has taken and ask for its
 * dump, whose first reply the kernel builds inside sendmsg(); the replies
 * are read at its turn (nl_rules_chain()). One at a time: a socket runs
 * one dump at a time, and the chains up to it are all the reader's.
 */
static void nl_rules_ahead(struct fw_nl *nl, struct nl_pipe *p,
			   struct nl_ahead *a)
{
	unsigned i = p->rules->n;

	pthread_mutex_lock(&p->lock);
	if (!NL_AHEAD_IDLE || (p->head == p->tail && !p->finished))
		i = nl_pipe_claim(p);
	pthread_mutex_unlock(&p->lock);
	if (i < p->rules->n) {
		a->i = i;
		a->err = nl_rules_ask(nl, p->rules, i);
	}
}

/*
 * Stop the reader (nl_pipe_end()); the twin's counts join nl's. A dump
 * asked for ahead is read to its end. errno is kept.
 */
static void nl_rules_end(struct fw_nl *nl, struct nl_pipe *p,
			 const struct nl_rules *r, const struct nl_ahead *a)
{
	struct nl_req req = { .seq = r->seq0 + a->i };
	int saved = errno;

	if (p)
		nl_pipe_end(nl, p);
	if (p && p->shared) {
		nl_stats_add(&nl->stats, &p->nl->stats);
		fw_nl_close(p->nl);
	}
	if (a->i < r->n && !a->err)
		nl_answers(nl, &req, true);
	errno = saved;
}

/*
 * Chain i of fw_nl_dump_rules_of_chains(): its replies from the reader
 * thread p or, without it, through nl's socket (asked for now or ahead,
 * a); then, as in fw_nl_dump_rules(), an empty dump is told apart from a
 * chain gone, on the socket of the dump. The test is req.ndata, not
 * d.matched: the reader waits after a dump without data messages
 * (nl_pipe_ask()), by the same count, so its socket is free for
 * nl_check_gone(); with a result of 0 the two agree (a message
 * nl_rule_data() cannot parse fails the dump). Returns what
 * fw_nl_dump_rules() would; *broken when the dump did not end (a socket
 * error): then the socket is no use for the next one.
 */
static int nl_rules_chain(struct fw_nl *nl, struct nl_pipe *p,
			  const struct nl_rules *r, unsigned i,
			  struct nl_ahead *a, bool *broken)
{
	struct nl_dump d = { .rule_cb = r->cb, .data = r->data };
	struct nl_req req = { .seq = r->seq0 + i, .fn = nl_rule_data,
			      .arg = &d };
	int ret;

	*broken = false;
	if (nl_rules_skip(r, i)) {
		errno = ENOENT;
		return -1;
	}
	if (p) {
		nl->talking = true;
		ret = nl_pipe_read(nl, p, &req);
		nl->talking = false;
	} else {
		if (a->i != i)
			a->err = nl_rules_ask(nl, r, i);
		a->i = r->n;
		errno = a->err;
		ret = a->err ? -1 : nl_answers(nl, &req, true);
	}
	*broken = !req.done;
	if (ret || req.ndata)
		return ret;
	return nl_check_gone(p ? p->nl : nl, r->family, r->table,
			     r->chains[i]);
}

/*
 * The reader asks for its next chain once the dump of its chain i has
 * ended, or once the caller is done with chain i when its dump was empty;
 * done() runs while it does.
 */
int fw_nl_dump_rules_of_chains(struct fw_nl *nl, int family,
			       const char *table, const char *const *chains,
			       unsigned n, fw_nl_rule_cb cb,
			       fw_nl_chain_done_cb done, void *data)
{
	struct nl_rules r = {
		.family = family, .table = table, .chains = chains, .n = n,
		.seq0 = nl->seq + 1, .cb = cb, .done = done, .data = data,
	};
	struct nl_ahead a = { .i = n };
	struct nl_pipe pipe, *p, *q;
	bool broken = false;
	unsigned i;
	int ret = 0, err;

	if (nl->talking)
		FW_BUG("a netlink request from inside a dump callback");
	if (!n)
		return 0;
	nl->seq += n;
	p = nl_rules_start(nl, &pipe, &r);
	for (i = 0; i < n && !ret && !broken; i++) {
		q = p && a.i != i && nl_pipe_theirs(p, i) ? p : NULL;
		if (q && q->shared && a.i == n)
			nl_rules_ahead(nl, q, &a);
		ret = nl_rules_chain(nl, q, &r, i, &a, &broken);
		err = errno;
		if (q)
			nl_pipe_tell(q, i + 1, false);
		nl->talking = true;
		ret = done(i, ret, err, data);
		nl->talking = false;
		if (ret >= 0 && broken) {
			ret = -1;
			errno = err;
		} else if (ret > 0) {
			ret = 0;
		}
	}
	nl_rules_end(nl, p, &r, &a);
	return ret;
}

/* Ask the kernel, uncached: 1, 0 or -1. */
static int nl_compat_ask(struct fw_nl *nl, int family, const char *name,
			 uint32_t rev, int target)
{
	char buf[NL_REQ_SIZE] = { 0 };	/* libmnl 1.0.4 leaves padding */
	struct nl_req req = { 0 };
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct nfgenmsg *nfg;

	nlh->nlmsg_type = NFNL_SUBSYS_NFT_COMPAT << 8 | NFNL_MSG_COMPAT_GET;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = ++nl->seq;
	nfg = mnl_nlmsg_put_extra_header(nlh, sizeof(*nfg));
	nfg->nfgen_family = (uint8_t)family;
	nfg->version = NFNETLINK_V0;
	nfg->res_id = 0;
	mnl_attr_put_strz(nlh, NFTA_COMPAT_NAME, name);
	mnl_attr_put_u32(nlh, NFTA_COMPAT_REV, htonl(rev));
	mnl_attr_put_u32(nlh, NFTA_COMPAT_TYPE, htonl(target ? 1 : 0));
	if (nl_talk(nl, nlh, &req) == 0)
		return 1;
	/* xt_find_revision(): no such extension, or not at this revision */
	if (errno == ENOENT || errno == EPROTONOSUPPORT)
		return 0;
	return -1;
}

static struct nl_compat *nl_compat_find(struct fw_nl *nl, int family,
					const char *name, uint32_t rev,
					int target)
{
	struct nl_compat *e;

	for (e = nl->compat; e < nl->compat + nl->ncompat; e++)
		if (e->family == family && e->rev == rev &&
		    e->target == target && !strcmp(e->name, name))
			return e;
	return NULL;
}

int fw_nl_compat_probe(struct fw_nl *nl, int family, const char *name,
		       uint32_t rev, int target)
{
	struct nl_compat *e;
	int known;

	target = !!target;
	if (strnlen(name, NFT_COMPAT_NAME_MAX) >= NFT_COMPAT_NAME_MAX)
		return 0;
	e = nl_compat_find(nl, family, name, rev, target);
	if (e)
		return e->known;
	known = nl_compat_ask(nl, family, name, rev, target);
	if (known < 0)
		return -1;
	if (nl->ncompat == nl->compat_alloc) {
		nl->compat_alloc = nl->compat_alloc ? 2 * nl->compat_alloc : 16;
		nl->compat = xrealloc(nl->compat,
				      nl->compat_alloc * sizeof(*nl->compat));
	}
	e = &nl->compat[nl->ncompat++];
	strcpy(e->name, name);
	e->family = family;
	e->rev = rev;
	e->target = target;
	e->known = known;
	return known;
}

/*
 * One ipset getsockopt: learn the protocol version first, as the kernel
 * rejects requests whose version is below its minimum. A kernel without
 * ipset (ENOPROTOOPT) has no sets at all.
 */
static int nl_ipset_get(struct ip_set_req_get_set *req)
{
	struct ip_set_req_version ver = { .op = IP_SET_OP_VERSION };
	socklen_t size = sizeof(ver);
	int fd, ret, saved;

	fd = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_RAW);
	if (fd < 0)
		return -1;
	ret = getsockopt(fd, SOL_IP, SO_IP_SET, &ver, &size);
	if (!ret) {
		req->version = ver.version;
		size = sizeof(*req);
		ret = getsockopt(fd, SOL_IP, SO_IP_SET, req, &size);
	}
	saved = errno;
	close(fd);
	errno = saved == ENOPROTOOPT ? ENOENT : saved;
	return ret;
}

int fw_ipset_index(const char *name, uint16_t *index)
{
	struct ip_set_req_get_set req = { .op = IP_SET_OP_GET_BYNAME };

	if (strnlen(name, IPSET_MAXNAMELEN) >= IPSET_MAXNAMELEN) {
		errno = ENOENT;
		return -1;
	}
	strcpy(req.set.name, name);
	if (nl_ipset_get(&req) < 0)
		return -1;
	if (req.set.index == IPSET_INVALID_ID) {
		errno = ENOENT;
		return -1;
	}
	*index = req.set.index;
	return 0;
}

/*
 * ERANGE when len cannot hold the name and its NUL. The kernel says EINVAL
 * for an index past its set table: no such set either.
 */
int fw_ipset_name(uint16_t index, char *name, size_t len)
{
	struct ip_set_req_get_set req = { .op = IP_SET_OP_GET_BYINDEX };
	size_t n;

	req.set.index = index;
	if (nl_ipset_get(&req) < 0) {
		if (errno == EINVAL)
			errno = ENOENT;
		return -1;
	}
	n = strnlen(req.set.name, IPSET_MAXNAMELEN);
	if (!n || n == IPSET_MAXNAMELEN) {
		errno = ENOENT;
		return -1;
	}
	if (n >= len) {
		errno = ERANGE;
		return -1;
	}
	memcpy(name, req.set.name, n + 1);
	return 0;
}

/*
 * IP_SET_OP_GET_FNAME, which libxt_set uses to learn a set's family as
 * well as its index. (Addition to the original contract.)
 */
int fw_ipset_find(const char *name, uint16_t *index, int *family)
{
	struct ip_set_req_version ver = { .op = IP_SET_OP_VERSION };
	struct ip_set_req_get_set_family req = { .op = IP_SET_OP_GET_FNAME };
	socklen_t size = sizeof(ver);
	int fd, ret, saved;

	if (strnlen(name, IPSET_MAXNAMELEN) >= IPSET_MAXNAMELEN) {
		errno = ENOENT;
		return -1;
	}
	strcpy(req.set.name, name);
	fd = socket(AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_RAW);
	if (fd < 0)
		return -1;
	ret = getsockopt(fd, SOL_IP, SO_IP_SET, &ver, &size);
	if (!ret) {
		req.version = ver.version;
		size = sizeof(req);
		ret = getsockopt(fd, SOL_IP, SO_IP_SET, &req, &size);
	}
	saved = errno;
	close(fd);
	if (ret && saved == EBADMSG) {
		/* a kernel before GET_FNAME: no family to check */
		*family = 0;
		return fw_ipset_index(name, index);
	}
	errno = saved == ENOPROTOOPT ? ENOENT : saved;
	if (ret)
		return -1;
	if (req.set.index == IPSET_INVALID_ID) {
		errno = ENOENT;
		return -1;
	}
	*index = req.set.index;
	*family = req.family;
	return 0;
}

/* Account for the message just written at the batch's end. */
/*
 * Keep the NL_PAGE_OVERRUN bytes after the tail zeroed (a message is at
 * most that long): libmnl 1.0.4 does not clear attribute padding, and
 * heap garbage would go to the kernel (valgrind: "sendmsg points to
 * uninitialised bytes"). A page is NL_PAGE_SIZE + NL_PAGE_OVERRUN bytes
 * and the tail never passes NL_PAGE_SIZE, so this stays inside it.
 */
static void nl_batch_zero_ahead(struct fw_batch *b)
{
	uintptr_t tail = (uintptr_t)nftnl_batch_buffer(b->nb);

	if (tail < b->zero_from || tail > b->zero_to)	/* a new page */
		b->zero_from = b->zero_to = tail;
	if (b->zero_to < tail + NL_PAGE_OVERRUN) {
		memset((void *)b->zero_to, 0, tail + NL_PAGE_OVERRUN - b->zero_to);
		b->zero_to = tail + NL_PAGE_OVERRUN;
	}
}

static uint32_t nl_batch_add(struct fw_batch *b, const struct nlmsghdr *nlh)
{
	if (nlh->nlmsg_len > NL_PAGE_OVERRUN)
		FW_BUG("netlink message of %u bytes", nlh->nlmsg_len);
	b->size += nlh->nlmsg_len;
	if (nftnl_batch_update(b->nb) < 0)
		FW_BUG("out of memory in nftnl_batch_update");
	nl_batch_zero_ahead(b);
	return nlh->nlmsg_seq;
}

/*
 * NFTA_GEN_ID is always present, 0 included (the kernel skips the check
 * for 0, as iptables relies on), so fw_batch_set_genid() can patch it.
 */
struct fw_batch *fw_batch_new(uint32_t genid)
{
	struct fw_batch *b = xzalloc(sizeof(*b));
	struct nlmsghdr *nlh;

	b->nb = nl_check_alloc(nftnl_batch_alloc(NL_PAGE_SIZE,
						 NL_PAGE_OVERRUN));
	nlh = nftnl_batch_begin(nftnl_batch_buffer(b->nb), ++b->seq);
	mnl_attr_put_u32(nlh, NFNL_BATCH_GENID, htonl(genid));
	nl_batch_add(b, nlh);
	return b;
}

void fw_batch_free(struct fw_batch *b)
{
	if (!b)
		return;
	nftnl_batch_free(b->nb);
	free(b);
}

/* BATCH_BEGIN is the first message of the first page. */
void fw_batch_set_genid(struct fw_batch *b, uint32_t genid)
{
	struct iovec iov;
	struct nlmsghdr *nlh;
	struct nlattr *attr;

	nftnl_batch_iovec(b->nb, &iov, 1);
	nlh = iov.iov_base;
	attr = mnl_nlmsg_get_payload_offset(nlh, sizeof(struct nfgenmsg));
	if (mnl_attr_get_type(attr) != NFNL_BATCH_GENID)
		FW_BUG("batch does not start with BATCH_BEGIN and genid");
	*(uint32_t *)mnl_attr_get_payload(attr) = htonl(genid);
}

static struct nlmsghdr *nl_batch_hdr(struct fw_batch *b, uint16_t type,
				     uint16_t flags, int family)
{
	b->count++;
	return nftnl_nlmsg_build_hdr(nftnl_batch_buffer(b->nb), type,
				     (uint16_t)family, flags, ++b->seq);
}

uint32_t fw_batch_table(struct fw_batch *b, uint16_t type, uint16_t flags,
			int family, const struct nftnl_table *t)
{
	struct nlmsghdr *nlh = nl_batch_hdr(b, type, flags, family);

	nftnl_table_nlmsg_build_payload(nlh, t);
	return nl_batch_add(b, nlh);
}

uint32_t fw_batch_chain(struct fw_batch *b, uint16_t type, uint16_t flags,
			int family, const struct nftnl_chain *c)
{
	struct nlmsghdr *nlh = nl_batch_hdr(b, type, flags, family);

	nftnl_chain_nlmsg_build_payload(nlh, c);
	return nl_batch_add(b, nlh);
}

uint32_t fw_batch_rule(struct fw_batch *b, uint16_t type, uint16_t flags,
		       int family, const struct nftnl_rule *r)
{
	struct nlmsghdr *nlh = nl_batch_hdr(b, type, flags, family);

	/* libnftnl's prototype lacks the const, but it only reads r */
	nftnl_rule_nlmsg_build_payload(nlh, (struct nftnl_rule *)r);
	return nl_batch_add(b, nlh);
}

struct nlmsghdr *fw_batch_msg(struct fw_batch *b, uint16_t type,
			      uint16_t flags, int family)
{
	return nl_batch_hdr(b, type, flags, family);
}

uint32_t fw_batch_msg_end(struct fw_batch *b, struct nlmsghdr *nlh)
{
	return nl_batch_add(b, nlh);
}

/* Nothing is accounted before fw_batch_msg_end(): the next one overwrites. */
void fw_batch_msg_cancel(struct fw_batch *b)
{
	b->count--;
	b->seq--;
}

uint32_t fw_batch_count(const struct fw_batch *b)
{
	return b->count;
}

size_t fw_batch_size(const struct fw_batch *b)
{
	return b->size;
}

/* The pages of the batch as an iovec; the caller frees *iov. */
static int nl_batch_iov(struct fw_batch *b, struct iovec **iov)
{
	int n = nftnl_batch_iovec_len(b->nb);

	*iov = xmalloc((size_t)n * sizeof(**iov));
	nftnl_batch_iovec(b->nb, *iov, (uint32_t)n);
	return n;
}

/* Set or clear NLM_F_ACK on every object message (not BEGIN/END). */
static void nl_batch_set_ack(struct fw_batch *b, bool on)
{
	struct iovec *iov;
	struct nlmsghdr *nlh;
	int i, n, len;

	n = nl_batch_iov(b, &iov);
	for (i = 0; i < n; i++) {
		len = (int)iov[i].iov_len;
		for (nlh = iov[i].iov_base; mnl_nlmsg_ok(nlh, len);
		     nlh = mnl_nlmsg_next(nlh, &len)) {
			if (nlh->nlmsg_type < NLMSG_MIN_TYPE ||
			    nlh->nlmsg_type == NFNL_MSG_BATCH_BEGIN ||
			    nlh->nlmsg_type == NFNL_MSG_BATCH_END)
				continue;
			if (on)
				nlh->nlmsg_flags |= NLM_F_ACK;
			else
				nlh->nlmsg_flags &= (uint16_t)~NLM_F_ACK;
		}
	}
	free(iov);
	b->acked = on;
}

/* Shape the batch for the mode; a batch ended for commit cannot check. */
static int nl_batch_prepare(struct fw_batch *b, enum fw_batch_mode mode)
{
	struct nlmsghdr *nlh;

	if (mode == FW_BATCH_CHECK) {
		if (b->ended) {
			errno = EINVAL;
			return -1;
		}
		if (!b->acked)
			nl_batch_set_ack(b, true);
		return 0;
	}
	if (b->acked)
		nl_batch_set_ack(b, false);
	if (!b->ended) {
		nlh = nftnl_batch_end(nftnl_batch_buffer(b->nb), ++b->seq);
		nl_batch_add(b, nlh);
		b->ended = true;
	}
	return 0;
}

static int nl_batch_sendmsg(struct fw_nl *nl, struct fw_batch *b)
{
	struct sockaddr_nl snl = { .nl_family = AF_NETLINK };
	struct msghdr msg = { .msg_name = &snl, .msg_namelen = sizeof(snl) };
	struct iovec *iov;
	ssize_t ret;
	int n;

	n = nl_batch_iov(b, &iov);
	msg.msg_iov = iov;
	msg.msg_iovlen = (size_t)n;
	ret = sendmsg(mnl_socket_get_fd(nl->sock), &msg, 0);
	free(iov);
	return ret < 0 ? -1 : 0;
}

/* Answers to a batch being collected. */
struct nl_batch_rx {
	fw_batch_err_cb cb;
	void *data;
	uint32_t last;		/* highest sequence number sent */
	uint32_t left;		/* check mode: objects not answered yet */
	uint8_t *seen;		/* check mode: answered seqs, a bitmap */
	bool failed;		/* cb was called */
	bool begin_failed;	/* seq 1 rejected: no more answers follow */
	bool nobufs;		/* the kernel dropped answers */
};

static void nl_batch_rx_msg(struct fw_nl *nl, struct nl_batch_rx *rx,
			    const struct nlmsghdr *nlh)
{
	const struct nlmsgerr *e = mnl_nlmsg_get_payload(nlh);
	uint32_t seq = nlh->nlmsg_seq;
	int err;

	if (nlh->nlmsg_type != NLMSG_ERROR || nlh->nlmsg_pid != nl->portid ||
	    seq < 1 || seq > rx->last ||
	    nlh->nlmsg_len < mnl_nlmsg_size(sizeof(*e)))
		return;
	if (rx->seen && seq > 1) {
		if (rx->seen[seq / 8] & (1u << (seq % 8)))
			return;
		rx->seen[seq / 8] |= (uint8_t)(1u << (seq % 8));
		rx->left--;
	}
	err = e->error < 0 ? -e->error : e->error;
	if (!err)
		return;
	if (seq == 1)
		rx->begin_failed = true;
	rx->failed = true;
	if (rx->cb)
		rx->cb(seq, err, rx->data);
}

/* Wait until readable or the deadline; 1 ready, 0 timed out, -1 error. */
static int nl_wait(struct fw_nl *nl, uint64_t deadline)
{
	struct pollfd pfd = { mnl_socket_get_fd(nl->sock), POLLIN, 0 };
	uint64_t now;
	int ret;

	do {
		now = fw_now_ns();
		if (now >= deadline)
			return 0;
		ret = poll(&pfd, 1, (int)((deadline - now) / 1000000u) + 1);
	} while (ret < 0 && errno == EINTR);
	return ret;
}

static bool nl_batch_rx_done(const struct nl_batch_rx *rx)
{
	return !rx->seen || !rx->left || rx->begin_failed || rx->nobufs;
}

/*
 * nfnetlink handles the whole batch inside sendmsg(), so every answer is
 * queued once it returns: read without blocking until EAGAIN. In check
 * mode every object is acked; wait (bounded) for any still missing.
 */
static int nl_batch_collect(struct fw_nl *nl, struct nl_batch_rx *rx)
{
	uint64_t deadline = fw_now_ns() + NL_TIMEOUT_MS * 1000000ull;
	const struct nlmsghdr *m;
	ssize_t n;
	int len, ret;

	for (;;) {
		n = nl_recv(nl, MSG_DONTWAIT);
		if (n < 0 && errno == ENOBUFS) {
			rx->nobufs = true;
			continue;
		}
		if (n < 0 && errno != EAGAIN)
			return -1;
		if (n < 0) {
			if (nl_batch_rx_done(rx))
				break;
			ret = nl_wait(nl, deadline);
			if (ret < 0)
				return -1;
			if (!ret) {
				errno = ETIMEDOUT;
				return -1;
			}
			continue;
		}
		len = (int)n;
		for (m = (const void *)nl->buf; mnl_nlmsg_ok(m, len);
		     m = mnl_nlmsg_next(m, &len))
			nl_batch_rx_msg(nl, rx, m);
	}
	if (rx->nobufs) {
		errno = ENOBUFS;
		return -1;
	}
	return rx->failed ? 1 : 0;
}

/*
 * Errors arrive for the messages that failed, with NLM_F_ACK also for the
 * ones that did not; each answer costs one skb in the receive queue while
 * the kernel is still inside sendmsg(), so size both buffers to the batch.
 */
int fw_batch_send(struct fw_nl *nl, struct fw_batch *b,
		  enum fw_batch_mode mode, fw_batch_err_cb cb, void *data,
		  uint64_t *commit_ns)
{
	struct nl_batch_rx rx = { .cb = cb, .data = data };
	uint64_t t0;
	int ret;

	if (nl_batch_prepare(b, mode) < 0)
		return -1;
	rx.last = b->seq;
	if (mode == FW_BATCH_CHECK) {
		rx.left = b->count;
		rx.seen = xzalloc(b->seq / 8 + 1);
	}
	nl_drain(nl);
	nl_set_buf(nl, SO_SNDBUFFORCE, SO_SNDBUF, &nl->sndbuf, b->size + 4096);
	nl_set_buf(nl, SO_RCVBUFFORCE, SO_RCVBUF, &nl->rcvbuf,
		   ((size_t)b->seq + 16) * NL_ACK_COST);
	t0 = fw_now_ns();
	ret = nl_batch_sendmsg(nl, b);
	if (!ret)
		ret = nl_batch_collect(nl, &rx);
	if (commit_ns)
		*commit_ns = fw_now_ns() - t0;
	free(rx.seen);
	return ret;
}
