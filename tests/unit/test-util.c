/* SPDX-License-Identifier: GPL-2.0-or-later */
/* small helpers the printer and parser run for every rule */
#include "base.h"

#include <string.h>
#include <arpa/inet.h>

#include "ext.h"
#include "rule.h"
#include "unit.h"

/* The prefix length read bit by bit: the definition fw_mask_prefix() has. */
static int prefix_by_bits(const uint8_t *m, unsigned len)
{
	unsigned bit;
	int zero_at = -1;

	for (bit = 0; bit < len * 8; bit++) {
		bool set = m[bit / 8] >> (7 - bit % 8) & 1;

		if (!set && zero_at < 0)
			zero_at = (int)bit;
		else if (set && zero_at >= 0)
			return -1;
	}
	return zero_at < 0 ? (int)(len * 8) : zero_at;
}

static void test_mask_prefix(void)
{
	uint8_t m[16];
	unsigned a, b, bad = 0, i;

	/* every mask of one and two bytes, and each in front of 14 more */
	for (a = 0; a < 256; a++) {
		m[0] = (uint8_t)a;
		bad += fw_mask_prefix(m, 1) != prefix_by_bits(m, 1);
		for (b = 0; b < 256; b++) {
			m[1] = (uint8_t)b;
			bad += fw_mask_prefix(m, 2) != prefix_by_bits(m, 2);
		}
	}
	CHECK(!bad, "fw_mask_prefix: %u short masks differ", bad);
	for (i = 0; i <= 128; i++) {
		memset(m, 0, sizeof(m));
		memset(m, 0xff, i / 8);
		if (i % 8)
			m[i / 8] = (uint8_t)(0xff << (8 - i % 8));
		CHECK(fw_mask_prefix(m, 16) == (int)i, "/%u of 16 bytes", i);
		if (i < 127) {
			m[15] |= 1;	/* a hole */
			CHECK(fw_mask_prefix(m, 16) == -1, "/%u with a hole", i);
		}
	}
}

static void test_utoa(void)
{
	static const struct { unsigned long long v; const char *s; } t[] = {
		{ 0, "0" }, { 7, "7" }, { 10, "10" }, { 65535, "65535" },
		{ 18446744073709551615ull, "18446744073709551615" },
	};
	char buf[FW_UTOA_SIZE];
	struct fw_buf b = FW_BUF_INIT;
	unsigned i;

	for (i = 0; i < FW_ARRAY_SIZE(t); i++) {
		CHECK(!strcmp(fw_utoa(t[i].v, buf), t[i].s), "utoa %s: %s",
		      t[i].s, buf);
		fw_buf_reset(&b);
		fw_buf_addstr(&b, "x");
		fw_buf_addu(&b, t[i].v);
		CHECK(!strcmp(b.buf + 1, t[i].s) && b.buf[0] == 'x',
		      "addu %s: %s", t[i].s, b.buf);
	}
	fw_buf_release(&b);
}

/* The first of the registry that fits: what fw_ext_find() must return. */
static const struct fw_ext *find_linear(const char *name,
					enum fw_ext_kind kind, int family)
{
	const struct fw_ext *const *e;

	for (e = fw_exts; *e; e++)
		if ((*e)->kind == kind && !strcmp((*e)->name, name) &&
		    (!(*e)->family || (*e)->family == family))
			return *e;
	return NULL;
}

static void test_ext_find(void)
{
	static const char *const absent[] = { "", "nosuch", "ACCEPTX", "t" };
	const struct fw_ext *const *e;
	int fam, kind;
	unsigned i;

	for (e = fw_exts; *e; e++)
		for (fam = FW_AF_IPV4; fam <= FW_AF_IPV6;
		     fam += FW_AF_IPV6 - FW_AF_IPV4)
			for (kind = FW_EXT_MATCH; kind <= FW_EXT_TARGET; kind++)
				CHECK(fw_ext_find((*e)->name, kind, fam) ==
				      find_linear((*e)->name, kind, fam),
				      "fw_ext_find(%s, %d, %d)", (*e)->name,
				      kind, fam);
	for (i = 0; i < FW_ARRAY_SIZE(absent); i++)
		CHECK(!fw_ext_find(absent[i], FW_EXT_MATCH, FW_AF_IPV4) &&
		      !fw_ext_find(absent[i], FW_EXT_TARGET, FW_AF_IPV4),
		      "fw_ext_find(%s): none", absent[i]);
}

/* fw_ntop() against glibc's inet_ntop(), which it replaces. */
static void test_ntop(void)
{
	static const unsigned words[] = { 0, 1, 0xffff, 0xabc };
	char want[INET6_ADDRSTRLEN], got[FW_NTOP_SIZE];
	uint8_t a[16];
	unsigned bad = 0, i, k, v;

	/* every address of 8 words from 4 values: all zero-run shapes */
	for (i = 0; i < 1u << 16; i++) {
		for (k = 0; k < 8; k++) {
			v = words[i >> (2 * k) & 3];
			a[2 * k] = (uint8_t)(v >> 8);
			a[2 * k + 1] = (uint8_t)v;
		}
		inet_ntop(AF_INET6, a, want, sizeof(want));
		bad += strcmp(fw_ntop(true, a, got), want) != 0;
	}
	/* IPv4: every byte value in every position */
	for (i = 0; i < 4 * 256; i++) {
		memset(a, (int)(i * 7 % 256), 4);
		a[i / 256] = (uint8_t)i;
		inet_ntop(AF_INET, a, want, sizeof(want));
		bad += strcmp(fw_ntop(false, a, got), want) != 0;
	}
	CHECK(!bad, "fw_ntop: %u addresses differ from inet_ntop", bad);
	memset(a, 0xff, 16);
	CHECK(!strcmp(fw_ntop(true, a, got),
		      "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"), "%s", got);
}

/* "-s A/N" gives the mask of N leading ones, for every N of both families. */
static void test_prefix_masks(void)
{
	struct fw_errs *errs = fw_errs_new();
	struct fw_rule *r;
	char spec[64];
	unsigned p, bad = 0;

	for (p = 0; p <= 33 + 128; p++) {
		bool v6 = p > 32;
		unsigned n = v6 ? p - 33 : p;

		snprintf(spec, sizeof(spec), "-s %s/%u", v6 ? "2001:db8::" : "10.0.0.0",
			 n);
		r = unit_parse(spec, v6 ? FW_AF_IPV6 : FW_AF_IPV4, errs);
		if (!r || fw_mask_prefix(r->src.m, v6 ? 16 : 4) != (int)n)
			bad++;
		fw_rule_free(r);
	}
	CHECK(!bad, "prefix masks: %u wrong", bad);
	fw_errs_free(errs);
}

void test_util(void)
{
	test_prefix_masks();
	test_ntop();
	test_ext_find();
	test_mask_prefix();
	test_utoa();
}
