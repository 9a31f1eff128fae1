/* SPDX-License-Identifier: GPL-2.0-or-later */
/* allocation wrappers, growable buffers, FW_BUG */
#include "base.h"

#include <netdb.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <arpa/inet.h>

void fw_bug(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "fw: BUG at %s:%d: ", file, line);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

static void *oom(size_t n)
{
	fprintf(stderr, "fw: out of memory allocating %zu bytes\n", n);
	abort();
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	return p ? p : oom(n);
}

void *xzalloc(size_t n)
{
	void *p = calloc(1, n ? n : 1);

	return p ? p : oom(n);
}

void *xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	return p ? p : oom(n);
}

char *xstrdup(const char *s)
{
	return xmemdup(s, strlen(s) + 1);
}

char *xstrndup(const char *s, size_t n)
{
	size_t len = strnlen(s, n);
	char *p = xmalloc(len + 1);

	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

void *xmemdup(const void *p, size_t n)
{
	void *q = xmalloc(n);

	memcpy(q, p, n);
	return q;
}

void fw_buf_grow(struct fw_buf *b, size_t extra)
{
	if (b->len + extra + 1 <= b->alloc)
		return;
	b->alloc = (b->len + extra + 1) * 2;
	if (b->alloc < 64)
		b->alloc = 64;
	b->buf = xrealloc(b->buf, b->alloc);
}

void fw_buf_add(struct fw_buf *b, const void *p, size_t n)
{
	fw_buf_grow(b, n);
	memcpy(b->buf + b->len, p, n);
	b->len += n;
	b->buf[b->len] = '\0';
}

void fw_buf_addstr(struct fw_buf *b, const char *s)
{
	fw_buf_add(b, s, strlen(s));
}

void fw_buf_addch(struct fw_buf *b, char c)
{
	fw_buf_add(b, &c, 1);
}

void fw_buf_addf(struct fw_buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	fw_buf_grow(b, 64);
	va_start(ap, fmt);
	n = vsnprintf(b->buf + b->len, b->alloc - b->len, fmt, ap);
	va_end(ap);
	if (n < 0)
		FW_BUG("vsnprintf failed");
	if ((size_t)n >= b->alloc - b->len) {
		fw_buf_grow(b, n);
		va_start(ap, fmt);
		vsnprintf(b->buf + b->len, b->alloc - b->len, fmt, ap);
		va_end(ap);
	}
	b->len += n;
}

void fw_buf_reset(struct fw_buf *b)
{
	b->len = 0;
	if (b->buf)
		b->buf[0] = '\0';
}

void fw_buf_release(struct fw_buf *b)
{
	free(b->buf);
	b->buf = NULL;
	b->len = b->alloc = 0;
}

char *fw_utoa(unsigned long long v, char *buf)
{
	char tmp[FW_UTOA_SIZE];
	size_t n = 0, i;

	do
		tmp[n++] = (char)('0' + v % 10);
	while ((v /= 10));
	for (i = 0; i < n; i++)
		buf[i] = tmp[n - 1 - i];
	buf[n] = '\0';
	return buf;
}

void fw_buf_addu(struct fw_buf *b, unsigned long long v)
{
	char num[FW_UTOA_SIZE];

	fw_buf_addstr(b, fw_utoa(v, num));
}

static char *ntop4(const uint8_t *a, char *p)
{
	unsigned i;

	for (i = 0; i < 4; i++) {
		if (i)
			*p++ = '.';
		fw_utoa(a[i], p);
		p += strlen(p);
	}
	return p;
}

/* RFC 5952 as glibc does it: the longest run of two or more zero words
 * (the first of equal ones) is "::"; ::a.b.c.d and ::ffff:a.b.c.d keep
 * the IPv4 form. */
static void ntop6(const uint8_t *a, char *p)
{
	static const char hex[] = "0123456789abcdef";
	int best = -1, best_len = 0, cur = -1, cur_len = 0, i, d;
	unsigned w[8];

	for (i = 0; i < 8; i++) {
		w[i] = (unsigned)a[2 * i] << 8 | a[2 * i + 1];
		if (!w[i]) {
			if (cur < 0)
				cur = i, cur_len = 0;
			if (++cur_len > best_len)
				best = cur, best_len = cur_len;
		} else {
			cur = -1;
		}
	}
	if (best_len < 2)
		best = -1;
	for (i = 0; i < 8; i++) {
		if (best >= 0 && i >= best && i < best + best_len) {
			if (i == best)
				*p++ = ':';
			continue;
		}
		if (i)
			*p++ = ':';
		if (i == 6 && best == 0 &&
		    (best_len == 6 || (best_len == 5 && w[5] == 0xffff))) {
			p = ntop4(a + 12, p);
			*p = '\0';
			return;
		}
		for (d = 12; d > 0 && !(w[i] >> d); d -= 4)
			;
		for (; d >= 0; d -= 4)
			*p++ = hex[w[i] >> d & 0xf];
	}
	if (best >= 0 && best + best_len == 8)
		*p++ = ':';
	*p = '\0';
}

char *fw_ntop(bool v6, const void *src, char *dst)
{
	if (v6)
		ntop6(src, dst);
	else
		*ntop4(src, dst) = '\0';
	return dst;
}

int fw_serv_port(const char *name, const char *proto)
{
	struct servent se, *res = NULL;
	char buf[1024];

	if (getservbyname_r(name, proto, &se, buf, sizeof(buf), &res) || !res)
		return -1;
	return ntohs((uint16_t)res->s_port);
}

int fw_proto_number(const char *name)
{
	struct protoent pe, *res = NULL;
	char buf[1024];

	if (getprotobyname_r(name, &pe, buf, sizeof(buf), &res) || !res)
		return -1;
	return res->p_proto;
}

bool fw_proto_lookup(int proto, char *name, size_t len)
{
	struct protoent pe, *res = NULL;
	char buf[1024];

	if (getprotobynumber_r(proto, &pe, buf, sizeof(buf), &res) || !res ||
	    strlen(res->p_name) >= len)
		return false;
	strcpy(name, res->p_name);
	return true;
}

uint64_t fw_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}
