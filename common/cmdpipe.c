/* SPDX-License-Identifier: GPL-2.0-or-later */
/* fw_cmd_pipe(): a parser in a second thread, its commands used in this one */
#include "base.h"

#include <pthread.h>
#include <string.h>

#include "cmd.h"

/*
 * The parser (the source) runs in its own thread and hands its commands
 * over in blocks of up to CP_ITEMS, each with a copy of the strings the
 * command points to and the rule it carries (fw_rule_move()): the parser
 * goes on with the next lines while this thread runs fn on the block
 * before. At most CP_BLOCKS blocks are in flight, so memory stays small
 * whatever the input's size. A block goes back to the parser's thread to
 * be reused, and the rules in it are freed there, where they were
 * allocated.
 *
 * The parser reports its errors to a list of its own. Each block takes
 * the messages reported while it was filled, and each command a mark of
 * where that list stood when it came; this thread moves the messages up
 * to the mark to the caller's list just before it runs fn on the command.
 * So the messages and counts come out as a single thread would have
 * reported them.
 */
#define CP_ITEMS 64
#define CP_ERRS 32		/* or as many messages held: the block goes */
#define CP_BLOCKS 4

struct cp_item {
	struct fw_cmd cmd;	/* table, chain and arg are set when used */
	struct fw_rule rule;	/* cmd.rule points here, when set */
	size_t table, chain, arg;	/* 1 + offset in strs; 0: NULL */
	struct fw_errs_mark mark;	/* the block's messages before it */
};

struct cp_block {
	struct cp_item item[CP_ITEMS];
	unsigned n;
	char *strs;
	size_t slen, salloc;
	struct fw_errs *errs;	/* the parser's messages, in order */
};

struct cp {
	fw_cmd_source src;
	void *arg;
	struct fw_errs *perrs;	/* what the parser reports to */
	struct cp_block *cur;	/* the parser's, being filled */
	struct cp_block blk[CP_BLOCKS];
	unsigned filled;	/* blocks handed over */
	unsigned used;		/* blocks fn has been run on */
	bool done;		/* the parser has returned */
	int src_rc;
	uint64_t run_ns, wait_ns;	/* the parser's thread */
	pthread_mutex_t lock;
	pthread_cond_t full;	/* a block handed over, or done */
	pthread_cond_t room;	/* a block free again */
};

static void cp_block_clear(struct cp_block *b)
{
	unsigned i;

	for (i = 0; i < b->n; i++)
		if (b->item[i].cmd.rule)
			fw_rule_clear(&b->item[i].rule);
	b->n = 0;
	b->slen = 0;
}

/* Parser: the next free block, once fn is done with what it held. */
static struct cp_block *cp_acquire(struct cp *p)
{
	struct cp_block *b;
	uint64_t t0 = fw_now_ns();

	pthread_mutex_lock(&p->lock);
	while (p->filled - p->used == CP_BLOCKS)
		pthread_cond_wait(&p->room, &p->lock);
	b = &p->blk[p->filled % CP_BLOCKS];
	pthread_mutex_unlock(&p->lock);
	p->wait_ns += fw_now_ns() - t0;
	cp_block_clear(b);
	return b;
}

static void cp_hand_over(struct cp *p)
{
	fw_errs_swap(p->cur->errs, p->perrs);	/* the latter was empty */
	p->cur = NULL;
	pthread_mutex_lock(&p->lock);
	p->filled++;
	pthread_cond_signal(&p->full);
	pthread_mutex_unlock(&p->lock);
}

static size_t cp_str(struct cp_block *b, const char *s)
{
	size_t len, off = b->slen;

	if (!s)
		return 0;
	len = strlen(s) + 1;
	if (b->slen + len > b->salloc) {
		b->salloc = b->salloc * 2 > b->slen + len ? b->salloc * 2
							   : b->slen + len + 4096;
		b->strs = xrealloc(b->strs, b->salloc);
	}
	memcpy(b->strs + off, s, len);
	b->slen += len;
	return off + 1;
}

