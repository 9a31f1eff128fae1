/* SPDX-License-Identifier: GPL-2.0-or-later */
/* HMARK target: packet mark from a hash of the selected header fields */
#include "base.h"

#include <arpa/inet.h>
#include <stddef.h>
#include <string.h>

#include <linux/netfilter/xt_HMARK.h>

#include "ext.h"

/* Option ids are the XT_HMARK_* flag bits; the tuple has its own id. */
enum { O_TUPLE = XT_HMARK_CT + 1 };

static const struct fw_opt hmark_opts[] = {
	{ "hmark-src-prefix", XT_HMARK_SADDR_MASK, 1, 0 },
	{ "hmark-dst-prefix", XT_HMARK_DADDR_MASK, 1, 0 },
	{ "hmark-sport-mask", XT_HMARK_SPORT_MASK, 1, 0 },
	{ "hmark-dport-mask", XT_HMARK_DPORT_MASK, 1, 0 },
	{ "hmark-spi-mask", XT_HMARK_SPI_MASK, 1, 0 },
	{ "hmark-sport", XT_HMARK_SPORT, 1, 0 },
	{ "hmark-dport", XT_HMARK_DPORT, 1, 0 },
	{ "hmark-spi", XT_HMARK_SPI, 1, 0 },
	{ "hmark-proto-mask", XT_HMARK_PROTO_MASK, 1, 0 },
	{ "hmark-rnd", XT_HMARK_RND, 1, 0 },
	{ "hmark-mod", XT_HMARK_MODULUS, 1, 0 },
	{ "hmark-offset", XT_HMARK_OFFSET, 1, 0 },
	{ "hmark-tuple", O_TUPLE, 1, 0 },
	{ NULL },
};

/* The numeric fields: where, how wide, how printed (by option id). */
static const struct {
	size_t off;
	uint8_t bytes;		/* 2 or 4 */
	bool be;		/* kept in network order */
	uint8_t hex;		/* saved as 0x and so many digits; 0: %u */
} hmark_field_tbl[] = {
	[XT_HMARK_SPORT_MASK] = { offsetof(struct xt_hmark_info,
					   port_mask.p16.src), 2, true,
				  4 },
	[XT_HMARK_DPORT_MASK] = { offsetof(struct xt_hmark_info,
					   port_mask.p16.dst), 2, true,
				  4 },
	[XT_HMARK_SPI_MASK] = { offsetof(struct xt_hmark_info, port_mask.v32),
				4, true, 8 },
	[XT_HMARK_SPORT] = { offsetof(struct xt_hmark_info, port_set.p16.src),
			     2, true, 4 },
	[XT_HMARK_DPORT] = { offsetof(struct xt_hmark_info, port_set.p16.dst),
			     2, true, 4 },
	[XT_HMARK_SPI] = { offsetof(struct xt_hmark_info, port_set.v32), 4,
			   true, 8 },
	[XT_HMARK_PROTO_MASK] = { offsetof(struct xt_hmark_info, proto_mask),
				  2, false, 2 },
	[XT_HMARK_RND] = { offsetof(struct xt_hmark_info, hashrnd), 4, false,
			   8 },
	[XT_HMARK_MODULUS] = { offsetof(struct xt_hmark_info, hmodulus), 4,
			       false, 0 },
	[XT_HMARK_OFFSET] = { offsetof(struct xt_hmark_info, hoffset), 4,
			      false, 0 },
};

/* --hmark-tuple words (prefixes allowed, first match wins), in order. */
static const struct {
	const char *name;
	uint8_t flag;
} hmark_tuple_tbl[] = {
	{ "ct", XT_HMARK_CT }, { "src", XT_HMARK_SADDR_MASK },
	{ "dst", XT_HMARK_DADDR_MASK }, { "sport", XT_HMARK_SPORT_MASK },
	{ "dport", XT_HMARK_DPORT_MASK }, { "proto", XT_HMARK_PROTO_MASK },
	{ "spi", XT_HMARK_SPI_MASK },
};

