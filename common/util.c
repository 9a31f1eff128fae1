/* SPDX-License-Identifier: GPL-2.0-or-later */
/* allocation wrappers, growable buffers, FW_BUG */
#include "base.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

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