/* Parser: the fw_cmd_fn it is given. */
static int cp_put(const struct fw_cmd *c, void *data)
{
	struct cp *p = data;
	struct cp_item *it;
	struct cp_block *b;

	if (!p->cur)
		p->cur = cp_acquire(p);
	b = p->cur;
	it = &b->item[b->n++];
	it->cmd = *c;
	it->cmd.table = it->cmd.chain = it->cmd.arg = NULL;
	it->table = cp_str(b, c->table);
	it->chain = cp_str(b, c->chain);
	it->arg = cp_str(b, c->arg);
	fw_errs_mark(p->perrs, &it->mark);
	if (c->rule) {
		fw_rule_move(&it->rule, c->rule);
		it->cmd.rule = &it->rule;
	}
	if (b->n == CP_ITEMS || it->mark.held >= CP_ERRS)
		cp_hand_over(p);
	return 0;
}

static void *cp_parser(void *data)
{
	struct cp *p = data;
	uint64_t t0 = fw_now_ns();
	struct fw_errs_mark m;

	p->src_rc = p->src(p->arg, cp_put, p, p->perrs);
	/*
	 * the messages after the last command (held is enough: a list
	 * drops none before it holds its fill)
	 */
	fw_errs_mark(p->perrs, &m);
	if (p->cur || m.held) {
		if (!p->cur)
			p->cur = cp_acquire(p);
		cp_hand_over(p);
	}
	p->run_ns = fw_now_ns() - t0;
	pthread_mutex_lock(&p->lock);
	p->done = true;
	pthread_cond_signal(&p->full);
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

static const char *cp_at(const struct cp_block *b, size_t off)
{
	return off ? b->strs + off - 1 : NULL;
}

/* This thread: fn on every command of b, the parser's messages between. */
static int cp_use(struct cp_block *b, fw_cmd_fn fn, void *data,
		  struct fw_errs *errs)
{
	struct fw_errs_mark from = { 0 }, end;
	struct fw_cmd c;
	unsigned i;
	int rc = 0;

	for (i = 0; i < b->n; i++) {
		fw_errs_move(errs, b->errs, &from, &b->item[i].mark);
		from = b->item[i].mark;
		c = b->item[i].cmd;
		c.table = cp_at(b, b->item[i].table);
		c.chain = cp_at(b, b->item[i].chain);
		c.arg = cp_at(b, b->item[i].arg);
		if (fn(&c, data))
			rc = -1;
	}
	fw_errs_mark(b->errs, &end);
	fw_errs_move(errs, b->errs, &from, &end);
	fw_errs_clear(b->errs);
	return rc;
}

int fw_cmd_pipe(fw_cmd_source src, void *arg, fw_cmd_fn fn, void *data,
		struct fw_errs *errs, bool thread,
		struct fw_cmd_pipe_stats *st)
{
	struct cp p = { .src = src, .arg = arg };
	struct cp_block *b;
	pthread_t th;
	unsigned i;
	int rc = 0;

	memset(st, 0, sizeof(*st));
	if (!thread)
		return src(arg, fn, data, errs);
	pthread_mutex_init(&p.lock, NULL);
	pthread_cond_init(&p.full, NULL);
	pthread_cond_init(&p.room, NULL);
	p.perrs = fw_errs_new();
	for (i = 0; i < CP_BLOCKS; i++)
		p.blk[i].errs = fw_errs_new();
	if (pthread_create(&th, NULL, cp_parser, &p)) {
		/* no second thread: the parser calls fn itself */
		rc = src(arg, fn, data, errs);
		goto out;
	}
	st->threaded = true;
	for (;;) {
		pthread_mutex_lock(&p.lock);
		while (p.used == p.filled && !p.done)
			pthread_cond_wait(&p.full, &p.lock);
		b = p.used == p.filled ? NULL : &p.blk[p.used % CP_BLOCKS];
		pthread_mutex_unlock(&p.lock);
		if (!b)
			break;
		rc |= cp_use(b, fn, data, errs);
		pthread_mutex_lock(&p.lock);
		p.used++;
		pthread_cond_signal(&p.room);
		pthread_mutex_unlock(&p.lock);
	}
	pthread_join(th, NULL);
	rc |= p.src_rc;
	st->parser_ns = p.run_ns - p.wait_ns;
out:
	for (i = 0; i < CP_BLOCKS; i++) {
		cp_block_clear(&p.blk[i]);
		free(p.blk[i].strs);
		fw_errs_free(p.blk[i].errs);
	}
	fw_errs_free(p.perrs);
	pthread_cond_destroy(&p.room);
	pthread_cond_destroy(&p.full);
	pthread_mutex_destroy(&p.lock);
	return rc;
}