static uint32_t field_get(const uint8_t *data, unsigned id)
{
	uint16_t v16;
	uint32_t v32;

	if (hmark_field_tbl[id].bytes == 2) {
		memcpy(&v16, data + hmark_field_tbl[id].off, 2);
		return hmark_field_tbl[id].be ? ntohs(v16) : v16;
	}
	memcpy(&v32, data + hmark_field_tbl[id].off, 4);
	return hmark_field_tbl[id].be ? ntohl(v32) : v32;
}

static void field_set(uint8_t *data, unsigned id, uint32_t v)
{
	uint16_t v16 = hmark_field_tbl[id].be ? htons(v) : v;
	uint32_t v32 = hmark_field_tbl[id].be ? htonl(v) : v;

	if (hmark_field_tbl[id].bytes == 2)
		memcpy(data + hmark_field_tbl[id].off, &v16, 2);
	else
		memcpy(data + hmark_field_tbl[id].off, &v32, 4);
}

/* One tuple word: the field fully masked in, as libxt_HMARK does. */
static int hmark_tuple_word(struct fw_pctx *p, const char *w, size_t len)
{
	struct xt_hmark_info *h = (struct xt_hmark_info *)p->xt->data;
	unsigned f;
	size_t i;

	for (i = 0; len && i < FW_ARRAY_SIZE(hmark_tuple_tbl); i++)
		if (!strncasecmp(w, hmark_tuple_tbl[i].name, len) &&
		    strlen(hmark_tuple_tbl[i].name) >= len)
			break;
	if (!len || i == FW_ARRAY_SIZE(hmark_tuple_tbl))
		return fw_error(p->errs, p->loc, "unknown HMARK tuple field "
				"in '%s'", w);
	f = hmark_tuple_tbl[i].flag;
	if (f == XT_HMARK_SADDR_MASK || f == XT_HMARK_DADDR_MASK)
		memset(f == XT_HMARK_SADDR_MASK ? &h->src_mask : &h->dst_mask,
		       0xff, sizeof(h->src_mask));
	else if (f != XT_HMARK_CT)
		field_set(p->xt->data, f, 0xffffffff);
	h->flags |= XT_HMARK_FLAG(f);
	/* the option of that field may not follow any more */
	p->xt->seen |= 1ull << f;
	return 0;
}

static int hmark_tuple(struct fw_pctx *p, const char *s)
{
	const char *comma;

	for (; (comma = strchr(s, ',')); s = comma + 1)
		if (hmark_tuple_word(p, s, comma - s))
			return -1;
	return hmark_tuple_word(p, s, strlen(s));
}

/* A prefix length, or a mask in address form (not a prefix: all ones). */
static int hmark_prefix(struct fw_pctx *p, const char *s, uint8_t *m)
{
	bool v6 = p->rule->family == FW_AF_IPV6;
	uint64_t n;
	uint8_t tmp[16];
	int i;

	memset(m, 0xff, 16);
	if (inet_pton(v6 ? AF_INET6 : AF_INET, s, tmp) == 1) {
		i = fw_mask_prefix(tmp, v6 ? 16 : 4);
		if (i < 0)
			return 0;
		n = i;
	} else if (fw_parse_uint(p, s, v6 ? 128 : 32, &n)) {
		return -1;
	}
	fw_mask_from_prefix(m, (unsigned)n);
	return 0;
}

static int hmark_parse(struct fw_pctx *p, const struct fw_opt *o,
		       char **argv)
{
	struct xt_hmark_info *h = (struct xt_hmark_info *)p->xt->data;
	uint64_t v, max;

	switch (o->id) {
	case O_TUPLE:
		return hmark_tuple(p, argv[0]);
	case XT_HMARK_SADDR_MASK:
	case XT_HMARK_DADDR_MASK:
		if (hmark_prefix(p, argv[0], o->id == XT_HMARK_SADDR_MASK ?
				 h->src_mask.in6.s6_addr :
				 h->dst_mask.in6.s6_addr))
			return -1;
		break;
	default:
		max = hmark_field_tbl[o->id].bytes == 2 ? 0xffff : 0xffffffff;
		if (fw_parse_uint(p, argv[0], max, &v))
			return -1;
		if (o->id == XT_HMARK_MODULUS && v == 0)
			return fw_error(p->errs, p->loc, "'--hmark-mod' must "
					"be at least 1");
		field_set(p->xt->data, o->id, v);
	}
	h->flags |= XT_HMARK_FLAG(o->id);
	return 0;
}

