/* SPDX-License-Identifier: GPL-2.0-or-later */
/* the rule model: allocation and the match list */
#include "base.h"

#include <string.h>

#include "ext.h"
#include "rule.h"

struct fw_rule *fw_rule_new(int family)
{
	struct fw_rule *r = xzalloc(sizeof(*r));

	r->family = family;
	r->mtail = &r->matches;
	return r;
}

void fw_rule_clear(struct fw_rule *r)
{
	struct fw_xt *m, *next;
	int family = r->family;

	for (m = r->matches; m; m = next) {
		next = m->next;
		free(m);
	}
	free(r->target);
	free(r->chain);
	free(r->src_list);
	free(r->dst_list);
	memset(r, 0, sizeof(*r));
	r->family = family;
	r->mtail = &r->matches;
}

void fw_rule_move(struct fw_rule *dst, struct fw_rule *src)
{
	*dst = *src;
	if (!src->matches)
		dst->mtail = &dst->matches;
	memset(src, 0, sizeof(*src));
	src->family = dst->family;
	src->mtail = &src->matches;
}

void fw_rule_free(struct fw_rule *r)
{
	if (!r)
		return;
	fw_rule_clear(r);
	free(r);
}

struct fw_xt *fw_xt_new(const struct fw_ext *ext, const struct fw_loc *loc)
{
	unsigned len = FW_XT_ALIGN(ext->size);
	struct fw_xt *x = xzalloc(sizeof(*x) + len);

	x->ext = ext;
	x->len = len;
	x->revision = ext->revision;
	if (loc)
		x->loc = *loc;
	return x;
}

void fw_rule_add_match(struct fw_rule *r, struct fw_xt *m)
{
	m->next = NULL;
	*r->mtail = m;
	r->mtail = &m->next;
}

struct fw_xt *fw_rule_last_match(const struct fw_rule *r)
{
	struct fw_xt *m = r->matches;

	while (m && m->next)
		m = m->next;
	return m;
}

struct fw_xt *fw_rule_find_match(const struct fw_rule *r,
				 const struct fw_ext *ext)
{
	struct fw_xt *m;

	for (m = r->matches; m; m = m->next)
		if (m->ext == ext)
			return m;
	return NULL;
}

int fw_mask_prefix(const uint8_t *m, unsigned len)
{
	unsigned i = 0, j, ones;
	uint8_t inv;

	while (i < len && m[i] == 0xff)
		i++;
	if (i == len)
		return (int)(len * 8);
	/* a byte of leading ones then zeros: its complement is 2^k - 1 */
	inv = (uint8_t)~m[i];
	if (inv & (inv + 1))
		return -1;
	for (ones = 0; m[i] & (0x80 >> ones); ones++)
		;
	for (j = i + 1; j < len; j++)
		if (m[j])
			return -1;
	return (int)(i * 8 + ones);
}

void fw_mask_from_prefix(uint8_t *m, unsigned prefix)
{
	memset(m, 0, 16);
	memset(m, 0xff, prefix / 8);
	if (prefix % 8)
		m[prefix / 8] = (uint8_t)(0xff << (8 - prefix % 8));
}
