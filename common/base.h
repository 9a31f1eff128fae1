/* SPDX-License-Identifier: GPL-2.0-or-later */
/* base header: included first by every file of fw */
#ifndef FW_BASE_H
#define FW_BASE_H

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define FW_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define FW_XT_ALIGN(s) (((s) + 7u) & ~7u)
#define FW_PRINTF(f, a) __attribute__((format(printf, f, a)))
#define FW_UNUSED __attribute__((unused))

/* Abort on an impossible state: a bug in fw, never bad input. */
#define FW_BUG(...) fw_bug(__FILE__, __LINE__, __VA_ARGS__)
void fw_bug(const char *file, int line, const char *fmt, ...)
	FW_PRINTF(3, 4) __attribute__((noreturn));

/* Allocation that never fails: it aborts with a message on OOM. */
void *xmalloc(size_t n);
void *xzalloc(size_t n);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
void *xmemdup(const void *p, size_t n);

/* A growable byte buffer (git's strbuf): buf is always NUL-terminated. */
struct fw_buf {
	char *buf;
	size_t len, alloc;
};
#define FW_BUF_INIT { NULL, 0, 0 }
void fw_buf_grow(struct fw_buf *b, size_t extra);
void fw_buf_add(struct fw_buf *b, const void *p, size_t n);
void fw_buf_addstr(struct fw_buf *b, const char *s);
void fw_buf_addch(struct fw_buf *b, char c);
void fw_buf_addf(struct fw_buf *b, const char *fmt, ...) FW_PRINTF(2, 3);
void fw_buf_reset(struct fw_buf *b);
/* v in decimal, into buf (FW_UTOA_SIZE bytes); returns buf. */
#define FW_UTOA_SIZE 21
char *fw_utoa(unsigned long long v, char *buf);
/* The same appended to b. */
void fw_buf_addu(struct fw_buf *b, unsigned long long v);
/*
 * An IPv4 (4 bytes) or IPv6 (16 bytes) address in text, into dst
 * (FW_NTOP_SIZE bytes): what glibc's inet_ntop() writes, without its
 * sprintf() per number. Returns dst.
 */
#define FW_NTOP_SIZE 46
char *fw_ntop(bool v6, const void *src, char *dst);

/* CLOCK_MONOTONIC in nanoseconds (--timing). */
uint64_t fw_now_ns(void);

/*
 * The services and protocols databases without the static buffers of
 * getservbyname() and its kin: the parsers run in a thread of their own
 * beside the encoder (common/cmdpipe.c). fw_serv_port(): the port in host
 * order, or -1; fw_proto_number(): the number, or -1; fw_proto_lookup():
 * the name into buf, or false.
 */
int fw_serv_port(const char *name, const char *proto);
int fw_proto_number(const char *name);
bool fw_proto_lookup(int proto, char *buf, size_t len);
void fw_buf_release(struct fw_buf *b);

#endif