static int hmark_check(struct fw_pctx *p)
{
	uint64_t seen = p->xt->seen;
	uint64_t ports = 1u << XT_HMARK_SPORT_MASK | 1u << XT_HMARK_DPORT_MASK;
	uint64_t pkt = 1u << XT_HMARK_SADDR_MASK | 1u << XT_HMARK_DADDR_MASK |
		       1u << XT_HMARK_SPI_MASK | ports |
		       1u << XT_HMARK_PROTO_MASK | 1u << XT_HMARK_SPORT |
		       1u << XT_HMARK_DPORT | 1u << XT_HMARK_SPI;

	if (!(seen & 1u << XT_HMARK_MODULUS) || !(seen & 1u << XT_HMARK_RND))
		return fw_error(p->errs, p->loc, "HMARK needs '--hmark-mod' "
				"and '--hmark-rnd'");
	if (seen & 1u << XT_HMARK_SPI_MASK && seen & ports)
		return fw_error(p->errs, p->loc, "'--hmark-spi-mask' excludes "
				"'--hmark-sport-mask' and "
				"'--hmark-dport-mask'");
	if (!(seen & (pkt | 1u << XT_HMARK_CT)))
		return fw_error(p->errs, p->loc, "HMARK needs '--hmark-tuple' "
				"or a field option");
	return 0;
}

static void hmark_print(const struct fw_xt *x, const struct fw_rule *r,
			struct fw_pr *pr)
{
	const struct xt_hmark_info *h = (const struct xt_hmark_info *)x->data;
	unsigned alen = r->family == FW_AF_IPV6 ? 16 : 4;
	const uint8_t *src = h->src_mask.in6.s6_addr;
	const uint8_t *dst = h->dst_mask.in6.s6_addr;
	const struct fw_opt *o;

	for (o = hmark_opts; o->name; o++) {
		if (o->id == O_TUPLE || !(h->flags & XT_HMARK_FLAG(o->id)))
			continue;
		if (o->id == XT_HMARK_SADDR_MASK)
			fw_pr_val(pr, false, o->name, "%d",
				  fw_mask_prefix(src, alen));
		else if (o->id == XT_HMARK_DADDR_MASK)
			fw_pr_val(pr, false, o->name, "%d",
				  fw_mask_prefix(dst, alen));
		else if (hmark_field_tbl[o->id].hex)
			fw_pr_val(pr, false, o->name, "0x%0*x",
				  hmark_field_tbl[o->id].hex,
				  field_get(x->data, o->id));
		else
			fw_pr_val(pr, false, o->name, "%u",
				  field_get(x->data, o->id));
	}
	if (h->flags & XT_HMARK_FLAG(XT_HMARK_CT))
		fw_pr_val(pr, false, "hmark-tuple", "ct");
}

static const struct fw_case hmark_tests[] = {
	{ "--hmark-src-prefix 32 --hmark-rnd 0x00000004 --hmark-mod 42", "=",
	  FW_OK, 0, NULL },
	{ "--hmark-src-prefix 1 --hmark-dst-prefix 2 --hmark-sport-mask 3 "
	  "--hmark-dport-mask 4 --hmark-proto-mask 5 --hmark-rnd 4 "
	  "--hmark-mod 42 --hmark-offset 1 --hmark-tuple ct",
	  "--hmark-src-prefix 1 --hmark-dst-prefix 2 --hmark-sport-mask "
	  "0x0003 --hmark-dport-mask 0x0004 --hmark-proto-mask 0x05 "
	  "--hmark-rnd 0x00000004 --hmark-mod 42 --hmark-offset 1 "
	  "--hmark-tuple ct", FW_OK, 0, NULL },
	{ "--hmark-spi-mask 4 --hmark-spi 0x10 --hmark-rnd 1 --hmark-mod 1",
	  "--hmark-spi-mask 0x00000004 --hmark-spi 0x00000010 --hmark-rnd "
	  "0x00000001 --hmark-mod 1", FW_OK, 0, NULL },
	/* the spi and the ports share their field, as in the kernel */
	{ "--hmark-spi 0x10 --hmark-sport 1 --hmark-dport 2 --hmark-rnd 1 "
	  "--hmark-mod 1", "--hmark-sport 0x0001 --hmark-dport 0x0002 "
	  "--hmark-spi 0x00010002 --hmark-rnd 0x00000001 --hmark-mod 1",
	  FW_OK, 4, NULL },
	{ "--hmark-tuple src,dst,sport,dport,proto --hmark-rnd 1 "
	  "--hmark-mod 2", "--hmark-src-prefix 32 --hmark-dst-prefix 32 "
	  "--hmark-sport-mask 0xffff --hmark-dport-mask 0xffff "
	  "--hmark-proto-mask 0xffff --hmark-rnd 0x00000001 --hmark-mod 2",
	  FW_OK, 4, NULL },
	{ "--hmark-tuple S,sp,C --hmark-rnd 1 --hmark-mod 2",
	  "--hmark-src-prefix 128 --hmark-sport-mask 0xffff "
	  "--hmark-rnd 0x00000001 --hmark-mod 2 --hmark-tuple ct", FW_OK, 6,
	  NULL },
	{ "--hmark-src-prefix 255.255.0.0 --hmark-rnd 1 --hmark-mod 2",
	  "--hmark-src-prefix 16 --hmark-rnd 0x00000001 --hmark-mod 2", FW_OK,
	  4, NULL },
	{ "--hmark-src-prefix 33 --hmark-rnd 1 --hmark-mod 2", NULL, FW_FAIL,
	  4, NULL },
	{ "--hmark-src-prefix 64 --hmark-rnd 1 --hmark-mod 2",
	  "--hmark-src-prefix 64 --hmark-rnd 0x00000001 --hmark-mod 2", FW_OK,
	  6, NULL },
	{ "--hmark-tuple src --hmark-src-prefix 24 --hmark-rnd 1 "
	  "--hmark-mod 2", NULL, FW_FAIL, 0, NULL },
	{ "--hmark-tuple sport --hmark-spi-mask 4 --hmark-rnd 1 "
	  "--hmark-mod 2", NULL, FW_FAIL, 0, NULL },
	{ "--hmark-tuple bogus --hmark-rnd 1 --hmark-mod 2", NULL, FW_FAIL, 0,
	  NULL },
	{ "--hmark-tuple src, --hmark-rnd 1 --hmark-mod 2", NULL, FW_FAIL, 0,
	  NULL },
	{ "--hmark-tuple ct --hmark-mod 2", NULL, FW_FAIL, 0, NULL },
	{ "--hmark-tuple ct --hmark-rnd 1", NULL, FW_FAIL, 0, NULL },
	{ "--hmark-tuple ct --hmark-rnd 1 --hmark-mod 0", NULL, FW_FAIL, 0,
	  NULL },
	{ "--hmark-rnd 1 --hmark-mod 1", NULL, FW_FAIL, 0, NULL },
	{ "", NULL, FW_FAIL, 0, NULL },
	{ NULL },
};

const struct fw_ext fw_ext_hmark = {
	.name = "HMARK",
	.kind = FW_EXT_TARGET,
	.size = sizeof(struct xt_hmark_info),
	.opts = hmark_opts,
	.parse = hmark_parse,
	.check = hmark_check,
	.print = hmark_print,
	.tests = hmark_tests,
};
